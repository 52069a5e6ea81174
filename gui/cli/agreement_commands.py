"""``agreement``, ``merge`` and ``role``: several annotators' work measured and brought together."""

from __future__ import annotations

import argparse
import json
from typing import Any

from gui.cli.progress import progress_bar
from gui.core.errors import MarginaliaError
from gui.core.store import GOLD, Project

ROLES = ("annotator", "reviewer")


class RoleError(MarginaliaError):
    """An unknown role or a name that cannot take one."""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("agreement", help="agreement figures and the most disputed documents")
    p.add_argument("project")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.add_argument("--draws", type=_count, default=1000, metavar="N",
                   help="bootstrap draws for the 95%% intervals (default 1000; 0 skips them)")
    p.add_argument("--seed", type=int, default=0, metavar="N",
                   help="the bootstrap's random seed (default 0)")
    p.set_defaults(func=run_agreement)

    p = sub.add_parser("merge", help="bring annotators' project files together")
    p.add_argument("project", help="the project to merge into")
    p.add_argument("others", nargs="+", metavar="OTHER", help="project files to bring in")
    p.set_defaults(func=run_merge)

    p = sub.add_parser("role", help="show roles, or make someone a reviewer or annotator")
    p.add_argument("project")
    p.add_argument("name", nargs="?", help="annotator name (none: list everyone's role)")
    p.add_argument("role", nargs="?", choices=ROLES, help="the role to give NAME")
    p.set_defaults(func=run_role)


