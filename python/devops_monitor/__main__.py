"""python3 -m devops_monitor --check [--json] [--report-dir DIR]: the command's check.

The same settings (config file, ./.env), output (the library's renderers) and exit status
(0 healthy, 1 warning, 2 critical, 3 could not run) as ``devops-monitor --check``.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import List, Optional

from . import _devops_monitor as _engine

_CANNOT_RUN = 3


def _say(line: str) -> None:
    sys.stderr.write("devops-monitor: " + _engine.printable(line) + "\n")


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m devops_monitor",
        description="Check API keys and system health (devops-monitor's check).",
    )
    parser.add_argument("--check", action="store_true", help="run a health check (the default)")
    parser.add_argument("--json", action="store_true", help="print the report JSON on stdout, nothing else")
    parser.add_argument("--report-dir", metavar="DIR", help="where reports go (default ./monitoring_reports)")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:
        # argparse exits 2 on a bad flag; the command's "could not run" is 3.
        return 0 if exit_.code == 0 else _CANNOT_RUN
    try:
        settings, warnings = _engine.load_settings()
        for warning in warnings:
            _say("warning: " + warning)
        if args.report_dir is not None:
            settings.report_dir = args.report_dir
        report_json, notes = _engine.perform_health_check(settings)
    except _engine.DevOpsMonitorError as error:
        _say(str(error))
        return _CANNOT_RUN
    for warning in notes["warnings"]:
        _say("warning: " + warning)
    no_color = os.environ.get("NO_COLOR", "")
    text = _engine.render(
        report_json,
        "json" if args.json else "human",
        report_path=notes["report_file"],
        save_error=notes["keep_error"],
        pruned_reports=len(notes["pruned_reports"]),
        color=sys.stdout.isatty() and not no_color,
    )
    sys.stdout.write(text)
    sys.stdout.flush()
    if notes["keep_error"]:
        _say("report not saved: " + notes["keep_error"])
    import json

    return _engine.exit_code(json.loads(report_json)["status"])


if __name__ == "__main__":
    sys.exit(main())
