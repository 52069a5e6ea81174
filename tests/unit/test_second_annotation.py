"""The second annotation of development sets 7 and 13 (tests/data/second_annotation) stays
the same articles as its set, so the agreement its README reports can be measured again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gui.core.schema import load_schema
from gui.core.store import Project
from gui.formats.importer import import_files

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.mark.parametrize("name", ["stance_eval7", "stance_eval13"])
def test_a_second_annotation_joins_its_sets_articles_as_another_annotator(
        name: str, tmp_path: Path) -> None:
    first, second = DATA / name / "articles.jsonl", DATA / "second_annotation" / f"{name}.jsonl"
    rows = [[json.loads(line) for line in f.read_text("utf-8").splitlines()]
            for f in (first, second)]
    assert [(r["text"], r["meta"]) for r in rows[0]] == [(r["text"], r["meta"]) for r in rows[1]]
    with Project.create(tmp_path / "both.marginalia", load_schema()) as project:
        import_files(project, [first])
        report = import_files(project, [second])
        assert report.documents_added == 0 and report.sets_added == len(rows[1])
        assert {a for (a,) in project.conn.execute(
            "SELECT DISTINCT annotator FROM annotation_sets")} == {"eval", "second"}
