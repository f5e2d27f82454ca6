"""Plotly figures of the board dashboards: pure builders from page data to `go.Figure`.

No Streamlit here, so the figures are tested on their own and can be reused by exports.
Every builder takes the reader's language: axis titles, legends and hover texts are
translated, and numbers use the locale's decimal mark. Statuses are drawn with the
Okabe–Ito palette, which stays distinct for the common forms of colour blindness, and
always carry their symbol too (✓ ! !! ✕ –), so colour is never the only signal.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from capacity.dashboard import (
    EXPECTED_NOW,
    LATEST,
    PREVIOUS,
    VISION,
    Heatmap,
    PeerGroups,
    RoundSummary,
    timeline_window,
)
from capacity.export import colours
from capacity.framework import LEVELS, Framework, current_framework
from capacity.i18n import format_number, format_percent, is_right_to_left, normalise_language, translator
from capacity.labels import (
    ARROW_ORDER,
    ARROW_SYMBOLS,
    NO_DATA,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    arrow_label,
    organisation_type_label,
    status_label,
    target_name,
    target_short,
)
from capacity.memo import memoised
from capacity.plaintext import html_literal
from capacity.roadmap import INDEX

# Okabe & Ito (2008), "Color Universal Design": distinct under deuteranopia and protanopia.
# The worst status is a darkened vermillion, so "behind" (orange) and "off track" differ in
# lightness as well as hue: under a red-green deficiency the two hues converge, the
# lightness does not (tests/test_charts.py simulates deuteranopia and protanopia).
STATUS_COLOURS = {
    "on track": "#009E73",  # bluish green
    "slightly behind": "#F0E442",  # yellow
    "behind": "#E69F00",  # orange
    "off track": "#A63A00",  # dark vermillion
    NO_DATA: "#E4E4E4",  # light grey
}
ARROW_COLOURS = {
    "vision reached": "#0072B2",
    "on track": "#009E73",
    "moderately improving": "#F0E442",
    "stagnating": "#E69F00",
    "decreasing": "#A63A00",
    "no trend": "#D0D0D0",
}
DARK_TEXT, LIGHT_TEXT = "#111111", "#FFFFFF"
# Paul Tol's "bright" scheme for the six dimension lines; the index is drawn in near-black.
DIMENSION_COLOURS = ("#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377")
INDEX_COLOUR = "#222222"
TARGET_COLOUR = "#555555"
HIGHLIGHT = "#D55E00"
NEUTRAL = "#0072B2"
MUTED = "#9A9A9A"
FONT = "Source Sans Pro, Segoe UI, Helvetica, Arial, sans-serif"
# Right-to-left charts put row labels (organisation names, dimension names) right of the
# plot, where plotly leaves no room for them: the margin is made from their length, at
# about 7 px a character in the 13 px font (Arabic letters are narrower than Latin).
ROW_LABEL_PIXELS_PER_CHARACTER, ROW_LABEL_PADDING = 7, 16


def contrast_ratio(first: str, second: str) -> float:
    """WCAG 2 contrast ratio of two '#RRGGBB' colours (1 to 21); the maths is `export.colours`."""
    return colours.contrast_ratio(colours.rgb(first), colours.rgb(second))


def text_colour(background: str) -> str:
    """Near-black or white, whichever reads better on `background` (labels inside cells and bars)."""
    return max((DARK_TEXT, LIGHT_TEXT), key=lambda text: contrast_ratio(text, background))


def _separators(lang: str) -> str:
    """Plotly's decimal and thousands marks for the language (Turkish: 62,5)."""
    return ",." if normalise_language(lang) == "tr" else ".,"


def _base_layout(
    fig: go.Figure, lang: str, height: int, top: int = 30, legend_gap: int | None = 8, bottom: int = 10
) -> go.Figure:
    """Common look; the legend sits `legend_gap` pixels above the plot (None: plotly's default place).

    A legend above the plot never collides with tick labels or axis titles, whatever
    their size; plotly widens the top margin to make room for it.
    """
    fig.update_layout(
        height=height,
        separators=_separators(lang),
        font={"family": FONT, "size": 13},
        margin={"l": 10, "r": 10, "t": top, "b": bottom},
        plot_bgcolor="white",
        paper_bgcolor="white",
        hoverlabel={"font": {"family": FONT}},
    )
    if legend_gap is not None:
        plot_height = max(height - top - bottom, 1)
        fig.update_layout(
            legend={
                "orientation": "h",
                "yanchor": "bottom",
                "y": 1 + legend_gap / plot_height,
                "xanchor": "left",
                "x": 0,
            }
        )
    return fig


