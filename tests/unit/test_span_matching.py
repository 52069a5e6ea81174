"""The column-wise span matching pairs exactly the spans the per-document one pairs."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from gui.review.span_matching import match_span_arrays, match_spans

SPAN = st.tuples(st.integers(0, 40), st.integers(1, 10)).map(lambda p: (p[0], p[0] + p[1]))
# each group (a document, a label) is a list of a's spans and b's spans
GROUPS = st.lists(st.tuples(st.lists(SPAN, max_size=5), st.lists(SPAN, max_size=5)),
                  min_size=1, max_size=6)
STRIDE = 100


@settings(max_examples=200, deadline=None)
@given(GROUPS)
def test_columns_pair_what_the_lists_pair(groups):
    expected = set()
    a_rows, b_rows = [], []
    for g, (a, b) in enumerate(groups):
        a_base, b_base = len(a_rows), len(b_rows)
        expected |= {(a_base + i, b_base + j) for i, j in match_spans(a, b)}
        a_rows += [(g * STRIDE + s, g * STRIDE + e) for s, e in a]
        b_rows += [(g * STRIDE + s, g * STRIDE + e) for s, e in b]
    a_cols = np.array(a_rows, dtype=np.int64).reshape(-1, 2).T
    b_cols = np.array(b_rows, dtype=np.int64).reshape(-1, 2).T
    found_a, found_b = match_span_arrays(a_cols[0], a_cols[1], b_cols[0], b_cols[1])
    assert set(zip(found_a.tolist(), found_b.tolist(), strict=True)) == expected


def test_nested_spans_are_found_behind_a_long_one():
    """b's long span reaches over a short one that ends early: the search must look past it."""
    a_start, a_end = np.array([12]), np.array([14])
    b_start, b_end = np.array([0, 2, 11]), np.array([30, 4, 13])
    found_a, found_b = match_span_arrays(a_start, a_end, b_start, b_end)
    assert (found_a.tolist(), found_b.tolist()) == ([0], [0]) or \
        (found_a.tolist(), found_b.tolist()) == ([0], [2])
    assert match_spans([(12, 14)], [(0, 30), (2, 4), (11, 13)]) == \
        list(zip(found_a.tolist(), found_b.tolist(), strict=True))
