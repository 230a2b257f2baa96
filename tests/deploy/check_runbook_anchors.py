#!/usr/bin/env python3
"""check_runbook_anchors.py RULES_FILE DOC_FILE

Fails when a runbook_url's #anchor in RULES_FILE is not a heading of DOC_FILE (GitHub's
anchor: lower case, punctuation dropped, spaces to dashes): an on-call engineer following
the link from a page would land at the top of a long page instead of the alert's runbook.
DOC_FILE is docs/deployment.md, and each runbook_url must name that file (its last two path
components) before the anchor.
"""
import os
import re
import sys


def anchor(heading):
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def main(argv):
    if len(argv) != 3:
        sys.exit(__doc__)
    with open(argv[1], encoding="utf-8") as f:
        urls = re.findall(r"runbook_url:\s*\"?([^\"#\s]*)#([\w-]+)", f.read())
    doc_path = "/".join(os.path.normpath(argv[2]).split(os.sep)[-2:])
    wrong_file = [u for u, _ in urls if not u.endswith("/" + doc_path)]
    for u in wrong_file:
        print(f"check_runbook_anchors: {argv[1]}: {u} is not {doc_path}")
    wanted = [a for _, a in urls]
    with open(argv[2], encoding="utf-8") as f:
        have = {anchor(m) for m in re.findall(r"^#+\s+(.*)$", f.read(), re.M)}
    missing = [a for a in wanted if a not in have]
    for a in missing:
        print(f"check_runbook_anchors: {argv[1]}: #{a} is not a heading of {argv[2]}")
    if not wanted:
        print(f"check_runbook_anchors: {argv[1]}: no runbook_url found")
        return 1
    if missing or wrong_file:
        return 1
    print(f"check_runbook_anchors: OK, {len(wanted)} runbook anchors")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
