"""The Excel scorecard read back with openpyxl: every figure is the engine's, every sheet is there.

The cases build the scorecard from the engine's results (store-backed for the small
portfolio, in memory for hypothesis), write the workbook, load it again and compare each
cell with the engine's unrounded value. One case opens it in LibreOffice and prints it
to PDF, as a board member's office suite would.
"""

from __future__ import annotations

import io
import subprocess
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.chart import BarChart, RadarChart
from pypdf import PdfReader

from capacity.access import BOARD, CLI_ADMIN, MANAGER, AccessDenied, Actor
from capacity.cli import main
from capacity.export import ExportError
from capacity.export.batch import XLSX, batch_zip
from capacity.export.scorecard import empty_plan_text, load_scorecard
from capacity.export.xlsx_scorecard import build_xlsx
from capacity.framework import current_framework
from capacity.i18n import translator
from capacity.labels import STATUS_ORDER, STATUS_SYMBOLS, arrow_text, status_text
from capacity.store import open_store
from tests.conftest import require_tool
from tests.dashboard_data import fill_small_portfolio
from tests.export_data import ARTIFACTS, results_of, scorecard_of

DIMENSIONS = [d.code for d in current_framework().dimensions]
HEADER_ROW = 4


def engine(value: float | None):
    """The engine's figure as a spreadsheet keeps it: 16 significant digits (Excel shows 15)."""
    return None if value is None else pytest.approx(value, rel=1e-15, abs=1e-12)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('xlsx') / 'capacity.db'}")
    fill_small_portfolio(opened)
    yield opened
    opened.close()


def workbook_of(scorecard):
    return load_workbook(io.BytesIO(build_xlsx(scorecard)))


def cover_values(sheet) -> dict[str, object]:
    return {
        sheet.cell(row, 1).value: sheet.cell(row, 2).value
        for row in range(HEADER_ROW, sheet.max_row + 1)
        if sheet.cell(row, 1).value
    }


def table_rows(sheet, count: int) -> list[list[object]]:
    """The values of the first `count` rows under the table header."""
    rows = sheet.iter_rows(min_row=HEADER_ROW + 1, max_row=HEADER_ROW + count)
    return [[cell.value for cell in row] for row in rows]


def dimension_rows(sheet) -> list[list[object]]:
    return table_rows(sheet, len(DIMENSIONS) + 1)


def test_every_sheet_holds_the_engines_figures(store) -> None:
    scorecard = load_scorecard(store, CLI_ADMIN, "NS-01", 2026)
    result = scorecard.result
    book = workbook_of(scorecard)
    assert book.sheetnames == [
        "Scorecard",
        "Dimensions",
        "Indicators",
        "Action plan",
        "Improvement plan",
        "Method",
    ]

    cover = cover_values(book["Scorecard"])
    assert cover["Organisation"] == "Aurora Relief Society"
    assert cover["Assessment year"] == 2026
    assert cover["Capacity index (0–100)"] == engine(result.index.score)  # 76.67, unrounded
    assert cover["Level"] == "3 – Established"
    assert cover["Roadmap status"] == status_text(result.index.roadmap.status, "en")
    assert cover["Expected by the roadmap in 2026"] == engine(result.index.roadmap.expected)
    assert cover["Gap to the 2053 vision (points)"] == engine(result.index.roadmap.gap_2053)
    assert cover["Trend (2019–2026)"] == arrow_text(scorecard.index_trend["arrow"], "en")
    assert book["Scorecard"].cell(HEADER_ROW + 7, 2).number_format == "0.0"

    rows = dimension_rows(book["Dimensions"])
    for code, row in zip(DIMENSIONS, rows, strict=False):
        found = result.dimensions[code]
        assert row[0] == code
        assert row[2] == engine(found.score)
        assert row[4] == status_text(found.roadmap.status, "en")
        assert row[5] == engine(found.roadmap.expected)
        assert row[6] == engine(found.roadmap.gap)
        assert row[7] == 60 and row[8] == 90  # the 2023 and 2053 targets
        assert row[9] == engine(found.roadmap.gap_2053)
        assert row[10] == engine(found.coverage)
    assert rows[-1][1] == "Index" and rows[-1][2] == engine(result.index.score)

    indicators = book["Indicators"]
    levels = {
        indicators.cell(row, 1).value: indicators.cell(row, 4).value
        for row in range(HEADER_ROW + 1, indicators.max_row + 1)
    }
    assert levels == {code: engine(found.level) for code, found in result.indicators.items()}

    plan = book["Action plan"]
    planned = table_rows(plan, len(scorecard.priorities))
    assert [row[1] for row in planned] == list(scorecard.priorities["code"])
    for row, expected in zip(planned, scorecard.priorities.itertuples(index=False), strict=True):
        assert row[5] == engine(expected.gap)
        assert row[7] == engine(expected.weighted_gap) == expected.weight * expected.gap
        indicator = current_framework().indicator(expected.code)
        assert row[9] == indicator.descriptors[expected.next_level]("en")  # the next level's descriptor
        assert row[10:13] == [None, None, None]  # Owner, Due date, Status: left to fill in
    validations = plan.data_validations.dataValidation
    assert {v.type for v in validations} == {"list", "date"}
    assert '"Not started,In progress,Done"' in [v.formula1 for v in validations]

    method = "\n".join(str(c.value) for row in book["Method"].iter_rows() for c in row if c.value)
    assert f"version {scorecard.framework_version}" in method
    assert scorecard.roadmap_id in method and "Formulas in words" in method


