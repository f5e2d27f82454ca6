"""One sign for gaps everywhere: an organisation behind the roadmap has a positive gap.

Gap = expected score − score. The library, the PDF, the workbook and every chart that
draws gaps must agree, in every language, and each axis or title must say which sign
means behind.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from pypdf import PdfReader

from capacity.export.pdf_charts import gap_bars_figure
from capacity.export.pdf_scorecard import build_pdf
from capacity.export.xlsx_scorecard import build_xlsx
from capacity.i18n import LANGUAGES, format_number, translator
from capacity.labels import gap_title
from tests.export_data import results_of, scorecard_of

HEADER_ROW = 4
GAP_COLUMN = 7  # the Dimensions sheet's "Gap to the expectation"
BEHIND_LEVELS = [1, 1, 2, 1, 1, 1]  # scores of 20–40 in 2025, when the roadmap expects about 60


def _behind(lang: str):
    scorecard = scorecard_of(results_of((2025, BEHIND_LEVELS)), lang)
    assert scorecard.result.index.roadmap.gap > 0  # the engine: expected − score
    return scorecard


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_behind_organisation_has_a_positive_gap_in_the_library(lang) -> None:
    scorecard = _behind(lang)
    assert scorecard.index_row["gap"] == pytest.approx(scorecard.result.index.roadmap.gap)
    assert scorecard.index_row["gap"] > 0
    assert (scorecard.dimension_table["gap"] > 0).all()
    assert (scorecard.priorities["gap"] > 0).all()


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_pdf_prints_the_positive_gap(lang) -> None:
    scorecard = _behind(lang)
    gap = format_number(float(scorecard.index_row["gap"]), lang, 1)
    assert "-" not in gap
    cover = PdfReader(io.BytesIO(build_pdf(scorecard))).pages[0].extract_text()
    if lang != "ar":  # extracted Arabic runs are reordered; the figure itself is checked below
        assert translator(lang)("Gap: {gap} points", gap=gap) in cover
    for value in scorecard.dimension_table["gap"]:
        figure = format_number(float(value), lang, 1)
        assert figure in cover and f"-{figure}" not in cover


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_workbook_holds_the_positive_gap(lang) -> None:
    scorecard = _behind(lang)
    t = translator(lang)
    book = load_workbook(io.BytesIO(build_xlsx(scorecard)))
    cover = book[t("Scorecard")]
    values = {
        cover.cell(row, 1).value: cover.cell(row, 2).value for row in range(HEADER_ROW, cover.max_row + 1)
    }
    cover_gap = values[t("Gap to the expectation (points)")]
    assert cover_gap == pytest.approx(scorecard.index_row["gap"]) and cover_gap > 0
    sheet = book[t("Dimensions")]
    assert sheet.cell(HEADER_ROW, GAP_COLUMN).value == t("Gap to the expectation")
    rows = len(scorecard.dimensions)
    gaps = [sheet.cell(row, GAP_COLUMN).value for row in range(HEADER_ROW + 1, HEADER_ROW + rows + 1)]
    assert all(gap > 0 for gap in gaps)
    bars = sheet._charts[1]
    title = "".join(run.t for paragraph in bars.title.tx.rich.p for run in paragraph.r)
    assert title == gap_title(lang)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_the_gap_chart_draws_behind_to_the_right_and_says_so(lang) -> None:
    scorecard = _behind(lang)
    figure = gap_bars_figure(scorecard.dimension_table, scorecard.year, lang)
    axes = figure.axes[0]
    assert axes.get_xlabel() == gap_title(lang)
    now_bars = axes.containers[1]  # the gaps to the year's expectation
    assert all(bar.get_width() > 0 for bar in now_bars)


def test_the_titles_name_the_sign_in_every_language() -> None:
    assert gap_title("en") == "Gap in points (positive: behind)"
    assert "geride" in gap_title("tr")  # "behind"
    assert "متأخر" in gap_title("ar")  # "behind"


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(levels=st.lists(st.integers(0, 5), min_size=6, max_size=6))
def test_the_sign_of_every_dimension_gap_is_expected_minus_score(levels) -> None:
    scorecard = scorecard_of(results_of((2025, levels)), "en")
    for row in scorecard.dimension_table.itertuples(index=False):
        assert row.gap == pytest.approx(row.expected - row.score)
        assert (row.gap > 0) == (row.score < row.expected)


@pytest.mark.parametrize("lang", ["en", "tr"])
def test_an_organisation_at_the_vision_is_never_projected_into_the_past(lang) -> None:
    t = translator(lang)
    scorecard = scorecard_of(results_of((2023, [5] * 6), (2025, [5] * 6)), lang)
    cover = PdfReader(io.BytesIO(build_pdf(scorecard))).pages[0].extract_text()
    assert t("Vision already reached") in " ".join(cover.split())
    assert t("Reaches the vision in {year}", year="").strip() not in cover
    book = load_workbook(io.BytesIO(build_xlsx(scorecard)))
    sheet = book[t("Scorecard")]
    values = {
        sheet.cell(row, 1).value: sheet.cell(row, 2).value for row in range(HEADER_ROW, sheet.max_row + 1)
    }
    assert values[t("Projection at the current pace")] == t("Vision already reached")
