"""The schema's colours as shown on a palette: the one place where a colour is made readable.

A schema names one colour per label and per polarity, chosen on a white page. Drawn as they
are, the red for "against" read at 2.8:1 on a dark window (WCAG asks 4.5:1 of text), and the
green for "favor" at 3.4:1 on a light one; displaCy's pastel label colours under a dark
palette's light text left some words at 3.3:1. So every widget that draws a schema colour asks
``readable`` for it against what it lies on, with WCAG's ratios: ``TEXT`` for text drawn in
the colour (or over it), ``MARK`` for lines, bars and swatches. The colour keeps its hue and
saturation; only its lightness moves, away from the background, and only as far as needed (a
colour that already reads is returned unchanged, so the light palette keeps the schema's own
colours wherever they read).
"""

from __future__ import annotations

import colorsys
from functools import lru_cache

TEXT = 4.5  # WCAG 2 AA, normal text
MARK = 3.0  # WCAG 2 AA, non-text contrast (lines, bars, swatches)
_STEPS = 100


def _channels(color: str) -> tuple[float, float, float]:
    value = color.lstrip("#")
    return int(value[0:2], 16) / 255, int(value[2:4], 16) / 255, int(value[4:6], 16) / 255


def _hex(red: float, green: float, blue: float) -> str:
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02x}" for c in (red, green, blue))


def luminance(color: str) -> float:
    """WCAG's relative luminance of a ``#rrggbb`` colour (0 black, 1 white)."""

    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    red, green, blue = _channels(color)
    return 0.2126 * linear(red) + 0.7152 * linear(green) + 0.0722 * linear(blue)


def contrast(a: str, b: str) -> float:
    """WCAG's contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def blend(color: str, under: str, alpha: float) -> str:
    """``color`` painted with ``alpha`` (0 to 1) over ``under``: what the eye sees of a tint."""
    return _hex(*(c * alpha + u * (1 - alpha)
                  for c, u in zip(_channels(color), _channels(under), strict=True)))


@lru_cache(maxsize=4096)
def readable(color: str, against: str, minimum: float, over: str | None = None,
             alpha: float = 1.0) -> str:
    """``color`` with its lightness moved away from ``against`` until their contrast is at
    least ``minimum``: darker on a light background, lighter on a dark one (whichever way
    can reach more contrast). With ``over``, ``color`` is a tint painted with ``alpha`` over
    that, and it is the tint as seen that must contrast with ``against`` (the text drawn on
    it). Painted once per mark on every repaint, hence the cache."""

    def seen(shade: str) -> str:
        return shade if over is None else blend(shade, over, alpha)

    if contrast(seen(color), against) >= minimum:
        return color
    hue, lightness, saturation = colorsys.rgb_to_hls(*_channels(color))
    darker = contrast("#000000", against) >= contrast("#ffffff", against)
    end = 0.0 if darker else 1.0
    for step in range(1, _STEPS + 1):
        shade = _hex(*colorsys.hls_to_rgb(hue, lightness + (end - lightness) * step / _STEPS,
                                          saturation))
        if contrast(seen(shade), against) >= minimum:
            return shade
    return "#000000" if darker else "#ffffff"
