"""Each export checked by what reads it: spaCy's DocBin and corpus reader, spaCy's CoNLL
converter, Prodigy's task shape, doccano's label lists, and Python's csv reader."""

from __future__ import annotations

import csv
import errno
import json
from pathlib import Path

import pytest
import spacy
from spacy.tokens import DocBin
from spacy.training import Corpus
from spacy.training.converters import conll_ner_to_docs

from gui.core.edits import AddEntity, AddStance, SetStatus
from gui.core.store import Project
from gui.formats.export import ExportError, export_project

TEXT = (
    "Russia rejected the U.S. blockade against Cuba.\r\n"
    "Sergei Lavrov met Bruno Rodríguez in Havana 🇨🇺 on Monday.\tIt was warm."
)
EMBARGO = "US embargo on Cuba"


@pytest.fixture
def exported(project: Project) -> Project:
    """ana has finished the article: entities (one overlapping, one cutting a token) and two
    stances; a second article has no annotation at all."""
    (doc_id, _), (_empty, _) = project.add_documents(
        [{"text": TEXT, "title": "Lavrov in Havana", "date": "2024-02-20"},
         {"text": "Nothing to see here.", "title": "Quiet"}]
    )
    spans = [(0, 6, "GPE"), (20, 24, "GPE"), (20, 33, "ORG"), (42, 46, "GPE"),
             (49, 62, "PERSON"), (67, 82, "PERSON"), (86, 92, "GPE"), (1, 6, "NORP")]
    with project.transaction():
        for start, end, label in spans:
            AddEntity(doc_id, "ana", start, end, label).apply(project)
        AddStance(doc_id, "ana", 0, 47, EMBARGO, "against", (0, 6)).apply(project)
        AddStance(doc_id, "ana", 49, len(TEXT), "Russia–Cuba partnership", "favor").apply(project)
        SetStatus(doc_id, "ana", "done").apply(project)
    return project


def test_spacy_loads_the_docbin_with_entities_and_stances(exported, tmp_path):
    out = tmp_path / "train.spacy"
    report = export_project(exported, out, include_empty=True)
    assert report.format == "jsonl"  # the API does not guess; the CLI does from the suffix
    report = export_project(exported, out, fmt="spacy", include_empty=True, force=True)
    assert report.dropped == {"overlapping entities kept in doc.spans['sc'] only": 2}
    nlp = spacy.blank("en")
    doc, empty = DocBin().from_disk(out).get_docs(nlp.vocab)
    assert doc.text == TEXT
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Russia", "GPE"), ("U.S. blockade", "ORG"), ("Cuba", "GPE"), ("Sergei Lavrov", "PERSON"),
        ("Bruno Rodríguez", "PERSON"), ("Havana", "GPE"),
    ]
    assert all(t.ent_iob_ in ("B", "I", "O") for t in doc)  # annotated: no token is missing
    assert ("Russia", "NORP") in [(s.text, s.label_) for s in doc.spans["sc"]]  # expanded
    assert [s.label_ for s in doc.spans["stance"]] == [
        "US embargo on Cuba|against", "Russia–Cuba partnership|favor"]
    assert [(s.text, s.label_) for s in doc.spans["stance_holder"]] == [
        ("Russia", "US embargo on Cuba|against")]
    data = doc.user_data["marginalia"]
    assert data["annotator"] == "ana" and data["status"] == "done"
    assert list(data["stances"][0]) == [0, 47, EMBARGO, "against", 0, 6]
    assert data["meta"]["title"] == "Lavrov in Havana"
    assert empty.text == "Nothing to see here."
    assert all(t.ent_iob_ == "" for t in empty)  # text only: missing, not "no entity"
    examples = list(Corpus(str(out))(nlp))  # what `spacy train` reads
    assert [e.text for e in examples[0].reference.ents][:2] == ["Russia", "U.S. blockade"]


def test_prodigy_records_have_the_fields_with_the_right_types(exported, tmp_path):
    out = tmp_path / "tasks.jsonl"
    export_project(exported, out, fmt="prodigy", include_empty=True)
    task, bare = (json.loads(line) for line in out.read_text("utf-8").splitlines())
    assert {"text", "meta", "tokens", "spans", "answer", "_input_hash", "_task_hash"} <= set(task)
    assert task["answer"] == "accept" and task["_view_id"] == "ner_manual"
    assert all(isinstance(task[k], int) and not isinstance(task[k], bool)
               for k in ("_input_hash", "_task_hash"))
    tokens = task["tokens"]
    for i, token in enumerate(tokens):
        assert set(token) == {"text", "start", "end", "id", "ws"} and token["id"] == i
        assert TEXT[token["start"] : token["end"]] == token["text"]
        assert isinstance(token["ws"], bool)
        following = TEXT[token["end"] : token["end"] + 1]
        assert token["ws"] == (following == " ")
    for span in task["spans"]:
        assert set(span) == {"start", "end", "text", "label", "token_start", "token_end"}
        first, last = tokens[span["token_start"]], tokens[span["token_end"]]
        assert (first["start"], last["end"]) == (span["start"], span["end"])  # whole tokens
    norp = task["spans"][1]
    assert (norp["label"], norp["text"]) == ("NORP", "ussia")  # exact offsets, token split
    assert "spans" not in bare and "answer" not in bare  # a document still to annotate
    assert bare["_input_hash"] != task["_input_hash"]


