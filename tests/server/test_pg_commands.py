"""The command line over a server does what it does over a file, with the same results: the
README's session (init, import, prefill, stats, export, agreement) and the team's (copy a part
offline, merge it back with a conflict kept, assign, effort, agreement from its unit cache),
run on both and compared."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from gui.core.edits import SetStatus
from gui.core.store import Project
from tests.conftest import DATA
from tests.conftest import run_command as run


def session(
    capsys: pytest.CaptureFixture[str], project: str, texts: Path, out: Path
) -> dict[str, object]:
    """The README's session, as a user types it; returns what each step printed or wrote."""
    code, created, err = run(capsys, "init", project)
    assert code == 0, err
    code, imported, err = run(
        capsys, "import", project, str(texts), str(DATA / "agreement" / "three_annotators.jsonl")
    )
    assert code == 0, err
    code, prefilled, err = run(capsys, "prefill", project, "--model", "rules-only", "--json")
    assert code == 0, err
    code, stats, err = run(capsys, "stats", project, "--json")
    assert code == 0, err
    code, _, err = run(capsys, "export", project, "-o", str(out), "--format", "jsonl")
    assert code == 0, err
    code, agreement, err = run(capsys, "agreement", project, "--json")
    assert code == 0, err
    stats_json = json.loads(stats)
    stats_json.pop("project")
    return {
        "created": created.split(" with ", 1)[1],
        "imported": imported,
        "prefilled": {k: v for k, v in json.loads(prefilled).items() if "second" not in k},
        "stats": stats_json,
        "export": out.read_text(encoding="utf-8"),
        "agreement": json.loads(agreement),
    }


def test_the_readme_session_gives_the_same_results_on_a_server_as_on_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_empty: str
) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "visit.txt").write_text("Lavrov arrived in Havana on Monday for talks.\n")
    (texts / "embargo.txt").write_text("Moscou condamne l'embargo américain contre Cuba.\n")
    on_file = session(capsys, str(tmp_path / "news.marginalia"), texts, tmp_path / "file.jsonl")
    on_server = session(capsys, pg_empty, texts, tmp_path / "server.jsonl")
    assert on_file["stats"]["documents"] == 5
    assert on_file["agreement"]
    assert on_server == on_file


def team_session(
    capsys: pytest.CaptureFixture[str], project: str, away: Path
) -> dict[str, object]:
    """After the README's session: ana takes her part offline and both copies change one of
    her sets (a merge keeps the older as a version), the reviewer assigns the documents, reads
    the effort figures and agreement twice (the second from the unit cache)."""
    code, _out, err = run(capsys, "copy", project, str(away), "--annotator", "ana")
    assert code == 0, err
    with Project.open(project) as here, Project.open(away) as there:
        SetStatus(1, "ana", "flagged", "checked at the office").apply(here)
        SetStatus(1, "ana", "skipped", "checked on the train").apply(there)
    code, merged, err = run(capsys, "merge", project, str(away))
    assert code == 0, err
    code, assigned, err = run(capsys, "assign", project, "--annotators", "ana,ben",
                              "--overlap", "0.5", "--seed", "3", "--json")
    assert code == 0, err
    code, effort, err = run(capsys, "stats", project, "--effort", "--json")
    assert code == 0, err
    code, first, err = run(capsys, "agreement", project, "--json")
    assert code == 0, err
    code, cached, err = run(capsys, "agreement", project, "--json")
    assert code == 0, err
    with Project.open(project) as done:
        counts = {table: done.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                  for table in ("kept_versions", "assignments", "document_units")}
    effort_json = json.loads(effort)
    effort_json.pop("project")
    return {"merged": merged, "assigned": json.loads(assigned),
            "effort": effort_json, "agreement": json.loads(first),
            "cached": json.loads(cached), "counts": counts}


def test_the_teams_session_gives_the_same_results_on_a_server_as_on_a_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, pg_empty: str
) -> None:
    texts = tmp_path / "texts"
    texts.mkdir()
    (texts / "visit.txt").write_text("Lavrov arrived in Havana on Monday for talks.\n")
    results = []
    for name, project in (("file", str(tmp_path / "news.marginalia")), ("server", pg_empty)):
        session(capsys, project, texts, tmp_path / f"{name}.jsonl")
        (tmp_path / name).mkdir()
        results.append(team_session(capsys, project, tmp_path / name / "away.marginalia"))
    on_file, on_server = results
    assert "1 conflict kept" in on_file["merged"], on_file["merged"]
    assert on_file["counts"]["kept_versions"] == 1
    assert on_file["counts"]["assignments"] >= 4
    assert on_file["counts"]["document_units"] > 0
    assert on_file["cached"] == on_file["agreement"]
    assert on_server == on_file


def test_a_service_name_is_a_project_address_not_a_command(
    capsys: pytest.CaptureFixture[str], pg_server: object, pg_project: str, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``service=NAME`` reads host, database and user from libpq's service file."""
    dbname = pg_project.split("dbname=")[1].split()[0]
    services = tmp_path / "pg_service.conf"
    services.write_text(
        f"[team]\nhost={pg_server.socket_dir}\ndbname={dbname}\nuser=marginalia_test\n"
    )
    monkeypatch.setenv("PGSERVICEFILE", str(services))
    code, out, err = run(capsys, "stats", "service=team")
    assert code == 0, err
    assert "documents: 0" in out
    code, _out, err = run(capsys, "stats", pg_server.url(dbname))
    assert code == 0, err


def test_a_command_on_a_database_without_a_project_says_so(
    capsys: pytest.CaptureFixture[str], pg_empty: str
) -> None:
    code, _out, err = run(capsys, "stats", pg_empty)
    assert code == 1
    assert err.count("\n") == 1
    assert "holds no project yet (create one with 'marginalia init')" in err


def test_a_bad_record_imports_nothing_on_a_server(
    capsys: pytest.CaptureFixture[str], pg_project: str, tmp_path: Path
) -> None:
    records = tmp_path / "records.jsonl"
    records.write_text(
        '{"text": "Lavrov arrived in Havana.", '
        '"spans": [{"start": 0, "end": 6, "label": "PERSON"}]}\n'
        '{"text": "Moscow spoke.", "spans": [{"start": 0, "end": 99, "label": "GPE"}]}\n',
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "import", pg_project, str(records), "--annotator", "ana")
    assert code == 1
    assert err.count("\n") == 1 and "records.jsonl:2" in err
    code, out, _err = run(capsys, "stats", pg_project)
    assert "documents: 0" in out
