"""Assignment: which documents each annotator is asked to do, balanced and reproducible.

Each document goes to ``per_document`` annotators; a share of them (``overlap``) to one more,
so that two or more people do the same document and agreement can be measured. The plan is
a pure function of its inputs (the documents' content hashes, what is already assigned and
started, the team, the numbers and the seed), so the same inputs give the same assignment on
any copy of the project, and the rows are written in one transaction through the store.

Rules (docs/team.md says the same for users):

- Documents already assigned keep their annotators: adding documents later assigns only the
  new ones. The share of extra annotators is kept over all the documents assigned so far, so
  adding documents one at a time still shares the right number of them.
- Each new document goes to the least loaded members of the team (ties broken by the seed),
  so on a fresh project every annotator's load is within one document of the others'; the
  second annotator of a shared document is the one least often paired with the first, which
  spreads the overlap evenly over pairs.
- Re-running with a different team: a document someone has *started* (they have an
  annotation set for it) is never taken from them. Unstarted assignments of people no longer
  in the team go to the team's least loaded members; then, while one team member has two or
  more documents more than another, unstarted documents move from the most to the least
  loaded. Started work is never moved.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any

from gui.core.errors import MarginaliaError, ProjectError
from gui.core.store import GOLD, Project, check_annotator_name, now

Pair = tuple[int, str]  # (document id, annotator)


class AssignmentError(MarginaliaError):
    """The request itself cannot be met (its numbers or names), whatever the project holds."""


@dataclass(frozen=True)
class Request:
    """What to assign: the team and the numbers, checked on construction."""

    annotators: tuple[str, ...]
    per_document: int = 1
    overlap: float = 0.0
    seed: int = 0
    documents: tuple[int, ...] | None = None  # None: every document in the project

    def __post_init__(self) -> None:
        if not self.annotators:
            raise AssignmentError("name at least one annotator")
        names = []
        for raw in self.annotators:
            try:
                names.append(check_annotator_name(raw))
            except ProjectError as exc:
                raise AssignmentError(exc.reason) from None
        object.__setattr__(self, "annotators", tuple(dict.fromkeys(names)))
        if not 0.0 <= self.overlap <= 1.0:
            raise AssignmentError(f"overlap must be between 0 and 1, not {self.overlap:g}")
        if self.per_document < 1:
            raise AssignmentError(f"per-document must be at least 1, not {self.per_document}")
        team = len(self.annotators)
        if self.per_document > team:
            raise AssignmentError(
                f"per-document {self.per_document} is larger than the team of {team}")
        if self.overlap > 0 and self.per_document + 1 > team:
            raise AssignmentError(
                f"an overlap needs {self.per_document + 1} annotators for its shared documents; "
                f"the team has {team}")


@dataclass(frozen=True)
class Load:
    """One annotator's line of the summary."""

    annotator: str
    assigned: int
    shared: int  # of the assigned, those someone else is assigned too
    done: int  # of the assigned, those this annotator marked done
    added: int = 0  # assigned by this run
    removed: int = 0  # taken from this annotator by this run (never started work)
    in_team: bool = True

    def to_json(self) -> dict[str, Any]:
        return {"annotator": self.annotator, "assigned": self.assigned, "shared": self.shared,
                "done": self.done, "added": self.added, "removed": self.removed,
                "in_team": self.in_team}


@dataclass
class Plan:
    """The rows a run adds and removes, and the summary as it will be once applied."""

    request: Request
    add: list[Pair] = field(default_factory=list)
    remove: list[Pair] = field(default_factory=list)
    loads: list[Load] = field(default_factory=list)
    state: tuple[int, ...] = ()  # the project as the plan saw it (see ``_fingerprint``)

    @property
    def changes(self) -> bool:
        return bool(self.add or self.remove)


# ---- the pure part ------------------------------------------------------------------------

def _digest(*parts: object) -> int:
    # hashlib is imported here, not at the top: the window imports this module before its
    # first paint (the document list's queue order), and loading hashlib's OpenSSL backend
    # cost that start ~3 ms of CPU that only assigning documents needs.
    import hashlib

    raw = "\x00".join(str(p) for p in parts).encode("utf-8", "surrogatepass")
    return int.from_bytes(hashlib.blake2b(raw, digest_size=8).digest(), "big")