def mirror_for_right_to_left(fig: go.Figure) -> go.Figure:
    """The figure as a right-to-left reader scans it; numbers never run backwards.

    Category axes (dimension codes, organisation types) start on the right, value axes and
    row labels move to the right edge, and legends to the opposite side. Numeric axes
    (scores, years) keep their direction: a time line still runs left to right, as in
    Arabic reports and charts.
    """
    categorical: set[str] = set()
    longest_row_label = 0
    for trace in fig.data:
        for axis, values in (("x", getattr(trace, "x", None)), ("y", getattr(trace, "y", None))):
            labels = [v for v in values if isinstance(v, str)] if values is not None else []
            if labels and axis == "x":
                categorical.add("xaxis" + (getattr(trace, "xaxis", None) or "x")[1:])
            elif labels:  # a label wrapped over lines is as wide as its longest line
                longest_row_label = max(
                    longest_row_label, *(len(line) for label in labels for line in label.split("<br>"))
                )
    fig.for_each_xaxis(
        lambda axis: (
            (axis.update(range=list(axis.range)[::-1]) if axis.range else axis.update(autorange="reversed"))
            if axis.plotly_name in categorical
            else None
        )
    )
    # A free-standing value axis (e.g. beside an inset) moves to the opposite edge of the figure.
    fig.for_each_yaxis(
        lambda axis: axis.update(
            side="right",
            automargin=True,
            **({"position": 1 - (axis.position or 0)} if axis.anchor == "free" else {}),
        )
    )
    legend = fig.layout.legend
    if legend.x is not None:
        anchor = {"left": "right", "right": "left"}.get(legend.xanchor or "left", legend.xanchor)
        fig.update_layout(legend={"x": 1 - legend.x, "xanchor": anchor})
    margin = fig.layout.margin
    # Row labels now stand right of the plot; plotly does not widen the right margin for them.
    right = max(margin.l or 0, ROW_LABEL_PIXELS_PER_CHARACTER * longest_row_label + ROW_LABEL_PADDING)
    fig.update_layout(margin={"l": margin.r, "r": right})
    return fig


def _active_framework() -> tuple[str, str]:
    """What a builder reads besides its arguments: the framework's dimensions, names and colours."""
    framework = current_framework()
    return framework.id, framework.version


def _in_reading_direction(builder: Callable[..., go.Figure]) -> Callable[..., go.Figure]:
    """Mirror what `builder` draws when its `lang` is written right to left (Arabic).

    The finished figure is memoised on its arguments' content (`capacity.memo`): a page's
    rerun with unchanged data gets the figure built before instead of paying plotly's
    validation again. Callers must not change a figure they are given.
    """
    signature = inspect.signature(builder)

    @memoised(context=_active_framework)
    @functools.wraps(builder)
    def build(*args: object, **kwargs: object) -> go.Figure:
        fig = builder(*args, **kwargs)
        lang = signature.bind(*args, **kwargs).arguments["lang"]
        return mirror_for_right_to_left(fig) if is_right_to_left(str(lang)) else fig

    return build


def target_colour(target: str, framework: Framework | None = None) -> str:
    """The line colour of the index or a dimension, the same in every chart."""
    if target == INDEX:
        return INDEX_COLOUR
    framework = current_framework() if framework is None else framework
    codes = [dim.code for dim in framework.dimensions]
    return DIMENSION_COLOURS[codes.index(target) % len(DIMENSION_COLOURS)]


def _legend_square(fig: go.Figure, name: str, colour: str, group: str) -> None:
    """A legend entry for a colour that is drawn by shapes or heatmap cells, not by a trace.

    `group` is an identifier (e.g. 'status-1'), never a word: it travels to the browser
    untranslated.
    """
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="markers",
            name=name,
            legendgroup=group,
            hoverinfo="skip",
            marker={
                "symbol": "square",
                "size": 14,
                "color": colour,
                "line": {"color": "#777777", "width": 1},
            },
        )
    )


def _wrap(text: str, width: int) -> str:
    """Break a long label over lines of about `width` characters (plotly does not wrap)."""
    lines: list[str] = []
    for word in text.split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            lines.append(word)
    return "<br>".join(lines)


def _shorten(text: str, width: int) -> str:
    """At most `width` characters, an ellipsis marking the cut (the full text is in the hover)."""
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _unique_labels(labels: list[str]) -> list[str]:
    """Category labels made unique (plotly merges equal categories into one row)."""
    seen: dict[str, int] = {}
    unique = []
    for label in labels:
        seen[label] = seen.get(label, 0) + 1
        unique.append(label if seen[label] == 1 else f"{label} ({seen[label]})")
    return unique


def _status_words(status: str, lang: str) -> str:
    """e.g. '! slightly behind'."""
    return f"{STATUS_SYMBOLS[status]} {status_label(status, lang)}"


def _score_text(score: float | None, lang: str) -> str:
    return format_number(None if score is None or pd.isna(score) else float(score), lang, 1)


# ---------------------------------------------------------------- overview


# The 2053 inset: its share of the chart's width, and the gap that marks the broken axis.
INSET_DOMAIN, INSET_GAP = 0.08, 0.04


