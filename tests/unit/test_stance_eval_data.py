"""The held-out stance evaluation set is well formed, so the figures measured on it mean something.

Why: issue 11's stance figures are reported on tests/data/stance_eval. A holder that misses its
entity, evidence that cuts a word, a target spelled differently from the schema or a README
that miscounts would quietly change those figures. This checks the data only: it computes no
pre-fill figures (the set must stay unseen by whoever tunes the rules).
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from gui.cli import main
from gui.core.schema import load_schema
from gui.core.store import Project
from gui.formats.importer import import_files
from tests.conftest import DATA

SET = DATA / "stance_eval"
ARTICLES = SET / "articles.jsonl"
KINDS = {"explicit", "paraphrase", "deed", "context", "background"}
SENTENCE_END = ('.', '?', '!', '"', "”", "'", ':')


def records() -> list[dict[str, Any]]:
    return [json.loads(line) for line in ARTICLES.read_text("utf-8").splitlines() if line.strip()]


def holder_place(stance: dict[str, Any]) -> str:
    holder = stance["holder"]
    if holder is None:
        return "none"
    inside = stance["start"] <= holder["start"] and holder["end"] <= stance["end"]
    return "inside evidence" if inside else "outside evidence"


def counts(recs: list[dict[str, Any]]) -> dict[str, int]:
    """The figures the README's table states, computed the way its prose defines them."""
    stances = [s for r in recs for s in r["stances"]]
    spans = [e for r in recs for e in r["spans"]]
    table = {
        "articles": len(recs),
        "words": sum(len(r["text"].split()) for r in recs),
        "stances": len(stances),
        "entities": len(spans),
    }
    for (target, polarity), n in Counter((s["target"], s["polarity"]) for s in stances).items():
        table[f"stances {target} {polarity}"] = n
    table |= {f"kind {k}": n for k, n in Counter(s["kind"] for s in stances).items()}
    table |= {f"holder {k}": n for k, n in Counter(map(holder_place, stances)).items()}
    table |= {f"entities {k}": n for k, n in Counter(e["label"] for e in spans).items()}
    return table


def readme_counts() -> dict[str, int]:
    text = (SET / "README.md").read_text("utf-8")
    section = text.split("## Counts", 1)[1]
    rows = re.findall(r"^\| ([^|]+?) \| (\d+) \|$", section, flags=re.MULTILINE)
    return {key: int(value) for key, value in rows}


def test_the_readme_counts_are_the_files_counts() -> None:
    assert readme_counts() == counts(records())


def test_the_set_is_twenty_or_more_articles_of_150_to_600_words() -> None:
    recs = records()
    assert len(recs) >= 20
    for r in recs:
        assert 150 <= len(r["text"].split()) <= 600, r["meta"]["title"]
        assert r["annotator"] == "eval" and r["status"] == "done"
    assert len({r["text"] for r in recs}) == len(recs)


def test_every_span_names_its_text_and_uses_a_schema_label() -> None:
    labels = set(load_schema().labels)
    for r in records():
        text = r["text"]
        previous_end = 0
        for e in sorted(r["spans"], key=lambda e: e["start"]):
            assert e["label"] in labels
            assert 0 <= e["start"] < e["end"] <= len(text)
            assert text[e["start"]:e["end"]] == e["text"]
            assert e["start"] >= previous_end, f"overlapping entities at {e}"
            previous_end = e["end"]
            before, after = text[e["start"] - 1:e["start"]], text[e["end"]:e["end"] + 1]
            assert not before.isalnum() and not after.isalnum(), f"{e} cuts a word"


def test_every_stance_is_a_whole_sentence_with_a_schema_target_and_a_labelled_holder() -> None:
    schema = load_schema()
    for r in records():
        text = r["text"]
        entity_spans = {(e["start"], e["end"]) for e in r["spans"]}
        for s in r["stances"]:
            evidence = text[s["start"]:s["end"]]
            assert s["target"] in schema.target_names
            assert s["polarity"] in schema.polarities
            assert s["kind"] in KINDS
            assert 0 <= s["start"] < s["end"] <= len(text)
            assert evidence == evidence.strip() and evidence, s
            assert s["start"] == 0 or text[s["start"] - 1] in " \n", f"{evidence!r} starts mid-text"
            assert evidence.endswith(SENTENCE_END) or text[s["end"]] == "\n", evidence
            holder = s["holder"]
            if holder is not None:
                assert 0 <= holder["start"] < holder["end"] <= len(text)
                assert (holder["start"], holder["end"]) in entity_spans, f"{s} holder unlabelled"
            if s["kind"] == "background":
                assert s["polarity"] == "neutral" and holder is None, evidence


def test_every_target_and_polarity_and_kind_is_represented() -> None:
    recs = records()
    stances = [s for r in recs for s in r["stances"]]
    assert {s["target"] for s in stances} == set(load_schema().target_names)
    assert {(s["target"], s["polarity"]) for s in stances} == {
        (t, p) for t in load_schema().target_names for p in load_schema().polarities
    }
    assert {s["kind"] for s in stances} == KINDS
    assert {holder_place(s) for s in stances} == {"none", "inside evidence", "outside evidence"}


def test_the_set_imports_into_a_project_as_done_sets_that_keep_every_annotation(
    project_path: Path,
) -> None:
    recs = records()
    with Project.open(project_path) as project:
        report = import_files(project, [ARTICLES])
        assert report.skipped == []
        assert (report.documents_added, report.sets_added) == (len(recs), len(recs))
        by_text = {project.document(i).text: i for i in project.document_ids()}
        for r in recs:
            stored = project.annotation_set(by_text[r["text"]], "eval")
            assert stored.status == "done"
            assert sorted((e.start, e.end, e.label) for e in stored.entities) == sorted(
                (e["start"], e["end"], e["label"]) for e in r["spans"]
            )
            assert sorted(
                (s.start, s.end, s.target, s.polarity, s.holder) for s in stored.stances
            ) == sorted(
                (s["start"], s["end"], s["target"], s["polarity"],
                 (s["holder"]["start"], s["holder"]["end"]) if s["holder"] else None)
                for s in r["stances"]
            )


def test_marginalia_import_reads_the_file(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(project_path), str(ARTICLES)]) == 0
    assert f"{len(records())} documents added" in capsys.readouterr().out
