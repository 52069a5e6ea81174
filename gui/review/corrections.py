"""What each annotator did with the pre-fill: every suggestion paired with what they kept.

An annotator's set starts as a copy of the document's pre-fill (``Project.ensure_set``), so
their finished set compared with the pre-fill says what correcting cost: each suggestion was
accepted unchanged, relabelled, resized (or given another holder), or deleted, and whatever
has no suggestion behind it was added by hand. The comparison is made on what is stored, not
by replaying the history: it gives the same answer however the annotator got there (undo,
redo, delete-and-redraw), and it holds for sets merged in from annotators' own files, whose
history stays in those files.

Pairing, per set: equal items first (an accepted suggestion); then, among overlapping
suggestion/kept pairs, the ones that share the most fields (label; or target, polarity,
holder; and the span), then the larger overlap, one to one. A pair is classified by the most
important field that differs: the label (entities) or the target or polarity (stances) makes
it *relabelled*, then the holder (*holder*), then the span (*resized*).

Only sets marked ``done`` count (a set in progress still holds suggestions nobody has looked
at), never the gold set, and never a set that came from an import (its annotations were not
made over these suggestions).
"""

from __future__ import annotations

import functools
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from gui.core.store import GOLD, Project
from gui.review.sets import EntityKey, StanceKey, item_key

ACCEPTED = "accepted"
RELABELLED = "relabelled"
HOLDER = "holder"
RESIZED = "resized"
DELETED = "deleted"
ADDED = "added"
OUTCOMES = (ACCEPTED, RELABELLED, HOLDER, RESIZED, DELETED, ADDED)
CHANGES = (RELABELLED, HOLDER, RESIZED, DELETED, ADDED)  # each one a correction


class Outcome(NamedTuple):  # a tuple, not a dataclass: a project makes millions of them
    kind: str  # one of OUTCOMES
    group: str  # the label or target: the suggestion's, or for an addition the kept item's
    suggested: tuple | None  # the suggestion (None for an addition)
    kept: tuple | None  # what the annotator kept (None for a deletion)


@dataclass
class SetCorrections:
    """One finished set against the pre-fill of its document."""

    set_id: int
    document_id: int
    annotator: str
    at: str  # when the annotator last worked on it (ISO time)
    prefilled: bool  # whether the document had been pre-filled at all
    entities: list[EntityKey] = field(default_factory=list)
    stances: list[StanceKey] = field(default_factory=list)
    entity_outcomes: list[Outcome] = field(default_factory=list)
    stance_outcomes: list[Outcome] = field(default_factory=list)
    _multisets: dict[tuple[str, str], Counter] = field(default_factory=dict, repr=False)

    def held(self, layer: str) -> Counter:
        """The kept items of a layer as a multiset (made once: every pair asks again)."""
        key = ("held", layer)
        if key not in self._multisets:
            self._multisets[key] = Counter(self.entities if layer == "entity" else self.stances)
        return self._multisets[key]

    def accepted(self, layer: str) -> Counter:
        """The kept items that are suggestions taken unchanged (a multiset, made once)."""
        key = ("accepted", layer)
        if key not in self._multisets:
            outcomes = self.entity_outcomes if layer == "entity" else self.stance_outcomes
            self._multisets[key] = Counter(o.kept for o in outcomes if o.kind == ACCEPTED)
        return self._multisets[key]

    @functools.cached_property
    def kinds(self) -> Counter:
        """How often each outcome happened in this set, both layers (counted once)."""
        return Counter(o.kind for o in (*self.entity_outcomes, *self.stance_outcomes))

    @property
    def corrections(self) -> int:
        return sum(n for kind, n in self.kinds.items() if kind != ACCEPTED)


