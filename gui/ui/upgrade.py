"""Converting a project file from an older version's format, with a progress dialog.

``Project.open`` migrates an old file before anything else, which can take a while (indexing
the words of 100,000 texts took ~10 s): done on the GUI thread, the window froze silently for
that long. So before a window opens a project, an old file is opened first in a worker thread
(the migration runs there, on that thread's own connection) while a progress dialog shows how
far it got; the GUI thread keeps handling events.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal

from gui.core.backend import is_server_address
from gui.core.errors import MarginaliaError
from gui.core.migrations import CURRENT_VERSION, reporting
from gui.core.store import Project

if TYPE_CHECKING:
    from PySide6.QtWidgets import QWidget


def format_version(path: Path) -> int | None:
    """The file's format version (``PRAGMA user_version``, read from its header), or None when
    it cannot be read: ``Project.open`` then says why, in its own words."""
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error:
        return None
    finally:
        conn.close()


class _Upgrade(QObject):
    progress = Signal(int, int)
    finished = Signal(str)  # "" when done, else the reason it failed

    def run(self, path: Path) -> None:
        try:
            with reporting(self.progress.emit):
                Project.open(path).close()
        except MarginaliaError as exc:
            self.finished.emit(str(exc))
        except Exception as exc:  # a failed migration must reach the user, not kill the thread
            self.finished.emit(f"{path}: {type(exc).__name__}: {exc}")
        else:
            self.finished.emit("")


def upgrade_if_needed(path: Path | str, parent: QWidget | None = None) -> bool:
    """Bring an older project file to this version's format behind a progress dialog; True
    when it was upgraded. Raises MarginaliaError when it could not be (left as it was: each
    migration is one transaction). A project on a server is migrated when it is opened."""
    if is_server_address(path):
        return False
    version = format_version(Path(path))
    if version is None or not 0 < version < CURRENT_VERSION:
        return False
    # Imported here: every start asks, few files need converting, and the dialog's classes
    # (with the Qt namespace's enums, first created here otherwise) cost a start ~0.5 ms.
    from PySide6.QtCore import QEventLoop, Qt
    from PySide6.QtWidgets import QProgressDialog

    dialog = QProgressDialog(
        f"Converting {Path(path).name} from an older version's format…", "", 0, 0, parent)
    dialog.setObjectName("upgradeProgress")
    dialog.setWindowTitle("Marginalia")
    dialog.setCancelButton(None)  # a migration is one transaction: it finishes or never was
    dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
    dialog.setMinimumDuration(0)
    dialog.setAutoClose(False)
    dialog.setAutoReset(False)
    upgrade = _Upgrade()
    outcome: list[str] = []
    loop = QEventLoop()

    def report(done: int, total: int) -> None:
        dialog.setMaximum(total)
        dialog.setValue(done)

    def finished(message: str) -> None:
        outcome.append(message)
        loop.quit()

    upgrade.progress.connect(report, Qt.ConnectionType.QueuedConnection)
    upgrade.finished.connect(finished, Qt.ConnectionType.QueuedConnection)
    dialog.show()
    thread = threading.Thread(target=upgrade.run, args=(Path(path),), name="upgrade-project")
    thread.start()
    loop.exec()  # until the worker's "finished", delivered here (queued)
    thread.join()
    dialog.close()
    dialog.deleteLater()
    if outcome[0]:
        raise MarginaliaError(outcome[0])
    return True
