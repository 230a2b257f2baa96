#!/usr/bin/env bash
# Scan throughput: devops-monitor scan against grep -rE and rg -j2 with the old workflow's two
# patterns, and secretlint's recommended preset, on the same generated tree, from the page
# cache, whole processes, in one run; then peak RSS and start-up. One side-by-side table.
#
#   bench/scan_speed.sh [BUILD_DIR] [SIZE_MB] [RUNS]      (defaults: build 1024 5)
#   SECRETLINT_MB=16   the size of the subtree secretlint reads (it is slow; MB/s compare)
#
# The tree is deterministic (seeded): source-like text in files of ~80 KB under nested
# directories, with a few keys planted (generated here, random bodies). Every tool reads the
# whole tree once untimed (page cache), then RUNS timed times; the median is reported.
# Target: devops-monitor at least rg -j2's MB/s while it checks every key shape.
set -euo pipefail

build_dir=${1:-build}
size_mb=${2:-1024}
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

# The scanner with ~14 more prefixes (the shapes still to come, as a custom provider's
# key_pattern): its speed must not rest on how few prefixes it has today.
cat > "$work/extra.toml" <<'TOML'
[providers.benchextra]
name = "Bench extra shapes"
env_var = "BENCHEXTRA_API_KEY"
test_endpoint = "http://127.0.0.1:9/v1/models"
key_pattern = ['gsk_[A-Za-z0-9]{52}', 'hf_[A-Za-z]{34}', 'xai-[A-Za-z0-9]{80}',
               'pplx-[A-Za-z0-9]{48}', 'r8_[A-Za-z0-9]{37}', 'sk_live_[A-Za-z0-9]{24,99}',
               'sk_test_[A-Za-z0-9]{24,99}', 'rk_live_[A-Za-z0-9]{24,99}',
               'glpat-[A-Za-z0-9_-]{20}', 'npm_[A-Za-z0-9]{36}',
               'SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}', 'dsk-[a-f0-9]{32}',
               'mis_[A-Za-z0-9]{32}', 'co-[A-Za-z0-9]{40}']
TOML

rows=()
# measure NAME BYTES RUNS CMD...: the median wall time of RUNS whole-process runs after a
# warm-up, the largest peak RSS, and the lines printed. Output goes to a file, not
# /dev/null: GNU grep stops at the first match when it writes to /dev/null, which would not
# be the same work.
measure() {
  local name=$1 size=$2 count=$3
  shift 3
  local status=0
  "$@" > "$work/out" 2> "$work/err" || status=$?  # the warm-up; exit 1 means "found"
  if [ "$status" -gt 1 ]; then
    echo "$bench_name: $name failed (exit $status):" >&2
    tail -n 5 "$work/err" >&2
    exit 1
  fi
  local times=() cpus=() rss=0 start end peak
  for _ in $(seq "$count"); do
    start=$(date +%s.%N)
    /usr/bin/time -f '%M %U %S' -o "$work/rss" "$@" > "$work/out" 2>/dev/null || true
    end=$(date +%s.%N)
    times+=("$(echo "$end - $start" | bc)")
    read -r peak user sys < <(tail -n 1 "$work/rss")
    cpus+=("$(echo "$user + $sys" | bc)")
    [ "$peak" -gt "$rss" ] && rss=$peak
  done
  local t cpu
  t=$(printf '%s\n' "${times[@]}" | median)
  cpu=$(printf '%s\n' "${cpus[@]}" | median)
  rows+=("$(printf '| %-40s | %6.0f MB | %7.3f s | %7.0f MB/s | %6.2f s | %6.1f MB | %6d |' \
    "$name" "$(echo "$size / 1000000" | bc -l)" "$t" "$(echo "$size / 1000000 / $t" | bc -l)" \
    "$cpu" "$(echo "$rss / 1024" | bc -l)" "$(wc -l < "$work/out")")")
  last_mbps=$(echo "$size / 1000000 / $t" | bc -l)
}

