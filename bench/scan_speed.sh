#!/usr/bin/env bash
# Scan throughput: devops-monitor scan against grep -rE and rg with the old workflow's two
# patterns, on the same generated tree, from the page cache, in one run.
#
#   bench/scan_speed.sh [BUILD_DIR] [SIZE_MB] [RUNS]      (defaults: build 200 5)
#
# The tree is deterministic (seeded): source-like text in about 2,000 files under nested
# directories, with a few keys planted (generated here, random bodies). Every tool reads the
# whole tree once untimed (page cache), then RUNS timed times; the median is reported.
# Target: devops-monitor at least half of grep's MB/s; aim to beat it.
set -euo pipefail

build_dir=${1:-build}
size_mb=${2:-200}
runs=${3:-5}
binary="$build_dir/devops-monitor"
source "$(dirname "$0")/lib.sh"
bench_need "run make build first; rg is Debian's package ripgrep" "$binary" /usr/bin/rg
bench_workdir
tree="$work/tree"

python3 - "$tree" "$size_mb" <<'PY'
import os, random, string, sys
root, size_mb = sys.argv[1], int(sys.argv[2])
r = random.Random(20261125)
words = ["return", "const", "auto", "if", "else", "for", "while", "std::string", "int",
         "self", "def", "import", "from", "class", "struct", "public", "private", "void",
         "task", "disk", "mask", "ask", "high", "light", "AKS", "ASCII", "Array", "--",
         "#", "//", "/*", "*/", "{", "}", "(", ")", "=", "==", "+=", ";", ",", "x", "y"]
def ident():
    return "".join(r.choice(string.ascii_letters + "_") for _ in range(r.randint(3, 14)))
def line():
    parts = []
    for _ in range(r.randint(2, 12)):
        k = r.random()
        parts.append(r.choice(words) if k < 0.6 else ident() if k < 0.9 else str(r.randint(0, 99999)))
    return " " * (4 * r.randint(0, 3)) + " ".join(parts)
pool = [line() for _ in range(20000)]
alnum = string.ascii_letters + string.digits
def key(kind):
    if kind == 0:
        return "sk-" + "proj-" + "".join(r.choice(alnum) for _ in range(120))
    if kind == 1:
        return "AKI" + "A" + "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567") for _ in range(16))
    return "gh" + "p_" + "".join(r.choice(alnum) for _ in range(36))
target = size_mb * 1024 * 1024
written = 0
n = 0
while written < target:
    d = os.path.join(root, "pkg%02d" % (n % 40), "mod%02d" % ((n // 40) % 25))
    os.makedirs(d, exist_ok=True)
    lines = r.choices(pool, k=r.randint(800, 2400))
    if n % 97 == 0:
        lines.insert(r.randrange(len(lines)), 'API_KEY = "%s"' % key(n % 3))
    text = "\n".join(lines) + "\n"
    with open(os.path.join(d, "file%05d.%s" % (n, r.choice(["py", "cpp", "js", "go", "txt"]))), "w") as f:
        f.write(text)
    written += len(text)
    n += 1
PY

bytes=$(du -sb "$tree" | cut -f1)
files=$(find "$tree" -type f | wc -l)
pattern='sk-[a-zA-Z0-9]{20,}|AKIA[0-9A-Z]{16}'
cat "$tree"/*/*/* > /dev/null  # into the page cache

# Output goes to a file, not /dev/null: GNU grep stops at the first match when it writes to
# /dev/null, which would not be the same work.
measure() {
  local name=$1; shift
  "$@" > "$work/out.$name" 2>/dev/null || true  # warm-up, and exit 1 means "found"
  local times=()
  for _ in $(seq "$runs"); do
    local start end
    start=$(date +%s.%N)
    "$@" > "$work/out.$name" 2>/dev/null || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
  done
  local t
  t=$(printf '%s\n' "${times[@]}" | median)
  printf '| %-28s | %7.3f s | %7.0f MB/s | %5d lines |\n' "$name" "$t" \
    "$(echo "$bytes / 1000000 / $t" | bc -l)" "$(wc -l < "$work/out.$name")"
}

echo "tree: $files files, $(echo "$bytes / 1000000" | bc) MB; median of $runs runs, page cache warm"
echo "| tool                         | time      | throughput   | output      |"
echo "|---|---|---|---|"
LC_ALL=C measure "grep -rE (LC_ALL=C)" grep -rE "$pattern" "$tree"
measure "grep -rE (C.UTF-8)" env LC_ALL=C.UTF-8 grep -rE "$pattern" "$tree"
measure "rg (-j2)" rg -j2 --no-heading -e "$pattern" "$tree"
measure "devops-monitor scan" "$binary" scan "$tree"
