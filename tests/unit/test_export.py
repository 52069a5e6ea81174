"""Export: what gets chosen, how it streams, and how the file is written (or not)."""

from __future__ import annotations

import errno
import json
import os
import sqlite3
from pathlib import Path

import pytest

from gui.cli import main
from gui.core.edits import AddEntity, AddStance, SetStatus
from gui.core.store import GOLD, Project
from gui.formats.export import (
    ExportCancelled,
    ExportError,
    TargetExists,
    export_project,
    format_for_path,
)
from gui.formats.export.native import NativeWriter
from gui.formats.export.selection import iter_records, select
from gui.formats.importer import import_files

TEXTS = [
    "Russia rejected the U.S. blockade against Cuba.\r\nLavrov met Rodríguez in Havana.",
    "Washington said the sanctions stay; Moscow sent a tanker 🇨🇺 to Matanzas.",
    "Díaz-Canel arrived in Moscow for talks on energy and trade.",
    "Analysts in Miami doubted that Russian aid could end the outages.",
]


def annotate(project: Project, doc_id: int, who: str, status: str, entities=(), stances=()):
    """One annotator's set, made with the same edit commands the window uses."""
    with project.transaction():
        project.ensure_set(doc_id, who, copy_prefill=False)
        for start, end, label in entities:
            AddEntity(doc_id, who, start, end, label).apply(project)
        for start, end, target, polarity, holder in stances:
            AddStance(doc_id, who, start, end, target, polarity, holder).apply(project)
        SetStatus(doc_id, who, status).apply(project)


@pytest.fixture
def filled(project: Project) -> Project:
    """ana: done + flagged; bo: in progress; gold on the first; pre-fill on the third; the
    fourth document untouched."""
    ids = [doc_id for doc_id, _ in project.add_documents(
        {"text": t, "title": f"Article {i}", "date": "2024-02-2" + str(i), "meta": {"desk": i}}
        for i, t in enumerate(TEXTS)
    )]
    against = ("US embargo on Cuba", "against")
    annotate(project, ids[0], "ana", "done", [(0, 6, "GPE"), (20, 24, "GPE")],
             [(0, 47, *against, (0, 6))])
    annotate(project, ids[0], "bo", "in_progress", [(0, 6, "GPE")])
    annotate(project, ids[1], "ana", "flagged", [(0, 10, "GPE")], [(0, 38, *against, None)])
    annotate(project, ids[0], GOLD, "done", [(0, 6, "GPE"), (20, 24, "GPE")])
    with project.transaction() as conn:
        conn.execute(
            "INSERT INTO prefill_entities(document_id, start, \"end\", label, model, model_version)"
            " VALUES (?, 0, 10, 'PERSON', 'en_core_web_sm', '3.8.0')", (ids[2],),
        )
        conn.execute(
            "INSERT INTO prefill_runs(document_id, model, model_version, created_at) "
            "VALUES (?, 'en_core_web_sm', '3.8.0', 'now')", (ids[2],),
        )
    return project


def lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def who(records: list[dict]) -> list[tuple[int, str | None]]:
    return [(TEXTS.index(r["text"]), r.get("annotator")) for r in records]


def test_all_annotators_give_one_record_per_document_and_annotator(filled, tmp_path):
    out = tmp_path / "all.jsonl"
    report = export_project(filled, out)
    records = lines(out)
    assert who(records) == [(0, "ana"), (0, "bo"), (1, "ana")]  # gold only with --gold
    assert report.records == 3 and "3 records" in report.summary()
    first = records[0]
    assert first["status"] == "done"
    assert first["meta"] == {"title": "Article 0", "source": "", "date": "2024-02-20", "url": "",
                             "desk": 0}
    assert first["spans"][1] == {"start": 20, "end": 24, "label": "GPE", "text": "U.S."}
    assert first["stances"] == [{"start": 0, "end": 47, "target": "US embargo on Cuba",
                                 "polarity": "against", "holder": {"start": 0, "end": 6}}]
    assert records[2]["stances"][0]["holder"] is None


