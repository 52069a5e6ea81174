"""A desktop that lacks a library Qt's X11 plugin needs gets one line naming the package, not
Qt's abort ("Could not load the Qt platform plugin xcb", then SIGABRT).

The broken plugin is PySide6's own libqxcb.so, copied with one of its needed libraries renamed
to a version no system has (libxcb-cursor.so.0 -> .so.9); ``MARGINALIA_QPA_PLUGIN_DIR`` points
the check at the copy. Everything else is real: ldd, the launcher, system-deps.sh.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gui.ui import platform_check

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def broken_plugins(tmp_path: Path) -> Path:
    real = platform_check.plugin_dir()
    assert real is not None and (real / "libqxcb.so").is_file()
    data = (real / "libqxcb.so").read_bytes()
    needed = b"\0libxcb-cursor.so.0\0"
    assert data.count(needed) == 1
    platforms = tmp_path / "plugins" / "platforms"
    platforms.mkdir(parents=True)
    (platforms / "libqxcb.so").write_bytes(data.replace(needed, b"\0libxcb-cursor.so.9\0"))
    (tmp_path / "lib").symlink_to(real.parent.parent / "lib")  # its RUNPATH: $ORIGIN/../../lib
    return platforms


def _x11_desktop(plugins: Path | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items()
           if k not in ("QT_QPA_PLATFORM", "WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env["DISPLAY"] = ":0"
    if plugins is not None:
        env[platform_check.PLUGIN_DIR_VARIABLE] = str(plugins)
    return env


def test_debian_package_names_follow_the_soname() -> None:
    assert platform_check.debian_package("libxcb-cursor.so.0") == "libxcb-cursor0"
    assert platform_check.debian_package("libxkbcommon-x11.so.0") == "libxkbcommon-x11-0"
    assert platform_check.debian_package("libX11-xcb.so.1") == "libx11-xcb1"
    assert platform_check.debian_package("libglib-2.0.so.0") == "libglib2.0-0"


def test_a_plugin_with_a_missing_library_names_its_package(
    broken_plugins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name, value in _x11_desktop(broken_plugins).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    problem = platform_check.window_problem()
    assert problem is not None and "libxcb-cursor9" in problem
    assert "sudo apt-get install" in problem and "\n" not in problem
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")  # headless needs none of it
    assert platform_check.window_problem() is None


def test_the_launcher_says_it_in_one_line_before_qt_starts(
    broken_plugins: Path, tmp_path: Path
) -> None:
    """The display check is passed by a fake X server socket, so only the plugin can stop it."""
    import socket

    x11 = Path("/tmp/.X11-unix")
    display = 900 + os.getpid() % 90
    sock_path = x11 / f"X{display}"
    x11.mkdir(exist_ok=True)
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        server.bind(str(sock_path))
        server.listen(1)
        env = {**_x11_desktop(broken_plugins), "DISPLAY": f":{display}",
               "XDG_CONFIG_HOME": str(tmp_path / "config")}
        done = subprocess.run(
            [sys.executable, "-m", "gui", str(tmp_path / "p.marginalia"), "--annotator", "ana"],
            env=env, capture_output=True, text=True, timeout=60, check=False,
        )
    finally:
        server.close()
        sock_path.unlink(missing_ok=True)
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "libxcb-cursor9" in lines[0], done.stderr
    assert "Could not load the Qt platform plugin" not in done.stderr


def test_system_deps_prints_the_same_line_when_not_root(
    broken_plugins: Path, tmp_path: Path
) -> None:
    """Not root: nothing is installed, the X11 packages are named, the install goes on."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "id").write_text("#!/bin/sh\necho 1000\n")
    (bin_dir / "id").chmod(0o755)
    env = {**_x11_desktop(broken_plugins), "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    done = subprocess.run(["sh", str(ROOT / "packaging" / "system-deps.sh"), sys.executable],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "libxcb-cursor9" in lines[0]
    assert lines[0].startswith("Qt cannot open a window: the system packages ")


def test_a_wayland_session_needs_the_x11_libraries_only_when_wayland_cannot_load(
    broken_plugins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Qt tries wayland, then xcb: a working wayland plugin is enough; naming xcb alone (or a
    fallback list whose every plugin is broken) is not."""
    real = platform_check.plugin_dir()
    for name, value in _x11_desktop(broken_plugins).items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    monkeypatch.setenv("WAYLAND_DISPLAY", "wayland-0")
    monkeypatch.setenv("XDG_SESSION_TYPE", "wayland")
    assert platform_check.platforms_to_try() == ["wayland", "xcb"]
    assert platform_check.missing_packages("wayland") is None  # no such plugin in the copy
    assert platform_check.window_problem() is None  # not a plugin this check can judge
    # A wayland plugin that loads (the offscreen one, which the tests run on, stands in for it):
    (broken_plugins / "libqwayland.so").symlink_to(real / "libqoffscreen.so")
    assert platform_check.missing_packages("wayland") == []
    assert platform_check.window_problem() is None
    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    problem = platform_check.window_problem()
    assert problem is not None and "libxcb-cursor9" in problem
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert platform_check.platforms_to_try() == []
