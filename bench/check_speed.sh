#!/usr/bin/env bash
# Measures a full check: all six provider keys set, every provider answered by a local fake
# (build/tests/fake-providers) after an injected latency. Reports wall time and peak RSS as
# /usr/bin/time -v sees them, for the default 1s CPU window and for --cpu-window 300ms.
#
#   bench/check_speed.sh [BUILD_DIR] [RUNS] [LATENCY_MS]      (make bench runs it)
#
# Targets (2-core machine, 300 ms latency): default window <= 1.2 s, 300ms window <= 0.5 s,
# peak RSS <= 10 MB.
set -euo pipefail

build_dir=${1:-build}
runs=${2:-7}
latency_ms=${3:-300}
binary="$build_dir/devops-monitor"
fake="$build_dir/tests/fake-providers"
source "$(dirname "$0")/lib.sh"
bench_need "run make build first" "$binary" "$fake" /usr/bin/time
bench_workdir
# BENCH_LISTS=large: every provider answers its 500-model list (memory with big answers).
bench_fake_providers "$latency_ms" 600 "${BENCH_LISTS:-small}"
bench_keys bench

max() { sort -n | tail -n 1; }

measure() {  # label, extra flags...
  local label=$1; shift
  local walls=() rss=()
  for i in $(seq "$runs"); do
    /usr/bin/time -v "$binary" --check --json --config "$work/config.toml" \
      --report-dir "$work/reports" "$@" > "$work/out.json" 2> "$work/time.txt" || true
    grep -q '"state": "valid"' "$work/out.json" || { echo "bench: check did not reach the fake" >&2; cat "$work/time.txt" >&2; exit 1; }
    wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {split($2,t,":"); print (t[1]*60+t[2])}' "$work/time.txt")
    kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
    walls+=("$wall"); rss+=("$kb")
  done
  printf '%-28s wall median %5.2f s  (min %5.2f, max %5.2f)   peak RSS max %5.1f MB  (median %5.1f MB)\n' \
    "$label" \
    "$(printf '%s\n' "${walls[@]}" | median)" \
    "$(printf '%s\n' "${walls[@]}" | sort -n | head -n1)" \
    "$(printf '%s\n' "${walls[@]}" | max)" \
    "$(printf '%s\n' "${rss[@]}" | max | awk '{print $1/1024}')" \
    "$(printf '%s\n' "${rss[@]}" | median | awk '{print $1/1024}')"
}

echo "devops-monitor $("$binary" --version | cut -d' ' -f2): six keys, fake providers answering after ${latency_ms} ms, $runs runs each"
measure "default (--cpu-window 1s)"
measure "--cpu-window 300ms" --cpu-window 300ms

# For comparison: the same six requests from a C program that does nothing but libcurl.
if cc -O2 "$(dirname "$0")/curl_floor.c" -lcurl -o "$work/curl_floor" 2>/dev/null; then
  mapfile -t urls < <(sed -n 's/^test_endpoint = "\(.*\)"$/\1/p' "$work/config.toml")
  floor=()
  for i in $(seq "$runs"); do
    /usr/bin/time -v "$work/curl_floor" "${urls[@]}" > /dev/null 2> "$work/time.txt"
    floor+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")")
  done
  printf '%-28s peak RSS max %5.1f MB  (libcurl + its ~30 shared libraries alone)\n' "floor: C + libcurl only" \
    "$(printf '%s\n' "${floor[@]}" | max | awk '{print $1/1024}')"
fi
