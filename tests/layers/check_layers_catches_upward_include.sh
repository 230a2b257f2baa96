#!/bin/sh
# tools/check_layers must fail, naming the file and line, on a copy of the tree where a file of
# the lowest layer (src/util/) includes a header of a higher one: the engine, the report store
# facade and a front-end, one at a time.
set -eu
source_dir=$1
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT INT TERM
for header in engine/engine.hpp devops_monitor/report_store.hpp serve/http_server.hpp; do
  rm -rf "$work/tree"
  mkdir "$work/tree"
  cp -R "$source_dir/src" "$source_dir/app" "$source_dir/include" "$source_dir/tools" \
        "$source_dir/python" "$work/tree/"
  victim="$work/tree/src/util/ascii.hpp"
  line=$(($(wc -l < "$victim") + 1))
  printf '#include "%s"\n' "$header" >> "$victim"
  if "$work/tree/tools/check_layers" "$work/tree" > "$work/out" 2>&1; then
    echo "check_layers accepted src/util/ascii.hpp including $header"; exit 1
  fi
  if ! grep -q "^src/util/ascii.hpp:$line: includes \"$header\" .*points up the layers" "$work/out"; then
    echo "check_layers failed without naming src/util/ascii.hpp:$line:"; cat "$work/out"; exit 1
  fi
done
echo "check_layers: catches upward includes"
