"""The Scorecards page's library parts: the preview (tiles and table) and the batch's progress and names."""

from __future__ import annotations

import pytest

from capacity.export.batch import (
    DRAWING,
    GATHERING,
    GATHERING_SHARE,
    PDF,
    XLSX,
    Step,
    format_label,
    progress_bar,
    zip_name,
)
from capacity.export.scorecard import figure, preview_table, preview_tiles
from capacity.i18n import translator
from capacity.labels import arrow_text, gap_title, status_help, status_text
from tests.export_data import results_of, scorecard_of

LEVELS_2019 = (2,) * 6
LEVELS_2023 = (3, 3, 2, 3, 3, None)  # one dimension unanswered: no score, no coverage


def test_a_figure_has_one_decimal_in_the_readers_locale_or_says_why_there_is_none() -> None:
    assert figure(62.46, "en") == "62.5"
    assert figure(62.46, "tr") == "62,5"
    assert figure(None, "en") == figure(float("nan"), "en") == "–"
    assert figure(3.0, "tr", not_applicable=True) == translator("tr")("N/A")


def test_the_preview_is_the_scorecards_index_and_dimensions_in_the_readers_words() -> None:
    scorecard = scorecard_of(results_of((2019, LEVELS_2019), (2023, LEVELS_2023)), lang="tr", year=2023)
    index, status, trend = preview_tiles(scorecard)
    row = scorecard.index_row
    assert index.value == figure(row["score"], "tr") and index.help is None
    assert (status.value, status.help) == (status_text(row["status"], "tr"), status_help(row["status"], "tr"))
    assert trend.value == arrow_text(scorecard.index_trend["arrow"], "tr")
    table = preview_table(scorecard)
    t = translator("tr")
    assert list(table.columns) == [
        t("Dimension"),
        t("Score"),
        t("Roadmap status"),
        t("Expected in {year}", year=2023),
        gap_title("tr"),
        t("Coverage"),
        t("Trend"),
    ]
    assert len(table) == len(scorecard.dimensions)
    assert list(table[t("Score")]) == [figure(v, "tr") for v in scorecard.dimensions["score"]]
    assert "–" in list(table[t("Score")])  # the unanswered dimension
    assert all(cell.startswith("%") or cell == "–" for cell in table[t("Coverage")])


def test_the_progress_bar_gives_gathering_a_tenth_and_names_the_organisation_drawn() -> None:
    assert progress_bar(Step(GATHERING, 0, 10), "en") == (0.0, "Gathering the figures: 0 of 10")
    assert progress_bar(Step(GATHERING, 10, 10, "A"), "en")[0] == pytest.approx(GATHERING_SHARE)
    share, text = progress_bar(Step(DRAWING, 5, 10, "NS-01"), "en")
    assert share == pytest.approx(GATHERING_SHARE + (1 - GATHERING_SHARE) / 2)
    assert text == "5 of 10 scorecards ready · NS-01"
    assert progress_bar(Step(DRAWING, 0, 0), "en") == (1.0, "0 of 0 scorecards ready")


def test_formats_and_the_zip_are_named_in_the_readers_language() -> None:
    assert (format_label(PDF, "en"), format_label(XLSX, "en")) == ("PDF", "Excel")
    assert zip_name("en", 2023, PDF).endswith("2023_pdf.zip")
    assert zip_name("tr", 2023, XLSX) != zip_name("en", 2023, XLSX)
