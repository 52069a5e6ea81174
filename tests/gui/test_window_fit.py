"""The window fits the screen it opens on: 1366×768 (the most common laptop screen) and
1280×720, on a first start and after a geometry saved on a bigger screen; the panels give way
so the article keeps a reading column, and nothing (the side panel, the status bar) is off the
screen.

Each start is a process of its own on Qt's offscreen platform given a screen of that size
(``-platform offscreen:configfile=…``: a JSON list of screens, read by the plugin when the
application starts), so the window meets the screen as it would on a desktop.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QRect

from gui.ui.window_fit import ARTICLE, DOCUMENT_LIST, SIDE_PANEL, first_geometry, panel_widths
from tests.gui.conftest import ARTICLE as TEXT
from tests.gui.conftest import add_docs

PROBE = r"""
import json, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
app = QApplication(sys.argv[:1])
app.setOrganizationName("MarginaliaFitTests")
app.setApplicationName("MarginaliaFitTests")
from gui.ui.main_window import MainWindow
window = MainWindow(sys.argv[1], "ana")
window.show()
resize = json.loads(sys.argv[2])

opened = window.geometry()

def report():
    if resize:
        window.resize(*resize)
        app.processEvents()
    def inside(widget):
        rect = widget.rect()
        top_left = widget.mapToGlobal(rect.topLeft())
        bottom_right = widget.mapToGlobal(rect.bottomRight())
        return [top_left.x(), top_left.y(), bottom_right.x(), bottom_right.y()]
    frame = window.frameGeometry()
    available = window.screen().availableGeometry()
    print(json.dumps({
        "frame": [frame.left(), frame.top(), frame.right(), frame.bottom()],
        "opened": [opened.left(), opened.top(), opened.right(), opened.bottom()],
        "available": [available.left(), available.top(), available.right(), available.bottom()],
        "sizes": window.splitter.sizes(),
        "side": inside(window.side), "status": inside(window.statusBar()),
        "documents": inside(window.doc_panel.view),
        "column": window.view.viewport().width(),
        "sideways": window.view.horizontalScrollBar().maximum(),
        "text_width": window.view.document().size().width(),
        "average_char": window.view.fontMetrics().averageCharWidth(),
    }))
    window.close()
    app.quit()