def test_the_dimensions_sheet_has_native_charts_and_status_colours(store) -> None:
    book = workbook_of(load_scorecard(store, CLI_ADMIN, "NS-02", 2026))
    sheet = book["Dimensions"]
    charts = sheet._charts
    assert [type(chart) for chart in charts] == [RadarChart, BarChart]
    radar, bars = charts
    last = HEADER_ROW + len(DIMENSIONS)
    refs = [series.val.numRef.f for series in radar.series]

    def column(letter: str) -> str:
        return f"'Dimensions'!${letter}${HEADER_ROW + 1}:${letter}${last}"

    assert refs == [column("C"), column("H"), column("I")]  # score, 2023 and 2053 targets
    assert [series.val.numRef.f for series in bars.series] == [column("G"), column("J")]  # gaps now, 2053
    rules = [rule for ranges in sheet.conditional_formatting for rule in ranges.rules]
    formulas = {rule.formula[0] for rule in rules}
    signs = {status: f"{STATUS_SYMBOLS[status]} " for status in STATUS_ORDER}
    assert {f'LEFT($E{HEADER_ROW + 1},{len(sign)})="{sign}"' for sign in signs.values()} <= formulas
    # Each status text matches its own rule only: "! slightly behind" is not "!! behind".
    for status in STATUS_ORDER:
        text = status_text(status, "en")
        matching = [other for other, sign in signs.items() if text[: len(sign)] == sign]
        assert matching == [status]


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    levels=st.lists(st.one_of(st.none(), st.integers(0, 5)), min_size=6, max_size=6),
    earlier=st.lists(st.integers(0, 5), min_size=6, max_size=6),
    lang=st.sampled_from(["en", "tr"]),
)
def test_any_answers_give_the_engines_numbers(levels, earlier, lang) -> None:
    results = results_of((2019, earlier), (2025, levels))
    scorecard = scorecard_of(results, lang)
    book = workbook_of(scorecard)
    t = translator(lang)
    cover = cover_values(book[t("Scorecard")])
    assert cover[t("Capacity index (0–100)")] == engine(results[-1].index.score)
    rows = dimension_rows(book[t("Dimensions")])
    for code, row in zip(DIMENSIONS, rows, strict=False):
        found = results[-1].dimensions[code]
        assert row[2] == engine(found.score)
        assert row[6] == engine(found.roadmap.gap)
        if found.insufficient_data:
            assert row[3] == t("insufficient data")
    plan = book[t("Action plan")]
    codes = [row[1] for row in table_rows(plan, len(scorecard.priorities))]
    assert codes == list(scorecard.priorities["code"])
    if scorecard.priorities.empty:
        assert plan.cell(HEADER_ROW + 1, 1).value == empty_plan_text(scorecard)


