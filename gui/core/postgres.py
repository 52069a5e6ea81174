"""A project on a PostgreSQL server: the connection adapter, and opening and creating one.

``PgConnection`` gives psycopg 3 the face of the ``sqlite3`` connection the rest of the
application already talks to (``execute`` returning a cursor with ``fetchone``/``fetchall``/
``lastrowid``, ``executemany``, ``in_transaction``, errors of sqlite3's DB-API classes), and
translates the few SQLite spellings our SQL uses into PostgreSQL's. That is the whole seam: the
edit commands, history, import, export, merge and agreement run their one copy of the SQL on
both engines. The translations, each small and tested in tests/server/test_pg_adapter.py:

- ``?`` placeholders become ``%s`` outside quotes, and every ``%`` (in quotes too) ``%%``;
- ``INSERT OR IGNORE`` becomes ``… ON CONFLICT DO NOTHING``, ``INSERT OR REPLACE`` an upsert
  on the table's primary key;
- an ``INSERT … VALUES`` into a table with an ``id`` gets ``RETURNING id`` so ``lastrowid``
  works (not ``INSERT … SELECT``, whose many ids nobody reads);
- ``BEGIN IMMEDIATE`` becomes ``BEGIN`` (PostgreSQL locks rows, not the database);
- ``group_concat`` becomes ``string_agg`` and ``format('%d')`` ``format('%s')``.

The connection runs in autocommit mode; ``Project.transaction()`` sends BEGIN and COMMIT
itself, as it does to SQLite, so one edit is one server transaction.

A server that goes away is this module's affair too: a broken connection raises
``LostServer`` (an edit "not saved yet", which the window keeps and sends again), the next
statement that starts afresh connects again, and ``committed`` tells whether a COMMIT cut off
in flight was kept, so an edit sent again is never stored twice.
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import psycopg
from psycopg import errors as pg_errors
from psycopg.pq import TransactionStatus

from gui.core.backend import POSTGRES, ServerAddress
from gui.core.errors import ProjectError
from gui.core.migrations import CURRENT_VERSION
from gui.core.pg_schema import FORMAT_TABLE, PG_MIGRATIONS

if TYPE_CHECKING:
    from gui.core.schema import Schema
    from gui.core.store import Project

# Tables whose rows have an ``id`` the application reads back after an INSERT.
ID_TABLES = frozenset({
    "documents", "annotation_sets", "entities", "stances", "prefill_entities",
    "prefill_stances", "history", "kept_versions",
})
# The conflict target and columns of each table that SQL writes with INSERT OR REPLACE.
PRIMARY_KEYS = {"settings": "key", "prefill_runs": "document_id", "labels": "name",
                "targets": "name", "polarities": "name", "annotators": "name",
                "document_units": "document_id", "kept_versions": "id",
                "document_scores": "document_id",
                "agreement_sums": "document_id"}
_TOKENS = re.compile(r"('(?:[^']|'')*')|(\"(?:[^\"]|\"\")*\")|(\?)|(%)")
_INSERT = re.compile(r"^\s*INSERT\s+(?:OR\s+(IGNORE|REPLACE)\s+)?INTO\s+(\w+)\s*(\(([^)]*)\))?",
                     re.IGNORECASE)
_FORMAT_D = re.compile(r"format\('([^']*)'")


@functools.lru_cache(maxsize=512)
def translate(sql: str, *, returning: bool = True, params: bool = True) -> str:
    """SQLite's spelling of one statement in PostgreSQL's (see the module's docstring)."""
    if sql.strip().upper() == "BEGIN IMMEDIATE":
        return "BEGIN"
    sql = re.sub(r"\bgroup_concat\(", "string_agg(", sql, flags=re.IGNORECASE)
    sql = _FORMAT_D.sub(lambda m: "format('" + m.group(1).replace("%d", "%s") + "'", sql)
    if params:
        # psycopg reads every ``%`` as a placeholder, inside quoted literals too
        sql = _TOKENS.sub(
            lambda m: (m.group(1) or m.group(2) or "").replace("%", "%%")
            or ("%s" if m.group(3) else "%%"), sql
        )
    insert = _INSERT.match(sql)
    if insert is None:
        return sql
    mode, table = (insert.group(1) or "").upper(), insert.group(2)
    sql = re.sub(r"^\s*INSERT\s+OR\s+\w+\s+INTO", "INSERT INTO", sql, flags=re.IGNORECASE)
    if mode == "IGNORE":
        sql += " ON CONFLICT DO NOTHING"
    elif mode == "REPLACE":
        key = PRIMARY_KEYS[table]
        columns = [c.strip().strip('"') for c in (insert.group(4) or "").split(",")]
        updates = ", ".join(f'"{c}" = EXCLUDED."{c}"' for c in columns if c != key)
        sql += f' ON CONFLICT ("{key}") DO UPDATE SET {updates}'
    single_row = re.search(r"\bVALUES\b", sql, re.IGNORECASE) is not None
    if returning and single_row and table in ID_TABLES and "RETURNING" not in sql.upper():
        sql += " RETURNING id"
    return sql


def _as_sqlite_error(exc: psycopg.Error) -> sqlite3.Error:
    """The DB-API class the rest of the application catches, with the server's message.

    A CHECK constraint is named after the message SQLite's trigger gives (``unknown status``),
    and a foreign key's refusal starts as SQLite's does, so both engines refuse a bad row with
    the same words."""
    diag = exc.diag
    message = diag.message_primary or str(exc).strip().splitlines()[0]
    if isinstance(exc, pg_errors.CheckViolation) and diag.constraint_name:
        message = diag.constraint_name
    elif isinstance(exc, pg_errors.ForeignKeyViolation):
        message = f"FOREIGN KEY constraint failed ({message})"
    if isinstance(exc, pg_errors.IntegrityError):
        return sqlite3.IntegrityError(message)
    if isinstance(exc, pg_errors.InsufficientPrivilege):
        return sqlite3.OperationalError(f"refused by the server: {message}")
    if isinstance(exc, psycopg.OperationalError | pg_errors.QueryCanceled):
        return sqlite3.OperationalError(message)
    return sqlite3.DatabaseError(message)


class PgCursor:
    """The part of ``sqlite3.Cursor`` the application uses."""

    def __init__(self, cursor: psycopg.Cursor, lastrowid: int | None = None):
        self._cursor = cursor
        self.lastrowid = lastrowid
        self.rowcount = cursor.rowcount

    def fetchone(self) -> tuple | None:
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[tuple]:
        return self._cursor.fetchall() if self._cursor.description else []

    def __iter__(self) -> Iterator[tuple]:
        return iter(self._cursor) if self._cursor.description else iter(())


class LostServer(sqlite3.OperationalError):
    """The connection broke. ``history_id``: the history row the transaction wrote, when it
    broke during COMMIT (the server may or may not have committed it; ``committed`` tells)."""

    server_gone = True  # store._translate makes it an errors.ServerUnavailable

    def __init__(self, message: str, history_id: int | None = None):
        super().__init__(message)
        self.history_id = history_id


RECONNECT_TIMEOUT_S = 5


class PgConnection:
    """The part of ``sqlite3.Connection`` the application uses, over one psycopg connection.

    When the server goes away, the statement under way fails with ``LostServer`` and the
    edit is not saved. The next statement that starts afresh (a transaction's BEGIN, or a
    read outside any transaction) connects again first, so a window carries on by itself
    when the server is back; a transaction cut in the middle is never continued on a new
    connection (PostgreSQL rolled it back)."""

    def __init__(self, conn: psycopg.Connection, address: ServerAddress | None = None):
        self.raw = conn
        self.address = address
        self._in_transaction = False
        self._history_id: int | None = None  # the history row the open transaction wrote

    def _broken(self) -> bool:
        return self.raw.closed or self.raw.broken

    def reconnect(self) -> None:
        """A new session on the same address (the old one's locks and settings are gone)."""
        if self.address is None:
            raise LostServer("lost the server")
        try:
            raw = psycopg.connect(self.address.conninfo, autocommit=True,
                                  connect_timeout=RECONNECT_TIMEOUT_S)
        except psycopg.Error as exc:
            raise LostServer(f"the server is not reachable ({_reason(exc, self.address)})") \
                from None
        old, self.raw = self.raw, raw
        old.close()

    def _lost(self, exc: psycopg.Error, statement: str) -> LostServer:
        self._in_transaction = False
        history_id = self._history_id if statement == "COMMIT" else None
        return LostServer(f"lost the server ({_reason(exc, self.address)})", history_id)

    @property
    def in_transaction(self) -> bool:
        """In a transaction, or in one that failed; not when the connection is gone (UNKNOWN),
        so the next transaction's BEGIN reports the lost connection in one line."""
        return self.raw.info.transaction_status in (
            TransactionStatus.ACTIVE, TransactionStatus.INTRANS, TransactionStatus.INERROR
        )

    def execute(self, sql: str, params: Sequence[Any] | None = None) -> PgCursor:
        has_params = bool(params)
        statement = translate(sql, params=has_params)
        fresh = not self._in_transaction  # a BEGIN or a read outside any transaction
        if fresh and self._broken():
            self.reconnect()
        if statement == "BEGIN":
            self._in_transaction, self._history_id = True, None
        try:
            cursor = self._run(statement, list(params) if has_params else None)
        except LostServer:
            if not fresh:
                raise
            # the session was ended while idle (a restart, a timeout): nothing was under way,
            # so the statement goes once more on a new one
            self.reconnect()
            self._in_transaction = statement == "BEGIN"
            cursor = self._run(statement, list(params) if has_params else None)
        if statement in ("COMMIT", "ROLLBACK"):
            self._in_transaction = False
        lastrowid = None
        if statement.endswith(" RETURNING id") and "RETURNING" not in sql.upper():
            row = cursor.fetchone()
            lastrowid = row[0] if row else None
            if statement.startswith("INSERT INTO history"):
                self._history_id = lastrowid
        return PgCursor(cursor, lastrowid)

    def _run(self, statement: str, params: list[Any] | None) -> psycopg.Cursor:
        cursor = self.raw.cursor()
        try:
            cursor.execute(statement, params)
        except psycopg.Error as exc:
            if self._broken():
                raise self._lost(exc, statement) from None
            raise _as_sqlite_error(exc) from None
        return cursor

    def executemany(self, sql: str, rows: Iterable[Sequence[Any]]) -> None:
        rows = [list(r) for r in rows]
        if not rows:
            return
        statement = translate(sql, returning=False)
        try:
            with self.raw.cursor() as cursor:
                cursor.executemany(statement, rows)
        except psycopg.Error as exc:
            if self._broken():
                raise self._lost(exc, statement) from None
            raise _as_sqlite_error(exc) from None

    def close(self) -> None:
        self.raw.close()


def connect(address: ServerAddress) -> PgConnection:
    """Connect with libpq's own means of finding credentials (password file, service file,
    environment, certificates); a refusal is one line naming the address, never a password."""
    try:
        raw = psycopg.connect(address.conninfo, autocommit=True, connect_timeout=10)
    except psycopg.Error as exc:
        raise ProjectError(f"cannot connect to the server ({_reason(exc, address)})",
                           path=address) from None
    return PgConnection(raw, address)


def _reason(exc: psycopg.Error, address: ServerAddress | None) -> str:
    """The server's or libpq's last line, with any password in the address blanked."""
    reason = str(exc).strip().splitlines()[-1].strip() if str(exc).strip() else \
        type(exc).__name__
    return reason.replace(address.conninfo, str(address)) if address is not None else reason


def committed(project: Project, history_id: int) -> bool:
    """Whether the transaction that wrote history row ``history_id`` was committed: asked
    after a connection broke during COMMIT, before an edit is tried again (so it is never
    stored twice). Ids come from a sequence that never gives one out twice."""
    return project.conn.execute(
        "SELECT count(*) FROM history WHERE id = ?", (history_id,)).fetchone()[0] == 1


def _format_version(conn: PgConnection, address: ServerAddress) -> int | None:
    """The project's format version; None for an empty database; refuses anything else."""
    found = conn.execute("SELECT to_regclass(?)", (FORMAT_TABLE,)).fetchone()[0]
    if found is None:
        tables = conn.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
        ).fetchone()[0]
        if tables:
            raise ProjectError("holds tables but not a Marginalia project", path=address)
        return None
    from gui.core.store import APPLICATION_ID

    row = conn.execute(f"SELECT application_id, version FROM {FORMAT_TABLE}").fetchone()
    if row is None or row[0] != APPLICATION_ID:
        raise ProjectError("holds tables but not a Marginalia project", path=address)
    return int(row[1])