@_in_reading_direction
def roadmap_chart(
    series: pd.DataFrame, path: pd.DataFrame, today: int, lang: str, targets: Sequence[str] | None = None
) -> go.Figure:
    """Portfolio mean of the index (and, on demand, each dimension) per year against the roadmap path.

    `series` is `dashboard.roadmap_series`, `path` is `dashboard.roadmap_path`. The time
    axis spans the years that hold data up to the next milestone (`dashboard.timeline_window`);
    the 2053 vision, decades later, sits in a narrow inset after a break in the axis instead of
    forty empty years. The index is drawn; the six dimensions are listed in the legend and
    shown when clicked (`visible="legendonly"`), with their own path when it differs.
    """
    t = translator(lang)
    fig = go.Figure()
    targets = list(dict.fromkeys(series["target"])) if targets is None else list(targets)
    index_path = path[path["target"] == INDEX].sort_values("year")
    window = timeline_window(series["year"], list(index_path["year"]), today)
    path_name = t("Roadmap target path")
    inset_axes = ("x2", "y") if window.inset else None
    for axis in (("x", "y"), inset_axes):
        if axis is None:
            continue
        in_main = axis[0] == "x"
        # The inset holds the vision and the path's last stretch leading into it.
        shown = index_path if in_main else index_path.iloc[-2:]
        fig.add_trace(
            go.Scatter(
                x=shown["year"],
                y=shown["expected"],
                xaxis=axis[0],
                mode="lines+markers+text",
                name=path_name,
                legendgroup="path",
                showlegend=in_main,
                line={"color": TARGET_COLOUR, "dash": "dash", "width": 2},
                marker={"symbol": "diamond", "size": 10, "color": TARGET_COLOUR},
                text=[
                    format_number(v, lang, 0) if in_main or year == window.vision_year else ""
                    for year, v in zip(shown["year"], shown["expected"], strict=True)
                ],
                textposition="top center",
                hovertemplate=t("Roadmap target") + " %{x}: %{y:.0f}<extra></extra>",
            )
        )
    mean = t("portfolio mean")  # outside the f-string, so that Babel extracts it
    for target in targets:
        is_index = target == INDEX
        visible = True if is_index else "legendonly"
        own_path = path[path["target"] == target].sort_values("year")
        if not is_index and not own_path.empty and list(own_path["expected"]) != list(index_path["expected"]):
            fig.add_trace(
                go.Scatter(
                    x=own_path["year"],
                    y=own_path["expected"],
                    mode="lines",
                    showlegend=False,
                    legendgroup=target,
                    visible=visible,
                    line={"color": target_colour(target), "dash": "dot", "width": 1},
                    hoverinfo="skip",
                )
            )
        rows = series[series["target"] == target].sort_values("year")
        if rows.empty:
            continue
        name = target_name(target, lang) + (f" ({mean})" if is_index else "")
        fig.add_trace(
            go.Scatter(
                x=rows["year"],
                y=rows["mean"],
                mode="lines+markers",
                name=name,
                legendgroup=target,
                visible=visible,
                line={"color": target_colour(target), "width": 4 if is_index else 2},
                marker={"size": 9 if is_index else 6},
                customdata=rows[["organisations"]],
                hovertemplate=f"<b>{name}</b><br>%{{x}}: %{{y:.1f}}<br>"
                + t("organisations")
                + ": %{customdata[0]}<extra></extra>",
            )
        )
    fig.add_vline(x=today, line={"color": MUTED, "width": 1, "dash": "dot"})
    fig.add_annotation(
        x=today,
        y=100,
        text=t("Today"),
        showarrow=False,
        yanchor="bottom",
        font={"color": "#555555", "size": 12},
    )
    main_end = 1 - INSET_DOMAIN - INSET_GAP if window.inset else 1
    fig.update_layout(
        xaxis={
            "title": t("Year"),
            "domain": [0, main_end],
            "range": [window.start - 0.6, window.end + 0.6],
            "dtick": 1 if window.end - window.start <= 12 else 2,
            "tickformat": "d",
            "showgrid": True,
            "gridcolor": "#EEEEEE",
        }
    )
    if window.inset:
        vision = window.vision_year
        fig.update_layout(
            xaxis2={
                "domain": [1 - INSET_DOMAIN, 1],
                "anchor": "y",
                "range": [vision - 1.5, vision + 1.5],
                "tickvals": [vision],
                "tickformat": "d",
                "showgrid": False,
                "fixedrange": True,
            }
        )
        # The break in the axis: a double slash in the gap, on the time axis and on the path.
        for y, yref in ((0, "paper"), (1, "paper")):
            fig.add_annotation(
                x=main_end + INSET_GAP / 2,
                xref="paper",
                y=y,
                yref=yref,
                text="//",
                showarrow=False,
                font={"color": "#555555", "size": 14},
            )
        fig.add_annotation(
            x=vision,
            xref="x2",
            y=float(index_path["expected"].iloc[-1]),
            text=t("Vision {year}", year=vision),
            showarrow=False,
            yanchor="top",
            yshift=-10,
            font={"color": "#333333", "size": 12},
        )
    fig.update_yaxes(title=t("Score (0–100)"), range=[0, 104], dtick=20, gridcolor="#EEEEEE")
    if window.inset:  # the score axis stands at the figure's edge, not in the axis break
        fig.update_yaxes(anchor="free", position=0)
    return _base_layout(fig, lang, height=470)


# Grids (organisations × targets): every row is as tall as its name needs, up to
# GRID_NAME_LINES lines of GRID_NAME_WIDTH characters, whatever the number of rows; the
# figure grows with the rows, and a page never draws more than GRID_MAX_ROWS of them
# (the pages split larger portfolios into pages of `dashboard.GRID_PAGE_SIZE`).
GRID_NAME_WIDTH, GRID_NAME_LINES = 40, 3
GRID_LINE_HEIGHT, GRID_ROW_PADDING = 16, 14
GRID_HEADER, GRID_FOOTER = 88, 12
GRID_MAX_ROWS = 100


def _name_lines(name: str) -> list[str]:
    """An organisation's name over at most GRID_NAME_LINES lines (the last shortened if need be)."""
    lines = _wrap(name, GRID_NAME_WIDTH).split("<br>")
    if len(lines) > GRID_NAME_LINES:
        lines = [
            *lines[: GRID_NAME_LINES - 1],
            _shorten(" ".join(lines[GRID_NAME_LINES - 1 :]), GRID_NAME_WIDTH),
        ]
    return lines


