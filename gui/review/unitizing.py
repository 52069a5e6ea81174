"""Krippendorff's unitizing alpha (alpha_u) for entity spans, as sums over documents.

Krippendorff (2004, Content Analysis, 2nd ed., section 12.4; after Krippendorff 1995): each of
m observers cuts a continuum of length L into sections, per category c: units of c and the
gaps between them. With delta^2 of two sections g (observer i) and h (observer j)

- both units that overlap: (b_g - b_h)^2 + (e_g - e_h)^2 (begins and ends apart);
- a unit inside the other's gap: the unit's length squared;
- otherwise 0,

    D_o,c = 2 / (m (m - 1) L^2) * sum over observer pairs and their sections of delta^2
    D_e,c = 2 / L * sum_u [(N_c - 1)(2 l_u^3 - 3 l_u^2 + l_u) / 3
                           + l_u^2 sum_{gaps G, l_G >= l_u} (l_G - l_u + 1)]
            / (m L (m L - 1) - sum_u l_u (l_u - 1))
    alpha_u = 1 - sum_c D_o,c / sum_c D_e,c

over the units u of c (N_c of them) and the gaps of every observer. Here the continuum is the
compared documents end to end, each document a stretch no unit or gap crosses (a gap cannot
run from one article into the next), and the observers are the annotators who finished every
one of them. One annotator's overlapping units of one label are joined into one (the measure
assumes they do not overlap). tests/unit/test_unitizing.py reproduces Krippendorff's worked
examples.

Every term is a sum over documents except the gap sum, which pairs units with gaps of any
document; it is kept additive by its parts: for each unit length l that occurs, the count of
units of that length and each document's sum over its gaps, so the bootstrap resamples it
too (``rows`` and ``finish``).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np

from gui.review.span_matching import overlapping_pairs

_FIXED = 6  # per category: D_o sum, N, sum f(l), sum l(l-1), long gaps' total and count


@dataclass
class UnitizingRows:
    """Per-document sums (``rows``, documents x columns) and how to read them."""

    rows: np.ndarray
    observers: int
    lengths: list[np.ndarray]  # per category used: the unit lengths that occur, ascending

    def disagreements(self, sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """(D_o, D_e): draws x categories used."""
        m = self.observers
        total = sums[:, -1]
        observed, expected = [], []
        column = 0
        for lengths in self.lengths:
            k = len(lengths)
            do, n, f, q, long_total, long_count = (sums[:, column + i] for i in range(_FIXED))
            units = sums[:, column + _FIXED:column + _FIXED + k]
            short = sums[:, column + _FIXED + k:column + _FIXED + 2 * k]
            column += _FIXED + 2 * k
            gaps = long_total[:, None] - (lengths - 1) * long_count[:, None] + short
            pairs = (lengths ** 2 * units * gaps).sum(axis=1)
            with np.errstate(divide="ignore", invalid="ignore"):
                observed.append(2 * do / (m * (m - 1) * total ** 2))
                expected.append(2 / total * ((n - 1) * f + pairs)
                                / (m * total * (m * total - 1) - q))
        if not observed:
            empty = np.zeros((len(sums), 0))
            return empty, empty
        return np.column_stack(observed), np.column_stack(expected)

    def finish(self, sums: np.ndarray) -> np.ndarray:
        observed, expected = self.disagreements(sums)
        top, bottom = np.nansum(observed, axis=1), np.nansum(expected, axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(bottom > 0, 1 - top / np.where(bottom > 0, bottom, 1), np.nan)


@dataclass
class Sections:
    """Units or gaps of every category as flat columns: document, category, length."""

    document: np.ndarray
    category: np.ndarray
    length: np.ndarray

    def of(self, category: int) -> tuple[np.ndarray, np.ndarray]:
        """(document, length) of one category's sections."""
        mine = self.category == category
        return self.document[mine], self.length[mine]


@dataclass
class UnitizingParts:
    """alpha_u's inputs document by document, for the cache of per-document sums: per
    category, each document's own sums (D_o, N, sum f(l), sum l(l-1)) and the lengths of its
    units and of its gaps, kept as lengths because the gap sum pairs them with every other
    document's (the columns per unit length are built at sum time, ``unitizing_rows_of``)."""

    fixed: np.ndarray  # documents x categories x 4
    units: Sections
    gaps: Sections
    lengths: np.ndarray  # each document's length
    observers: int


