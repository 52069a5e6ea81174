"""The import reads records a batch ahead, in a thread of its own, while it stores the batch
before (gui/formats/read_ahead.py). What a user sees must not change: a bad line is named
with its own line even when the reading thread finds it while the batch before is stored; a
cancel, Ctrl+C or a failure midway leaves the project exactly as it was and the file closed;
every document imported is found by the word filter, in the order of the file.
"""

from __future__ import annotations

import csv
import json
import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from gui.core.store import Project
from gui.formats import importer
from gui.formats.read_ahead import ReadAhead
from tests.unit.test_cli_import import digest, run

MANY = importer.BATCH * 2 + 7  # three batches, the last one partial


def articles(path: Path, count: int, *, bad: dict[int, str] | None = None) -> Path:
    """``count`` JSONL articles, each with a word of its own (``w<n>x``); ``bad`` replaces
    the lines numbered (from 1) by its keys."""
    with path.open("w", encoding="utf-8") as out:
        for n in range(1, count + 1):
            line = json.dumps({"text": f"Article {n} on the harbour, word w{n}x.",
                               "title": f"Harbour {n}"})
            out.write((bad or {}).get(n, line) + "\n")
    return path


def reading_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "read-ahead"]


def open_files() -> set[str]:
    folder = Path(f"/proc/{os.getpid()}/fd")
    found = set()
    for fd in folder.iterdir() if folder.exists() else ():
        try:
            found.add(os.readlink(fd))
        except OSError:
            continue
    return found


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_bad_record_in_the_second_batch_is_named_with_its_own_line(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], suffix: str
) -> None:
    """The reading thread meets the bad line while the first batch is being stored."""
    bad_line = importer.BATCH + 3
    source = tmp_path / f"long{suffix}"
    if suffix == ".jsonl":
        articles(source, MANY, bad={bad_line: '{"text": "cut off'})
        reason = "is not valid JSON"
    else:
        with source.open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out)
            writer.writerow(["title", "text"])  # line 1
            for n in range(2, MANY + 1):
                row = [f"T{n}", f"Article {n}."]
                writer.writerow([*row, "one too many"] if n == bad_line else row)
        reason = "has more fields than the header"
    before = digest(project_path)
    code, out, err = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 1 and out == "" and err.count("\n") == 1
    assert f"long{suffix}:{bad_line}: {reason}" in err
    assert digest(project_path) == before
    assert not reading_threads()


def test_a_cancel_midway_leaves_nothing_and_lets_go_of_the_file(
    project: Project, project_path: Path, tmp_path: Path
) -> None:
    source = articles(tmp_path / "long.jsonl", MANY)
    before = digest(project_path)
    with pytest.raises(importer.Cancelled, match="nothing was changed"):
        importer.import_files(project, [source], cancelled=lambda: True)
    assert project.count_documents() == 0
    assert digest(project_path) == before
    assert not reading_threads()
    assert str(source) not in open_files()


def test_ctrl_c_midway_leaves_nothing_and_no_thread_behind(
    project: Project, project_path: Path, tmp_path: Path
) -> None:
    """Ctrl+C arrives in the storing thread (Python delivers signals to the main thread)."""
    source = articles(tmp_path / "long.jsonl", MANY)
    before = digest(project_path)

    def interrupted(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        importer.import_files(project, [source], progress=interrupted)
    assert project.count_documents() == 0
    assert digest(project_path) == before
    assert not reading_threads()
    assert str(source) not in open_files()
    importer.import_files(project, [source])  # the same open project carries on
    assert project.count_documents() == MANY


def test_every_imported_document_is_found_by_the_word_filter_in_file_order(
    project: Project, tmp_path: Path
) -> None:
    """The index takes each batch in while the next is read, the last one at the end; a
    second import adds to it and repeats nothing."""
    count = importer.BATCH * 2 + 3
    report = importer.import_files(project, [articles(tmp_path / "first.jsonl", count)])
    assert report.documents_added == count
    assert project.count_listed("ana", text="harbour") == count
    for n in (1, importer.BATCH, importer.BATCH + 1, count):
        assert [r[1] for r in project.list_documents("ana", text=f"w{n}x")] == [f"Harbour {n}"]
    titles = [r[1] for r in project.list_documents("ana", limit=count)]
    assert titles == [f"Harbour {n}" for n in range(1, count + 1)]

    second = tmp_path / "second.jsonl"
    with second.open("w", encoding="utf-8") as out:
        for text in ("Article 7 on the harbour, word w7x.",  # already in the project
                     "A new quay at the harbour, word fresh1x.",
                     "A new quay at the harbour, word fresh1x.",  # twice in this file
                     "Another quay, word fresh2x."):
            out.write(json.dumps({"text": text}) + "\n")
    report = importer.import_files(project, [second])
    assert (report.documents_added, report.documents_existing) == (2, 2)
    assert project.count_listed("ana", text="harbour") == count + 1
    assert project.count_listed("ana", text="fresh1x") == 1
    assert project.count_listed("ana", text="fresh2x") == 1
    project.conn.execute(  # FTS5 checks its index against the documents table itself
        "INSERT INTO documents_fts(documents_fts, rank) VALUES ('integrity-check', 1)")


def test_read_ahead_keeps_the_order_and_raises_what_the_reading_raised() -> None:
    failure = ValueError("line 3 is bad")

    def items() -> Iterator[int]:
        yield from (1, 2)
        raise failure

    seen = []
    with pytest.raises(ValueError) as raised, ReadAhead(items()) as ahead:
        for item in ahead:
            seen.append(item)
            ahead.go()
    assert seen == [1, 2] and raised.value is failure


def test_leaving_read_ahead_early_stops_the_reading_and_closes_it_in_its_thread() -> None:
    made: list[int] = []
    closed_in: list[str] = []

    def items() -> Iterator[int]:
        try:
            for n in range(1_000_000):
                made.append(n)
                yield n
        finally:
            closed_in.append(threading.current_thread().name)

    with ReadAhead(items()) as ahead:
        assert next(ahead) == 0
        ahead.go()
        ahead.go()  # once per item: at most one is made ahead
    assert closed_in == ["read-ahead"]
    assert made in ([0], [0, 1])
    assert not reading_threads()


def test_read_ahead_makes_the_next_item_only_when_let() -> None:
    """Without ``go`` nothing is read until the next ``next``."""
    made: list[int] = []

    def items() -> Iterator[int]:
        for n in range(3):
            made.append(n)
            yield n

    with ReadAhead(items()) as ahead:
        assert next(ahead) == 0
    assert made == [0]
    with ReadAhead(items()) as ahead:
        assert list(ahead) == [0, 1, 2]