def _migrate(project: Project, from_version: int) -> None:
    for number, migration in enumerate(PG_MIGRATIONS[from_version:], start=from_version + 1):
        with project.transaction():
            migration(project.conn)
            project.conn.execute(f"UPDATE {FORMAT_TABLE} SET version = ?", (number,))


def open_project(cls: type[Project], address: str) -> Project:
    """Open the project in a server's database, migrating it when it is older."""
    address = address if isinstance(address, ServerAddress) else ServerAddress(address)
    conn = connect(address)
    try:
        version = _format_version(conn, address)
        if version is None:
            raise ProjectError(
                "holds no project yet (create one with 'marginalia init')", path=address
            )
        if version > CURRENT_VERSION:
            raise ProjectError(
                f"was made by a newer version of Marginalia (format {version}; this version "
                f"reads up to {CURRENT_VERSION}); it was left untouched",
                path=address,
            )
        readonly = conn.execute("SHOW transaction_read_only").fetchone()[0] == "on"
        project = cls(address, conn, readonly=readonly, dialect=POSTGRES)
        if version < CURRENT_VERSION:
            if readonly:
                raise ProjectError(
                    "is read-only and needs upgrading to this version's format", path=address
                )
            _migrate(project, version)
        return project
    except sqlite3.Error as exc:
        conn.close()
        raise ProjectError(f"{exc}; nothing was changed", path=address) from None
    except BaseException:
        conn.close()
        raise


