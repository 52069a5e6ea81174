"""Where annotators disagree on one document, and how much a document is disputed.

Annotations are grouped into clusters: entities (or stances) of any annotator whose spans
overlap, chained, form one cluster. A cluster where every annotator has exactly the same
annotations is an agreement; otherwise it is a disagreement of one or more kinds. A
cluster is also what a reviewer resolves in one step: taking one annotator's version of it
into the gold set replaces whatever gold has in that stretch.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from gui.review.columns import ComparedSets, lexsort_order
from gui.review.sets import DoneSet, StanceKey, item_key

MISSING = "missing span"
BOUNDARIES = "other boundaries"
LABEL = "other label"
TARGET_OR_POLARITY = "other target or polarity"
HOLDER = "other holder"
KINDS = (MISSING, BOUNDARIES, LABEL, TARGET_OR_POLARITY, HOLDER)

# One annotation, comparable across annotators. Entities: (start, end, label);
# stances: (start, end, target, polarity, holder_start, holder_end).
Item = tuple


@dataclass(frozen=True)
class Cluster:
    layer: str  # "entity" or "stance"
    start: int
    end: int
    versions: Mapping[str, tuple[Item, ...]]  # annotator -> their items here (maybe none)
    kinds: tuple[str, ...]  # empty: everyone agrees
    target: str | None = None  # a stance frame's target: the cluster holds only its stances

    @property
    def agreed(self) -> bool:
        return not self.kinds

    def holds(self, item: Item) -> bool:
        """Whether an item (of this cluster's layer) lies in the cluster: overlapping its
        stretch and, for a stance frame, on its target."""
        if not (item[0] < self.end and self.start < item[1]):
            return False
        return self.target is None or item[2] == self.target

    def annotators_with(self, items: Sequence[Item]) -> list[str]:
        """The annotators whose version is exactly ``items`` (e.g. what gold now holds)."""
        wanted = tuple(sorted(items, key=item_key))
        return [name for name, version in self.versions.items() if version == wanted]


def _components(items: list[tuple[str, Item]]) -> list[list[tuple[str, Item]]]:
    """Chains of overlapping spans, in text order."""
    groups: list[list[tuple[str, Item]]] = []
    reach = -1
    for owner, item in sorted(items, key=lambda pair: (pair[1][0], pair[1][1])):
        if groups and item[0] < reach:
            groups[-1].append((owner, item))
            reach = max(reach, item[1])
        else:
            groups.append([(owner, item)])
            reach = item[1]
    return groups


def _entity_kinds(versions: dict[str, tuple[Item, ...]]) -> tuple[str, ...]:
    kinds = []
    present = [v for v in versions.values() if v]
    if len(present) < len(versions):
        kinds.append(MISSING)
    if len({frozenset((s, e) for s, e, _ in v) for v in present}) > 1:
        kinds.append(BOUNDARIES)
    labels: dict[tuple[int, int], set[str]] = {}
    for version in present:
        for start, end, label in version:
            labels.setdefault((start, end), set()).add(label)
    if any(len(found) > 1 for found in labels.values()):
        kinds.append(LABEL)
    return tuple(kinds)


def stance_kinds(versions: dict[str, tuple[Item, ...]]) -> tuple[str, ...]:
    kinds = []
    present = [v for v in versions.values() if v]
    if len(present) < len(versions):
        kinds.append(MISSING)
    if len({frozenset((s[0], s[1]) for s in v) for v in present}) > 1:
        kinds.append(BOUNDARIES)
    if len({frozenset(Counter((s[2], s[3]) for s in v).items()) for v in present}) > 1:
        kinds.append(TARGET_OR_POLARITY)
    holders: dict[tuple[str, str], set[tuple[int | None, int | None]]] = {}
    for version in present:
        for stance in version:
            holders.setdefault((stance[2], stance[3]), set()).add((stance[4], stance[5]))
    if any(len(found) > 1 for found in holders.values()):
        kinds.append(HOLDER)
    return tuple(kinds)


def clusters(sets: Mapping[str, DoneSet]) -> list[Cluster]:
    """Every cluster of one document's compared sets, entities first, each in text order."""
    names = sorted(sets)
    found: list[Cluster] = []
    for layer, attr, judge in (
        ("entity", "entities", _entity_kinds),
        ("stance", "stances", stance_kinds),
    ):
        items = [(name, item) for name in names for item in getattr(sets[name], attr)]
        for group in _components(items):
            versions = {
                name: tuple(sorted((item for owner, item in group if owner == name), key=item_key))
                for name in names
            }
            if len(set(versions.values())) == 1:
                kinds: tuple[str, ...] = ()
            else:
                kinds = judge(versions) or (MISSING,)
            found.append(
                Cluster(
                    layer,
                    min(item[0] for _, item in group),
                    max(item[1] for _, item in group),
                    versions,
                    kinds,
                )
            )
    return found


def dispute_score(found: Sequence[Cluster]) -> float:
    """The share of a document's clusters that are disagreements (0 when it has none)."""
    if not found:
        return 0.0
    return sum(not c.agreed for c in found) / len(found)


def dispute_counts_by_document(
    document: np.ndarray, owner: np.ndarray, start: np.ndarray, end: np.ndarray,
    item: np.ndarray, everyone: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """How many of each document's ``clusters`` of one layer disagree, and how many there
    are, for every document at once (without building a Cluster), over the layer's rows as
    columns.

    ``start``/``end`` are global offsets (documents never share a cluster), ``item`` numbers
    equal annotations equally, ``everyone`` is how many annotators finished each document.
    A cluster is agreed when every annotator holds each of its items equally often, which is
    the same as every annotator holding the same sorted list. Returns (disagreements, clusters)
    per document.
    """
    documents = len(everyone)
    if not len(start):
        return np.zeros(documents, dtype=np.int64), np.zeros(documents, dtype=np.int64)
    order = np.argsort(start, kind="stable")
    reach = np.maximum.accumulate(end[order])
    cluster = np.empty(len(order), dtype=np.int64)
    cluster[order] = np.cumsum(np.concatenate(([True], start[order][1:] >= reach[:-1]))) - 1
    rows = lexsort_order((owner, item, cluster))
    cluster, item, owner, document = cluster[rows], item[rows], owner[rows], document[rows]
    held = _starts(cluster, item, owner)  # one per (cluster, item, owner): how often held
    times = np.diff(np.append(held, len(rows)))
    kinds = _starts(cluster[held], item[held])  # one per (cluster, item)
    holders = np.diff(np.append(kinds, len(held)))
    fewest = np.minimum.reduceat(times, kinds)
    most = np.maximum.reduceat(times, kinds)
    where = held[kinds]
    agreed_item = (holders == everyone[document[where]]) & (fewest == most)
    clusters = cluster[where]
    disagreeing = np.bincount(clusters, weights=~agreed_item, minlength=cluster[-1] + 1) > 0
    first_row = np.flatnonzero(np.diff(cluster, prepend=-1))
    cluster_document = document[first_row]
    total = np.bincount(cluster_document, minlength=documents)
    disputed = np.bincount(cluster_document, weights=disagreeing, minlength=documents)
    return disputed.astype(np.int64), total


def _starts(*columns: np.ndarray) -> np.ndarray:
    """Indices where a row of the sorted columns differs from the one before."""
    new = np.zeros(len(columns[0]), dtype=bool)
    new[0] = True
    for column in columns:
        new[1:] |= column[1:] != column[:-1]
    return np.flatnonzero(new)


def stance_disputes(sets: ComparedSets, stances: dict[int, dict[str, list[StanceKey]]]
                    ) -> np.ndarray:
    """documents x (disagreeing stance clusters, stance clusters)."""
    return np.column_stack(dispute_counts_by_document(*_stance_columns(sets, stances),
                                                      sets.everyone))


def _stance_columns(sets: ComparedSets, stances: dict[int, dict[str, list[StanceKey]]]
                    ) -> tuple[np.ndarray, ...]:
    """(document, annotator, global start, global end, item number) of every stance."""
    who = {name: i for i, name in enumerate(sets.annotators)}
    numbers: dict[tuple, int] = {}
    rows = [
        (document, who[name], document * sets.stride + stance[0],
         document * sets.stride + stance[1], numbers.setdefault((document, *stance), len(numbers)))
        for document, by_name in stances.items()
        for name, found in by_name.items()
        for stance in found
    ]
    columns = np.array(rows, dtype=np.int64).reshape(-1, 5)
    return tuple(columns.T)
