#!/usr/bin/env bash
# Regenerates cmake/hot-sections.txt: the code sections devops-monitor runs in its daemons
# and checks, in the order the linker (gold, --section-ordering-file) puts them first in .text.
#
#   bench/hot_sections.sh [BUILD_DIR]        (needs valgrind; takes about a minute)
#
# Why: the kernel maps a file's pages 64 kB at a time around each page a process touches
# (fault-around), so code that runs is resident with all its neighbours. Scattered over the
# 1.5 MB of .text, the ~450 kB that serve runs made 1.5 MB resident; packed together, about
# 0.6 MB (bench/serve_speed.sh measures the result, docs/design.md "Memory" explains it).
#
# How: callgrind records every function the binary runs while, against the fake providers,
# `serve` starts, checks keys and answers scrapes of each page, `watch` runs its first check
# and `--check` runs once. A function missing from the list (new code) still works; it only
# lands outside the packed block. Run this again when the daemons' code paths change much.
set -euo pipefail

build_dir=${1:-build}
binary="$build_dir/devops-monitor"
fake="$build_dir/tests/fake-providers"
out=cmake/hot-sections.txt
for f in "$binary" "$fake" /usr/bin/valgrind /usr/bin/curl; do
  [ -x "$f" ] || { echo "hot_sections: missing $f (make build; apt-get install valgrind)" >&2; exit 1; }
done

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT
wait_for() {  # seconds, description, command...
  local limit=$1 what=$2; shift 2
  for _ in $(seq $((limit * 10))); do "$@" && return 0; sleep 0.1; done
  echo "hot_sections: no $what within $limit s" >&2
  tail -n 5 "$work"/*.log >&2 || true
  exit 1
}

"$fake" 0 300 > "$work/config.toml" 2> "$work/fake.log" &
pids+=($!)
wait_for 10 "fake provider config" grep -q moonshot "$work/config.toml"
sleep 0.1
: > "$work/keys.env"
export TOGETHER_API_KEY=hot-together OPENAI_API_KEY=hot-openai ANTHROPIC_API_KEY=hot-anthropic
export OPENROUTER_API_KEY=hot-openrouter GOOGLE_API_KEY=hot-google MOONSHOT_API_KEY=hot-moonshot
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
# As the daemons run after their restart (app/gnutls_restart.hpp), and so that they do not
# restart out of valgrind's sight.
export GNUTLS_NO_IMPLICIT_INIT=1
common=(--config "$work/config.toml" --env-file "$work/keys.env" --report-dir "$work/reports")
grind=(valgrind --tool=callgrind --demangle=no --dump-instr=no)

"${grind[@]}" --callgrind-out-file="$work/serve.cg" \
  "$binary" serve --listen 127.0.0.1:0 --no-save "${common[@]}" 2> "$work/serve.log" &
serve_pid=$!
pids+=("$serve_pid")
wait_for 60 "'keys checked' line from serve" grep -q 'keys checked' "$work/serve.log"
addr=$(grep -o 'listening on 127.0.0.1:[0-9]*' "$work/serve.log" | head -n1 | cut -d' ' -f3)
for _ in 1 2 3; do
  for page in /metrics / /report /healthz /nonexistent; do curl -s -o /dev/null "http://$addr$page"; done
  curl -s -o /dev/null -X POST "http://$addr/metrics"
done
# Connections at once, as Prometheus and wrk make them: the pool's other paths.
for _ in $(seq 48); do printf 'url = "http://%s/metrics"\noutput = "/dev/null"\n' "$addr"; done |
  curl -s -Z --parallel-max 16 -K - > /dev/null 2>&1
kill -TERM "$serve_pid"
wait "$serve_pid" 2>/dev/null || true

"${grind[@]}" --callgrind-out-file="$work/watch.cg" \
  "$binary" watch --interval 1h --no-save "${common[@]}" 2> "$work/watch.log" &
watch_pid=$!
pids+=("$watch_pid")
wait_for 60 "first check line from watch" sh -c "[ \$(wc -l < '$work/watch.log') -ge 2 ]"
kill -TERM "$watch_pid"
wait "$watch_pid" 2>/dev/null || true

"${grind[@]}" --callgrind-out-file="$work/check.cg" \
  "$binary" --check --no-save "${common[@]}" > /dev/null 2> "$work/check.log" || true

# Functions of the binary itself ("ob=" names the object; callgrind compresses repeated names
# to "(id)"), recursion suffixes ('2) dropped, in the binary's own address order.
python3 - "$binary" "$work"/*.cg > "$work/hot.txt" <<'EOF'
import re, subprocess, sys
binary, files = sys.argv[1], sys.argv[2:]
touched = set()
for path in files:
    obs, fns, ob = {}, {}, None
    for line in open(path, errors="replace"):
        m = re.match(r"^(ob|fn|cob|cfn)=\((\d+)\)(?: (.*))?$", line.rstrip("\n"))
        if not m:
            continue
        kind, ident, name = m.groups()
        table = obs if kind.endswith("ob") else fns
        if name is not None:
            table[ident] = name
        if kind == "ob":
            ob = obs[ident]
        elif kind == "fn" and ob is not None and ob.endswith("/devops-monitor"):
            touched.add(re.sub(r"'\d+$", "", fns[ident]))
nm = subprocess.run(["nm", "-n", "--defined-only", binary], capture_output=True, text=True)
# Aliases (a constructor's C1 and C2 names) share an address; the section bears only one.
symbols = [l.split() for l in nm.stdout.splitlines()]
symbols = [s for s in symbols if len(s) == 3 and s[1] in "tTwW"]
hot = {s[0] for s in symbols if s[2] in touched}
seen = set()
for address, _, name in symbols:
    if address in hot and name not in seen:
        seen.add(name)
        print(".text." + name)
EOF
{
  echo "# Generated by bench/hot_sections.sh; the linker lays these sections out first (gold"
  echo "# --section-ordering-file). Static initialisers and libraries built without"
  echo "# -ffunction-sections (yaml-cpp: plain .text) first, then the functions that ran."
  echo ".text.startup*"
  echo ".text"
  cat "$work/hot.txt"
} > "$out"
echo "hot_sections: $(wc -l < "$work/hot.txt") functions in $out"
