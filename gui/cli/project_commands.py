"""``init``, ``import`` and ``stats``: make a project, fill it, and see where it stands."""

from __future__ import annotations

import argparse
import json
import sys

from gui.cli.progress import progress_bar
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.formats.importer import import_files


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="create a project")
    p.add_argument("project", help="the project file to create")
    p.add_argument("--schema", help="schema TOML (default: the Russia–Cuba schema)")
    p.set_defaults(func=run_init)

    p = sub.add_parser("import", help="import documents, and the annotations they carry")
    p.add_argument("project")
    p.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help=".txt, saved web pages (.html, .htm), .jsonl (native, Prodigy, doccano) or .csv "
        "files, or folders of them",
    )
    p.add_argument("--annotator", help="annotator for records that carry annotations but no name")
    p.add_argument(
        "--skip-invalid",
        action="store_true",
        help="import the good records and report each bad one",
    )
    p.add_argument(
        "--clean",
        action="store_true",
        help="drop page chrome from .txt articles: menus, share buttons, image credits, "
        "'Read more' links, footers (see docs/formats.md)",
    )
    p.set_defaults(func=run_import)

    p = sub.add_parser("stats", help="counts and progress")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--effort", action="store_true",
                   help="also what correcting the pre-fill cost: suggestions accepted, changed, "
                   "deleted and added by hand, per annotator, label, target and week")
    p.set_defaults(func=run_stats)


def run_init(args: argparse.Namespace) -> int:
    schema = load_schema(args.schema)
    with Project.create(args.project, schema) as project:
        print(
            f"created {project.path} with schema {schema.name!r} "
            f"({len(schema.labels)} labels, {len(schema.targets)} stance targets)"
        )
    return 0


def run_import(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project, progress_bar("importing") as progress:
        report = import_files(
            project,
            args.files,
            annotator=args.annotator,
            skip_invalid=args.skip_invalid,
            clean=args.clean,
            progress=progress,
        )
    for line in report.notes:
        print(f"note: {line}", file=sys.stderr)
    for line in report.skipped:
        print(f"skipped: {line}", file=sys.stderr)
    print(f"imported {report.files} file{'s' * (report.files != 1)}: {report.summary()}")
    return 0


def run_stats(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        stats = project.stats()
        if args.effort:
            from gui.review.effort import compute_effort

            stats["effort"] = compute_effort(project).to_json()
    if args.json:
        print(json.dumps(stats, ensure_ascii=False, indent=2))
        return 0
    print(f"{stats['project']}  ({stats['schema']})")
    print(
        f"documents: {stats['documents']}   pre-filled: {stats['prefilled_documents']}   "
        f"gold done: {stats['gold_done']}"
    )
    if not stats["annotators"]:
        print("no annotator has started yet")
    for name, counts in stats["per_annotator"].items():
        done = counts["done"]
        share = f"{100 * done / stats['documents']:.0f}%" if stats["documents"] else "-"
        rest = ", ".join(f"{k.replace('_', ' ')} {v}" for k, v in counts.items() if k != "done")
        print(f"  {name}: {done} done ({share}); {rest}")
    if args.effort:
        from gui.review.effort import format_effort

        print()
        print(format_effort(stats["effort"]))
    return 0
