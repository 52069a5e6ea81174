"""Krippendorff's unitizing alpha against his own worked examples."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gui.review.unitizing import unitizing_rows
from tests.unit.estimates_reference import reference_alpha_u

# Krippendorff, K. (2004). Content Analysis: An Introduction to Its Methodology, 2nd ed.,
# section 12.4, worked example (p. 254): a continuum from 150 to 450, two observers, two
# categories c and k, each unit as (begin, length). The published results: alpha_u = 0.8591;
# category c: D_o = 0.0144, D_e = 0.0532, alpha_c = 0.7286; category k: D_o = 0, D_e = 0.0490.
# (The same numbers are the expected values of DKPro Statistics' Krippendorff2004Test.)
KRIPPENDORFF_2004 = {
    0: [(225, 70, "c"), (370, 30, "c"), (180, 60, "k"), (300, 50, "k")],
    1: [(220, 80, "c"), (355, 20, "c"), (400, 20, "c"), (180, 60, "k"), (300, 50, "k")],
}

# Krippendorff, K. (1995). On the reliability of unitizing continuous data. Sociological
# Methodology 25, 47-76, p. 57: four pairs of observers on a continuum of 24, each pair with
# its own category (A: Bertha/Bill, B: John/Jill, C: Gerret/Gill, D: Heather/Hill). Observed
# disagreements as published: A 0.03125, B 2.26736, C 0.02777, D 0.38715 (D_o of the 2004
# formula, which Krippendorff 2004 corrects for D_e only).
KRIPPENDORFF_1995 = {
    0: [(2, 8, "A"), (14, 6, "A"), (0, 18, "B"), (2, 6, "C"), (10, 2, "C"), (14, 4, "C"),
        (20, 2, "C"), (0, 2, "D"), (2, 8, "D"), (10, 4, "D"), (14, 6, "D"), (20, 4, "D")],
    1: [(4, 4, "A"), (15, 2, "A"), (0, 2, "B"), (2, 1, "B"), (3, 1, "B"), (4, 1, "B"),
        (5, 1, "B"), (6, 3, "B"), (9, 1, "B"), (0, 2, "C"), (4, 4, "C"), (10, 4, "C"),
        (16, 2, "C"), (20, 2, "C"), (0, 4, "D"), (4, 4, "D"), (8, 7, "D"), (15, 2, "D"),
        (17, 7, "D")],
}


def rows_of(study: dict[int, list[tuple[int, int, str]]], begin: int, length: int):
    units = [(observer, b - begin, b - begin + size, name)
             for observer, found in study.items() for b, size, name in found]
    names = sorted({u[3] for u in units})
    columns = np.array([(0, o, names.index(n), s, e) for o, s, e, n in units], dtype=np.int64)
    return unitizing_rows(*columns.T, np.array([length]), len(study)), names


def test_alpha_u_reproduces_krippendorff_2004():
    rows, names = rows_of(KRIPPENDORFF_2004, 150, 300)
    sums = rows.rows.sum(axis=0)[None]
    observed, expected = rows.disagreements(sums)
    assert names == ["c", "k"]
    assert observed[0].tolist() == pytest.approx([0.0144, 0.0], abs=5e-5)
    assert expected[0].tolist() == pytest.approx([0.0532, 0.0490], abs=5e-5)
    assert 1 - observed[0, 0] / expected[0, 0] == pytest.approx(0.7286, abs=5e-4)
    assert rows.finish(sums)[0] == pytest.approx(0.8591, abs=5e-4)


def test_observed_disagreement_reproduces_krippendorff_1995():
    rows, names = rows_of(KRIPPENDORFF_1995, 0, 24)
    observed, _expected = rows.disagreements(rows.rows.sum(axis=0)[None])
    assert names == ["A", "B", "C", "D"]
    assert observed[0].tolist() == pytest.approx([0.03125, 2.26736, 0.02777, 0.38715],
                                                 abs=1e-5)


UNITS = st.lists(st.tuples(st.integers(0, 35), st.integers(1, 8), st.integers(0, 1)).map(
    lambda u: (u[0], u[0] + u[1], u[2])), max_size=4).map(
    lambda units: [u for k, u in enumerate(sorted(units))
                   if all(not (v[2] == u[2] and v[0] < u[1] and u[0] < v[1])
                          for v in sorted(units)[:k])])
DOCUMENT = st.tuples(st.integers(44, 60), st.lists(UNITS, min_size=3, max_size=3))


@settings(max_examples=100, deadline=None)
@given(st.lists(DOCUMENT, min_size=1, max_size=4))
def test_sums_by_document_give_the_formula_written_out(documents):
    """Gaps long and short, units shared between documents: the per-document sums finish to
    exactly what the formula gives when every unit meets every gap of every document."""
    rows = [(d, o, c, s, e) for d, (_, observers) in enumerate(documents)
            for o, units in enumerate(observers) for s, e, c in units]
    if not rows:
        return
    columns = np.array(rows, dtype=np.int64)
    lengths = np.array([length for length, _ in documents])
    found = unitizing_rows(*columns.T, lengths, 3)
    ours = found.finish(found.rows.sum(axis=0)[None])[0]
    reference = reference_alpha_u(documents)
    assert ours == pytest.approx(reference)
    totals = unitizing_rows(*columns.T, lengths, 3, per_document=False)
    assert totals.rows.shape[0] == 1
    assert totals.rows[0] == pytest.approx(found.rows.sum(axis=0))


def test_an_annotators_overlapping_units_of_one_label_are_joined():
    columns = np.array([(0, 0, 0, 10, 20), (0, 0, 0, 15, 30), (0, 1, 0, 10, 30)])
    rows = unitizing_rows(*columns.T, np.array([100]), 2)
    observed, _ = rows.disagreements(rows.rows.sum(axis=0)[None])
    assert observed[0, 0] == 0.0
