#!/bin/sh
# run_fuzzer.sh FUZZER CORPUS_DIR SECONDS ARTIFACT_DIR
# Fuzzes for SECONDS (or $FUZZ_SECONDS) starting from the committed corpus. The corpus is
# copied first, so runs never grow the files in the source tree: into a temporary directory,
# or into $FUZZ_CORPUS_ROOT/<name> when set (make fuzz), where it keeps growing across runs.
# A crash, leak or timeout input is saved in ARTIFACT_DIR and the test fails.
set -eu
mkdir -p "$4"
# -s: keep the fuzz_<target> symlink, whose name picks the target (fuzz/dispatch.cpp).
fuzzer=$(realpath -s "$1")
corpus=$(realpath "$2")
seconds=${FUZZ_SECONDS:-$3}
artifacts=$(realpath "$4")
name=$(basename "$corpus")

scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT INT TERM
if [ -n "${FUZZ_CORPUS_ROOT:-}" ]; then
  work=$FUZZ_CORPUS_ROOT/$name
else
  work=$scratch/corpus
fi
mkdir -p "$work" "$artifacts"
cp "$corpus"/* "$work"/

dict=$(dirname "$corpus")/../dict/$name.dict
set -- -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -malloc_limit_mb=512 \
  -max_len=8192 -print_final_stats=1 -artifact_prefix="$artifacts/$name-"
[ -f "$dict" ] && set -- "$@" -dict="$dict"

# libFuzzer stops itself after -max_total_time; the outer limit only catches a wedged run.
cd "$scratch"
status=0
timeout --kill-after=10 $((seconds + 120)) "$fuzzer" "$@" "$work" || status=$?
[ "$status" -eq 0 ] || echo "run_fuzzer.sh: $name failed (status $status); inputs in $artifacts" >&2
exit "$status"
