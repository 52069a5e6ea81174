"""One-to-one pairing of two annotators' overlapping spans: stance evidence, entities.

The rule (docs/review.md, "How frames are matched"): a span of ``a`` may be paired with a span
of ``b`` that overlaps it by at least one code point. Of all one-to-one pairings, the one with
the most pairs is taken, then the one sharing the most code points; remaining ties go to the
text order. The overlaps form a graph between the two sides; each connected piece of it is
solved on its own, which gives the same optimum as solving the whole at once. A piece of one
span on each side, by far the commonest, is a pair at once; a larger piece goes to the
Hungarian method.

``match_spans`` works on one document's lists (the review window); ``match_span_arrays`` on a
whole project's spans as numpy columns, where only the rare larger pieces reach Python. Both
hand a piece to the same ``_best_assignment`` with its spans in the same order, so they pair
the same spans (tests/unit/test_span_matching.py checks it).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

Span = tuple[int, int]


def overlap(a: Span, b: Span) -> int:
    """Code points two spans share."""
    shared = min(a[1], b[1]) - max(a[0], b[0])
    return shared if shared > 0 else 0


def match_spans(a: Sequence[Span], b: Sequence[Span]) -> list[tuple[int, int]]:
    """The best one-to-one pairing of overlapping spans: (index into ``a``, index into ``b``),
    sorted. Ties between equal spans go to the lower index."""
    edges = [(i, j) for i in range(len(a)) for j in range(len(b)) if overlap(a[i], b[j])]
    pairs = []
    for piece_a, piece_b in _pieces(edges):
        pairs += _solve(piece_a, piece_b, a, b)
    return sorted(pairs)


def match_span_arrays(a_start: np.ndarray, a_end: np.ndarray, b_start: np.ndarray,
                      b_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``match_spans`` over columns: (indices into a, indices into b) of the pairs.

    Spans of different documents or groups (labels, targets) must not overlap: callers offset
    each group into a range of its own.
    """
    return match_edges(*overlapping_pairs(a_start, a_end, b_start, b_end), a_start, a_end,
                       b_start, b_end)


def match_edges(edge_a: np.ndarray, edge_b: np.ndarray, a_start: np.ndarray, a_end: np.ndarray,
                b_start: np.ndarray, b_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``match_span_arrays`` given the spans' ``overlapping_pairs`` (for a caller that uses
    them for something else too)."""
    if not len(edge_a):
        return edge_a, edge_b
    degree_a = np.bincount(edge_a, minlength=len(a_start))
    degree_b = np.bincount(edge_b, minlength=len(b_start))
    simple = (degree_a[edge_a] == 1) & (degree_b[edge_b] == 1)
    found_a, found_b = [edge_a[simple]], [edge_b[simple]]
    rest = list(zip(edge_a[~simple].tolist(), edge_b[~simple].tolist(), strict=True))
    if rest:
        a_spans = list(zip(a_start.tolist(), a_end.tolist(), strict=True))
        b_spans = list(zip(b_start.tolist(), b_end.tolist(), strict=True))
        pairs = [pair for piece_a, piece_b in _pieces(rest)
                 for pair in _solve(piece_a, piece_b, a_spans, b_spans)]
        found_a.append(np.array([i for i, _ in pairs], dtype=np.int64))
        found_b.append(np.array([j for _, j in pairs], dtype=np.int64))
    return np.concatenate(found_a), np.concatenate(found_b)


def overlapping_pairs(a_start: np.ndarray, a_end: np.ndarray, b_start: np.ndarray,
                      b_end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every overlapping (a, b) pair (indices), found by binary search over b sorted by start."""
    empty = np.zeros(0, dtype=np.int64)
    if not len(a_start) or not len(b_start):
        return empty, empty
    order = np.argsort(b_start, kind="stable")
    starts, ends = b_start[order], b_end[order]
    reach = np.maximum.accumulate(ends)
    first = np.searchsorted(reach, a_start, side="right")  # b before it end by a's start
    last = np.searchsorted(starts, a_end, side="left")  # b from it start at a's end or later
    width = np.maximum(last - first, 0)
    edge_a = np.repeat(np.arange(len(a_start)), width)
    step = np.arange(len(edge_a)) - np.repeat(np.cumsum(width) - width, width)
    candidate = first[edge_a] + step
    real = ends[candidate] > a_start[edge_a]
    return edge_a[real], order[candidate[real]]


