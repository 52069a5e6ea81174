"""What training learns from: people's finished annotation sets, and a held-out split of them.

Why it works this way:
- ``gold`` takes the reviewers' adjudicated sets (annotator ``#gold``), ``done`` every set an
  annotator marked done (one per document: the gold set where there is one, else the most
  recently changed). A set still being worked on is never training data.
- The split is by document (sentences of one article never land on both sides, or the figures
  would measure memory) and deterministic: each document's content hash, salted with a seed,
  gives it a rank, and the lowest-ranked fifth is held out, so the same project always gives
  the same split, and a document's rank never changes as others are added. The fifth is taken
  in each stratum (documents with stances, without) and is at least one document, so a
  project where few documents have stances still tests on some.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from gui.core.errors import MarginaliaError
from gui.core.store import GOLD, Project, Stance

SOURCES = ("gold", "done")
HELD_OUT = 0.2  # a fifth of the documents are kept for the figures
MIN_DOCUMENTS = 5  # below this there is nothing to hold out and nothing to learn
SPLIT_SEED = "marginalia-split-1"


class TrainingError(MarginaliaError):
    """Training cannot start: too few finished documents, or a bad option."""


@dataclass(frozen=True)
class TrainingDocument:
    doc_id: int
    text: str
    entities: tuple[tuple[int, int, str], ...]
    stances: tuple[Stance, ...]


@dataclass(frozen=True)
class Split:
    source: str
    train: tuple[TrainingDocument, ...]
    test: tuple[TrainingDocument, ...]

    @property
    def test_ids(self) -> frozenset[int]:
        return frozenset(d.doc_id for d in self.test)


def default_source(project: Project) -> str:
    """``gold`` when reviewers have adjudicated something, else ``done``."""
    row = project.conn.execute(
        "SELECT 1 FROM annotation_sets WHERE annotator = ? AND status = 'done' LIMIT 1", (GOLD,)
    ).fetchone()
    return "gold" if row else "done"


def finished_sets(project: Project, source: str) -> list[tuple[int, int]]:
    """(document id, set id) pairs to learn from, one per document, in document order."""
    if source not in SOURCES:
        raise TrainingError(f"--from must be one of {', '.join(SOURCES)}, not {source!r}")
    annotator_clause = "AND annotator = ?" if source == "gold" else ""
    params = (GOLD,) if source == "gold" else ()
    rows = project.conn.execute(
        "SELECT document_id, id FROM annotation_sets WHERE status = 'done' "
        f"{annotator_clause} ORDER BY document_id, annotator = '{GOLD}' DESC, "
        "updated_at DESC, id DESC",
        params,
    ).fetchall()
    chosen: dict[int, int] = {}
    for doc_id, set_id in rows:
        chosen.setdefault(doc_id, set_id)
    return sorted(chosen.items())


def load_documents(project: Project, source: str) -> list[TrainingDocument]:
    documents = []
    for doc_id, set_id in finished_sets(project, source):
        entities = tuple((e.start, e.end, e.label) for e in project.entities(set_id))
        documents.append(TrainingDocument(doc_id, project.document(doc_id).text, entities,
                                          project.stances(set_id)))
    return documents


def _ranks(project: Project, doc_ids: list[int]) -> dict[int, float]:
    """A number in [0, 1) per document, fixed by its content and the seed alone."""
    ranks: dict[int, float] = {}
    for i in range(0, len(doc_ids), 500):
        chunk = doc_ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        for doc_id, content_hash in project.conn.execute(
                f"SELECT id, hash FROM documents WHERE id IN ({marks})", chunk):
            digest = hashlib.sha256(f"{SPLIT_SEED}:{content_hash}".encode()).hexdigest()
            ranks[doc_id] = int(digest[:12], 16) / 16**12
    return ranks


def held_out_ids(project: Project, documents: list[tuple[int, bool]]) -> set[int]:
    """The held-out documents among (document id, has stances) pairs.

    In each stratum (with stances, without), the fifth with the lowest ranks, at least one
    where the stratum has MIN_DOCUMENTS documents; at least one document in all, and never all.
    """
    ranks = _ranks(project, [doc_id for doc_id, _stances in documents])
    test: set[int] = set()
    for flag in (True, False):
        stratum = sorted((doc_id for doc_id, stances in documents if stances == flag),
                         key=ranks.__getitem__)
        wanted = round(len(stratum) * HELD_OUT)
        if len(stratum) >= MIN_DOCUMENTS:
            wanted = max(1, wanted)
        test |= set(stratum[:wanted])
    if not test and ranks:
        test.add(min(ranks, key=ranks.__getitem__))
    if len(test) == len(ranks) > 1:
        test.discard(max(ranks, key=ranks.__getitem__))
    return test


def count_split(project: Project, source: str) -> tuple[int, int]:
    """(training, held-out) document counts, without reading any text (for the dialog)."""
    pairs = [(doc_id, project.conn.execute(
        "SELECT EXISTS(SELECT 1 FROM stances WHERE set_id = ?)", (set_id,)).fetchone()[0] == 1)
        for doc_id, set_id in finished_sets(project, source)]
    if len(pairs) < MIN_DOCUMENTS:
        return len(pairs), 0
    test = held_out_ids(project, pairs)
    return len(pairs) - len(test), len(test)


def split_documents(
    project: Project, documents: list[TrainingDocument], source: str
) -> Split:
    """The documents to learn from and those held out (see ``held_out_ids``)."""
    if len(documents) < MIN_DOCUMENTS:
        raise TrainingError(
            f"training needs at least {MIN_DOCUMENTS} documents with a finished ({source}) "
            f"annotation set; this project has {len(documents)}"
        )
    test = held_out_ids(project, [(d.doc_id, bool(d.stances)) for d in documents])
    return Split(
        source,
        tuple(d for d in documents if d.doc_id not in test),
        tuple(d for d in documents if d.doc_id in test),
    )


def untouched_texts(project: Project, limit: int) -> list[tuple[int, str]]:
    """Documents nobody has an annotation set for: the rehearsal text and the ones to rank."""
    return project.conn.execute(
        "SELECT id, text FROM documents d WHERE NOT EXISTS (SELECT 1 FROM annotation_sets s "
        "WHERE s.document_id = d.id AND (s.edited_at IS NOT NULL OR s.status != 'todo')) "
        "ORDER BY id LIMIT ?",
        (limit,),
    ).fetchall()