def grid_height(names: Sequence[str]) -> int:
    """The figure height of a grid of these rows: a fixed height per row, set by its longest name."""
    rows = list(names)[:GRID_MAX_ROWS]
    lines = max((len(_name_lines(str(name))) for name in rows), default=1)
    return GRID_HEADER + GRID_FOOTER + len(rows) * (lines * GRID_LINE_HEIGHT + GRID_ROW_PADDING)


def _grid(
    names: pd.Series,
    columns: list[str],
    keys: list[list[str]],
    order: Sequence[str],
    colours: dict[str, str],
    texts: list[list[str]],
    hovers: list[list[str]],
    lang: str,
    text_size: int = 12,
) -> go.Figure:
    """Rows (organisations, in order) × columns, each cell coloured by its category key.

    The cells are a heatmap on a discrete colour scale; their labels are a text layer on
    top, each in near-black or white, whichever reads on its cell. Organisation names are
    written out in full over up to three lines (the hover holds the name too).
    """
    names = names.iloc[:GRID_MAX_ROWS]
    keys, texts, hovers = keys[:GRID_MAX_ROWS], texts[:GRID_MAX_ROWS], hovers[:GRID_MAX_ROWS]
    codes = {key: position for position, key in enumerate(order)}
    bands = len(order)
    colourscale = []
    for position, key in enumerate(order):
        colourscale += [[position / bands, colours[key]], [(position + 1) / bands, colours[key]]]
    rows = _unique_labels(["<br>".join(map(html_literal, _name_lines(str(name)))) for name in names])
    fig = go.Figure(
        go.Heatmap(
            z=[[codes[key] + 0.5 for key in row] for row in keys],
            x=columns,
            y=rows,
            zmin=0,
            zmax=bands,
            colorscale=colourscale,
            showscale=False,
            hovertext=hovers,
            hoverinfo="text",
            xgap=3,
            ygap=3,
        )
    )
    flat = [
        (column, row, text, key)
        for row, text_row, key_row in zip(rows, texts, keys, strict=True)
        for column, text, key in zip(columns, text_row, key_row, strict=True)
    ]
    fig.add_trace(
        go.Scatter(
            x=[cell[0] for cell in flat],
            y=[cell[1] for cell in flat],
            text=[cell[2] for cell in flat],
            mode="text",
            textfont={"size": text_size, "color": [text_colour(colours[cell[3]]) for cell in flat]},
            hoverinfo="skip",
            showlegend=False,
        )
    )
    # Fixed ranges: the text layer would otherwise pad the axes and open a gap around the cells.
    fig.update_xaxes(
        side="top",
        showgrid=False,
        tickfont={"size": 13},
        fixedrange=True,
        type="category",
        range=[-0.5, len(columns) - 0.5],
    )
    fig.update_yaxes(
        range=[len(rows) - 0.5, -0.5],
        showgrid=False,
        automargin=True,
        fixedrange=True,
        type="category",
        tickfont={"size": 12},
    )
    height = grid_height(list(names))
    _base_layout(fig, lang, height=height, top=GRID_HEADER, bottom=GRID_FOOTER, legend_gap=None)
    plot_height = max(height - GRID_HEADER - GRID_FOOTER, 1)
    # The legend sits above the column titles, clear of them whatever the number of rows.
    fig.update_layout(
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1 + 34 / plot_height, "yanchor": "bottom"}
    )
    return fig


@_in_reading_direction
def status_heatmap(heatmap: Heatmap, lang: str) -> go.Figure:
    """Organisations × targets, each cell coloured by roadmap status and showing its symbol and score.

    At most GRID_MAX_ROWS organisations are drawn: pass one page of a larger heatmap
    (`Heatmap.page`), so 20,000 organisations never make a 20,000-row figure.
    """
    t = translator(lang)
    targets = heatmap.targets
    shown = heatmap.page(1, GRID_MAX_ROWS)
    # Plain arrays and each label formatted once: looking every cell up with .loc and
    # formatting its score twice was most of the Overview's rerun time.
    statuses = shown.statuses.loc[shown.names.index, targets].to_numpy().tolist()
    scores = [[_score_text(score, lang) for score in row] for row in shown.scores.to_numpy()]
    status_words = {status: _status_words(status, lang) for row in statuses for status in row}
    target_names = [target_name(target, lang) for target in targets]
    score_title, status_title = t("Score"), t("Status")
    text = [
        [
            STATUS_SYMBOLS[NO_DATA] if status == NO_DATA else f"{STATUS_SYMBOLS[status]} {score}"
            for status, score in zip(status_row, score_row, strict=True)
        ]
        for status_row, score_row in zip(statuses, scores, strict=True)
    ]
    hover = [
        [
            f"<b>{name}</b><br>{target}<br>{score_title}: {score}<br>{status_title}: {status_words[status]}"
            for target, score, status in zip(target_names, score_row, status_row, strict=True)
        ]
        for name, score_row, status_row in zip(map(html_literal, shown.names), scores, statuses, strict=True)
    ]
    columns = [target_short(target, lang) for target in targets]
    fig = _grid(shown.names, columns, statuses, STATUS_ORDER, STATUS_COLOURS, text, hover, lang)
    for status in STATUS_ORDER:
        _legend_square(
            fig, _status_words(status, lang), STATUS_COLOURS[status], f"status-{STATUS_ORDER.index(status)}"
        )
    fig.update_layout(legend_title_text=t("Roadmap status"))
    return fig