QTimer.singleShot(200, report)
app.exec()
"""


def _screen_config(tmp_path: Path, width: int, height: int) -> str:
    config = tmp_path / f"screen-{width}x{height}.json"
    config.write_text(json.dumps({"screens": [{
        "name": "laptop", "x": 0, "y": 0, "width": width, "height": height,
        "logicalDpi": 96, "logicalBaseDpi": 96, "dpr": 1}]}))
    return f"offscreen:configfile={config}"


def _start(tmp_path: Path, project: Path, screen: tuple[int, int],
           resize: tuple[int, int] | None = None) -> dict:
    env = {**os.environ, "QT_QPA_PLATFORM": _screen_config(tmp_path, *screen),
           "XDG_CONFIG_HOME": str(tmp_path / "config")}
    done = subprocess.run([sys.executable, "-c", PROBE, str(project), json.dumps(resize)],
                          env=env, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _within(inner: list[int], outer: list[int]) -> bool:
    return (outer[0] <= inner[0] and outer[1] <= inner[1] and inner[2] <= outer[2]
            and inner[3] <= outer[3])


def _assert_fits(seen: dict) -> None:
    assert _within(seen["frame"], seen["available"]), seen
    for part in ("side", "status", "documents"):
        assert _within(seen[part], seen["available"]), (part, seen)
    docs, article, side = seen["sizes"]
    assert docs >= DOCUMENT_LIST[0] and side >= SIDE_PANEL[0], seen
    assert article >= ARTICLE - 20, seen  # a splitter handle or two
    # The reading column beside the stance gutter holds at least ~55 average characters.
    assert seen["column"] >= 55 * seen["average_char"], seen
    # the text wraps inside the view
    assert seen["sideways"] == 0 and seen["text_width"] <= seen["column"], seen


@pytest.mark.parametrize("screen", [(1366, 768), (1280, 720)])
def test_first_start_fits_a_laptop_screen(tmp_path: Path, project_path: Path,
                                          screen: tuple[int, int]) -> None:
    add_docs(project_path, [TEXT])
    _assert_fits(_start(tmp_path, project_path, screen))


def test_a_geometry_saved_on_a_big_screen_is_fitted_to_a_small_one(
    tmp_path: Path, project_path: Path
) -> None:
    add_docs(project_path, [TEXT])
    big = _start(tmp_path, project_path, (2560, 1440), resize=(2300, 1300))
    assert big["frame"][2] - big["frame"][0] >= 2300 - 1  # it was saved that big
    _assert_fits(_start(tmp_path, project_path, (1366, 768)))


def test_a_first_start_takes_a_share_of_the_screen_centred() -> None:
    available = QRect(0, 0, 1920, 1040)  # 1920×1080 less a 40-pixel taskbar
    rect = first_geometry(available)
    assert rect is not None and (rect.width(), rect.height()) == (1632, 884)
    assert abs(rect.center().x() - available.center().x()) <= 1
    assert rect.top() >= 30 and rect.bottom() <= available.bottom()  # the title bar too
    huge = first_geometry(QRect(0, 0, 3840, 2160))
    assert huge is not None and huge.width() <= 2048 and huge.height() <= 1350
    # a laptop, with or without its taskbar: maximized instead
    assert first_geometry(QRect(0, 0, 1366, 768)) is None
    assert first_geometry(QRect(0, 0, 1366, 728)) is None


def test_first_start_on_a_desktop_is_centred_and_a_saved_geometry_comes_back(
    tmp_path: Path, project_path: Path
) -> None:
    """On 1920×1080 the window opened at 1440×900 (a small window in a big screen); now it
    takes most of the screen, centred, and the size the user gives it is the next start's."""
    add_docs(project_path, [" ".join([TEXT.replace("\n", " ")] * 5)])
    first = _start(tmp_path, project_path, (1920, 1080))
    left, top, right, bottom = first["opened"]
    assert right - left + 1 >= 1600 and bottom - top + 1 >= 850, first
    assert abs((left + right) // 2 - 960) <= 2, first
    _assert_fits(first)
    _start(tmp_path, project_path, (1920, 1080), resize=(1500, 820))
    again = _start(tmp_path, project_path, (1920, 1080))
    assert again["opened"][2] - again["opened"][0] + 1 == 1500, again
    assert again["opened"][3] - again["opened"][1] + 1 == 820, again


def test_panels_give_way_side_panel_first_and_keep_folded_ones_folded() -> None:
    assert panel_widths(1440) == [280, 740, 420]
    docs, article, side = panel_widths(1340)
    assert (docs, article) == (280, ARTICLE) and side == 1340 - 280 - ARTICLE
    assert panel_widths(1000) == [DOCUMENT_LIST[0], 1000 - DOCUMENT_LIST[0] - SIDE_PANEL[0],
                                  SIDE_PANEL[0]]
    assert panel_widths(1000, [0, 600, 400]) == [0, 670, SIDE_PANEL[0]]  # the list stays folded


def test_a_wide_window_shares_its_surplus_with_the_side_panel_unless_it_was_dragged() -> None:
    comfortable = 900
    assert panel_widths(1900, [280, 1200, 420], comfortable) == [280, 900, 720]
    # narrower than the article's comfort plus the panel's preferred width: as before
    assert panel_widths(1440, None, comfortable) == [280, 740, 420]
    assert panel_widths(1000, None, comfortable) == panel_widths(1000)
    # a width the user dragged stays, and still gives way on a small window
    assert panel_widths(1900, [280, 1200, 420], comfortable, dragged=500) == [280, 1120, 500]
    assert panel_widths(1340, [280, 560, 500], comfortable, dragged=500) == [280, 720, 340]
    assert panel_widths(1900, [280, 1620, 0], comfortable, dragged=500)[2] == 0  # folded
