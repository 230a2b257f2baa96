#!/usr/bin/env bash
# Scan recall: how many of the planted keys each tool finds, on the corpus of
# tests/scan_corpus/make_corpus.py (every shape devops-monitor knows, 3 keys each, in .env,
# code, YAML, JSON, URLs, shell and markdown; placeholders and look-alikes in negative/).
#
#   bench/scan_recall.sh [BUILD_DIR] [SEED]      (defaults: build 20261207)
#
# Tools: devops-monitor scan --json; secretlint with its recommended preset (npm, the versions
# bench/node/package-lock.json pins, installed here with npm ci); rg and grep -rE with the old
# workflow's two patterns. A key counts as found when the tool reports anything on its file
# and line (generous to grep and rg, which report lines); "shapes" counts shapes whose every
# key was found; "false" counts findings (lines, for grep and rg) under negative/. Only the
# table is printed: no tool output, so no key, reaches the terminal.
set -euo pipefail

build_dir=${1:-build}
seed=${2:-20261207}
here=$(cd "$(dirname "$0")" && pwd)
binary="$build_dir/devops-monitor"
source "$here/lib.sh"
bench_need "run make build first; rg is Debian's package ripgrep" "$binary" /usr/bin/rg
binary=$(cd "$(dirname "$binary")" && pwd)/devops-monitor

secretlint="$here/node/node_modules/.bin/secretlint"
if [ ! -x "$secretlint" ]; then
  (cd "$here/node" && npm ci --no-audit --no-fund --loglevel=error) >&2
fi
bench_need "npm ci in bench/node failed" "$secretlint"

bench_workdir
corpus="$work/corpus"
python3 "$here/../tests/scan_corpus/make_corpus.py" "$corpus" --seed "$seed" 2>/dev/null
old_patterns='sk-[a-zA-Z0-9]{20,}|AKIA[0-9A-Z]{16}'

cd "$corpus"
# Exit status 1 means "found" for all four; only a status above 1 is a failure.
"$binary" scan --json . > "$work/devops-monitor.out" 2>/dev/null || [ $? -eq 1 ]
"$secretlint" --secretlintrc "$here/node/.secretlintrc.json" --format json \
  "positive/**/*" "negative/**/*" > "$work/secretlint.out" 2>/dev/null || [ $? -eq 1 ]
rg -j2 -n --no-heading -e "$old_patterns" . > "$work/rg.out" 2>/dev/null || [ $? -eq 1 ]
grep -rEn "$old_patterns" . > "$work/grep.out" 2>/dev/null || [ $? -eq 1 ]

python3 - "$corpus" "$work" "$seed" <<'PY'
import json, os, sys
corpus, work, seed = sys.argv[1], sys.argv[2], sys.argv[3]
expected = json.load(open(os.path.join(corpus, "expected.json")))

def rel(path):
    path = os.path.relpath(path, corpus) if os.path.isabs(path) else path
    return path[2:] if path.startswith("./") else path

def devops_monitor():
    return [(rel(f["file"]), f["line"]) for f in json.load(open(work + "/devops-monitor.out"))["findings"]]

def secretlint():
    return [(rel(r["filePath"]), m["loc"]["start"]["line"])
            for r in json.load(open(work + "/secretlint.out")) for m in r["messages"]]

def lines(name):
    hits = []
    for text in open(work + "/" + name, errors="replace"):
        path, line, _ = text.split(":", 2)
        hits.append((rel(path), int(line)))
    return hits

tools = [("devops-monitor scan", devops_monitor), ("secretlint (recommend)", secretlint),
         ("rg -j2 (old 2 patterns)", lambda: lines("rg.out")),
         ("grep -rE (old 2 patterns)", lambda: lines("grep.out"))]
shapes = []
for e in expected:
    if e["shape"] not in shapes:
        shapes.append(e["shape"])
print("corpus: %d keys of %d shapes (seed %s)" % (len(expected), len(shapes), seed))
print("%-26s %14s %8s %7s %8s" % ("tool", "found/planted", "recall", "shapes", "false"))
missed_by = {}
for name, read in tools:
    hits = set(read())
    found = [e for e in expected if (e["file"], e["line"]) in hits]
    full = [s for s in shapes
            if all((e["file"], e["line"]) in hits for e in expected if e["shape"] == s)]
    false = sum(1 for path, _ in hits if path.startswith("negative/"))
    print("%-26s %8d/%-5d %7.0f%% %3d/%-3d %8d" % (name, len(found), len(expected),
          100.0 * len(found) / len(expected), len(full), len(shapes), false))
    missed_by[name] = [s for s in shapes if s not in full]
for name, missed in missed_by.items():
    print("%s misses: %s" % (name, ", ".join(missed) if missed else "none"))
PY
