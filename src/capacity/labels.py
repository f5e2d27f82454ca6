"""How statuses, trend arrows, targets and organisation types are named and marked on screen.

One place for these words and symbols, so the heatmap, the tables, the charts and the
exports say "! slightly behind" the same way. Every status also has a symbol, because a
board member who cannot tell green from orange must still read the dashboard: colour is
never the only signal.

Two scales must never be confused. The roadmap *status* says where a score stands against
this year's expectation (on track, slightly behind …) and is marked with signs that point
nowhere (✓ ! !! ✕). The *trend* says whether the organisation moves fast enough to reach the
2053 vision (on pace, too slow …) and alone uses arrows (↑ ↗ → ↓). Short words go on cards
and table cells, where they must fit; the full sentence goes in help texts and legends.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
import yaml

from capacity.framework import Framework, current_framework
from capacity.i18n import N_, format_number, format_percent, normalise_language, translator
from capacity.questionnaire.layout import ORGANISATION_TYPES
from capacity.scoring.results import (
    BEHIND,
    DECREASING,
    INDEX,
    MODERATELY_IMPROVING,
    OFF_TRACK,
    ON_TRACK,
    SLIGHTLY_BEHIND,
    STAGNATING,
    TREND_ON_TRACK,
    VISION_REACHED,
)
from capacity.scoring.roadmap_gaps import BEHIND_LIMIT, SLIGHTLY_BEHIND_LIMIT
from capacity.scoring.trends import STAGNATION_SHARE

if TYPE_CHECKING:
    from pandas.io.formats.style import Styler

NO_DATA = "no data"  # a cell without a score: insufficient data, not applicable or not assessed

STATUS_ORDER = (ON_TRACK, SLIGHTLY_BEHIND, BEHIND, OFF_TRACK, NO_DATA)
STATUS_LABELS = {
    ON_TRACK: N_("on track"),
    SLIGHTLY_BEHIND: N_("slightly behind"),
    BEHIND: N_("behind"),
    OFF_TRACK: N_("off track"),
    NO_DATA: N_("no data"),
}
# Severity signs, not arrows: arrows belong to the trend, and "▲ slightly behind" beside
# "↑ on pace" read as two rises. "!!" is two characters, so tests of a cell compare the
# symbol and its following space, never the first character alone.
STATUS_SYMBOLS = {ON_TRACK: "✓", SLIGHTLY_BEHIND: "!", BEHIND: "!!", OFF_TRACK: "✕", NO_DATA: "–"}
# The sentence behind each short status word, for help texts and legends.
STATUS_HELP = {
    ON_TRACK: N_("On track: the score meets or beats what the roadmap expects in the assessment year."),
    SLIGHTLY_BEHIND: N_(
        "Slightly behind: up to {slightly} points below what the roadmap expects in the assessment year."
    ),
    BEHIND: N_(
        "Behind: {slightly} to {behind} points below what the roadmap expects in the assessment year."
    ),
    OFF_TRACK: N_(
        "Off track: more than {behind} points below what the roadmap expects in the assessment year."
    ),
    NO_DATA: N_("No data: too few indicators answered for a score, or not assessed."),
}

NO_TREND = "no trend"  # fewer than two assessment years
ARROW_ORDER = (VISION_REACHED, TREND_ON_TRACK, MODERATELY_IMPROVING, STAGNATING, DECREASING, NO_TREND)
# The engine keeps the SDSN names (its "on track" arrow is SDSN's "on track"); readers see
# pace words, so a trend never borrows a status's words.
ARROW_LABELS = {
    VISION_REACHED: N_("vision reached"),
    TREND_ON_TRACK: N_("on pace"),
    MODERATELY_IMPROVING: N_("too slow"),
    STAGNATING: N_("stagnating"),
    DECREASING: N_("declining"),
    NO_TREND: N_("one assessment"),
}
ARROW_HELP = {
    VISION_REACHED: N_("Vision reached: the latest score is at or above the 2053 vision."),
    TREND_ON_TRACK: N_("On pace: improving at least as fast as needed to reach the 2053 vision."),
    MODERATELY_IMPROVING: N_(
        "Too slow: improving, but slower than needed to reach the 2053 vision (at least {share} of the pace)."
    ),
    STAGNATING: N_("Stagnating: improving at less than {share} of the pace needed, or not at all."),
    DECREASING: N_("Declining: the score has fallen since the first assessment."),
    NO_TREND: N_("One assessment: a trend needs a second assessment year."),
}
ARROW_SYMBOLS = {
    VISION_REACHED: "★",
    TREND_ON_TRACK: "↑",
    MODERATELY_IMPROVING: "↗",
    STAGNATING: "→",
    DECREASING: "↓",
    NO_TREND: "·",
}

INDEX_LABEL = N_("Index")
# One sign for gaps everywhere: gap = expected (or target) score − score, so positive is behind.
GAP_TITLE = N_("Gap in points (positive: behind)")
GAP_HELP = N_(
    "Gap = expected score − score: a positive gap is behind the roadmap, a negative one ahead of it."
)

# Regions the questionnaire suggests (and the demo uses), with their names in each language:
# regions are typed by people, so they are data (data/regions.yaml), not catalog strings.
REGIONS_FILE = Path(__file__).parent / "data" / "regions.yaml"
UNKNOWN_TYPE_LABEL = N_("Type not given")


def status_key(status: str | None) -> str:
    """The engine's status, or NO_DATA when there is none (no score)."""
    return status if status in STATUS_LABELS else NO_DATA


