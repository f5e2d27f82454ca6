"""The dashboard figures, built without Streamlit: right data, readable without colour, translated."""

from __future__ import annotations

import itertools
import json
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity import charts, dashboard
from capacity.framework import current_framework
from capacity.labels import (
    ARROW_SYMBOLS,
    NO_DATA,
    STATUS_LABELS,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    status_label,
)
from capacity.roadmap import INDEX, TARGETS, current_roadmap
from capacity.scoring import score_assessment, trends_for
from capacity.scoring.results import BEHIND, OFF_TRACK, ON_TRACK, SLIGHTLY_BEHIND, Consistency, RankInterval
from tests.dashboard_data import uniform_submission

FRAMEWORK = current_framework()
ROADMAP = current_roadmap()
DIMENSIONS = [dim.code for dim in FRAMEWORK.dimensions]


def trace_names(fig) -> list[str]:
    return [trace.name for trace in fig.data if trace.name]


def assert_serialisable(fig) -> None:
    json.loads(fig.to_json())


def heatmap_of(statuses: list[list[str]], scores: list[list[float | None]]) -> dashboard.Heatmap:
    ids = [f"ORG-{n}" for n in range(len(statuses))]
    targets = list(TARGETS)[: len(statuses[0])]
    return dashboard.Heatmap(
        names=pd.Series([f"Organisation {n}" for n in range(len(ids))], index=ids),
        scores=pd.DataFrame(scores, index=ids, columns=targets, dtype="float64"),
        statuses=pd.DataFrame(statuses, index=ids, columns=targets),
    )


def test_every_status_has_its_own_colour_and_symbol() -> None:
    colours = [charts.STATUS_COLOURS[s] for s in STATUS_ORDER]
    symbols = [STATUS_SYMBOLS[s] for s in STATUS_ORDER]
    assert len(set(colours)) == len(colours) == len(STATUS_ORDER)
    assert len(set(symbols)) == len(symbols)
    assert len(set(ARROW_SYMBOLS.values())) == len(ARROW_SYMBOLS)
    assert set(STATUS_LABELS) == set(STATUS_ORDER)


def cell_texts(fig) -> list[list[str]]:
    """The labels of a grid's cells, row by row (the text layer drawn over the heatmap)."""
    columns = len(fig.data[0].x)
    texts = list(fig.data[1].text)
    return [texts[start : start + columns] for start in range(0, len(texts), columns)]


def test_heatmap_cells_carry_symbol_score_and_status_colour() -> None:
    heatmap = heatmap_of(
        [[ON_TRACK, SLIGHTLY_BEHIND], [BEHIND, OFF_TRACK], [NO_DATA, ON_TRACK]],
        [[72.5, 55.0], [41.0, 12.25], [None, 80.0]],
    )
    fig = charts.status_heatmap(heatmap, "en")
    cells = fig.data[0]
    assert cell_texts(fig) == [["✓ 72.5", "! 55.0"], ["!! 41.0", "✕ 12.2"], ["–", "✓ 80.0"]]
    # Each cell's value falls in its status's band of the discrete colour scale.
    bands = len(STATUS_ORDER)
    scale = dict((round(stop, 6), colour) for stop, colour in cells.colorscale)
    for row, statuses in zip(cells.z, heatmap.statuses.to_numpy(), strict=True):
        for value, status in zip(row, statuses, strict=True):
            assert scale[round(int(value) / bands, 6)] == charts.STATUS_COLOURS[status]
    # Each label is written in the colour that reads on its cell: white on "off track".
    colours = list(fig.data[1].textfont.color)
    assert colours[3] == charts.LIGHT_TEXT and colours[0] == charts.DARK_TEXT
    legend = trace_names(fig)
    assert legend == [f"{STATUS_SYMBOLS[s]} {status_label(s, 'en')}" for s in STATUS_ORDER]
    assert list(cells.y) == list(heatmap.names)
    assert "Organisation 1" in cells.hovertext[1][1] and "off track" in cells.hovertext[1][1]
    assert_serialisable(fig)


