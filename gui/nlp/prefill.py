"""Pre-fill a project: entity and stance suggestions stored as predictions, never over a person.

Why it works this way:
- Predictions live in their own tables (prefill_entities, prefill_stances, prefill_runs with
  the model's name and version); an annotator's set is a copy made on first edit, so writing
  predictions never changes what a person made.
- Without ``force`` only documents with no pre-fill yet are run. With ``force`` documents are
  run again unless a person has touched a set of theirs (edited it, or given it a status other
  than ``todo``): the machine's suggestions for a document someone worked on stay what they
  were when that person saw them. Untouched sets' copies of the pre-fill are refreshed.
- The pipeline runs with ``nlp.pipe`` over a stream of pieces (see chunks.py), and results are
  written one transaction per batch of documents, so a cancel or a crash loses at most the
  batch being worked on and leaves no document half pre-filled.
- The stance rules read each piece as it comes; a trained version's classifier is asked about
  a batch of pieces at once (``Prefiller.analyse_many``), since its models' cost per call is
  paid per batch, and each sentence's answer is the one it gets alone.
- Where the starter classifier is asked (no trained version in use), how unsure it was about
  each untouched document is stored with it (``document_scores``, under the starter build's
  key, starter.py ``scores_key``), so "most to gain first" orders the list from the first
  pre-fill. Only the stance part of a trained version's score (uncertainty.py): its
  probabilities are already computed here for every sentence it is asked about, so the score
  costs a sort per sentence; the entity part would cost a beam parse per document (about
  what the parse itself costs), while stance is where pre-fill misses most and a correction
  teaches most.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import sqlite3
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from spacy.tokens import Doc

from gui.core.store import Project, now
from gui.nlp.chunks import CHUNK_CHARS, chunks
from gui.nlp.doubt import document_doubt, sentence_doubts
from gui.nlp.holders import schema_holder_labels
from gui.nlp.lexicon import load_lexicon
from gui.nlp.models import announce, lease_in_use
from gui.nlp.pipeline import LoadedPipeline, collect_patterns, load_pipeline
from gui.nlp.stance import Reading, StanceFinder, StanceSuggestion
from gui.nlp.stance_model import StanceModel
from gui.nlp.starter import (
    fingerprint,
    fits,
    read_info,
    scores_key,
    starter_folder,
    use_recognizer,
)

# Names are stored without a leading "the" (the pipeline's OntoNotes habit is inconsistent:
# "the United States" but "Kremlin"); dates keep it ("the coming year"). The project setting
# "keep_leading_the" turns this off.
TEMPORAL = {"DATE", "TIME"}
WRITE_BATCH = 50  # documents per transaction
PIPE_BATCH = 32  # pieces per nlp.pipe batch
# Two processes pay for themselves only when there is enough text to amortise starting the
# second one (it loads the pipeline again). Measured on this 2-core machine (shared, loaded):
# 140,000 and 950,000 characters ran no faster with two processes (x0.8-2.1, x0.9-1.5), 2.5
# million characters ran clearly faster (x0.79, x0.80); see docs/prefill.md.
PARALLEL_MIN_CHARS = 2_000_000


@dataclass
class PrefillReport:
    documents_done: int = 0
    documents_skipped: int = 0  # touched by a person, so left as they were
    documents_unchanged: int = 0  # pre-filled before and not forced
    entities: int = 0
    stances: int = 0
    scored: int = 0  # documents whose starter uncertainty was stored ("most to gain first")
    model: str = ""
    model_version: str = ""
    rules_only: bool = False
    cancelled: bool = False
    processes: int = 1
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"pre-filled {self.documents_done} document{'s' * (self.documents_done != 1)} "
            f"with {self.model} {self.model_version}"
            + (" (rules and patterns only)" if self.rules_only else ""),
            f"{self.entities} entities, {self.stances} stances",
        ]
        if self.documents_skipped:
            parts.append(f"{self.documents_skipped} left alone (touched by an annotator)")
        if self.documents_unchanged:
            parts.append(f"{self.documents_unchanged} already pre-filled (--force to refresh)")
        if self.cancelled:
            parts.append("cancelled: the documents finished so far are stored")
        return "; ".join(parts)


@dataclass
class _Result:
    doc_id: int
    entities: list[tuple[int, int, str]] = field(default_factory=list)
    stances: list[StanceSuggestion] = field(default_factory=list)
    doubts: list[float] = field(default_factory=list)  # the starter's, per sentence asked


def _setting_path(project: Project, key: str) -> Path | None:
    """A path from the project's settings; relative paths are relative to the project file."""
    value = project.setting(key)
    if not value:
        return None
    path = Path(value).expanduser()
    if path.is_absolute() or not isinstance(project.path, Path):  # a server has no folder
        return path
    return project.path.parent / path


