"""What correcting costs: suggestions accepted, changed, deleted, and annotations added by hand.

Counted from ``corrections.read_corrections`` (each finished set against its pre-fill), per
annotator, per entity label and stance target, per document, and per day and ISO week of the
time the annotator last worked on the set, so a team sees whether the pre-fill improves
(fewer corrections per document week by week) and who accepts everything.
``marginalia stats PROJECT --effort`` prints it; the dashboard draws it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from gui.core.store import Project
from gui.review.corrections import (
    ACCEPTED,
    ADDED,
    CHANGES,
    DELETED,
    HOLDER,
    OUTCOMES,
    SetCorrections,
    read_corrections,
)

# An annotator who keeps nearly every suggestion over enough of them is worth a second look.
ACCEPT_ALL_SHARE = 0.95
ACCEPT_ALL_MINIMUM = 20
MOST_CORRECTED_SHOWN = 10


@dataclass
class Tally:
    """How often each outcome happened."""

    counts: Counter = field(default_factory=Counter)

    def add(self, found: SetCorrections) -> None:
        self.counts.update(found.kinds)

    @property
    def suggestions(self) -> int:
        return sum(self.counts[k] for k in OUTCOMES if k != ADDED)

    @property
    def corrections(self) -> int:
        return sum(self.counts[k] for k in CHANGES)

    @property
    def accepted_share(self) -> float | None:
        """Share of the suggestions kept exactly as they were."""
        return self.counts[ACCEPTED] / self.suggestions if self.suggestions else None

    def to_json(self, *, holders: bool = True) -> dict[str, Any]:
        kinds = [k for k in OUTCOMES if holders or k != HOLDER]
        share = self.accepted_share
        return {
            "suggestions": self.suggestions,
            **{k: self.counts[k] for k in kinds},
            "corrections": self.corrections,
            "accepted_share": None if share is None else round(share, 4),
        }


def _grouped(sets: list[SetCorrections], layer: str) -> dict[str, Any]:
    """Tallies of one layer overall, per annotator, per label (target), and both."""
    single = "entity" if layer == "entity" else "stance"
    counts = Counter(
        (found.annotator, outcome.group, outcome.kind)
        for found in sets
        for outcome in (found.entity_outcomes if layer == "entity" else found.stance_outcomes)
    )
    for found in sets:
        for item, n in found.accepted(single).items():
            counts[(found.annotator, item[2], ACCEPTED)] += n
    total = Tally()
    per_annotator: dict[str, Tally] = defaultdict(Tally)
    per_group: dict[str, Tally] = defaultdict(Tally)
    per_both: dict[str, dict[str, Tally]] = defaultdict(lambda: defaultdict(Tally))
    for (annotator, group, kind), n in counts.items():
        for tally in (total, per_annotator[annotator], per_group[group],
                      per_both[annotator][group]):
            tally.counts[kind] += n
    holders = layer == "stance"
    name = "per_label" if layer == "entity" else "per_target"
    return {
        "total": total.to_json(holders=holders),
        "per_annotator": {a: t.to_json(holders=holders) for a, t in sorted(per_annotator.items())},
        name: {g: t.to_json(holders=holders) for g, t in sorted(per_group.items())},
        f"per_annotator_{name[4:]}": {
            a: {g: t.to_json(holders=holders) for g, t in sorted(groups.items())}
            for a, groups in sorted(per_both.items())
        },
    }


def _week(day: str) -> str:
    year, week, _ = date.fromisoformat(day).isocalendar()
    return f"{year}-W{week:02d}"


def _periods(sets: list[SetCorrections],
             period_of: Callable[[str], str]) -> list[dict[str, Any]]:
    """Sets grouped by ``period_of(day)`` (the UTC day the annotator last changed the set):
    corrections per document over time, per annotator."""
    by_period: dict[str, dict[str, list[SetCorrections]]] = defaultdict(lambda: defaultdict(list))
    for found in sets:
        by_period[period_of(found.at[:10])][found.annotator].append(found)
    rows = []
    for period, by_annotator in sorted(by_period.items()):
        everyone = [s for group in by_annotator.values() for s in group]
        rows.append({"period": period, **_period_figures(everyone), "per_annotator": {
            name: _period_figures(group) for name, group in sorted(by_annotator.items())}})
    return rows


def _period_figures(sets: list[SetCorrections]) -> dict[str, Any]:
    tally = Tally()
    for found in sets:
        tally.add(found)
    share = tally.accepted_share
    return {
        "documents": len(sets),
        "suggestions": tally.suggestions,
        "corrections": tally.corrections,
        "corrections_per_document": round(tally.corrections / len(sets), 3),
        "accepted_share": None if share is None else round(share, 4),
    }


@dataclass
class EffortReport:
    """The finished sets against their pre-fill, and the titles their documents are named by."""

    sets: list[SetCorrections]
    titles: dict[int, str]

    def per_annotator(self) -> dict[str, Tally]:
        tallies: dict[str, Tally] = defaultdict(Tally)
        for found in self.sets:
            tallies[found.annotator].add(found)
        return dict(sorted(tallies.items()))

    def warnings(self) -> list[str]:
        notes = []
        for name, tally in self.per_annotator().items():
            share = tally.accepted_share
            if (share is not None and share >= ACCEPT_ALL_SHARE
                    and tally.suggestions >= ACCEPT_ALL_MINIMUM):
                notes.append(
                    f"{name} kept {share:.0%} of {tally.suggestions} suggestions unchanged and "
                    f"added {tally.counts[ADDED]} by hand: check their sets against the others'")
        return notes

    def most_corrected(self) -> list[dict[str, Any]]:
        """Documents by mean corrections per annotator who finished them, most first."""
        per_document: dict[int, list[int]] = defaultdict(list)
        for found in self.sets:
            per_document[found.document_id].append(found.corrections)
        ranked = sorted(per_document.items(),
                        key=lambda item: (-sum(item[1]) / len(item[1]), item[0]))
        return [{"document": doc, "title": self.titles.get(doc, ""), "annotators": len(counts),
                 "corrections_per_annotator": round(sum(counts) / len(counts), 3)}
                for doc, counts in ranked[:MOST_CORRECTED_SHOWN]]

    def to_json(self) -> dict[str, Any]:
        """The ``effort`` object of ``marginalia stats --effort --json`` (docs/review.md)."""
        return {
            "sets": len(self.sets),
            "per_annotator": {name: {"documents": sum(s.annotator == name for s in self.sets),
                                     **tally.to_json()}
                              for name, tally in self.per_annotator().items()},
            "entities": _grouped(self.sets, "entity"),
            "stances": _grouped(self.sets, "stance"),
            "per_document": [
                {"document": s.document_id, "annotator": s.annotator, "at": s.at,
                 "suggestions": sum(n for kind, n in s.kinds.items() if kind != ADDED),
                 "corrections": s.corrections}
                for s in self.sets
            ],
            "most_corrected": self.most_corrected(),
            "per_day": _periods(self.sets, lambda day: day),
            "per_week": _periods(self.sets, _week),
            "warnings": self.warnings(),
        }


def compute_effort(project: Project,
                   corrections: list[SetCorrections] | None = None) -> EffortReport:
    """The effort report; ``corrections`` when the caller has read them already."""
    sets = read_corrections(project) if corrections is None else corrections
    wanted = sorted({s.document_id for s in sets})
    titles: dict[int, str] = {}
    for i in range(0, len(wanted), 500):
        chunk = wanted[i:i + 500]
        titles.update(project.conn.execute(
            f"SELECT id, title FROM documents WHERE id IN ({','.join('?' * len(chunk))})",
            chunk).fetchall())
    return EffortReport(sets, titles)


def format_effort(data: dict[str, Any]) -> str:
    """The effort report for people: one line per annotator, label and target."""
    lines = [f"Correcting the pre-fill ({data['sets']} finished sets)"]
    if not data["sets"]:
        lines.append("  no annotator has finished a pre-filled document yet")
        return "\n".join(lines)
    head = (f"  {'':24} {'sugg.':>6} {'kept':>6} {'relab.':>6} {'holder':>6} {'resized':>7} "
            f"{'deleted':>7} {'added':>6} {'kept %':>6}")

    def row(name: str, t: dict[str, Any]) -> str:
        share = "-" if t["accepted_share"] is None else f"{t['accepted_share']:.0%}"
        return (f"  {name[:24]:24} {t['suggestions']:6} {t[ACCEPTED]:6} {t['relabelled']:6} "
                f"{t.get(HOLDER, ''):>6} {t['resized']:7} "
                f"{t[DELETED]:7} {t[ADDED]:6} {share:>6}")

    lines += ["", "Per annotator (entities and stances)", head]
    lines += [row(name, t) for name, t in data["per_annotator"].items()]
    lines += ["", "Entities per label", head]
    lines += [row(label, t) for label, t in data["entities"]["per_label"].items()]
    lines += ["", "Stances per target", head]
    lines += [row(target, t) for target, t in data["stances"]["per_target"].items()]
    lines += ["", "Corrections per document, by week"]
    lines += [f"  {p['period']}  {p['documents']:5} documents  "
              f"{p['corrections_per_document']:7.2f} per document" for p in data["per_week"]]
    lines += ["", "Documents that needed the most corrections"]
    lines += [f"  {d['corrections_per_annotator']:7.2f}  #{d['document']}  {d['title']}"
              for d in data["most_corrected"]]
    if data["warnings"]:
        lines += ["", "Warnings:"] + [f"  {w}" for w in data["warnings"]]
    return "\n".join(lines)