def _overlap(a: tuple, b: tuple) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def pair_items(
    suggested: Sequence[tuple], kept: Sequence[tuple], shared: Callable[[tuple, tuple], int]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """(suggestion index, kept index) pairs, then the unpaired suggestions and kept items.

    Equal items pair first; the rest pair by ``shared(s, k)`` (fields in common), then by
    overlap, one to one; only overlapping items pair at all.
    """
    if len(suggested) == len(kept) and list(suggested) == list(kept):
        return [(i, i) for i in range(len(kept))], [], []  # kept as suggested, in one pass
    waiting: dict[tuple, list[int]] = defaultdict(list)
    for index, item in enumerate(kept):
        waiting[item].append(index)
    pairs: list[tuple[int, int]] = []
    rest_suggested = []
    for index, item in enumerate(suggested):
        if waiting.get(item):
            pairs.append((index, waiting[item].pop(0)))
        else:
            rest_suggested.append(index)
    taken = {k for _, k in pairs}
    rest_kept = [k for k in range(len(kept)) if k not in taken]
    candidates = sorted(
        (-shared(suggested[s], kept[k]), -_overlap(suggested[s], kept[k]), s, k)
        for s in rest_suggested
        for k in rest_kept
        if _overlap(suggested[s], kept[k]) > 0
    )
    used_s: set[int] = set()
    used_k: set[int] = set()
    for _score, _overlap_size, s, k in candidates:
        if s not in used_s and k not in used_k:
            pairs.append((s, k))
            used_s.add(s)
            used_k.add(k)
    return (
        pairs,
        [s for s in rest_suggested if s not in used_s],
        [k for k in rest_kept if k not in used_k],
    )


def _entity_shared(s: tuple, k: tuple) -> int:
    return (s[2] == k[2]) + (s[:2] == k[:2])


def _entity_kind(s: tuple, k: tuple) -> str:
    if s == k:
        return ACCEPTED
    return RELABELLED if s[2] != k[2] else RESIZED


def _stance_shared(s: tuple, k: tuple) -> int:
    # The target counts double: a stance on another target is hardly the same suggestion.
    return 2 * (s[2] == k[2]) + (s[3] == k[3]) + (s[4:6] == k[4:6]) + (s[:2] == k[:2])


def _stance_kind(s: tuple, k: tuple) -> str:
    if s == k:
        return ACCEPTED
    if s[2:4] != k[2:4]:
        return RELABELLED
    return HOLDER if s[4:6] != k[4:6] else RESIZED


def compare(
    suggested: Sequence[tuple], kept: Sequence[tuple], layer: str
) -> list[Outcome]:
    """The outcome of every suggestion, and an ``added`` for every kept item without one."""
    shared, kind = ((_entity_shared, _entity_kind) if layer == "entity"
                    else (_stance_shared, _stance_kind))
    pairs, deleted, added = pair_items(suggested, kept, shared)
    outcomes = [Outcome(kind(suggested[s], kept[k]), suggested[s][2], suggested[s], kept[k])
                for s, k in pairs]
    outcomes += [Outcome(DELETED, suggested[s][2], suggested[s], None) for s in deleted]
    outcomes += [Outcome(ADDED, kept[k][2], None, kept[k]) for k in added]
    outcomes.sort(key=lambda o: (o.suggested or o.kept)[:2])
    return outcomes


def read_corrections(project: Project) -> list[SetCorrections]:
    """Every finished, pre-filled set of the project against its suggestions, read in bulk
    (a query per table, not per set)."""
    conn = project.conn
    excluded = {
        row[0]
        for row in conn.execute(
            "SELECT set_id FROM history WHERE action = 'import' AND set_id IS NOT NULL "
            "UNION SELECT set_id FROM entities WHERE origin IN ('import', 'gold') "
            "UNION SELECT set_id FROM stances WHERE origin IN ('import', 'gold')"
        )
    }
    prefilled = {row[0] for row in conn.execute("SELECT document_id FROM prefill_runs")}
    sets: dict[int, SetCorrections] = {}
    for set_id, doc_id, annotator, at in conn.execute(
        "SELECT id, document_id, annotator, coalesce(edited_at, updated_at) FROM annotation_sets "
        "WHERE status = 'done' AND annotator != ? ORDER BY document_id, annotator",
        (GOLD,),
    ):
        if set_id not in excluded:
            sets[set_id] = SetCorrections(set_id, doc_id, annotator, at, doc_id in prefilled)
    done = "SELECT id FROM annotation_sets WHERE status = 'done' AND annotator != ?"
    # Rows sliced, not unpacked and rebuilt: this loop runs for every annotation.
    for row in conn.execute(
        f'SELECT set_id, start, "end", label FROM entities WHERE set_id IN ({done})', (GOLD,)
    ):
        found = sets.get(row[0])
        if found is not None:
            found.entities.append(row[1:])
    for row in conn.execute(
        'SELECT set_id, start, "end", target, polarity, holder_start, holder_end FROM stances '
        f"WHERE set_id IN ({done})",
        (GOLD,),
    ):
        found = sets.get(row[0])
        if found is not None:
            found.stances.append(row[1:])
    documents = {s.document_id for s in sets.values()}
    suggested_entities: dict[int, list[tuple]] = defaultdict(list)
    suggested_stances: dict[int, list[tuple]] = defaultdict(list)
    for row in conn.execute('SELECT document_id, start, "end", label FROM prefill_entities'):
        if row[0] in documents:
            suggested_entities[row[0]].append(row[1:])
    for row in conn.execute(
        'SELECT document_id, start, "end", target, polarity, holder_start, holder_end '
        "FROM prefill_stances"
    ):
        if row[0] in documents:
            suggested_stances[row[0]].append(row[1:])
    for items in (*suggested_entities.values(), *suggested_stances.values()):
        items.sort(key=item_key)  # as the kept items are, so an unchanged set compares equal
    for found in sets.values():
        found.entities.sort(key=item_key)
        found.stances.sort(key=item_key)
        found.entity_outcomes = compare(suggested_entities[found.document_id], found.entities,
                                        "entity")
        found.stance_outcomes = compare(suggested_stances[found.document_id], found.stances,
                                        "stance")
    return list(sets.values())
