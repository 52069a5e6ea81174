"""Stance agreement with frames as units, over the whole project (docs/review.md, "Stance
frames").

For every annotator pair, on every document both finished, the pair's frames are matched as
gui/review/frames.py matches them (same target, overlapping evidence, one to one, most
overlap). Then:

- frame F1: 2 matched / (frames of the first + frames of the second), summed over documents
  and pairs: did they find the same stances at all;
- polarity on matched frames: each matched pair is a unit with two values; Krippendorff's
  alpha (nominal, and ordinal when the scale is), Cohen's kappa per pair, and overall the
  mean of the pairs' kappas (Light's kappa, Light 1971);
- holder agreement: the share of matched frames whose holders are the same (frames.same_holder);
- evidence overlap: the mean Dice coefficient of matched frames' evidence spans.

Every figure is a ``Statistic`` (sums per document), so it gets a bootstrap interval.
tests/unit/test_agreement_fast.py checks the figures against ``match_frames`` document by
document (tests/unit/estimates_reference.py).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from gui.core.schema import Schema
from gui.review import chance
from gui.review.bootstrap import Statistic
from gui.review.columns import ComparedSets
from gui.review.frames import holder_name
from gui.review.sets import StanceKey
from gui.review.span_matching import match_span_arrays

NO_STANCES = "no annotator marked a stance on a compared document"
NO_MATCHES = "no frames of two annotators were matched"


@dataclass
class FrameStatistics:
    # "frame_f1", "per_pair.ana|ben.frame_f1", "per_target.<target>.frame_f1"…
    statistics: dict[str, Statistic] = field(default_factory=dict)
    matched: dict[str, int] = field(default_factory=dict)  # pair key -> matched frames
    unmatched: dict[str, int] = field(default_factory=dict)


@dataclass
class _Frames:
    """Every frame of a compared set, as columns."""

    document: np.ndarray
    annotator: np.ndarray
    target: np.ndarray
    start: np.ndarray
    end: np.ndarray
    polarity: np.ndarray
    holder_start: np.ndarray  # -1: no holder
    holder_end: np.ndarray


def frame_sums(sets: ComparedSets, stances: dict[int, dict[str, list[StanceKey]]],
               texts: list[str], schema: Schema) -> dict[str, np.ndarray]:
    """Each document's frame sums (documents first), named: per annotator pair p
    ``pair.p.counts`` (targets x matched, first's, second's), ``pair.p.kappa`` (the matched
    frames' polarity confusion), ``pair.p.holders`` (same holders, matched), ``pair.p.matched``;
    pooled over pairs ``coincidences`` (targets x q x q), ``holders`` (targets x 2) and ``dice``
    (Dice sum, matched). ``frame_statistics`` makes the figures of their sums."""
    targets, polarities = list(schema.target_names), list(schema.polarities)
    frames = _columns(sets, stances, targets, polarities)
    documents, q, t = len(sets.document_ids), len(polarities), len(targets)
    found = {"coincidences": np.zeros((documents, t, q * q)),
             "holders": np.zeros((documents, t, 2)), "dice": np.zeros((documents, 2))}
    for p, (a, b) in enumerate(itertools.combinations(range(len(sets.annotators)), 2)):
        pair = _pair(frames, sets, a, b, t, texts)
        document, target = pair["document"], pair["target"]
        matched = len(document)
        counts = np.zeros((matched, q))
        np.add.at(counts, (np.arange(matched), pair["polarity_a"]), 1)
        np.add.at(counts, (np.arange(matched), pair["polarity_b"]), 1)
        np.add.at(found["coincidences"], (document, target), chance.coincidence_rows(counts))
        same = np.column_stack([pair["same_holder"], np.ones(matched)])
        np.add.at(found["holders"], (document, target), same)
        np.add.at(found["dice"], document, np.column_stack([pair["dice"], np.ones(matched)]))
        confusion = np.zeros((matched, q * q))
        confusion[np.arange(matched), pair["polarity_a"] * q + pair["polarity_b"]] = 1
        holder_rows = np.zeros((documents, 2))
        np.add.at(holder_rows, document, same)
        found[f"pair.{p}.counts"] = pair["counts"]
        found[f"pair.{p}.kappa"] = chance.per_document(confusion, document, documents)
        found[f"pair.{p}.holders"] = holder_rows
        found[f"pair.{p}.matched"] = np.bincount(document, minlength=documents).astype(float)
    return found


def frame_shapes(pairs: int, targets: int, polarities: int) -> dict[str, tuple[int, ...]]:
    """The per-document shape of each of ``frame_sums``' arrays, in a fixed order."""
    q = polarities
    shapes: dict[str, tuple[int, ...]] = {"coincidences": (targets, q * q),
                                          "holders": (targets, 2), "dice": (2,)}
    for p in range(pairs):
        shapes.update({f"pair.{p}.counts": (targets, 3), f"pair.{p}.kappa": (q * q,),
                       f"pair.{p}.holders": (2,), f"pair.{p}.matched": ()})
    return shapes


def frame_statistics(sums: dict[str, np.ndarray], annotators: list[str], schema: Schema
                     ) -> FrameStatistics:
    """The frame figures of ``frame_sums``' arrays (every compared document)."""
    targets = list(schema.target_names)
    q, t = len(schema.polarities), len(targets)
    documents = len(sums["dice"])
    found = FrameStatistics()
    stats = found.statistics
    f1_counts = np.zeros((documents, t, 3))
    kappa_blocks = []
    for p, (a, b) in enumerate(itertools.combinations(range(len(annotators)), 2)):
        key = f"{annotators[a]}|{annotators[b]}"
        counts, kappa_rows = sums[f"pair.{p}.counts"], sums[f"pair.{p}.kappa"]
        matched = int(sums[f"pair.{p}.matched"].sum())
        found.matched[key] = matched
        found.unmatched[key] = int(counts[:, :, 1:].sum()) - 2 * matched
        f1_counts = f1_counts + counts
        kappa_blocks.append(kappa_rows)
        prefix = f"per_pair.{key}."
        stats[prefix + "frame_f1"] = Statistic.of(counts.sum(axis=1), chance.f1, NO_STANCES)
        stats[prefix + "polarity_kappa"] = Statistic.of(kappa_rows, chance.cohen_kappa,
                                                        _polarity_reason(kappa_rows))
        stats[prefix + "holder_agreement"] = Statistic.of(sums[f"pair.{p}.holders"],
                                                          chance.mean, NO_MATCHES)
    coincidences, holders = sums["coincidences"], sums["holders"]
    pooled = coincidences.sum(axis=1)
    stats["frame_f1"] = Statistic.of(f1_counts.sum(axis=1), chance.f1, NO_STANCES)
    stats["polarity_alpha_nominal"] = Statistic.of(pooled, _nominal, _polarity_reason(pooled))
    if schema.scale == "ordinal":
        stats["polarity_alpha_ordinal"] = Statistic.of(pooled, _ordinal,
                                                       _polarity_reason(pooled))
    else:
        stats["polarity_alpha_ordinal"] = Statistic.missing(
            "the schema's polarity scale is nominal")
    stats["polarity_kappa"] = Statistic.of(
        np.hstack(kappa_blocks) if kappa_blocks else np.zeros((documents, q * q)),
        lambda sums: _light_kappa(sums, q), _polarity_reason(pooled))
    stats["holder_agreement"] = Statistic.of(holders.sum(axis=1), chance.mean, NO_MATCHES)
    stats["evidence_overlap"] = Statistic.of(sums["dice"], chance.mean, NO_MATCHES)
    for index, target in enumerate(targets):
        prefix = f"per_target.{target}."
        stats[prefix + "frame_f1"] = Statistic.of(
            f1_counts[:, index], chance.f1,
            f"no annotator marked a stance on {target!r} on a compared document")
        stats[prefix + "polarity_alpha_nominal"] = Statistic.of(
            coincidences[:, index], _nominal, _polarity_reason(coincidences[:, index]))
        stats[prefix + "holder_agreement"] = Statistic.of(holders[:, index], chance.mean,
                                                          NO_MATCHES)
    return found


def _nominal(sums: np.ndarray) -> np.ndarray:
    return chance.alpha_of_coincidences(sums, "nominal")


def _ordinal(sums: np.ndarray) -> np.ndarray:
    return chance.alpha_of_coincidences(sums, "ordinal")


def _columns(sets: ComparedSets, stances: dict[int, dict[str, list[StanceKey]]],
             targets: list[str], polarities: list[str]) -> _Frames:
    target_index = {name: i for i, name in enumerate(targets)}
    polarity_index = {name: i for i, name in enumerate(polarities)}
    who = {name: i for i, name in enumerate(sets.annotators)}
    rows = [
        (document, who[name], target_index[target], start, end, polarity_index[polarity],
         -1 if h_start is None else h_start, -1 if h_end is None else h_end)
        for document, by_name in stances.items()
        for name, found in by_name.items()
        for start, end, target, polarity, h_start, h_end in found
    ]
    columns = np.array(rows, dtype=np.int64).reshape(-1, 8).T
    return _Frames(*columns)


def _pair(frames: _Frames, sets: ComparedSets, a: int, b: int, targets: int,
          texts: list[str]) -> dict[str, np.ndarray]:
    """The matched frames of annotators a and b on the documents both finished."""
    documents = len(sets.document_ids)
    both = sets.done[:, a] & sets.done[:, b]
    shared = both[frames.document]
    mine = np.flatnonzero(shared & (frames.annotator == a))
    theirs = np.flatnonzero(shared & (frames.annotator == b))
    place = (frames.document * targets + frames.target) * sets.stride
    first, second = match_span_arrays(place[mine] + frames.start[mine],
                                      place[mine] + frames.end[mine],
                                      place[theirs] + frames.start[theirs],
                                      place[theirs] + frames.end[theirs])
    i, j = mine[first], theirs[second]
    document = frames.document[i]
    evidence = np.minimum(frames.end[i], frames.end[j]) - np.maximum(frames.start[i],
                                                                      frames.start[j])
    sizes = (frames.end[i] - frames.start[i]) + (frames.end[j] - frames.start[j])
    counts = np.zeros((documents, targets, 3))  # matched, first's frames, second's frames
    np.add.at(counts, (document, frames.target[i], 0), 1)
    np.add.at(counts, (frames.document[mine], frames.target[mine], 1), 1)
    np.add.at(counts, (frames.document[theirs], frames.target[theirs], 2), 1)
    return {
        "document": document,
        "target": frames.target[i],
        "counts": counts,
        "polarity_a": frames.polarity[i],
        "polarity_b": frames.polarity[j],
        "same_holder": _same_holders(frames, i, j, texts),
        "dice": 2 * evidence / sizes,
    }


def _same_holders(frames: _Frames, i: np.ndarray, j: np.ndarray, texts: list[str]
                  ) -> np.ndarray:
    """frames.same_holder for each matched pair: both without a holder, overlapping holder
    spans, or the same name; only the last needs the texts, and only for the few pairs whose
    holders are both there and apart."""
    none_a, none_b = frames.holder_start[i] < 0, frames.holder_start[j] < 0
    overlapping = (np.minimum(frames.holder_end[i], frames.holder_end[j])
                   > np.maximum(frames.holder_start[i], frames.holder_start[j]))
    same = (none_a & none_b) | (~none_a & ~none_b & overlapping)
    for k in np.flatnonzero(~none_a & ~none_b & ~overlapping).tolist():
        text = texts[int(frames.document[i[k]])]
        first = holder_name(text[frames.holder_start[i[k]]:frames.holder_end[i[k]]])
        second = holder_name(text[frames.holder_start[j[k]]:frames.holder_end[j[k]]])
        same[k] = bool(first) and first == second
    return same.astype(float)


def _light_kappa(sums: np.ndarray, q: int) -> np.ndarray:
    """The mean of the pairs' Cohen's kappas (Light 1971), each pair a block of q*q sums."""
    blocks = sums.reshape(len(sums), -1, q * q)
    kappas = np.stack([chance.cohen_kappa(blocks[:, k]) for k in range(blocks.shape[1])],
                      axis=1)
    with np.errstate(invalid="ignore"):
        found = np.isfinite(kappas)
        return np.where(found.any(axis=1),
                        np.nansum(kappas, axis=1) / np.maximum(found.sum(axis=1), 1), np.nan)


def _polarity_reason(sums: np.ndarray) -> str:
    """Why a polarity figure over these sums (coincidences or confusions) is undefined."""
    if not sums.any():
        return NO_MATCHES
    return "every matched frame has the same polarity, so agreement beyond chance is undefined"