def _pieces(edges: list[tuple[int, int]]) -> list[tuple[list[int], list[int]]]:
    """Connected pieces of the overlap graph: (a indices, b indices), each sorted."""
    parent: dict[tuple[int, int], tuple[int, int]] = {}

    def root(node: tuple[int, int]) -> tuple[int, int]:
        parent.setdefault(node, node)
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for i, j in edges:
        parent[root((0, i))] = root((1, j))
    pieces: dict[tuple[int, int], tuple[list[int], list[int]]] = {}
    for node in list(parent):
        side, index = node
        pieces.setdefault(root(node), ([], []))[side].append(index)
    return [(sorted(a), sorted(b)) for a, b in pieces.values()]


def _solve(piece_a: list[int], piece_b: list[int], a: Sequence[Span], b: Sequence[Span]
           ) -> list[tuple[int, int]]:
    if len(piece_a) == 1 and len(piece_b) == 1:
        return [(piece_a[0], piece_b[0])]
    rows = sorted(piece_a, key=lambda i: (a[i], i))
    columns = sorted(piece_b, key=lambda j: (b[j], j))
    weights = [[overlap(a[i], b[j]) for j in columns] for i in rows]
    return [(rows[r], columns[c]) for r, c in _best_assignment(weights)]


def _best_assignment(weights: list[list[int]]) -> list[tuple[int, int]]:
    """The rows and columns paired so that the most pairs have a positive weight, then the
    weights' sum is largest (the Hungarian method on a padded square matrix; pairs of weight
    0 are dropped). A pair is worth ``bonus + weight`` with ``bonus`` above any total, so one
    more pair always beats more shared code points. Ties go to the first solution the method
    meets, which the row and column order (text order) fixes."""
    rows, columns = len(weights), len(weights[0])
    size = max(rows, columns)
    bonus = sum(map(sum, weights)) + 1
    cost = [[-(bonus + weights[i][j]) if i < rows and j < columns and weights[i][j] > 0 else 0
             for j in range(size)] for i in range(size)]
    assignment = _hungarian(cost)
    return [(i, j) for i, j in enumerate(assignment)
            if i < rows and j < columns and weights[i][j] > 0]


def _hungarian(cost: list[list[int]]) -> list[int]:
    """Column assigned to each row minimising the total cost of a square matrix (the O(n^3)
    potentials form of Kuhn and Munkres' method, in integers so it is exact)."""
    n = len(cost)
    infinity = float("inf")
    u = [0] * (n + 1)
    v = [0] * (n + 1)
    owner = [0] * (n + 1)  # owner[column] = row (1-based; 0 = free)
    way = [0] * (n + 1)
    for row in range(1, n + 1):
        owner[0] = row
        column = 0
        least = [infinity] * (n + 1)
        used = [False] * (n + 1)
        while True:
            used[column] = True
            here, delta, nearest = owner[column], infinity, 0
            for j in range(1, n + 1):
                if used[j]:
                    continue
                reduced = cost[here - 1][j - 1] - u[here] - v[j]
                if reduced < least[j]:
                    least[j], way[j] = reduced, column
                if least[j] < delta:
                    delta, nearest = least[j], j
            for j in range(n + 1):
                if used[j]:
                    u[owner[j]] += delta
                    v[j] -= delta
                else:
                    least[j] -= delta
            column = nearest
            if owner[column] == 0:
                break
        while column:
            previous = way[column]
            owner[column] = owner[previous]
            column = previous
    assignment = [0] * n
    for j in range(1, n + 1):
        assignment[owner[j] - 1] = j - 1
    return assignment
