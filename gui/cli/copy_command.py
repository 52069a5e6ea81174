"""``copy``: a whole project between a file and a PostgreSQL server, either way, or an
annotator's part of it to take offline (brought back later with ``merge``)."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "copy", help="copy a project between a file and a server (ids and history included)"
    )
    p.add_argument("source", help="the project to copy: a file or a PostgreSQL address")
    p.add_argument("destination", help="a new file, or an empty PostgreSQL database")
    p.add_argument("--annotator", action="append", metavar="NAME",
                   help="only this annotator's sets (repeat for several)")
    p.add_argument("--documents", metavar="IDS", help="only these documents, e.g. 1,4,10-12")
    p.set_defaults(func=run_copy, parser=p)


def run_copy(args: argparse.Namespace) -> int:
    from gui.core.backend import project_location
    from gui.core.copy import copy_project, parse_documents
    from gui.core.store import Project

    try:
        documents = parse_documents(args.documents) if args.documents is not None else None
    except ValueError as exc:
        args.parser.error(f"--documents: {exc}")
    with Project.open(args.source) as source:
        report = copy_project(source, args.destination, annotators=args.annotator,
                              documents=documents)
        target = project_location(args.destination)
        print(f"copied {source.path} to {target}: {report.summary()}")
    return 0
