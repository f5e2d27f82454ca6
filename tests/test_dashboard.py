"""Page data of the board dashboards: the engine's numbers, selected and reshaped, never recomputed."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity import dashboard
from capacity.access import CLI_ADMIN, MIN_PEER_GROUP, AccessDenied, Actor
from capacity.framework import current_framework
from capacity.labels import NO_DATA, NO_TREND
from capacity.questionnaire.layout import ROLE_SELF
from capacity.roadmap import INDEX, TARGETS, current_roadmap
from capacity.scoring import expected_score, roadmap_position, score_assessment, trends_for
from capacity.scoring.results import DECREASING, ON_TRACK, STATUSES, VISION_REACHED
from capacity.store import open_store, portfolio_queries, queries
from capacity.store.corrections import record_review
from tests.dashboard_data import (
    SMALL_PORTFOLIO,
    fill_small_portfolio,
    ingest_all,
    uniform_submission,
)

BOARD = Actor("board-test", "board")
FRAMEWORK = current_framework()
ROADMAP = current_roadmap()


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    found = open_store(f"sqlite:///{tmp_path_factory.mktemp('dashboard') / 'capacity.db'}")
    fill_small_portfolio(found)
    yield found
    found.close()


@pytest.fixture(scope="module")
def portfolio(store) -> pd.DataFrame:
    return queries.portfolio(store, BOARD)


def engine_result(organisation_id: str, year: int):
    """What the engine says about one assessment of the small portfolio."""
    return score_assessment([uniform_submission(organisation_id, year)])


def assessed_in(year: int) -> list[str]:
    return [org for org, info in SMALL_PORTFOLIO.items() if year in info[4]]


# ---------------------------------------------------------------- portfolio queries


def test_evidence_coverage_counts_answered_and_evidenced_indicators(store) -> None:
    coverage = portfolio_queries.evidence_coverage(store, BOARD)
    assessments = sum(len(info[4]) for info in SMALL_PORTFOLIO.values())
    assert len(coverage) == assessments
    indicators = len(FRAMEWORK.indicators)
    assert (coverage["answered"] == indicators).all()
    assert (coverage["evidenced"] == indicators // 2).all()  # every other indicator carries a note


def test_an_evaluator_review_counts_as_evidence(tmp_path) -> None:
    fresh = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    ingest_all(fresh, [uniform_submission("NS-01", 2019)])
    unnoted = FRAMEWORK.indicators[0].code  # position 0 carries no note
    before = portfolio_queries.evidence_coverage(fresh, BOARD)["evidenced"].iloc[0]
    record_review(fresh, "NS-01", 2019, unnoted, 3, "Checked the board minutes of 2019.", CLI_ADMIN)
    after = portfolio_queries.evidence_coverage(fresh, BOARD)["evidenced"].iloc[0]
    assert after == before + 1
    fresh.close()


def test_dimension_positions_hold_the_engines_milestone_gaps(store) -> None:
    positions = portfolio_queries.dimension_positions(store, BOARD)
    row = positions[
        (positions["organisation_id"] == "NS-04")
        & (positions["year"] == 2019)
        & (positions["dimension"] == "IL")
    ].iloc[0]
    expected = engine_result("NS-04", 2019).dimensions["IL"].roadmap
    assert row["score"] == pytest.approx(40.0)
    assert row["gap_2023"] == pytest.approx(expected.gap_2023) == pytest.approx(20.0)
    assert row["expected"] == pytest.approx(expected.expected)
    assert row["status"] == expected.status


def test_round_results_are_the_stored_engine_results_of_that_year(store) -> None:
    results = portfolio_queries.round_results(store, BOARD, 2026)
    assert [r.organisation_id for r in results] == sorted(assessed_in(2026))
    for result in results:
        assert result.year == 2026
        assert result.index.score == pytest.approx(engine_result(result.organisation_id, 2026).index.score)


def test_data_version_changes_with_every_upload_and_only_then(tmp_path) -> None:
    fresh = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    empty = portfolio_queries.data_version(fresh)
    assert portfolio_queries.data_version(fresh) == empty
    ingest_all(fresh, [uniform_submission("NS-01", 2019)])
    first = portfolio_queries.data_version(fresh)
    queries.portfolio(fresh, BOARD)
    assert portfolio_queries.data_version(fresh) == first != empty
    ingest_all(fresh, [uniform_submission("NS-02", 2019)])
    assert portfolio_queries.data_version(fresh) not in (empty, first)
    fresh.close()


def test_portfolio_queries_need_a_role_that_may_see_the_dashboards(store) -> None:
    stranger = Actor("nobody", "visitor")
    for query in (portfolio_queries.evidence_coverage, portfolio_queries.dimension_positions):
        with pytest.raises(AccessDenied):
            query(store, stranger)
    with pytest.raises(AccessDenied):
        portfolio_queries.round_results(store, stranger, 2026)


# ---------------------------------------------------------------- overview


def test_kpi_tiles_compare_the_latest_round_with_the_previous_one(store, portfolio) -> None:
    evidence = portfolio_queries.evidence_coverage(store, BOARD)
    tiles = dashboard.kpi_tiles(portfolio, evidence, dashboard.Filters())
    assert (tiles.year, tiles.previous_year) == (2026, 2023)
    assert tiles.organisations.value == len(assessed_in(2026))
    assert tiles.organisations.delta == len(assessed_in(2026)) - len(assessed_in(2023))
    indices = [engine_result(org, 2026).index for org in assessed_in(2026)]
    assert tiles.mean_index.value == pytest.approx(sum(i.score for i in indices) / len(indices))
    on_track = sum(i.roadmap.status == ON_TRACK for i in indices) / len(indices)
    assert tiles.share_on_track.value == pytest.approx(on_track)
    assert tiles.share_evidence.value == pytest.approx(0.5)
    assert tiles.share_evidence.delta == pytest.approx(0.0)


def test_kpi_tiles_follow_the_filters(store, portfolio) -> None:
    evidence = portfolio_queries.evidence_coverage(store, BOARD)
    ngo = dashboard.kpi_tiles(portfolio, evidence, dashboard.Filters(organisation_type="ngo"))
    assert (ngo.year, ngo.previous_year) == (2023, 2019)  # NGOs were not assessed in 2026
    assert ngo.organisations.value == 3
    expected = [engine_result(org, 2023).index.score for org in ("NGO-01", "NGO-02", "NGO-03")]
    assert ngo.mean_index.value == pytest.approx(sum(expected) / 3)
    veldmark = dashboard.kpi_tiles(portfolio, evidence, dashboard.Filters(year=2023, country="Veldmark"))
    assert veldmark.organisations.value == 3
    nothing = dashboard.Filters(year=2026, organisation_type="ngo")
    assert dashboard.kpi_tiles(portfolio, evidence, nothing) is None


def test_roadmap_series_is_the_mean_of_the_engines_scores_per_year(portfolio) -> None:
    series = dashboard.roadmap_series(portfolio)
    for year in (2019, 2023, 2026):
        row = series[(series["target"] == "IL") & (series["year"] == year)].iloc[0]
        scores = [engine_result(org, year).dimensions["IL"].score for org in assessed_in(year)]
        assert row["mean"] == pytest.approx(sum(scores) / len(scores))
        assert row["organisations"] == len(scores)
    assert list(dict.fromkeys(series["target"])) == list(TARGETS)


def test_roadmap_path_is_the_roadmaps_milestones() -> None:
    path = dashboard.roadmap_path(ROADMAP)
    index = path[path["target"] == INDEX]
    assert list(index["year"]) == [2015, 2023, 2053]
    assert list(index["expected"]) == [ROADMAP.target(INDEX, y) for y in (2015, 2023, 2053)]


def test_heatmap_sorted_by_index_puts_the_strongest_first(portfolio) -> None:
    heatmap = dashboard.heatmap_matrix(portfolio[portfolio["year"] == 2023], INDEX)
    assert list(heatmap.names.index[:2]) == ["NGO-03", "NS-05"]  # 100, then 80
    assert heatmap.scores[INDEX].is_monotonic_decreasing
    assert heatmap.targets == list(TARGETS)
    by_name = dashboard.heatmap_matrix(portfolio[portfolio["year"] == 2023])
    assert list(by_name.names) == sorted(by_name.names, key=str.casefold)
    engine = engine_result("NS-04", 2023)
    assert by_name.statuses.loc["NS-04", "IC"] == engine.dimensions["IC"].roadmap.status
    assert by_name.page(2, 4).names.tolist() == by_name.names.tolist()[4:8]


def test_heatmap_shows_only_the_visible_organisations(portfolio) -> None:
    heatmap = dashboard.heatmap_matrix(portfolio[portfolio["year"] == 2023], visible={"NS-01"})
    assert list(heatmap.names.index) == ["NS-01"]


# ---------------------------------------------------------------- profile


def test_top_gaps_weigh_the_engines_gaps_and_name_the_next_level() -> None:
    result = engine_result("NS-04", 2026)  # every indicator at level 2 = 40, the roadmap expects 63
    gaps = dashboard.top_gaps(result, FRAMEWORK, ROADMAP, "en")
    assert len(gaps) == 5
    gap = roadmap_position(ROADMAP, "IC", 40.0, 2026).gap
    heaviest = sorted(FRAMEWORK.indicators, key=lambda ind: -ind.weight)[0]
    assert gaps["code"].iloc[0] == heaviest.code
    assert gaps["weighted_gap"].iloc[0] == pytest.approx(heaviest.weight * gap)
    assert gaps["weighted_gap"].is_monotonic_decreasing
    assert (gaps["next_level"] == 3).all()
    assert gaps["next_step"].iloc[0] == heaviest.descriptors[3]("en")
    assert gaps["next_level_name"].iloc[0] == FRAMEWORK.level_name(3, "en")


def test_top_gaps_are_empty_when_every_indicator_meets_the_roadmap() -> None:
    assert dashboard.top_gaps(engine_result("NGO-03", 2023), FRAMEWORK, ROADMAP, "en").empty


def test_a_median_between_levels_is_described_by_the_lower_level() -> None:
    lower = uniform_submission("NS-04", 2026, ROLE_SELF, "One", (2,) * 6)
    upper = uniform_submission("NS-04", 2026, ROLE_SELF, "Two", (3,) * 6)
    result = score_assessment([lower, upper])
    table = dashboard.indicator_table(result, FRAMEWORK, "tr")
    first = FRAMEWORK.indicators[0]
    row = table.iloc[0]
    assert row["level"] == 2.5
    assert row["level_name"] == FRAMEWORK.level_name(2, "tr")
    assert row["descriptor"] == first.descriptors[2]("tr")
    assert row["spread"] == 1.0
    gaps = dashboard.top_gaps(result, FRAMEWORK, ROADMAP, "en")
    assert (gaps["next_level"] == 3).all()


def test_indicator_table_carries_evidence_and_flags() -> None:
    table = dashboard.indicator_table(engine_result("NS-01", 2019), FRAMEWORK, "en")
    assert list(table["code"]) == [ind.code for ind in FRAMEWORK.indicators]
    assert table["evidence"].iloc[1] == "Annual report 2019, section 1"
    assert table["evidence"].iloc[0] == ""
    assert not table["spread_flag"].any()


def test_indicator_display_keeps_one_evidence_note_per_respondent() -> None:
    two = [uniform_submission("NS-01", 2023, respondent=name) for name in ("Ana", "Bo")]
    result = score_assessment(two)
    table = dashboard.indicator_display(dashboard.indicator_table(result, FRAMEWORK, "en"), "en")
    row = table[table["evidence_notes"].map(len) > 0].iloc[0]
    assert len(row["evidence_notes"]) == 2  # a list, not one run-on " · " cell
    listed = dashboard.evidence_rows(table)
    first = listed[listed["indicator"] == row["indicator"]].index[0]
    assert list(listed.loc[first : first + 1, "number"]) == ["1", "2"]
    assert listed.loc[first + 1, "indicator"] == ""  # named once, its notes numbered below it
    assert row["indicator"].startswith(f"{row['code']} · ")
    assert row["level_text"] == "3.0 · Established"
    turkish = dashboard.indicator_display(dashboard.indicator_table(result, FRAMEWORK, "tr"), "tr")
    assert turkish["level_text"].iloc[0].startswith("3,0 · ")


def test_radar_series_holds_both_rounds_the_expectation_and_the_vision() -> None:
    results = [engine_result("NS-01", 2019), engine_result("NS-01", 2023)]
    dimensions = [dim.code for dim in FRAMEWORK.dimensions]
    radar = dashboard.radar_series(results, ROADMAP, 2026, dimensions)
    latest = radar[radar["series"] == dashboard.LATEST]
    assert list(latest["score"]) == [results[1].dimensions[d].score for d in dimensions]
    assert (radar[radar["series"] == dashboard.PREVIOUS]["year"] == 2019).all()
    assert list(radar[radar["series"] == dashboard.EXPECTED_NOW]["score"]) == [
        expected_score(ROADMAP, d, 2026) for d in dimensions
    ]
    assert (radar[radar["series"] == dashboard.VISION]["score"] == 90).all()
    single = dashboard.radar_series(results[:1], ROADMAP, 2026, dimensions)
    assert dashboard.PREVIOUS not in set(single["series"])


def test_bullet_rows_and_trends_are_the_engines() -> None:
    results = [engine_result("NGO-02", 2019), engine_result("NGO-02", 2023)]
    bullets = dashboard.bullet_rows(results[-1], ROADMAP, list(TARGETS))
    assert bullets.set_index("target").loc["IC", "status"] == results[-1].dimensions["IC"].roadmap.status
    assert bullets.set_index("target").loc[INDEX, "expected"] == results[-1].index.roadmap.expected
    trends = dashboard.trend_rows(trends_for(results, ROADMAP), list(TARGETS))
    assert trends.set_index("target").loc[INDEX, "arrow"] == DECREASING
    assert dashboard.trend_rows([], list(TARGETS))["arrow"].eq(NO_TREND).all()


# ---------------------------------------------------------------- benchmark


def test_peer_groups_smaller_than_five_are_never_shown_one_by_one(portfolio) -> None:
    groups = dashboard.peer_distribution(portfolio[portfolio["year"] == 2023], INDEX)
    assert set(groups.points["organisation_type"]) == {"national_society"}
    assert not set(groups.points["organisation_id"]) & {"NGO-01", "NGO-02", "NGO-03"}
    ngo = groups.groups.set_index("organisation_type").loc["ngo"]
    assert (ngo["organisations"], ngo["shown"]) == (3, False)


def test_percentile_in_the_peer_group(portfolio) -> None:
    round_rows = portfolio[portfolio["year"] == 2023]
    standing = dashboard.peer_standing(round_rows, "NS-01")  # 60 among 60, 40, 60, 40, 80, 20
    assert (standing.peers, standing.shown) == (6, True)
    assert standing.share_below == pytest.approx(3.5 / 5)
    assert standing.compared_with == dashboard.COMPARED_WITH_TYPE
    # Three NGOs are too few to compare with one by one: the whole round of nine, anonymised.
    small = dashboard.peer_standing(round_rows, "NGO-03")  # 100, the highest of the round
    assert (small.peers, small.shown, small.compared_with, small.round_size) == (3, False, "round", 9)
    assert small.share_below == 1.0
    assert dashboard.peer_standing(round_rows, "nobody") is None


def test_rank_window_shows_the_peer_group_or_only_the_organisation_itself(store, portfolio) -> None:
    from capacity.scoring import weight_sensitivity

    round_rows = portfolio[portfolio["year"] == 2023]
    intervals = weight_sensitivity(portfolio_queries.round_results(store, BOARD, 2023), FRAMEWORK)
    ranks = dashboard.rank_table(intervals, round_rows)
    assert len(ranks) == 9 and ranks["median_rank"].is_monotonic_increasing
    assert ranks["organisation_id"].iloc[0] == "NGO-03"
    assert list(dashboard.rank_window(ranks, "NGO-01")["organisation_id"]) == ["NGO-01"]
    peers = dashboard.rank_window(ranks, "NS-02")
    assert set(peers["organisation_id"]) == {f"NS-0{n}" for n in range(1, 7)}
    assert len(dashboard.rank_window(ranks, "NS-02", size=3)) == 3
    assert "NS-02" in set(dashboard.rank_window(ranks, "NS-02", size=3)["organisation_id"])


def test_default_highlight_prefers_an_organisation_whose_peers_can_be_shown(portfolio) -> None:
    round_rows = portfolio[portfolio["year"] == 2023]
    assert dashboard.default_highlight(round_rows, ["NGO-01", "NS-03", "NS-01"]) == "NS-03"
    assert dashboard.default_highlight(round_rows, ["NGO-01"]) == "NGO-01"


# ---------------------------------------------------------------- roadmap


def test_milestone_share_on_both_bases(store, portfolio) -> None:
    positions = dashboard.milestone_positions(portfolio, portfolio_queries.dimension_positions(store, BOARD))
    shares = dashboard.milestone_share(positions).set_index(["basis", "target"])
    in_2023 = shares.loc[(dashboard.IN_MILESTONE_ROUND, INDEX)]
    assert (in_2023["assessed"], in_2023["met"]) == (9, 4)  # NS-01, NS-03 (60), NS-05 (80), NGO-03 (100)
    latest = shares.loc[(dashboard.AT_LATEST, "IL")]
    met = sum(
        engine_result(org, max(info[4])).dimensions["IL"].roadmap.gap_2023 <= 0
        for org, info in SMALL_PORTFOLIO.items()
    )
    assert (latest["assessed"], latest["met"]) == (9, met)
    assert latest["share"] == pytest.approx(met / 9)


def test_trend_arrows_are_the_engines_for_every_organisation(store, portfolio) -> None:
    arrows = dashboard.trend_arrows(portfolio, ROADMAP)
    assert len(arrows) == len(SMALL_PORTFOLIO) * len(TARGETS)
    for organisation_id in ("NS-03", "NS-04", "NGO-03"):
        engine = {
            t.target: t
            for t in trends_for(queries.assessment_results(store, BOARD, organisation_id), ROADMAP)
        }
        mine = arrows[arrows["organisation_id"] == organisation_id].set_index("target")
        for target in TARGETS:
            assert mine.loc[target, "arrow"] == engine[target].arrow
            assert mine.loc[target, "actual_rate"] == pytest.approx(engine[target].actual_rate)
    assert arrows.set_index(["organisation_id", "target"]).loc[("NGO-03", INDEX), "arrow"] == VISION_REACHED
    early = dashboard.trend_arrows(dashboard.up_to(portfolio, 2019), ROADMAP)
    assert early["arrow"].eq(NO_TREND).all()
    matrix = dashboard.arrow_matrix(arrows)
    assert list(matrix.columns) == ["organisation_id", "organisation_name", *TARGETS]
    counts = dashboard.arrow_counts(arrows)
    assert counts.groupby("target")["organisations"].sum().eq(len(SMALL_PORTFOLIO)).all()


def test_milestone_targets_table() -> None:
    table = dashboard.milestone_targets(ROADMAP, 2026).set_index("target")
    assert table.loc[INDEX, 2023] == 60
    assert table.loc["IC", "expected_now"] == pytest.approx(expected_score(ROADMAP, "IC", 2026))


def test_one_milestone_row_says_it_all_when_every_target_is_shared() -> None:
    table = dashboard.milestone_targets(ROADMAP, 2026)
    assert dashboard.targets_shared(table)  # the shipped roadmap: every dimension as the index
    table.loc[table["target"] == "IC", 2053] = 80
    assert not dashboard.targets_shared(table)


def test_whole_round_summary_is_the_anonymised_statistics_or_nothing(store) -> None:
    peers = portfolio_queries.peer_statistics(store, CLI_ADMIN, "NS-01", 2023)
    summary = dashboard.round_summary(peers, INDEX)
    assert summary.organisations == 9 and summary.p25 <= summary.median <= summary.p75
    withheld = peers.assign(median=float("nan"))
    assert dashboard.round_summary(withheld, INDEX) is None


@settings(max_examples=40, deadline=None)
@given(st.integers(0, 3000), st.integers(5, 200), st.integers(-3, 300))
def test_pages_cover_every_row_once(rows, size, number) -> None:
    frame = pd.DataFrame({"row": range(rows)})
    pages = dashboard.page_count(rows, size)
    assert pages == max(1, math.ceil(rows / size))
    shown = pd.concat([dashboard.page_of(frame, page, size) for page in range(1, pages + 1)])
    assert list(shown["row"]) == list(range(rows))
    assert len(dashboard.page_of(frame, number, size)) <= size


# ---------------------------------------------------------------- properties on any portfolio


def synthetic_portfolio(rows: list[tuple[str, int, float | None]]) -> pd.DataFrame:
    """A portfolio frame with the columns the page functions use, from (type, year, index score) rows."""
    records = []
    for number, (kind, year, score) in enumerate(rows):
        record = {
            "organisation_id": f"ORG-{number:03d}",
            "organisation_name": f"Organisation {number}",
            "organisation_type": kind,
            "country": "Borovia",
            "region": "Europe",
            "year": year,
            "index_score": score,
            "index_status": None if score is None else STATUSES[number % 4],
            "index_gap_2023": None if score is None else 60 - score,
        }
        for dim in FRAMEWORK.dimensions:
            record[f"{dim.code}_score"] = score
            record[f"{dim.code}_status"] = record["index_status"]
        records.append(record)
    return pd.DataFrame(records)


portfolio_rows = st.lists(
    st.tuples(
        st.sampled_from(["ngo", "foundation", "media", None]),
        st.sampled_from([2019, 2023]),
        st.one_of(st.none(), st.floats(0, 100)),
    ),
    min_size=1,
    max_size=40,
)


@settings(max_examples=60, deadline=None)
@given(portfolio_rows)
def test_no_peer_group_below_the_minimum_is_ever_shown(rows) -> None:
    frame = synthetic_portfolio(rows)
    for year in (2019, 2023):
        round_rows = frame[frame["year"] == year]
        groups = dashboard.peer_distribution(round_rows, INDEX)
        counts = groups.points.groupby("organisation_type")["organisation_id"].count()
        assert (counts >= MIN_PEER_GROUP).all()
        assert len(groups.points) == groups.groups.loc[groups.groups["shown"], "organisations"].sum()
        for organisation_id in round_rows["organisation_id"]:
            standing = dashboard.peer_standing(round_rows, organisation_id)
            if standing.share_below is not None:
                assert 0 <= standing.share_below <= 1
                compared = standing.peers if standing.shown else standing.round_size
                assert compared >= MIN_PEER_GROUP
                assert standing.compared_with == ("type" if standing.shown else "round")
            if standing.peers < MIN_PEER_GROUP and standing.round_size < MIN_PEER_GROUP:
                assert standing.share_below is None and standing.compared_with is None


@settings(max_examples=60, deadline=None)
@given(portfolio_rows, st.sampled_from(dashboard.sort_options(FRAMEWORK)))
def test_heatmap_keeps_every_organisation_once_in_the_chosen_order(rows, sort_by) -> None:
    frame = synthetic_portfolio(rows)
    heatmap = dashboard.heatmap_matrix(frame[frame["year"] == 2023], sort_by)
    assert sorted(heatmap.names.index) == sorted(frame.loc[frame["year"] == 2023, "organisation_id"])
    assert (heatmap.statuses[heatmap.scores.isna()].isin([NO_DATA]) | heatmap.scores.notna()).all().all()
    if sort_by != dashboard.SORT_BY_NAME:
        scores = heatmap.scores[sort_by].tolist()
        present = [s for s in scores if not math.isnan(s)]
        assert present == sorted(present, reverse=True)
        assert scores[: len(present)] == present  # missing scores last


@settings(max_examples=40, deadline=None)
@given(portfolio_rows)
def test_kpi_changes_are_the_difference_between_rounds(rows) -> None:
    frame = synthetic_portfolio(rows)
    evidence = pd.DataFrame(
        {"organisation_id": frame["organisation_id"], "year": frame["year"], "answered": 36, "evidenced": 18}
    )
    tiles = dashboard.kpi_tiles(frame, evidence, dashboard.Filters())
    assert tiles.year == frame["year"].max()
    for kpi in (tiles.organisations, tiles.mean_index, tiles.share_on_track, tiles.share_evidence):
        if kpi.value is not None and kpi.previous is not None:
            assert kpi.delta == pytest.approx(kpi.value - kpi.previous)
        else:
            assert kpi.delta is None


def test_trend_and_peer_tables_are_written_in_the_readers_number_format() -> None:
    results = [engine_result("NS-04", year) for year in (2019, 2023, 2026)]
    trends = dashboard.trend_rows(trends_for(results, ROADMAP), list(TARGETS))
    turkish = dashboard.trend_display(trends, "tr")
    assert turkish["period"].iloc[0] == "2019–2026"
    assert all("," in rate or rate == "–" for rate in turkish["actual_rate"])
    peers = pd.DataFrame(
        {"target": [INDEX], "median": [52.5], "p25": [40.0], "p75": [60.25], "n": [9], "group": ["all"]}
    )
    shown = dashboard.peer_display(peers, {INDEX: 41.0}, "tr").iloc[0]
    assert (shown["own"], shown["median"], shown["n"]) == ("41,0", "52,5", "9")
