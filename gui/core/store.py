"""The project file: one SQLite database (through sqlite-utils) holding everything.

Why it looks like this:
- WAL journal and a busy timeout, so two windows or processes can read while one writes, and
  a writer waits its turn instead of failing with "database is locked".
- Every write goes through ``transaction()`` (``BEGIN IMMEDIATE``): one edit is one
  transaction, and a failed import or edit leaves the file exactly as it was.
- ``PRAGMA application_id`` marks the file as ours; ``PRAGMA user_version`` is the format
  version. A file from a newer version is refused before anything is written to it.
- Files travel: every file is checked to be exactly ours and sound before anything is read
  from it (gui/core/integrity.py), and none is written on a network filesystem
  (gui/core/location.py).
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from itertools import repeat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gui.core.backend import SQLITE, Dialect, is_server_address
from gui.core.errors import ProjectError, ServerUnavailable
from gui.core.integrity import check_file, remember_checked
from gui.core.location import check_writable_location
from gui.core.migrations import CURRENT_VERSION, MIGRATIONS, STATUSES

if TYPE_CHECKING:
    from sqlite_utils import Database

    from gui.core.schema import Schema

APPLICATION_ID = 0x4D52474E  # "MRGN"
SQLITE_MAGIC = b"SQLite format 3\x00"
GOLD = "#gold"  # the annotator name under which the adjudicated set is stored
# Which scores "most to gain first" orders by (document_scores.model): the trained version in
# use, its setting as stored; where none is (no setting, or null after a switch to none), the
# key given as the one parameter, the starter's (``list_documents``).
_SCORED_BY = ("coalesce((SELECT nullif(value, 'null') FROM settings WHERE key = 'trained_model'),"
              " ?)")
DEFAULT_BUSY_TIMEOUT_MS = int(os.environ.get("MARGINALIA_BUSY_TIMEOUT_MS", "10000"))
_ANNOTATOR_NAME = re.compile(r"^[^\s#][^\n\r\t]{0,63}$")
# A row of ``documents`` as ``document_row`` builds it and ``store_documents`` inserts it.
DOCUMENT_COLUMNS = ("hash", "text", "length", "title", "source", "date", "url", "meta",
                    "created_at")
DocumentRow = tuple[str, str, int, str, str, str, str, str, str]
_INSERT_DOCUMENT = f"INSERT OR IGNORE INTO documents({', '.join(DOCUMENT_COLUMNS)})"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds")


def text_hash(text: str) -> str:
    import hashlib  # here, not at the top: loading OpenSSL cost every window start ~15 ms

    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def check_annotator_name(name: str) -> str:
    name = name.strip()
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes from the command line arrive as surrogates
        raise ProjectError(f"annotator name {name!r} is not valid UTF-8 text") from None
    if not _ANNOTATOR_NAME.match(name):
        raise ProjectError(
            f"annotator name {name!r} must be 1 to 64 characters on one line, not starting with '#'"
        )
    return name


@dataclass(frozen=True)
class Document:
    id: int
    text: str
    title: str
    source: str
    date: str
    url: str
    meta: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Entity:
    id: int
    start: int
    end: int
    label: str
    origin: str = "manual"


@dataclass(frozen=True)
class Stance:
    id: int
    start: int
    end: int
    target: str
    polarity: str
    holder_start: int | None = None
    holder_end: int | None = None
    confidence: float | None = None
    origin: str = "manual"

    @property
    def holder(self) -> tuple[int, int] | None:
        if self.holder_start is None or self.holder_end is None:
            return None
        return (self.holder_start, self.holder_end)


@dataclass(frozen=True)
class AnnotationSet:
    id: int | None  # None: no set yet, the entities and stances shown are the pre-fill
    document_id: int
    annotator: str
    status: str
    note: str
    entities: tuple[Entity, ...]
    stances: tuple[Stance, ...]


def _translate(exc: sqlite3.Error, path: Path) -> ProjectError:
    message = str(exc)
    if getattr(exc, "server_gone", False):  # postgres.LostServer: may be tried again
        return ServerUnavailable(f"{message}; not saved yet", path=path,
                                 history_id=getattr(exc, "history_id", None))
    if "locked" in message or "busy" in message:
        return ProjectError(
            "is locked by another process (waited and gave up); nothing was changed", path=path
        )
    if "readonly" in message or "read-only" in message:
        return ProjectError("is read-only; nothing was changed", path=path)
    if "database or disk is full" in message or "disk is full" in message:
        return ProjectError("the disk is full; nothing was changed", path=path)
    if "not a database" in message or "malformed" in message:
        return ProjectError("is not a Marginalia project (not a valid SQLite file)", path=path)
    return ProjectError(f"{message}; nothing was changed", path=path)


class Project:
    """An open project file. Not thread-safe: one thread owns one ``Project``."""

    def __init__(
        self, path: Path, conn: sqlite3.Connection, *, readonly: bool, dialect: Dialect = SQLITE
    ):
        self.path = path  # a file's path, or a server's address (backend.ServerAddress)
        self.conn = conn  # sqlite3, or postgres.PgConnection, which speaks the same
        self.readonly = readonly
        self.dialect = dialect
        self._schema: Schema | None = None
        # Documents with a larger id are stored but not yet in the word filter's index (see
        # store_documents); None when every stored document is in it.
        self._unindexed_after: int | None = None

    # ---- opening and creating -------------------------------------------------------------

    @classmethod
    def create(cls, path: str | Path, schema: Schema) -> Project:
        """Create a new project; it appears under its name only once it is complete."""
        if is_server_address(path):
            from gui.core.postgres import create_project

            return create_project(cls, path, schema)
        path = Path(path)
        if path.exists():
            raise ProjectError("already exists; choose another name or open it", path=path)
        if not path.parent.exists():
            raise ProjectError("its folder does not exist", path=path)
        check_writable_location(path)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        os.close(fd)
        os.unlink(tmp_name)
        tmp = Path(tmp_name)
        try:
            conn = cls._connect(tmp, readonly=False, busy_timeout_ms=DEFAULT_BUSY_TIMEOUT_MS)
            conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            project = cls(tmp, conn, readonly=False)
            project._migrate(0)
            project._write_schema(schema)
            project.set_setting("created_with", _app_version())
            conn.execute("PRAGMA journal_mode = DELETE")  # a single file to rename
            conn.close()
            os.replace(tmp, path)
        except BaseException:
            for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm"), Path(f"{tmp}-journal")):
                leftover.unlink(missing_ok=True)
            raise
        return cls.open(path)

    @classmethod
    def open(
        cls,
        path: str | Path,
        *,
        readonly: bool = False,
        busy_timeout_ms: int = DEFAULT_BUSY_TIMEOUT_MS,
    ) -> Project:
        """Open a project after checking it is ours, sound and somewhere safe to write.

        ``readonly`` is a look that never writes (merge reads the files it brings in so): it
        is allowed on a network filesystem and on a file of an older format, which is read as
        it is, so the caller reads only tables every format holds.
        """
        if is_server_address(path):
            from gui.core.postgres import open_project

            return open_project(cls, path)
        path = Path(path)
        if not path.exists():
            raise ProjectError("no such project (create one with 'marginalia init')", path=path)
        if path.is_dir():
            raise ProjectError("is a folder, not a project file", path=path)
        try:
            with path.open("rb") as fh:
                magic = fh.read(len(SQLITE_MAGIC))
        except PermissionError:
            raise ProjectError("cannot be read (permission denied)", path=path) from None
        if magic != SQLITE_MAGIC:
            raise ProjectError("is not a Marginalia project (not an SQLite file)", path=path)
        writable = (not readonly and os.access(path, os.W_OK)
                    and os.access(path.parent, os.W_OK))
        if writable:
            check_writable_location(path)
        try:
            conn = cls._connect(path, readonly=not writable, busy_timeout_ms=busy_timeout_ms)
        except sqlite3.Error as exc:
            raise _translate(exc, path) from None
        try:
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id != APPLICATION_ID or version < 1:
                raise ProjectError("is an SQLite file but not a Marginalia project", path=path)
            if version > CURRENT_VERSION:
                raise ProjectError(
                    f"was made by a newer version of Marginalia (format {version}; this version "
                    f"reads up to {CURRENT_VERSION}); it was left untouched",
                    path=path,
                )
            check_file(conn, path, version)
            project = cls(path, conn, readonly=not writable)
            if writable:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.execute("PRAGMA synchronous = FULL")
                if version < CURRENT_VERSION:
                    project._migrate(version)
            elif version < CURRENT_VERSION and not readonly:
                raise ProjectError(
                    "is read-only and needs upgrading to this version's format", path=path
                )
            remember_checked(path)
            return project
        except sqlite3.Error as exc:
            conn.close()
            raise _translate(exc, path) from None
        except ProjectError:
            conn.close()
            raise

    @staticmethod
    def _connect(path: Path, *, readonly: bool, busy_timeout_ms: int) -> sqlite3.Connection:
        if readonly:
            uri = f"{path.resolve().as_uri()}?mode=ro"
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False)
        else:
            conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
        # Before anything reads the schema: functions with side effects may not run from
        # triggers, views or table definitions (a file may come from anyone; integrity.py).
        conn.execute("PRAGMA trusted_schema = OFF")
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        conn.execute("PRAGMA foreign_keys = ON")
        conn.execute("PRAGMA recursive_triggers = ON")  # as sqlite-utils' Database sets it
        return conn

    @functools.cached_property
    def db(self) -> Database:
        """sqlite-utils over the same connection, for migrations: imported only when needed,
        because it pulls in numpy, which would cost every start of the window ~0.2 s."""
        from sqlite_utils import Database

        return Database(self.conn)

    def _migrate(self, from_version: int) -> None:
        for number, migration in enumerate(MIGRATIONS[from_version:], start=from_version + 1):
            with self.transaction():
                migration(self.db)
                self.conn.execute(f"PRAGMA user_version = {number}")

    def close(self) -> None:
        with contextlib.suppress(sqlite3.Error):
            self.conn.close()
        if not self.readonly and isinstance(self.path, Path) and self.path.exists():
            remember_checked(self.path)  # what we wrote needs no second check

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ---- transactions ---------------------------------------------------------------------

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One unit of work: all of it is stored, or none of it. Nested calls join the outer."""
        if self.readonly:
            raise ProjectError("is read-only; nothing was changed", path=self.path)
        if self.conn.in_transaction:
            yield self.conn
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise _translate(exc, self.path) from None
        try:
            yield self.conn
            self.index_new_documents()
            self.conn.execute("COMMIT")
        except sqlite3.Error as exc:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise _translate(exc, self.path) from None
        except BaseException:
            if self.conn.in_transaction:
                self.conn.execute("ROLLBACK")
            raise
        finally:
            self._unindexed_after = None

    # ---- settings and schema --------------------------------------------------------------

    def setting(self, key: str, default: Any = None) -> Any:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings(key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, json.dumps(value, ensure_ascii=False)),
            )

    @property
    def schema(self) -> Schema:
        if self._schema is None:
            # Imported here: the window's first paint opens a project and reads documents
            # without its schema, and the schema module (its dataclasses, importlib.resources)
            # cost that start ~3 ms of CPU.
            from gui.core.schema import Schema

            self._schema = Schema.from_dict(self.setting("schema"))
        return self._schema

    def _write_schema(self, schema: Schema) -> None:
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR REPLACE INTO settings(key, value) VALUES ('schema', ?)",
                (schema.to_json(),),
            )
            conn.executemany(
                "INSERT INTO labels(name, key, color, description, position) "
                "VALUES (?, ?, ?, ?, ?)",
                [
                    (e.label, e.key, e.color, e.description, i)
                    for i, e in enumerate(schema.entities)
                ],
            )
            conn.executemany(
                "INSERT INTO targets(name, key, description, position) VALUES (?, ?, ?, ?)",
                [(t.name, t.key, t.description, i) for i, t in enumerate(schema.targets)],
            )
            conn.executemany(
                "INSERT INTO polarities(name, position) VALUES (?, ?)",
                [(p, i) for i, p in enumerate(schema.polarities)],
            )
        self._schema = schema

    # ---- documents ------------------------------------------------------------------------

    def add_documents(self, rows: Iterable[dict[str, Any]]) -> list[tuple[int, bool]]:
        """Insert documents (dicts with text and optional title/source/date/url/meta).

        Returns (document id, created) per row in order; a text already in the project is not
        added again and returns the existing id. Call inside ``transaction()`` for many batches.
        """
        stamp = now()
        return self.store_documents([
            document_row(r["text"], r.get("title"), r.get("source"), r.get("date"), r.get("url"),
                         r.get("meta"), stamp)
            for r in rows
        ])

    def store_documents(self, rows: Sequence[DocumentRow]) -> list[tuple[int, bool]]:
        """``add_documents`` for rows already built by ``document_row`` (the importer builds
        them in its reading thread, so the thread holding the transaction only stores them).

        In a file nothing else writes while our transaction is open, so every row is simply
        inserted (a text already there is ignored) and, when all of them went in, their ids
        are known without reading them back: SQLite gives a new row the largest id plus one.
        That saves two lookups by hash per batch. A server has other writers, so there the
        texts already stored are looked up first and the new ids read back after.

        The new documents go into the word filter's index at ``index_new_documents`` or
        before the transaction commits, whichever comes first.
        """
        hashes = list(map(itemgetter(0), rows))
        unique = _first_of_each(hashes, rows)
        insert = f"{_INSERT_DOCUMENT} VALUES ({', '.join('?' * len(DOCUMENT_COLUMNS))})"
        with self.transaction() as conn:
            last_id = _last_document_id(conn)
            if self.dialect.sole_writer:
                added = conn.executemany(insert, unique.values()).rowcount
                if added == len(unique) and _last_document_id(conn) == last_id + added:
                    ids = dict(zip(unique, range(last_id + 1, last_id + added + 1), strict=True))
                    existing: dict[str, int] = {}
                else:
                    ids = self.document_ids_by_hash(hashes)
                    existing = {h: i for h, i in ids.items() if i <= last_id}
            else:
                existing = self.document_ids_by_hash(hashes)
                conn.executemany(insert, [row for h, row in unique.items() if h not in existing])
                ids = self.document_ids_by_hash(hashes) if len(existing) < len(unique) \
                    else existing
            if self._unindexed_after is None and len(existing) < len(unique):
                self._unindexed_after = last_id
        if not existing and len(unique) == len(hashes):  # all new, none twice: the usual batch
            return list(zip(ids.values(), repeat(True)))
        result = []
        seen: set[str] = set(existing)
        for h in hashes:
            result.append((ids[h], h not in seen))
            seen.add(h)
        return result

    def index_new_documents(self) -> None:
        """Take the documents stored in this transaction so far into the word filter's index
        now (the commit does it otherwise). The importer calls it after each batch, while
        its reading thread reads the next: FTS5's work is one long step of SQLite with the
        GIL released."""
        if self._unindexed_after is not None:
            self.dialect.index_documents(self.conn, self._unindexed_after)
            self._unindexed_after = None

    def document_ids_by_hash(self, hashes: Sequence[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        unique = list(dict.fromkeys(hashes))
        for i in range(0, len(unique), 500):
            chunk = unique[i : i + 500]
            marks = ",".join("?" * len(chunk))
            found.update(
                self.conn.execute(
                    f"SELECT hash, id FROM documents WHERE hash IN ({marks})", chunk
                ).fetchall()
            )
        return found

    def document(self, doc_id: int) -> Document:
        row = self.conn.execute(
            "SELECT id, text, title, source, date, url, meta FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        if row is None:
            raise ProjectError(f"has no document {doc_id}", path=self.path)
        return Document(*row[:6], meta=json.loads(row[6]))

    def count_documents(self) -> int:
        return self.conn.execute("SELECT count(*) FROM documents").fetchone()[0]

    def document_ids(self) -> list[int]:
        return [r[0] for r in self.conn.execute("SELECT id FROM documents ORDER BY id")]

    def has_gain_scores(self, starter: str | None = None) -> bool:
        """Whether the model in use has scored a document (``starter`` as ``list_documents``
        takes it): without scores, "most to gain first" lists the documents in their own
        order."""
        row = self.conn.execute(
            f"SELECT EXISTS (SELECT 1 FROM document_scores WHERE model = {_SCORED_BY})",
            (starter,)).fetchone()
        return bool(row[0])

    def list_documents(
        self,
        annotator: str | None,
        *,
        statuses: Iterable[str] | None = None,
        text: str = "",
        offset: int = 0,
        limit: int = 200,
        order: str = "id",
        starter: str | None = None,
    ) -> list[tuple[int, str, str, int]]:
        """(id, title, status, length) rows for a document list, filtered and paged.

        The status is the annotator's (``todo`` where they have no set yet). Paging keeps a
        100,000-document project as quick to list as a small one. ``order`` "gain": the
        documents the model in use is least sure about first, then the rest in id order:
        the trained version's scores (computed after training, gui/nlp/uncertainty.py), or
        where none is in use, those stored under ``starter`` (the starter classifier's,
        recorded by pre-fill; ``gui.nlp.starter.gain_key`` names them, None when it is off).
        """
        source, where, params, order_by = self._document_filter(annotator, statuses, text)
        if order == "gain":
            source += " LEFT JOIN document_scores g ON g.document_id = d.id AND g.model = " \
                + _SCORED_BY
            params.insert(1, starter)  # the source's own parameter (the annotator) comes first
            order_by = "g.score IS NULL, g.score DESC, d.id"
        return self.conn.execute(
            f"SELECT d.id, d.title, coalesce(s.status, 'todo'), d.length FROM {source} "
            f"{where} ORDER BY {order_by} LIMIT ? OFFSET ?",
            (*params, limit, offset),
        ).fetchall()

    def count_listed(
        self, annotator: str | None, *, statuses: Iterable[str] | None = None, text: str = ""
    ) -> int:
        if statuses is not None:
            statuses = list(statuses)
        if not text and statuses is None:
            return self.count_documents()  # the join adds no row: a set is unique per document
        if not text and "todo" not in statuses:
            # Only documents with a set can match: count them on the (annotator, status) index
            # instead of joining every document (45 -> 0.1 ms at 100,000 documents).
            marks = ",".join("?" * len(statuses))
            return self.conn.execute(
                f"SELECT count(*) FROM annotation_sets WHERE annotator = ? AND status IN ({marks})",
                (annotator or "", *statuses),
            ).fetchone()[0]
        words = self.dialect.word_filter(text, "")
        if words is not None and statuses is None:
            return self.conn.execute(
                f"SELECT count(*) FROM {words.counted} WHERE {words.clause}", (words.parameter,)
            ).fetchone()[0]
        source, where, params, _order = self._document_filter(annotator, statuses, text)
        return self.conn.execute(f"SELECT count(*) FROM {source} {where}", params).fetchone()[0]

    def _document_filter(
        self, annotator: str | None, statuses: Iterable[str] | None, text: str
    ) -> tuple[str, str, list[Any], str]:
        """FROM, WHERE, their parameters and ORDER BY for the documents listed for ``annotator``.

        Words are looked up in the full-text index, which then drives the query in id order,
        so the first page of a common word's 100,000 matches costs ~10 ms instead of a scan
        of every text; input without a letter or digit falls back to a substring match.
        """
        joined = "LEFT JOIN annotation_sets s ON s.document_id = d.id AND s.annotator = ?"
        words = self.dialect.word_filter(text, joined)
        if words is not None:
            source, order = words.source, words.order
            clauses = [words.clause]
            params: list[Any] = [annotator or "", words.parameter]
        else:
            source, order = f"documents d {joined}", "d.id"
            clauses, params = [], [annotator or ""]
        if statuses is not None:
            chosen = list(statuses)
            clauses.append(f"coalesce(s.status, 'todo') IN ({','.join('?' * len(chosen))})")
            params.extend(chosen)
        if text and words is None:
            escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            like = self.dialect.like
            clauses.append(f"(d.title {like} ? ESCAPE '\\' OR d.text {like} ? ESCAPE '\\')")
            params.extend([f"%{escaped}%"] * 2)
        return source, ("WHERE " + " AND ".join(clauses) if clauses else ""), params, order

    # ---- annotators -----------------------------------------------------------------------

    def annotators(self) -> list[str]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT name FROM annotators WHERE role != 'gold' ORDER BY name"
            )
        ]

    def annotator_role(self, name: str) -> str | None:
        row = self.conn.execute("SELECT role FROM annotators WHERE name = ?", (name,)).fetchone()
        return row[0] if row else None

    def ensure_annotator(self, name: str, role: str = "annotator") -> str:
        if name != GOLD:
            name = check_annotator_name(name)
        with self.transaction() as conn:
            conn.execute(
                "INSERT OR IGNORE INTO annotators(name, role, created_at) VALUES (?, ?, ?)",
                (name, "gold" if name == GOLD else role, now()),
            )
        return name

    def set_role(self, name: str, role: str) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE annotators SET role = ? WHERE name = ?", (role, name))

    # ---- annotation sets ------------------------------------------------------------------

    def set_id(self, doc_id: int, annotator: str) -> int | None:
        row = self.conn.execute(
            "SELECT id FROM annotation_sets WHERE document_id = ? AND annotator = ?",
            (doc_id, annotator),
        ).fetchone()
        return row[0] if row else None

    def ensure_set(self, doc_id: int, annotator: str, *, copy_prefill: bool = True) -> int:
        """The annotator's set for a document, created on first edit as a copy of the pre-fill.

        Two clients of one server may make the same first edit at once (the same person in
        two windows, two reviewers on the gold): the INSERT yields to a set another
        transaction made meanwhile (PostgreSQL waits for it to commit), so both edits land
        in the one set rather than the second failing on the unique key."""
        existing = self.set_id(doc_id, annotator)
        if existing is not None:
            return existing
        with self.transaction() as conn:
            self.ensure_annotator(annotator)
            stamp = now()
            created = conn.execute(
                "INSERT INTO annotation_sets(document_id, annotator, status, note, created_at, "
                "updated_at) VALUES (?, ?, 'todo', '', ?, ?) "
                "ON CONFLICT (document_id, annotator) DO NOTHING RETURNING id",
                (doc_id, annotator, stamp, stamp),
            ).fetchall()
            if not created:  # made by another client since we looked: theirs is ours
                return int(self.set_id(doc_id, annotator))
            set_id = int(created[0][0])
            if copy_prefill:
                conn.execute(
                    'INSERT INTO entities(set_id, start, "end", label, origin) '
                    "SELECT ?, start, \"end\", label, 'prefill' FROM prefill_entities "
                    'WHERE document_id = ? ORDER BY start, "end", id',
                    (set_id, doc_id),
                )
                conn.execute(
                    'INSERT INTO stances(set_id, start, "end", target, polarity, holder_start, '
                    'holder_end, confidence, origin) SELECT ?, start, "end", target, polarity, '
                    "holder_start, holder_end, confidence, 'prefill' FROM prefill_stances "
                    'WHERE document_id = ? ORDER BY start, "end", id',
                    (set_id, doc_id),
                )
            self.record(annotator, doc_id, set_id, "create_set", {"copy_prefill": copy_prefill})
        return set_id

    def annotation_set(self, doc_id: int, annotator: str) -> AnnotationSet:
        """What the annotator sees for a document: their set, or the pre-fill if they have none."""
        row = self.conn.execute(
            "SELECT id, status, coalesce(note, '') FROM annotation_sets "
            "WHERE document_id = ? AND annotator = ?",
            (doc_id, annotator),
        ).fetchone()
        if row is None:
            return AnnotationSet(
                None,
                doc_id,
                annotator,
                "todo",
                "",
                self.prefill_entities(doc_id),
                self.prefill_stances(doc_id),
            )
        set_id, status, note = row
        return AnnotationSet(
            set_id, doc_id, annotator, status, note, self.entities(set_id), self.stances(set_id)
        )

    def set_owner(self, set_id: int) -> tuple[int, str]:
        row = self.conn.execute(
            "SELECT document_id, annotator FROM annotation_sets WHERE id = ?", (set_id,)
        ).fetchone()
        if row is None:
            raise ProjectError(f"has no annotation set {set_id}", path=self.path)
        return row[0], row[1]

    def entities(self, set_id: int) -> tuple[Entity, ...]:
        return tuple(
            Entity(*r)
            for r in self.conn.execute(
                'SELECT id, start, "end", label, origin FROM entities WHERE set_id = ? '
                'ORDER BY start, "end", id',
                (set_id,),
            )
        )

    def stances(self, set_id: int) -> tuple[Stance, ...]:
        return tuple(
            Stance(*r)
            for r in self.conn.execute(
                'SELECT id, start, "end", target, polarity, holder_start, holder_end, confidence, '
                'origin FROM stances WHERE set_id = ? ORDER BY start, "end", id',
                (set_id,),
            )
        )

    def prefill_entities(self, doc_id: int) -> tuple[Entity, ...]:
        return tuple(
            Entity(-(r[0]), r[1], r[2], r[3], "prefill")
            for r in self.conn.execute(
                'SELECT id, start, "end", label FROM prefill_entities WHERE document_id = ? '
                'ORDER BY start, "end", id',
                (doc_id,),
            )
        )

    def prefill_stances(self, doc_id: int) -> tuple[Stance, ...]:
        return tuple(
            Stance(-(r[0]), *r[1:], origin="prefill")
            for r in self.conn.execute(
                'SELECT id, start, "end", target, polarity, holder_start, holder_end, confidence '
                'FROM prefill_stances WHERE document_id = ? ORDER BY start, "end", id',
                (doc_id,),
            )
        )

    # ---- history --------------------------------------------------------------------------

    def record(
        self,
        annotator: str | None,
        doc_id: int | None,
        set_id: int | None,
        action: str,
        payload: dict[str, Any],
    ) -> None:
        """Append to the history; call inside the transaction of the change it describes."""
        self.conn.execute(
            "INSERT INTO history(at, annotator, document_id, set_id, action, payload) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (now(), annotator, doc_id, set_id, action, json.dumps(payload, ensure_ascii=False)),
        )

    def touch(self, set_id: int, *, edited: bool = True) -> None:
        """Mark a set as changed by a person; a set still ``todo`` becomes ``in_progress``."""
        stamp = now()
        self.conn.execute(
            "UPDATE annotation_sets SET updated_at = ?, edited_at = CASE WHEN ? THEN ? ELSE "
            "edited_at END, status = CASE status WHEN 'todo' THEN 'in_progress' ELSE status END "
            "WHERE id = ?",
            (stamp, edited, stamp, set_id),
        )

    # ---- statistics -----------------------------------------------------------------------

    def stats(self) -> dict[str, Any]:
        documents = self.count_documents()
        annotators = self.annotators()
        per: dict[str, dict[str, int]] = {}
        for name in annotators:
            counts = dict(
                self.conn.execute(
                    "SELECT status, count(*) FROM annotation_sets WHERE annotator = ? "
                    "GROUP BY status",
                    (name,),
                ).fetchall()
            )
            row = {s: int(counts.get(s, 0)) for s in STATUSES}
            row["todo"] = documents - sum(v for k, v in row.items() if k != "todo")
            per[name] = row
        status_totals = {s: sum(p[s] for p in per.values()) for s in STATUSES}
        entity_count = self.conn.execute(
            "SELECT count(*) FROM entities e JOIN annotation_sets s ON s.id = e.set_id "
            "WHERE s.annotator != ?",
            (GOLD,),
        ).fetchone()[0]
        stance_count = self.conn.execute(
            "SELECT count(*) FROM stances t JOIN annotation_sets s ON s.id = t.set_id "
            "WHERE s.annotator != ?",
            (GOLD,),
        ).fetchone()[0]
        gold_done = self.conn.execute(
            "SELECT count(*) FROM annotation_sets WHERE annotator = ? AND status = 'done'", (GOLD,)
        ).fetchone()[0]
        prefilled = self.conn.execute("SELECT count(*) FROM prefill_runs").fetchone()[0]
        return {
            "project": str(self.path),
            "schema": self.schema.name,
            "documents": documents,
            "annotators": annotators,
            "status": status_totals,
            **status_totals,
            "per_annotator": per,
            "entities": entity_count,
            "stances": stance_count,
            "prefilled_documents": prefilled,
            "gold_done": gold_done,
        }


def _first_of_each(hashes: list[str], rows: Sequence[DocumentRow]) -> dict[str, DocumentRow]:
    """The first row of each text: a text repeated in one batch is inserted once (a server's
    sequence would otherwise count an id for each repeat, and ids would differ from a file's)."""
    first = dict(zip(hashes, rows, strict=True))
    if len(first) == len(rows):
        return first
    first = {}
    for h, r in zip(hashes, rows, strict=True):
        first.setdefault(h, r)
    return first


def document_row(text: str, title: str | None = "", source: str | None = "",
                 date: str | None = "", url: str | None = "",
                 meta: dict[str, Any] | None = None, stamp: str = "") -> DocumentRow:
    """The ``documents`` row of a text, in ``DOCUMENT_COLUMNS`` order, its hash computed here."""
    return (text_hash(text), text, len(text), title or "", source or "", date or "", url or "",
            json.dumps(meta, ensure_ascii=False) if meta else "{}", stamp or now())


def _last_document_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0])


def _app_version() -> str:
    from gui import __version__

    return __version__
