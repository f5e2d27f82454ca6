"""AppTest of the Scorecards page: an evaluator reviews an indicator, previews and downloads; roles differ.

The page runs on the small hand-made portfolio (copied per test, since reviews change it):
the review recorded through the page must be in the database as the score of record, the
preview must show the engine's figures, and the batch must produce a ZIP after its
progress bar. A board member is refused; a manager downloads only their own scorecard.
"""

from __future__ import annotations

import io
import shutil
import zipfile

import pandas as pd
import pytest

from capacity.access import BOARD, CLI_ADMIN, EVALUATOR, MANAGER, Actor
from capacity.framework import current_framework
from capacity.i18n import format_number
from capacity.review import review_history, starting_choice
from capacity.store import open_store, queries
from tests.apptest import open_page
from tests.dashboard_data import fill_small_portfolio
from ui.review_section import level_key

PAGE = "views/scorecards.py"
EVA = Actor("eva", EVALUATOR)


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    path = tmp_path_factory.mktemp("scorecards-page") / "capacity.db"
    store = open_store(f"sqlite:///{path}")
    fill_small_portfolio(store)
    store.close()
    return path


@pytest.fixture
def database(prepared, tmp_path, monkeypatch):
    """A fresh copy of the small portfolio for one test; the app and the test both use it."""
    path = tmp_path / "capacity.db"
    shutil.copy(prepared, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("CAPACITY_DATABASE_URL", url)
    store = open_store(url)
    yield store
    store.close()


def page_text(at) -> str:
    parts = [
        e.value
        for kind in (
            at.markdown,
            at.caption,
            at.header,
            at.subheader,
            at.success,
            at.warning,
            at.error,
            at.info,
        )
        for e in kind
    ]
    return " ".join(str(part) for part in parts).replace("\\", "")


def table_texts(at) -> str:
    return " ".join(frame.value.to_csv() for frame in at.dataframe)


def downloads(at) -> list[str]:
    return [button.proto.label for button in at.get("download_button")]


def test_an_evaluator_reviews_an_indicator_and_the_score_follows(database) -> None:
    at = open_page(PAGE, actor=EVA, query={"year": "2026", "org": "NS-01"})
    assert at.title[0].value == "Scorecards"
    assert "Aurora Relief Society" in page_text(at)
    metrics = {metric.label: metric.value for metric in at.metric}
    result = next(r for r in queries.assessment_results(database, CLI_ADMIN, "NS-01") if r.year == 2026)
    assert metrics["Capacity index (0–100)"] == format_number(result.index.score, "en", 1)  # 76.7
    assert len(at.get("image")) == 2  # the PDF scorecard's radar and gap bars
    assert downloads(at)[:2] == ["Download the Excel scorecard", "Download the PDF scorecard"]

    at.selectbox(key="scorecards_review_code").set_value("IC.1")
    at.run()
    level = at.selectbox(key=level_key("NS-01", 2026, "IC.1"))
    assert level.value == "4"  # it starts at the level of record, not at 0
    level.set_value("1")
    at.text_area(key="scorecards_review_reason").set_value("The strategy is a draft; no board approval.")
    at.button(key="scorecards_review_submit").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Verified level of IC.1 recorded" in page_text(at)
    stored = queries.indicator_results(database, CLI_ADMIN, "NS-01", 2026).set_index("code")
    assert stored.loc["IC.1", "level"] == 1 and stored.loc["IC.1", "self_level"] == 4
    history = review_history(database, CLI_ADMIN, "NS-01")
    assert list(history["reviewer"]) == ["eva"]
    assert "The strategy is a draft; no board approval." in table_texts(at)  # shown in the history
    changed = next(r for r in queries.assessment_results(database, CLI_ADMIN, "NS-01") if r.year == 2026)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert metrics["Capacity index (0–100)"] == format_number(changed.index.score, "en", 1)
    assert changed.index.score < result.index.score


def test_a_review_without_justification_is_refused_on_the_page(database) -> None:
    at = open_page(PAGE, actor=EVA, query={"year": "2026", "org": "NS-02"})
    at.button(key="scorecards_review_submit").click()
    at.run()
    assert "A review needs a justification." in page_text(at)
    assert review_history(database, CLI_ADMIN, "NS-02").empty


def test_the_batch_zip_follows_a_progress_bar(database) -> None:
    at = open_page(PAGE, actor=EVA, query={"year": "2023", "region": "Sub-Saharan Africa"})
    at.radio(key="scorecards_batch_format").set_value("xlsx")
    at.button(key="scorecards_batch_make").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    batch = at.session_state["scorecards_batch"][3]
    assert batch.files == (
        "scorecard_NGO-01_2023.xlsx",
        "scorecard_NGO-02_2023.xlsx",
        "scorecard_NGO-03_2023.xlsx",
    )
    with zipfile.ZipFile(io.BytesIO(batch.data)) as archive:
        assert len(archive.namelist()) == 3
    assert "Download the ZIP (3 scorecards)" in downloads(at)
    assert {"Download as CSV (ZIP)", "Download as Excel"} <= set(downloads(at))


def test_turkish_page(database) -> None:
    at = open_page(PAGE, actor=EVA, lang="tr", query={"year": "2026", "org": "NS-03"})
    assert "Cedar Mercy Society" in page_text(at)
    metrics = {metric.label: metric.value for metric in at.metric}
    assert "," in next(iter(metrics.values()))  # 60,0: the Turkish decimal comma


def test_a_board_member_is_refused_and_a_manager_sees_only_their_scorecard(database) -> None:
    at = open_page(PAGE, actor=Actor("board", BOARD))
    assert at.error and not downloads(at)
    manager = Actor("ayse", MANAGER, frozenset({"NS-04"}))
    at = open_page(PAGE, actor=manager, query={"year": "2026"})
    assert "Dunmere Aid Society" in page_text(at)
    assert at.selectbox(key="filter_widget_org").options == ["Dunmere Aid Society (NS-04)"]
    assert not [b for b in at.button if b.key == "scorecards_review_submit"]  # managers do not review
    assert "Download as Excel" not in downloads(at)  # nor export the whole dataset
    assert downloads(at)[:2] == ["Download the Excel scorecard", "Download the PDF scorecard"]


def tables_by_dimension(at) -> dict[str, pd.DataFrame]:
    """The review's indicator tables, by the dimension heading above each."""
    headings = [m.value for m in at.markdown if m.value.startswith("**") and " · " in m.value]
    frames = [table.value for table in at.table]
    pairs = zip(headings, frames, strict=True)
    return {heading.strip("*").split(" · ")[0]: frame for heading, frame in pairs}


def test_every_indicator_is_listed_by_dimension_with_its_evidence_in_full(database) -> None:
    at = open_page(PAGE, actor=EVA, query={"year": "2026", "org": "NS-01"})
    tables = tables_by_dimension(at)
    framework = current_framework()
    assert list(tables) == [dimension.code for dimension in framework.dimensions]
    for dimension in framework.dimensions:
        shown = [cell.replace("\\", "").split(" · ")[0] for cell in tables[dimension.code]["Indicator"]]
        assert shown == [indicator.code for indicator in dimension.indicators]  # all of them, in order
    result = next(r for r in queries.assessment_results(database, CLI_ADMIN, "NS-01") if r.year == 2026)
    ic = tables["IC"].set_index(tables["IC"]["Indicator"].str.replace("\\", "").str.split(" · ").str[0])
    for code in ("IC.1", "IC.2"):
        expected = "\n".join((*result.indicators[code].evidence, *result.indicators[code].evidence_links))
        assert ic.loc[code, "Evidence"].replace("\\", "") == expected  # every note, nothing cut
    assert not at.dataframe or all(len(frame.value) != 36 for frame in at.dataframe)  # no scrolling grid


def test_a_reviewed_indicator_is_marked_and_the_level_box_starts_at_each_level_of_record(database) -> None:
    at = open_page(PAGE, actor=EVA, query={"year": "2026", "org": "NS-02"})
    result = next(r for r in queries.assessment_results(database, CLI_ADMIN, "NS-02") if r.year == 2026)
    for code in ("IC.1", "IL.3", "SD.2"):
        at.selectbox(key="scorecards_review_code").set_value(code).run()
        indicator = result.indicators[code]
        expected = starting_choice(indicator.level, indicator.not_applicable)
        assert at.selectbox(key=level_key("NS-02", 2026, code)).value == expected
    assert "✓" not in " ".join(tables_by_dimension(at)["IC"]["Reviewed"])

    at.selectbox(key="scorecards_review_code").set_value("IC.2").run()
    at.selectbox(key=level_key("NS-02", 2026, "IC.2")).set_value("na")
    at.text_area(key="scorecards_review_reason").set_value("The mandate excludes this.")
    at.button(key="scorecards_review_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    reviewed = tables_by_dimension(at)["IC"]
    codes = reviewed["Indicator"].str.replace("\\", "").str.split(" · ").str[0]
    marks = dict(zip(codes, reviewed["Reviewed"], strict=True))
    assert marks["IC.2"].replace("\\", "").startswith("✓ N/A · eva · ") and marks["IC.1"] == ""
    label = at.selectbox(key="scorecards_review_code")
    assert label.format_func("IC.2").endswith("✓") and not label.format_func("IC.1").endswith("✓")
    assert "Already reviewed: ✓ N/A · eva" in page_text(at)  # the form says so for the chosen indicator
