"""JSONL and CSV are read line by line: all or nothing still holds across batches, progress moves
within one long file, and a bad byte far into a file is named with its line.

(The memory this saves is measured, not asserted: benchmarks/bench_import.py,
``import_100k_peak_memory``.)
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from gui.core.store import Project
from gui.formats import importer, readers
from tests.unit.test_cli_import import digest, run

MANY = importer.BATCH * 2 + 7  # three batches, the last one partial


def many_records(path: Path, bad_last: str | None = None) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for n in range(MANY):
            out.write(json.dumps({"text": f"Article number {n} about the harbour."}) + "\n")
        if bad_last is not None:
            out.write(bad_last)
    return path


def test_a_bad_last_line_after_several_batches_leaves_the_project_unchanged(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = many_records(tmp_path / "long.jsonl", bad_last='{"text": "cut off in the mid\n')
    before = digest(project_path)
    code, _, err = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 1 and err.count("\n") == 1
    assert f"long.jsonl:{MANY + 1}: is not valid JSON" in err
    assert digest(project_path) == before


def test_a_long_csv_imports_every_row_in_one_go(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "long.csv"
    with source.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["title", "text"])
        for n in range(MANY):  # quoted newlines inside a field stay in the text
            writer.writerow([f"T{n}", f"Line one of {n}.\nLine two, with a comma."])
    code, out, _ = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 0 and f"{MANY} documents added" in out
    with Project.open(project_path) as project:
        first = project.document(project.document_ids()[0])
    assert first.text == "Line one of 0.\nLine two, with a comma." and first.title == "T0"


def test_progress_moves_within_one_long_file(project: Project, tmp_path: Path) -> None:
    source = many_records(tmp_path / "long.jsonl")
    seen: list[tuple[int, int]] = []
    importer.import_files(project, [source], progress=lambda *report: seen.append(report))
    size = source.stat().st_size
    assert len(seen) >= 3 and seen[-1] == (size, size)
    assert 0 < seen[0][0] < size  # the first report came before the file was done
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)


def test_a_bad_byte_past_the_sniffed_prefix_is_named_with_its_line(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(readers, "PREFIX_BYTES", 64)  # the prefix is UTF-8; line 5 is not
    source = tmp_path / "mixed.jsonl"
    lines = [json.dumps({"text": f"Article {n} in plain ASCII."}).encode() for n in range(4)]
    source.write_bytes(b"\n".join([*lines, '{"text": "Caf\u00e9"}'.encode("latin-1")]) + b"\n")
    before = digest(project_path)
    code, _, err = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 1 and err.count("\n") == 1
    assert "mixed.jsonl:5: is not utf-8 text (byte 0xe9 at column 14" in err
    assert digest(project_path) == before


def test_a_legacy_encoding_is_found_on_the_prefix_of_a_long_file(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(readers, "PREFIX_BYTES", 4096)
    source = tmp_path / "latin.jsonl"
    text = "Díaz-Canel recibió al canciller ruso en La Habana el lunes por la noche."
    rows = [json.dumps({"text": f"{text} ({n})"}, ensure_ascii=False) for n in range(300)]
    source.write_bytes("\n".join(rows).encode("cp1252"))
    assert source.stat().st_size > readers.PREFIX_BYTES
    code, out, err = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 0 and "300 documents added" in out
    assert "latin.jsonl: read as" in err and "not UTF-8" in err
    with Project.open(project_path) as project:
        assert project.document(project.document_ids()[0]).text == f"{text} (0)"

