"""How statuses, trend arrows, targets and organisation types are named and marked on screen.

One place for these words and symbols, so the heatmap, the tables, the charts and the
exports say "▲ slightly behind" the same way. Every status also has a symbol, because a
board member who cannot tell green from orange must still read the dashboard: colour is
never the only signal.
"""

from __future__ import annotations

from capacity.framework import Framework, current_framework
from capacity.i18n import N_, format_number, translator
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

NO_DATA = "no data"  # a cell without a score: insufficient data, not applicable or not assessed

STATUS_ORDER = (ON_TRACK, SLIGHTLY_BEHIND, BEHIND, OFF_TRACK, NO_DATA)
STATUS_LABELS = {
    ON_TRACK: N_("on track"),
    SLIGHTLY_BEHIND: N_("slightly behind"),
    BEHIND: N_("behind"),
    OFF_TRACK: N_("off track"),
    NO_DATA: N_("no data"),
}
STATUS_SYMBOLS = {ON_TRACK: "✓", SLIGHTLY_BEHIND: "▲", BEHIND: "▼", OFF_TRACK: "✕", NO_DATA: "–"}

NO_TREND = "no trend"  # fewer than two assessment years
ARROW_ORDER = (VISION_REACHED, TREND_ON_TRACK, MODERATELY_IMPROVING, STAGNATING, DECREASING, NO_TREND)
ARROW_LABELS = {
    VISION_REACHED: N_("vision reached"),
    TREND_ON_TRACK: N_("on track"),
    MODERATELY_IMPROVING: N_("moderately improving"),
    STAGNATING: N_("stagnating"),
    DECREASING: N_("decreasing"),
    NO_TREND: N_("only one assessment"),
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
UNKNOWN_TYPE_LABEL = N_("Type not given")


def status_key(status: str | None) -> str:
    """The engine's status, or NO_DATA when there is none (no score)."""
    return status if status in STATUS_LABELS else NO_DATA


def status_label(status: str | None, lang: str) -> str:
    """e.g. 'slightly behind' in the reader's language."""
    return translator(lang)(STATUS_LABELS[status_key(status)])


def status_text(status: str | None, lang: str) -> str:
    """Symbol and words, e.g. '▲ slightly behind': readable without colour."""
    key = status_key(status)
    return f"{STATUS_SYMBOLS[key]} {status_label(key, lang)}"


def arrow_key(arrow: str | None) -> str:
    return arrow if arrow in ARROW_LABELS else NO_TREND


def arrow_label(arrow: str | None, lang: str) -> str:
    return translator(lang)(ARROW_LABELS[arrow_key(arrow)])


def arrow_text(arrow: str | None, lang: str) -> str:
    """Symbol and words, e.g. '↗ moderately improving'."""
    key = arrow_key(arrow)
    return f"{ARROW_SYMBOLS[key]} {arrow_label(key, lang)}"


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
