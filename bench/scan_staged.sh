#!/usr/bin/env bash
# The pre-commit hook's cost: `devops-monitor scan --staged` on a repository of 10,000 files
# with 5 staged, beside plain `git diff --cached` (the floor: the scan runs it) and
# `git diff --cached -U0` with the scan's own options.
#
#   bench/scan_staged.sh [BUILD_DIR] [FILES] [RUNS]      (defaults: build 10000 50)
#
# Each command runs RUNS times after one untimed run (page cache, git's index read once);
# p50 and p95 of the wall time of whole processes are printed, and of their CPU time (user +
# sys, with the git they run), which a loaded machine does not inflate. Target: scan --staged p95
# under 50 ms. (gitleaks and detect-secrets are not Debian packages; git itself is the floor.)
set -euo pipefail

build_dir=${1:-build}
files=${2:-10000}
runs=${3:-50}
binary="$(cd "$build_dir" && pwd)/devops-monitor"
source "$(dirname "$0")/lib.sh"
bench_need "run make build first" "$binary" /usr/bin/git
bench_workdir
repo="$work/repo"
export HOME="$work" GIT_CONFIG_NOSYSTEM=1 LANG=C.UTF-8

python3 - "$repo" "$files" <<'PY'
import os, random, string, sys
root, count = sys.argv[1], int(sys.argv[2])
r = random.Random(20261207)
words = ["return", "const", "auto", "if", "else", "for", "while", "int", "def", "import",
         "class", "struct", "void", "task", "disk", "=", "==", ";", "(", ")", "{", "}"]
for i in range(count):
    d = os.path.join(root, "src", f"d{i // 100:03d}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"f{i:05d}.py"), "w") as f:
        for _ in range(r.randint(20, 80)):
            f.write(" ".join(r.choice(words) for _ in range(r.randint(3, 10))) + "\n")
PY
git -C "$repo" init -q -b main
git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid add -A
git -C "$repo" -c user.name=bench -c user.email=bench@example.invalid commit -q -m start
# Five staged files: three changed, two new; one holds a generated key (so the scan finds one).
for n in 00001 02500 05000; do
  d=$(printf 'd%03d' $((10#$n / 100)))
  printf 'added = 1\nmore = 2\n' >> "$repo/src/$d/f$n.py"
done
printf 'print("new")\n' > "$repo/src/new_a.py"
key="gh""p_$(python3 -c 'import random,string; r=random.Random(5); print("".join(r.choice(string.ascii_letters+string.digits) for _ in range(36)))')"
printf 'TOKEN=%s\n' "$key" > "$repo/src/new_b.env"
git -C "$repo" add -A
[ "$(git -C "$repo" diff --cached --name-only | wc -l)" = 5 ] || { echo "$bench_name: not 5 staged files" >&2; exit 1; }

python3 - "$repo" "$runs" "$binary" <<'PY'
import os, resource, subprocess, sys, time
repo, runs, binary = sys.argv[1], int(sys.argv[2]), sys.argv[3]
commands = [
    ("git diff --cached", ["git", "diff", "--cached"], 0),
    ("git diff --cached -U0 (scan's options)",
     ["git", "-c", "core.fsmonitor=false", "diff", "--cached", "-U0", "--no-color",
      "--no-ext-diff", "--no-textconv", "--find-renames", "--diff-filter=ACMRT"], 0),
    ("devops-monitor scan --staged", [binary, "scan", "--staged"], 1),
]
print(f"{'command':42} {'p50 ms':>8} {'p95 ms':>8} {'cpu p50':>8} {'cpu p95':>8}   ({runs} runs, 5 staged of "
      f"{sum(len(f) for _, _, f in os.walk(os.path.join(repo, 'src')))} files)")
for name, argv, expected in commands:
    def once():
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        done = subprocess.run(argv, cwd=repo, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        elapsed = time.perf_counter() - start
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != expected:
            sys.exit(f"{name}: exit {done.returncode}, expected {expected}: {done.stderr!r}")
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        return elapsed * 1000, cpu * 1000
    once()
    samples = [once() for _ in range(runs)]
    def pct(values, q):
        values = sorted(values)
        return values[min(len(values) - 1, int(len(values) * q))]
    wall = [w for w, _ in samples]
    cpu = [c for _, c in samples]
    p50, p95 = pct(wall, 0.5), pct(wall, 0.95)
    # CPU time (user + sys, the process and its git children) does not grow when other jobs
    # share the cores; wall time does.
    print(f"{name:42} {p50:8.1f} {p95:8.1f} {pct(cpu, 0.5):8.1f} {pct(cpu, 0.95):8.1f}")
    if name.startswith("devops-monitor") and p95 >= 50:
        print(f"scan --staged p95 {p95:.1f} ms: over the 50 ms target")
PY
