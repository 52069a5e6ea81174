"""OffsetMap against a real QTextDocument, and exact offsets from real mouse selections."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtGui import QFont, QTextCursor, QTextDocument

from gui.core.offsets import OffsetMap
from gui.ui.article_view import plain_text_document
from tests.gui.conftest import drag, popup, stored

TEXTS = st.lists(
    st.one_of(
        st.characters(blacklist_categories=("Cs",)),
        st.sampled_from(["\r\n", "\t", "\n", "e\u0301", "🇨🇺", "👍🏽", "𝔘", " "]),
    ),
    max_size=40,
).map("".join)


def _qt_view_of(segment: str) -> str:
    """How QTextCursor.selectedText() shows a piece of plain text (paragraph separators)."""
    return (segment.replace("\r\n", "\u2029").replace("\r", "\u2029")
            .replace("\n", "\u2029"))


def _splits_crlf(text: str, index: int) -> bool:
    return 0 < index < len(text) and text[index - 1] == "\r" and text[index] == "\n"


@settings(max_examples=150, deadline=None)
@given(text=TEXTS, data=st.data())
def test_offset_map_agrees_with_qtextdocument(qapp, text: str, data) -> None:
    document = QTextDocument()
    document.setPlainText(text)
    offsets = OffsetMap(text)
    assert offsets.qt_length == document.characterCount() - 1
    a = data.draw(st.integers(0, len(text)))
    b = data.draw(st.integers(a, len(text)))
    if _splits_crlf(text, a) or _splits_crlf(text, b):
        return
    cursor = QTextCursor(document)
    cursor.setPosition(offsets.to_qt(a))
    cursor.setPosition(offsets.to_qt(b), QTextCursor.MoveMode.KeepAnchor)
    assert cursor.selectedText() == _qt_view_of(text[a:b])
    assert offsets.span_to_python(*offsets.span_to_qt(a, b)) == (a, b)
    # The view's own loading gives the very document setPlainText gives.
    shown = plain_text_document(text, QFont())
    assert shown.toPlainText() == document.toPlainText()
    assert shown.characterCount() == document.characterCount()


MIXED = (
    "Café\tMe\u0301xico 🇨🇺 Cuba 👍🏽 Havana\r\n"
    "Second line: Łódź and 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 end.\r\n"
    "Tab\tseparated\tTASS words."
)


def test_mouse_selections_store_exactly_the_characters_selected(qtbot, make_window) -> None:
    window = make_window([MIXED])
    words = ["Me\u0301xico", "Cuba", "Havana", "Łódź", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "TASS"]
    for word in words:
        start = MIXED.index(word)
        drag(qtbot, window.view, *window.controller.offsets.span_to_qt(start, start + len(word)))
        qtbot.keyClick(popup(qtbot), "2")
    found = stored(window.project_path)
    assert sorted(found["entities"]) == sorted((w, "GPE") for w in words)
    assert sorted(found["spans"]) == sorted(
        (MIXED.index(w), MIXED.index(w) + len(w), "GPE") for w in words)
    assert window.view.document().characterCount() - 1 == OffsetMap(MIXED).qt_length
