"""The straightforward computation of issue 14's figures that gui/review/estimates.py must
equal: document by document in plain Python, through the per-document API (``match_frames``,
``FrameMatch``, ``match_spans``), with Krippendorff's alpha from the ``krippendorff`` package,
Fleiss and Gwet from irrCAC (Gwet's own package), Cohen's kappa from the textbook function,
and alpha_u from its formula written out. tests/unit/test_agreement_fast.py compares.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from typing import Any

import krippendorff
import numpy as np
import pandas as pd
from irrCAC.raw import CAC

from gui.core.store import Project
from gui.review.agreement import NONE, pair_key
from gui.review.coefficients import cohen_kappa
from gui.review.frames import Frame, match_frames
from gui.review.sets import DoneSet, document_texts, load_done_sets
from gui.review.span_matching import match_spans
from tests.unit.agreement_reference import merge_intervals, reference_agreement, tokens_within


def reference_estimates(project: Project) -> dict[str, Any]:
    """The point values of "stance_frames", "entity_partial" and "multi_rater", as
    {JSON path: value or None}."""
    schema = project.schema
    compared = load_done_sets(project)
    texts = document_texts(project, compared)
    annotators = sorted({name for sets in compared.values() for name in sets})
    found: dict[str, Any] = {}
    found.update(_frames(compared, texts, annotators, schema))
    found.update(_partial(compared, texts, annotators, list(schema.labels)))
    found.update(_multi_rater(project, annotators, schema))
    return found


def _ratio(top: float, bottom: float) -> float | None:
    return top / bottom if bottom else None


def _f1(tally: list[int]) -> float | None:
    return _ratio(2 * tally[0], tally[1] + tally[2])


def _alpha(units: list[tuple[str, str]], polarities: list[str], level: str) -> float | None:
    if not units:
        return None
    counts = np.zeros((len(units), len(polarities)))
    for row, (first, second) in enumerate(units):
        counts[row, polarities.index(first)] += 1
        counts[row, polarities.index(second)] += 1
    if np.count_nonzero(counts.sum(axis=0)) < 2:
        return None
    return float(krippendorff.alpha(value_counts=counts, level_of_measurement=level))


def _frames(compared, texts, annotators, schema) -> dict[str, Any]:
    polarities = list(schema.polarities)
    tally = defaultdict(lambda: [0, 0, 0])  # (pair, target) -> matched, first, second
    polarity_pairs = defaultdict(list)  # (pair, target) -> [(a's, b's)]
    holders = defaultdict(list)  # (pair, target) -> [same?]
    dice = []
    for doc_id, sets in sorted(compared.items()):
        text = texts[doc_id][0]
        frames = {name: [_frame(doc_id, name, s, text) for s in done.stances]
                  for name, done in sets.items()}
        for a, b in itertools.combinations(sorted(sets), 2):
            key = pair_key(a, b)
            for match in match_frames(frames[a], frames[b]):
                target = (match.a or match.b).target
                cell = tally[(key, target)]
                cell[1] += match.a is not None
                cell[2] += match.b is not None
                if match.matched:
                    cell[0] += 1
                    polarity_pairs[(key, target)].append((match.a.polarity, match.b.polarity))
                    holders[(key, target)].append(match.same_holder)
                    dice.append(match.evidence_overlap)
    pairs = [pair_key(a, b) for a, b in itertools.combinations(annotators, 2)]

    def counted(pair=None, target=None) -> list[int]:
        picked = [v for (p, t), v in tally.items()
                  if (pair is None or p == pair) and (target is None or t == target)]
        return [sum(v[i] for v in picked) for i in range(3)]

    def total(mapping, pair=None, target=None) -> list:
        return [x for (p, t), v in mapping.items()
                if (pair is None or p == pair) and (target is None or t == target) for x in v]

    found: dict[str, Any] = {}
    everything = counted()
    found["stance_frames.frame_f1"] = _f1(everything)
    units = total(polarity_pairs)
    found["stance_frames.polarity_alpha_nominal"] = _alpha(units, polarities, "nominal")
    found["stance_frames.polarity_alpha_ordinal"] = _alpha(units, polarities, "ordinal") \
        if schema.scale == "ordinal" else None
    same = total(holders)
    found["stance_frames.holder_agreement"] = _ratio(sum(same), len(same))
    found["stance_frames.evidence_overlap"] = _ratio(sum(dice), len(dice))
    found["stance_frames.matched"] = everything[0]
    found["stance_frames.unmatched"] = everything[1] + everything[2] - 2 * everything[0]
    kappas = []
    for pair in pairs:
        counts = counted(pair=pair)
        found[f"stance_frames.per_pair.{pair}.frame_f1"] = _f1(counts)
        matched = total(polarity_pairs, pair=pair)
        kappa = cohen_kappa([m[0] for m in matched], [m[1] for m in matched])
        found[f"stance_frames.per_pair.{pair}.polarity_kappa"] = kappa.value
        if kappa.ok:
            kappas.append(kappa.value)
        same = total(holders, pair=pair)
        found[f"stance_frames.per_pair.{pair}.holder_agreement"] = _ratio(sum(same), len(same))
        found[f"stance_frames.per_pair.{pair}.matched"] = counts[0]
        found[f"stance_frames.per_pair.{pair}.unmatched"] = counts[1] + counts[2] - 2 * counts[0]
    found["stance_frames.polarity_kappa"] = _ratio(sum(kappas), len(kappas))
    for target in schema.target_names:
        counts = counted(target=target)
        found[f"stance_frames.per_target.{target}.frame_f1"] = _f1(counts)
        found[f"stance_frames.per_target.{target}.polarity_alpha_nominal"] = _alpha(
            total(polarity_pairs, target=target), polarities, "nominal")
        same = total(holders, target=target)
        found[f"stance_frames.per_target.{target}.holder_agreement"] = _ratio(sum(same),
                                                                               len(same))
    return found


def _frame(doc_id: int, name: str, stance: tuple, text: str) -> Frame:
    start, end, target, polarity, h_start, h_end = stance
    holder = None if h_start is None else (h_start, h_end)
    return Frame(0, doc_id, name, target, polarity, start, end, holder,
                 text[h_start:h_end] if holder else None)


def _partial(compared: dict[int, dict[str, DoneSet]], texts, annotators, labels
             ) -> dict[str, Any]:
    tally = defaultdict(lambda: [0, 0, 0])  # (kind, pair, label) -> shared, first, second
    for doc_id, sets in sorted(compared.items()):
        text = texts[doc_id][0]
        distinct = {name: sorted(set(done.entities)) for name, done in sets.items()}
        covered = {name: {(token, label) for s, e, label in found
                          for token in tokens_within(text, [(s, e)])}
                   for name, found in distinct.items()}
        for a, b in itertools.combinations(sorted(sets), 2):
            key = pair_key(a, b)
            for label in labels:
                mine = [(s, e) for s, e, lab in distinct[a] if lab == label]
                theirs = [(s, e) for s, e, lab in distinct[b] if lab == label]
                exact = len(set(mine) & set(theirs))
                overlapping = len(match_spans(mine, theirs))
                tokens_a = {t for t, lab in covered[a] if lab == label}
                tokens_b = {t for t, lab in covered[b] if lab == label}
                for kind, shared, first, second in (
                        ("exact_f1", exact, len(mine), len(theirs)),
                        ("overlap_f1", overlapping, len(mine), len(theirs)),
                        ("token_dice", len(tokens_a & tokens_b), len(tokens_a),
                         len(tokens_b))):
                    cell = tally[(kind, key, label)]
                    cell[0] += shared
                    cell[1] += first
                    cell[2] += second

    def summed(kind, pair=None, label=None):
        return [sum(v[i] for (k, p, lab), v in tally.items()
                    if k == kind and (pair is None or p == pair)
                    and (label is None or lab == label)) for i in range(3)]

    found: dict[str, Any] = {}
    for kind in ("overlap_f1", "token_dice"):
        found[f"entity_partial.{kind}"] = _f1(summed(kind))
    for kind in ("exact_f1", "overlap_f1", "token_dice"):
        for label in labels:
            found[f"entity_partial.per_label.{label}.{kind}"] = _f1(summed(kind, label=label))
        for a, b in itertools.combinations(annotators, 2):
            pair = pair_key(a, b)
            found[f"entity_partial.per_pair.{pair}.{kind}"] = _f1(summed(kind, pair=pair))
    found["entity_partial.alpha_u"] = _alpha_u(compared, texts, annotators, labels)
    return found


def _alpha_u(compared, texts, annotators, labels) -> float | None:
    documents = []
    for doc_id, sets in sorted(compared.items()):
        if sorted(sets) != annotators:
            continue
        observers = []
        for name in annotators:
            units = []
            for index, label in enumerate(labels):
                spans = [(s, e) for s, e, lab in sets[name].entities if lab == label]
                units += [(s, e, index) for s, e in merge_intervals(spans)]
            observers.append(units)
        documents.append((len(texts[doc_id][0]), observers))
    if not documents or not any(u for _, obs in documents for u in obs):
        return None
    return reference_alpha_u(documents)


def reference_alpha_u(documents: list[tuple[int, list[list[tuple[int, int, int]]]]]) -> float:
    """Krippendorff's (2004) alpha_u written out directly: the sections of every observer in
    every document (units and the gaps between them, no gap crossing a document's end), all
    pairs of sections, every unit against every gap. Units: (start, end, category), one
    observer's units of one category not overlapping."""
    m = len(documents[0][1])
    total = sum(length for length, _ in documents)
    categories = sorted({c for _, observers in documents for units in observers
                         for _, _, c in units})
    observed = expected = 0.0
    for c in categories:
        sections = []  # per document, per observer: [(begin, end, is_unit)]
        for length, observers in documents:
            per_observer = []
            for units in observers:
                cut, position = [], 0
                for s, e in sorted((s, e) for s, e, cat in units if cat == c):
                    if s > position:
                        cut.append((position, s, False))
                    cut.append((s, e, True))
                    position = e
                if length > position:
                    cut.append((position, length, False))
                per_observer.append(cut)
            sections.append(per_observer)
        distance = 0.0
        for per_observer in sections:
            for i, j in itertools.combinations(range(m), 2):
                for bg, eg, ug in per_observer[i]:
                    for bh, eh, uh in per_observer[j]:
                        if ug and uh and bg < eh and bh < eg:
                            distance += (bg - bh) ** 2 + (eg - eh) ** 2
                        elif ug and not uh and bh <= bg and eg <= eh:
                            distance += (eg - bg) ** 2
                        elif uh and not ug and bg <= bh and eh <= eg:
                            distance += (eh - bh) ** 2
        units = [e - b for per_observer in sections for cut in per_observer
                 for b, e, u in cut if u]
        gaps = [e - b for per_observer in sections for cut in per_observer
                for b, e, u in cut if not u]
        n = len(units)
        top = sum((n - 1) * (2 * lu ** 3 - 3 * lu ** 2 + lu) / 3
                  + lu ** 2 * sum(g - lu + 1 for g in gaps if g >= lu) for lu in units)
        observed += 2 * distance / (m * (m - 1) * total ** 2)
        expected += 2 / total * top / (m * total * (m * total - 1)
                                       - sum(lu * (lu - 1) for lu in units))
    return 1 - observed / expected


def _multi_rater(project: Project, annotators: list[str], schema) -> dict[str, Any]:
    """Fleiss' kappa and AC1 on the sentence units (polarities and "none"), AC2 with ordinal
    weights on the polarities ("none" missing), by irrCAC with the schema's categories."""
    units = reference_agreement(project).units
    polarities = list(schema.polarities)
    codes = {value: float(i + 1) for i, value in enumerate([*polarities, NONE])}
    nominal = pd.DataFrame([[codes.get(unit.values.get(name), np.nan) for name in annotators]
                            for unit in units], dtype=float)
    found: dict[str, Any] = {}
    if len(units):
        categories = list(codes.values())
        found["multi_rater.fleiss_kappa"] = CAC(nominal, categories=categories).fleiss()[
            "est"]["coefficient_value"]
        found["multi_rater.gwet_ac1"] = CAC(nominal, categories=categories).gwet()[
            "est"]["coefficient_value"]
        ordinal = nominal.where(nominal != codes[NONE])
        found["multi_rater.gwet_ac2"] = CAC(
            ordinal, weights="ordinal", categories=categories[:-1]).gwet()["est"][
            "coefficient_value"] if schema.scale == "ordinal" else None
    return found