def create_project(
    cls: type[Project],
    address: str,
    schema: Schema,
    fill: Callable[[Project], None] | None = None,
) -> Project:
    """Make a project in an empty database, in one transaction: all of it or nothing.

    ``fill(project)``, when given, runs inside that same transaction (``copy`` uses it)."""
    from gui.core.store import APPLICATION_ID, _app_version

    address = address if isinstance(address, ServerAddress) else ServerAddress(address)
    conn = connect(address)
    try:
        if _format_version(conn, address) is not None:
            raise ProjectError("already holds a project; choose another database", path=address)
        project = cls(address, conn, readonly=False, dialect=POSTGRES)
        with project.transaction():
            conn.execute(f"CREATE TABLE {FORMAT_TABLE} (application_id integer NOT NULL, "
                         "version integer NOT NULL)")
            conn.execute(f"INSERT INTO {FORMAT_TABLE} VALUES (?, 0)", (APPLICATION_ID,))
            _migrate(project, 0)
            project._write_schema(schema)
            project.set_setting("created_with", _app_version())
            if fill is not None:
                fill(project)
        return project
    except BaseException:
        conn.close()
        raise


def reset_identities(project: Project) -> None:
    """After rows were inserted with their ids (a copy), new rows must number after them."""
    for table in sorted(ID_TABLES):
        project.conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
            f"coalesce((SELECT max(id) FROM {table}), 0) + 1, false)"
        )
