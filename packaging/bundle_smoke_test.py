"""Smoke test of the built bundle, the way a user would first meet it (`make bundle-test`).

Runs dist/marginalia/marginalia only as a program, from a bare environment (no virtualenv, no
PYTHONPATH, fresh home folders), so anything the bundle forgot to carry shows up as a failure:
--version and --help, the no-display message, init + import of the bundled sample corpus,
pre-fill with the bundled English pipeline, export (JSONL and spaCy DocBin), and the window
started offscreen until it reports itself usable (CONTRACTS.md item 4): on first run with no
project (the default project is made with the sample corpus) and on the pre-filled project.
Prints the bundle's size and start-up times.

Standard library only, so any Python 3.11 can run it: `python packaging/bundle_smoke_test.py`.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BUNDLE = ROOT / "dist" / "marginalia"
PIPELINE = "en_core_web_sm"
TIMEOUT_S = 300


class SmokeFailure(Exception):
    """One check failed; the message says which and shows what the bundle printed."""


def bare_environment(home: Path) -> dict[str, str]:
    """A user's environment without this checkout's Python: only PATH, locale and fresh homes."""
    env = {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_RUNTIME_DIR": str(home / "runtime"),
        "QT_QPA_PLATFORM": "offscreen",
    }
    (home / "runtime").mkdir(mode=0o700, parents=True, exist_ok=True)
    return env


def run(args: list[str], env: dict[str, str], *, expect: int = 0) -> subprocess.CompletedProcess:
    command = [str(BUNDLE / "marginalia"), *args]
    result = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
    )
    if result.returncode != expect:
        raise SmokeFailure(
            f"`marginalia {' '.join(args)}` exited {result.returncode}, expected {expect}\n"
            f"stdout:\n{result.stdout}\nstderr:\n{result.stderr}"
        )
    return result


def bundle_size_mib() -> float:
    total = sum(p.stat().st_size for p in BUNDLE.rglob("*") if p.is_file() and not p.is_symlink())
    return total / 2**20


def check_basics(env: dict[str, str]) -> float:
    """--version and --help answer; returns the seconds --version took (a cold start)."""
    started = time.perf_counter()
    version = run(["--version"], env).stdout.strip()
    elapsed = time.perf_counter() - started
    if not version.startswith("marginalia ") or "unknown" in version:
        raise SmokeFailure(f"--version printed {version!r}: the package metadata is missing")
    helptext = run(["--help"], env).stdout
    for command in ("init", "import", "prefill", "export"):
        if command not in helptext:
            raise SmokeFailure(f"--help does not list {command!r}:\n{helptext}")
    print(f"ok  {version}; --help lists the commands")
    return elapsed


def check_no_display(env: dict[str, str]) -> None:
    """With the X11 platform and no display, one line that says what to do, and exit 1."""
    no_display = {**env, "QT_QPA_PLATFORM": "xcb"}
    result = run([], no_display, expect=1)
    lines = result.stderr.strip().splitlines()
    if len(lines) != 1 or "QT_QPA_PLATFORM" not in lines[0]:
        raise SmokeFailure(f"no display: expected one line naming QT_QPA_PLATFORM, got:\n"
                           f"{result.stderr}")
    print("ok  no display: one clear line, exit 1")


def check_project_round_trip(env: dict[str, str], work: Path) -> Path:
    """init, import the bundled sample corpus, pre-fill with the bundled pipeline, export."""
    sample = BUNDLE / "_internal" / "gui" / "resources" / "sample"
    articles = sorted(sample.glob("*.txt"))
    if not articles:
        raise SmokeFailure(f"no sample corpus in the bundle at {sample}")
    project = work / "smoke.marginalia"
    run(["init", str(project)], env)
    run(["import", str(project), *map(str, articles)], env)
    # Two processes: spaCy's worker processes must start inside the frozen program too.
    prefill = run(["prefill", str(project), "--processes", "2"], env)
    said = prefill.stdout + prefill.stderr
    if PIPELINE not in said:
        raise SmokeFailure(f"prefill did not use the bundled {PIPELINE} pipeline:\n{said}")
    stats = json.loads(run(["stats", str(project), "--json"], env).stdout)
    if stats["documents"] != len(articles) or stats.get("prefilled_documents") != len(articles):
        raise SmokeFailure(f"after import and prefill, stats say {stats}")
    exported = work / "prefill.jsonl"
    run(["export", str(project), "--prefill", "-o", str(exported)], env)
    records = [json.loads(line) for line in exported.read_text("utf-8").splitlines() if line]
    if len(records) != len(articles):
        raise SmokeFailure(f"export wrote {len(records)} records for {len(articles)} documents")
    first = next((r for r in records if r.get("spans")), None)
    if first is None:
        raise SmokeFailure("the exported pre-fill has no entity in any document")
    for span in first["spans"]:
        if first["text"][span["start"]:span["end"]] != span["text"]:
            raise SmokeFailure(f"exported span {span} does not match its text")
    docbin = work / "prefill.spacy"
    run(["export", str(project), "--prefill", "--format", "spacy", "-o", str(docbin)], env)
    if docbin.stat().st_size == 0:
        raise SmokeFailure("the spaCy DocBin export is empty")
    labels = sorted({span["label"] for span in first["spans"]})
    print(f"ok  init, import {len(articles)} sample articles, prefill ({PIPELINE}, 2 processes), "
          f"export: first document has {len(first['spans'])} entities ({', '.join(labels)})")
    return project


def check_window(env: dict[str, str], work: Path, project: Path | None = None) -> dict:
    """The window opens ``project`` (None: the default one) offscreen, reports itself usable
    and quits with 0."""
    ready = work / "ready.json"
    ready.unlink(missing_ok=True)
    window_env = {**env, "MARGINALIA_READY_FILE": str(ready), "MARGINALIA_QUIT_WHEN_READY": "1"}
    args = [str(project)] if project else []
    started = time.perf_counter()
    run([*args, "--annotator", "smoke"], window_env)
    wall = time.perf_counter() - started
    if not ready.exists():
        raise SmokeFailure("the window exited 0 but never wrote MARGINALIA_READY_FILE")
    figures = json.loads(ready.read_text("utf-8"))
    opened = project.name if project else "the default project"
    print(f"ok  window on {opened} ready in {figures['ready_s']:.2f} s (wall {wall:.2f} s), "
          f"RSS {figures['rss_mb']:.0f} MB, exit 0")
    return {**figures, "wall_s": wall}


def check_first_run(env: dict[str, str], work: Path) -> dict:
    """No PROJECT on a first start: the default project is made with the bundled samples."""
    figures = check_window(env, work)
    created = sorted(Path(env["XDG_DATA_HOME"]).rglob("*.marginalia"))
    if len(created) != 1:
        raise SmokeFailure(f"first run should create one default project, found {created}")
    stats = json.loads(run(["stats", str(created[0]), "--json"], env).stdout)
    samples = len(list((BUNDLE / "_internal" / "gui" / "resources" / "sample").glob("*.txt")))
    if stats["documents"] != samples:
        raise SmokeFailure(f"the default project has {stats['documents']} documents, "
                           f"the bundle ships {samples} sample articles")
    print(f"ok  first run made {created[0].name} with the {samples} sample articles")
    return figures


def main() -> int:
    if not (BUNDLE / "marginalia").exists():
        print(f"no bundle at {BUNDLE}: run `make bundle` first", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="marginalia-smoke-") as tmp:
        work = Path(tmp)
        env = bare_environment(work / "home")
        try:
            version_s = check_basics(env)
            check_no_display(env)
            first_run = check_first_run(env, work)
            project = check_project_round_trip(env, work)
            window = check_window(env, work, project)
        except (SmokeFailure, subprocess.TimeoutExpired) as exc:
            print(f"bundle smoke test FAILED: {exc}", file=sys.stderr)
            return 1
    print(f"bundle smoke test passed: {BUNDLE.relative_to(ROOT)} is {bundle_size_mib():.0f} MiB; "
          f"`marginalia --version` {version_s:.2f} s; window start to exit "
          f"{first_run['wall_s']:.2f} s on first run, {window['wall_s']:.2f} s on the pre-filled "
          "project")
    return 0


if __name__ == "__main__":
    sys.exit(main())