def status_label(status: str | None, lang: str) -> str:
    """e.g. 'slightly behind' in the reader's language."""
    return translator(lang)(STATUS_LABELS[status_key(status)])


def status_text(status: str | None, lang: str) -> str:
    """Symbol and words, e.g. '! slightly behind': readable without colour."""
    key = status_key(status)
    return f"{STATUS_SYMBOLS[key]} {status_label(key, lang)}"


def status_help(status: str | None, lang: str) -> str:
    """The full sentence of a status, with the engine's thresholds, for help texts."""
    text = translator(lang)(STATUS_HELP[status_key(status)])
    return text.format(
        slightly=format_number(SLIGHTLY_BEHIND_LIMIT, lang, 0), behind=format_number(BEHIND_LIMIT, lang, 0)
    )


def status_legend(lang: str, separator: str = " ") -> str:
    """Every status as 'symbol sentence', for a legend or note under a table."""
    return separator.join(f"{STATUS_SYMBOLS[status]} {status_help(status, lang)}" for status in STATUS_ORDER)


def arrow_key(arrow: str | None) -> str:
    return arrow if arrow in ARROW_LABELS else NO_TREND


def arrow_label(arrow: str | None, lang: str) -> str:
    return translator(lang)(ARROW_LABELS[arrow_key(arrow)])


def arrow_text(arrow: str | None, lang: str) -> str:
    """Symbol and words, e.g. '↗ moderately improving'."""
    key = arrow_key(arrow)
    return f"{ARROW_SYMBOLS[key]} {arrow_label(key, lang)}"


def arrow_help(arrow: str | None, lang: str) -> str:
    """The full sentence of a trend arrow, with the engine's stagnation share, for help texts."""
    return translator(lang)(ARROW_HELP[arrow_key(arrow)]).format(share=format_percent(STAGNATION_SHARE, lang))


def arrow_legend(lang: str, separator: str = " ") -> str:
    """Every trend arrow as 'arrow sentence', for a legend or note under a table."""
    return separator.join(f"{ARROW_SYMBOLS[arrow]} {arrow_help(arrow, lang)}" for arrow in ARROW_ORDER)


def gap_title(lang: str) -> str:
    """The title of every gap axis, column and chart: it says which sign means behind."""
    return translator(lang)(GAP_TITLE)


@cache
def known_regions() -> dict[str, dict[str, str]]:
    """Region (as the questionnaire writes it in English) → language → its name."""
    with REGIONS_FILE.open(encoding="utf-8") as handle:
        return {str(region): dict(names) for region, names in yaml.safe_load(handle).items()}


def region_label(region: str | None, lang: str) -> str:
    """A region in the reader's language when it is one the questionnaire suggests, else as written."""
    if not region:
        return ""
    names = known_regions().get(str(region).strip())
    if names is None:
        return str(region)
    return names.get(normalise_language(lang), str(region).strip())


