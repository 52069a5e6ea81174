"""Python offsets <-> Qt positions, over arbitrary Unicode (the Qt side is checked in tests/gui)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from gui.core.offsets import OffsetMap, qt_plain_text

# Arbitrary code points, salted with the pieces that make the two counts drift apart.
texts = st.lists(
    st.one_of(
        st.characters(codec="utf-8"),
        st.sampled_from(["\r\n", "\r", "\n", "\t", "🇨🇺", "e\u0301", "\U0001f600", "ñ"]),
    ),
    max_size=40,
).map("".join)


def utf16_units(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def test_worked_example() -> None:
    text = "a🇨🇺\r\nb"  # two astral code points, then CRLF
    m = OffsetMap(text)
    assert [m.to_qt(i) for i in range(len(text) + 1)] == [0, 1, 3, 5, 5, 6, 7]
    assert m.to_python(6) == 5 and m.to_python(2) == 1 and m.to_python(2, round_up=True) == 2


@given(texts)
def test_positions_count_utf16_units_with_crlf_as_one(text: str) -> None:
    m = OffsetMap(text)
    assert m.qt_length == utf16_units(text.replace("\r\n", "\n"))
    assert m.qt_length == utf16_units(qt_plain_text(text))


@given(texts, st.data())
def test_round_trip_of_every_index(text: str, data: st.DataObject) -> None:
    m = OffsetMap(text)
    i = data.draw(st.integers(0, len(text)))
    back = m.to_python(m.to_qt(i))
    inside_crlf = 0 < i < len(text) and text[i - 1] == "\r" and text[i] == "\n"
    assert back == (i - 1 if inside_crlf else i)


@given(texts, st.data())
def test_a_span_maps_to_a_span_of_the_same_characters(text: str, data: st.DataObject) -> None:
    m = OffsetMap(text)
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    qs, qe = m.span_to_qt(start, end)
    shown = qt_plain_text(text)
    encoded = shown.encode("utf-16-le")
    piece = encoded[2 * qs : 2 * qe].decode("utf-16-le", errors="strict")
    # A span that cuts a CRLF in two covers the whole line break.
    if start < end < len(text) and text[end - 1 : end + 1] == "\r\n":
        end += 1
    if 0 < start < end and text[start - 1 : start + 1] == "\r\n":
        start -= 1
    assert piece == qt_plain_text(text[start:end])