def test_every_cell_label_meets_contrast_aa_on_its_colour() -> None:
    for colour in [*charts.STATUS_COLOURS.values(), *charts.ARROW_COLOURS.values()]:
        assert charts.contrast_ratio(charts.text_colour(colour), colour) >= 4.5, colour


# Machado, Oliveira & Fernandes (2009), "A physiologically-based model for simulation of
# color vision deficiency", severity 1.0, applied to linear RGB.
CVD_MATRICES = {
    "normal": ((1, 0, 0), (0, 1, 0), (0, 0, 1)),
    "protanopia": (
        (0.152286, 1.052583, -0.204868),
        (0.114503, 0.786281, 0.099216),
        (-0.003882, -0.048116, 1.051998),
    ),
    "deuteranopia": (
        (0.367322, 0.860646, -0.227968),
        (0.280085, 0.672501, 0.047413),
        (-0.011820, 0.042940, 0.968881),
    ),
}


def simulated_lab(colour: str, deficiency: str) -> tuple[float, float, float]:
    """CIELAB (D65) of a '#RRGGBB' colour as seen with a colour-vision deficiency."""
    srgb = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in srgb]
    seen = [
        min(max(sum(m * c for m, c in zip(row, linear, strict=True)), 0.0), 1.0)
        for row in CVD_MATRICES[deficiency]
    ]
    xyz = [
        (0.4124 * seen[0] + 0.3576 * seen[1] + 0.1805 * seen[2]) / 0.95047,
        0.2126 * seen[0] + 0.7152 * seen[1] + 0.0722 * seen[2],
        (0.0193 * seen[0] + 0.1192 * seen[1] + 0.9505 * seen[2]) / 1.08883,
    ]
    f = [v ** (1 / 3) if v > 0.008856 else 7.787 * v + 16 / 116 for v in xyz]
    return 116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])


@pytest.mark.parametrize("deficiency", list(CVD_MATRICES))
def test_behind_and_off_track_differ_in_lightness_also_for_red_green_colour_blindness(deficiency) -> None:
    behind = simulated_lab(charts.STATUS_COLOURS[BEHIND], deficiency)
    off_track = simulated_lab(charts.STATUS_COLOURS[OFF_TRACK], deficiency)
    assert behind[0] - off_track[0] >= 20  # CIELAB lightness L*: off track is clearly darker
    # and every pair of statuses stays apart as a whole (ΔE*ab, CIE76)
    for first, second in itertools.combinations(STATUS_ORDER, 2):
        a, b = (
            simulated_lab(charts.STATUS_COLOURS[first], deficiency),
            simulated_lab(charts.STATUS_COLOURS[second], deficiency),
        )
        assert math.dist(a, b) >= 15, (first, second)


def test_the_simulation_sees_the_old_vermillion_close_to_orange() -> None:
    """The check above can fail: Okabe–Ito orange and vermillion differ by under 20 L* for deuteranopia."""
    behind, vermillion = simulated_lab("#E69F00", "deuteranopia"), simulated_lab("#D55E00", "deuteranopia")
    assert behind[0] - vermillion[0] < 20


def test_heatmap_keeps_organisations_with_the_same_name_apart() -> None:
    heatmap = heatmap_of([[ON_TRACK], [ON_TRACK]], [[70.0], [71.0]])
    heatmap = dashboard.Heatmap(
        pd.Series(["Twin Society", "Twin Society"], index=heatmap.names.index),
        heatmap.scores,
        heatmap.statuses,
    )
    fig = charts.status_heatmap(heatmap, "en")
    assert len(set(fig.data[0].y)) == 2


