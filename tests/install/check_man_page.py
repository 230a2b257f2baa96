#!/usr/bin/env python3
"""The manual page renders without a warning and names every command and every flag that each
command's --help lists, so it cannot fall behind the tool.

    check_man_page.py BINARY MAN_PAGE
"""
import re
import subprocess
import sys

COMMANDS = [["check"], ["providers"], ["serve"], ["watch"], ["dashboard"], ["history"],
            ["report"], ["badge"], ["prune"], ["scan"], ["notify", "github"]]


def main():
    binary, man_page = sys.argv[1], sys.argv[2]
    problems = []
    lint = subprocess.run(["groff", "-man", "-ww", "-z", "-Tutf8", man_page],
                          capture_output=True, text=True, check=False)
    if lint.returncode != 0 or lint.stderr:
        problems.append(f"groff warns: {lint.stderr.strip() or lint.returncode}")
    source = open(man_page, encoding="utf-8").read()
    text = re.sub(r"\\f[BIRP]", "", source).replace("\\-", "-")
    for command in COMMANDS:
        name = " ".join(command)
        if not re.search(r"^\.B " + re.escape(name) + r"\b", source, re.MULTILINE):
            problems.append(f"command {name} has no entry")
        help_text = subprocess.run([binary, *command, "--help"], capture_output=True, text=True,
                                   check=True).stdout
        for flag in re.findall(r"^  (?:-\w,)?(--[a-z-]+)", help_text, re.MULTILINE):
            if flag != "--help" and not re.search(re.escape(flag) + r"\b", text):
                problems.append(f"{name} {flag} is not in the manual page")
    for problem in problems:
        print(problem)
    print("check_man_page: " + ("FAIL" if problems else "OK"))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