def test_one_annotator_by_status(filled, tmp_path):
    out = tmp_path / "ana.jsonl"
    export_project(filled, out, annotator="ana", statuses={"flagged"})
    assert who(lines(out)) == [(1, "ana")]
    export_project(filled, out, annotator="ana", statuses={"done", "flagged"}, force=True)
    assert who(lines(out)) == [(0, "ana"), (1, "ana")]


def test_gold_and_include_empty(filled, tmp_path):
    out = tmp_path / "gold.jsonl"
    report = export_project(filled, out, gold=True, include_empty=True)
    records = lines(out)
    assert who(records) == [(0, GOLD), (1, None), (2, None), (3, None)]
    assert set(records[3]) == {"text", "meta"}  # text only: imports as a bare document
    assert report.empty == 3


def test_prefill_exports_the_suggestions_themselves(filled, tmp_path):
    out = tmp_path / "prefill.jsonl"
    export_project(filled, out, prefill=True)
    [record] = lines(out)
    assert TEXTS.index(record["text"]) == 2 and "annotator" not in record
    assert record["status"] == "todo"
    assert record["spans"] == [{"start": 0, "end": 10, "label": "PERSON", "text": "Díaz-Canel"}]
    assert record["meta"]["prefill_model"] == "en_core_web_sm"


@pytest.mark.parametrize(
    ("request_", "message"),
    [
        ({"annotator": "zoe"}, "has no annotator 'zoe' (annotators: ana, bo)"),
        ({"statuses": {"finished"}}, "unknown status 'finished'"),
        ({"annotator": "ana", "gold": True}, "choose one of"),
        ({"prefill": True, "statuses": {"done"}}, "the pre-fill has no status"),
        ({"fmt": "xml"}, "unknown format 'xml'"),
    ],
)
def test_bad_requests_are_refused_before_writing(filled, tmp_path, request_, message):
    out = tmp_path / "out.jsonl"
    with pytest.raises(ExportError, match="^.*" + message.replace("(", r"\(").replace(")", r"\)")):
        export_project(filled, out, **request_)
    assert not out.exists()


def test_no_gold_yet_is_refused(project, article, tmp_path):
    with pytest.raises(ExportError, match="has no gold set yet"):
        export_project(project, tmp_path / "gold.jsonl", gold=True)


def test_records_stream_a_chunk_at_a_time(filled):
    selection = select(filled, include_empty=True)
    whole = [(r.document_id, r.annotator) for r in iter_records(filled, selection)]
    assert [(r.document_id, r.annotator) for r in iter_records(filled, selection, chunk=1)] == whole
    reads: list[str] = []
    filled.conn.set_trace_callback(reads.append)
    try:
        records = iter_records(filled, selection, chunk=1)
        next(records)
        assert sum("FROM documents d" in sql for sql in reads) == 1  # only the first chunk read
    finally:
        filled.conn.set_trace_callback(None)


def test_progress_and_cancel_leave_the_old_file(filled, tmp_path, monkeypatch):
    monkeypatch.setattr("gui.formats.export.selection.CHUNK", 1)
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "out.jsonl"
    seen: list[tuple[int, int]] = []
    export_project(filled, out, include_empty=True, progress=lambda d, t: seen.append((d, t)))
    assert seen == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    before = out.read_bytes()
    with pytest.raises(ExportCancelled, match="left as it was"):
        export_project(filled, out, force=True, cancelled=lambda: len(seen) > 6,
                       progress=lambda d, t: seen.append((d, t)))
    assert out.read_bytes() == before
    assert [p.name for p in folder.iterdir()] == ["out.jsonl"]  # no temporary file left


def test_a_full_disk_leaves_the_old_file_whole(filled, tmp_path, monkeypatch):
    folder = tmp_path / "exports"
    folder.mkdir()
    out = folder / "out.jsonl"
    out.write_text("yesterday's export\n", encoding="utf-8")
    real_write = NativeWriter.write

    def write_until_full(self, record):
        if record.annotator == "bo":
            raise OSError(errno.ENOSPC, "No space left on device")
        real_write(self, record)

    monkeypatch.setattr(NativeWriter, "write", write_until_full)
    with pytest.raises(ExportError, match=r"disk is full.*existing file was left as it was"):
        export_project(filled, out, force=True)
    assert out.read_text("utf-8") == "yesterday's export\n"
    assert [p.name for p in folder.iterdir()] == ["out.jsonl"]