def test_prodigy_hashes_follow_the_content(exported, tmp_path):
    first, second = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    export_project(exported, first, fmt="prodigy")
    export_project(exported, second, fmt="prodigy", prefill=True, include_empty=True)
    annotated = json.loads(first.read_text("utf-8"))
    unannotated = json.loads(second.read_text("utf-8").splitlines()[0])
    assert annotated["_input_hash"] == unannotated["_input_hash"]  # same text
    assert annotated["_task_hash"] != unannotated["_task_hash"]  # different spans


def test_spacy_converter_reads_the_conll_file(exported, tmp_path):
    out = tmp_path / "ner.conll"
    report = export_project(exported, out, fmt="conll", include_empty=True)
    assert report.dropped == {"overlapping entities left out (IOB cannot hold them)": 2}
    content = out.read_text("utf-8")
    assert content.count("-DOCSTART- -X- O O") == 2
    first_block = content.split("-DOCSTART- -X- O O")[1]
    sentences = [s for s in first_block.strip().split("\n\n") if s]
    assert len(sentences) == 3  # the sentencizer's three sentences
    doc, empty = conll_ner_to_docs(content, n_sents=0, no_print=True)
    assert [t.text for t in doc][:9] == [
        "Russia", "rejected", "the", "U.S.", "blockade", "against", "Cuba", ".", "Sergei"]
    assert "".join(t.text for t in doc) == "".join(TEXT.split())
    assert [(e.text, e.label_) for e in doc.ents] == [
        ("Russia", "GPE"), ("U.S. blockade", "ORG"), ("Cuba", "GPE"), ("Sergei Lavrov", "PERSON"),
        ("Bruno Rodríguez", "PERSON"), ("Havana", "GPE"),
    ]
    assert [t.text for t in empty] == ["Nothing", "to", "see", "here", "."]
    assert not empty.ents


def test_stance_csv_reads_with_dictreader(exported, tmp_path):
    out = tmp_path / "stances.csv"
    export_project(exported, out, fmt="csv", include_empty=True)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert list(rows[0]) == ["document", "title", "date", "annotator", "status", "holder",
                             "target", "polarity", "evidence", "start", "end", "holder_start",
                             "holder_end"]
    embargo, cooperation, quiet = rows
    assert embargo["holder"] == "Russia" and embargo["target"] == EMBARGO
    assert embargo["polarity"] == "against" and embargo["title"] == "Lavrov in Havana"
    assert embargo["evidence"] == TEXT[0:47]
    assert cooperation["holder"] == "" and cooperation["evidence"] == TEXT[49:]
    assert "\t" in cooperation["evidence"]
    assert (quiet["title"], quiet["target"], quiet["annotator"]) == ("Quiet", "", "")


def test_doccano_records_carry_label_lists(exported, tmp_path: Path):
    out = tmp_path / "doccano.jsonl"
    export_project(exported, out, fmt="doccano")
    [record] = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert record["text"] == TEXT
    assert record["label"][0] == [0, 6, "GPE"]
    assert all(len(item) == 3 and isinstance(item[2], str) for item in record["label"])


def test_spacy_to_a_folder_writes_parts_that_spacy_train_reads(exported, tmp_path, monkeypatch):
    monkeypatch.setattr("gui.formats.export.docbin.PART_SIZE", 1)
    folder = tmp_path / "train"
    report = export_project(exported, folder, fmt="spacy", include_empty=True)
    assert sorted(p.name for p in folder.iterdir()) == ["part-000001.spacy", "part-000002.spacy"]
    assert "(2 parts)" in report.summary()
    nlp = spacy.blank("en")
    assert [e.text for e in Corpus(str(folder))(nlp)] == [TEXT, "Nothing to see here."]
    with pytest.raises(ExportError, match="already exists"):
        export_project(exported, folder, fmt="spacy")
    export_project(exported, folder, fmt="spacy", force=True)  # ana's one set: one part
    assert [p.name for p in folder.iterdir()] == ["part-000001.spacy"]
    assert sorted(p.name for p in tmp_path.iterdir() if p.name != "test.marginalia"
                  and not p.name.startswith("test.marginalia-")) == ["train"]  # nothing left over


def test_a_failed_folder_export_leaves_the_old_folder(exported, tmp_path, monkeypatch):
    folder = tmp_path / "train"
    export_project(exported, folder, fmt="spacy")
    before = (folder / "part-000001.spacy").read_bytes()

    def disk_full(path, data):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("gui.formats.export.docbin.write_durably", disk_full)
    with pytest.raises(ExportError, match="disk is full"):
        export_project(exported, folder, fmt="spacy", force=True)
    assert (folder / "part-000001.spacy").read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".train")]
