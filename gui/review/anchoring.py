"""Anchoring on suggestions: how far annotators' agreement is only the pre-fill, kept twice.

Pre-annotation is known to pull annotators towards the suggestions: two people who both keep
a wrong suggestion agree, and the agreement figures look better than the annotation is. So
the pre-fill is treated as one more rater against each annotator (entity exact and overlap
F1, stance frame F1 and polarity agreement on the frames both have), with the share of each
annotator's annotations that are suggestions kept unchanged; and each pair's agreement is
split into what both kept unchanged from the pre-fill and the rest, where their own judgement
shows. Only documents that were pre-filled count, from ``corrections.read_corrections``.
"""

from __future__ import annotations

import itertools
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from gui.core.store import Project
from gui.review.agreement import pair_key
from gui.review.coefficients import cohen_kappa
from gui.review.corrections import ACCEPTED, ADDED, RESIZED, SetCorrections, read_corrections

# A pair is warned about when their F1 reaches Krippendorff's floor for tentative conclusions
# but more than this share of what they agree on is suggestions both kept, and their F1 on
# everything else stays below that floor.
SHARE_WARNED = 0.5
REST_FLOOR = 0.667
MINIMUM_AGREED = 10  # fewer agreed annotations say too little either way
LAYERS = ("entities", "stances")


def _ratio(top: float, bottom: float) -> float | None:
    return round(top / bottom, 4) if bottom else None


def against_prefill(sets: list[SetCorrections]) -> dict[str, Any]:
    """One annotator's sets with the pre-fill as the other rater."""
    entity: Counter = Counter()
    kept_stances: Counter = Counter()  # suggestions kept unchanged: frames that agree fully
    for found in sets:
        entity.update(found.layer_kinds("entity"))
        kept_stances.update(found.stance_accepted)
    changed = [o for s in sets for o in s.stance_outcomes]
    entity_suggested = sum(n for kind, n in entity.items() if kind != ADDED)
    entity_kept = sum(len(s.entities) for s in sets)
    stance_suggested = kept_stances.total() + sum(o.suggested is not None for o in changed)
    stance_kept = sum(len(s.stances) for s in sets)
    frames = [(o.suggested[3], o.kept[3]) for o in changed
              if o.suggested is not None and o.kept is not None and o.suggested[2] == o.kept[2]]
    frames += [(item[3], item[3]) for item, n in kept_stances.items() for _ in range(n)]
    kappa = cohen_kappa([s for s, _ in frames], [k for _, k in frames])
    accepted = entity[ACCEPTED] + kept_stances.total()
    return {
        "documents": len(sets),
        "entity_exact_f1": _ratio(2 * entity[ACCEPTED], entity_suggested + entity_kept),
        "entity_overlap_f1": _ratio(2 * (entity[ACCEPTED] + entity[RESIZED]),
                                    entity_suggested + entity_kept),
        "stance_frame_f1": _ratio(2 * len(frames), stance_suggested + stance_kept),
        "polarity_agreement": _ratio(sum(s == k for s, k in frames), len(frames)),
        "polarity_kappa": None if kappa.value is None else round(kappa.value, 4),
        "accepted_share": _ratio(accepted, entity_kept + stance_kept),
        "entities_accepted_share": _ratio(entity[ACCEPTED], entity_kept),
        "stances_accepted_share": _ratio(kept_stances.total(), stance_kept),
    }


@dataclass
class _PairCounts:
    first: int = 0
    second: int = 0
    agreed: int = 0
    both_kept: int = 0  # agreed annotations that both kept unchanged from the pre-fill

    def add(self, a: SetCorrections, b: SetCorrections, layer: str) -> None:
        single = "entity" if layer == "entities" else "stance"
        items_a, items_b = a.held(single), b.held(single)
        self.first += items_a.total()
        self.second += items_b.total()
        self.agreed += (items_a & items_b).total()
        # what each kept unchanged is part of what they hold, so this is all agreed
        self.both_kept += (a.accepted(single) & b.accepted(single)).total()

    def to_json(self) -> dict[str, Any]:
        rest = self.agreed - self.both_kept
        return {
            "f1": _ratio(2 * self.agreed, self.first + self.second),
            "agreed": self.agreed,
            "agreed_both_kept": self.both_kept,
            "share_both_kept": _ratio(self.both_kept, self.agreed),
            "f1_rest": _ratio(2 * rest, self.first + self.second - 2 * self.both_kept),
        }