def _requested_pipeline(project: Project, model: str | None) -> str | None:
    value = model or project.setting("pipeline")
    if not value:
        return None
    if not isinstance(project.path, Path):  # a server's setting names what is installed
        return value
    relative = project.path.parent / value
    return str(relative) if not Path(value).is_absolute() and relative.exists() else value


# The modules whose code decides the stance suggestions, beside the lexicon's words.
STANCE_RULE_MODULES = ("stance", "targets", "holders", "context", "words", "camps", "evidence",
                       "lexicon", "stance_findings", "stance_cues", "stance_deeds",
                       "stance_carried", "stance_voice", "pointers")


@functools.cache
def _rules_digest() -> str:
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in STANCE_RULE_MODULES:
        digest.update((here / f"{name}.py").read_bytes())
    return digest.hexdigest()


def stance_version(lexicon_fingerprint: str) -> str:
    """The stance rules' version as a run records it: the lexicon and the rules' own code, so
    suggestions made by changed rules never carry the version of the old ones (a run's
    version is the provenance an annotator or a methods section reads)."""
    return hashlib.sha256(f"{lexicon_fingerprint}:{_rules_digest()}".encode()).hexdigest()[:10]


class Prefiller:
    """The loaded pipeline and stance rules for one project; reusable across runs.

    A trained version (``trained``, else the project's ``trained_model`` setting when no
    ``model`` is named; see models.py) supplies the pipeline and a stance classifier that is
    asked first; the rules answer where it abstains (stance_model.py). Without one, the
    shipped starter classifier is asked first where it fits the project (starter.py;
    ``starter`` False: the rules alone, as ``prefill --no-starter`` asks).
    """

    def __init__(self, project: Project, model: str | None = None, *,
                 trained: Path | None = None, starter: bool = True):
        schema = project.schema
        self.schema = schema
        # held while spaCy reads it: no tidy of the cache deletes it meanwhile (models.py)
        lease = lease_in_use(project) if trained is None and model is None else None
        with lease or contextlib.nullcontext():
            trained = trained or (lease.folder if lease else None)
            self.loaded: LoadedPipeline = load_pipeline(
                schema,
                requested=str(trained / "pipeline") if trained
                else _requested_pipeline(project, model),
                patterns=collect_patterns(schema, _setting_path(project, "patterns")),
            )
            lexicon = load_lexicon(_setting_path(project, "stance_lexicon"), schema.polarities)
            threshold = float(project.setting("stance_threshold", lexicon.threshold))
            self.stance = StanceFinder(self.loaded.nlp, schema, lexicon, threshold)
            self.trained = StanceModel.load(trained, lexicon.reporting_verbs,
                                            schema_holder_labels(schema),
                                            self.stance) if trained else None
        # Without a trained version, the shipped starter classifier where it fits (starter.py)
        self.starter: str | None = None
        self.starter_folder: Path | None = None  # its recognizer is loaded into the pipeline
        folder = starter_folder(project) if self.trained is None and starter else None
        if folder is not None and fits(read_info(folder), schema.target_names,
                                       list(schema.polarities), self.loaded):
            self.trained = StanceModel.load(folder, lexicon.reporting_verbs,
                                            schema_holder_labels(schema), self.stance)
            self.starter = fingerprint(folder)
            self.starter_folder = folder
            use_recognizer(self.loaded.nlp, folder)
        self.version = f"{self.loaded.version}+stance.{stance_version(lexicon.fingerprint)}" \
            + (f"+starter.{self.starter}" if self.starter else "")
        self.chunk_chars = min(CHUNK_CHARS, self.loaded.nlp.max_length - 1)
        self.trim_the = not project.setting("keep_leading_the", False)

    def analyse(self, doc: Doc, offset: int, result: _Result, text: str | None = None) -> None:
        """Add one piece's entities and stances to a document's result; ``text`` is the
        piece's, when the caller has it (the Doc would join it from every token again)."""
        self.analyse_many([(doc, offset, result, text)])

    def analyse_many(self, pieces: Sequence[tuple[Doc, int, _Result, str | None]]) -> None:
        """``analyse`` for several pieces in order (a batch of ``nlp.pipe``'s): the rules read
        each one, then a trained version's classifier scores all their sentences at once."""
        found: list[tuple[Doc, int, list[StanceSuggestion], Reading]] = []
        for doc, offset, result, text in pieces:
            reading = self.stance.read(doc, text)
            for ent in reading.context.ents:
                label = self.schema.map_label(ent.label_)
                if label is None:
                    continue
                start = ent.start_char
                if self.trim_the and label not in TEMPORAL and len(ent) > 1 \
                        and ent[0].lower_ == "the":
                    start = ent[1].idx  # "the United States" -> "United States"
                result.entities.append((start + offset, ent.end_char + offset, label))
            found.append((doc, offset, self.stance.find(doc, offset, reading), reading))
        decided = self.trained.decide_many(found) if self.trained is not None \
            else [(stances, []) for _doc, _offset, stances, _reading in found]
        for (_doc, offset, result, _text), (_d, _o, _r, reading), (stances, tables) in zip(
                pieces, found, decided, strict=True):
            if self.starter is not None:
                result.doubts += sentence_doubts(tables)
            text = reading.context.text  # Doc.text joins every token anew: the reading's, once
            for suggestion in stances:
                holder = suggestion.holder
                if self.trim_the and holder and holder[1] - holder[0] > 4:
                    at = holder[0] - offset
                    if text[at : at + 4].lower() == "the ":  # trimmed as its entity is
                        suggestion = replace(suggestion, holder=(holder[0] + 4, holder[1]))
                result.stances.append(suggestion)

    def run(
        self,
        texts: Iterator[tuple[int, str]],
        *,
        n_process: int = 1,
    ) -> Iterator[_Result]:
        """Results per document, in the order given; the pipeline sees a stream of pieces."""

        def pieces() -> Iterator[tuple[str, tuple[int, int, bool, str]]]:
            for doc_id, text in texts:
                parts = list(chunks(text, self.chunk_chars))
                for number, (offset, piece) in enumerate(parts):
                    yield piece, (doc_id, offset, number == len(parts) - 1, piece)

        current: _Result | None = None
        batch: list[tuple[Doc, int, _Result, str | None]] = []
        finished: list[_Result] = []  # documents whose last piece is in the batch
        for doc, (doc_id, offset, last, piece) in self.loaded.nlp.pipe(
            pieces(), as_tuples=True, batch_size=PIPE_BATCH, n_process=n_process
        ):
            if current is None or current.doc_id != doc_id:
                current = _Result(doc_id)
            batch.append((doc, offset, current, piece))
            if last:
                finished.append(current)
                current = None
            if len(batch) >= PIPE_BATCH:
                self.analyse_many(batch)
                yield from finished
                batch.clear()
                finished.clear()
        self.analyse_many(batch)
        yield from finished


