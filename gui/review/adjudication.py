"""Making the gold set: a queue of disputed documents, and edits that take a version into gold.

The gold set is the annotation set of the annotator ``GOLD``. When a reviewer first opens a
document it is seeded with everything the annotators agree on (``TakeAgreed``, the same
command the reviewer's key runs), so only disagreements need a decision. Taking an
annotator's version of a disagreement is an edit command built from the core's own commands
(remove gold's items in that cluster, add the annotator's), so it goes on the review window's
``QUndoStack`` and undoes in one step. Accepting is ``SetStatus`` done. The clusters are the
review's rows (gui/review/frame_review.py): stances are matched as frames.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from gui.core.edits import AddEntity, AddStance, Edit, RemoveEntity, RemoveStance, SetStatus
from gui.core.errors import ProjectError
from gui.core.kept_versions import KeptVersion, kept_versions
from gui.core.store import GOLD, Project
from gui.review.disputes import Cluster, dispute_score
from gui.review.frame_review import review_clusters
from gui.review.sets import DoneSet, item_key, load_done_sets

REVIEWER = "reviewer"
KEPT_PREFIX = "#kept "


def require_reviewer(project: Project, name: str) -> None:
    """Only reviewers adjudicate; say how to make someone one."""
    if project.annotator_role(name) != REVIEWER:
        raise ProjectError(
            f"{name} is not a reviewer of this project; a reviewer can make them one with "
            f"'marginalia role {project.path} {name} reviewer'",
            path=project.path,
        )


@dataclass(frozen=True)
class QueueEntry:
    document_id: int
    title: str
    score: float
    disagreements: int
    annotators: tuple[str, ...]
    gold_status: str  # "todo" when there is no gold set yet
    kept: int = 0  # kept versions of its sets (conflicts a merge kept)


def review_queue(
    project: Project, progress: Callable[[int, int], None] | None = None
) -> list[QueueEntry]:
    """Documents with two or more done sets, most disputed first (then by id)."""
    compared = load_done_sets(project)
    gold = dict(
        project.conn.execute(
            "SELECT document_id, status FROM annotation_sets WHERE annotator = ?", (GOLD,)
        ).fetchall()
    )
    titles = dict(
        project.conn.execute(
            "SELECT d.id, d.title FROM documents d JOIN annotation_sets s ON s.document_id = d.id "
            "WHERE s.status = 'done' GROUP BY d.id HAVING count(*) >= 2"
        ).fetchall()
    )
    entries = []
    kept_counts = dict(project.conn.execute(
        "SELECT document_id, count(*) FROM kept_versions GROUP BY document_id").fetchall())
    for index, (doc_id, sets) in enumerate(sorted(compared.items()), start=1):
        if doc_id in kept_counts:
            continue  # counted with its kept versions below
        found = review_clusters(sets)
        entries.append(
            QueueEntry(doc_id, titles.get(doc_id) or f"Document {doc_id}", dispute_score(found),
                       sum(not c.agreed for c in found), tuple(sorted(sets)),
                       gold.get(doc_id, "todo"))
        )
        if progress is not None and index % 200 == 0:
            progress(index, len(compared))
    entries += _kept_entries(project, kept_counts, titles, gold)
    entries.sort(key=lambda e: (-e.score, -e.disagreements, e.document_id))
    return entries


def kept_name(kept: KeptVersion) -> str:
    """The name a kept version goes by among the compared versions (no person's name starts
    with '#', so it cannot clash with an annotator's)."""
    return f"{KEPT_PREFIX}{kept.id}"


def version_label(name: str, kept: Sequence[KeptVersion] = ()) -> str:
    """How a compared version is shown: an annotator's name, or whose kept version it is."""
    for version in kept:
        if kept_name(version) == name:
            return f"{version.annotator} (kept {version.kept_at[:10]})"
    return name


def _kept_entries(project: Project, kept_counts: dict[int, int], titles: dict[int, str],
                  gold: dict[int, str]) -> list[QueueEntry]:
    """Documents with kept versions, compared with them: a conflict a merge kept shows in the
    queue even where only one annotator has finished the document."""
    entries = []
    for doc_id, kept in kept_counts.items():
        found = document_clusters(project, doc_id, with_kept=True)
        names = {n for c in found for n in c.versions if not n.startswith(KEPT_PREFIX)}
        if len(names) + kept < 2:
            continue
        title = titles.get(doc_id) or project.document(doc_id).title or f"Document {doc_id}"
        entries.append(QueueEntry(doc_id, title, dispute_score(found),
                                  sum(not c.agreed for c in found), tuple(sorted(names)),
                                  gold.get(doc_id, "todo"), kept))
    return entries


def document_clusters(project: Project, doc_id: int, *, with_kept: bool = False
                      ) -> list[Cluster]:
    """The rows a reviewer decides: entity clusters, then stance frames (frame_review), of a
    document's done sets; ``with_kept``: its kept versions (what a merge did not make current)
    are compared beside them, as review mode shows them."""
    if not with_kept:
        return review_clusters(load_done_sets(project, [doc_id]).get(doc_id, {}))
    sets = dict(load_done_sets(project, [doc_id], minimum=1).get(doc_id, {}))
    for kept in kept_versions(project, doc_id):
        name = kept_name(kept)
        sets[name] = DoneSet(
            -kept.id, doc_id, name,
            sorted(tuple(e[:3]) for e in kept.content.entities),
            sorted((tuple(s[:6]) for s in kept.content.stances), key=item_key))
    return review_clusters(sets)


def gold_items(project: Project, doc_id: int, layer: str) -> list[tuple[int, tuple]]:
    """(row id, item) of the gold set's entities or stances, as clusters spell items."""
    set_id = project.set_id(doc_id, GOLD)
    if set_id is None:
        return []
    if layer == "entity":
        return [(e.id, (e.start, e.end, e.label)) for e in project.entities(set_id)]
    return [
        (s.id, (s.start, s.end, s.target, s.polarity, s.holder_start, s.holder_end))
        for s in project.stances(set_id)
    ]


def gold_in(project: Project, doc_id: int, cluster: Cluster) -> tuple[tuple, ...]:
    """What gold holds in a cluster's stretch, sorted like a cluster's versions."""
    return tuple(sorted(
        (item for _id, item in gold_items(project, doc_id, cluster.layer) if cluster.holds(item)),
        key=item_key,
    ))


@dataclass
class TakeVersion:
    """Make gold, in one cluster's stretch, equal to one annotator's version (one undo step)."""

    document_id: int
    cluster: Cluster
    annotator: str
    steps: list[Edit] = field(default_factory=list)
    description: str = field(init=False)

    def __post_init__(self) -> None:
        if self.annotator not in self.cluster.versions:
            raise ValueError(f"{self.annotator} has no version of this disagreement")
        what = "entities" if self.cluster.layer == "entity" else "stances"
        whose = (f"kept version {self.annotator.removeprefix(KEPT_PREFIX)}"
                 if self.annotator.startswith(KEPT_PREFIX) else self.annotator)
        self.description = f"Take {whose}'s {what}"

    def apply(self, project: Project) -> None:
        with project.transaction():
            project.ensure_set(self.document_id, GOLD, copy_prefill=False)
            if not self.steps:
                self.steps = self._plan(project)
            for step in self.steps:
                step.apply(project)

    def revert(self, project: Project) -> None:
        with project.transaction():
            for step in reversed(self.steps):
                step.revert(project)

    def _plan(self, project: Project) -> list[Edit]:
        layer = self.cluster.layer
        steps: list[Edit] = []
        for row_id, item in gold_items(project, self.document_id, layer):
            if self.cluster.holds(item):
                remove = RemoveEntity if layer == "entity" else RemoveStance
                steps.append(remove(self.document_id, GOLD, row_id))
        for item in self.cluster.versions[self.annotator]:
            if layer == "entity":
                steps.append(AddEntity(self.document_id, GOLD, *item, origin="gold"))
            else:
                start, end, target, polarity, h_start, h_end = item
                holder = (h_start, h_end) if h_start is not None else None
                steps.append(AddStance(self.document_id, GOLD, start, end, target, polarity,
                                       holder, origin="gold"))
        return steps


def agreed_missing(project: Project, doc_id: int, found: list[Cluster]) -> list[Cluster]:
    """The agreed clusters whose annotations gold does not hold exactly (yet)."""
    return [c for c in found
            if c.agreed and gold_in(project, doc_id, c) != next(iter(c.versions.values()))]


@dataclass
class TakeAgreed:
    """Put every annotation the annotators agree on into gold at once (one undo step).

    The window does this when a document without a gold set is first opened, so only
    disagreements need a decision; the reviewer can do it again with a key after changing
    gold, or after another annotator finished the document.
    """

    document_id: int
    clusters: list[Cluster]  # agreed clusters, as ``agreed_missing`` finds them
    reviewer: str | None = None
    steps: list[TakeVersion] = field(default_factory=list)
    description: str = "Take every agreed annotation"

    def apply(self, project: Project) -> None:
        with project.transaction():
            set_id = project.ensure_set(self.document_id, GOLD, copy_prefill=False)
            if not self.steps:
                self.steps = [TakeVersion(self.document_id, c, next(iter(c.versions)))
                              for c in self.clusters]
            for step in self.steps:
                step.apply(project)
            project.record(GOLD, self.document_id, set_id, "take_agreed",
                           {"agreed": len(self.steps), "reviewer": self.reviewer})

    def revert(self, project: Project) -> None:
        with project.transaction():
            for step in reversed(self.steps):
                step.revert(project)


def accept(doc_id: int, reviewer: str | None = None) -> SetStatus:
    """The command that marks a document's gold set done (what ``--gold`` export writes); the
    gold set's note says who accepted it, since gold edits are all stored as ``GOLD``."""
    return SetStatus(doc_id, GOLD, "done", note=f"accepted by {reviewer}" if reviewer else None)