def unitizing_parts(document: np.ndarray, observer: np.ndarray, category: np.ndarray,
                    start: np.ndarray, end: np.ndarray, document_lengths: np.ndarray,
                    observers: int, categories: int | None = None) -> UnitizingParts:
    """The parts of every category 0..categories-1 (by default, up to the largest used).
    Units are columns (document index, observer index 0..m-1, category index, start, end in
    the document); every observer finished every document."""
    documents = len(document_lengths)
    stride = int(document_lengths.max(initial=0)) + 1
    out = _Rows(np.arange(documents), documents)
    within = (document * observers + observer) * stride + start
    if np.any(within[1:] < within[:-1]):  # ``EntityColumns`` come sorted already
        order = np.argsort(within, kind="stable")
        document, observer, category, start, end = (document[order], observer[order],
                                                    category[order], start[order], end[order])
    if categories is None:
        categories = int(category.max(initial=-1)) + 1
    small = category.astype(np.uint8) if categories <= 256 else category
    fixed = np.zeros((documents, categories, 4))
    units: list[tuple[np.ndarray, ...]] = []
    gaps: list[tuple[np.ndarray, ...]] = []
    for c in range(categories):
        mine = np.flatnonzero(small == c)
        d, o, s, e = _joined(document[mine], observer[mine], start[mine], end[mine], stride,
                             observers)
        lengths = e - s
        fixed[:, c] = np.column_stack([
            _observed(d, o, s, e, stride, observers, out),
            out.add(d),
            out.add(d, (2 * lengths ** 3 - 3 * lengths ** 2 + lengths) / 3),
            out.add(d, lengths * (lengths - 1)),
        ])
        units.append((d, np.full(len(d), c), lengths))
        gap_doc, gap_length = _gap_lengths(d, o, s, e, document_lengths, observers)
        gaps.append((gap_doc, np.full(len(gap_doc), c), gap_length.astype(np.int64)))
    return UnitizingParts(fixed, _sections(units), _sections(gaps),
                          np.asarray(document_lengths), observers)


def _sections(parts: list[tuple[np.ndarray, ...]]) -> Sections:
    empty = np.zeros(0, dtype=np.int64)
    return Sections(*(np.concatenate([part[i] for part in parts] + [empty]).astype(np.int64)
                      for i in range(3)))


def unitizing_rows(document: np.ndarray, observer: np.ndarray, category: np.ndarray,
                   start: np.ndarray, end: np.ndarray, document_lengths: np.ndarray,
                   observers: int, *, per_document: bool = True) -> UnitizingRows:
    """The sums of alpha_u per document (or, with ``per_document=False``, one row of their
    totals: all the point estimate needs, and far smaller than 10,000 rows of a column per
    unit length), of the units ``unitizing_parts`` takes."""
    return unitizing_rows_of(unitizing_parts(document, observer, category, start, end,
                                             document_lengths, observers),
                             per_document=per_document)


def unitizing_rows_of(parts: UnitizingParts, *, per_document: bool = True) -> UnitizingRows:
    """The rows of ``parts``: per category with units, its four sums, then the gap sums
    (``_gap_columns``), and last the documents' lengths; categories nobody used are left out.
    One row of totals comes from histograms of the lengths (``_gap_totals``)."""
    if not per_document:
        return _totals(parts)
    documents = len(parts.lengths)
    out = _Rows(np.arange(documents), documents)
    columns: list[np.ndarray] = []
    lengths_used: list[np.ndarray] = []
    for c in np.unique(parts.units.category).tolist():
        unit_doc, unit_length = parts.units.of(c)
        occurring = np.unique(unit_length)
        columns += list(parts.fixed[:, c].T)
        columns += _gap_columns(unit_doc, unit_length, *parts.gaps.of(c), occurring, out)
        lengths_used.append(occurring.astype(float))
    columns.append(out.add(np.arange(documents), parts.lengths))
    return UnitizingRows(np.column_stack(columns).astype(float), parts.observers, lengths_used)


def _totals(parts: UnitizingParts) -> UnitizingRows:
    """The one row of totals, from histograms of unit lengths and of gaps shorter than their
    category's longest unit: sum_G max(0, l_G - l + 1) over those gaps is, with suffix sums
    S_n(l) = #{G: l_G >= l} and S_l(l) = sum_{l_G >= l} l_G, S_l(l) - (l - 1) S_n(l).
    Integers throughout, so the same numbers as the per-document columns' total, and a few
    passes over the lengths instead of a (gaps x unit lengths) table."""
    categories = parts.fixed.shape[1]
    top = int(parts.units.length.max(initial=0)) + 1
    units = np.bincount(parts.units.category * top + parts.units.length,
                        minlength=categories * top).reshape(categories, top)
    longest = np.where(units.any(axis=1), top - 1 - np.argmax(units[:, ::-1] > 0, axis=1), 0)
    gap_category, gap_length = parts.gaps.category, parts.gaps.length
    long = gap_length >= longest[gap_category]
    long_total = np.bincount(gap_category[long], gap_length[long], categories)
    long_count = np.bincount(gap_category[long], minlength=categories)
    cells = gap_category[~long] * top + gap_length[~long]
    count = np.bincount(cells, minlength=categories * top).reshape(categories, top)
    summed = np.bincount(cells, gap_length[~long], categories * top).reshape(categories, top)
    at_least = np.cumsum(count[:, ::-1], axis=1)[:, ::-1]
    at_least_sum = np.cumsum(summed[:, ::-1], axis=1)[:, ::-1]
    fixed = parts.fixed.sum(axis=0)
    row: list[float] = []
    lengths_used: list[np.ndarray] = []
    for c in np.flatnonzero(units.any(axis=1)).tolist():
        occurring = np.flatnonzero(units[c])
        credit = at_least_sum[c, occurring] - (occurring - 1) * at_least[c, occurring]
        row += [*fixed[c], float(long_total[c]), float(long_count[c]),
                *units[c, occurring].astype(float), *credit.astype(float)]
        lengths_used.append(occurring.astype(float))
    row.append(float(parts.lengths.sum()))
    return UnitizingRows(np.array([row]), parts.observers, lengths_used)


