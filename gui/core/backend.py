"""Where a project lives: a file (SQLite) or a PostgreSQL server, and what differs between them.

The application has one store, ``Project``, and one body of SQL. What the two engines do not
share is kept here, behind a ``Dialect``: how the word filter searches (FTS5 in the file, a
``tsvector`` column on the server) and how a ``LIKE`` folds case. Everything else that differs
only in spelling (placeholders, ``INSERT OR IGNORE``, ``lastrowid``, ``BEGIN IMMEDIATE``) is
translated by the server's connection adapter in ``postgres.py``, so the edit commands,
history, import, export, merge and agreement code run unchanged on both.

This module imports nothing heavy: opening a file never loads psycopg.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

FTS5_AUTOMERGE = 4  # FTS5's own default
BULK_AUTOMERGE = 16
_WORD = re.compile(r"[^\W_]+")  # letters and digits: never split again by FTS5's unicode61
# ``postgresql://…`` or ``postgres://…`` URLs, and libpq's ``key=value`` strings
# (``service=team``, ``host=db.example.org dbname=news``).
_URL = re.compile(r"^postgres(ql)?://", re.IGNORECASE)
_KEYWORDS = re.compile(r"^\s*[a-z_]+\s*=", re.IGNORECASE)
_PASSWORD_IN_URL = re.compile(r"(://[^:/@?#]*):[^@/?#]*@")
_PASSWORD_KEYWORD = re.compile(r"(password\s*=\s*)('(?:[^'\\]|\\.)*'|\S+)", re.IGNORECASE)


def is_server_address(text: object) -> bool:
    """True for a PostgreSQL address (URL, ``key=value`` string or service name)."""
    if isinstance(text, ServerAddress):
        return True
    if not isinstance(text, str):
        return False  # a Path is always a file
    return bool(_URL.match(text) or _KEYWORDS.match(text))


class ServerAddress(str):
    """A PostgreSQL address as the user gave it, shown with any password blanked out.

    ``str()`` of it is what messages and the window's title show; ``conninfo`` is what libpq
    gets. A password belongs in libpq's password file or service file, but one typed into an
    address must still never reach a log or an error message.
    """

    conninfo: str

    def __new__(cls, address: str) -> ServerAddress:
        shown = _PASSWORD_KEYWORD.sub(r"\1***", _PASSWORD_IN_URL.sub(r"\1:***@", address))
        self = super().__new__(cls, shown)
        self.conninfo = address
        return self

    @property
    def name(self) -> str:
        """The database's name (or the service's), where a file would give its file name."""
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(self.conninfo)
        return str(parts.get("dbname") or parts.get("service") or self)

    def resolve(self) -> ServerAddress:
        """The address itself: what ``Path.resolve`` is to a file, to compare two projects."""
        return self

    @property
    def parent(self) -> Path:
        """Where file dialogs start for a project on a server: the current folder, as for a
        file given by a relative name."""
        return Path.cwd()


def project_location(value: str | Path) -> Path | ServerAddress:
    """What the window and the workers hold a project by: a file's Path or a server address."""
    if is_server_address(value):
        return value if isinstance(value, ServerAddress) else ServerAddress(str(value))
    return Path(value)


def match_query(text: str) -> str | None:
    """The FTS5 query for a word filter: every word typed, as the start of a word (``Hav``
    finds Havana), case and accents ignored; None when the text holds no word.

    Words of one or two letters are matched whole: as prefixes they would merge the lists of
    a good part of the vocabulary (150 ms for the first page at 100,000 documents)."""
    words = _WORD.findall(text)
    return " ".join(f'"{w}"*' if len(w) > 2 else f'"{w}"' for w in words) if words else None


@dataclass(frozen=True)
class WordFilter:
    """How a word filter joins the documents: FROM, the WHERE clause, its parameter, order,
    and the FROM that counts the matches alone (the index, where it can answer by itself)."""

    source: str
    clause: str
    parameter: str
    order: str
    counted: str


class Dialect(Protocol):
    name: str
    like: str  # the operator that matches a substring regardless of case
    # No other connection writes while a transaction of ours is open (SQLite's write lock),
    # so what an INSERT did can be told from counts, without reading the rows back.
    sole_writer: bool

    def word_filter(self, text: str, joined: str) -> WordFilter | None: ...

    def index_documents(self, conn: Any, after_id: int) -> None: ...


class SQLiteDialect:
    """The project file: FTS5 with external content, filled in the import's transaction."""

    name = "sqlite"
    like = "LIKE"  # SQLite's LIKE already ignores (ASCII) case
    sole_writer = True

    def word_filter(self, text: str, joined: str) -> WordFilter | None:
        query = match_query(text)
        if query is None:
            return None
        # In the index's own order, so SQLite stops after one page.
        return WordFilter(
            f"documents_fts f JOIN documents d ON d.id = f.rowid {joined}",
            "documents_fts MATCH ?",
            query,
            "f.rowid",
            "documents_fts",
        )

    def index_documents(self, conn: Any, after_id: int) -> None:
        """The word filter's index takes in the documents after ``after_id``, in bulk (see
        migrations._documents_fts_v2). FTS5 merges its segments 16 at a time meanwhile
        rather than 4: fewer passes over the same postings (0.3 s less CPU for 100,000
        documents), back to 4 after, so later writes keep the index as compact as before."""
        conn.execute(f"INSERT INTO documents_fts(documents_fts, rank) VALUES('automerge', "
                     f"{BULK_AUTOMERGE})")
        conn.execute(
            "INSERT INTO documents_fts(rowid, title, text) "
            "SELECT id, title, text FROM documents WHERE id > ?",
            (after_id,),
        )
        conn.execute("INSERT INTO documents_fts(documents_fts, rank) VALUES('automerge', "
                     f"{FTS5_AUTOMERGE})")


class PostgresDialect:
    """A server: a ``tsvector`` column the database computes itself (see pg_schema.py)."""

    name = "postgresql"
    like = "ILIKE"
    sole_writer = False

    def word_filter(self, text: str, joined: str) -> WordFilter | None:
        words = _WORD.findall(text)
        if not words:
            return None
        query = " & ".join(f"{w}:*" if len(w) > 2 else w for w in words)
        return WordFilter(
            f"documents d {joined}",
            "d.words @@ to_tsquery('simple', marginalia_unaccent(?))",
            query,
            "d.id",
            "documents d",
        )

    def index_documents(self, conn: Any, after_id: int) -> None:
        """Nothing to do: ``documents.words`` is a generated column, indexed as rows arrive."""


SQLITE = SQLiteDialect()
POSTGRES = PostgresDialect()
