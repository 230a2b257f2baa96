#!/usr/bin/python3
"""Checks the project's GitHub workflows against the rules the schema cannot express.

action-validator proves a workflow is well-formed; this proves it is what we mean to ship:
  - least privilege: no top-level write permission; a job that writes says so itself, and
    `issues: write` only where a job runs `devops-monitor notify github`;
  - every job has a timeout, every workflow a concurrency group;
  - actions pinned to a major version, an exact version or a commit SHA, never a branch;
  - secrets and event fields never interpolated into a `run:` script (they go through env:);
  - every `devops-monitor` command line in a `run:` uses a subcommand and flags that the
    built binary's --help lists.

Usage: check_workflow_policy.py BINARY WORKFLOW...
       check_workflow_policy.py --self-test BINARY FIXTURE_DIR
  (each fixture's first line is `# expect: <rule>`; the self-test fails unless every
  fixture breaks exactly the rule it names, so the checks themselves can fail.)
"""
import re
import shlex
import subprocess
import sys

import yaml

PINNED = re.compile(r"^[\w.-]+/[\w./-]+@(v\d+(\.\d+)*|[0-9a-f]{40})$")


def help_text(binary, words):
    """--help of a (sub)command, or None when the binary has no such subcommand (CLI11 then
    prints the main help, whose usage line does not name it)."""
    out = subprocess.run([binary, *words, "--help"], capture_output=True, text=True, timeout=30)
    if out.returncode != 0:
        return None
    if words and not re.search(r"^Usage: .*\b" + re.escape(words[-1]) + r"\b", out.stdout, re.M):
        return None
    return out.stdout


def command_lines(script):
    """The devops-monitor invocations in a shell script, joined across backslash newlines."""
    script = script.replace("\\\n", " ")
    for line in script.splitlines():
        at = line.find("devops-monitor ")
        if at < 0 or line.lstrip().startswith("#"):
            continue
        rest = line[at + len("devops-monitor "):]
        rest = re.split(r"[|;&>]", rest)[0]
        try:
            yield shlex.split(rest)
        except ValueError:
            yield rest.split()


def check_command(binary, tokens, where):
    words = []
    for token in tokens:
        if token.startswith("-"):
            break
        words.append(token)
    # A subcommand is a word --help accepts; anything after it is a path argument.
    named = list(words)
    while words and help_text(binary, words) is None:
        words.pop()
    if named and not words:
        return [(where, "unknown-command", f"`devops-monitor {' '.join(named)}` is no command")]
    text = help_text(binary, words)
    if text is None:
        return [(where, "unknown-command", f"`devops-monitor {' '.join(tokens)}`: --help failed")]
    problems = []
    for token in tokens:
        if token.startswith("--"):
            flag = token.split("=")[0]
            if not re.search(re.escape(flag) + r"\b", text):
                problems.append((where, "unknown-flag",
                                 f"`devops-monitor {' '.join(words)}` has no {flag}"))
    return problems


def check_workflow(binary, path):
    with open(path, encoding="utf-8") as f:
        doc = yaml.safe_load(f)
    problems = []
    name = path
    top = doc.get("permissions")
    if top is None:
        problems.append((name, "missing-permissions", "no top-level permissions"))
    elif top == "write-all" or (isinstance(top, dict) and "write" in top.values()):
        problems.append((name, "top-level-write", "top-level permissions grant write"))
    if "concurrency" not in doc:
        problems.append((name, "missing-concurrency", "no concurrency group"))
    for job_id, job in (doc.get("jobs") or {}).items():
        where = f"{name}: job {job_id}"
        if "timeout-minutes" not in job:
            problems.append((where, "missing-timeout", "no timeout-minutes"))
        perms = job.get("permissions", {})
        if perms == "write-all":
            problems.append((where, "write-all", "permissions write-all"))
        scripts = [step.get("run", "") for step in job.get("steps", [])]
        notifies = any("devops-monitor notify github" in s for s in scripts)
        if isinstance(perms, dict) and perms.get("issues") == "write" and not notifies:
            problems.append((where, "needless-write", "issues: write without notify github"))
        if notifies and not (isinstance(perms, dict) and perms.get("issues") == "write"):
            problems.append((where, "missing-issues-write", "notify github without issues: write"))
        for step in job.get("steps", []):
            uses = step.get("uses")
            if uses and not PINNED.match(uses):
                problems.append((where, "unpinned-action", uses))
            script = step.get("run", "")
            if re.search(r"\$\{\{\s*(secrets\.|github\.event\.)", script):
                problems.append((where, "interpolated-secret", "secrets or event fields inside run:"))
            for tokens in command_lines(script):
                problems += check_command(binary, tokens, where)
    return problems


def self_test(binary, fixture_dir):
    import pathlib
    failures = []
    fixtures = sorted(pathlib.Path(fixture_dir).glob("*.yml"))
    if not fixtures:
        failures.append(f"no fixtures in {fixture_dir}")
    for fixture in fixtures:
        expected = fixture.read_text(encoding="utf-8").splitlines()[0].removeprefix("# expect: ")
        found = check_workflow(binary, str(fixture))
        rules = {rule for _, rule, _ in found}
        if rules != {expected}:
            failures.append(f"{fixture.name}: expected only {expected}, got {sorted(rules) or 'nothing'}")
    for failure in failures:
        print(failure)
    return 1 if failures else 0


def main(argv):
    if len(argv) >= 2 and argv[1] == "--self-test":
        return self_test(argv[2], argv[3])
    binary, paths = argv[1], argv[2:]
    problems = []
    for path in paths:
        problems += check_workflow(binary, path)
    for where, rule, detail in problems:
        print(f"{where}: {rule}: {detail}")
    print(f"{len(paths)} workflows checked, {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
