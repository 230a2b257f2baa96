#!/usr/bin/env bash
# History speed: `devops-monitor history --since 90d --json` over 90 days of hourly reports
# (2,160 files, six keys and two disks each) against a jq one-liner computing ONE provider's
# availability over the same files, in one run, from the page cache.
#
#   bench/history_speed.sh [BUILD_DIR] [RUNS] [REPORTS]      (defaults: build 5 2160)
#
# Reports come from bench/make_history_reports.py (the report format of report_json.cpp).
# history is timed three ways: its first run (no index yet: parses every file, writes
# history_index.tsv), with the index (the steady state: every later run), and with the index
# removed before each run. Medians of RUNS runs, wall and CPU (user + system) time.
# Targets: <= 100 ms, and <= 1/4 of jq's time.
set -euo pipefail

build_dir=${1:-build}
runs=${2:-5}
count=${3:-2160}
binary="$build_dir/devops-monitor"
source "$(dirname "$0")/lib.sh"
bench_need "run make build first; jq is Debian's package jq" "$binary" /usr/bin/jq
bench_workdir
reports="$work/reports"
python3 "$(dirname "$0")/make_history_reports.py" "$reports" "$count"
cat "$reports"/*.json > /dev/null  # page cache

python3 - "$binary" "$reports" "$runs" <<'PY'
import os, resource, statistics, subprocess, sys, time
binary, reports, runs = sys.argv[1], sys.argv[2], int(sys.argv[3])
index = os.path.join(reports, "history_index.tsv")
files = sorted(f for f in os.listdir(reports) if f.startswith("monitoring_report_"))
size = sum(os.path.getsize(os.path.join(reports, f)) for f in files)
history = [binary, "history", "--since", "90d", "--json", "--report-dir", reports]
jq_program = ('[.[] | .api_keys[] | select(.id == "openai") | (.state == "valid")]'
              ' | (map(select(.)) | length) / length')
jq = ["jq", "-s", jq_program] + [os.path.join(reports, f) for f in files]

def timed(argv, before=None):
    if before:
        before()
    start_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, check=False)
    wall = time.perf_counter() - start
    end_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        sys.exit("bench: %s failed (%d): %s" % (argv[0], done.returncode, done.stderr.decode()[:300]))
    cpu = (end_cpu.ru_utime - start_cpu.ru_utime) + (end_cpu.ru_stime - start_cpu.ru_stime)
    return wall * 1000, cpu * 1000, done.stdout

def drop_index():
    if os.path.exists(index):
        os.remove(index)

def median_of(argv, before=None):
    results = [timed(argv, before) for _ in range(runs)]
    return (statistics.median(r[0] for r in results), statistics.median(r[1] for r in results),
            results[-1][2])

drop_index()
first_wall, first_cpu, _ = timed(history)
indexed_wall, indexed_cpu, out = median_of(history)
no_index_wall, no_index_cpu, _ = median_of(history, drop_index)
timed(history)  # leave the index in place, as in use
jq_wall, jq_cpu, jq_out = median_of(jq)

import json
doc = json.loads(out)
openai = next(p for p in doc["providers"] if p["id"] == "openai")
print("%d reports, %.1f MB; load average %s" % (len(files), size / 1e6, os.getloadavg()[0]))
print("openai availability: history %.6f, jq %s" % (openai["availability"], jq_out.decode().strip()))
print("%-44s %10s %10s" % ("median of %d runs" % runs, "wall ms", "cpu ms"))
rows = [("history, first run (no index; writes it)", first_wall, first_cpu),
        ("history --since 90d --json (index)", indexed_wall, indexed_cpu),
        ("history, index removed before each run", no_index_wall, no_index_cpu),
        ("jq -s, one provider's availability", jq_wall, jq_cpu)]
for name, wall, cpu in rows:
    print("%-44s %10.1f %10.1f" % (name, wall, cpu))
print("target <= 100 ms: %s (%.1f ms)" % ("met" if indexed_wall <= 100 else "MISSED", indexed_wall))
print("target <= jq / 4 (%.1f ms): %s (%.2fx jq's time)" %
      (jq_wall / 4, "met" if indexed_wall <= jq_wall / 4 else "MISSED", indexed_wall / jq_wall))
PY
