"""The straightforward agreement computation the fast one in gui/review/agreement.py must equal.

This is the first implementation, document by document in plain Python over ``DoneSet``
tuples: slow (about 20 s of CPU for 10,000 documents x 3 annotators) but easy to check by
reading against docs/review.md. tests/unit/test_agreement_fast.py compares every figure of
``compute_agreement`` with ``reference_agreement`` on generated projects.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from gui.core.schema import Schema
from gui.core.store import Project

# The report's containers are shared: only the computations are the reference's own.
from gui.review.agreement import (
    DISPUTED_SHOWN,
    MISSING_CELL,
    NONE,
    OUTSIDE,
    AgreementReport,
    Cancelled,
    Progress,
    StanceFigures,
    pair_key,
)
from gui.review.coefficients import Figure, alpha, cohen_kappa, f1
from gui.review.disputes import Item
from gui.review.sets import Compared, DoneSet, document_texts, item_key, load_done_sets
from gui.review.units import Span, sentence_spans, word_tokens

_WORD = re.compile(r"\S+")

@dataclass
class StanceUnit:
    document_id: int
    sentence: tuple[int, int]
    target: str
    values: dict[str, str]  # annotator (done on the document) -> polarity or "none"


@dataclass
class ReferenceReport(AgreementReport):
    """The report with the stance units listed one by one, to compare with the fast ones."""

    units: list[StanceUnit] = field(default_factory=list)


@dataclass
class Confusion:
    categories: list[str]
    counts: Counter[tuple[str, str]] = field(default_factory=Counter)

    def add(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Count pairs; each is read both ways round (no annotator is the reference)."""
        self.counts.update(pairs)

    def matrix(self) -> list[list[int]]:
        def both(r: str, c: str) -> int:
            return self.counts.get((r, c), 0) + self.counts.get((c, r), 0)

        return [[both(r, c) for c in self.categories] for r in self.categories]

    def to_json(self) -> dict[str, Any]:
        return {"categories": self.categories, "matrix": self.matrix()}


# ---- stance ----------------------------------------------------------------------------------


def stance_units(text: str, sets: dict[str, DoneSet]) -> list[StanceUnit]:
    """The (sentence, target) units of one document that at least one annotator filled."""
    if not any(s.stances for s in sets.values()):
        return []
    sentences = sentence_spans(text)
    starts = [s for s, _ in sentences]
    best: dict[tuple[int, str], dict[str, tuple[int, str]]] = defaultdict(dict)
    for name, done in sets.items():
        for start, end, target, polarity, *_holder in done.stances:
            first = max(0, bisect.bisect_right(starts, start) - 1)
            for index in range(first, len(sentences)):
                s_start, s_end = sentences[index]
                if s_start >= end:
                    break
                shared = min(end, s_end) - max(start, s_start)
                if shared <= 0:
                    continue
                cell = best[(index, target)]
                if name not in cell or shared > cell[name][0]:
                    cell[name] = (shared, polarity)
    units = []
    for (index, target), cell in sorted(best.items()):
        values = {name: cell[name][1] if name in cell else NONE for name in sets}
        units.append(StanceUnit(next(iter(sets.values())).document_id, sentences[index], target,
                                values))
    return units


def stance_matrix(units: list[StanceUnit], annotators: list[str], schema: Schema) -> np.ndarray:
    """The reliability matrix: annotators x units, polarity index or len(polarities) for
    "none", NaN where the annotator has not finished the document."""
    code = {p: float(i) for i, p in enumerate(schema.polarities)}
    code[NONE] = float(len(schema.polarities))
    matrix = np.full((len(annotators), len(units)), np.nan)
    row = {name: i for i, name in enumerate(annotators)}
    for j, unit in enumerate(units):
        for name, value in unit.values.items():
            matrix[row[name], j] = code[value]
    return matrix


