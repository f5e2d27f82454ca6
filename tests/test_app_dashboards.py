"""AppTest of the four dashboard pages on the small hand-made portfolio: elements present, filters work."""

from __future__ import annotations

import json

import pytest

from capacity import charts as charts_module
from capacity.access import ADMIN, MANAGER, Actor
from capacity.store import open_store
from tests.apptest import open_page
from tests.dashboard_data import ingest_all, uniform_submission

OVERVIEW, PROFILE, BENCHMARK, ROADMAP = (
    f"views/{name}.py" for name in ("overview", "profile", "benchmark", "roadmap")
)


def metrics(at) -> dict[str, str]:
    return {metric.label: metric.value for metric in at.metric}


def charts(at) -> list[dict]:
    return [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]


def chart_text(at) -> str:
    return " ".join(chart.proto.spec for chart in at.get("plotly_chart"))


def texts(at) -> str:
    parts = [
        e.value
        for kind in (at.markdown, at.caption, at.info, at.success, at.header, at.subheader)
        for e in kind
    ]
    return " ".join(str(part) for part in parts)


# ---------------------------------------------------------------- overview


def test_overview_shows_the_headline_figures_the_roadmap_and_the_heatmap(small_portfolio) -> None:
    at = open_page(OVERVIEW)
    assert at.title[0].value == "Portfolio overview"
    shown = metrics(at)
    assert shown["Organisations assessed"] == "4"
    assert shown["Mean index"] == "58.3"  # (76.7 + 60 + 56.7 + 40) / 4
    assert shown["Indicators with evidence"] == "50%"
    assert {m.label: m.delta for m in at.metric}["Organisations assessed"] == "-5"
    figures = charts(at)
    assert len(figures) == 2
    assert any(trace.get("name") == "Roadmap target path" for trace in figures[0]["data"])
    heatmap_rows = figures[1]["data"][0]["y"]
    assert sorted(heatmap_rows) == sorted(
        ["Aurora Relief Society", "Borovian Crescent", "Cedar Mercy Society", "Dunmere Aid Society"]
    )


def test_overview_filters_change_the_numbers_and_the_url(small_portfolio) -> None:
    at = open_page(OVERVIEW)
    at.selectbox(key="filter_widget_year").select("2023").run()
    assert metrics(at)["Organisations assessed"] == "9"
    assert at.query_params["year"] == "2023"
    at.selectbox(key="filter_widget_type").select("national_society").run()
    assert metrics(at)["Organisations assessed"] == "6"
    assert metrics(at)["Mean index"] == "50.0"  # 60, 40, 60, 40, 80, 20
    assert "Gull Harbour Initiative" not in chart_text(at)
    assert at.query_params["type"] == "national_society"
    at.selectbox(key="overview_sort").select("index").run()
    assert charts(at)[1]["data"][0]["y"][0] == "Elmstead Relief"  # 80, the highest index


def test_overview_reads_its_filters_from_the_url(small_portfolio) -> None:
    at = open_page(OVERVIEW, query={"year": "2019", "country": "Veldmark"})
    assert metrics(at)["Organisations assessed"] == "3"
    assert at.selectbox(key="filter_widget_country").value == "Veldmark"


def test_overview_says_what_to_do_when_no_organisation_matches(small_portfolio) -> None:
    at = open_page(OVERVIEW, query={"year": "2026", "type": "ngo"})
    assert not at.metric
    assert "No assessed organisation matches these filters" in texts(at)


def test_overview_in_turkish_writes_numbers_the_turkish_way(small_portfolio) -> None:
    at = open_page(OVERVIEW, lang="tr")
    assert "58,3" in [metric.value for metric in at.metric]


