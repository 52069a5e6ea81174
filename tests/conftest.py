"""Shared fixtures. Qt is forced offscreen before anything imports it (labelme's way)."""

from __future__ import annotations

import functools
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("MARGINALIA_BUSY_TIMEOUT_MS", "2000")
# The memory of checked project files (gui/core/integrity.py) lives in the cache folder:
# the tests' own, not the user's.
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="marginalia-tests-cache-")

from gui.core.schema import load_schema
from gui.core.store import Project

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
DATA = Path(__file__).resolve().parent / "data"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", help="also run the long fault-suite tests")


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="long version: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


# Where the starter fits, a project's training adds the starter's 319 development articles
# (gui/nlp/starter_data.py): tens of seconds of parsing per training, on every test that trains.
# The tests train on the first few of them instead (the real function's answer, cut:
# ``__wrapped__`` is the real one); tests/unit/test_starter_data.py checks what is added, that
# the real one gives every shipped article, and the whole shipped file.
DEVELOPMENT_IN_TESTS = 4


@pytest.fixture(scope="session", autouse=True)
def few_development_articles() -> Iterator[None]:
    from gui.nlp import starter_data

    every = starter_data.development_documents

    @functools.wraps(every)
    def first_few(project: Project, loaded: Any) -> list[Any]:
        return every(project, loaded)[:DEVELOPMENT_IN_TESTS]

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(starter_data, "development_documents", first_few)
        yield


@pytest.fixture
def project_path(tmp_path: Path) -> Path:
    """A new, empty project with the default schema; the file is closed again."""
    path = tmp_path / "test.marginalia"
    Project.create(path, load_schema()).close()
    return path


@pytest.fixture
def project(project_path: Path) -> Iterator[Project]:
    with Project.open(project_path) as opened:
        yield opened


@pytest.fixture
def article(project: Project) -> int:
    """One short document in ``project``; returns its id."""
    text = (
        "Russia reiterated its rejection of the U.S. blockade against Cuba. "
        "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."
    )
    [(doc_id, _created)] = project.add_documents([{"text": text, "title": "Lavrov in Havana"}])
    return doc_id


@pytest.fixture(scope="session")
def pg_server() -> Iterator[object]:
    """One throwaway PostgreSQL server for the whole session (tests/postgres_server.py).

    Started only when a test asks for it. Where it cannot start (no server programs
    installed) the tests that need it skip, except in CI, where that is a failure."""
    from tests.postgres_server import start_server

    try:
        server = start_server()
    except RuntimeError as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(str(exc))
        pytest.skip(str(exc))
    yield server
    server.stop()


@pytest.fixture(scope="session")
def _pg_project_template(pg_server: object) -> str:
    """A database holding a new project with the default schema, to clone for each test."""
    name = pg_server.database()
    Project.create(pg_server.address(name), load_schema()).close()
    pg_server.execute(f'ALTER DATABASE "{name}" WITH IS_TEMPLATE true')
    return name


@pytest.fixture
def pg_empty(pg_server: object) -> str:
    """The address of a new, empty database on the test server."""
    return pg_server.address(pg_server.database())


@pytest.fixture
def pg_project(pg_server: object, _pg_project_template: str) -> str:
    """The address of a new database holding a new project with the default schema."""
    return pg_server.address(pg_server.database(_pg_project_template))


@pytest.fixture(params=["file", "server"])
def any_project(request: pytest.FixtureRequest) -> Path | str:
    """A new project with the default schema, in a file and (a second run) on the server."""
    if request.param == "file":
        return request.getfixturevalue("project_path")
    return request.getfixturevalue("pg_project")


def as_first_format(path: Path) -> None:
    """Turn a closed project file into one the first format made: drop every table, index,
    trigger and view a later migration added (the schema check refuses anything else)."""
    import sqlite3

    from gui.core.integrity import expected_schema
    from gui.core.migrations import CURRENT_VERSION

    first = set(expected_schema(1))
    first_names = {(row[0], row[1]) for row in first}
    later = [row for row in expected_schema(CURRENT_VERSION)
             if (row[0], row[1]) not in first_names and not row[1].startswith("sqlite_")]
    conn = sqlite3.connect(path)
    for kind in ("trigger", "view", "index", "table"):  # an FTS table before its own tables
        for _kind, name, _table, _sql in sorted(r for r in later if r[0] == kind):
            conn.execute(f'DROP {kind.upper()} IF EXISTS "{name}"')
    # columns a later migration added to a first-format table (annotation_sets.revision)
    blank = sqlite3.connect(":memory:")
    for kind, name, _table, sql in first:
        if kind == "table" and sql and not name.startswith("sqlite_"):
            blank.execute(sql)
            wanted = {row[1] for row in blank.execute(f'PRAGMA table_info("{name}")')}
            for row in conn.execute(f'PRAGMA table_info("{name}")').fetchall():
                if row[1] not in wanted:
                    conn.execute(f'ALTER TABLE "{name}" DROP COLUMN "{row[1]}"')
    blank.close()
    conn.execute("PRAGMA user_version = 1")
    conn.commit()
    conn.close()


def run_command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``marginalia ARGS`` in this process: (exit status, stdout, stderr)."""
    from gui.cli import main

    try:
        code = main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err