def format_numbers(frame: pd.DataFrame, lang: str, digits: Mapping[str, int]) -> Styler:
    """`frame` for a table on screen, its numbers written in the language (Turkish: 62,5).

    The cells keep their numbers, so a table still sorts by value; only the shown text
    uses the language's decimal mark. `digits` maps each numeric column to its decimals.
    """
    styler = frame.style
    for column, places in digits.items():
        styler = styler.format(
            lambda value, places=places: format_number(
                None if pd.isna(value) else float(value), lang, places
            ),
            subset=[column],
        )
    return styler


def format_change(value: float | None, lang: str, digits: int = 1, suffix: str = "") -> str | None:
    """A change since the previous round with its sign, e.g. '+4.2' or '-3' (None when there is none).

    The sign is ASCII so Streamlit's metric reads the direction of the change from it.
    """
    if value is None:
        return None
    rounded = round(value, digits)  # what is shown decides the sign: +0.04 shows as ±0.0
    sign = "+" if rounded > 0 else ("-" if rounded < 0 else "±")
    return f"{sign}{format_number(abs(rounded), lang, digits)}{suffix}"


def target_name(target: str, lang: str, framework: Framework | None = None) -> str:
    """'Index' or a dimension's name, e.g. 'Institutional Capacity'."""
    if target == INDEX:
        return translator(lang)(INDEX_LABEL)
    framework = current_framework() if framework is None else framework
    return framework.dimension(target).name(lang)


def target_short(target: str, lang: str) -> str:
    """'Index' or a dimension's code (IC, IL …): for narrow columns and axis ticks."""
    return translator(lang)(INDEX_LABEL) if target == INDEX else target


def organisation_type_label(kind: str | None, lang: str) -> str:
    """The questionnaire's name of an organisation type; unknown or missing types say so."""
    t = translator(lang)
    if kind in ORGANISATION_TYPES:
        return t(ORGANISATION_TYPES[kind])
    return kind or t(UNKNOWN_TYPE_LABEL)


def projection_text(projected_year: float | None, arrow: str | None, lang: str) -> str:
    """When the vision is reached at the current pace: "2041", "already reached" or "not at this pace".

    The engine gives no projected year to an organisation at the vision (it would lie in
    the past), so the arrow tells "already reached" apart from "never at this pace".
    """
    t = translator(lang)
    if arrow == VISION_REACHED:
        return t("already reached")
    if projected_year is None or projected_year != projected_year:  # None or NaN
        return t("not at this pace")
    return str(round(projected_year))


def projection_sentence(projected_year: float | None, arrow: str | None, lang: str) -> str:
    """The projection as a line of its own: "Reaches the vision in 2041", "Vision already reached" …

    "Reaches the vision in {year}" cannot take "already reached" as its year, so the three
    cases are three sentences.
    """
    t = translator(lang)
    if arrow == VISION_REACHED:
        return t("Vision already reached")
    if projected_year is None or projected_year != projected_year:  # None or NaN
        return t("Does not reach the vision at this pace")
    return t("Reaches the vision in {year}", year=str(round(projected_year)))


# Names of exported files, translated: a Turkish reader saves "karne_NS-TR-01_2025.pdf".
SCORECARD_FILE = N_("scorecard")
SCORECARDS_FILE = N_("scorecards")
DATASET_FILE = N_("capacity-dataset")
PORTFOLIO_FILE = N_("portfolio-scores")
QUESTIONNAIRE_FILE = N_("questionnaire")
UPLOAD_REPORT_FILE = N_("upload-report")
AUDIT_LOG_FILE = N_("audit-log")
FILE_NAME_PART_LIMIT = 60


def file_name_part(text: object, limit: int = FILE_NAME_PART_LIMIT) -> str:
    """Letters (of any script), digits, dot, dash and underscore only: no text can name a path.

    Other characters (spaces, slashes, quotes, Arabic vowel marks) become '_'.
    """
    cleaned = re.sub(r"[^\w.-]+", "_", str(text)).strip("._") or "_"
    return cleaned[:limit]


def file_name(stem: str, lang: str, *parts: object, extension: str) -> str:
    """An export's file name in the reader's language, e.g. `karne_NS-TR-01_2025.pdf`.

    `stem` is one of the *_FILE words above (translated here); `parts` (an ID, a year) are
    kept as written, made safe for any file system.
    """
    words = [file_name_part(translator(lang)(stem)), *(file_name_part(part) for part in parts)]
    return "_".join(words) + "." + extension
