"""Fonts and text direction of the PDF scorecard.

Latin, Turkish and the status symbols use DejaVu Sans, which ships inside matplotlib, so
those PDFs need no system font. Arabic needs two more things fpdf2 does not do by itself:
text shaping (HarfBuzz, through `uharfbuzz`), which joins letters into their initial,
medial and final forms and orders mixed Arabic and Latin text; and a font drawn for
Arabic. The Arabic font comes from a Debian package (`fonts-noto-core` or
`fonts-hosny-amiri`, installed by .ci/run), found in fontconfig's font folders at run
time; DejaVu Sans stays the fallback for the Latin letters and symbols the Arabic font
lacks. Without either package Arabic is still shaped, in DejaVu Sans's basic Arabic.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import matplotlib
from fpdf import FPDF

from capacity.i18n import is_right_to_left

LATIN_FAMILY = "DejaVu"
ARABIC_FAMILY = "Arabic"
# fontconfig's default folders on Debian (/etc/fonts/fonts.conf), user folders last.
FONT_FOLDERS = (
    Path("/usr/share/fonts"),
    Path("/usr/local/share/fonts"),
    Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "fonts",
    Path.home() / ".fonts",
)
# Regular and bold files, best first: Noto Naskh Arabic is the book face for running text,
# Noto Sans Arabic matches DejaVu Sans's look, Amiri is a classical Naskh.
ARABIC_FONTS = (
    ("NotoNaskhArabic-Regular.ttf", "NotoNaskhArabic-Bold.ttf"),
    ("NotoSansArabic-Regular.ttf", "NotoSansArabic-Bold.ttf"),
    ("Amiri-Regular.ttf", "Amiri-Bold.ttf"),
)


@cache
def latin_font_files() -> dict[str, str]:
    """The regular and bold DejaVu Sans files inside the installed matplotlib."""
    folder = Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    return {"": str(folder / "DejaVuSans.ttf"), "B": str(folder / "DejaVuSans-Bold.ttf")}


def _installed_fonts(folders: tuple[Path, ...]) -> dict[str, Path]:
    """File name → path of every font file under `folders` (the first found wins)."""
    found: dict[str, Path] = {}
    for folder in folders:
        for root, _dirs, files in os.walk(folder):
            for name in files:
                found.setdefault(name, Path(root) / name)
    return found


@cache
def arabic_font_files(folders: tuple[Path, ...] = FONT_FOLDERS) -> dict[str, str] | None:
    """The regular and bold files of the best installed Arabic font, or None when none is."""
    installed = _installed_fonts(folders)
    for regular, bold in ARABIC_FONTS:
        if regular in installed and bold in installed:
            return {"": str(installed[regular]), "B": str(installed[bold])}
    return None


def set_up_fonts(pdf: FPDF, lang: str) -> str:
    """Register the fonts `lang` needs and switch shaping on for right-to-left text; returns the family."""
    for style, path in latin_font_files().items():
        pdf.add_font(LATIN_FAMILY, style, path)
    if not is_right_to_left(lang):
        return LATIN_FAMILY
    pdf.set_text_shaping(use_shaping_engine=True, direction="rtl", script="arab", language="ara")
    arabic = arabic_font_files()
    if arabic is None:
        return LATIN_FAMILY
    for style, path in arabic.items():
        pdf.add_font(ARABIC_FAMILY, style, path)
    pdf.set_fallback_fonts([LATIN_FAMILY])
    return ARABIC_FAMILY


def right_to_left(pdf: FPDF) -> bool:
    """Whether `pdf` is laid out right to left (set by `set_up_fonts`)."""
    return bool(pdf.text_shaping) and str(pdf.text_shaping.get("direction", "")).upper().endswith("RTL")
