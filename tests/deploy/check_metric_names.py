#!/usr/bin/env python3
"""check_metric_names.py NAMES_FILE FILE...

Fails when a FILE (alert rules, their tests, docs) uses a devops_monitor_* metric name that
is not in NAMES_FILE, the exporter's contract: a misspelt or invented name in an alert
never matches a series, so the alert silently never fires.
"""
import re
import sys

NAME = re.compile(r"\bdevops_monitor_[a-z0-9_]+")


def contract(path):
    with open(path, encoding="utf-8") as f:
        names = {line.strip() for line in f if line.strip() and not line.startswith("#")}
    bad = sorted(n for n in names if not NAME.fullmatch(n))
    if bad:
        sys.exit(f"check_metric_names: {path}: not metric names: {', '.join(bad)}")
    return names


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    known = contract(argv[1])
    unknown = 0
    used = set()
    for path in argv[2:]:
        with open(path, encoding="utf-8") as f:
            for number, line in enumerate(f, 1):
                for name in NAME.findall(line):
                    used.add(name)
                    if name not in known:
                        print(f"check_metric_names: {path}:{number}: {name} is not in {argv[1]}")
                        unknown += 1
    if unknown:
        return 1
    if not used:
        print("check_metric_names: no devops_monitor_* name found: wrong files?")
        return 1
    print(f"check_metric_names: OK, {len(used)} contract names used")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
