#!/usr/bin/env bash
# The Python package beside the command: DevOpsMonitor().perform_health_check() against
# `devops-monitor --check --json`, all six keys set and every provider answered by the local
# fake (build/tests/fake-providers) after an injected latency, default 1s CPU window; and the
# time `import devops_monitor` takes.
#
#   bench/python_speed.sh [BUILD_DIR] [RUNS] [LATENCY_MS]      (make bench-python runs it)
#
# Targets: import + check inside the interpreter within 10% of the command's whole-process wall
# time (the whole python3 process, whose interpreter start-up is not the package's, is shown
# too); import under 50 ms.
set -euo pipefail

build_dir=$(cd "${1:-build}" && pwd)
runs=${2:-7}
latency_ms=${3:-300}
python=${PYTHON:-/usr/bin/python3}
binary="$build_dir/devops-monitor"
fake="$build_dir/tests/fake-providers"
source "$(dirname "$0")/lib.sh"
bench_need "run make build first" "$binary" "$fake"
[ -e "$build_dir/python/devops_monitor/__init__.py" ] || { echo "$bench_name: no Python package in $build_dir/python (run make build first)" >&2; exit 1; }
export PYTHONPATH="$build_dir/python"
bench_workdir
bench_fake_providers "$latency_ms" 600
bench_keys bench
cd "$work"

now() { date +%s.%N; }

cpp=() py=() inproc=()
for i in $(seq "$runs"); do
  t0=$(now)
  "$binary" --check --json --config config.toml --report-dir reports > out.json || true
  t1=$(now)
  grep -q '"state": "valid"' out.json || { echo "bench: the command did not reach the fake" >&2; exit 1; }
  "$python" -c '
import sys, time
t = time.perf_counter()
from devops_monitor import DevOpsMonitor
r = DevOpsMonitor(report_dir="reports", config_file="config.toml").perform_health_check()
assert [k.state for k in r.api_keys] == ["valid"] * 6, [k.state for k in r.api_keys]
print(time.perf_counter() - t, file=open("inproc.txt", "w"))
'
  t2=$(now)
  cpp+=("$(awk "BEGIN {print $t1 - $t0}")")
  py+=("$(awk "BEGIN {print $t2 - $t1}")")
  inproc+=("$(cat inproc.txt)")
done
cpp_median=$(printf '%s\n' "${cpp[@]}" | median)
py_median=$(printf '%s\n' "${py[@]}" | median)
in_median=$(printf '%s\n' "${inproc[@]}" | median)
pct() { awk "BEGIN {printf \"%+.1f%%\", ($1 - $cpp_median) * 100 / $cpp_median}"; }
echo "devops-monitor $("$binary" --version | cut -d' ' -f2): six keys, fake providers answering after ${latency_ms} ms, $runs runs each"
printf '%-52s wall median %5.3f s\n' "devops-monitor --check --json (whole process)" "$cpp_median"
printf '%-52s wall median %5.3f s  %s  (target: within 10%%)\n' \
  "import devops_monitor + DevOpsMonitor().perform_health_check()" "$in_median" "$(pct "$in_median")"
printf '%-52s wall median %5.3f s  %s  (python3 -c pass included)\n' "the same as a whole python3 process" \
  "$py_median" "$(pct "$py_median")"

# Import time: the package's own cumulative time as python3 -X importtime reports it, and a
# whole `python3 -c 'import devops_monitor'` against `python3 -c pass`.
imports=() bare=() whole=()
for i in $(seq "$runs"); do
  imports+=("$("$python" -X importtime -c 'import devops_monitor' 2>&1 | awk -F'|' '$3 ~ /^ devops_monitor$/ {gsub(/ /,"",$2); print $2}')")
  t0=$(now); "$python" -c pass; t1=$(now); "$python" -c 'import devops_monitor'; t2=$(now)
  bare+=("$(awk "BEGIN {print $t1 - $t0}")"); whole+=("$(awk "BEGIN {print $t2 - $t1}")")
done
printf '%-44s median %5.1f ms  (python3 -X importtime, cumulative)\n' "import devops_monitor" \
  "$(printf '%s\n' "${imports[@]}" | median | awk '{print $1/1000}')"
printf '%-44s median %5.1f ms  (python3 -c pass: %5.1f ms)\n' "python3 -c 'import devops_monitor'" \
  "$(printf '%s\n' "${whole[@]}" | median | awk '{print $1*1000}')" \
  "$(printf '%s\n' "${bare[@]}" | median | awk '{print $1*1000}')"