def test_heatmap_in_turkish_uses_the_decimal_comma() -> None:
    fig = charts.status_heatmap(heatmap_of([[ON_TRACK]], [[62.5]]), "tr")
    assert cell_texts(fig) == [["✓ 62,5"]]
    assert fig.layout.separators == ",."


def test_roadmap_chart_draws_the_means_against_the_target_path() -> None:
    series = pd.DataFrame(
        {
            "target": [INDEX, INDEX, "IC", "IC"],
            "year": [2019, 2023, 2019, 2023],
            "mean": [35.0, 50.0, 30.0, 52.0],
            "organisations": [10, 12, 10, 12],
        }
    )
    fig = charts.roadmap_chart(series, dashboard.roadmap_path(ROADMAP), 2026, "en")
    target = next(trace for trace in fig.data if trace.name == "Roadmap target path")
    assert list(target.x) == [2015, 2023, 2053] and list(target.y) == [20, 60, 90]
    index = next(trace for trace in fig.data if trace.name and trace.name.startswith("Index"))
    assert list(index.y) == [35.0, 50.0]
    assert index.line.width > next(t for t in fig.data if t.name == "Institutional Capacity").line.width
    assert fig.layout.xaxis.title.text == "Year"
    assert fig.layout.yaxis.title.text == "Score (0–100)"
    assert_serialisable(fig)


def test_roadmap_chart_draws_a_dimensions_own_path_only_when_it_differs() -> None:
    path = dashboard.roadmap_path(ROADMAP)
    path.loc[(path["target"] == "IC") & (path["year"] == 2053), "expected"] = 80
    series = pd.DataFrame(
        {
            "target": [INDEX, "IC", "IL"],
            "year": [2023] * 3,
            "mean": [50.0, 50.0, 50.0],
            "organisations": [3] * 3,
        }
    )
    fig = charts.roadmap_chart(series, path, 2026, "en")
    own_paths = [trace for trace in fig.data if trace.line.dash == "dot" and trace.showlegend is False]
    assert len(own_paths) == 1 and list(own_paths[0].y) == [20, 60, 80]


def test_radar_and_bullet_and_trend_charts_of_one_organisation() -> None:
    results = [score_assessment([uniform_submission("NS-04", year)]) for year in (2019, 2023, 2026)]
    radar = charts.radar_chart(dashboard.radar_series(results, ROADMAP, 2026, DIMENSIONS), "en")
    assert trace_names(radar) == [
        "Vision 2053",
        "Expected now (2026)",
        "Previous round (2023)",
        "Latest round (2026)",
    ]
    for trace in radar.data:
        assert trace.r[0] == trace.r[-1]  # closed polygon
        assert len(trace.r) == len(DIMENSIONS) + 1
    latest = radar.data[-1]
    assert list(latest.r[:-1]) == [results[-1].dimensions[d].score for d in DIMENSIONS]

    bullets = dashboard.bullet_rows(results[-1], ROADMAP, list(TARGETS))
    bullet = charts.bullet_chart(bullets, 2026, "en")
    bars = bullet.data[0]
    assert list(bars.x) == list(bullets["score"])[::-1]
    assert list(bars.marker.color) == [charts.STATUS_COLOURS[s] for s in bullets["status"]][::-1]
    assert all(text.split()[0] in STATUS_SYMBOLS.values() for text in bars.text)
    ticks = bullet.data[1]
    assert list(ticks.x) == list(bullets["expected"])[::-1]
    assert "Expected by the roadmap in 2026" in trace_names(bullet)

    trends = dashboard.trend_rows(trends_for(results, ROADMAP), list(TARGETS)).set_index("target")
    history = dashboard.history_series(results, list(TARGETS))
    projected = trends.loc[INDEX, "projected_year"]
    trend = charts.trend_chart(history, dashboard.roadmap_path(ROADMAP), INDEX, "en", 2053, projected)
    projection = next(t for t in trend.data if t.name == "Projection at the current pace")
    assert projection.x[-1] == pytest.approx(projected) and projection.y[-1] == 90
    no_projection = charts.trend_chart(history, dashboard.roadmap_path(ROADMAP), INDEX, "en", 2053, None)
    assert "Projection at the current pace" not in trace_names(no_projection)
    for fig in (radar, bullet, trend):
        assert_serialisable(fig)