def _count(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be 0 or more, got {value}")
    return value


def run_agreement(args: argparse.Namespace) -> int:
    """Point estimates first; the intervals once the bootstrap has run (in --json, one
    object with everything)."""
    with Project.open(args.project) as project, progress_bar("comparing", "doc") as progress:
        from gui.review.agreement import compute_agreement  # spaCy: only when asked for
        from gui.review.anchoring import compute_anchoring

        report = compute_agreement(project, progress=progress)
        anchoring = compute_anchoring(project)
    if not args.json:
        print(format_table({**report.to_json(), "anchoring": anchoring}), flush=True)
    if args.draws:
        with progress_bar("bootstrap", "draw") as progress:
            report.bootstrap(draws=args.draws, seed=args.seed, progress=progress)
    data = {**report.to_json(), "anchoring": anchoring}
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
    elif args.draws:
        print(format_intervals(data))
    return 0


def _fmt(value: float | None) -> str:
    return "  -  " if value is None else f"{value:5.3f}"


def format_table(data: dict[str, Any]) -> str:
    """The agreement report for people: aligned figures, reasons where a figure is missing."""
    done = data["documents"]
    lines = [f"{done} document{'' if done == 1 else 's'} done by two or more of: "
             f"{', '.join(data['annotators']) or 'nobody'}"]
    if data.get("reason"):
        lines.append(f"  ({data['reason']})")
    stance = data["stance"]
    lines += ["", f"Stance per sentence ({stance['units']} units: sentence x target)",
              f"  {'':32} {'units':>5}  {'alpha':>5}  {'ordinal':>7}"]
    rows = [("all targets", stance), *stance["per_target"].items()]
    for name, figs in rows:
        lines.append(f"  {name[:32]:32} {figs['units']:5}  {_fmt(figs['alpha_nominal'])}  "
                     f"{_fmt(figs['alpha_ordinal']):>7}")
    if stance["cohen_kappa"]:
        lines.append("  Cohen's kappa by pair:")
        lines += [f"    {pair:30} {_fmt(v)}" for pair, v in stance["cohen_kappa"].items()]
    entities = data["entities"]
    lines += ["", "Entities (exact match)",
              f"  F1 micro {_fmt(entities['f1'])}    token alpha {_fmt(entities['alpha_token'])}"]
    lines += [f"    {label:28} {_fmt(v)}" for label, v in entities["per_label"].items()
              if v is not None]
    if entities["pairwise_f1"]:
        lines.append("  F1 by pair:")
        lines += [f"    {pair:30} {_fmt(v)}" for pair, v in entities["pairwise_f1"].items()]
    reasons = {**{f"stance {k}": v for k, v in stance["reasons"].items()},
               **{f"entities {k}": v for k, v in entities["reasons"].items()
                  if not k.startswith("per_label")}}
    if reasons:
        lines += ["", "Not computed:"]
        lines += [f"  {what}: {why}" for what, why in reasons.items()]
    lines += _new_figures(data)
    lines += ["", "Most disputed documents:"]
    if not data["disputed"]:
        lines.append("  none")
    for d in data["disputed"]:
        count = d["disagreements"]
        lines.append(f"  {d['score']:5.2f}  #{d['document']}  {d['title']}  "
                     f"({count} disagreement{'s' * (count != 1)})")
    if "anchoring" in data:
        from gui.review.anchoring import format_anchoring

        lines += ["", format_anchoring(data["anchoring"])]
    return "\n".join(lines)


def _fig(fig: dict[str, Any]) -> str:
    return _fmt(fig["value"])


def _new_figures(data: dict[str, Any]) -> list[str]:
    """Frames, partial credit, multi-rater coefficients and the warnings (issue 14)."""
    frames, partial, multi = data["stance_frames"], data["entity_partial"], data["multi_rater"]
    lines = ["", f"Stance frames ({frames['matched']} matched, {frames['unmatched']} unmatched: "
                 "same target, overlapping evidence)",
             f"  frame F1 {_fig(frames['frame_f1'])}    polarity alpha "
             f"{_fig(frames['polarity_alpha_nominal'])}  ordinal "
             f"{_fig(frames['polarity_alpha_ordinal'])}  kappa {_fig(frames['polarity_kappa'])}",
             f"  holder agreement {_fig(frames['holder_agreement'])}    evidence overlap "
             f"{_fig(frames['evidence_overlap'])}"]
    if frames["per_pair"]:
        lines.append(f"  {'by pair':30} {'F1':>5}  {'kappa':>5}  {'holder':>6}")
        lines += [f"    {pair:28} {_fig(f['frame_f1'])}  {_fig(f['polarity_kappa'])}  "
                  f"{_fig(f['holder_agreement']):>6}" for pair, f in frames["per_pair"].items()]
    lines += ["", "Entities with partial credit",
              f"  overlap F1 {_fig(partial['overlap_f1'])}    token Dice "
              f"{_fig(partial['token_dice'])}    unitizing alpha {_fig(partial['alpha_u'])}",
              "", "More than two annotators (sentence units)",
              f"  Fleiss' kappa {_fig(multi['fleiss_kappa'])}    Gwet's AC1 "
              f"{_fig(multi['gwet_ac1'])}    AC2 (ordinal) {_fig(multi['gwet_ac2'])}"]
    if data["warnings"]:
        lines += ["", "Warnings:"] + [f"  {warning}" for warning in data["warnings"]]
    return lines


def format_intervals(data: dict[str, Any]) -> str:
    """The 95% intervals of the headline figures, printed once the bootstrap is done."""
    settings = data["bootstrap"]
    lines = ["", f"95% intervals ({settings['draws']:,} bootstrap draws over documents, "
             f"seed {settings['seed']}):"]
    rows = [(name, _value_at(data, name), interval)
            for name, interval in data["intervals"].items()]
    rows += [(f"stance_frames.{name}", data["stance_frames"][name]["value"],
              data["stance_frames"][name]["ci"])
             for name in ("frame_f1", "polarity_alpha_nominal", "holder_agreement")]
    rows += [(f"entity_partial.{name}", data["entity_partial"][name]["value"],
              data["entity_partial"][name]["ci"]) for name in ("overlap_f1", "alpha_u")]
    rows += [(f"multi_rater.{name}", fig["value"], fig["ci"])
             for name, fig in data["multi_rater"].items()]
    for name, value, interval in rows:
        shown = f"[{interval[0]:6.3f}, {interval[1]:6.3f}]" if interval else "  -"
        lines.append(f"  {name:38} {_fmt(value)}  {shown}")
    return "\n".join(lines)


def _value_at(data: dict[str, Any], dotted: str) -> float | None:
    section, name = dotted.split(".")
    return data[section][name]


def run_merge(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project, progress_bar("merging", "set") as progress:
        from gui.review.merge import merge_projects

        report = merge_projects(project, args.others, progress=progress)
    for note in report.notes:
        print(f"note: {note}")
    print(report.summary())
    return 0


def run_role(args: argparse.Namespace) -> int:
    with Project.open(args.project) as project:
        if args.name is None:
            for name, role in project.conn.execute(
                "SELECT name, role FROM annotators WHERE name != ? ORDER BY name", (GOLD,)
            ):
                print(f"{name}\t{role}")
            return 0
        if args.name == GOLD:
            raise RoleError(f"{GOLD} is the gold set itself, not a person")
        if args.role is None:
            role = project.annotator_role(args.name)
            if role is None:
                raise RoleError(f"{args.name} has no annotations or role in this project",
                                path=args.project)
            print(f"{args.name}\t{role}")
            return 0
        with project.transaction():
            name = project.ensure_annotator(args.name, args.role)
            project.set_role(name, args.role)
            project.record(None, None, None, "set_role", {"name": name, "role": args.role})
        print(f"{name} is now {'a' if args.role == 'reviewer' else 'an'} {args.role}")
    return 0
