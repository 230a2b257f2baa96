#!/usr/bin/env bash
# `make install` and `cmake --install BUILD_DIR` install the same files, all under the prefix,
# with DESTDIR honoured: the manual page, the tool, the headers, the CMake package, the
# pkg-config file and (when built) the Python package; nothing is written outside DESTDIR.
#   make_install_test.sh SOURCE_DIR BUILD_DIR
set -euo pipefail
source_dir=$1 build_dir=$2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
files_in() { (cd "$1" && find . \( -type f -o -type l \) -print | sort); }

touch "$work/before"
sleep 1  # so that anything written after this is newer than the marker
make -C "$source_dir" --no-print-directory install BUILD_DIR="$build_dir" \
  DESTDIR="$work/by-make" PREFIX=/usr/local > "$work/make.log" 2>&1 ||
  { cat "$work/make.log"; fail "make install"; }
DESTDIR="$work/by-cmake" cmake --install "$build_dir" --prefix /usr/local > "$work/cmake.log" ||
  fail "cmake --install"

files_in "$work/by-make" > "$work/make.files"
files_in "$work/by-cmake" > "$work/cmake.files"
diff -u "$work/make.files" "$work/cmake.files" || fail "make install and cmake --install differ"
if grep -v '^\./usr/local/' "$work/make.files"; then fail "files outside the prefix"; fi

root="$work/by-make/usr/local"
for f in bin/devops-monitor share/man/man1/devops-monitor.1 include/devops_monitor/monitor.hpp \
         include/devops_monitor/report_store.hpp include/devops_monitor/version.hpp \
         lib/libdevops_monitor.a lib/cmake/devops_monitor/devops_monitorConfig.cmake \
         lib/pkgconfig/devops_monitor.pc; do
  [ -e "$root/$f" ] || fail "not installed: $f"
done
if grep -q '^DEVOPS_MONITOR_PYTHON_PACKAGE:BOOL=ON' "$build_dir/CMakeCache.txt"; then
  ls "$root"/lib/python3.*/dist-packages/devops_monitor/__init__.py > /dev/null 2>&1 ||
    fail "the Python package is not under PREFIX/lib/python3.X/dist-packages"
fi
"$root/bin/devops-monitor" -V | grep -q "^devops-monitor " || fail "the installed tool does not run"
grep -q '^\.TH DEVOPS-MONITOR 1 .*devops-monitor [0-9]' "$root/share/man/man1/devops-monitor.1" ||
  fail "the manual page has no version"

# DESTDIR is honoured: nothing new in the real prefix, or in the Debian package manager's places.
for dir in /usr/local /usr/lib/python3/dist-packages /usr/share/man/man1; do
  [ -d "$dir" ] || continue
  newer=$(find "$dir" -newer "$work/before" \( -type f -o -type l \) -print 2>/dev/null | head -5)
  [ -z "$newer" ] || fail "written outside DESTDIR: $newer"
done
echo "make_install_test: OK"
