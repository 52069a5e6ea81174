"""``export``: write the dataset as native JSONL, Prodigy, doccano, spaCy, CoNLL or CSV."""

from __future__ import annotations

import argparse
import sys

from gui.cli.progress import progress_bar
from gui.core.store import Project
from gui.formats.export import FORMATS, export_project, format_for_path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "export", help="write the dataset (JSONL, Prodigy, doccano, spaCy, CoNLL, CSV)",
        description="Write annotations to a file, or to standard output for the text formats. "
        "By default every annotator's sets, one record per document and annotator.",
    )
    p.add_argument("project")
    p.add_argument("-o", "--output", metavar="FILE",
                   help="file to write (default: standard output). --format spacy needs it: "
                   "a .spacy file, or any other name for a folder of .spacy parts")
    p.add_argument("--format", choices=list(FORMATS), dest="fmt",
                   help="output format (default: from the -o suffix .spacy/.conll/.iob/.csv, "
                   "else jsonl): " + "; ".join(f"{k} = {v}" for k, v in FORMATS.items()))
    who = p.add_mutually_exclusive_group()
    who.add_argument("--annotator", metavar="NAME", help="only this annotator's sets")
    who.add_argument("--gold", action="store_true", help="the adjudicated gold set")
    who.add_argument("--prefill", action="store_true", help="the machine suggestions themselves")
    p.add_argument("--status", action="append", metavar="S",
                   help="only sets with this status (todo, in_progress, done, skipped, flagged); "
                   "repeat or separate with commas")
    p.add_argument("--include-empty", action="store_true",
                   help="also write documents without an annotation, as text-only records")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p.set_defaults(func=run_export)


def run_export(args: argparse.Namespace) -> int:
    statuses = (
        {s.strip() for given in args.status for s in given.split(",") if s.strip()}
        if args.status else None
    )
    fmt = args.fmt or format_for_path(args.output)
    to_stdout = args.output in (None, "-")
    with Project.open(args.project) as project, progress_bar("exporting", unit="doc") as progress:
        report = export_project(
            project, args.output, fmt=fmt, annotator=args.annotator, gold=args.gold,
            prefill=args.prefill, statuses=statuses, include_empty=args.include_empty,
            force=args.force, progress=progress,
        )
    print(report.summary(), file=sys.stderr if to_stdout else sys.stdout)
    return 0
