"""Schema colours made readable on any background (gui/core/contrast.py)."""

from __future__ import annotations

import colorsys

import pytest
from hypothesis import given
from hypothesis import strategies as st

from gui.core.contrast import MARK, TEXT, blend, contrast, readable
from gui.core.schema import DISPLACY_COLORS, POLARITY_COLORS

colours = st.integers(0, 0xFFFFFF).map(lambda value: f"#{value:06x}")
# Fusion's light palette and the dark one the GUI tests use: window, page (base), text.
PALETTES = {"light": ("#efefef", "#ffffff", "#000000"), "dark": ("#2b2b2b", "#1e1e1e", "#e6e6e6")}


def test_contrast_is_wcags_ratio() -> None:
    assert contrast("#000000", "#ffffff") == pytest.approx(21)
    assert contrast("#777777", "#777777") == pytest.approx(1)
    assert contrast("#d62728", "#2b2b2b") == pytest.approx(2.82, abs=0.01)  # the red


@given(colours, colours, st.sampled_from([MARK, TEXT]))
def test_any_colour_is_made_readable_on_any_background(color: str, against: str,
                                                       minimum: float) -> None:
    shown = readable(color, against, minimum)
    assert contrast(shown, against) >= minimum
    if contrast(color, against) >= minimum:
        assert shown == color  # a colour that reads is the schema's own


@given(colours, colours, st.floats(0.2, 1.0))
def test_a_tint_is_made_readable_as_seen_over_its_page(color: str, page: str,
                                                      alpha: float) -> None:
    ink = "#e6e6e6" if contrast("#e6e6e6", page) > contrast("#000000", page) else "#000000"
    shown = readable(color, ink, TEXT, page, alpha)
    if shown not in ("#000000", "#ffffff"):  # (a faint tint over a mid-grey page cannot)
        assert contrast(blend(shown, page, alpha), ink) >= TEXT


@pytest.mark.parametrize("palette", sorted(PALETTES))
@pytest.mark.parametrize("polarity", sorted(POLARITY_COLORS))
def test_polarities_read_as_text_and_marks_in_both_palettes(palette: str, polarity: str) -> None:
    window, page, _text = PALETTES[palette]
    color = POLARITY_COLORS[polarity]
    assert contrast(readable(color, window, TEXT), window) >= TEXT
    assert contrast(readable(color, page, MARK), page) >= MARK
    hue = colorsys.rgb_to_hls(*(int(color[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]
    shown = readable(color, window, TEXT)
    shown_hue = colorsys.rgb_to_hls(*(int(shown[i:i + 2], 16) / 255 for i in (1, 3, 5)))[0]
    assert abs(shown_hue - hue) < 0.02  # red stays red, green green


@pytest.mark.parametrize("label", sorted(DISPLACY_COLORS))
def test_text_over_every_label_highlight_reads_in_the_dark_palette(label: str) -> None:
    _window, page, text = PALETTES["dark"]
    alpha = 120 / 255  # an entity's tint on a dark page
    shown = readable(DISPLACY_COLORS[label], text, TEXT, page, alpha)
    assert contrast(blend(shown, page, alpha), text) >= TEXT