def test_without_any_score_the_cells_stay_empty_rather_than_zero() -> None:
    scorecard = scorecard_of(results_of((2025, [None] * 6)))
    book = workbook_of(scorecard)
    assert cover_values(book["Scorecard"])["Capacity index (0–100)"] is None
    rows = dimension_rows(book["Dimensions"])
    assert all(row[2] is None for row in rows)
    assert [row[3] for row in rows[:-1]] == ["insufficient data"] * len(DIMENSIONS)
    assert {row[4] for row in rows} == {"– no data"}
    assert scorecard.priorities.empty
    assert book["Action plan"].cell(HEADER_ROW + 1, 1).value == (
        "No indicator has a level yet, so there is no action plan."
    )


def test_a_year_without_assessment_or_access_is_refused(store) -> None:
    with pytest.raises(ExportError) as missing:
        load_scorecard(store, CLI_ADMIN, "NS-05", 2026)
    assert "NS-05" in missing.value.message.render("en")
    with pytest.raises(AccessDenied):
        load_scorecard(store, Actor("board", BOARD), "NS-01")
    with pytest.raises(AccessDenied):
        load_scorecard(store, Actor("manager", MANAGER, frozenset({"NS-02"})), "NS-01")
    assert load_scorecard(store, Actor("manager", MANAGER, frozenset({"NS-01"})), "NS-01").year == 2026


def test_a_batch_zip_holds_one_workbook_per_organisation(store) -> None:
    seen = []
    batch = batch_zip(
        store,
        CLI_ADMIN,
        ["NS-01", "NS-02", "NS-05"],
        XLSX,
        year=2026,
        progress=lambda step: seen.append((step.stage, step.done, step.total)),
    )
    assert batch.files == ("scorecard_NS-01_2026.xlsx", "scorecard_NS-02_2026.xlsx")
    assert [organisation for organisation, _ in batch.skipped] == ["NS-05"]  # not assessed in 2026
    gathered = [("gathering", done, 3) for done in (1, 2, 3)]  # NS-05 is gathered, then skipped
    assert seen == [*gathered, ("drawing", 0, 2), ("drawing", 1, 2), ("drawing", 2, 2)]
    with zipfile.ZipFile(io.BytesIO(batch.data)) as archive:
        book = load_workbook(io.BytesIO(archive.read("scorecard_NS-02_2026.xlsx")))
    assert cover_values(book["Scorecard"])["Organisation"] == "Borovian Crescent"


def test_the_cli_writes_the_excel_scorecard(store, tmp_path, capsys) -> None:
    out = tmp_path / "card.xlsx"
    assert (
        main(
            [
                "export",
                "--database",
                store.url,
                "--org",
                "NS-01",
                "--year",
                "2023",
                "--format",
                "xlsx",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert str(out) in capsys.readouterr().out
    assert cover_values(load_workbook(out)["Scorecard"])["Assessment year"] == 2023
    assert (
        main(
            [
                "export",
                "--database",
                store.url,
                "--org",
                "NOBODY",
                "--format",
                "xlsx",
                "--out",
                str(tmp_path / "x.xlsx"),
            ]
        )
        == 1
    )
    assert "NOBODY" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        main(["export", "--org", "NS-01", "--format", "docx", "--out", "x"])
    assert usage.value.code == 2


@pytest.mark.libreoffice
def test_libreoffice_opens_and_prints_the_workbook(store, tmp_path) -> None:
    soffice = require_tool("soffice", "the Excel scorecard is checked as an office suite prints it")
    source = tmp_path / "scorecard.xlsx"
    source.write_bytes(build_xlsx(load_scorecard(store, CLI_ADMIN, "NS-03", 2026, "tr")))
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    printed = (tmp_path / "scorecard.pdf").read_bytes()
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "scorecard-xlsx-printed-tr.pdf").write_bytes(printed)
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(printed)).pages)
    assert "Cedar Mercy Society" in text
    assert translator("tr")("Priority action plan") in text
    index = load_scorecard(store, CLI_ADMIN, "NS-03", 2026).result.index.score
    assert f"{index:.1f}" in text or f"{index:.1f}".replace(".", ",") in text
