"""What the review window lists: entity clusters as before, stances as matched frames.

A stance is reviewed as a frame (holder, target, polarity, evidence): each pair of annotators'
frames is matched with ``frames.match_frames`` (same target, overlapping evidence, one to
one) and frames matched across any pair form one row. So a holder disagreement is one row
saying "holder: ana: Russia · ben: Lavrov", and two stances on different targets in one
sentence are two rows, each decided (and taken into gold) on its own.

The agreement report's "most disputed documents" still count the overlap clusters of
``disputes.clusters``; the queue's score here counts these rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping

from gui.review.disputes import (
    BOUNDARIES,
    HOLDER,
    MISSING,
    TARGET_OR_POLARITY,
    Cluster,
    clusters,
    stance_kinds,
)
from gui.review.frames import Frame, match_frames
from gui.review.sets import DoneSet, item_key


def _frames(done: DoneSet) -> list[Frame]:
    """A set's stances as frames, numbered by their place in ``done.stances``."""
    return [Frame(index, done.document_id, done.annotator, target, polarity, start, end,
                  None if h_start is None else (h_start, h_end), None)
            for index, (start, end, target, polarity, h_start, h_end) in enumerate(done.stances)]


def stance_clusters(sets: Mapping[str, DoneSet]) -> list[Cluster]:
    """One cluster per group of frames matched across annotators, in text order."""
    names = sorted(sets)
    frames = {name: _frames(sets[name]) for name in names}
    parent: dict[tuple[str, int], tuple[str, int]] = {
        (name, f.stance_id): (name, f.stance_id) for name in names for f in frames[name]}

    def root(node: tuple[str, int]) -> tuple[str, int]:
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    for a, b in itertools.combinations(names, 2):
        for match in match_frames(frames[a], frames[b]):
            if match.a is not None and match.b is not None:
                parent[root((b, match.b.stance_id))] = root((a, match.a.stance_id))
    groups: dict[tuple[str, int], list[tuple[str, tuple]]] = {}
    for name, index in parent:
        groups.setdefault(root((name, index)), []).append((name, sets[name].stances[index]))
    found = []
    for members in groups.values():
        versions = {name: tuple(sorted((item for owner, item in members if owner == name),
                                       key=item_key)) for name in names}
        kinds = () if len(set(versions.values())) == 1 else stance_kinds(versions) or (MISSING,)
        found.append(Cluster("stance", min(item[0] for _, item in members),
                             max(item[1] for _, item in members), versions, kinds,
                             members[0][1][2]))
    return sorted(found, key=lambda c: (c.start, c.end, c.target or ""))


def review_clusters(sets: Mapping[str, DoneSet]) -> list[Cluster]:
    """Every row of one document's review: entity clusters first, then stance frames."""
    return [c for c in clusters(sets) if c.layer == "entity"] + stance_clusters(sets)


def _holder_text(item: tuple, text: str) -> str:
    h_start, h_end = item[4], item[5]
    return "no holder" if h_start is None else " ".join(text[h_start:h_end].split())


def difference(cluster: Cluster, text: str) -> str:
    """What differs in a cluster, in one line of plain text ("holder: ana: Russia · ben:
    Lavrov"); "same entity" or "same stance" when everyone agrees."""
    if cluster.agreed:
        return f"same {cluster.layer}"
    if cluster.layer == "entity":
        return ", ".join(cluster.kinds)
    present = {name: items for name, items in cluster.versions.items() if items}
    parts = []

    def each(values) -> str:
        return " · ".join(f"{name}: {', '.join(values(items))}" for name, items in present.items())

    if HOLDER in cluster.kinds:
        parts.append("holder: " + each(lambda items: [_holder_text(i, text) for i in items]))
    if TARGET_OR_POLARITY in cluster.kinds:
        parts.append("polarity: " + each(lambda items: [i[3] for i in items]))
    if BOUNDARIES in cluster.kinds:
        parts.append("evidence boundaries")
    missing = [name for name, items in cluster.versions.items() if not items]
    if missing:
        parts.append("not marked by " + ", ".join(missing))
    return "; ".join(parts)