def test_targets_that_must_not_be_written(filled, tmp_path):
    out = tmp_path / "out.jsonl"
    out.write_text("keep me", encoding="utf-8")
    with pytest.raises(TargetExists, match="already exists; pass --force"):
        export_project(filled, out)
    assert out.read_text("utf-8") == "keep me"
    with pytest.raises(ExportError, match="its folder does not exist"):
        export_project(filled, tmp_path / "missing" / "out.jsonl")
    with pytest.raises(ExportError, match="is a folder"):
        export_project(filled, tmp_path)
    with pytest.raises(ExportError, match="is the project file itself"):
        export_project(filled, filled.path, force=True)
    with pytest.raises(ExportError, match="binary; give an output file"):
        export_project(filled, None, fmt="spacy")


def test_format_follows_the_file_name():
    assert [format_for_path(p) for p in ("a.spacy", "a.CONLL", "a.iob", "a.csv", "a.jsonl",
                                          None)] == ["spacy", "conll", "conll", "csv", "jsonl",
                                                     "jsonl"]


def test_command_line_writes_stdout_or_a_file(filled, tmp_path, capsys):
    path = str(filled.path)
    filled.close()
    assert main(["export", path, "--annotator", "ana", "--status", "done,flagged"]) == 0
    captured = capsys.readouterr()
    assert [json.loads(line)["annotator"] for line in captured.out.splitlines()] == ["ana"] * 2
    assert "wrote 2 records" in captured.err
    out = tmp_path / "gold.conll"
    assert main(["export", path, "-o", str(out), "--gold"]) == 0
    assert out.read_text("utf-8").startswith("-DOCSTART- -X- O O\n\nRussia B-GPE\n")
    assert main(["export", path, "-o", str(out), "--gold"]) == 1
    assert capsys.readouterr().err.strip().endswith("already exists; pass --force to replace it")
    assert main(["export", path, "-o", str(out), "--gold", "--force", "--format", "csv"]) == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--annotator", "zoe"], "has no annotator 'zoe'"),
        (["--format", "spacy"], "is binary; give an output file"),
        (["-o", "/nonexistent-folder/x.jsonl"], "its folder does not exist"),
    ],
)
def test_command_line_refusals_are_one_line_and_exit_1(filled, capsys, args, message):
    path = str(filled.path)
    filled.close()
    assert main(["export", path, *args]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.count("\n") == 1 and message in captured.err


def test_prefill_export_imports_back_as_someones_starting_set(filled, tmp_path):
    out = tmp_path / "prefill.jsonl"
    export_project(filled, out, prefill=True)
    fresh = Project.create(tmp_path / "fresh.marginalia", filled.schema)
    with fresh:
        import_files(fresh, [out], annotator="cleo")
        [doc_id] = fresh.document_ids()
        got = fresh.annotation_set(doc_id, "cleo")
        assert got.status == "todo"
        assert [(e.start, e.end, e.label) for e in got.entities] == [(0, 10, "PERSON")]


def test_a_failing_read_is_one_line_and_leaves_no_file(filled, tmp_path, monkeypatch):
    def broken(*_args, **_kwargs):
        raise sqlite3.DatabaseError("database disk image is malformed")
        yield

    monkeypatch.setattr("gui.formats.export.iter_records", broken)
    out = tmp_path / "exports.jsonl"
    with pytest.raises(ExportError, match=r"could not be read \(database disk image"):
        export_project(filled, out)
    assert not out.exists()
    assert not filled.conn.in_transaction


def test_an_unwritable_folder_is_refused_before_any_work(filled, tmp_path, monkeypatch):
    folder = tmp_path / "locked"
    folder.mkdir()
    real_access = os.access
    monkeypatch.setattr(  # root may write anywhere, so the test says the folder is locked
        "os.access", lambda p, mode: False if Path(p) == folder else real_access(p, mode)
    )
    with pytest.raises(ExportError, match="permission denied on its folder"):
        export_project(filled, folder / "out.jsonl")
    assert list(folder.iterdir()) == []