def compute(
    documents: Sequence[tuple[int, str]],
    existing: dict[int, set[str]],
    started: set[Pair],
    request: Request,
    *,
    scope: Iterable[int] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> tuple[set[Pair], set[Pair]]:
    """The (document, annotator) pairs to add and to remove. Pure and deterministic.

    ``documents`` are (id, content hash) of every document (loads count the whole project);
    ``scope`` the ids this run may change (default: all). Ties are broken by the seed and
    the content hash, not the id, so a copy of the project with other ids agrees.
    """
    team = request.annotators
    members = set(team)
    k = request.per_document
    hashes = dict(documents)
    in_scope = set(hashes) if scope is None else set(scope)
    priority = {d: _digest(request.seed, hashes[d]) for d in in_scope}
    order = sorted(in_scope, key=lambda d: (priority[d], d))
    rank = {name: _digest(request.seed, name) for name in team}
    base = {name: i for i, name in enumerate(sorted(team, key=lambda n: (rank[n], n)))}
    current = {d: set(names) for d, names in existing.items() if names}
    size = len(team)
    # Unordered pairs as one key whichever way round (sorting two names per candidate per
    # document was a third of the time on 100,000 documents).
    pair = {(a, b): (min(a, b), max(a, b)) for a in team for b in team if a != b}
    loads = Counter({name: 0 for name in team})
    pairs: Counter[tuple[str, str]] = Counter()
    for names in current.values():
        on = sorted(names & members)
        loads.update(on)
        pairs.update((a, b) for i, a in enumerate(on) for b in on[i + 1:])
    added: set[Pair] = set()
    removed: set[Pair] = set()

    def give(doc: int, name: str) -> None:
        names = current.setdefault(doc, set())
        for other in names:
            if other in members:
                pairs[pair[name, other]] += 1
        names.add(name)
        loads[name] += 1
        if (doc, name) in removed:
            removed.discard((doc, name))
        else:
            added.add((doc, name))

    def take(doc: int, name: str) -> None:
        current[doc].discard(name)
        if name in members:
            loads[name] -= 1
            for other in current[doc]:
                if other in members:
                    pairs[pair[name, other]] -= 1
        if (doc, name) in added:
            added.discard((doc, name))
        else:
            removed.add((doc, name))

    def fill(doc: int, need: int) -> None:
        """Give ``doc`` annotators until it has ``need``: the least loaded, then the one least
        often paired with those it already has, then the seed's turn."""
        offset = priority[doc] % size
        names = current.setdefault(doc, set())
        while len(names) < need:
            partners = [m for m in names if m in members]
            best, best_key = None, None
            for n in team:
                if n in names:
                    continue
                together = sum(pairs[pair[n, m]] for m in partners) if partners else 0
                key = (loads[n], together, (base[n] + offset) % size)
                if best_key is None or key < best_key:
                    best, best_key = n, key
            if best is None:
                return
            give(doc, best)

    def check_cancel(i: int) -> None:
        if cancelled is not None and i % 1000 == 0 and cancelled():
            raise AssignmentCancelled("assignment cancelled; nothing was changed")

    # Unstarted work of people who left goes back to the team; the document keeps its count.
    for i, doc in enumerate(order):
        check_cancel(i)
        names = current.get(doc)
        if not names:
            continue
        gone = [n for n in names if n not in members and (doc, n) not in started]
        if gone:
            need = len(names)
            for name in sorted(gone):
                take(doc, name)
            fill(doc, need)
    # New documents: the share with one more annotator first, so pairs spread over the team.
    fresh = [d for d in order if not current.get(d)]
    assigned = [d for d in in_scope if current.get(d)]
    extra_before = sum(1 for d in assigned if len(existing.get(d, ())) > k)
    wanted = round(request.overlap * (len(assigned) + len(fresh))) - extra_before
    extra = max(0, min(len(fresh), wanted))
    for i, doc in enumerate(fresh):
        check_cancel(i)
        fill(doc, k + 1 if i < extra else k)
    _rebalance(order, current, started, team, loads, give, take)
    return added, removed


def _rebalance(order: list[int], current: dict[int, set[str]], started: set[Pair],
               team: Sequence[str], loads: Counter[str], give: Callable[[int, str], None],
               take: Callable[[int, str], None]) -> None:
    """Move unstarted documents from the most to the least loaded until loads are within one
    (a newcomer to the team takes a fair share of what nobody has begun)."""
    movable = {name: [d for d in reversed(order) if name in current.get(d, ())
                      and (d, name) not in started] for name in team}
    while True:
        high = max(team, key=lambda n: (loads[n], n))
        low = min(team, key=lambda n: (loads[n], n))
        if loads[high] - loads[low] <= 1:
            return
        candidates = movable[high]
        index = next((i for i, d in enumerate(candidates) if low not in current[d]), None)
        if index is None:
            return
        doc = candidates.pop(index)
        take(doc, high)
        give(doc, low)
        movable[low].append(doc)


class AssignmentCancelled(MarginaliaError):
    """The user cancelled while the plan was being made; nothing was written."""


def summarize(current: dict[int, set[str]], done: set[Pair], team: Sequence[str],
              added: AbstractSet[Pair] = frozenset(),
              removed: AbstractSet[Pair] = frozenset()) -> list[Load]:
    """Per annotator: assigned, of which shared, of which done (team first, in its order)."""
    assigned: Counter[str] = Counter()
    shared: Counter[str] = Counter()
    finished: Counter[str] = Counter()
    for doc, names in current.items():
        for name in names:
            assigned[name] += 1
            shared[name] += len(names) > 1
            finished[name] += (doc, name) in done
    plus = Counter(name for _, name in added)
    minus = Counter(name for _, name in removed)
    others = sorted((set(assigned) | set(minus)) - set(team))
    return [Load(name, assigned[name], shared[name], finished[name], plus[name], minus[name],
                 name in team) for name in (*team, *others)]


# ---- through the store --------------------------------------------------------------------

def _state(project: Project) -> tuple[list[tuple[int, str]], dict[int, set[str]], set[Pair],
                                      set[Pair]]:
    documents = project.conn.execute("SELECT id, hash FROM documents ORDER BY id").fetchall()
    existing: dict[int, set[str]] = {}
    for doc, name in project.conn.execute("SELECT document_id, annotator FROM assignments"):
        existing.setdefault(doc, set()).add(name)
    started: set[Pair] = set()
    done: set[Pair] = set()
    for doc, name, status in project.conn.execute(
            "SELECT document_id, annotator, status FROM annotation_sets WHERE annotator != ?",
            (GOLD,)):
        started.add((doc, name))
        if status == "done":
            done.add((doc, name))
    return documents, existing, started, done


def _fingerprint(project: Project) -> tuple[int, ...]:
    """What a plan depends on, cheaply: documents, sets (started work) and assignments, each
    only ever added to or changed with a history entry, so counts and last ids tell whether
    anything changed (a full re-plan to check took as long as the plan: 3.6 s at 100,000)."""
    return tuple(project.conn.execute(
        "SELECT (SELECT count(*) FROM documents), (SELECT coalesce(max(id), 0) FROM documents), "
        "(SELECT count(*) FROM annotation_sets), "
        "(SELECT coalesce(max(id), 0) FROM annotation_sets), "
        "(SELECT count(*) FROM assignments), (SELECT coalesce(max(id), 0) FROM history)"
    ).fetchone())


def plan(project: Project, request: Request, *, cancelled: Callable[[], bool] | None = None,
         **_: object) -> Plan:
    """What ``request`` would change, and the summary after it; writes nothing (--dry-run and
    the dialog's preview)."""
    state = _fingerprint(project)
    documents, existing, started, done = _state(project)
    scope = None
    if request.documents is not None:
        known = {d for d, _ in documents}
        missing = sorted(set(request.documents) - known)
        if missing:
            raise ProjectError(f"has no document {missing[0]}", path=project.path)
        scope = request.documents
    added, removed = compute(documents, existing, started, request, scope=scope,
                             cancelled=cancelled)
    current = {d: set(names) for d, names in existing.items()}
    for doc, name in removed:
        current[doc].discard(name)
    for doc, name in added:
        current.setdefault(doc, set()).add(name)
    return Plan(request, sorted(added), sorted(removed),
                summarize(current, done, request.annotators, added, removed), state)


def apply(project: Project, the_plan: Plan, *, by: str | None = None) -> None:
    """Store a plan in one transaction, with one history entry saying what was asked and what
    moved. A plan goes stale when documents, started work or assignments change after it was
    made (an import, another reviewer): then nothing is stored and the caller plans again."""
    request = the_plan.request
    with project.transaction() as conn:
        if _fingerprint(project) != the_plan.state:
            raise ProjectError("changed since the preview; preview again and apply",
                               path=project.path)
        for name in request.annotators:
            project.ensure_annotator(name)
        conn.executemany("DELETE FROM assignments WHERE document_id = ? AND annotator = ?",
                         the_plan.remove)
        stamp = now()
        conn.executemany(
            "INSERT INTO assignments(document_id, annotator, assigned_at) VALUES (?, ?, ?)",
            [(doc, name, stamp) for doc, name in the_plan.add])
        project.record(by, None, None, "assign", {
            "annotators": list(request.annotators), "per_document": request.per_document,
            "overlap": request.overlap, "seed": request.seed,
            "documents": None if request.documents is None else len(request.documents),
            "added": {load.annotator: load.added for load in the_plan.loads if load.added},
            "removed": [list(pair) for pair in the_plan.remove],
        })


def loads(project: Project) -> list[Load]:
    """The summary as the project stands (the dashboard's progress per annotator)."""
    _, existing, _, done = _state(project)
    team = sorted({name for names in existing.values() for name in names})
    return summarize(existing, done, team)
