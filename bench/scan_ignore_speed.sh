#!/usr/bin/env bash
# What honouring git's ignore rules costs a scan: the same files read with git's listing and
# without it, in one generated work tree, from the page cache.
#
#   bench/scan_ignore_speed.sh [BUILD_DIR] [DIRS] [RUNS]      (defaults: build 1000 7)
#
# The tree is a git repository of DIRS packages, each with 50 source files (1 KiB, committed)
# and a build/ directory of 20 object-like files that .gitignore leaves out: 70 files a
# package, 50 of them read. Small files make the per-file cost (git's listing, the lookups)
# as visible as it gets. Three timings, medians of RUNS: `scan` (git lists the files),
# `scan --no-ignore --exclude build` (the same files, no git), `scan --no-ignore` (all).
set -euo pipefail

build_dir=${1:-build}
dirs=${2:-1000}
runs=${3:-7}
binary="$build_dir/devops-monitor"
source "$(dirname "$0")/lib.sh"
bench_need "run make build first" "$binary" /usr/bin/git
binary=$(realpath "$binary")
bench_workdir
tree="$work/tree"

python3 - "$tree" "$dirs" <<'PY'
import os, sys
root, dirs = sys.argv[1], int(sys.argv[2])
body = "def f(x):\n    return x * 2  # some source-like text here\n" * 20
for d in range(dirs):
    for f in range(50):
        path = f"{root}/pkg{d:04}/" + (f"sub/m{f:03}.py" if f % 2 else f"m{f:03}.py")
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w") as out:
            out.write(body)
    os.makedirs(f"{root}/pkg{d:04}/build", exist_ok=True)
    for f in range(20):
        with open(f"{root}/pkg{d:04}/build/o{f:03}.o", "w") as out:
            out.write(body)
with open(f"{root}/.gitignore", "w") as out:
    out.write("build/\n")
PY
git -C "$tree" init -q
git -C "$tree" add -A
git -C "$tree" -c user.name=bench -c user.email=bench@example.invalid commit -q -m tree

time_of() {
  local start end
  start=$(date +%s.%N)
  (cd "$tree" && "$binary" scan "$@" > /dev/null) || [ $? -eq 1 ]
  end=$(date +%s.%N)
  awk "BEGIN { print $end - $start }"
}

measure() {
  local label=$1 i
  shift
  time_of "$@" > /dev/null  # page cache
  for i in $(seq "$runs"); do time_of "$@"; done | median | xargs printf "%-38s %6.3f s\n" "$label"
}

listed=$(git -C "$tree" ls-files | wc -l)
echo "$(find "$tree" -type f -not -path '*/.git/*' | wc -l) files, $listed listed by git"
start=$(date +%s.%N)
git -C "$tree" ls-files -z --cached --others --exclude-standard > /dev/null
echo "git ls-files alone: $(awk "BEGIN { print $(date +%s.%N) - $start }") s"
measure "scan (git's listing)"
measure "scan --no-ignore --exclude build"
measure "scan --no-ignore"
