#!/bin/sh
# verify_units.sh BINARY UNIT_FILE...
# `systemd-analyze verify` on copies of the units whose ExecStart= runs BINARY (the built
# devops-monitor) instead of /usr/local/bin/devops-monitor, which verify requires to exist.
#
# verify exits 0 on an unknown or misspelt directive or a value it cannot parse: it only
# logs "ignoring". So any line it prints about one of these units is a failure too. Lines
# about other units (a host's own units pulled in as dependencies) are shown, not fatal.
# Works without systemd as PID 1 (containers, chroots): no generators, no man pages.
set -u
[ $# -ge 2 ] || { echo "usage: $0 BINARY UNIT_FILE..." >&2; exit 2; }
binary=$1; shift
[ -x "$binary" ] || { echo "verify_units: $binary is not an executable" >&2; exit 2; }
command -v systemd-analyze >/dev/null || { echo "verify_units: systemd-analyze not found (apt-get install systemd)" >&2; exit 2; }

dir=$(mktemp -d) || exit 2
trap 'rm -rf "$dir"' EXIT
problems=0
fail() { echo "verify_units: $*"; problems=$((problems + 1)); }

names=""
for unit in "$@"; do
  name=$(basename "$unit")
  names="$names $name"
  # An ExecStart= that does not run the installed binary would escape the rewrite below,
  # so it is an error in itself (an empty ExecStart= resets the list and is fine).
  grep -n '^ExecStart=.' "$unit" | grep -v '^[0-9]*:ExecStart=/usr/local/bin/devops-monitor ' |
    while IFS= read -r line; do echo "verify_units: $unit:$line: not /usr/local/bin/devops-monitor"; done |
    grep . && problems=$((problems + 1))
  sed "s#^ExecStart=/usr/local/bin/devops-monitor #ExecStart=$binary #" "$unit" > "$dir/$name"
done

# A timer's service must be among the units: verify does not check it.
for unit in "$dir"/*.timer; do
  [ -e "$unit" ] || continue
  service=$(sed -n 's/^Unit=//p' "$unit")
  [ -n "$service" ] || service=$(basename "$unit" .timer).service
  [ -e "$dir/$service" ] || fail "$(basename "$unit") starts $service, which is not among the units"
done

out=$(cd "$dir" && SYSTEMD_LOG_LEVEL=notice systemd-analyze verify --man=no --generators=no \
        $(for n in $names; do printf './%s ' "$n"; done) 2>&1)
status=$?
[ -n "$out" ] && printf '%s\n' "$out"
[ $status -eq 0 ] || fail "systemd-analyze verify exited with status $status"
for n in $names; do
  # Messages name the unit ("x.service: ...") or its file ("/tmp/.../x.service:7: ...").
  if printf '%s\n' "$out" | grep -E -q "(^|/)$(printf '%s' "$n" | sed 's/\./\\./g'):"; then
    fail "systemd-analyze verify complained about $n (above)"
  fi
done

if [ $problems -ne 0 ]; then echo "verify_units: FAIL ($problems problems)"; exit 1; fi
echo "verify_units: OK ($names )"