def _anchored(figures: dict[str, Any]) -> bool:
    """Whether a pair's figure for one layer looks acceptable mostly thanks to suggestions
    both kept: enough agreed, past the floor, mostly kept by both, and below it on the rest."""
    share, rest, f1 = figures["share_both_kept"], figures["f1_rest"], figures["f1"]
    return (figures["agreed"] >= MINIMUM_AGREED and f1 is not None and f1 >= REST_FLOOR
            and share is not None and share > SHARE_WARNED
            and (rest is None or rest < REST_FLOOR))


def _warning(pair: str, layers: dict[str, dict[str, Any]]) -> str | None:
    """One line for a pair, naming each layer whose agreement is mostly the pre-fill's."""
    parts = []
    for layer, f in layers.items():
        if _anchored(f):
            rest = "nothing else" if f["f1_rest"] is None else f"{f['f1_rest']:.2f} on the rest"
            parts.append(f"{layer} F1 {f['f1']:.2f} ({f['share_both_kept']:.0%} kept by both; "
                         f"{rest})")
    if not parts:
        return None
    first, second = pair.split("|")
    return (f"{first} and {second}: their agreement is mostly suggestions both kept unchanged "
            f"— {', '.join(parts)}")


def anchoring(sets: list[SetCorrections]) -> dict[str, Any]:
    """The ``anchoring`` object of ``marginalia agreement --json`` (see docs/review.md)."""
    prefilled = [s for s in sets if s.prefilled]
    by_annotator: dict[str, list[SetCorrections]] = defaultdict(list)
    by_document: dict[int, list[SetCorrections]] = defaultdict(list)
    for found in prefilled:
        by_annotator[found.annotator].append(found)
        by_document[found.document_id].append(found)
    pairs: dict[str, dict[str, _PairCounts]] = defaultdict(
        lambda: {layer: _PairCounts() for layer in LAYERS})
    for found in by_document.values():
        for a, b in itertools.combinations(sorted(found, key=lambda s: s.annotator), 2):
            for layer in LAYERS:
                pairs[pair_key(a.annotator, b.annotator)][layer].add(a, b, layer)
    per_pair = {key: {layer: counts.to_json() for layer, counts in layers.items()}
                for key, layers in sorted(pairs.items())}
    warnings = [w for key, layers in per_pair.items() if (w := _warning(key, layers))]
    return {
        "documents": len(by_document),
        "per_annotator": {name: against_prefill(found)
                          for name, found in sorted(by_annotator.items())},
        "per_pair": per_pair,
        "warnings": warnings,
    }


def compute_anchoring(project: Project) -> dict[str, Any]:
    return anchoring(read_corrections(project))


def format_anchoring(data: dict[str, Any]) -> str:
    """The anchoring figures for people, as ``marginalia agreement`` prints them."""

    def fmt(value: float | None) -> str:
        return "  -  " if value is None else f"{value:5.3f}"

    lines = [f"Anchoring on the pre-fill ({data['documents']} pre-filled documents done)"]
    if not data["per_annotator"]:
        lines.append("  no annotator has finished a pre-filled document yet")
        return "\n".join(lines)
    lines.append(f"  {'against the pre-fill':24} {'ent F1':>6} {'overlap':>7} {'frames':>6} "
                 f"{'polar.':>6} {'kept %':>6}")
    for name, f in data["per_annotator"].items():
        kept = "-" if f["accepted_share"] is None else f"{f['accepted_share']:.0%}"
        lines.append(f"  {name[:24]:24} {fmt(f['entity_exact_f1']):>6} "
                     f"{fmt(f['entity_overlap_f1']):>7} {fmt(f['stance_frame_f1']):>6} "
                     f"{fmt(f['polarity_agreement']):>6} {kept:>6}")
    if data["per_pair"]:
        lines.append(f"  {'pairs':24} {'layer':8} {'F1':>5}  {'kept by both':>12}  "
                     f"{'F1 on the rest':>14}")
        for key, layers in data["per_pair"].items():
            for layer, f in layers.items():
                share = "-" if f["share_both_kept"] is None else f"{f['share_both_kept']:.0%}"
                lines.append(f"  {key[:24]:24} {layer:8} {fmt(f['f1'])}  {share:>12}  "
                             f"{fmt(f['f1_rest']):>14}")
    lines += [f"  warning: {w}" for w in data["warnings"]]
    return "\n".join(lines)