def test_distribution_chart_has_one_box_per_shown_group_and_marks_the_highlight() -> None:
    points = pd.DataFrame(
        {
            "organisation_id": [f"O{n}" for n in range(10)],
            "organisation_name": [f"Org {n}" for n in range(10)],
            "organisation_type": ["ngo"] * 5 + ["foundation"] * 5,
            "score": [float(10 * n) for n in range(10)],
        }
    )
    groups = dashboard.PeerGroups(
        points=points,
        groups=pd.DataFrame(
            {"organisation_type": ["foundation", "ngo"], "organisations": [5, 5], "shown": [True, True]}
        ),
    )
    fig = charts.distribution_chart(groups, INDEX, "en", highlight="O7", expected=63.0, year=2026)
    boxes = [trace for trace in fig.data if trace.type == "box"]
    assert sorted(trace.name for trace in boxes) == ["Foundation", "NGO"]
    assert sum(len(trace.y) for trace in boxes) == 10
    star = next(trace for trace in fig.data if trace.name == "Org 7")
    assert list(star.y) == [70.0] and star.marker.symbol == "star"
    assert fig.layout.yaxis.title.text == "Index score (0–100)"
    assert_serialisable(fig)


def test_rank_interval_chart_spans_the_5_to_95_percent_ranks() -> None:
    intervals = [
        RankInterval("A", 1.5, 1.0, 3.0, 1),
        RankInterval("B", 2.0, 1.0, 4.0, 2),
        RankInterval("C", 3.5, 2.0, 4.0, 3),
    ]
    rows = pd.DataFrame(
        {
            "organisation_id": ["A", "B", "C"],
            "organisation_name": ["Ash", "Birch", "Cedar"],
            "organisation_type": ["ngo"] * 3,
            "year": [2026] * 3,
            "index_score": [80.0, 70.0, 60.0],
        }
    )
    ranks = dashboard.rank_table(intervals, rows)
    fig = charts.rank_interval_chart(ranks, "en", highlight="B")
    medians = fig.data[0]
    assert list(medians.y) == ["Cedar", "Birch", "Ash"]
    assert list(medians.error_x.array) == [0.5, 2.0, 1.5]
    assert list(medians.error_x.arrayminus) == [1.5, 1.0, 0.5]
    assert medians.marker.color[1] == charts.HIGHLIGHT
    assert "3 organisations" in fig.layout.xaxis.title.text


def test_consistency_chart_says_when_alpha_is_missing() -> None:
    table = dashboard.consistency_table([Consistency("IC", 0.82, 20, 6), Consistency("IL", None, 2, 6)])
    fig = charts.consistency_chart(table, "en")
    assert list(fig.data[0].text) == ["not enough data", "0.82"]


