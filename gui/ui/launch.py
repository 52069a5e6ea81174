"""Start the window: a display, a project and an annotator, each resolved once, clearly.

Qt aborts the whole process when it cannot open a display or load its platform plugin (a
desktop without libxcb-cursor0, say), so both are checked before the QApplication exists and
turned into one line with a way out. The default project lives in the user's data folder and
is created on first run with the sample corpus, so a first start shows articles at once.
"""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, QStandardPaths, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QLineEdit, QWidget

from gui.core.backend import is_server_address, project_location
from gui.core.errors import MarginaliaError
from gui.core.store import Project, check_annotator_name

if TYPE_CHECKING:
    from gui.ui.main_window import MainWindow

ORGANIZATION = "Marginalia"
APPLICATION = "Marginalia"
DEFAULT_PROJECT_NAME = "default.marginalia"
_HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "wayland", "windows",
                       "cocoa")


def resources_dir() -> Path:
    """The folder of gui.resources (a regular package, on disk in every way the app is
    installed), found from its module rather than with importlib.resources, whose import
    cost every start ~1.5 ms of CPU for the window's icon."""
    import gui.resources

    return Path(gui.resources.__file__).parent


def display_problem() -> str | None:
    """Why no window can be shown here, or None when a display looks reachable."""
    if sys.platform != "linux":
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if platform.startswith(_HEADLESS_PLATFORMS) or os.environ.get("WAYLAND_DISPLAY"):
        return None
    display = os.environ.get("DISPLAY", "")
    if not display:
        return "no display to open a window on (DISPLAY is not set)"
    import socket  # only for X11 displays

    host, _, rest = display.rpartition(":")
    number = rest.split(".")[0]
    if host in ("", "unix") and number.isdigit():
        sock_path = f"/tmp/.X11-unix/X{number}"
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
                sock.settimeout(1)
                sock.connect(sock_path)
        except OSError:
            if not _abstract_socket_exists(sock_path):
                return f"cannot connect to the display {display}"
    return None


def _abstract_socket_exists(path: str) -> bool:
    """X servers also listen on an abstract socket of the same name (Linux only)."""
    import socket

    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
            sock.settimeout(1)
            sock.connect("\0" + path)
        return True
    except OSError:
        return False


def make_application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANIZATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Marginalia")
    icon = resources_dir() / "icons" / "marginalia.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def default_project_path() -> Path:
    folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))
    return folder / DEFAULT_PROJECT_NAME


def create_default_project(path: Path) -> Project:
    """The first-run project: default schema and whatever sample articles ship with the app."""
    from gui.core.schema import load_schema
    from gui.formats.importer import import_files

    path.parent.mkdir(parents=True, exist_ok=True)
    project = Project.create(path, load_schema())
    samples = sorted((resources_dir() / "sample").glob("*.txt"))
    if samples:
        import_files(project, list(samples))
    return project


def resolve_project(path: str | None) -> Path:
    """The project to open: the one given, else the last one opened if it is still there,
    else the default one (created on first run)."""
    from gui.ui.upgrade import upgrade_if_needed

    if path is None:
        last = QSettings().value("last_project", "", str)
        if last and is_server_address(last):
            # remembered as shown (any password blanked): libpq finds the credentials again
            with contextlib.suppress(MarginaliaError):
                Project.open(last).close()
                return project_location(last)
            # the server is away, or refuses: the default project opens instead
        elif last and Path(last).is_file():
            path = last
    if path is not None:
        upgrade_if_needed(path)  # an older file, converted with a progress dialog
        Project.open(path).close()  # refuses a bad file with a clear reason before any window
        return project_location(path)
    default = default_project_path()
    if not default.exists():
        create_default_project(default).close()
    else:
        upgrade_if_needed(default)
        Project.open(default).close()
    return default


def ask_annotator(parent: QWidget | None, current: str = "") -> str | None:
    """Ask who is annotating; None when the person cancels."""
    from PySide6.QtWidgets import QInputDialog  # see _fail

    prompt = "Your name (it is stored with every annotation you make):"
    while True:
        name, ok = QInputDialog.getText(
            parent, "Who is annotating?", prompt, QLineEdit.EchoMode.Normal, current
        )
        if not ok:
            return None
        try:
            return check_annotator_name(name)
        except MarginaliaError as exc:
            prompt = f"{exc}\nYour name:"
            current = name


def resolve_annotator(given: str | None) -> str | None:
    settings = QSettings()
    if given is not None:
        name = check_annotator_name(given)
    else:
        remembered = settings.value("annotator", "", str)
        name = remembered or ask_annotator(None)
        if name is None:
            return None
    remember("annotator", name)
    return name


def remember(key: str, value: str) -> None:
    """Store a setting only when it changes: each store rewrites the settings file behind a
    lock with two fdatasyncs, a few ms of every start for the same values as last time."""
    settings = QSettings()
    if settings.value(key, "", str) != value:
        settings.setValue(key, value)


def _fail(message: str, *, dialog: bool) -> int:
    print(f"marginalia: {message}", file=sys.stderr)
    if dialog:
        # The dialogs' modules are imported where they are shown: PySide creates a class with
        # its enums on its first import, ~1.5 ms for these two that a usual start never shows.
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.critical(None, "Marginalia", message)
    return 1


def launch(project: str | None, annotator: str | None) -> int:
    problem = display_problem()
    if problem:
        print(
            f"marginalia: {problem}; run it on a desktop, or headless with "
            "QT_QPA_PLATFORM=offscreen or under xvfb-run",
            file=sys.stderr,
        )
        return 1
    from gui.ui.platform_check import window_problem

    problem = window_problem()
    if problem:
        print(f"marginalia: {problem}", file=sys.stderr)
        return 1
    app = make_application()
    interactive = app.platformName() != "offscreen"
    first_run = not default_project_path().exists()
    try:
        path = resolve_project(project)
        name = resolve_annotator(annotator)
    except MarginaliaError as exc:
        return _fail(str(exc), dialog=interactive)
    if name is None:
        return _fail("no annotator name given; nothing was opened", dialog=False)
    from gui.ui.main_window import MainWindow

    try:
        # Staged: the list and the first article are painted before the rest is built.
        window = MainWindow(path, name, staged=True)
    except MarginaliaError as exc:
        return _fail(str(exc), dialog=interactive)
    remember("last_project", str(path))
    window.show()
    if first_run and path == default_project_path():
        # A first start shows the sample articles with suggestions, as every later one will:
        # pre-fill them in the background, with its progress dialog, once the window is up.
        QTimer.singleShot(0, window, lambda: _prefill_samples(window))
    return app.exec()


def _prefill_samples(window: MainWindow) -> None:
    window.complete()  # done already after the first paint; pre-fill needs its parts
    window.files.prefill()