@_in_reading_direction
def arrow_grid(matrix: pd.DataFrame, targets: Sequence[str], lang: str) -> go.Figure:
    """Organisations × targets, each cell the trend arrow, large, on its colour (`dashboard.arrow_matrix`).

    At most GRID_MAX_ROWS organisations: pass one page (`dashboard.page_of`).
    """
    t = translator(lang)
    rows = matrix.iloc[:GRID_MAX_ROWS]
    keys = rows[list(targets)].to_numpy().tolist()
    target_names = [target_name(target, lang) for target in targets]
    words = {arrow: f"{ARROW_SYMBOLS[arrow]} {arrow_label(arrow, lang)}" for arrow in ARROW_ORDER}
    trend_title = t("Trend")
    hover = [
        [
            f"<b>{html_literal(name)}</b><br>{target}<br>{trend_title}: {words[arrow]}"
            for target, arrow in zip(target_names, row, strict=True)
        ]
        for name, row in zip(rows["organisation_name"], keys, strict=True)
    ]
    text = [[ARROW_SYMBOLS[arrow] for arrow in row] for row in keys]
    columns = [target_short(target, lang) for target in targets]
    names = pd.Series(list(rows["organisation_name"]), index=list(rows["organisation_id"]))
    fig = _grid(names, columns, keys, ARROW_ORDER, ARROW_COLOURS, text, hover, lang, text_size=22)
    for arrow in ARROW_ORDER:
        if any(arrow in row for row in keys):
            _legend_square(fig, words[arrow], ARROW_COLOURS[arrow], f"arrow-{ARROW_ORDER.index(arrow)}")
    return fig


# ---------------------------------------------------------------- profile


@_in_reading_direction
def radar_chart(radar: pd.DataFrame, lang: str) -> go.Figure:
    """The six dimensions: latest and previous round against the expectation now and the 2053 vision."""
    t = translator(lang)
    styles = {
        VISION: ({"color": "#009E73", "dash": "dot", "width": 2}, None, t("Vision {year}")),
        EXPECTED_NOW: ({"color": "#E69F00", "dash": "dash", "width": 2.5}, None, t("Expected now ({year})")),
        PREVIOUS: ({"color": MUTED, "width": 2}, None, t("Previous round ({year})")),
        LATEST: ({"color": NEUTRAL, "width": 3}, "rgba(0,114,178,0.18)", t("Latest round ({year})")),
    }
    fig = go.Figure()
    for series, (line, fill, label) in styles.items():
        rows = radar[radar["series"] == series]
        if rows.empty:
            continue
        name = label.format(year=int(rows["year"].iloc[0]))
        theta = [_wrap(target_name(code, lang), 16) for code in rows["target"]]
        scores = [None if pd.isna(s) else float(s) for s in rows["score"]]
        fig.add_trace(
            go.Scatterpolar(
                r=[*scores, scores[0]],
                theta=[*theta, theta[0]],
                name=name,
                mode="lines+markers",
                line=line,
                fill="toself" if fill else "none",
                fillcolor=fill,
                marker={"size": 6},
                hovertemplate="%{theta}: %{r:.1f}<extra>" + name + "</extra>",
            )
        )
    spokes = max(int(radar["target"].nunique()), 1)
    fig.update_layout(
        polar={
            # The scale's numbers run along a line halfway between the first two spokes, where
            # no marker is ever drawn (every marker sits on a spoke).
            "radialaxis": {
                "range": [0, 100],
                "dtick": 20,
                "angle": 90 - 180 / spokes,
                "tickangle": 90 - 180 / spokes,
                "tickfont": {"size": 10, "color": "#555555"},
                "gridcolor": "#DDDDDD",
            },
            "angularaxis": {
                "tickfont": {"size": 12},
                "gridcolor": "#DDDDDD",
                "rotation": 90,
                "direction": "clockwise",
            },
            "bgcolor": "white",
        }
    )
    _base_layout(fig, lang, height=500, top=40, legend_gap=None)
    fig.update_layout(
        legend={"orientation": "h", "yanchor": "top", "y": -0.16, "xanchor": "center", "x": 0.5},
        margin={"l": 90, "r": 90, "b": 80},
    )
    return fig


