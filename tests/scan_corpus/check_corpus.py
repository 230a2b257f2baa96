#!/usr/bin/env python3
"""Recall and precision of `devops-monitor scan` on a fresh corpus (make_corpus.py).

    check_corpus.py BINARY [--seed N] [--copies K]

Generates a corpus in a temporary directory (a random seed unless given; printed on failure
so the run can be replayed with --seed), runs the real binary `BINARY scan --json OUTDIR`,
and requires: every planted key found at its file and line with its rule, nothing reported
under negative/, and no planted key (nor a 12-character piece of one past what a finding may
show) in stdout or stderr. Exit status 0 on success, 1 with one line per problem otherwise.
"""

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_corpus  # noqa: E402

SHOWN_AFTER_PREFIX = 4  # a finding shows the literal prefix and at most 4 more characters


def leaked_pieces(key):
    """Pieces of `key` that no output may contain: the whole key, and 12-character windows
    from past what a redacted finding shows (the prefix is at most 15 characters)."""
    if key.startswith("-----BEGIN"):
        body = key.split("\n", 1)[1]
        return [body[i:i + 12] for i in range(0, 64, 12)]
    start = 16 + SHOWN_AFTER_PREFIX
    return [key] + [key[i:i + 12] for i in range(start, len(key) - 12, 12)]


def check(binary, seed, copies, tamper=None):
    """The problems found; `tamper(stdout, planted)`, when given, rewrites scan's stdout first
    (the self-test's way of proving each requirement can fail)."""
    problems = []
    with tempfile.TemporaryDirectory(prefix="scan-corpus-") as outdir:
        planted = make_corpus.generate(outdir, seed, copies)
        env = dict(os.environ, HOME=outdir, XDG_CONFIG_HOME=os.path.join(outdir, ".config"))
        run = subprocess.run([binary, "scan", "--json", outdir], cwd=outdir, env=env,
                             capture_output=True, text=True, timeout=120)
        if tamper is not None:
            run.stdout = tamper(run.stdout, planted)
        if run.returncode != 1:
            problems.append("exit status %d, expected 1 (keys found); stderr: %s" %
                            (run.returncode, run.stderr.strip()[:500]))
        for p in planted:
            for piece in leaked_pieces(p["key"]):
                if piece in run.stdout or piece in run.stderr:
                    problems.append("key text of %s (%s:%d) in the output" %
                                    (p["shape"], p["file"], p["line"]))
                    break
        try:
            findings = json.loads(run.stdout)["findings"]
        except (ValueError, KeyError) as error:
            return problems + ["stdout is not scan's JSON: %s" % error]
        def relative(name):  # findings name files as reached from the named path
            return name.removeprefix(outdir.rstrip("/") + "/")

        found = {(relative(f["file"]), f["line"], f["rule"]) for f in findings}
        for p in planted:
            if (p["file"], p["line"], p["rule"]) not in found:
                problems.append("missed %s (%s) at %s:%d" % (p["shape"], p["rule"], p["file"],
                                                             p["line"]))
        wanted = {(p["file"], p["line"], p["rule"]) for p in planted}
        for f in findings:
            name = relative(f["file"])
            if name.startswith("negative/"):
                problems.append("false finding %s at %s:%d (%s)" %
                                (f["rule"], name, f["line"], f["redacted"]))
            elif (name, f["line"], f["rule"]) not in wanted:
                # A second rule inside a key, or a key reported under another rule.
                problems.append("unexpected finding %s at %s:%d (%s)" %
                                (f["rule"], name, f["line"], f["redacted"]))
        if len(findings) > len(planted):
            problems.append("%d findings for %d planted keys" % (len(findings), len(planted)))
        expected_count = len(make_corpus.shapes()) * copies
        if len(planted) != expected_count:
            problems.append("planted %d keys, expected %d" % (len(planted), expected_count))
    return problems


def drop_rule(rule):
    def tamper(stdout, planted):
        doc = json.loads(stdout)
        doc["findings"] = [f for f in doc["findings"] if f["rule"] != rule]
        return json.dumps(doc)
    return tamper


def relabel(rule, as_rule):
    def tamper(stdout, planted):
        doc = json.loads(stdout)
        for f in doc["findings"]:
            if f["rule"] == rule:
                f["rule"] = as_rule
        return json.dumps(doc)
    return tamper


def report_in_negative(stdout, planted):
    doc = json.loads(stdout)
    first = doc["findings"][0]
    root = first["file"][:first["file"].index("/positive/") + 1]
    doc["findings"].append(dict(first, file=root + "negative/hashes.txt"))
    return json.dumps(doc)


def leak_a_key(stdout, planted):
    return stdout + planted[len(planted) // 2]["key"]


def self_test(binary, seed):
    """Each requirement fails when broken: a rule's findings dropped or reported under another
    rule, a finding under negative/, a key in the output."""
    cases = [("missed Groq", drop_rule("groq-api-key")),
             ("unexpected finding", relabel("deepseek-api-key", "moonshot-api-key")),
             ("missed DeepSeek", drop_rule("deepseek-api-key")),
             ("false finding", report_in_negative),
             ("key text of", leak_a_key)]
    failures = []
    for needle, tamper in cases:
        problems = check(binary, seed, 1, tamper)
        if not any(needle in p for p in problems):
            failures.append("a broken run did not fail with '%s': %s" % (needle, problems))
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("binary")
    parser.add_argument("--self-test", action="store_true",
                        help="prove that each requirement can fail, then exit")
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument("--copies", type=int, default=3)
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(2**32)
    if args.self_test:
        failures = self_test(os.path.abspath(args.binary), seed)
        for failure in failures:
            print("check_corpus: " + failure)
        print("check_corpus: self-test %s (seed %d)" % ("FAILED" if failures else "OK", seed))
        return 1 if failures else 0
    problems = check(os.path.abspath(args.binary), seed, args.copies)
    if problems:
        for problem in problems:
            print("check_corpus: " + problem)
        print("check_corpus: FAILED with seed %d (replay: %s %s --seed %d)" %
              (seed, sys.argv[0], args.binary, seed))
        return 1
    print("check_corpus: %d shapes x %d keys found, negative/ clean, no key text in the "
          "output (seed %d)" % (len(make_corpus.shapes()), args.copies, seed))
    return 0


if __name__ == "__main__":
    sys.exit(main())
