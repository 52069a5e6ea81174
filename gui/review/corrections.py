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
from gui.review.sets import EntityKey, StanceKey, load_done_sets

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
    # Suggestions kept unchanged, as multisets (most of a set, so no Outcome each); the
    # outcomes are those of every other suggestion and of the additions.
    entity_accepted: Counter = field(default_factory=Counter)
    stance_accepted: Counter = field(default_factory=Counter)
    entity_outcomes: list[Outcome] = field(default_factory=list)
    stance_outcomes: list[Outcome] = field(default_factory=list)
    _held: dict[str, Counter] = field(default_factory=dict, repr=False)

    def held(self, layer: str) -> Counter:
        """The kept items of a layer as a multiset (made once: every pair asks again)."""
        if layer not in self._held:
            self._held[layer] = Counter(self.entities if layer == "entity" else self.stances)
        return self._held[layer]

    def accepted(self, layer: str) -> Counter:
        """The kept items that are suggestions taken unchanged (a multiset)."""
        return self.entity_accepted if layer == "entity" else self.stance_accepted

    def layer_kinds(self, layer: str) -> Counter:
        """How often each outcome happened in one layer."""
        outcomes = self.entity_outcomes if layer == "entity" else self.stance_outcomes
        found = Counter(o.kind for o in outcomes)
        found[ACCEPTED] += self.accepted(layer).total()
        return found

    @functools.cached_property
    def kinds(self) -> Counter:
        """How often each outcome happened in this set, both layers (counted once)."""
        return self.layer_kinds("entity") + self.layer_kinds("stance")

    @property
    def corrections(self) -> int:
        return sum(n for kind, n in self.kinds.items() if kind != ACCEPTED)


def _overlap(a: tuple, b: tuple) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def pair_items(
    suggested: Sequence[tuple], kept: Sequence[tuple], shared: Callable[[tuple, tuple], int]
) -> tuple[Counter, list[tuple[tuple, tuple]], list[tuple], list[tuple]]:
    """The equal items (a multiset), the other (suggestion, kept) pairs, then the unpaired
    suggestions and kept items.

    Equal items pair first (counted, not walked: most of a set is kept as suggested); the
    rest pair by ``shared(s, k)`` (fields in common), then by overlap, one to one; only
    overlapping items pair at all. Ties go to the order the items were given in.
    """
    offered, held = Counter(suggested), Counter(kept)
    equal = offered & held
    rest_suggested = list((offered - equal).elements())
    rest_kept = list((held - equal).elements())
    candidates = sorted(
        (-shared(s, k), -_overlap(s, k), i, j)
        for i, s in enumerate(rest_suggested)
        for j, k in enumerate(rest_kept)
        if _overlap(s, k) > 0
    )
    pairs: list[tuple[tuple, tuple]] = []
    used_s: set[int] = set()
    used_k: set[int] = set()
    for _score, _overlap_size, i, j in candidates:
        if i not in used_s and j not in used_k:
            pairs.append((rest_suggested[i], rest_kept[j]))
            used_s.add(i)
            used_k.add(j)
    return (
        equal,
        pairs,
        [s for i, s in enumerate(rest_suggested) if i not in used_s],
        [k for j, k in enumerate(rest_kept) if j not in used_k],
    )


def _entity_shared(s: tuple, k: tuple) -> int:
    return (s[2] == k[2]) + (s[:2] == k[:2])


def _entity_kind(s: tuple, k: tuple) -> str:
    return RELABELLED if s[2] != k[2] else RESIZED


def _stance_shared(s: tuple, k: tuple) -> int:
    # The target counts double: a stance on another target is hardly the same suggestion.
    return 2 * (s[2] == k[2]) + (s[3] == k[3]) + (s[4:6] == k[4:6]) + (s[:2] == k[:2])


def _stance_kind(s: tuple, k: tuple) -> str:
    if s[2:4] != k[2:4]:
        return RELABELLED
    return HOLDER if s[4:6] != k[4:6] else RESIZED


def compare(
    suggested: Sequence[tuple], kept: Sequence[tuple], layer: str
) -> tuple[Counter, list[Outcome]]:
    """The suggestions kept unchanged (a multiset), and the outcome of every other suggestion
    with an ``added`` for every kept item without one, in text order."""
    shared, kind = ((_entity_shared, _entity_kind) if layer == "entity"
                    else (_stance_shared, _stance_kind))
    equal, pairs, deleted, added = pair_items(suggested, kept, shared)
    outcomes = [Outcome(kind(s, k), s[2], s, k) for s, k in pairs]
    outcomes += [Outcome(DELETED, s[2], s, None) for s in deleted]
    outcomes += [Outcome(ADDED, k[2], None, k) for k in added]
    outcomes.sort(key=lambda o: (o.suggested or o.kept)[:2])
    return equal, outcomes


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
    at = dict(conn.execute(
        "SELECT id, coalesce(edited_at, updated_at) FROM annotation_sets "
        "WHERE status = 'done' AND annotator != ?", (GOLD,)))
    sets = {
        done.set_id: SetCorrections(done.set_id, done.document_id, done.annotator,
                                    at[done.set_id], done.document_id in prefilled,
                                    done.entities, done.stances)
        for by_annotator in load_done_sets(project, minimum=1).values()
        for done in by_annotator.values()
        if done.set_id not in excluded
    }
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
    for found in sets.values():
        found.entity_accepted, found.entity_outcomes = compare(
            suggested_entities[found.document_id], found.entities, "entity")
        found.stance_accepted, found.stance_outcomes = compare(
            suggested_stances[found.document_id], found.stances, "stance")
    return list(sets.values())
