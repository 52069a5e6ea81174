"""The checks a project file passes before anything is read from it: it may come from anyone.

A SQLite file carries code: triggers run on our inserts, views run when read, and a table's
CHECK, DEFAULT or index expressions run on writes. A crafted "project" could hide a trigger
that copies every annotation elsewhere or calls a function on each edit. So every connection
runs with ``PRAGMA trusted_schema = OFF`` (no function with side effects runs from the schema),
and every file is opened only when

1. its ``sqlite_master`` is exactly what our migrations create for its format version (the
   same tables, indexes, triggers and views, by type, name, table and SQL; nothing more,
   nothing less, and no table replaced by a view), and
2. ``PRAGMA quick_check`` finds its pages sound (a damaged file is refused, not half-read).

``quick_check`` reads every page: 0.26-0.33 s on a 100,000-document project (430 MB) with the
file in the page cache, seconds from a cold disk, on every start of the window. So a file
this user's Marginalia last checked or wrote, and which is unchanged since (same device,
inode, size and modification time, and no write-ahead log left beside it), skips it; the
schema check (~1 ms) runs on every open regardless. A file received from someone else, or
copied over ours, has another identity and is checked in full. The memory is a small JSON
file in the user's cache folder, mapping real paths to identities.

The expected schema of each version comes from ``known_schemas.py``, generated from the
migrations (``python -m gui.core.integrity --write``; a test fails when it is out of date).
Replaying the migrations at every open would import sqlite-utils and numpy (~90 ms on each
start of the window); when the file is out of date (a migration was added or renumbered) the
migrations are replayed in memory instead, so a merge of branches stays correct, only slower.

SQL is compared token by token with identifier quoting and case folded: sqlite-utils has
quoted names as ``[name]`` and as ``"name"`` in different releases, and both are ours.
"""

from __future__ import annotations

import functools
import os
import re
import sqlite3
import sys
from pathlib import Path

from gui.core.errors import ProjectError
from gui.core.location import cache_home, read_memory, write_memory
from gui.core.migrations import MIGRATIONS

SchemaRow = tuple[str, str, str, str]  # type, name, table, normalised SQL ("" for none)
_TOKEN = re.compile(
    r"'(?:[^']|'')*'"  # a string literal: kept exactly
    r'|"(?:[^"]|"")*"|\[[^\]]*\]|`(?:[^`]|``)*`'  # a quoted identifier: unquoted, folded
    r"|\w+|[^\w\s]",
)
# SQLite adds these itself (ANALYZE, PRAGMA optimize); their SQL is fixed by SQLite.
_SQLITE_OWN = re.compile(r"^sqlite_stat[1-4]$")


def normalise_sql(sql: str | None) -> str:
    """SQL as a sequence of tokens: whitespace, identifier quoting and case do not count."""
    if not sql:
        return ""
    tokens = []
    for token in _TOKEN.findall(sql):
        if token[0] == "'":
            tokens.append(token)
        elif token[0] in "\"[`":
            inner = token[1:-1]
            if token[0] != "[":
                inner = inner.replace(token[0] * 2, token[0])
            tokens.append(inner.lower())
        else:
            tokens.append(token.lower())
    return " ".join(tokens)


def schema_rows(conn: sqlite3.Connection) -> list[SchemaRow]:
    return sorted(
        (kind, name, table, normalise_sql(sql))
        for kind, name, table, sql in conn.execute(
            "SELECT type, name, tbl_name, sql FROM sqlite_master"
        )
        if not _SQLITE_OWN.match(name)
    )


def _migration_names() -> tuple[str, ...]:
    return tuple(m.__name__ for m in MIGRATIONS)


@functools.cache
def _replayed() -> dict[int, tuple[SchemaRow, ...]]:
    """The schema after each migration, built in memory (imports sqlite-utils)."""
    from sqlite_utils import Database

    conn = sqlite3.connect(":memory:")
    db = Database(conn)
    found = {}
    for version, migration in enumerate(MIGRATIONS, start=1):
        migration(db)
        found[version] = tuple(schema_rows(conn))
    conn.close()
    return found