LC_ALL=C measure "grep -rE (LC_ALL=C)" "$bytes" "$runs" grep -rE "$pattern" "$tree"
measure "grep -rE (C.UTF-8)" "$bytes" "$runs" env LC_ALL=C.UTF-8 grep -rE "$pattern" "$tree"
measure "rg -j2" "$bytes" "$runs" rg -j2 --no-heading -e "$pattern" "$tree"
rg_mbps=$last_mbps
measure "devops-monitor scan" "$bytes" "$runs" "$binary" scan "$tree"
scan_mbps=$last_mbps
measure "devops-monitor scan, 14 more prefixes" "$bytes" "$runs" \
  "$binary" scan --config "$work/extra.toml" "$tree"

# secretlint (pinned by bench/node/package-lock.json): on a subtree of the first files, since it reads
# a few MB/s; MB/s compare across sizes, and scan reads the same subtree for the record.
repo=$(cd "$(dirname "$0")/.." && pwd)
secretlint=$repo/bench/node/node_modules/.bin/secretlint
secretlint_rc=$repo/bench/node/.secretlintrc.json
secretlint_note="secretlint: not measured (no bench/node/package.json and .secretlintrc.json)"
if [ -f "$repo/bench/node/package.json" ] && [ -f "$secretlint_rc" ]; then
  if [ ! -x "$secretlint" ]; then
    (cd "$repo/bench/node" && npm ci --no-audit --no-fund --loglevel=error) >&2
  fi
  sub="$work/subtree"
  limit=$(( ${SECRETLINT_MB:-16} * 1024 * 1024 ))
  taken=0
  while IFS= read -r f; do
    [ "$taken" -ge "$limit" ] && break
    mkdir -p "$sub/$(dirname "${f#"$tree"/}")"
    cp "$f" "$sub/${f#"$tree"/}"
    taken=$(( taken + $(stat -c %s "$f") ))
  done < <(find "$tree" -type f | sort)
  sub_bytes=$(du -sb "$sub" | cut -f1)
  secretlint_runs=$(( runs < 3 ? runs : 3 ))
  # From inside the subtree: secretlint refuses paths outside its working directory.
  measure "secretlint --preset recommend (subtree)" "$sub_bytes" "$secretlint_runs" \
    env -C "$sub" "$secretlint" --secretlintrc "$secretlint_rc" --maskSecrets --no-color '**/*'
  measure "devops-monitor scan (subtree)" "$sub_bytes" "$runs" "$binary" scan "$sub"
  secretlint_note="secretlint read a ${SECRETLINT_MB:-16} MB subtree (the first files) in $secretlint_runs runs"
fi

# Start-up: a whole process on an empty directory (the rules compiled, the prefix database
# built), beside rg's.
mkdir -p "$work/empty"
startup() {
  local times=() start end
  for _ in $(seq 11); do
    start=$(date +%s.%N)
    "$@" > /dev/null 2>&1 || true
    end=$(date +%s.%N)
    times+=("$(echo "($end - $start) * 1000" | bc)")
  done
  printf '%s\n' "${times[@]}" | median
}
scan_start=$(startup "$binary" scan "$work/empty")
rg_start=$(startup rg -j2 -e "$pattern" "$work/empty")

echo "tree: $files files, $(echo "$bytes / 1000000" | bc) MB; median of $runs runs, page cache warm; $(nproc) cores"
# CPU is user + system time (10 ms resolution): on a machine others share, wall time moves
# with their load, the work a tool does does not.
echo "| tool                                     | read      | time      | throughput   | CPU      | peak RSS  | lines  |"
echo "|---|---|---|---|---|---|---|"
printf '%s\n' "${rows[@]}"
echo "$secretlint_note"
printf 'start-up on an empty directory (median of 11): devops-monitor scan %.1f ms, rg %.1f ms\n' \
  "$scan_start" "$rg_start"
if [ "$(echo "$scan_mbps >= $rg_mbps" | bc)" = 1 ]; then
  printf 'target met: devops-monitor scan %.0f MB/s >= rg -j2 %.0f MB/s\n' "$scan_mbps" "$rg_mbps"
else
  printf 'target missed: devops-monitor scan %.0f MB/s < rg -j2 %.0f MB/s\n' "$scan_mbps" "$rg_mbps"
fi
