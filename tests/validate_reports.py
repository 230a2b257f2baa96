#!/usr/bin/env python3
"""Validates every JSON report the tests collected against the shipped JSON Schema.

Usage: validate_reports.py SCHEMA DIR
Fails when a report does not validate, when a file does not parse, or when DIR holds no
report at all (a validation that checked nothing must not pass).
"""
import json
import pathlib
import sys

import jsonschema


def main() -> int:
    schema_path, reports_dir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    schema = json.loads(schema_path.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.FormatChecker())
    reports = sorted(reports_dir.glob("*.json")) if reports_dir.is_dir() else []
    if not reports:
        print(f"no reports collected in {reports_dir}", file=sys.stderr)
        return 1
    failures = 0
    for path in reports:
        try:
            document = json.loads(path.read_text())
        except json.JSONDecodeError as error:
            print(f"{path}: does not parse: {error}", file=sys.stderr)
            failures += 1
            continue
        for error in validator.iter_errors(document):
            location = "/".join(str(p) for p in error.absolute_path) or "(root)"
            print(f"{path}: {location}: {error.message}", file=sys.stderr)
            failures += 1
    print(f"validated {len(reports)} reports, {failures} problems")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