def test_milestone_share_chart_lists_the_first_basis_first() -> None:
    shares = pd.DataFrame(
        {
            "basis": ["milestone_round", "latest"],
            "target": [INDEX, INDEX],
            "assessed": [4, 0],
            "met": [3, 0],
            "share": [0.75, None],
        }
    )
    fig = charts.milestone_share_chart(shares, {"milestone_round": "In 2023", "latest": "Latest"}, "en")
    assert [trace.name for trace in fig.data] == ["Latest", "In 2023"]  # drawn last-first, listed reversed
    assert fig.layout.legend.traceorder == "reversed"
    in_2023 = next(trace for trace in fig.data if trace.name == "In 2023")
    assert list(in_2023.text) == ["75% (3 of 4)"]
    assert list(next(t for t in fig.data if t.name == "Latest").text) == ["nobody assessed"]


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(TARGETS)), st.sampled_from(list(ARROW_SYMBOLS))),
        min_size=1,
        max_size=60,
    )
)
def test_arrow_distribution_stacks_add_up_to_the_organisations(pairs) -> None:
    arrows = pd.DataFrame(
        {
            "organisation_id": [f"O{n}" for n in range(len(pairs))],
            "target": [p[0] for p in pairs],
            "arrow": [p[1] for p in pairs],
        }
    )
    counts = dashboard.arrow_counts(arrows)
    fig = charts.arrow_distribution_chart(counts, list(TARGETS), "en")
    names = [target for target in TARGETS][::-1]
    totals = dict.fromkeys(names, 0)
    for trace in fig.data:
        for target, value in zip(names, trace.x, strict=True):
            totals[target] += value
    expected = arrows.groupby("target").size()
    for position, target in enumerate(names):
        assert totals[target] == expected.get(target, 0), position
    for trace in fig.data:
        assert trace.name.split()[0] in ARROW_SYMBOLS.values()


def test_arabic_charts_are_mirrored_but_numbers_never_run_backwards() -> None:
    """Categories start on the right, labels and legends swap sides; years and scores keep their direction."""
    heatmap = heatmap_of([[ON_TRACK, BEHIND]], [[62.5, 40.0]])
    english, arabic = charts.status_heatmap(heatmap, "en"), charts.status_heatmap(heatmap, "ar")
    assert list(english.layout.xaxis.range) == [-0.5, 1.5] and list(arabic.layout.xaxis.range) == [1.5, -0.5]
    assert arabic.layout.yaxis.side == "right" and list(arabic.layout.yaxis.range) == [0.5, -0.5]  # top down
    assert (english.layout.legend.x, english.layout.legend.xanchor) == (0, "left")
    assert (arabic.layout.legend.x, arabic.layout.legend.xanchor) == (1, "right")
    assert list(arabic.data[0].z[0]) == list(english.data[0].z[0])  # the same cells, only placed mirrored

    series = pd.DataFrame(
        {"target": [INDEX, INDEX], "year": [2019, 2023], "mean": [35.0, 50.0], "organisations": [9, 9]}
    )
    timeline = charts.roadmap_chart(series, dashboard.roadmap_path(ROADMAP), 2026, "ar")
    assert timeline.layout.xaxis.autorange is None  # years still run left to right
    assert timeline.layout.xaxis2.domain[0] > timeline.layout.xaxis.domain[1]  # 2053 still at the end
    assert timeline.layout.yaxis.side == "right" and timeline.layout.yaxis.position == 1  # the figure's edge
    assert timeline.layout.legend.xanchor == "right" and timeline.layout.legend.x == 1
    assert_serialisable(timeline)


# ---------------------------------------------------------------- board-grade clarity


def index_series(years: list[int], means: list[float]) -> pd.DataFrame:
    rows = [(INDEX, y, m) for y, m in zip(years, means, strict=True)]
    rows += [("IC", y, m + 2) for y, m in zip(years, means, strict=True)]
    return pd.DataFrame(
        {
            "target": [r[0] for r in rows],
            "year": [r[1] for r in rows],
            "mean": [r[2] for r in rows],
            "organisations": [12] * len(rows),
        }
    )


def test_road_to_2053_spans_the_years_with_data_and_puts_the_vision_in_an_inset() -> None:
    fig = charts.roadmap_chart(
        index_series([2019, 2023, 2026], [40.0, 50.0, 52.0]), dashboard.roadmap_path(ROADMAP), 2026, "en"
    )
    low, high = fig.layout.xaxis.range
    assert low < 2015 < 2026 < high < 2030  # from the baseline milestone to just past today, not to 2053
    inset = fig.layout.xaxis2
    assert list(inset.tickvals) == [2053] and inset.domain[0] > fig.layout.xaxis.domain[1]
    vision = [trace for trace in fig.data if trace.xaxis == "x2"]
    assert vision and vision[0].y[-1] == 90 and vision[0].text[-1] == "90"
    assert any(a.text == "Vision 2053" for a in fig.layout.annotations)
    # The index first; each dimension listed in the legend, drawn when clicked.
    index = next(trace for trace in fig.data if trace.name == "Index (portfolio mean)")
    dimension = next(trace for trace in fig.data if trace.name == "Institutional Capacity")
    assert index.visible is True and dimension.visible == "legendonly"
    assert_serialisable(fig)


