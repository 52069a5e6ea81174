"""The document list's word filter runs on a full-text index (migration 2): it finds what a
reader would expect, counts what it lists, stays in step with imports, and projects made
before the index get it when opened."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from gui.core.edits import SetStatus
from gui.core.migrations import CURRENT_VERSION
from gui.core.schema import load_schema
from gui.core.store import Project
from tests.conftest import as_first_format

TEXTS = [
    ("Lavrov in Havana", "Sergei Lavrov met Bruno Rodríguez in Havana on Monday."),
    ("Embargo", "The U.S. embargo against Cuba was condemned again."),
    ("Moscow", "Moscow and Havana signed a partnership; the embargo was not mentioned."),
    ("Prices", "Prices rose 100 percent; 100% of the harvest was lost."),
    ("Untitled", "Nothing about either country here."),
]


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text.casefold())
                   if not unicodedata.combining(c))


def _expected(words: list[str]) -> list[str]:
    """Titles of the documents where each word starts some word of the title or text (is
    one, for words of one or two letters)."""
    found = []
    for title, text in TEXTS:
        tokens = [_fold(t) for t in "".join(c if c.isalnum() else " " for c in
                                            f"{title} {text}").split()]
        if all(any(t.startswith(_fold(w)) if len(w) > 2 else t == _fold(w) for t in tokens)
               for w in words):
            found.append(title)
    return found


@pytest.fixture
def filled(project: Project) -> Project:
    project.add_documents({"title": title, "text": text} for title, text in TEXTS)
    return project


@pytest.mark.parametrize("typed", ["Havana", "havana", "HAV", "rodriguez", "Rodríguez",
                                   "embargo cuba", "embargo havana", "lavrov", "zzz", "us",
                                   "no", "in havana", "s"])
def test_words_are_found_by_their_start_ignoring_case_and_accents(filled: Project,
                                                                  typed: str) -> None:
    rows = filled.list_documents("ana", text=typed)
    assert [r[1] for r in rows] == _expected(typed.split())
    assert filled.count_listed("ana", text=typed) == len(rows)


def test_short_words_are_whole_words(filled: Project) -> None:
    assert filled.count_listed("ana", text="no") == 0  # "not", "Nothing" are not "no"
    assert filled.count_listed("ana", text="not") == 2


def test_text_without_words_is_matched_literally(filled: Project) -> None:
    assert [r[1] for r in filled.list_documents("ana", text="%")] == ["Prices"]
    assert filled.count_listed("ana", text=";") == 2


def test_the_filter_combines_with_statuses_and_pages(filled: Project) -> None:
    ids = filled.document_ids()
    SetStatus(ids[2], "ana", "done").apply(filled)
    assert [r[0] for r in filled.list_documents("ana", text="havana", statuses=["done"])] == [
        ids[2]]
    assert filled.count_listed("ana", text="havana", statuses=["todo"]) == 1
    assert [r[0] for r in filled.list_documents("ana", text="havana", offset=1, limit=5)] == [
        ids[2]]


def test_documents_added_later_are_indexed_once(filled: Project) -> None:
    filled.add_documents([{"text": "A later article from Havana."},
                          {"text": TEXTS[0][1]}])  # the second is already there
    assert filled.count_listed("ana", text="Havana") == 3
    # FTS5 checks its index against the documents table itself.
    filled.conn.execute(
        "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")


def test_a_project_from_before_the_index_gets_it_when_opened(tmp_path: Path) -> None:
    path = tmp_path / "old.marginalia"
    with Project.create(path, load_schema()) as project:
        project.add_documents({"title": title, "text": text} for title, text in TEXTS)
    as_first_format(path)  # as the version before the index wrote it
    with Project.open(path) as project:
        assert project.conn.execute("PRAGMA user_version").fetchone()[0] == CURRENT_VERSION
        assert [r[1] for r in project.list_documents("ana", text="havana")] == _expected(
            ["havana"])
        project.conn.execute(
            "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")