@_in_reading_direction
def bullet_chart(
    bullets: pd.DataFrame, year: int, lang: str, framework: Framework | None = None
) -> go.Figure:
    """One bar per target (score, coloured and marked by status) against a tick at the roadmap's expectation.

    The grey bands are the levels of the scale, so a board member reads '62 = Established'.
    """
    framework = current_framework() if framework is None else framework
    t = translator(lang)
    rows = bullets.iloc[::-1]  # plotly draws the first category at the bottom
    labels = [f"{target_name(r, lang)}" for r in rows["target"]]
    statuses = list(rows["status"])
    scores = [None if pd.isna(s) else float(s) for s in rows["score"]]
    fig = go.Figure()
    for level in LEVELS[:-1]:
        fig.add_vrect(
            x0=level * 20,
            x1=(level + 1) * 20,
            layer="below",
            line_width=0,
            fillcolor="#F4F4F4" if level % 2 == 0 else "#E9E9E9",
        )
    fig.add_trace(
        go.Bar(
            x=[s or 0 for s in scores],
            y=labels,
            orientation="h",
            width=0.5,
            showlegend=False,
            marker={"color": [STATUS_COLOURS[s] for s in statuses], "line": {"color": "#555555", "width": 1}},
            text=[
                f"{STATUS_SYMBOLS[st]} {_score_text(s, lang)}" for s, st in zip(scores, statuses, strict=True)
            ],
            textposition="inside",
            insidetextanchor="start",
            constraintext="none",
            textfont={"size": 13, "color": [text_colour(STATUS_COLOURS[s]) for s in statuses]},
            customdata=[status_label(s, lang) for s in statuses],
            hovertemplate="<b>%{y}</b><br>"
            + t("Score")
            + ": %{x:.1f}<br>"
            + t("Status")
            + ": %{customdata}"
            + "<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=list(rows["expected"]),
            y=labels,
            mode="markers",
            name=t("Expected by the roadmap in {year}", year=year),
            marker={"symbol": "line-ns", "size": 26, "line": {"width": 4, "color": "#111111"}},
            hovertemplate="<b>%{y}</b><br>" + t("Expected") + ": %{x:.1f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=list(rows["vision"]),
            y=labels,
            mode="markers",
            name=t("Vision {year}", year=2053),
            marker={"symbol": "diamond-open", "size": 12, "color": "#009E73", "line": {"width": 2}},
            hovertemplate="<b>%{y}</b><br>" + t("Vision") + ": %{x:.0f}<extra></extra>",
        )
    )
    for status in STATUS_ORDER:
        if status in statuses:
            _legend_square(
                fig,
                _status_words(status, lang),
                STATUS_COLOURS[status],
                f"status-{STATUS_ORDER.index(status)}",
            )
    ticks = [lv * 20 for lv in LEVELS]
    fig.update_xaxes(
        range=[0, 101],
        tickvals=ticks,
        fixedrange=True,
        title=t("Score (0–100) and level"),
        tickangle=0,
        ticktext=[f"{lv * 20}<br>{framework.level_name(lv, lang)}" for lv in LEVELS],
        showgrid=False,
    )
    fig.update_yaxes(fixedrange=True, automargin=True)
    _base_layout(fig, lang, height=max(300, 50 * len(labels) + 150))
    fig.update_layout(margin={"r": 40})  # room for the last tick label, '100 Leading'
    return fig


def _value_positions(scores: list[float], expected: list[float], projecting: bool) -> list[str]:
    """Where each value label of a trend stands: on the side away from the roadmap path.

    The last point's label also leans away from the projection, which leaves it upwards to
    the right: above the path it moves left, below it moves right.
    """
    positions = ["top center" if s >= e else "bottom center" for s, e in zip(scores, expected, strict=True)]
    if projecting and positions:
        positions[-1] = "top left" if positions[-1] == "top center" else "bottom right"
    return positions


@_in_reading_direction
def trend_chart(
    history: pd.DataFrame,
    path: pd.DataFrame,
    target: str,
    lang: str,
    vision_year: int,
    projected_year: float | None = None,
) -> go.Figure:
    """One target over the years, against the roadmap path, with the projection at the current pace."""
    t = translator(lang)
    rows = history[history["target"] == target].dropna(subset=["score"]).sort_values("year")
    own_path = path[path["target"] == target].sort_values("year")
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=own_path["year"],
            y=own_path["expected"],
            mode="lines+markers",
            name=t("Roadmap target path"),
            line={"color": TARGET_COLOUR, "dash": "dash", "width": 2},
            marker={"symbol": "diamond", "size": 9, "color": TARGET_COLOUR},
            hovertemplate=t("Roadmap target") + " %{x}: %{y:.0f}<extra></extra>",
        )
    )
    projecting = projected_year is not None and not rows.empty and projected_year <= vision_year + 30
    if projecting:
        vision = float(own_path["expected"].iloc[-1])
        fig.add_trace(
            go.Scatter(
                x=[rows["year"].iloc[-1], projected_year],
                y=[rows["score"].iloc[-1], vision],
                mode="lines+markers",
                name=t("Projection at the current pace"),
                line={"color": NEUTRAL, "dash": "dot", "width": 2},
                marker={"symbol": ["circle-open", "star"], "size": [1, 14], "color": NEUTRAL},
                hoverinfo="skip",
            )
        )
    fig.add_trace(
        go.Scatter(
            x=rows["year"],
            y=rows["score"],
            mode="lines+markers+text",
            name=target_name(target, lang),
            line={"color": NEUTRAL, "width": 3},
            marker={"size": 10, "color": NEUTRAL},
            text=[_score_text(s, lang) for s in rows["score"]],
            # Each value stands on the side away from the roadmap path, clear of its markers.
            textposition=_value_positions(
                list(rows["score"]),
                list(np.interp(rows["year"], own_path["year"], own_path["expected"])),
                projecting,
            ),
            textfont={"size": 13, "color": NEUTRAL},
            cliponaxis=False,
            hovertemplate="%{x}: %{y:.1f}<extra></extra>",
        )
    )
    # The axis ends where the story ends: at the projected year (the star) when there is one,
    # else at the vision; the roadmap path simply runs on past the edge.
    right = (projected_year if projecting else vision_year) + 2
    left = min([*own_path["year"], *rows["year"]], default=2015) - 2
    fig.update_xaxes(title=t("Year"), range=[left, right], dtick=5, gridcolor="#EEEEEE")
    fig.update_yaxes(title=t("Score (0–100)"), range=[0, 104], dtick=20, gridcolor="#EEEEEE")
    return _base_layout(fig, lang, height=400)


# ---------------------------------------------------------------- benchmark


