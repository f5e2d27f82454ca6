"""The dashboard figures, built without Streamlit: right data, readable without colour, translated."""

from __future__ import annotations

import json

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


def test_heatmap_cells_carry_symbol_score_and_status_colour() -> None:
    heatmap = heatmap_of(
        [[ON_TRACK, SLIGHTLY_BEHIND], [BEHIND, OFF_TRACK], [NO_DATA, ON_TRACK]],
        [[72.5, 55.0], [41.0, 12.25], [None, 80.0]],
    )
    fig = charts.status_heatmap(heatmap, "en")
    cells = fig.data[0]
    assert list(cells.text[0]) == ["✓ 72.5", "! 55.0"]
    assert list(cells.text[1]) == ["!! 41.0", "✕ 12.2"]
    assert list(cells.text[2]) == ["–", "✓ 80.0"]
    # Each cell's value falls in its status's band of the discrete colour scale.
    bands = len(STATUS_ORDER)
    scale = dict((round(stop, 6), colour) for stop, colour in cells.colorscale)
    for row, statuses in zip(cells.z, heatmap.statuses.to_numpy(), strict=True):
        for value, status in zip(row, statuses, strict=True):
            assert scale[round(int(value) / bands, 6)] == charts.STATUS_COLOURS[status]
    legend = trace_names(fig)
    assert legend == [f"{STATUS_SYMBOLS[s]} {status_label(s, 'en')}" for s in STATUS_ORDER]
    assert list(cells.y) == list(heatmap.names)
    assert "Organisation 1" in cells.hovertext[1][1] and "off track" in cells.hovertext[1][1]
    assert_serialisable(fig)


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
    assert list(fig.data[0].text[0]) == ["✓ 62,5"]
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
    assert english.layout.xaxis.autorange is None and arabic.layout.xaxis.autorange == "reversed"
    assert arabic.layout.yaxis.side == "right" and arabic.layout.yaxis.autorange == "reversed"
    assert english.layout.legend.x > 1 > 0 > arabic.layout.legend.x
    assert list(arabic.data[0].z[0]) == list(english.data[0].z[0])  # the same cells, only placed mirrored

    series = pd.DataFrame(
        {"target": [INDEX, INDEX], "year": [2019, 2023], "mean": [35.0, 50.0], "organisations": [9, 9]}
    )
    timeline = charts.roadmap_chart(series, dashboard.roadmap_path(ROADMAP), 2026, "ar")
    assert timeline.layout.xaxis.autorange is None  # years still run left to right
    assert timeline.layout.yaxis.side == "right"
    assert timeline.layout.legend.xanchor == "right" and timeline.layout.legend.x == 1
    assert_serialisable(timeline)
