"""The wheel is what users install: it must carry everything under resources/ and work away from
this checkout. Built once per run from a copy of the sources (so a stale build/ folder in the
checkout cannot hide a missing file), installed with ``pip install --no-deps --target``, and run
with this virtualenv's Python only for the dependencies."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
VERSION = PYPROJECT["project"]["version"]


def _pip(*args: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", "-q", *args],
        check=True, capture_output=True, text=True, timeout=300,
    )


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    source = tmp_path_factory.mktemp("source")
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for folder in ("gui", "resources"):
        shutil.copytree(ROOT / folder, source / folder, ignore=ignore)
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        if (ROOT / name).exists():
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("wheel")
    _pip("wheel", "--no-deps", "--wheel-dir", str(out), str(source))
    [built] = out.glob("marginalia-*.whl")
    return built


@pytest.fixture(scope="module")
def installed(wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    target = tmp_path_factory.mktemp("site")
    _pip("install", "--no-deps", "--target", str(target), str(wheel))
    yield target


def _run_installed(target: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(target), "PYTHONNOUSERSITE": "1"}
    return subprocess.run(
        args, env=env, cwd=target, capture_output=True, text=True, timeout=120, check=False
    )


def test_wheel_carries_every_resource_file(wheel: Path) -> None:
    expected = {
        "gui/resources/" + path.relative_to(ROOT / "resources").as_posix()
        for path in (ROOT / "resources").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    }
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    assert not expected - names, f"missing from the wheel: {sorted(expected - names)}"
    assert "gui/resources/schemas/russia_cuba.toml" in names
    assert "gui/resources/icons/marginalia.svg" in names
    # the starter stance classifier (gui/nlp/starter.py): its manifest, each model's
    # weights, its recognizer, and the development articles a project's training adds
    # (starter_data.py)
    assert {"gui/resources/stance/starter/training.json",
            "gui/resources/stance/starter/holder.json",
            "gui/resources/stance/starter/development.jsonl",
            "gui/resources/stance/starter/stance/stance_0/model",
            "gui/resources/stance/starter/ner/model", "gui/resources/stance/starter/ner/moves",
            "gui/resources/stance/starter/ner/cfg"} <= names
    # compressed, the development articles cost the wheel little (319 articles: 271 kB)
    with zipfile.ZipFile(wheel) as archive:
        assert archive.getinfo("gui/resources/stance/starter/development.jsonl").compress_size \
            < 400_000


def test_wheel_holds_only_the_application(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        tops = {name.split("/", 1)[0] for name in archive.namelist()}
    assert tops == {"gui", f"marginalia-{VERSION}.dist-info"}


def test_installed_wheel_runs_marginalia_version(installed: Path) -> None:
    script = installed / "bin" / "marginalia"
    assert script.is_file(), "the wheel declares no `marginalia` console script"
    result = _run_installed(installed, str(script), "--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"marginalia {VERSION}"


def test_installed_wheel_finds_schema_and_sample_corpus_in_the_package(installed: Path) -> None:
    check = """
import sys
from importlib.resources import files
from pathlib import Path
import gui
from gui.core.schema import default_schema_path, load_schema
site = Path(sys.argv[1]).resolve()
assert Path(gui.__file__).resolve().is_relative_to(site), gui.__file__
assert default_schema_path().resolve().is_relative_to(site), default_schema_path()
schema = load_schema()
assert schema.labels and schema.targets, schema
resources = files("gui.resources")
samples = sorted(p.name for p in resources.joinpath("sample").iterdir() if p.name.endswith(".txt"))
assert samples, "no sample articles"
assert resources.joinpath("icons/marginalia.svg").is_file()
from gui.nlp.starter import shipped_folder
import spacy
assert shipped_folder().resolve().is_relative_to(site), shipped_folder()
assert len(spacy.load(shipped_folder() / "stance").pipe_names) == len(schema.targets)
print(len(schema.labels), len(samples))
"""
    result = _run_installed(installed, sys.executable, "-c", check, str(installed))
    assert result.returncode == 0, result.stderr
    labels, samples = map(int, result.stdout.split())
    assert labels > 0
    assert samples == len(list((ROOT / "resources" / "sample").glob("*.txt")))