def _touched_documents(project: Project) -> set[int]:
    return {
        r[0]
        for r in project.conn.execute(
            "SELECT DISTINCT document_id FROM annotation_sets "
            "WHERE edited_at IS NOT NULL OR status != 'todo'"
        )
    }


def _store(project: Project, prefiller: Prefiller, results: list[_Result],
           scored: Callable[[int], str | None]) -> int:
    """One transaction: the batch's predictions, their run rows and untouched sets' copies,
    and the documents' scores where ``scored`` names their key; how many scores."""
    model, version, stamp = prefiller.loaded.name, prefiller.version, now()
    scores = [(result.doc_id, key, round(document_doubt(result.doubts), 5), stamp)
              for result in results if (key := scored(result.doc_id)) is not None]
    with project.transaction() as conn:
        for result in results:
            doc_id = result.doc_id
            conn.execute("DELETE FROM prefill_entities WHERE document_id = ?", (doc_id,))
            conn.execute("DELETE FROM prefill_stances WHERE document_id = ?", (doc_id,))
            conn.executemany(
                'INSERT INTO prefill_entities(document_id, start, "end", label, model, '
                "model_version) VALUES (?, ?, ?, ?, ?, ?)",
                [(doc_id, s, e, label, model, version)
                 for s, e, label in sorted(set(result.entities))],
            )
            conn.executemany(
                'INSERT INTO prefill_stances(document_id, start, "end", target, polarity, '
                "holder_start, holder_end, confidence, model, model_version) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (doc_id, s.start, s.end, s.target, s.polarity,
                     s.holder[0] if s.holder else None, s.holder[1] if s.holder else None,
                     s.confidence, model, version)
                    for s in result.stances
                ],
            )
            conn.execute(
                "INSERT OR REPLACE INTO prefill_runs(document_id, model, model_version, "
                "created_at) VALUES (?, ?, ?, ?)",
                (doc_id, model, version, stamp),
            )
            _refresh_untouched_sets(conn, doc_id)
        conn.executemany(
            "INSERT OR REPLACE INTO document_scores(document_id, model, score, computed_at) "
            "VALUES (?, ?, ?, ?)", scores)
    return len(scores)


