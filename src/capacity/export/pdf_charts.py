"""The PDF scorecard's two charts, drawn with matplotlib into PNG bytes in memory.

They plot the same table as the Excel charts (`figure_data.dimension_rows`) with the
dashboards' colours (`capacity.charts`), so every version of a scorecard shows the same
picture. Plotly's static export would need a browser (kaleido), which a fresh machine
may not have; matplotlib's Agg renderer needs nothing but the package. Figures are
created without pyplot (no global state to leak between the scorecards of a batch), small
and at a modest resolution, because a batch draws hundreds of them.
"""

from __future__ import annotations

import io
import math

import matplotlib

matplotlib.use("Agg")  # no display, ever: scorecards are drawn on servers and in worker processes

import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from capacity.charts import MUTED, NEUTRAL, STATUS_COLOURS, TARGET_COLOUR
from capacity.i18n import format_number, translator
from capacity.labels import gap_title, status_key

DPI = 150  # sharp enough for print; costs ~5 ms a chart more than 110
FONT = "DejaVu Sans"  # ships with matplotlib: Turkish and every status symbol render without system fonts
MIDPOINT_COLOUR, VISION_COLOUR = "#E69F00", "#009E73"
TEXT_COLOUR = "#222222"


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI)
    return buffer.getvalue()


def _values(column: pd.Series) -> list[float]:
    return [math.nan if value is None or pd.isna(value) else float(value) for value in column]


def radar_png(dimensions: pd.DataFrame, lang: str, width_in: float = 3.5, height_in: float = 3.3) -> bytes:
    """The dimensions' scores against the 2023 and 2053 targets (`dimension_rows` without the index)."""
    t = translator(lang)
    codes = list(dimensions["target"])
    angles = [2 * math.pi * position / len(codes) for position in range(len(codes))]
    figure = Figure(figsize=(width_in, height_in), dpi=DPI)
    axes = figure.add_axes((0.1, 0.16, 0.8, 0.76), projection="polar")
    axes.set_theta_offset(math.pi / 2)
    axes.set_theta_direction(-1)
    closed = [*angles, angles[0]]
    for column, colour, style, width, label in (
        ("vision", VISION_COLOUR, ":", 1.6, t("Target 2053")),
        ("midpoint", MIDPOINT_COLOUR, "--", 1.6, t("Target 2023")),
    ):
        values = _values(dimensions[column])
        axes.plot(closed, [*values, values[0]], linestyle=style, color=colour, linewidth=width, label=label)
    scores = _values(dimensions["score"])
    axes.plot(
        closed,
        [*scores, scores[0]],
        color=NEUTRAL,
        linewidth=2.2,
        marker="o",
        markersize=3.5,
        label=t("Score"),
    )
    if not any(math.isnan(score) for score in scores):
        axes.fill(closed, [*scores, scores[0]], color=NEUTRAL, alpha=0.18)
    axes.set_ylim(0, 100)
    axes.set_yticks([20, 40, 60, 80, 100])
    axes.set_yticklabels(
        [format_number(v, lang, 0) for v in (20, 40, 60, 80, 100)],
        fontsize=6,
        color="#777777",
        fontfamily=FONT,
    )
    axes.set_rlabel_position(180 / len(codes))
    axes.set_xticks(angles)
    axes.set_xticklabels(codes, fontsize=8, fontweight="bold", color=TEXT_COLOUR, fontfamily=FONT)
    axes.grid(color="#D0D0D0", linewidth=0.6)
    axes.spines["polar"].set_color("#BBBBBB")
    figure.legend(
        loc="lower center",
        ncol=3,
        fontsize=6.5,
        frameon=False,
        prop={"family": FONT, "size": 6.5},
        handlelength=2.2,
    )
    return _png(figure)


def gap_bars_png(
    dimensions: pd.DataFrame, year: int, lang: str, width_in: float = 3.5, height_in: float = 3.3
) -> bytes:
    """Each dimension's gap to the expectation for `year` (in status colours) and to the 2053 vision."""
    return _png(gap_bars_figure(dimensions, year, lang, width_in, height_in))


def gap_bars_figure(
    dimensions: pd.DataFrame, year: int, lang: str, width_in: float = 3.5, height_in: float = 3.3
) -> Figure:
    """The figure of `gap_bars_png`: bars to the right (positive) are behind, as the axis title says."""
    t = translator(lang)
    codes = list(dimensions["target"])
    gaps, vision_gaps = _values(dimensions["gap"]), _values(dimensions["gap_2053"])
    colours = [STATUS_COLOURS[status_key(None if pd.isna(s) else s)] for s in dimensions["status"]]
    positions = list(range(len(codes)))[::-1]  # the first dimension on top, as in the table
    figure = Figure(figsize=(width_in, height_in), dpi=DPI)
    axes = figure.add_axes((0.13, 0.24, 0.82, 0.7))
    axes.barh(
        [p - 0.2 for p in positions],
        [0 if math.isnan(g) else g for g in vision_gaps],
        height=0.36,
        color="#D9D9D9",
        edgecolor=MUTED,
        linewidth=0.5,
        label=t("Gap to the 2053 vision"),
    )
    axes.barh(
        [p + 0.2 for p in positions],
        [0 if math.isnan(g) else g for g in gaps],
        height=0.36,
        color=colours,
        edgecolor="#555555",
        linewidth=0.5,
        label=t("Gap to the expectation for {year}", year=year),
    )
    span = max([abs(g) for g in gaps + vision_gaps if not math.isnan(g)] + [10.0])
    for position, gap in zip(positions, gaps, strict=True):
        text = t("no score") if math.isnan(gap) else format_number(gap, lang, 1)
        axes.text(
            max(gap, 0) if not math.isnan(gap) else 0,
            position + 0.2,
            f" {text}",
            va="center",
            fontsize=6.5,
            color=TEXT_COLOUR,
            fontfamily=FONT,
        )
    axes.axvline(0, color=TARGET_COLOUR, linewidth=0.8)
    low = min([g for g in gaps + vision_gaps if not math.isnan(g)] + [0.0])
    axes.set_xlim(min(low * 1.15, 0), span * 1.22)
    axes.set_yticks(positions)
    axes.set_yticklabels(codes, fontsize=8, fontweight="bold", color=TEXT_COLOUR, fontfamily=FONT)
    axes.xaxis.set_major_formatter(FuncFormatter(lambda value, _: format_number(value, lang, 0)))
    axes.tick_params(axis="x", labelsize=6.5, colors="#555555")
    axes.set_xlabel(gap_title(lang), fontsize=7, color="#555555", fontfamily=FONT)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.grid(axis="x", color="#EEEEEE", linewidth=0.6)
    axes.set_axisbelow(True)
    figure.legend(loc="lower center", ncol=1, fontsize=6.5, frameon=False, prop={"family": FONT, "size": 6.5})
    return figure
