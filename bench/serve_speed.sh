#!/usr/bin/env bash
# Measures `devops-monitor serve` beside Debian's prometheus-node-exporter (default
# collectors), both running on loopback in the same run, and `devops-monitor watch` idling.
#
#   bench/serve_speed.sh [BUILD_DIR] [REQUESTS] [SCRAPES]      (make bench-serve runs it)
#   WATCH_IDLE_S=20                    seconds of watch's idle CPU measured
#
# BUILD_DIR (default build, the Makefile's MinSizeRel build) needs devops-monitor and
# tests/fake-providers. The targets must hold in a plain Release build too
# (make bench-serve-release does these three steps):
#   cmake -S . -B build-release -G Ninja -DCMAKE_BUILD_TYPE=Release
#   cmake --build build-release -j2 --target devops-monitor fake-providers
#   bench/serve_speed.sh build-release
#
# For each exporter, in this order:
#   1. REQUESTS (1000) GET /metrics, one after the other over ONE kept-alive connection: curl
#      with all the URLs on one command line reuses its connection; each transfer's
#      time_total is the request's latency (the first, which connects, is left out). The
#      number of connections curl opened is printed as a check.
#   2. VmRSS after those ~1,000 scrapes, then after SCRAPES (10000) in all: the rest sent by
#      curl, 4 at a time (wrk cannot stop at a count).
#   3. wrk -t2 -c32 -d10s: requests/s, non-2xx answers and socket errors.
#   4. Peak RSS: VmHWM from /proc/PID/status after the load.
# Then watch: `devops-monitor watch --interval 1h --no-save` (the same temporary config, so
# nothing of the user's is read) started, its first check ended (its second log line, plus
# 2 s), utime+stime from /proc/PID/stat over the next WATCH_IDLE_S (20) s, and its VmHWM.
#
# The exporter runs against fake providers (BUILD_DIR/tests/fake-providers, six keys, no
# latency) and the real /proc and /; node_exporter with its defaults. serve's targets are
# ratios to node_exporter's figures of the same run, so that the machine's speed and load
# count for both: /metrics median latency at most 1/5 of node_exporter's, peak RSS at most
# 1/2 of node_exporter's. Each target is printed with PASS or FAIL; the exit status is 0
# when every target passed, 1 when one failed or the bench could not measure.
set -euo pipefail

build_dir=${1:-build}
requests=${2:-1000}
scrapes=${3:-10000}
binary="$build_dir/devops-monitor"
fake="$build_dir/tests/fake-providers"
node_exporter=/usr/bin/prometheus-node-exporter
source "$(dirname "$0")/lib.sh"
bench_need "make build; make deps installs wrk and prometheus-node-exporter" \
  "$binary" "$fake" "$node_exporter" /usr/bin/wrk /usr/bin/curl
bench_workdir

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

bench_fake_providers 0 900
: > "$work/keys.env"
bench_keys bench
common=(--config "$work/config.toml" --env-file "$work/keys.env" --report-dir "$work/reports")

bench_spawn "$binary" serve --listen 127.0.0.1:0 --no-save "${common[@]}" 2> "$work/serve.log"
serve_pid=$spawned_pid
wait_for 10 "'listening on' line from serve" grep -q 'listening on 127.0.0.1:' "$work/serve.log"
serve_addr=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/serve.log" | head -n1 | cut -d' ' -f3)
# The key series exist after the first key round; measure the full page.
wait_for 20 "key series on serve's /metrics" \
  sh -c "curl -sf http://$serve_addr/metrics | grep -q 'devops_monitor_api_key_state{provider=\"moonshot\",state=\"valid\"} 1'"

node_addr=127.0.0.1:$(free_port)
bench_spawn "$node_exporter" --web.listen-address="$node_addr" 2> "$work/node_exporter.log"
node_pid=$spawned_pid
wait_for 10 "node_exporter on $node_addr" curl -sf -o /dev/null "http://$node_addr/metrics"

rss_kb() { awk -v k="$2:" '$1 == k {print $2}' "/proc/$1/status"; }
mb() { awk -v kb="$1" 'BEGIN {printf "%.1f", kb / 1024}'; }
declare -A fig

