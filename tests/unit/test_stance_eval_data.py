"""The stance evaluation sets, development and held-out, are well formed, so the figures
measured on them mean something.

Why: issue 11's stance figures are reported on the development sets (gui/nlp/starter.py SETS,
which the shipped classifier is trained on) and on the held-out sets nobody tunes on (each
README says which it is). A holder that misses its entity, evidence that cuts a word, a target
spelled differently from the schema or a README that miscounts would quietly change those
figures. This checks the data only: it computes no pre-fill figures (a held-out set must stay
unseen by whoever tunes the rules).
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

# Every set, development and held-out alike: all follow stance_eval/GUIDELINES.md and get the
# same checks, and a new set is checked as soon as its folder is there.
SETS = sorted(DATA.glob("stance_eval*"), key=lambda folder: int(folder.name[11:] or 1))
each_set = pytest.mark.parametrize("folder", SETS, ids=lambda folder: folder.name)
KINDS = {"explicit", "paraphrase", "deed", "context", "background"}
SENTENCE_END = ('.', '?', '!', '"', "”", "'", ':')


def records(folder: Path) -> list[dict[str, Any]]:
    lines = (folder / "articles.jsonl").read_text("utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


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


def readme_counts(folder: Path) -> dict[str, int]:
    text = (folder / "README.md").read_text("utf-8")
    section = text.split("## Counts", 1)[1]
    rows = re.findall(r"^\| ([^|]+?) \| (\d+) \|$", section, flags=re.MULTILINE)
    return {key: int(value) for key, value in rows}


@each_set
def test_the_readme_counts_are_the_files_counts(folder: Path) -> None:
    assert readme_counts(folder) == counts(records(folder))


@each_set
def test_the_set_is_twenty_or_more_articles_of_150_to_600_words(folder: Path) -> None:
    recs = records(folder)
    assert len(recs) >= 20
    for r in recs:
        assert 150 <= len(r["text"].split()) <= 600, r["meta"]["title"]
        assert r["annotator"] == "eval" and r["status"] == "done"
    assert len({r["text"] for r in recs}) == len(recs)


@each_set
def test_every_span_names_its_text_and_uses_a_schema_label(folder: Path) -> None:
    labels = set(load_schema().labels)
    for r in records(folder):
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


@each_set
def test_every_stance_is_a_whole_sentence_with_a_schema_target_and_a_labelled_holder(
    folder: Path,
) -> None:
    schema = load_schema()
    for r in records(folder):
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


@each_set
def test_every_target_and_polarity_and_kind_is_represented(folder: Path) -> None:
    recs = records(folder)
    stances = [s for r in recs for s in r["stances"]]
    assert {s["target"] for s in stances} == set(load_schema().target_names)
    assert {(s["target"], s["polarity"]) for s in stances} == {
        (t, p) for t in load_schema().target_names for p in load_schema().polarities
    }
    assert {s["kind"] for s in stances} == KINDS
    assert {holder_place(s) for s in stances} == {"none", "inside evidence", "outside evidence"}


@each_set
def test_the_set_imports_into_a_project_as_done_sets_that_keep_every_annotation(
    folder: Path, project_path: Path,
) -> None:
    recs = records(folder)
    with Project.open(project_path) as project:
        report = import_files(project, [folder / "articles.jsonl"])
        assert report.skipped == []
        assert (report.documents_added, report.sets_added) == (len(recs), len(recs))
        by_text = {project.document(i).text: i for i in project.document_ids()}
        for r in recs:
            stored = project.annotation_set(by_text[r["text"]], "eval")
            assert stored.status == "done"
            assert sorted((e.start, e.end, e.label) for e in stored.entities) == sorted(
                (e["start"], e["end"], e["label"]) for e in r["spans"]
            )
            # As multisets: one sentence may hold a stance with a holder and the same one
            # without, and sorting would compare a holder with None.
            assert Counter(
                (s.start, s.end, s.target, s.polarity, s.holder) for s in stored.stances
            ) == Counter(
                (s["start"], s["end"], s["target"], s["polarity"],
                 (s["holder"]["start"], s["holder"]["end"]) if s["holder"] else None)
                for s in r["stances"]
            )


@each_set
def test_marginalia_import_reads_the_file(
    folder: Path, project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["import", str(project_path), str(folder / "articles.jsonl")]) == 0
    assert f"{len(records(folder))} documents added" in capsys.readouterr().out


def test_no_two_sets_share_an_evidence_sentence() -> None:
    """A set copied from one the rules were tuned on would not be held out."""
    evidence = [{r["text"][s["start"]:s["end"]] for r in records(folder) for s in r["stances"]}
                for folder in SETS]
    # Names and a count only: printing the sentences would show held-out text to whoever
    # adds a set and sees this fail.
    shared = [f"{SETS[i].name} & {SETS[j].name}: {len(evidence[i] & evidence[j])}"
              for i in range(len(SETS)) for j in range(i + 1, len(SETS))
              if not evidence[i].isdisjoint(evidence[j])]
    assert not shared, f"evidence sentences shared: {', '.join(shared)}"
