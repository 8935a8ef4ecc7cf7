"""`xiaoneng extract-plan FILE... [--out DIR | --json]`: plans to SCHEMA.md JSON files.

Needs nothing but the package: no database, no network. Exit status 0 when every file
was read, 1 when some could not be (each reason printed), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from . import extract_plan
from .errors import PlanReadError
from .readers import MAX_FILE_BYTES


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="xiaoneng extract-plan",
        description="Extract headings, schedule and targets from work plans (.txt, .docx, .pdf).",
    )
    parser.add_argument("files", nargs="+", metavar="FILE", help="plan files to read")
    target = parser.add_mutually_exclusive_group()
    target.add_argument("--out", metavar="DIR", help="write NAME.json per input file into DIR")
    target.add_argument("--json", action="store_true", help="print the answer(s) as JSON to standard output")
    parser.add_argument(
        "--max-mb",
        type=int,
        default=MAX_FILE_BYTES // (1024 * 1024),
        help="size limit per file in MB (default %(default)s)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(sys.argv[1:] if argv is None else argv)
    out_dir = Path(args.out) if args.out else None
    if out_dir is not None:
        out_dir.mkdir(parents=True, exist_ok=True)
    failures = 0
    for name in args.files:
        path = Path(name)
        try:
            answer = extract_plan(path, max_bytes=args.max_mb * 1024 * 1024)
        except PlanReadError as error:
            failures += 1
            print(f"{name}: {error.message} ({error.message_en}) [{error.code}]", file=sys.stderr)
            continue
        if out_dir is not None:
            destination = out_dir / (path.stem + ".json")
            destination.write_text(json.dumps(answer, ensure_ascii=False, indent=1), encoding="utf-8")
            print(
                f"{name} -> {destination}: {len(answer['headings'])} headings, "
                f"{len(answer['schedule'])} schedule items, {len(answer['targets'])} targets"
            )
        elif args.json:
            indent = 1 if len(args.files) == 1 else None
            print(json.dumps(answer, ensure_ascii=False, indent=indent))
        else:
            print(
                f"{name}: {answer['title'] or '(no title)'}; {len(answer['headings'])} headings, "
                f"{len(answer['schedule'])} schedule items, {len(answer['targets'])} targets"
            )
    return 1 if failures else 0
