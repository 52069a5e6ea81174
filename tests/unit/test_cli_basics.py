"""The first things a person types: ``marginalia --version``, ``--help``, and the window on a
machine with no display, which must end in one line that says what to do, not a Qt abort."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from gui.cli import main

# Every command of the command line in DESIGN.md.
DESIGN_COMMANDS = ("init", "import", "prefill", "export", "agreement", "merge", "stats")


def marginalia(*args: str, env: dict[str, str] | None = None,
               cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "gui", *args], env=env, cwd=cwd,
        capture_output=True, text=True, timeout=120, check=False,
    )


def run_in_process(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    """``marginalia ARGS`` in this process (argparse exits for --help and usage errors)."""
    try:
        code = main(list(args))
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def headless_env(home: Path, **extra: str) -> dict[str, str]:
    """This environment with no display at all and fresh per-user folders."""
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_DATA_HOME=str(home / "data"),
        QT_QPA_PLATFORM="xcb",
        **extra,
    )
    return env


def test_version_prints_the_installed_version() -> None:
    result = marginalia("--version")
    assert result.returncode == 0
    assert result.stdout.strip() == f"marginalia {version('marginalia')}"


def test_help_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _err = run_in_process(capsys, "--help")
    assert code == 0
    listed = out.split("options:")[0]
    missing = [name for name in DESIGN_COMMANDS if f"    {name}" not in listed]
    assert not missing, f"--help does not offer {missing}:\n{out}"


@pytest.mark.parametrize("command", DESIGN_COMMANDS)
def test_each_command_explains_itself(capsys: pytest.CaptureFixture[str], command: str) -> None:
    code, out, _err = run_in_process(capsys, command, "--help")
    assert code == 0
    assert out.startswith(f"usage: marginalia {command}")


def test_unknown_option_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], project_path: Path
) -> None:
    code, _out, err = run_in_process(capsys, "stats", str(project_path), "--no-such-option")
    assert code == 2
    assert "--no-such-option" in err


def test_window_without_a_display_says_what_to_do_in_one_line(
    tmp_path: Path, project_path: Path
) -> None:
    before = project_path.read_bytes()
    result = marginalia(str(project_path), "--annotator", "ana", env=headless_env(tmp_path))
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("marginalia: ")
    assert "DISPLAY" in lines[0]
    assert "QT_QPA_PLATFORM=offscreen" in lines[0] and "xvfb-run" in lines[0]
    assert project_path.read_bytes() == before


def test_window_on_an_unreachable_display_names_it(tmp_path: Path) -> None:
    result = marginalia(env=headless_env(tmp_path, DISPLAY=":987"), cwd=tmp_path)
    assert result.returncode == 1
    [line] = result.stderr.strip().splitlines()
    assert ":987" in line and "QT_QPA_PLATFORM=offscreen" in line
    assert not list(tmp_path.rglob("*.marginalia")), "a default project was created anyway"
