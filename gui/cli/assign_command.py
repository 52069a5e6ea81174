"""``assign``: share a project's documents among annotators (rules in gui/core/assignment.py).

A request that cannot be met whatever the project holds (names, overlap, per-document against
the team) is a usage error, exit 2; a document the project lacks is bad input, exit 1. Either
way nothing is written.
"""

from __future__ import annotations

import argparse
import json
import sys

from gui.core import assignment
from gui.core.store import Project

_MOST = 10_000_000


def _documents(text: str) -> tuple[int, ...]:
    """``1,2,10-20``: ids and inclusive ranges."""
    ids: list[int] = []
    try:
        for part in filter(None, (p.strip() for p in text.split(","))):
            first, _, last = part.partition("-")
            span = range(int(first), int(last or first) + 1)
            if len(span) > _MOST:  # a typo's billion ids would fill the memory first
                raise argparse.ArgumentTypeError(f"{part} names more than {_MOST:,} documents")
            ids.extend(span)
    except ValueError:
        raise argparse.ArgumentTypeError(f"document ids like 1,2,10-20, not {text!r}") from None
    return tuple(dict.fromkeys(ids))


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "assign", help="share documents among annotators, a fraction to several for agreement",
        description="Give each document to --per-document annotators and a share (--overlap) "
        "to one more. Documents already assigned keep their annotators; started work is never "
        "taken away (see docs/team.md).")
    p.add_argument("project")
    p.add_argument("--annotators", required=True, metavar="A,B,…",
                   help="the team, comma-separated")
    p.add_argument("--per-document", type=int, default=1, metavar="K",
                   help="annotators per document (default 1)")
    p.add_argument("--overlap", type=float, default=0.0, metavar="F",
                   help="share of documents given to one more annotator, 0 to 1 (default 0)")
    p.add_argument("--seed", type=int, default=0, help="breaks ties; same seed, same result")
    p.add_argument("--documents", type=_documents, metavar="IDS",
                   help="only these documents, e.g. 1,2,10-20 (default: all)")
    p.add_argument("--dry-run", action="store_true", help="show the result, change nothing")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(func=run_assign)


def run_assign(args: argparse.Namespace) -> int:
    try:
        request = assignment.Request(
            tuple(n for n in args.annotators.split(",") if n.strip()),
            per_document=args.per_document, overlap=args.overlap, seed=args.seed,
            documents=args.documents)
    except assignment.AssignmentError as exc:
        print(f"marginalia assign: {exc.reason}", file=sys.stderr)
        return 2
    with Project.open(args.project) as project:
        the_plan = assignment.plan(project, request)
        if not args.dry_run and the_plan.changes:
            assignment.apply(project, the_plan)
    if args.json:
        print(json.dumps({"applied": not args.dry_run and the_plan.changes,
                          "added": len(the_plan.add), "removed": len(the_plan.remove),
                          "annotators": [load.to_json() for load in the_plan.loads]},
                         ensure_ascii=False, indent=2))
        return 0
    print(_table(the_plan.loads))
    verb = "would assign" if args.dry_run else "assigned"
    moved = f", {len(the_plan.remove)} unstarted moved" if the_plan.remove else ""
    print(f"{verb} {len(the_plan.add)} new{moved}" if the_plan.changes
          else "nothing to change: every document in scope is assigned")
    return 0


def _table(loads: list[assignment.Load]) -> str:
    head = ("annotator", "assigned", "shared", "done", "new")
    rows = [(f"{load.annotator}{'' if load.in_team else ' (not in team)'}", str(load.assigned),
             str(load.shared), str(load.done), f"+{load.added}" if load.added else
             (f"-{load.removed}" if load.removed else "")) for load in loads]
    widths = [max(len(r[i]) for r in (head, *rows)) for i in range(len(head))]
    lines = []
    for row in (head, *rows):
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:],
                                                                         strict=True)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
