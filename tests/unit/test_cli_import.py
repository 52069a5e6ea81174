"""``marginalia init / import / stats`` as a user runs them, including every refusal.

Each refusal must be one line on stderr naming the file (and line) and the reason, exit 1, and
leave the project byte-for-byte as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from gui.cli import main
from gui.core.store import Project
from tests.conftest import CORPUS


def run(*args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path: Path) -> str:
    """The project's logical content (the file bytes can change on a mere checkpoint)."""
    with sqlite3.connect(path) as conn:
        dump = "\n".join(conn.iterdump())
    return hashlib.sha256(dump.encode()).hexdigest()


def stats(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    code, out, _ = run("stats", str(path), "--json", capsys=capsys)
    assert code == 0
    return json.loads(out)


def write_jsonl(path: Path, records: list[object]) -> Path:
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records) + "\n", "utf-8")
    return path


@pytest.mark.skipif(not CORPUS.exists(), reason="the shared corpus is not beside the checkout")
def test_importing_the_corpus_twice_adds_its_five_documents_once(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run("import", str(project_path), str(CORPUS), capsys=capsys)
    assert code == 0
    assert "5 documents added" in out
    assert stats(project_path, capsys)["documents"] == 5
    code, out, _ = run("import", str(project_path), str(CORPUS), capsys=capsys)
    assert code == 0
    assert "0 documents added, 5 already in the project" in out
    assert stats(project_path, capsys)["documents"] == 5


def test_init_refuses_an_existing_file_and_a_bad_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "p.marginalia"
    assert run("init", str(target), capsys=capsys)[0] == 0
    code, _, err = run("init", str(target), capsys=capsys)
    assert code == 1 and "already exists" in err and str(target) in err
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'name = "x"\n[[entity]]\nlabel = "A"\nkey = "1"\n[[entity]]\nlabel = "B"\nkey = "1"\n'
    )
    code, _, err = run("init", str(tmp_path / "q.marginalia"), "--schema", str(bad), capsys=capsys)
    assert code == 1 and "bad.toml" in err and "already used" in err
    assert not (tmp_path / "q.marginalia").exists()


def test_a_custom_schema_is_stored_in_the_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = tmp_path / "s.toml"
    schema.write_text(
        'name = "Tiny"\n[[entity]]\nlabel = "ACTOR"\nkey = "a"\n'
        '[stance]\npolarities = ["con", "pro"]\n[[stance.target]]\nname = "Tariffs"\nkey = "t"\n',
        "utf-8",
    )
    target = tmp_path / "p.marginalia"
    assert run("init", str(target), "--schema", str(schema), capsys=capsys)[0] == 0
    schema.unlink()  # the project is self-contained
    with Project.open(target) as project:
        assert project.schema.labels == ["ACTOR"]
        assert project.schema.polarities == ("con", "pro")


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["import"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["stats", "p", "--bogus"])
    assert exc.value.code == 2


