#!/usr/bin/env bash
# Installs devops-monitor into a temporary prefix, builds examples/startup_check against the
# installed package twice (CMake find_package, then pkg-config) and runs both builds against
# a local fake provider.
#   install_and_build_example.sh BUILD_DIR SOURCE_DIR FAKE_PROVIDERS
set -euo pipefail
build_dir=$1 source_dir=$2 fake=$3

work=$(mktemp -d)
fake_pid=""
cleanup() {
  if [ -n "$fake_pid" ]; then kill "$fake_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

prefix="$work/prefix"
# The C++ package only: the Python component goes to the interpreter's site directory, an
# absolute path that --prefix does not move (python/tests/test_install.py installs it under
# DESTDIR instead).
cmake --install "$build_dir" --prefix "$prefix" --component Unspecified > "$work/install.log"
for f in bin/devops-monitor include/devops_monitor/monitor.hpp include/devops_monitor/version.hpp \
         lib/libdevops_monitor.a lib/cmake/devops_monitor/devops_monitorConfig.cmake \
         lib/pkgconfig/devops_monitor.pc; do
  [ -e "$prefix/$f" ] || [ -e "$prefix/${f/lib\//lib/x86_64-linux-gnu/}" ] || fail "not installed: $f"
done
"$prefix/bin/devops-monitor" --version | grep -q '^devops-monitor ' || fail "installed tool does not run"

# A fake provider for the example to find; only OpenAI has a key.
"$fake" 0 120 > "$work/providers.toml" &
fake_pid=$!
for _ in $(seq 100); do grep -q moonshot "$work/providers.toml" 2>/dev/null && break; sleep 0.05; done
# The example measures this machine's real CPU, which the rest of the suite (ctest -j) keeps
# at 100%: only a CPU above 100% may count as critical here, so the outcome rests on the keys.
printf '\n[thresholds]\ncpu_warning = 99\ncpu_critical = 100\n' >> "$work/providers.toml"
export OPENAI_API_KEY=example-key-not-real
unset TOGETHER_API_KEY ANTHROPIC_API_KEY OPENROUTER_API_KEY GOOGLE_API_KEY MOONSHOT_API_KEY
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY
cd "$work"

# 1. CMake: find_package(devops_monitor CONFIG) -> devops_monitor::devops_monitor
cmake -S "$source_dir/examples/startup_check" -B "$work/cmake-build" -G Ninja \
  -DCMAKE_PREFIX_PATH="$prefix" > "$work/configure.log" || { cat "$work/configure.log"; fail "configure"; }
cmake --build "$work/cmake-build" > "$work/build.log" || { cat "$work/build.log"; fail "build with CMake"; }
out=$("$work/cmake-build/startup_check" "$work/providers.toml") || fail "example exited $?: $out"
echo "$out"
grep -q '^using provider: openai$' <<< "$out" || fail "CMake-built example did not pick openai"

# 2. pkg-config
export PKG_CONFIG_PATH="$prefix/lib/pkgconfig:$prefix/lib/x86_64-linux-gnu/pkgconfig"
pkgconf_flags=$(pkg-config --cflags --libs devops_monitor) || fail "pkg-config does not know devops_monitor"
# shellcheck disable=SC2086
g++ "$source_dir/examples/startup_check/main.cpp" -o "$work/pc-example" $pkgconf_flags || fail "build with pkg-config"
out=$("$work/pc-example" "$work/providers.toml") || fail "pkg-config example exited $?"
grep -q '^using provider: openai$' <<< "$out" || fail "pkg-config-built example did not pick openai"
echo "OK: installed package builds and runs the example with CMake and with pkg-config"