def _refresh_untouched_sets(conn: sqlite3.Connection, doc_id: int) -> None:
    """Sets nobody has touched hold only a copy of the pre-fill: make it the new one."""
    set_ids = [
        r[0]
        for r in conn.execute(
            "SELECT id FROM annotation_sets WHERE document_id = ? AND edited_at IS NULL "
            "AND status = 'todo'",
            (doc_id,),
        )
    ]
    for set_id in set_ids:
        conn.execute("DELETE FROM entities WHERE set_id = ? AND origin = 'prefill'", (set_id,))
        conn.execute("DELETE FROM stances WHERE set_id = ? AND origin = 'prefill'", (set_id,))
        conn.execute(
            'INSERT INTO entities(set_id, start, "end", label, origin) SELECT ?, start, "end", '
            "label, 'prefill' FROM prefill_entities WHERE document_id = ? ORDER BY start, \"end\"",
            (set_id, doc_id),
        )
        conn.execute(
            'INSERT INTO stances(set_id, start, "end", target, polarity, holder_start, '
            "holder_end, confidence, origin) SELECT ?, start, \"end\", target, polarity, "
            "holder_start, holder_end, confidence, 'prefill' FROM prefill_stances "
            'WHERE document_id = ? ORDER BY start, "end"',
            (set_id, doc_id),
        )


def _choose_processes(prefiller: Prefiller, chars: int, n_process: int | None) -> int:
    """Two processes for large amounts of text, and only on the command line: spaCy forks its
    workers, and forking a process that runs Qt's threads can deadlock the child."""
    if n_process is not None:
        return max(1, n_process)
    worker = threading.current_thread() is not threading.main_thread()
    in_window = worker or "PySide6" in sys.modules
    if prefiller.loaded.rules_only or (os.cpu_count() or 1) < 2 or in_window:
        return 1
    return 2 if chars >= PARALLEL_MIN_CHARS else 1


