"""Another window or command on the same project file, as a process of its own: what it holds
(a version it loads, a version it builds) is held by the kernel's ``flock``, as the real
program's is, and killing it (SIGKILL: no cleanup runs) is a crash. No sleeps: the parent
waits on the child's pipe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
WAIT = 60  # seconds a thread or process may take to get somewhere; never reached when well


def in_another_process(path: Path, code: str) -> subprocess.Popen[str]:
    """Open the file in a process of its own and run ``code`` there until it calls
    ``held()``, which says so on stdout and waits for a line on stdin (``go_on``) or to be
    killed (``killed``); returns once the child holds what it came for."""
    program = (
        "import sys\n"
        "from gui.core.store import Project\n"
        "from gui.nlp import models\n"
        "def held():\n"
        "    print('held', flush=True)\n"
        "    sys.stdin.readline()\n"
        f"project = Project.open({str(path)!r})\n"
        f"{code}\n"
        "print('done', flush=True)\n"
    )
    child = subprocess.Popen([sys.executable, "-c", program], cwd=ROOT, text=True,
                             stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                             env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert child.stdout is not None and child.stdout.readline() == "held\n"
    return child


def go_on(child: subprocess.Popen[str]) -> None:
    """Let the child go on past ``held()`` and finish; it must end well."""
    assert child.stdin is not None and child.stdout is not None
    child.stdin.write("\n")
    child.stdin.flush()
    assert child.stdout.readline() == "done\n"
    assert child.wait(WAIT) == 0


def killed(child: subprocess.Popen[str]) -> None:
    child.send_signal(signal.SIGKILL)
    child.wait(WAIT)
