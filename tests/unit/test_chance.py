"""The coefficients of gui/review/chance.py against published worked examples and reference
implementations computed in the test."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from irrCAC.raw import CAC

from gui.review import chance
from tests.unit.test_agreement import KRIPPENDORFF_2011

nan = float("nan")

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological
# Bulletin 76(5), 378-382, Table 1 (p. 379): 30 patients, 6 psychiatrists each, 5 diagnoses
# (1 depression, 2 personality disorder, 3 schizophrenia, 4 neurosis, 5 other). Each row is
# one patient's six diagnoses. Fleiss reports P-bar = 0.556, P-bar_e = 0.220, kappa = 0.430.
FLEISS_1971 = [
    (4, 4, 4, 4, 4, 4), (2, 2, 2, 5, 5, 5), (2, 3, 3, 3, 3, 5), (5, 5, 5, 5, 5, 5),
    (2, 2, 2, 4, 4, 4), (1, 1, 3, 3, 3, 3), (3, 3, 3, 3, 5, 5), (1, 1, 3, 3, 3, 4),
    (1, 1, 4, 4, 4, 4), (5, 5, 5, 5, 5, 5), (1, 4, 4, 4, 4, 4), (1, 2, 4, 4, 4, 4),
    (2, 2, 2, 3, 3, 3), (1, 4, 4, 4, 4, 4), (2, 2, 4, 4, 4, 5), (3, 3, 3, 3, 3, 5),
    (1, 1, 1, 4, 5, 5), (1, 1, 1, 1, 1, 2), (2, 2, 4, 4, 4, 4), (1, 3, 3, 5, 5, 5),
    (5, 5, 5, 5, 5, 5), (2, 4, 4, 4, 4, 4), (2, 2, 4, 5, 5, 5), (1, 1, 4, 4, 4, 4),
    (1, 4, 4, 4, 4, 5), (2, 2, 2, 2, 2, 4), (1, 1, 1, 1, 5, 5), (2, 2, 4, 4, 4, 4),
    (1, 3, 3, 3, 3, 3), (5, 5, 5, 5, 5, 5),
]


def counts_of(matrix: np.ndarray, q: int) -> np.ndarray:
    """Raters x units codes 0..q-1 (NaN = no rating) -> units x q value counts."""
    return np.stack([(matrix == k).sum(axis=0) for k in range(q)], axis=1)


def finish(rows: np.ndarray, finisher, *args) -> float:
    return float(finisher(rows.sum(axis=0)[None], *args)[0])


def test_fleiss_kappa_reproduces_fleiss_1971():
    counts = counts_of(np.array(FLEISS_1971).T - 1, 5)
    rows = chance.chance_rows(counts, np.eye(5))
    sums = rows.sum(axis=0)
    assert sums[0] / sums[1] == pytest.approx(0.556, abs=5e-4)  # P-bar
    pi = sums[2:-1] / sums[-1]
    assert (pi * pi).sum() == pytest.approx(0.220, abs=5e-4)  # P-bar_e
    assert finish(rows, chance.fleiss_kappa, np.eye(5)) == pytest.approx(0.430, abs=5e-4)


def test_fleiss_kappa_reproduces_the_fourteen_rater_example():
    """The worked example of Wikipedia's "Fleiss' kappa" article: 10 subjects, 14 raters each,
    5 categories; P-bar = 0.378, P-bar_e = 0.213, kappa = 0.210."""
    counts = np.array([[0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0],
                       [2, 2, 8, 1, 1], [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2],
                       [6, 5, 2, 1, 0], [0, 2, 2, 3, 7]])
    rows = chance.chance_rows(counts, np.eye(5))
    assert finish(rows, chance.fleiss_kappa, np.eye(5)) == pytest.approx(0.210, abs=5e-4)


def test_fleiss_and_gwet_on_gwets_four_rater_example_with_missing_ratings():
    """Gwet's handbook (Handbook of Inter-Rater Reliability, 4th ed., 2014, ch. 2) uses
    Krippendorff's 4-rater, 12-unit data with missing ratings; irrCAC, Gwet's own package,
    gives Fleiss 0.76117, AC1 0.77544 and, with ordinal weights, AC2 0.89894."""
    counts = counts_of(KRIPPENDORFF_2011 - 1, 5)
    identity, ordinal = np.eye(5), chance.ordinal_weights(5)
    assert finish(chance.chance_rows(counts, identity), chance.fleiss_kappa, identity) == \
        pytest.approx(0.76117, abs=5e-6)
    assert finish(chance.chance_rows(counts, identity), chance.gwet_ac, identity) == \
        pytest.approx(0.77544, abs=5e-6)
    assert finish(chance.chance_rows(counts, ordinal), chance.gwet_ac, ordinal) == \
        pytest.approx(0.89894, abs=5e-6)


RATINGS = st.lists(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, nan]), min_size=3, max_size=3),
                   min_size=4, max_size=15)


@pytest.mark.filterwarnings("ignore::pandas.errors.SettingWithCopyWarning")  # in irrCAC
@settings(max_examples=40, deadline=None)
@given(RATINGS)
def test_fleiss_and_gwet_equal_irrcac(rows: list[list[float]]):
    """irrCAC (Gwet's reference implementation) computed here on arbitrary data with missing
    ratings; categories are the values that occur, as irrCAC takes them."""
    units = np.array(rows)
    present = sorted({v for v in units.ravel().tolist() if v == v})
    rated = (~np.isnan(units)).sum(axis=1)
    if len(present) < 2 or rated.max() < 2 or (rated > 0).sum() < 2:
        return  # irrCAC's variance divides by n(n-1) over the rated units: it needs two
    codes = np.array([[present.index(v) if v == v else nan for v in row] for row in rows])
    counts = counts_of(codes.T, len(present))
    reference = CAC(pd.DataFrame(units))
    for weights, name, method in ((np.eye(len(present)), "fleiss", chance.fleiss_kappa),
                                  (np.eye(len(present)), "gwet", chance.gwet_ac)):
        expected = getattr(reference, name)()["est"]["coefficient_value"]
        ours = finish(chance.chance_rows(counts, weights), method, weights)
        if not np.isnan(ours):
            assert ours == pytest.approx(expected, abs=1e-5)
    ordinal = chance.ordinal_weights(len(present))
    expected = CAC(pd.DataFrame(units), weights="ordinal").gwet()["est"]["coefficient_value"]
    ours = finish(chance.chance_rows(counts, ordinal), chance.gwet_ac, ordinal)
    if not np.isnan(ours):
        assert ours == pytest.approx(expected, abs=1e-5)


def test_alpha_from_sums_reproduces_krippendorff_2011():
    """Krippendorff (2011), section C: nominal 0.743; the ordinal figure the krippendorff
    package gives for the same data, 0.815."""
    counts = counts_of(KRIPPENDORFF_2011 - 1, 5)
    assert finish(chance.nominal_rows(counts), chance.alpha_nominal) == \
        pytest.approx(0.743, abs=5e-4)
    coincidences = chance.coincidence_rows(counts)
    assert finish(coincidences, chance.alpha_of_coincidences, "nominal") == \
        pytest.approx(0.743, abs=5e-4)
    assert finish(coincidences, chance.alpha_of_coincidences, "ordinal") == \
        pytest.approx(0.815, abs=5e-4)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.lists(st.sampled_from([0.0, 1.0, 2.0, 3.0, nan]), min_size=1, max_size=12),
                min_size=2, max_size=4).filter(lambda rows: len({len(r) for r in rows}) == 1))
def test_alpha_from_sums_equals_the_krippendorff_package(rows: list[list[float]]):
    matrix = np.array(rows)
    counts = counts_of(matrix, 4)
    values = matrix[~np.isnan(matrix)]
    if (counts.sum(axis=1) >= 2).sum() == 0 or len(np.unique(values)) < 2:
        return
    pairable = counts.sum(axis=1) >= 2
    if len(np.unique(matrix[:, pairable][~np.isnan(matrix[:, pairable])])) < 2:
        return
    for level in ("nominal", "ordinal"):
        expected = krippendorff.alpha(reliability_data=matrix, level_of_measurement=level,
                                      value_domain=[0.0, 1.0, 2.0, 3.0])
        ours = finish(chance.coincidence_rows(counts), chance.alpha_of_coincidences, level)
        assert ours == pytest.approx(expected)
    assert finish(chance.nominal_rows(counts), chance.alpha_nominal) == pytest.approx(
        krippendorff.alpha(reliability_data=matrix, level_of_measurement="nominal",
                           value_domain=[0.0, 1.0, 2.0, 3.0]))


def test_cohen_kappa_from_a_confusion_table():
    """Cohen's kappa worked example (two readers, 50 proposals): 20 yes/yes, 5 yes/no, 10
    no/yes, 15 no/no gives 0.4."""
    table = np.array([[20, 5, 10, 15]], dtype=float)
    assert chance.cohen_kappa(table)[0] == pytest.approx(0.4)
    assert np.isnan(chance.cohen_kappa(np.array([[10.0, 0, 0, 0]]))[0])


def test_rows_add_up_by_document():
    rows = np.arange(12, dtype=float).reshape(6, 2)
    document = np.array([2, 0, 2, 1, 0, 2])
    expected = np.array([[2 + 8, 3 + 9], [6, 7], [0 + 4 + 10, 1 + 5 + 11]])
    assert chance.per_document(rows, document, 3).tolist() == expected.tolist()
    big = np.repeat(rows, 20, axis=0)
    assert chance.per_document(big, np.repeat(document, 20), 3).tolist() == \
        (expected * 20).tolist()