def test_a_new_upload_shows_at_once(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("CAPACITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAPACITY_DATA_DIR", str(tmp_path))
    store = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    ingest_all(store, [uniform_submission("NS-01", 2023)])
    at = open_page(OVERVIEW)
    assert metrics(at)["Organisations assessed"] == "1"
    at.run()
    assert metrics(at)["Organisations assessed"] == "1"
    ingest_all(store, [uniform_submission("NS-05", 2023)])
    at.run()
    assert metrics(at)["Organisations assessed"] == "2"
    assert metrics(at)["Mean index"] == "70.0"  # 60 and 80
    store.close()


@pytest.mark.parametrize("page", [OVERVIEW, PROFILE, BENCHMARK, ROADMAP])
def test_every_page_tells_a_new_installation_how_to_get_data(page, tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("CAPACITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAPACITY_DATA_DIR", str(tmp_path))
    at = open_page(page, role=ADMIN)  # the administrator runs the server: told of the demo command
    assert "python -m capacity demo" in texts(at)
    assert not at.get("plotly_chart") or page == ROADMAP  # the roadmap page still lists the targets
    assert not at.metric
    board = texts(open_page(page))  # a board member is only told the scores will come
    assert "python -m" not in board and "as soon as the organisations have sent" in board


# ---------------------------------------------------------------- profile


def test_profile_shows_one_organisation_and_follows_the_selector(small_portfolio) -> None:
    at = open_page(PROFILE, query={"org": "NS-04"})
    assert at.header[0].value == "Dunmere Aid Society"
    assert metrics(at)["Capacity index, 2026"] == "40.0"
    assert len(at.get("plotly_chart")) == 3  # bullets, radar, trend
    assert texts(at).count("Next step") == 5
    assert len(at.table) == 12  # per dimension: its indicators, then the evidence named
    assert len(at.table[0].value) == 6
    at.selectbox(key="filter_widget_org").select("NS-05").run()
    assert at.header[0].value == "Elmstead Relief"
    assert metrics(at)["Capacity index, 2023"] == "80.0"
    assert at.query_params["org"] == "NS-05"
    assert "Every answered indicator meets the roadmap" in texts(at)


def test_profile_tables_write_numbers_the_turkish_way(small_portfolio) -> None:
    at = open_page(PROFILE, query={"org": "NS-04", "year": "2023"}, lang="tr")
    [trends] = [frame.value for frame in at.dataframe if "actual_rate" in frame.value.columns]
    assert (
        trends["actual_rate"].str.contains(",").any() and not trends["actual_rate"].str.contains(r"\.").any()
    )
    evidence = at.table[1].value  # the first dimension's evidence, after its indicators
    assert list(evidence.columns) == ["Gösterge", "#", "Kanıt"]
    assert set(evidence["#"]) == {"1"}  # one respondent: one numbered note per indicator


def test_profile_can_look_back_at_an_earlier_round(small_portfolio) -> None:
    at = open_page(PROFILE, query={"org": "NS-04", "year": "2019"})
    assert metrics(at)["Capacity index, 2019"] == "30.0"
    radar = charts(at)[1]
    assert [trace["name"] for trace in radar["data"]] == [
        "Vision 2053",
        next(trace["name"] for trace in radar["data"] if trace["name"].startswith("Expected now")),
        "Latest round (2019)",
    ]


# ---------------------------------------------------------------- benchmark


def test_benchmark_shows_the_percentile_among_peers_and_follows_the_round(small_portfolio) -> None:
    at = open_page(BENCHMARK, query={"org": "NS-04", "year": "2023"})
    assert metrics(at)["Percentile among peers"] == "30%"  # 40 among 60, 40, 60, 40, 80, 20
    assert metrics(at)["Organisations of the same type"] == "6"
    assert len(at.get("plotly_chart")) == 3
    distribution = charts(at)[0]
    assert "Gull Harbour Initiative" not in json.dumps(distribution)  # three NGOs: never shown one by one
    assert "NGO (3)" in texts(at)
    at.selectbox(key="filter_widget_year").select("2019").run()
    assert metrics(at)["Percentile among peers"] == "40%"  # 30 among 40, 20, 60, 30, 40, 10


def test_benchmark_compares_a_small_type_with_the_whole_round_anonymised(small_portfolio) -> None:
    at = open_page(BENCHMARK, query={"org": "NGO-02", "year": "2023"})
    # Three NGOs: too few to compare with one by one, so the whole round of nine, anonymised.
    # 40 among the other eight (60, 40, 60, 40, 80, 20, 40, 100): one lower, three ties → 2.5 / 8
    assert metrics(at)["Percentile in the whole round"] == "31%"
    assert "compared with all 9 organisations of 2023, anonymised" in texts(at)
    distribution = charts(at)[0]
    boxes = [trace for trace in distribution["data"] if trace["type"] == "box"]
    assert "anonymised" in boxes[0]["name"] and "boxpoints" in boxes[0] and not boxes[0]["boxpoints"]
    star = next(trace for trace in distribution["data"] if trace.get("marker", {}).get("symbol") == "star")
    assert star["x"] == [boxes[0]["name"]] and star["y"] == [40.0]
    assert "Gull Harbour Initiative" not in json.dumps(distribution)  # no other NGO named
    # Never a one-dot chart: the own rank is a sentence, the interval chart is left out.
    assert len(at.get("plotly_chart")) == 2  # distribution and Cronbach's alpha
    assert "Hollow Oak Network ranks 6 of 9" in texts(at)  # every weighting: the same place
    assert "no other organisation's rank is shown" in texts(at)


def test_benchmark_puts_method_and_reliability_in_an_expander_with_a_sentence_for_boards(
    small_portfolio,
) -> None:
    at = open_page(BENCHMARK, query={"org": "NS-04", "year": "2023"})
    [expander] = at.expander
    assert expander.label.startswith("Method and reliability")
    assert len(expander.get("plotly_chart")) == 2  # ranks and alpha inside, for evaluators
    shown = texts(at)
    assert "Dunmere Aid Society ranks 6 of 9" in shown
    assert "dimensions the indicators hang together well enough" in shown


# ---------------------------------------------------------------- roadmap


def test_roadmap_page_shows_targets_milestone_shares_and_arrows(small_portfolio) -> None:
    at = open_page(ROADMAP)
    # Filters first, then the targets: one row, since every dimension shares the index's targets.
    assert at.selectbox[0].label == "Up to round"
    [targets] = at.dataframe
    assert list(targets.value.iloc[:, 0]) == ["Index and every dimension"]
    assert "share these targets, so one row shows them all" in texts(at)
    figures = charts(at)
    assert len(figures) == 3  # milestone shares, arrow counts, arrow grid
    milestone = figures[0]
    assert any("(4 of 9)" in text for trace in milestone["data"] for text in trace["text"])
    grid = figures[2]
    assert len(grid["data"][0]["y"]) == 9  # one row per organisation, no inner scroll
    assert grid["layout"]["height"] == charts_module.grid_height(grid["data"][0]["y"])
    assert "↓" in grid["data"][1]["text"]  # NS-03 and NGO-02 decreased
    assert "Trend of the index of 9 organisations" in texts(at)
    at.selectbox(key="filter_widget_year").select("2019").run()
    assert set(charts(at)[2]["data"][1]["text"]) == {"·"}  # one assessment each up to 2019: no trend yet


# ---------------------------------------------------------------- roles


def test_a_board_member_can_take_the_portfolios_scores_and_a_manager_cannot(small_portfolio) -> None:
    board = open_page(OVERVIEW)  # a board member, the default
    assert [button.proto.label for button in board.get("download_button")] == [
        "Download the portfolio's scores (Excel)"
    ]
    manager = open_page(OVERVIEW, actor=Actor("manny", MANAGER, frozenset({"NS-04"})))
    assert manager.get("download_button") == []


def test_a_manager_sees_only_their_own_organisation(small_portfolio) -> None:
    manager = Actor("manny", MANAGER, frozenset({"NS-04"}))
    overview = open_page(OVERVIEW, query={"year": "2023"}, actor=manager)
    assert metrics(overview)["Organisations assessed"] == "1"
    assert charts(overview)[1]["data"][0]["y"] == ["Dunmere Aid Society"]
    benchmark = open_page(BENCHMARK, query={"year": "2023"}, actor=manager)
    assert "Aurora Relief Society" not in chart_text(benchmark)
    assert metrics(benchmark)["Percentile among peers"] == "–"
    profile = open_page(PROFILE, actor=manager)
    assert list(profile.selectbox(key="filter_widget_org").options) == ["Dunmere Aid Society (NS-04)"]
    roadmap = open_page(ROADMAP, actor=manager)
    assert charts(roadmap)[2]["data"][0]["y"] == ["Dunmere Aid Society"]


def test_a_manager_compares_with_anonymised_peers_only_in_large_enough_groups(small_portfolio) -> None:
    manager = Actor("manny", MANAGER, frozenset({"NS-04"}))
    profile = open_page(PROFILE, query={"year": "2023"}, actor=manager)
    [peers] = [frame.value for frame in profile.dataframe if "n" in frame.value.columns]
    assert set(peers["n"]) == {"9"}  # every organisation of 2023, none of them named
    assert peers.loc[peers["target"] == "Index", "own"].iloc[0] == "40.0"
    assert not any(name in texts(profile) for name in ("Aurora Relief Society", "Elmstead Relief"))
    assert "Too few organisations in this group" in " ".join(info.value for info in profile.info)
    latest = open_page(PROFILE, actor=manager)  # 2026: four organisations, too few to show
    assert not [frame for frame in latest.dataframe if "n" in frame.value.columns]