@given(
    st.lists(st.integers(2010, 2052), min_size=1, max_size=8),
    st.integers(2015, 2052),
)
def test_the_timeline_holds_every_data_year_and_today_and_never_passes_the_vision(years, today) -> None:
    window = dashboard.timeline_window(years, [2015, 2023, 2053], today)
    assert window.start <= min(years) and window.end >= max(*years, today)
    assert window.end <= 2053
    assert window.inset == (window.end < 2053)


def heatmap_of_size(count: int) -> dashboard.Heatmap:
    ids = [f"ORG-{n:05d}" for n in range(count)]
    names = [f"Humanitarian Diplomacy Society number {n} of the Federated Republic" for n in range(count)]
    return dashboard.Heatmap(
        names=pd.Series(names, index=ids),
        scores=pd.DataFrame(50.0, index=ids, columns=list(TARGETS)),
        statuses=pd.DataFrame(BEHIND, index=ids, columns=list(TARGETS)),
    )


@pytest.mark.parametrize("count", [2, 2000, 20000])
def test_heatmap_rows_keep_one_height_and_the_figure_stays_bounded(count) -> None:
    heatmap = heatmap_of_size(count)
    page = heatmap.page(1, dashboard.GRID_PAGE_SIZE)
    fig = charts.status_heatmap(page, "en")
    rows = min(count, dashboard.GRID_PAGE_SIZE)
    assert len(fig.data[0].y) == rows
    per_row = (fig.layout.height - charts.GRID_HEADER - charts.GRID_FOOTER) / rows
    assert 30 <= per_row <= 70  # the same readable row, with 2 or 2,000 organisations
    assert fig.layout.height <= charts.GRID_HEADER + charts.GRID_FOOTER + 70 * dashboard.GRID_PAGE_SIZE
    # Even given every row at once, the chart draws at most GRID_MAX_ROWS.
    assert len(charts.status_heatmap(heatmap, "en").data[0].y) == min(count, charts.GRID_MAX_ROWS)


def test_heatmap_writes_organisation_names_in_full_over_lines() -> None:
    name = "Institute for Humanitarian Negotiation Studies, University of Valdoria"
    heatmap = dashboard.Heatmap(
        names=pd.Series([name], index=["X"]),
        scores=pd.DataFrame([[50.0]], index=["X"], columns=[INDEX]),
        statuses=pd.DataFrame([[BEHIND]], index=["X"], columns=[INDEX]),
    )
    fig = charts.status_heatmap(heatmap, "en")
    label = fig.data[0].y[0]
    assert "<br>" in label and label.replace("<br>", " ") == name
    assert name in fig.data[0].hovertext[0][0]


def test_arrow_grid_shows_every_organisation_with_large_arrows() -> None:
    arrows = pd.DataFrame(
        {
            "organisation_id": ["A", "A", "B", "B"],
            "organisation_name": ["Ash Relief", "Ash Relief", "Birch Aid", "Birch Aid"],
            "target": [INDEX, "IC", INDEX, "IC"],
            "arrow": ["decreasing", "on track", "stagnating", "no trend"],
        }
    )
    matrix = dashboard.arrow_matrix(arrows, [INDEX, "IC"])
    fig = charts.arrow_grid(matrix, [INDEX, "IC"], "en")
    assert list(fig.data[0].y) == ["Ash Relief", "Birch Aid"]
    assert list(fig.data[1].text) == ["↓", "↑", "→", "·"]
    assert fig.data[1].textfont.size >= 20
    assert fig.data[1].textfont.color[0] == charts.LIGHT_TEXT  # white on the dark "decreasing"
    assert "stagnating" in fig.data[0].hovertext[1][0]
    assert_serialisable(fig)