measure() {  # name, pid, address
  local name=$1 pid=$2 addr=$3 args=()
  for _ in $(seq $((requests + 1))); do args+=(-o /dev/null "http://$addr/metrics"); done
  curl -s -w '%{time_total} %{num_connects} %{http_code}\n' "${args[@]}" > "$work/$name.times"
  fig[$name.connections]=$(awk '{n += $2} END {print n}' "$work/$name.times")
  fig[$name.non200]=$(awk '$3 != 200' "$work/$name.times" | wc -l)
  # Leave out the first transfer (it connected); seconds to ms, sorted.
  tail -n +2 "$work/$name.times" | awk '{printf "%.3f\n", $1 * 1000}' | sort -n > "$work/$name.ms"
  fig[$name.median]=$(median < "$work/$name.ms")
  fig[$name.p99]=$(awk '{a[NR]=$1} END {i = int(NR * 0.99 + 0.999); print a[i]}' "$work/$name.ms")
  fig[$name.rss1k]=$(rss_kb "$pid" VmRSS)
  fig[$name.bytes]=$(curl -s "http://$addr/metrics" | wc -c)
  # The rest of the scrapes: curl, 4 transfers at a time over 4 kept-alive connections.
  for _ in $(seq $((scrapes - requests - 2))); do
    printf 'url = "http://%s/metrics"\noutput = "/dev/null"\n' "$addr"
  done > "$work/$name.urls"
  curl -s -Z --parallel-max 4 -K "$work/$name.urls" > /dev/null 2>&1
  fig[$name.rss10k]=$(rss_kb "$pid" VmRSS)
  wrk -t2 -c32 -d10s "http://$addr/metrics" > "$work/$name.wrk.txt"
  fig[$name.rps]=$(awk '/^Requests\/sec:/ {printf "%.0f", $2}' "$work/$name.wrk.txt")
  fig[$name.errors]=$(awk '/Non-2xx or 3xx responses:/ {n += $NF}
                           /Socket errors:/ {gsub(",", ""); n += $4 + $6 + $8 + $10}
                           END {print n + 0}' "$work/$name.wrk.txt")
  fig[$name.hwm]=$(rss_kb "$pid" VmHWM)
}

echo "devops-monitor $("$binary" --version | cut -d' ' -f2) serve on $serve_addr, node_exporter $("$node_exporter" --version 2>&1 | awk 'NR==1 {print $3}') on $node_addr; $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
measure serve "$serve_pid" "$serve_addr"
measure node "$node_pid" "$node_addr"
# Only watch from here on: the exporters' load is over.
kill "$serve_pid" "$node_pid" 2>/dev/null || true

# watch: idle between checks. It logs "watching every 1h; ..." at start, then one line per
# check: the second line means the first check is over (2 s more for its last steps).
watch_idle_s=${WATCH_IDLE_S:-20}
bench_spawn "$binary" watch --interval 1h --no-save "${common[@]}" 2> "$work/watch.log"
watch_pid=$spawned_pid
watch_lines() { [ "$(wc -l < "$work/watch.log")" -ge 2 ] || ! kill -0 "$watch_pid" 2>/dev/null; }
wait_for 30 "first check line from watch" watch_lines
sleep 2
watch_note=""
if kill -0 "$watch_pid" 2>/dev/null; then
  cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
  before=$(cpu_ticks "$watch_pid")
  sleep "$watch_idle_s"
  after=$(cpu_ticks "$watch_pid")
  hz=$(getconf CLK_TCK)
  fig[watch.cpu_s]=$(awk -v t=$((after - before)) -v hz="$hz" 'BEGIN {printf "%.2f", t / hz}')
  fig[watch.cpu_pct]=$(awk -v t=$((after - before)) -v hz="$hz" -v s="$watch_idle_s" \
                         'BEGIN {printf "%.2f", t / hz / s * 100}')
  fig[watch.hwm]=$(rss_kb "$watch_pid" VmHWM)
else
  watch_note=$(head -n1 "$work/watch.log")
fi

# Runs in $(...), a subshell: a failure is remembered in a file.
verdict() { if awk "BEGIN {exit !($1)}"; then echo "PASS"; else echo FAIL | tee -a "$work/failed"; fi; }
s_med=${fig[serve.median]} n_med=${fig[node.median]}
s_hwm=${fig[serve.hwm]} n_hwm=${fig[node.hwm]}
build_type=$(awk -F= '/^CMAKE_BUILD_TYPE:/ {print $2}' "$build_dir/CMakeCache.txt" 2>/dev/null || true)
printf '\n%-34s %14s %14s   %s\n' "${build_type:-?} build ($build_dir)" "serve" "node_exporter" "target (serve)"
printf '%-34s %14s %14s   %s\n' "/metrics body (bytes)" "${fig[serve.bytes]}" "${fig[node.bytes]}" ""
printf '%-34s %14s %14s   %s\n' "median latency, 1 connection (ms)" "$s_med" "$n_med" \
  "/metrics median <= 1/5 of node_exporter's: $(verdict "$s_med * 5 <= $n_med") ($(awk -v s="$s_med" -v n="$n_med" 'BEGIN {printf "1/%.0f", n / s}'))"
printf '%-34s %14s %14s   %s\n' "p99 latency, 1 connection (ms)" "${fig[serve.p99]}" "${fig[node.p99]}" ""
printf '%-34s %14s %14s   %s\n' "connections opened by curl" "${fig[serve.connections]}" "${fig[node.connections]}" \
  "1 (keep-alive held): $(verdict "${fig[serve.connections]} == 1 && ${fig[node.connections]} == 1")"
printf '%-34s %14s %14s   %s\n' "wrk -t2 -c32 -d10s requests/s" "${fig[serve.rps]}" "${fig[node.rps]}" \
  "more than node_exporter: $(verdict "${fig[serve.rps]} > ${fig[node.rps]}")"
printf '%-34s %14s %14s   %s\n' "wrk errors (non-2xx + socket)" "${fig[serve.errors]}" "${fig[node.errors]}" \
  "0: $(verdict "${fig[serve.errors]} == 0 && ${fig[serve.non200]} == 0")"
printf '%-34s %14s %14s   %s\n' "RSS after $requests scrapes (MB)" "$(mb "${fig[serve.rss1k]}")" "$(mb "${fig[node.rss1k]}")" ""
printf '%-34s %14s %14s   %s\n' "RSS after $scrapes scrapes (MB)" "$(mb "${fig[serve.rss10k]}")" "$(mb "${fig[node.rss10k]}")" \
  "no growth: $(verdict "${fig[serve.rss10k]} <= ${fig[serve.rss1k]} + 256")"
printf '%-34s %14s %14s   %s\n' "peak RSS, VmHWM after load (MB)" "$(mb "$s_hwm")" "$(mb "$n_hwm")" \
  "peak RSS <= 1/2 of node_exporter's: $(verdict "$s_hwm * 2 <= $n_hwm") ($(awk -v s="$s_hwm" -v n="$n_hwm" 'BEGIN {printf "%.2f", s / n}') of it)"
echo "(latency: curl $(curl --version | awk 'NR==1 {print $2}') -w time_total over one connection, $requests requests each; no growth = at most 256 kB more; MB = 1024 kB)"

printf '\n%-34s %14s %14s   %s\n' "" "watch" "" "target (watch)"
if [ -n "$watch_note" ]; then
  printf '%-34s could not run: %s\n' "idle CPU after the first check" "$watch_note"
  echo FAIL >> "$work/failed"
else
  printf '%-34s %14s %14s   %s\n' "idle CPU over $watch_idle_s s (%)" "${fig[watch.cpu_pct]}" "" \
    "about 0 (<= 0.1%): $(verdict "${fig[watch.cpu_pct]} <= 0.1")"
  printf '%-34s %14s %14s   %s\n' "CPU time over $watch_idle_s s (s)" "${fig[watch.cpu_s]}" "" ""
  printf '%-34s %14s %14s   %s\n' "peak RSS, VmHWM (MB)" "$(mb "${fig[watch.hwm]}")" "" ""
fi
echo "(watch --interval 1h --no-save against the same fakes; CPU from utime + stime in /proc/PID/stat, $(getconf CLK_TCK) ticks/s)"
[ ! -s "$work/failed" ]
