#!/usr/bin/env python3
"""check_exposition.py PROMTOOL NAMES_FILE (--binary DEVOPS_MONITOR | --file FILE)

Checks a Prometheus text exposition two ways: `promtool check metrics` must accept it (no
parse error, no lint problem), and its metric family names must equal NAMES_FILE, the metric
contract, both ways (nothing missing, nothing extra).

--binary runs `DEVOPS_MONITOR check --format prometheus` (no keys, no report saved, so no
network) and checks its stdout, then the DIR/devops_monitor.prom that --textfile-dir writes.
--file checks one file (the broken fixtures, which this must reject).
"""
import os
import re
import subprocess
import sys
import tempfile

FAMILY = re.compile(r"^# (?:HELP|TYPE) ([a-zA-Z_:][a-zA-Z0-9_:]*) ")
SAMPLE = re.compile(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]")


def contract(path):
    with open(path, encoding="utf-8") as f:
        return {line.strip() for line in f if line.strip() and not line.startswith("#")}


def check(promtool, names, label, text):
    failures = []
    run = subprocess.run([promtool, "check", "metrics"], input=text, text=True,
                         capture_output=True, check=False)
    if run.returncode != 0:
        failures.append(f"promtool check metrics rejects it: {(run.stdout + run.stderr).strip()}")
    found = set()
    for line in text.splitlines():
        match = FAMILY.match(line) or SAMPLE.match(line)
        if match:
            found.add(match.group(1))
    for name in sorted(names - found):
        failures.append(f"{name} is in the contract but not exported")
    for name in sorted(found - names):
        failures.append(f"{name} is exported but not in the contract")
    for failure in failures:
        print(f"check_exposition: {label}: {failure}")
    return not failures


def main(argv):
    if len(argv) != 5 or argv[3] not in ("--binary", "--file"):
        sys.exit(__doc__)
    promtool, names = argv[1], contract(argv[2])
    if argv[3] == "--file":
        with open(argv[4], encoding="utf-8") as f:
            ok = check(promtool, names, argv[4], f.read())
    else:
        with tempfile.TemporaryDirectory() as tmp:
            command = [argv[4], "check", "--format", "prometheus", "--no-save",
                       "--cpu-window", "100ms", "--env-file", os.devnull,
                       "--textfile-dir", tmp]
            env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": tmp}
            run = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
            if run.returncode not in (0, 1, 2):
                print(f"check_exposition: {' '.join(command)} exited {run.returncode}: {run.stderr}")
                return 1
            ok = check(promtool, names, "stdout", run.stdout)
            with open(os.path.join(tmp, "devops_monitor.prom"), encoding="utf-8") as f:
                ok = check(promtool, names, "textfile", f.read()) and ok
    print("check_exposition: OK" if ok else "check_exposition: FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
