"""Shared fixtures. Qt is forced offscreen before anything imports it (labelme's way)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

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
