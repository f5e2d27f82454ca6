"""The organisation profile's words (capacity.profile): tiles, peer groups, priorities and headers."""

from __future__ import annotations

import dataclasses

import pandas as pd

from capacity import dashboard, profile
from capacity.framework import current_framework
from capacity.i18n import format_number, translator
from capacity.labels import arrow_help, known_regions, status_help
from capacity.roadmap import INDEX, TARGETS, current_roadmap
from capacity.scoring import score_assessment, trends_for
from capacity.store.portfolio_queries import PEER_GROUP_ALL, PEER_GROUP_TYPE
from tests.dashboard_data import uniform_submission

FRAMEWORK = current_framework()
ROADMAP = current_roadmap()


def results_of(organisation_id: str, *years: int) -> list:
    """The engine's results of the small portfolio's organisation in `years`, oldest first."""
    return [score_assessment([uniform_submission(organisation_id, year)]) for year in years]


def without_index(result):
    """`result` as if too few indicators had been answered for an index."""
    return dataclasses.replace(result, index=dataclasses.replace(result.index, score=None))


def test_the_index_change_is_against_the_assessment_before_and_needs_both_indexes() -> None:
    before, after = results_of("NS-01", 2019, 2023)  # every level 2, then 3: index 40, then 60
    assert profile.index_change(after, before, "en") == "+20.0"
    assert profile.index_change(before, after, "tr") == "-20,0"
    assert profile.index_change(after, None, "en") is None
    assert profile.index_change(after, without_index(before), "en") is None
    assert profile.index_change(without_index(after), before, "en") is None
    same = results_of("NS-04", 2023, 2026)  # level 2 in both rounds
    assert profile.index_change(same[1], same[0], "en") == "±0.0"


def test_the_tiles_show_the_latest_assessment_and_name_the_year_compared_with() -> None:
    results = results_of("NS-01", 2019, 2023)
    trends = dashboard.trend_rows(trends_for(results, ROADMAP), list(TARGETS))
    index, status, trend, projection = profile.tiles(results, trends, "tr")
    assert (index.label, index.value, index.delta) == ("Kapasite endeksi, 2023", "60,0", "+20,0")
    assert "2019" in index.help
    latest = results[-1].index.roadmap
    expected = format_number(latest.expected, "tr", 1)
    expects = translator("tr")("The roadmap expects {expected} in {year}.", expected=expected, year=2023)
    assert status.help == status_help(latest.status, "tr") + " " + expects
    arrow = trends.set_index("target").loc[INDEX, "arrow"]
    assert trend.help.endswith(" " + arrow_help(arrow, "tr"))
    assert projection.delta is None and projection.help
    only = profile.tiles(results[:1], dashboard.trend_rows([], list(TARGETS)), "en")
    assert only[0].delta is None
    assert only[0].help.endswith("the change since –.")
    assert only[3].value == "not at this pace"


def test_a_projection_left_empty_by_the_engine_is_none() -> None:
    trends = pd.DataFrame({"target": [INDEX, "IC", "IL"], "projected_year": [2041.4, float("nan"), None]})
    assert profile.projected_year(trends, INDEX) == 2041.4
    assert profile.projected_year(trends, "IC") is None
    assert profile.projected_year(trends, "IL") is None


def peer_rows(group: str, median: float | None) -> pd.DataFrame:
    return pd.DataFrame(
        {"group": group, "target": list(TARGETS), "median": median, "p25": median, "p75": median, "n": 7}
    )


def test_a_peer_group_without_figures_has_no_table_and_the_type_is_shown_as_text() -> None:
    peers = pd.concat([peer_rows(PEER_GROUP_ALL, 50.0), peer_rows(PEER_GROUP_TYPE, float("nan"))])
    every, same = profile.peer_groups(peers, {INDEX: 61.0}, "*Bold* [link](x)", 2023, "en")
    assert every.heading == "**Every organisation assessed in 2023**"
    assert list(every.table["own"]) == ["61.0"] + ["–"] * (len(TARGETS) - 1)
    assert list(every.table["median"]) == ["50.0"] * len(TARGETS)
    assert same.table is None
    assert same.heading == r"**Same type: \*Bold\* \[link\]\(x\)**"
    only_all = profile.peer_groups(peer_rows(PEER_GROUP_ALL, 50.0), {}, "NGO", 2023, "en")
    assert only_all[1].table is None  # no same-type rows at all


def test_priorities_are_ranked_from_one_with_figures_in_the_readers_format() -> None:
    result = results_of("NS-04", 2026)[0]  # every indicator at level 2, behind the roadmap
    gaps = dashboard.top_gaps(result, FRAMEWORK, ROADMAP, "tr")
    listed = profile.priorities(gaps, "tr")
    assert len(listed) == len(gaps) == 5
    first = gaps.iloc[0]
    assert listed[0].heading == f"**1. {first['code']} · {first['title']}**"
    assert listed[4].heading.startswith("**5. ")
    assert "2,0" in listed[0].figures
    assert first["next_step"] in listed[0].next_step
    assert profile.priorities(gaps.iloc[0:0], "en") == []


def test_the_organisation_line_leaves_out_what_is_missing_and_translates_the_region() -> None:
    region, names = next(iter(known_regions().items()))
    assert profile.organisation_parts("ngo", "Borovia", region, "tr") == ["STK", "Borovia", names["tr"]]
    assert profile.organisation_parts("ngo", "", None, "en") == ["NGO"]
    assert profile.organisation_parts(None, "Veldmark", "Somewhere", "en")[1:] == ["Veldmark", "Somewhere"]


def test_every_header_names_a_column_of_the_table_it_heads() -> None:
    results = results_of("NS-01", 2019, 2023)
    trends = dashboard.trend_rows(trends_for(results, ROADMAP), list(TARGETS))
    assert list(profile.trend_headers("en")) == list(dashboard.trend_display(trends, "en").columns)
    peers = peer_rows(PEER_GROUP_ALL, 50.0)
    assert list(profile.peer_headers("en")) == list(dashboard.peer_display(peers, {}, "en").columns)
    display = dashboard.indicator_display(dashboard.indicator_table(results[-1], FRAMEWORK, "en"), "en")
    assert set(profile.indicator_headers("ar")) <= set(display.columns)
    assert list(profile.evidence_headers("tr")) == list(dashboard.evidence_rows(display).columns)
    assert profile.evidence_headers("tr")["note"] != "Evidence"  # in the reader's language
    tabs = profile.dimension_tabs(FRAMEWORK, "en")
    assert [tab.split(" · ")[0] for tab in tabs] == [dimension.code for dimension in FRAMEWORK.dimensions]
