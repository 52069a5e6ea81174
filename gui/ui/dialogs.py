"""The window's dialogs: keys (F1), About, export options. All text in them is plain."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gui import __version__


class KeysDialog(QDialog):
    def __init__(self, rows: list[tuple[str, str, str]], parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("keysDialog")
        self.setWindowTitle("Keys")
        table = QTableWidget(len(rows), 3, self)
        table.setObjectName("keysTable")
        table.setHorizontalHeaderLabels(["Menu", "Keys", "Does"])
        for row, values in enumerate(rows):
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
                table.setItem(row, column, item)
        table.verticalHeader().hide()
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        table.resizeColumnsToContents()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(table)
        layout.addWidget(buttons)
        self.resize(720, 560)


def show_about(parent: QWidget) -> None:
    box = QMessageBox(parent)
    box.setObjectName("aboutBox")
    box.setWindowTitle("About Marginalia")
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(f"Marginalia {__version__}")
    box.setInformativeText(
        "Annotate news articles for entities and stance, measure agreement between annotators "
        "and export training data.\n\nEvery edit is stored in the project file the moment you "
        "make it; there is no Save button.\n\nBuilt with Qt for Python (PySide6), SQLite and "
        "spaCy."
    )
    box.setIcon(QMessageBox.Icon.Information)
    box.open()


class ExportDialog(QDialog):
    """Where, in which format, and whose annotations (the contract's export options)."""

    def __init__(self, formats: dict[str, str], annotator: str, start_dir: Path,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("exportDialog")
        self.setWindowTitle("Export")
        self.format_box = QComboBox(self)
        for name, label in formats.items():
            self.format_box.addItem(label, name)
        self.scope_box = QComboBox(self)
        self.scope_box.addItem(f"My annotations ({annotator})", "mine")
        self.scope_box.addItem("Every annotator's annotations", "all")
        self.scope_box.addItem("The gold (adjudicated) set", "gold")
        self.scope_box.addItem("The pre-fill suggestions", "prefill")
        self.done_only = QCheckBox("Only documents marked done", self)
        self.path_edit = QLineEdit(str(start_dir / "export.jsonl"), self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self._browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Format", self.format_box)
        form.addRow("Annotations", self.scope_box)
        form.addRow("", self.done_only)
        form.addRow("File", path_row)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(self, "Export to", self.path_edit.text())
        if path:
            self.path_edit.setText(path)

    def options(self) -> dict[str, object]:
        scope = self.scope_box.currentData()
        return {
            "fmt": self.format_box.currentData(),
            "gold": scope == "gold",
            "prefill": scope == "prefill",
            "all": scope == "all",
            "statuses": {"done"} if self.done_only.isChecked() else None,
            "path": Path(self.path_edit.text()),
        }