def test_native_jsonl_brings_every_annotators_work(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "Cuba rejects the blockade. Russia agrees."
    stance = {
        "start": 0,
        "end": 26,
        "target": "US embargo on Cuba",
        "polarity": "against",
        "holder": {"start": 0, "end": 4},
    }
    records = [
        {
            "text": text,
            "meta": {"title": "T", "source": "S", "date": "2024-01-02", "extra": 7},
            "annotator": "ana",
            "status": "done",
            "spans": [{"start": 0, "end": 4, "label": "GPE", "text": "Cuba"}],
            "stances": [stance],
        },
        {
            "text": text,
            "annotator": "ben",
            "status": "in_progress",
            "spans": [{"start": 27, "end": 33, "label": "GPE"}],
            "stances": [],
        },
    ]
    source = write_jsonl(tmp_path / "two.jsonl", records)
    code, out, _ = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 0 and "1 documents added" in out and "2 annotation sets added" in out
    with Project.open(project_path) as project:
        [doc_id] = project.document_ids()
        document = project.document(doc_id)
        assert (document.title, document.source, document.date) == ("T", "S", "2024-01-02")
        assert document.meta == {"extra": 7}
        ana = project.annotation_set(doc_id, "ana")
        assert ana.status == "done"
        assert [(e.start, e.end, e.label) for e in ana.entities] == [(0, 4, "GPE")]
        assert [(s.target, s.polarity, s.holder) for s in ana.stances] == [
            ("US embargo on Cuba", "against", (0, 4))
        ]
        assert project.annotation_set(doc_id, "ben").status == "in_progress"
    before = digest(project_path)
    code, out, _ = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 0 and "0 annotation sets added, 2 already there" in out
    assert digest(project_path) == before


def test_prodigy_and_doccano_records_import_with_their_annotations(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    prodigy = write_jsonl(
        tmp_path / "prodigy.jsonl",
        [
            {
                "text": "Lavrov visited Havana.",
                "answer": "accept",
                "_input_hash": 1,
                "_task_hash": 2,
                "spans": [
                    {"start": 0, "end": 6, "label": "PERSON", "token_start": 0, "token_end": 0}
                ],
            },
            {"text": "Nothing to see.", "answer": "ignore", "spans": []},
        ],
    )
    doccano_a = write_jsonl(
        tmp_path / "doccano_a.jsonl",
        [
            {"text": "Putin called Díaz-Canel.", "label": [[0, 5, "PERSON"], [13, 23, "PERSON"]]},
        ],
    )
    doccano_b = write_jsonl(
        tmp_path / "doccano_b.jsonl",
        [
            {
                "text": "Moscow and Havana met.",
                "entities": [{"id": 1, "start_offset": 0, "end_offset": 6, "label": "GPE"}],
            },
        ],
    )
    code, _, err = run(
        "import",
        str(project_path),
        str(prodigy),
        str(doccano_a),
        str(doccano_b),
        "--annotator",
        "ana",
        capsys=capsys,
    )
    assert code == 0, err
    with Project.open(project_path) as project:
        sets = {
            project.document(d).text: project.annotation_set(d, "ana")
            for d in project.document_ids()
        }
    assert sets["Lavrov visited Havana."].status == "done"
    assert sets["Nothing to see."].status == "skipped"
    assert [(e.start, e.end) for e in sets["Putin called Díaz-Canel."].entities] == [
        (0, 5),
        (13, 23),
    ]
    assert [e.label for e in sets["Moscow and Havana met."].entities] == ["GPE"]


def test_annotations_without_an_annotator_are_refused(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_jsonl(
        tmp_path / "a.jsonl", [{"text": "Cuba.", "spans": [{"start": 0, "end": 4, "label": "GPE"}]}]
    )
    code, _, err = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 1 and "a.jsonl:1" in err and "--annotator" in err


def test_csv_with_a_text_column(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "articles.csv"
    source.write_text(
        'title,text,outlet\nOne,"First, with a comma.",TASS\nTwo,"Second\nline",RHC\n', "utf-8"
    )
    assert run("import", str(project_path), str(source), capsys=capsys)[0] == 0
    with Project.open(project_path) as project:
        docs = [project.document(d) for d in project.document_ids()]
    assert [(d.title, d.text, d.meta) for d in docs] == [
        ("One", "First, with a comma.", {"outlet": "TASS"}),
        ("Two", "Second\nline", {"outlet": "RHC"}),
    ]


def test_txt_title_source_and_date_come_from_the_file(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "2024-02-20_lavrov.txt"
    source.write_bytes("\ufeff\n# *Lavrov in Havana*\n\nHe said so.\n".encode())
    assert run("import", str(project_path), str(source), capsys=capsys)[0] == 0
    with Project.open(project_path) as project:
        [doc] = [project.document(d) for d in project.document_ids()]
    assert doc.title == "Lavrov in Havana"
    assert doc.source == "2024-02-20_lavrov.txt"
    assert doc.date == "2024-02-20"
    assert doc.text == "\n# *Lavrov in Havana*\n\nHe said so.\n"  # BOM gone, text intact


def test_a_legacy_encoding_is_detected_and_reported(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "latin.txt"
    text = "Díaz-Canel recibió al canciller ruso en La Habana. " * 8
    source.write_bytes(text.encode("cp1252"))
    code, _, err = run("import", str(project_path), str(source), capsys=capsys)
    assert code == 0
    assert "latin.txt: read as" in err and "not UTF-8" in err
    with Project.open(project_path) as project:
        [doc_id] = project.document_ids()
        assert project.document(doc_id).text == text


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("bad.jsonl", b'{"text": "ok"}\n{"text": "broken"\n', "bad.jsonl:2: is not valid JSON"),
        (
            "span.jsonl",
            b'{"text": "Cuba", "annotator": "ana", "spans": '
            b'[{"start": 0, "end": 9, "label": "GPE"}]}\n',
            "span.jsonl:1: span GPE [0, 9) is outside the text",
        ),
        (
            "label.jsonl",
            b'{"text": "Cuba", "annotator": "ana", "spans": '
            b'[{"start": 0, "end": 4, "label": "COUNTRY"}]}\n',
            "label.jsonl:1: label 'COUNTRY' is not in the project's schema",
        ),
        (
            "target.jsonl",
            b'{"text": "Cuba", "annotator": "ana", "stances": [{"start": 0, '
            b'"end": 4, "target": "Tariffs", "polarity": "favor"}]}\n',
            "target.jsonl:1: stance target 'Tariffs' is not in the schema",
        ),
        ("empty.txt", b"", "empty.txt: is empty"),
        ("blank.jsonl", b"\n\n  \n", "blank.jsonl: is empty"),
        ("binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary.txt: is a binary file"),
        ("notext.jsonl", b'{"title": "no text"}\n', "notext.jsonl:1: has no text"),
        ("nocol.csv", b"title,body\na,b\n", "nocol.csv:1: has no 'text' column"),
    ],
)
def test_bad_input_is_refused_with_one_line_and_changes_nothing(
    project_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    name: str,
    content: bytes,
    reason: str,
) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [{"text": "A good article."}])
    bad = tmp_path / name
    bad.write_bytes(content)
    before = digest(project_path)
    code, _, err = run("import", str(project_path), str(good), str(bad), capsys=capsys)
    assert code == 1
    assert err.count("\n") == 1 and reason in err, err
    assert digest(project_path) == before


def test_skip_invalid_imports_the_good_lines_and_reports_each_bad_one(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "mixed.jsonl"
    source.write_text(
        '{"text": "one"}\nnot json\n{"text": "two"}\n'
        '{"text": "x", "annotator": "ana", "spans": [{"start": 0, "end": 5, "label": "GPE"}]}\n',
        "utf-8",
    )
    code, out, err = run("import", str(project_path), str(source), "--skip-invalid", capsys=capsys)
    assert code == 0
    assert "mixed.jsonl:2: is not valid JSON" in err
    assert "mixed.jsonl:4: span GPE [0, 5) is outside the text" in err
    assert "2 documents added" in out and "2 invalid records skipped" in out


def test_missing_file_and_missing_project(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run("import", str(project_path), str(tmp_path / "nope.txt"), capsys=capsys)
    assert code == 1 and "nope.txt: no such file or folder" in err
    code, _, err = run("stats", str(tmp_path / "none.marginalia"), capsys=capsys)
    assert code == 1 and "none.marginalia: no such project" in err


def test_a_file_that_is_not_sqlite_is_not_a_project(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fake = tmp_path / "notes.marginalia"
    fake.write_text("just some text\n")
    code, _, err = run("stats", str(fake), capsys=capsys)
    assert code == 1 and "not a Marginalia project" in err
    assert fake.read_text() == "just some text\n"
    other = tmp_path / "other.db"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE t(x)")
    code, _, err = run("stats", str(other), capsys=capsys)
    assert code == 1 and "not a Marginalia project" in err


def test_a_project_from_a_newer_version_is_refused_untouched(
    project_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with sqlite3.connect(project_path) as conn:
        conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = project_path.read_bytes()
    code, _, err = run("stats", str(project_path), capsys=capsys)
    assert code == 1 and "newer version of Marginalia" in err
    assert project_path.read_bytes() == before


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write read-only files")
def test_a_read_only_project_is_readable_but_refuses_writes_as_user(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _read_only_checks(project_path, tmp_path, capsys)


def test_a_read_only_project_is_readable_but_refuses_writes(
    project_path: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """As root, file permissions do not bind; the project still treats no-write-access as
    read-only, which is what a user without write permission meets."""
    real_access = os.access
    monkeypatch.setattr(
        os,
        "access",
        lambda p, mode, **kw: (
            False
            if mode == os.W_OK and Path(p) in (project_path, project_path.parent)
            else real_access(p, mode, **kw)
        ),
    )
    _read_only_checks(project_path, tmp_path, capsys)


def _read_only_checks(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_jsonl(tmp_path / "one.jsonl", [{"text": "One article."}])
    os.chmod(project_path, 0o444)
    try:
        before = digest(project_path)
        assert stats(project_path, capsys)["documents"] == 0
        code, _, err = run("import", str(project_path), str(source), capsys=capsys)
        assert code == 1 and "is read-only; nothing was changed" in err
        assert digest(project_path) == before
    finally:
        os.chmod(project_path, 0o644)


def test_a_project_locked_by_another_process_gets_a_clear_error(
    project_path: Path, tmp_path: Path
) -> None:
    source = write_jsonl(tmp_path / "one.jsonl", [{"text": "One article."}])
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1], isolation_level=None); "
            "c.execute('BEGIN EXCLUSIVE'); print('locked', flush=True); sys.stdin.read()",
            str(project_path),
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        env = {**os.environ, "MARGINALIA_BUSY_TIMEOUT_MS": "300"}
        result = subprocess.run(
            [sys.executable, "-m", "gui", "import", str(project_path), str(source)],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
    finally:
        holder.communicate("")
    assert result.returncode == 1
    assert "is locked by another process" in result.stderr
    assert "Traceback" not in result.stderr
    with Project.open(project_path) as project:
        assert project.count_documents() == 0


def test_stats_json_has_the_documented_keys(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = write_jsonl(
        tmp_path / "s.jsonl",
        [
            {"text": "One.", "annotator": "ana", "status": "done", "spans": []},
            {"text": "Two.", "annotator": "ana", "status": "flagged", "spans": []},
            {"text": "Three."},
        ],
    )
    assert run("import", str(project_path), str(source), capsys=capsys)[0] == 0
    data = stats(project_path, capsys)
    assert data["documents"] == 3
    assert data["annotators"] == ["ana"]
    assert data["per_annotator"]["ana"] == {
        "todo": 1,
        "in_progress": 0,
        "done": 1,
        "skipped": 0,
        "flagged": 1,
    }
    assert data["done"] == 1 and data["flagged"] == 1


@pytest.mark.parametrize("command", [["stats", "--json"], ["export", "--include-empty"]])
def test_a_reader_that_goes_away_ends_the_command_quietly(
    project_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    """`marginalia stats --json | head` once ended in a BrokenPipeError traceback."""
    source = write_jsonl(tmp_path / "many.jsonl", [{"text": f"Article {i}."} for i in range(300)])
    assert run("import", str(project_path), str(source), capsys=capsys)[0] == 0
    read_end, write_end = os.pipe()
    os.close(read_end)  # the reader is gone before the command writes a byte
    try:
        result = subprocess.run(
            [sys.executable, "-m", "gui", command[0], str(project_path), *command[1:]],
            stdout=write_end, stderr=subprocess.PIPE, text=True, check=False,
        )
    finally:
        os.close(write_end)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr and "Exception ignored" not in result.stderr