def prefill_project(
    project: Project,
    *,
    model: str | None = None,
    force: bool = False,
    outdated: bool = False,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
    n_process: int | None = None,
    prefiller: Prefiller | None = None,
    starter: bool = True,
) -> PrefillReport:
    """Pre-fill the project's documents (see the module docstring for which ones).

    ``progress(done, total)`` is called after each stored batch; ``cancelled()`` is asked
    between documents, and a cancel stores what is finished and stops. ``n_process`` None
    chooses (two processes only for large amounts of text); ``prefiller`` reuses a loaded one;
    ``starter`` False leaves the starter classifier out (the rules alone, where no trained
    version is in use). ``outdated`` also refreshes the untouched documents whose suggestions
    another pipeline or version made: once training switches to a better version (or the
    rules change), they get its suggestions, and those made by this one are left alone.
    """
    started = time.perf_counter()
    prefiller = prefiller or Prefiller(project, model, starter=starter)
    report = PrefillReport(
        model=prefiller.loaded.name, model_version=prefiller.version,
        rules_only=prefiller.loaded.rules_only, notes=list(prefiller.loaded.notes),
    )
    prefilled = {r[0]: (r[1], r[2]) for r in project.conn.execute(
        "SELECT document_id, model, model_version FROM prefill_runs")}
    current = (prefiller.loaded.name, prefiller.version)
    touched = _touched_documents(project)
    todo: list[int] = []
    for doc_id in project.document_ids():
        if doc_id not in prefilled:
            todo.append(doc_id)
        elif doc_id in touched:
            report.documents_skipped += 1
        elif force or (outdated and prefilled[doc_id] != current):
            todo.append(doc_id)
        else:
            report.documents_unchanged += 1
    chars = _total_length(project, todo)
    report.processes = _choose_processes(prefiller, chars, n_process)
    if progress:
        progress(0, len(todo))

    def texts() -> Iterator[tuple[int, str]]:
        for i in range(0, len(todo), WRITE_BATCH):
            ids = todo[i : i + WRITE_BATCH]
            marks = ",".join("?" * len(ids))
            found = dict(
                project.conn.execute(f"SELECT id, text FROM documents WHERE id IN ({marks})", ids)
            )
            for doc_id in ids:
                if cancelled is not None and cancelled():
                    report.cancelled = True
                    return
                yield doc_id, found[doc_id]

    # The starter's scores, where it is asked and no trained version is in use (a pipeline
    # named for one run may still leave the starter asked): a document someone has touched
    # has nothing more to gain from the starter.
    key = scores_key(prefiller.starter) if prefiller.starter is not None \
        and not project.setting("trained_model") else None

    def scored(doc_id: int) -> str | None:
        return key if doc_id not in touched else None

    pending: list[_Result] = []
    with _page_cache(project, _longest(project, todo)):
        for result in prefiller.run(texts(), n_process=report.processes):
            pending.append(result)
            if len(pending) >= WRITE_BATCH:
                _flush(project, prefiller, pending, report, progress, len(todo), scored)
        _flush(project, prefiller, pending, report, progress, len(todo), scored)
    if report.scored:
        announce(project)  # open windows on a server re-read their "most to gain first" list
    report.seconds = time.perf_counter() - started
    return report


@contextlib.contextmanager
def _page_cache(project: Project, longest: int) -> Iterator[None]:
    """A page cache that holds the longest document while its suggestions are written.

    Why: the span triggers check each row against ``documents.length``, which is stored after
    the text, so SQLite walks the text's overflow pages once per inserted row; with the default
    2 MB cache a 3 MB article is read from the OS again for every suggestion (5,000 rows: 4.8 s,
    with the cache 0.3 s). The connection's own setting is put back afterwards.
    """
    if project.dialect.name != "sqlite":  # a server caches pages by its own settings
        yield
        return
    (before,) = project.conn.execute("PRAGMA cache_size").fetchone()
    wanted_kib = max(8 * 1024, 3 * longest // 1024)  # UTF-8: up to about 3 bytes a character
    if before >= 0 or -before >= wanted_kib:  # a page count or already large enough: leave it
        yield
        return
    project.conn.execute(f"PRAGMA cache_size = {-wanted_kib}")
    try:
        yield
    finally:
        project.conn.execute(f"PRAGMA cache_size = {before}")


def _longest(project: Project, ids: list[int]) -> int:
    longest = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        longest = max(longest, project.conn.execute(
            f"SELECT coalesce(max(length), 0) FROM documents WHERE id IN ({marks})", chunk
        ).fetchone()[0])
    return longest


def _flush(
    project: Project,
    prefiller: Prefiller,
    pending: list[_Result],
    report: PrefillReport,
    progress: Callable[[int, int], None] | None,
    total: int,
    scored: Callable[[int], str | None],
) -> None:
    if not pending:
        return
    report.scored += _store(project, prefiller, pending, scored)
    report.documents_done += len(pending)
    report.entities += sum(len(set(r.entities)) for r in pending)
    report.stances += sum(len(r.stances) for r in pending)
    pending.clear()
    if progress:
        progress(report.documents_done, total)


def _total_length(project: Project, ids: list[int]) -> int:
    total = 0
    for i in range(0, len(ids), 500):
        chunk = ids[i : i + 500]
        marks = ",".join("?" * len(chunk))
        total += project.conn.execute(
            f"SELECT coalesce(sum(length), 0) FROM documents WHERE id IN ({marks})", chunk
        ).fetchone()[0]
    return total