@_in_reading_direction
def distribution_chart(
    groups: PeerGroups,
    target: str,
    lang: str,
    highlight: str | None = None,
    expected: float | None = None,
    year: int | None = None,
    whole_round: RoundSummary | None = None,
    highlight_score: float | None = None,
    highlight_name: str | None = None,
) -> go.Figure:
    """A box with every organisation's point per organisation type, and the whole round anonymised.

    Only types with enough organisations are drawn (`dashboard.peer_distribution`). The whole
    round (`whole_round`, from the anonymised peer statistics) is a box of its quartiles
    without points or whiskers, so no single score shows; an organisation whose own type is
    too small to draw is starred on it (`highlight_score`, `highlight_name`).
    """
    t = translator(lang)
    fig = go.Figure()
    points = groups.points
    kinds = sorted(points["organisation_type"].unique(), key=lambda k: organisation_type_label(k, lang))
    crowded = len(points) > 200  # smaller, lighter dots keep a large portfolio legible
    round_label = _wrap(t("All organisations (anonymised)"), 16)
    if whole_round is not None:
        fig.add_trace(
            go.Box(
                x=[round_label],
                q1=[whole_round.p25],
                median=[whole_round.median],
                q3=[whole_round.p75],
                lowerfence=[whole_round.p25],
                upperfence=[whole_round.p75],
                name=round_label,
                boxpoints=False,
                line={"color": "#555555"},
                fillcolor="rgba(120,120,120,0.15)",
                showlegend=False,
                hovertemplate=t("Median {median}; middle half {low}–{high}; {count} organisations").format(
                    median=_score_text(whole_round.median, lang),
                    low=_score_text(whole_round.p25, lang),
                    high=_score_text(whole_round.p75, lang),
                    count=whole_round.organisations,
                )
                + "<extra></extra>",
            )
        )
    for kind in kinds:
        rows = points[points["organisation_type"] == kind]
        label = _wrap(html_literal(organisation_type_label(kind or None, lang)), 16)
        fig.add_trace(
            go.Box(
                y=rows["score"],
                x=[label] * len(rows),
                name=label,
                boxpoints="all",
                jitter=0.45,
                pointpos=0,
                marker={"color": NEUTRAL, "size": 4 if crowded else 6, "opacity": 0.35 if crowded else 0.65},
                line={"color": "#335577"},
                fillcolor="rgba(0,114,178,0.10)",
                showlegend=False,
                text=rows["organisation_name"].map(html_literal),
                hovertemplate="<b>%{text}</b><br>%{y:.1f}<extra></extra>",
            )
        )
    star: tuple[str, float, str] | None = None
    own = points[points["organisation_id"] == highlight] if highlight is not None else points.iloc[0:0]
    if not own.empty:
        kind_label = organisation_type_label(own["organisation_type"].iloc[0] or None, lang)
        star = (
            _wrap(html_literal(kind_label), 16),
            float(own["score"].iloc[0]),
            own["organisation_name"].iloc[0],
        )
    elif highlight_score is not None and whole_round is not None:
        star = (round_label, highlight_score, highlight_name or str(highlight))
    if star is not None:
        fig.add_trace(
            go.Scatter(
                x=[star[0]],
                y=[star[1]],
                mode="markers",
                name=html_literal(star[2]),
                marker={
                    "symbol": "star",
                    "size": 20,
                    "color": HIGHLIGHT,
                    "line": {"color": "#111111", "width": 1},
                },
                hovertemplate="<b>%{fullData.name}</b><br>%{y:.1f}<extra></extra>",
            )
        )
    if expected is not None:
        fig.add_hline(y=expected, line={"color": TARGET_COLOUR, "dash": "dash", "width": 1.5})
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                name=t("Expected by the roadmap in {year}", year=year),
                line={"color": TARGET_COLOUR, "dash": "dash"},
            )
        )
    fig.update_yaxes(
        title=t("{target} score (0–100)", target=target_name(target, lang)),
        range=[0, 104],
        dtick=20,
        gridcolor="#EEEEEE",
    )
    fig.update_xaxes(title=t("Organisation type"))
    return _base_layout(fig, lang, height=440)


@_in_reading_direction
def rank_interval_chart(ranks: pd.DataFrame, lang: str, highlight: str | None = None) -> go.Figure:
    """Each organisation's median rank and its 5–95 % rank interval when the dimension weights vary."""
    t = translator(lang)
    rows = ranks.iloc[::-1]
    colours = [HIGHLIGHT if org == highlight else NEUTRAL for org in rows["organisation_id"]]
    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=rows["median_rank"],
            y=rows["organisation_name"].map(html_literal),
            mode="markers",
            name=t("Median rank"),
            marker={"size": 11, "color": colours, "symbol": "circle"},
            error_x={
                "type": "data",
                "symmetric": False,
                "array": rows["rank_p95"] - rows["median_rank"],
                "arrayminus": rows["median_rank"] - rows["rank_p05"],
                "color": "#777777",
                "thickness": 2,
                "width": 5,
            },
            customdata=rows[["rank_p05", "rank_p95", "nominal_rank"]],
            hovertemplate="<b>%{y}</b><br>"
            + t("Median rank")
            + ": %{x:.1~f}<br>"
            + t("Rank interval (5–95 %)")
            + ": %{customdata[0]:.1~f}–%{customdata[1]:.1~f}<br>"
            + t("Rank with the framework's weights")
            + ": %{customdata[2]:.1~f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=rows["nominal_rank"],
            y=rows["organisation_name"].map(html_literal),
            mode="markers",
            name=t("Rank with the framework's weights"),
            marker={"size": 9, "symbol": "line-ns", "line": {"width": 2, "color": "#111111"}},
            hoverinfo="skip",
        )
    )
    total = int(ranks["organisations"].max()) if len(ranks) else 1
    fig.update_xaxes(
        title=t("Rank among {count} organisations (1 = highest index)", count=total),
        range=[0.5, total + 0.5],
        gridcolor="#EEEEEE",
        rangemode="tozero",
    )
    fig.update_yaxes(automargin=True)
    return _base_layout(fig, lang, height=max(260, 28 * len(rows) + 150))


