"""``train``: learn from corrections; show, use or remove the trained versions."""

from __future__ import annotations

import argparse
import json
import sys

from gui.cli.progress import progress_bar
from gui.core.store import Project


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "train",
        help="train the project's pipeline from finished annotation sets",
        description="Fine-tune the entity recognizer and train a stance classifier and holder "
        "scorer on the finished sets, keeping a fifth of the documents aside; print P/R/F1 on "
        "those beside the current pre-fill's. The new version is used when it is better there "
        "(or with --use). Then 'marginalia prefill PROJECT --outdated' (Tools > Pre-fill in the "
        "window) gives its suggestions to the documents nobody has touched.",
    )
    p.add_argument("project")
    p.add_argument("--from", dest="source", choices=("gold", "done"),
                   help="learn from the reviewers' gold sets or from every set marked done "
                   "(default: gold when there is any, else done)")
    p.add_argument("--use", action="store_true",
                   help="use the new version even if it is not better on the held-out split")
    p.add_argument("--iterations", type=int, metavar="N",
                   help="passes over the training documents for the entity recognizer "
                   "(default: 6, fewer for hundreds of documents)")
    p.add_argument("--list", action="store_true", help="list the trained versions and stop")
    p.add_argument("--remove", nargs="?", const="current", metavar="vN",
                   help="delete a trained version (default: the one in use; pre-fill falls "
                   "back to the previous version, or to the installed pipeline and rules)")
    p.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    p.set_defaults(func=run_train)


def _version_number(text: str) -> int | None:
    if text == "current":
        return None
    digits = text[1:] if text.lower().startswith("v") else text
    if not digits.isdigit():
        raise argparse.ArgumentTypeError(f"--remove takes a version such as v3, not {text!r}")
    return int(digits)


def run_train(args: argparse.Namespace) -> int:
    from gui.nlp import models

    if args.iterations is not None and args.iterations < 1:
        print("marginalia train: error: --iterations must be at least 1", file=sys.stderr)
        return 2
    with Project.open(args.project) as project:
        if args.list:
            current = models.current_version(project)
            for version in models.versions(project):
                info = models.training_info(project, version)
                figures = info.get("figures", {}).get("trained", {})
                f1 = figures.get("entities", {}).get("all", {}).get("f1")
                stance = figures.get("stance", {}).get("all", {}).get("f1")
                mark = "*" if version == current else " "
                print(f"{mark} v{version}  {info.get('created_at', '')}  from {info['source']}, "
                      f"{len(info['train_documents'])} documents; held-out F1 entities {f1}, "
                      f"stance {stance}")
            return 0
        if args.remove is not None:
            try:
                number = _version_number(args.remove)
            except argparse.ArgumentTypeError as exc:
                print(f"marginalia train: error: {exc}", file=sys.stderr)
                return 2
            print(models.remove_version(project, number).summary())
            return 0
        from gui.nlp.train import train_project

        with progress_bar("training", unit="%") as progress:
            report = train_project(project, source=args.source, use=args.use,
                                   ner_iterations=args.iterations,
                                   progress=progress)
    if args.json:
        print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
        return 0
    print(report.table())
    print(report.summary())
    return 0