def expected_schema(version: int) -> tuple[SchemaRow, ...]:
    """What our migrations create for ``version``: from the generated file when it matches
    the migrations as they are now, else replayed."""
    from gui.core import known_schemas

    if known_schemas.MIGRATIONS[:version] == _migration_names()[:version]:
        found = known_schemas.SCHEMAS.get(version)
        if found is not None:
            return found
    return _replayed()[version]


def _describe(row: SchemaRow) -> str:
    kind, name, table, _sql = row
    return f"{kind} {name!r}" + (f" on {table!r}" if kind in ("trigger", "index") else "")


def schema_problem(conn: sqlite3.Connection, version: int) -> str | None:
    """Why the file's schema is not exactly ours for ``version``, or None when it is."""
    expected = {(row[0], row[1]): row for row in expected_schema(version)}
    found = {(row[0], row[1]): row for row in schema_rows(conn)}
    for key, row in found.items():
        if key not in expected:
            ours = next((e for e in expected.values() if e[1] == row[1]), None)
            if ours is not None:
                return f"{ours[0]} {row[1]!r} is a {row[0]} instead"
            article = "an" if row[0] == "index" else "a"
            return f"it holds {article} {_describe(row)} that Marginalia does not make"
        if row != expected[key]:
            return f"its {_describe(row)} is not the one Marginalia makes"
    missing = [row for key, row in expected.items() if key not in found]
    if missing:
        return f"its {_describe(missing[0])} is missing"
    return None


def check_file(conn: sqlite3.Connection, path: Path, version: int) -> None:
    """Refuse, in one line, a file whose schema is not ours or whose pages are damaged."""
    problem = schema_problem(conn, version)
    if problem is not None:
        raise ProjectError(
            f"is not a project file Marginalia made ({problem}); it was not opened, since a "
            "file from elsewhere could run code hidden in it", path=path)
    if _unchanged_since_checked(path):
        return
    result = " ".join(str(conn.execute("PRAGMA quick_check(1)").fetchone()[0]).split())
    if result != "ok":
        raise ProjectError(
            f"is damaged (SQLite's quick check: {result}); it was not opened; restore it from "
            "a copy", path=path)


CHECKED_LIMIT = 64  # files remembered; the oldest are forgotten first


def _checked_memory() -> Path:
    return cache_home() / "checked-files.json"


def _identity(path: Path) -> list[int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return [st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns]


def _unchanged_since_checked(path: Path) -> bool:
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size:
        return False  # a log left by a crash: its pages have not been checked
    identity = _identity(path)
    remembered = read_memory(_checked_memory()).get(os.path.realpath(path))
    return identity is not None and remembered == identity


def remember_checked(path: Path) -> None:
    """Note that ``path``, as it is now, was checked (or written only by us since)."""
    identity = _identity(path)
    if identity is None:
        return
    memory = read_memory(_checked_memory())
    key = os.path.realpath(path)
    if memory.get(key) == identity:
        return
    memory.pop(key, None)
    memory[key] = identity
    memory = dict(list(memory.items())[-CHECKED_LIMIT:])
    write_memory(_checked_memory(), memory)  # no writable cache folder: check in full next time


def write_known_schemas(target: Path) -> None:
    """Regenerate ``known_schemas.py`` from the migrations as they are now."""
    lines = [
        '"""The schema each format version has, as ``gui.core.integrity`` compares it.',
        "",
        "Generated from the migrations by ``python -m gui.core.integrity --write``: do not edit.",
        '"""',
        "# ruff: noqa: E501",
        "",
        f"MIGRATIONS = {_migration_names()!r}",
        "",
        "SCHEMAS = {",
    ]
    for version, rows in _replayed().items():
        lines.append(f"    {version}: (")
        lines += [f"        {row!r}," for row in rows]
        lines.append("    ),")
    lines.append("}")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


KNOWN_SCHEMAS = Path(__file__).with_name("known_schemas.py")

if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: python -m gui.core.integrity --write")
    write_known_schemas(KNOWN_SCHEMAS)
    print(f"wrote {KNOWN_SCHEMAS}")