def stance_figures(
    units: list[StanceUnit], annotators: list[str], schema: Schema, target: str | None = None
) -> StanceFigures:
    polarities = list(schema.polarities)
    matrix = stance_matrix(units, annotators, schema)
    if not units:
        where = "a compared document" if target is None else f"{target!r} on a compared document"
        nominal = Figure(None, f"no stance units: no annotator marked a stance on {where}")
    else:
        nominal = alpha(matrix, len(polarities) + 1, "nominal")
    if schema.scale != "ordinal":
        ordinal = Figure(None, "the schema's polarity scale is nominal")
    elif not units:
        ordinal = Figure(None, nominal.reason)
    else:
        ordered = np.where(matrix == len(polarities), np.nan, matrix)
        ordinal = alpha(ordered, len(polarities), "ordinal")
    kappas = {}
    for a, b in itertools.combinations(annotators, 2):
        kappas[pair_key(a, b)] = cohen_kappa(
            [u.values.get(a) for u in units], [u.values.get(b) for u in units]
        )
    return StanceFigures(len(units), nominal, ordinal, kappas)


# ---- entities --------------------------------------------------------------------------------


@dataclass
class _Counts:
    tp: int = 0
    first: int = 0
    second: int = 0

    def figure(self) -> Figure:
        return f1(self.tp, self.first, self.second)


def token_values(text: str, sets: dict[str, DoneSet]) -> tuple[list[str], list[tuple]]:
    """Tokens inside anyone's entity: (annotator names, one row per token of each annotator's
    label for it, or "O")."""
    names = sorted(sets)
    spans = [(s, e) for done in sets.values() for s, e, _ in done.entities]
    if not spans:
        return names, []
    tokens = tokens_within(text, spans)
    token_starts = [t[0] for t in tokens]
    token_ends = [t[1] for t in tokens]
    columns = []
    for name in names:
        values = [OUTSIDE] * len(tokens)
        for start, end, label in sets[name].entities:
            first = bisect.bisect_right(token_ends, start)
            for index in range(first, bisect.bisect_left(token_starts, end)):
                if values[index] == OUTSIDE:
                    values[index] = label
        columns.append(values)
    everyone = len(names)
    return names, [row for row in zip(*columns, strict=True) if row.count(OUTSIDE) < everyone]


# ---- the whole project -----------------------------------------------------------------------


