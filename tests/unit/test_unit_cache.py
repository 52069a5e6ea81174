"""Sentences and tokens are stored the first time agreement compares a document and read
back afterwards; a stale or unwritable cache never changes the figures."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from gui.core.store import Project
from gui.formats.importer import import_files
from gui.review import unit_cache
from gui.review.agreement import Cancelled, compute_agreement
from gui.review.columns import compared_sets
from gui.review.sets import document_texts
from gui.review.units import sentence_spans
from tests.unit.agreement_reference import tokens_within

DATA = Path(__file__).resolve().parents[1] / "data" / "agreement"


@pytest.fixture
def three(project: Project) -> Project:
    import_files(project, [DATA / "three_annotators.jsonl"])
    return project


def _units(project: Project) -> tuple[unit_cache.DocumentUnits, list[str]]:
    sets = compared_sets(project)
    found = document_texts(project, sets.document_ids.tolist())
    texts = [found[int(d)][0] for d in sets.document_ids]
    return unit_cache.document_units(project, sets.document_ids, texts, sets.stride), texts


def test_units_are_stored_once_and_equal_what_spacy_gives(three: Project, monkeypatch):
    first, texts = _units(three)
    assert three.conn.execute("SELECT count(*) FROM document_units").fetchone()[0] == 2
    stride = compared_sets(three).stride
    assert list(zip(first.sentence_start.tolist(), first.sentence_end.tolist(), strict=True)) \
        == [(i * stride + s, i * stride + e) for i, text in enumerate(texts)
            for s, e in sentence_spans(text)]
    expected = [(i * stride + s, i * stride + e) for i, text in enumerate(texts)
                for s, e in tokens_within(text, [(0, len(text))])]
    assert list(zip(first.token_start.tolist(), first.token_end.tolist(), strict=True)) == \
        expected
    monkeypatch.setattr(unit_cache, "sentence_spans", lambda text: pytest.fail("recomputed"))
    again, _ = _units(three)
    assert np.array_equal(again.sentence_start, first.sentence_start)
    assert np.array_equal(again.token_start, first.token_start)


def forget_sums(project: Project) -> None:
    """Empty the cache of each document's sums: only a document computed reads its units."""
    project.conn.execute("DELETE FROM agreement_sums")


def test_rows_of_another_version_are_made_again(three: Project):
    _units(three)
    before = compute_agreement(three).to_json()
    three.conn.execute("UPDATE document_units SET version = 'spacy 0.0, rules 0', "
                       "sentences = ?, tokens = ?", (b"", b""))
    forget_sums(three)
    assert compute_agreement(three).to_json() == before
    versions = {v for (v,) in three.conn.execute("SELECT version FROM document_units")}
    assert versions == {unit_cache.VERSION}


def test_a_project_locked_by_another_writer_is_compared_without_storing(three: Project):
    """Another process in the middle of a write: the cache is not stored, the figures are
    the same, and the other writer's transaction is untouched."""
    path = three.path
    expected = compute_agreement(three).to_json()
    three.conn.execute("DELETE FROM document_units")
    forget_sums(three)
    three.close()
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with Project.open(path, busy_timeout_ms=50) as project:
            assert compute_agreement(project).to_json() == expected
            assert project.conn.execute(
                "SELECT count(*) FROM document_units").fetchone()[0] == 0
    finally:
        writer.execute("ROLLBACK")
        writer.close()


def test_a_first_run_reports_progress_and_can_be_cancelled_before_storing(three: Project):
    """Splitting the texts is the slow step of a first run: the window's bar follows it and
    its Cancel stops it, keeping nothing half-made."""
    seen: list[tuple[int, int]] = []
    compute_agreement(three, progress=lambda done, total: seen.append((done, total)))
    assert seen[0] == (0, 2) and seen[-1] == (2, 2)
    three.conn.execute("DELETE FROM document_units")
    forget_sums(three)
    with pytest.raises(Cancelled):
        compute_agreement(three, cancelled=lambda: True)
    assert three.conn.execute("SELECT count(*) FROM document_units").fetchone()[0] == 0