@dataclass
class _Rows:
    """Where each document's sums go: its own row, or the one row of totals."""

    row: np.ndarray  # document index -> output row
    height: int

    def add(self, document: np.ndarray, weights: np.ndarray | None = None) -> np.ndarray:
        return np.bincount(self.row[document], weights, self.height).astype(float)

    def add_columns(self, document: np.ndarray, weights: np.ndarray) -> list[np.ndarray]:
        """Sums of each column of ``weights`` (rows x k) by document: k columns."""
        k = weights.shape[1]
        index = (self.row[document][:, None] * k + np.arange(k)).ravel()
        flat = np.bincount(index, weights.ravel(), self.height * k)
        return list(flat.reshape(self.height, k).T)


def _joined(document: np.ndarray, observer: np.ndarray, start: np.ndarray, end: np.ndarray,
            stride: int, observers: int) -> tuple[np.ndarray, ...]:
    """One observer's overlapping units (of one category, sorted by document, observer and
    start) joined into one."""
    if not len(document):
        return document, observer, start, end
    place = (document * observers + observer) * stride
    key_end = place + end
    reach = np.maximum.accumulate(key_end)
    new = np.ones(len(document), dtype=bool)
    new[1:] = (place + start)[1:] >= reach[:-1]
    if new.all():
        return document, observer, start, end
    firsts = np.flatnonzero(new)
    return (document[firsts], observer[firsts], start[firsts],
            np.maximum.reduceat(key_end, firsts) - place[firsts])


def _observed(document: np.ndarray, observer: np.ndarray, start: np.ndarray, end: np.ndarray,
              stride: int, observers: int, out: _Rows) -> np.ndarray:
    """Each document's sum of delta^2 over observer pairs (one category)."""
    total = np.zeros(out.height)
    place = document * stride
    for i, j in itertools.combinations(range(observers), 2):
        a, b = observer == i, observer == j
        a_start, a_end, b_start, b_end = (place[a] + start[a], place[a] + end[a],
                                          place[b] + start[b], place[b] + end[b])
        edge_a, edge_b = overlapping_pairs(a_start, a_end, b_start, b_end)
        both = (a_start[edge_a] - b_start[edge_b]) ** 2 + (a_end[edge_a] - b_end[edge_b]) ** 2
        total += out.add(document[a][edge_a], both)
        for side_start, side_end, side_doc, met in ((a_start, a_end, document[a], edge_a),
                                                    (b_start, b_end, document[b], edge_b)):
            alone = np.ones(len(side_start), dtype=bool)
            alone[met] = False
            total += out.add(side_doc[alone], (side_end - side_start)[alone] ** 2)
    return total


def _gap_columns(unit_doc: np.ndarray, unit_length: np.ndarray, gap_doc: np.ndarray,
                 gap_length: np.ndarray, occurring: np.ndarray, out: _Rows) -> list[np.ndarray]:
    """Each document's gap sums (one category): the total length and count of gaps at least
    as long as the longest unit, then for each unit length l that occurs, the count of units
    of length l and sum over shorter gaps of max(0, l_G - l + 1)."""
    longest = occurring.max()
    long = gap_length >= longest
    k = len(occurring)
    which = out.row[unit_doc] * k + np.searchsorted(occurring, unit_length)
    unit_counts = np.bincount(which, minlength=out.height * k).reshape(out.height, k)
    short_doc, short_length = gap_doc[~long], gap_length[~long]
    credit = np.maximum(short_length[:, None] - occurring[None, :] + 1, 0)
    return [out.add(gap_doc[long], gap_length[long]), out.add(gap_doc[long]),
            *unit_counts.T.astype(float), *out.add_columns(short_doc, credit)]


def _gap_lengths(document: np.ndarray, observer: np.ndarray, start: np.ndarray,
                 end: np.ndarray, document_lengths: np.ndarray, observers: int
                 ) -> tuple[np.ndarray, np.ndarray]:
    """(document, length) of every gap of every observer (units sorted by observer group and
    start, as ``_joined`` leaves them); an observer without units in a document has one gap,
    the whole document."""
    group = document * observers + observer
    first = np.ones(len(group), dtype=bool)
    first[1:] = group[1:] != group[:-1]
    last = np.ones(len(group), dtype=bool)
    last[:-1] = group[1:] != group[:-1]
    before = np.where(first, start, start - np.roll(end, 1))
    after = (document_lengths[document] - end)[last]
    empty = np.ones(len(document_lengths) * observers, dtype=bool)
    empty[group] = False
    empty_doc = np.flatnonzero(empty) // observers
    docs = np.concatenate([document, document[last], empty_doc])
    lengths = np.concatenate([before, after, document_lengths[empty_doc]])
    keep = lengths > 0
    return docs[keep], lengths[keep].astype(float)