def reference_agreement(
    project: Project,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ReferenceReport:
    """Every figure at once, reading the project in a few bulk queries."""
    compared = load_done_sets(project)
    texts = document_texts(project, compared)
    return agreement_of(compared, texts, project.schema, progress=progress, cancelled=cancelled)


def agreement_of(
    compared: Compared,
    texts: dict[int, tuple[str, str]],
    schema: Schema,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> ReferenceReport:
    annotators = sorted({name for sets in compared.values() for name in sets})
    labels = list(schema.labels)
    label_confusion = Confusion([*labels, MISSING_CELL])
    polarity_confusion = Confusion([*schema.polarities, NONE])
    units: list[StanceUnit] = []
    token_code = {label: float(i) for i, label in enumerate(labels)}
    token_code[OUTSIDE] = float(len(labels))
    token_groups: Counter[tuple[str, ...]] = Counter()  # the labels a token got -> tokens
    overall = _Counts()
    per_label = {label: _Counts() for label in labels}
    per_pair = {pair_key(a, b): _Counts() for a, b in itertools.combinations(annotators, 2)}
    scores = []
    total = len(compared)
    for done_count, (doc_id, sets) in enumerate(sorted(compared.items()), start=1):
        text, title = texts[doc_id]
        doc_units = stance_units(text, sets)
        units.extend(doc_units)
        for unit in doc_units:
            polarity_confusion.add(itertools.combinations(unit.values.values(), 2))
        names, rows = token_values(text, sets)
        token_groups.update(rows)
        as_sets = {name: set(done.entities) for name, done in sets.items()}
        label_counts = {name: Counter(e[2] for e in done.entities) for name, done in sets.items()}
        by_span = {name: _labels_by_span(done.entities) for name, done in sets.items()}
        for a, b in itertools.combinations(names, 2):
            _count_pair(as_sets[a], as_sets[b], label_counts[a], label_counts[b], overall,
                        per_label, per_pair[pair_key(a, b)])
            _confuse_labels(by_span[a], by_span[b], label_confusion)
        disputed_here, clusters_here = dispute_counts(sets)
        score = disputed_here / clusters_here if clusters_here else 0.0
        scores.append((score, disputed_here, doc_id, title))
        if progress is not None and (done_count % 100 == 0 or done_count == total):
            progress(done_count, total)
        if cancelled is not None and done_count % 100 == 0 and cancelled():
            raise Cancelled()

    stance = stance_figures(units, annotators, schema)
    per_target = {
        target: stance_figures([u for u in units if u.target == target], annotators, schema, target)
        for target in schema.target_names
    }
    alpha_token = (
        nominal_alpha_of_counts(_count_vectors(token_groups, token_code))
        if token_groups else Figure(None, "no annotator marked an entity on a compared document")
    )
    scores.sort(key=lambda s: (-s[0], -s[1], s[2]))
    disputed = [
        {"document": doc_id, "title": title, "score": round(score, 4), "disagreements": count}
        for score, count, doc_id, title in scores[:DISPUTED_SHOWN]
        if count
    ]
    report = ReferenceReport(
        documents=len(compared),
        annotators=annotators,
        stance=stance,
        per_target=per_target,
        entity_f1=overall.figure() if annotators else Figure(None, "nothing to compare"),
        per_label={label: counts.figure() for label, counts in per_label.items()},
        pairwise_f1={key: counts.figure() for key, counts in per_pair.items()},
        alpha_token=alpha_token,
        disputed=disputed,
        label_confusion=label_confusion,
        polarity_confusion=polarity_confusion,
        units=units,
    )
    if not compared:
        report.reason = "no document has been marked done by two or more annotators"
        for figure_owner in (report.stance, *report.per_target.values()):
            figure_owner.alpha_nominal = Figure(None, report.reason)
            figure_owner.alpha_ordinal = Figure(None, report.reason)
        report.entity_f1 = Figure(None, report.reason)
        report.alpha_token = Figure(None, report.reason)
        report.per_label = {label: Figure(None, report.reason) for label in labels}
    return report


def _count_pair(
    first: set[tuple[int, int, str]],
    second: set[tuple[int, int, str]],
    first_labels: Counter[str],
    second_labels: Counter[str],
    overall: _Counts,
    per_label: dict[str, _Counts],
    pair: _Counts,
) -> None:
    shared = first & second
    for counts in (overall, pair):
        counts.tp += len(shared)
        counts.first += len(first)
        counts.second += len(second)
    for label, count in Counter(e[2] for e in shared).items():
        per_label[label].tp += count
    for label, count in first_labels.items():
        per_label[label].first += count
    for label, count in second_labels.items():
        per_label[label].second += count


def _count_vectors(
    rows: Counter[tuple[str, ...]], code: dict[str, float]
) -> dict[tuple[int, ...], int]:
    """Token rows (each annotator's label) grouped as value-count vectors for the alpha."""
    vectors: Counter[tuple[int, ...]] = Counter()
    for row, tokens in rows.items():
        counts = [0] * len(code)
        for value in row:
            counts[int(code[value])] += 1
        vectors[tuple(counts)] += tokens
    return vectors


def _labels_by_span(entities: list[tuple[int, int, str]]) -> dict[tuple[int, int], str]:
    """Span -> label, for spans an annotator labelled once (a doubly labelled span is left out
    of the confusion matrix, where it has no single cell)."""
    spans = Counter((s, e) for s, e, _ in entities)
    return {(s, e): label for s, e, label in entities if spans[(s, e)] == 1}


def _confuse_labels(
    first: dict[tuple[int, int], str], second: dict[tuple[int, int], str], confusion: Confusion
) -> None:
    """Same boundaries: the two labels; boundaries only one side marked: label against "—"."""
    confusion.add((label, second.get(span, MISSING_CELL)) for span, label in first.items())
    confusion.add((MISSING_CELL, label) for span, label in second.items() if span not in first)


# ---- tokens inside entities (checked against spaCy in test_agreement_units.py) ----------------


def merge_intervals(spans: Iterable[Span]) -> list[Span]:
    """The union of spans as sorted, disjoint intervals (touching ones stay apart)."""
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start < merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


def tokens_within(text: str, spans: Iterable[Span]) -> list[Span]:
    """spaCy's tokens of ``text`` that overlap any of ``spans``, in order, without repeats."""
    wanted = merge_intervals(spans)
    if not wanted:
        return []
    ends = [end for _start, end in wanted]
    words = list(_WORD.finditer(text))
    word_ends = [w.end() for w in words]
    tokens: list[Span] = []
    next_word = 0
    for start, end in wanted:
        index = max(next_word, bisect.bisect_right(word_ends, start))
        while index < len(words) and words[index].start() < end:
            word = words[index]
            word_start = word.start()
            for t_start, t_end, _punct, _period in word_tokens(word.group()):
                token = (word_start + t_start, word_start + t_end)
                # the first interval ending after the token's start must begin before its
                # end, or no interval overlaps the token
                first = bisect.bisect_right(ends, token[0])
                if first < len(wanted) and wanted[first][0] < token[1]:
                    tokens.append(token)
            index += 1
        next_word = index
    return tokens


# ---- disputed documents ------------------------------------------------------------------------


def dispute_counts(sets: Mapping[str, DoneSet]) -> tuple[int, int]:
    """(disagreements, clusters) of a document, as ``clusters`` would find them, but without
    building them: agreement needs only the counts, for every document of the project."""
    names = sorted(sets)
    everyone = len(names)
    disputed = total = 0
    for attr in ("entities", "stances"):
        entries = [(item, owner) for owner, name in enumerate(names)
                   for item in getattr(sets[name], attr)]
        # entities hold no None and sort as they are; stances may lack a holder
        items = sorted(entries) if attr == "entities" else sorted(
            entries, key=lambda entry: (item_key(entry[0]), entry[1]))
        group: list[tuple[Item, int]] = []
        reach = -1
        for entry in [*items, None]:
            if entry is not None and group and entry[0][0] < reach:
                group.append(entry)
                reach = max(reach, entry[0][1])
                continue
            if group:
                total += 1
                disputed += not _agreed(group, everyone)
            if entry is not None:
                group = [entry]
                reach = entry[0][1]
    return disputed, total


def _agreed(group: list[tuple[Item, int]], everyone: int) -> bool:
    if len(group) == everyone:  # the usual case: one identical item from each annotator
        first = group[0][0]
        return all(item == first for item, _ in group) and \
            len({owner for _, owner in group}) == everyone
    versions: dict[int, list[Item]] = {}
    for item, owner in group:
        versions.setdefault(owner, []).append(item)
    return len(versions) == everyone and len({tuple(v) for v in versions.values()}) == 1


def nominal_alpha_of_counts(groups: Mapping[tuple[int, ...], int]) -> Figure:
    """Nominal alpha from units grouped by their value counts: {counts per value: how many units}.

    The same formula as ``krippendorff.alpha`` (coincidences o, expected e, alpha = 1 - D_o/D_e),
    but summed over distinct count vectors instead of over units: the package builds a
    units x values x values array, which for the token alpha of a large project (a million
    tokens) takes seconds and gigabytes, while the distinct count vectors number a few hundred.
    tests/unit/test_agreement.py checks it against the package.
    """
    if not groups:
        return Figure(None, "no units to compare")
    size = len(next(iter(groups)))
    o = np.zeros((size, size))
    for counts, units in groups.items():
        m = sum(counts)
        if m < 2:
            continue
        c = np.asarray(counts, dtype=float)
        o += units * (np.outer(c, c) - np.diag(c)) / (m - 1)
    n_c = o.sum(axis=1)
    n = n_c.sum()
    if n == 0:
        return Figure(None, "no unit has values from two annotators")
    if np.count_nonzero(n_c) < 2:
        return Figure(None, "every value is the same, so agreement beyond chance is undefined")
    observed = n - np.trace(o)
    expected = (n * n - (n_c * n_c).sum()) / (n - 1)
    return Figure(float(1 - observed / expected))