def test_radar_scale_numbers_stand_between_two_spokes() -> None:
    results = [score_assessment([uniform_submission("NS-04", 2026)])]
    radar = charts.radar_chart(dashboard.radar_series(results, ROADMAP, 2026, DIMENSIONS), "en")
    polar = radar.layout.polar
    assert polar.angularaxis.rotation == 90 and polar.angularaxis.direction == "clockwise"
    spoke = 360 / len(DIMENSIONS)
    # spokes at 90°, 90° − 60°, …: the scale's line is halfway between the first two
    assert polar.radialaxis.angle == pytest.approx(90 - spoke / 2)


@given(st.lists(st.tuples(st.floats(0, 100), st.floats(0, 100)), min_size=1, max_size=6), st.booleans())
def test_trend_values_stand_on_the_side_away_from_the_roadmap_path(pairs, projecting) -> None:
    scores, expected = [p[0] for p in pairs], [p[1] for p in pairs]
    positions = charts._value_positions(scores, expected, projecting)
    for score, path, position in zip(scores, expected, positions, strict=True):
        assert position.startswith("top" if score >= path else "bottom")


def test_a_small_type_is_starred_on_the_anonymised_whole_round() -> None:
    groups = dashboard.PeerGroups(
        points=pd.DataFrame(columns=["organisation_id", "organisation_name", "organisation_type", "score"]),
        groups=pd.DataFrame({"organisation_type": ["ngo"], "organisations": [3], "shown": [False]}),
    )
    whole = dashboard.RoundSummary(organisations=9, p25=40.0, median=45.0, p75=60.0)
    fig = charts.distribution_chart(
        groups,
        INDEX,
        "en",
        "NGO-02",
        63.0,
        2023,
        whole_round=whole,
        highlight_score=40.0,
        highlight_name="Oak",
    )
    [box] = [trace for trace in fig.data if trace.type == "box"]
    assert box.boxpoints is False and box.y is None  # quartiles only: no single score shows
    assert (box.q1[0], box.median[0], box.q3[0]) == (40.0, 45.0, 60.0)
    assert (box.lowerfence[0], box.upperfence[0]) == (40.0, 60.0)  # no whisker reaches a minimum or maximum
    star = next(trace for trace in fig.data if trace.name == "Oak")
    assert list(star.x) == [box.name] and list(star.y) == [40.0]


def test_text_alternatives_give_the_key_numbers_in_every_language() -> None:
    from capacity import chart_text

    series = index_series([2019, 2026], [40.0, 52.5])
    english = chart_text.roadmap_summary(series, ROADMAP, "en")
    assert "52.5" in english and "12 organisations" in english and "2053" in english
    assert "10.5 points below the roadmap" in english  # 63.0 expected in 2026: positive gap = behind
    assert "52,5" in chart_text.roadmap_summary(series, ROADMAP, "tr")
    heatmap = heatmap_of([[ON_TRACK], [BEHIND], [BEHIND]], [[70.0], [40.0], [41.0]])
    assert chart_text.heatmap_summary(heatmap, "en") == (
        "Index of 3 organisations against the roadmap: 1 on track, 2 behind."
    )
    assert "geride" in chart_text.heatmap_summary(heatmap, "tr")
    table = dashboard.consistency_table([Consistency("IC", 0.82, 20, 6), Consistency("IL", 0.5, 20, 6)])
    sentence = chart_text.consistency_sentence(table, "en")
    assert "In 1 of 2 dimensions" in sentence and "International Law" in sentence
    assert "0,82" in chart_text.consistency_summary(table, "tr")
