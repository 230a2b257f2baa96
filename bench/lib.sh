# Sourced by the bench scripts (bash): what each needs before it measures. Not run alone.
#   bench_need HINT FILE...        stop with HINT unless each FILE is executable
#   bench_workdir                  $work: a temporary directory; on exit every process started
#                                  with bench_spawn is stopped and $work removed
#   bench_spawn CMD...             start CMD in the background, stopped on exit; its pid in
#                                  $spawned_pid
#   wait_for SECONDS WHAT CMD...   poll CMD until it succeeds, or stop naming WHAT
#   bench_fake_providers LATENCY_MS LIFETIME_S [LISTS]
#                                  start build/tests/fake-providers; $work/config.toml points
#                                  every built-in provider at it (bench_need the fake first)
#   bench_keys PREFIX              the six keys as PREFIX-<provider>, and no proxy
#   median                         the median of the numbers on stdin, one per line

bench_name=${0##*/}

bench_need() {
  local hint=$1 f
  shift
  for f in "$@"; do
    [ -x "$f" ] || { echo "$bench_name: missing $f ($hint)" >&2; exit 1; }
  done
}

bench_workdir() {
  work=$(mktemp -d)
  bench_pids=()
  trap bench_cleanup EXIT
  trap 'exit 130' INT TERM
}

bench_cleanup() {
  local pid
  for pid in "${bench_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${bench_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}

bench_spawn() {
  "$@" &
  spawned_pid=$!
  bench_pids+=("$spawned_pid")
}

wait_for() {
  local limit=$1 what=$2
  shift 2
  for _ in $(seq $((limit * 20))); do "$@" && return 0; sleep 0.05; done
  echo "$bench_name: no $what within $limit s" >&2
  tail -n 5 "$work"/*.log >&2 || true
  exit 1
}

# The fake prints a config pointing every built-in provider at itself, then serves for
# LIFETIME_S. LISTS=large: every provider answers its 500-model list.
bench_fake_providers() {
  bench_spawn "$fake" "$1" "$2" "${3:-small}" > "$work/config.toml" 2> "$work/fake.log"
  wait_for 10 "fake provider config" grep -q moonshot "$work/config.toml"
  sleep 0.1
}

bench_keys() {
  export TOGETHER_API_KEY=$1-together OPENAI_API_KEY=$1-openai ANTHROPIC_API_KEY=$1-anthropic
  export OPENROUTER_API_KEY=$1-openrouter GOOGLE_API_KEY=$1-google MOONSHOT_API_KEY=$1-moonshot
  unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
