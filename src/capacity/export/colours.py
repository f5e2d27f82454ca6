"""Text colours that stay readable on the status colours of the scorecards (WCAG 2.2 AA).

The status colours come from `capacity.charts` and may change there; rather than a fixed
text colour that one day fails on a new fill, every label on a coloured card or cell
takes whichever of black and white contrasts more with its fill. WCAG's relative
luminance and contrast ratio are computed here so the tests can check every pair.
"""

from __future__ import annotations

RGB = tuple[int, int, int]
BLACK: RGB = (0, 0, 0)
WHITE: RGB = (255, 255, 255)
AA_NORMAL_TEXT = 4.5  # WCAG 2.2 success criterion 1.4.3, text below 18 pt (14 pt bold)


def rgb(colour: str) -> RGB:
    """'#D55E00' → (213, 94, 0)."""
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def relative_luminance(colour: RGB) -> float:
    """WCAG's relative luminance of an sRGB colour, 0 (black) to 1 (white)."""

    def linear(channel: int) -> float:
        value = channel / 255
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (linear(channel) for channel in colour)
    return 0.2126 * red + 0.7152 * green + 0.0722 * blue


def contrast_ratio(first: RGB, second: RGB) -> float:
    """WCAG's contrast ratio, from 1 (same colour) to 21 (black on white)."""
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def text_on(fill: RGB) -> RGB:
    """Black or white, whichever reads better on `fill`."""
    return max((BLACK, WHITE), key=lambda text: contrast_ratio(text, fill))