@_in_reading_direction
def consistency_chart(consistency: pd.DataFrame, lang: str, threshold: float = 0.7) -> go.Figure:
    """Cronbach's alpha per dimension against the usual 0.7 threshold; dimensions without alpha are marked."""
    t = translator(lang)
    names = [f"{code} · {target_name(code, lang)}" for code in consistency["dimension"]][::-1]
    alphas = [None if pd.isna(a) else float(a) for a in consistency["alpha"]][::-1]
    fig = go.Figure(
        go.Bar(
            x=[a if a is not None else 0 for a in alphas],
            y=names,
            orientation="h",
            showlegend=False,
            marker={"color": [NEUTRAL if a is not None and a >= threshold else "#E69F00" for a in alphas]},
            text=[format_number(a, lang, 2) if a is not None else t("not enough data") for a in alphas],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{x:.2f}<extra></extra>",
        )
    )
    fig.add_vline(x=threshold, line={"color": TARGET_COLOUR, "dash": "dash"})
    fig.add_annotation(
        x=threshold,
        y=1,
        yref="paper",
        yanchor="bottom",
        showarrow=False,
        text=t("usual minimum {value}", value=format_number(threshold, lang, 1)),
    )
    fig.update_xaxes(title=t("Cronbach's alpha"), range=[0, 1.08], gridcolor="#EEEEEE")
    fig.update_yaxes(automargin=True)
    return _base_layout(fig, lang, height=330)


# ---------------------------------------------------------------- roadmap page


@_in_reading_direction
def milestone_share_chart(shares: pd.DataFrame, basis_labels: dict[str, str], lang: str) -> go.Figure:
    """Per target, the share of organisations that met the 2023 milestone, on each basis side by side."""
    t = translator(lang)
    fig = go.Figure()
    colours = ["#0072B2", "#56B4E9"]
    # Horizontal groups stack their first trace at the bottom: add the bases last-first so the
    # first basis is on top of each group, and list the legend in the same order.
    for position, (basis, label) in reversed(list(enumerate(basis_labels.items()))):
        rows = shares[shares["basis"] == basis].iloc[::-1]
        fig.add_trace(
            go.Bar(
                x=[s if s is not None and not pd.isna(s) else 0 for s in rows["share"]],
                y=[target_name(tg, lang) for tg in rows["target"]],
                orientation="h",
                name=label,
                marker={"color": colours[position % len(colours)]},
                text=[
                    t("{share} ({met} of {assessed})", share=format_percent(s, lang), met=m, assessed=a)
                    if a
                    else t("nobody assessed")
                    for s, m, a in zip(rows["share"], rows["met"], rows["assessed"], strict=True)
                ],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{x:.0%}<extra>" + label + "</extra>",
            )
        )
    fig.update_layout(barmode="group", bargap=0.25, legend_traceorder="reversed")
    fig.update_xaxes(
        title=t("Share of organisations at or above the 2023 target"),
        range=[0, 1.25],
        tickvals=[0, 0.2, 0.4, 0.6, 0.8, 1],
        tickformat=".0%",
        gridcolor="#EEEEEE",
    )
    fig.update_yaxes(automargin=True)
    return _base_layout(fig, lang, height=520)


@_in_reading_direction
def arrow_distribution_chart(counts: pd.DataFrame, targets: Sequence[str], lang: str) -> go.Figure:
    """For each target, how many organisations have each trend arrow (stacked bars)."""
    t = translator(lang)
    fig = go.Figure()
    names = [target_name(tg, lang) for tg in targets][::-1]
    for arrow in ARROW_ORDER:
        rows = counts[counts["arrow"] == arrow].set_index("target")["organisations"]
        values = [int(rows.get(tg, 0)) for tg in targets][::-1]
        if not any(values):
            continue
        label = f"{ARROW_SYMBOLS[arrow]} {arrow_label(arrow, lang)}"
        fig.add_trace(
            go.Bar(
                x=values,
                y=names,
                orientation="h",
                name=label,
                marker={"color": ARROW_COLOURS[arrow], "line": {"color": "white", "width": 1}},
                text=[f"{ARROW_SYMBOLS[arrow]} {v}" if v else "" for v in values],
                textposition="inside",
                insidetextanchor="middle",
                textfont={"color": text_colour(ARROW_COLOURS[arrow]), "size": 14},
                hovertemplate="%{y}<br>" + label + ": %{x}<extra></extra>",
            )
        )
    fig.update_layout(barmode="stack", legend_traceorder="normal")
    fig.update_xaxes(title=t("Organisations"), gridcolor="#EEEEEE")
    fig.update_yaxes(automargin=True)
    return _base_layout(fig, lang, height=400)
