"""Start-up stays light: the window reaches its ready moment (CONTRACTS.md item 4) without
importing spaCy or numpy, the two imports that once tripled its start-up time and added
~50 MB (docs/benchmarks.md). spaCy's tokenizer loads later, in the background."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from gui.core.store import Project


def _start(project_path: Path, tmp_path: Path, report: str) -> str:
    """Start the window on a one-document project in a fresh interpreter until it is ready,
    and return what ``report`` (Python run after it closes) prints."""
    with Project.open(project_path) as project:
        project.add_documents([{"text": "Lavrov met Rodríguez in Havana.", "title": "Talks"}])
    ready = tmp_path / "ready.json"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "MARGINALIA_READY_FILE": str(ready),
           "MARGINALIA_QUIT_WHEN_READY": "1", "XDG_CONFIG_HOME": str(tmp_path / "config")}
    probe = (
        "import sys\n"
        "import PySide6.QtCore\n"
        "from gui.cli import main\n"
        "code = main(sys.argv[1:])\n"
        f"{report}\n"
        "sys.exit(code)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe, str(project_path), "--annotator", "ana"],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(ready.read_text())["rss_mb"] > 0
    return done.stdout.strip()


def test_the_window_gets_ready_without_spacy_or_numpy(project_path: Path,
                                                      tmp_path: Path) -> None:
    report = ("print('loaded:', ' '.join(sorted(m for m in ('spacy', 'numpy', 'sqlite_utils') "
              "if m in sys.modules)))")
    assert _start(project_path, tmp_path, report) == "loaded:"


def test_the_window_is_painted_before_pyside_creates_the_qt_namespace(
    project_path: Path, tmp_path: Path
) -> None:
    """PySide creates the ``Qt`` namespace's 94 enum classes at once on its first use (~15 ms,
    a tenth of a bare window's start): the first paint does without it (gui/ui/qt_ints.py)."""
    report = "print('Qt created:', 'Qt' in vars(PySide6.QtCore))"
    assert _start(project_path, tmp_path, report) == "Qt created: False"
