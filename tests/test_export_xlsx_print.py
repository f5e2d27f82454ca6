"""The Excel scorecard prints on A4: fitted to the width, headers unbroken, the Indicators sheet on ≤ 3 pages.

The workbook is printed the way a board's office suite would: LibreOffice converts it to
PDF, and every page is rendered to test-artifacts/scorecard-xlsx-{lang}-p{n}.png for a
person to look at. The data are the demo's Borovian Red Cross, whose evidence notes and
level descriptions are as long as real ones.
"""

from __future__ import annotations

import io
import subprocess
from functools import cache

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from capacity.demo import demo_submissions
from capacity.export.scorecard import OrganisationDetails, Scorecard, build_scorecard
from capacity.export.xlsx_scorecard import TABLE_HEADER_ROW, build_xlsx, header_width
from capacity.i18n import LANGUAGES, translator
from capacity.scoring import score_assessment
from tests.conftest import require_tool
from tests.export_data import ARTIFACTS, FIXED_DAY
from tests.libreoffice import convert

ORGANISATION = "NS-BOR-01"
A4_POINTS = (595.3, 841.9)
MAX_INDICATOR_PAGES = 3
WIDE_SHEETS = ("Dimensions", "Indicators", "Action plan", "Improvement plan")  # printed landscape


@cache
def _scorecard(lang: str) -> Scorecard:
    submissions = [s for s in demo_submissions(today=FIXED_DAY) if s.organisation_id == ORGANISATION]
    by_year: dict[int, list] = {}
    for submission in submissions:
        by_year.setdefault(submission.year, []).append(submission)
    results = [score_assessment(found) for _, found in sorted(by_year.items())]
    last = submissions[-1]
    details = OrganisationDetails(
        ORGANISATION, last.organisation_name, last.organisation_type, last.country, last.region
    )
    return build_scorecard(results, details, None, lang, created=FIXED_DAY)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_sheet_is_set_up_for_a4_fitted_to_the_width(lang) -> None:
    t = translator(lang)
    book = load_workbook(io.BytesIO(build_xlsx(_scorecard(lang))))
    for sheet in book.worksheets:
        assert int(sheet.page_setup.paperSize) == int(sheet.PAPERSIZE_A4), sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
    for name in WIDE_SHEETS:
        assert book[t(name)].page_setup.orientation == "landscape"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_table_header_is_narrower_than_its_longest_word(lang) -> None:
    """A column narrower than a title's longest word would break that word in the middle."""
    t = translator(lang)
    book = load_workbook(io.BytesIO(build_xlsx(_scorecard(lang))))
    for name in WIDE_SHEETS:
        sheet = book[t(name)]
        for cell in sheet[TABLE_HEADER_ROW]:
            if isinstance(cell.value, str):
                width = sheet.column_dimensions[cell.column_letter].width
                assert width >= header_width(cell.value), (lang, name, cell.value, width)


def _a4(page) -> bool:
    size = sorted((float(page.mediabox.width), float(page.mediabox.height)))
    return all(abs(found - expected) < 1 for found, expected in zip(size, A4_POINTS, strict=True))


def _only(data: bytes, sheet_name: str) -> bytes:
    """The workbook with every other sheet hidden: an office suite prints visible sheets only."""
    book = load_workbook(io.BytesIO(data))
    for sheet in book.worksheets:
        if sheet.title != sheet_name:
            sheet.sheet_state = "hidden"
    book.active = book.worksheets.index(book[sheet_name])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.libreoffice
@pytest.mark.xdist_group("libreoffice")
@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_printed_workbook_is_a4_and_the_indicators_take_at_most_three_pages(lang) -> None:
    pdftoppm = require_tool("pdftoppm", "the printed pages are rendered to PNG for people to look at")
    data = build_xlsx(_scorecard(lang))
    indicators = PdfReader(io.BytesIO(convert(_only(data, translator(lang)("Indicators")), ".xlsx", "pdf")))
    assert 1 <= len(indicators.pages) <= MAX_INDICATOR_PAGES
    assert all(_a4(page) for page in indicators.pages)
    assert all(page.mediabox.width > page.mediabox.height for page in indicators.pages)  # landscape

    printed = convert(data, ".xlsx", "pdf")
    pages = PdfReader(io.BytesIO(printed)).pages
    assert all(_a4(page) for page in pages)
    text = " ".join(page.extract_text() for page in pages)
    assert "Borovian Red Cross" in text
    ARTIFACTS.mkdir(exist_ok=True)
    name = f"scorecard-xlsx-{lang}"
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(printed)
    for old in ARTIFACTS.glob(f"{name}-p*.png"):
        old.unlink()
    for number in range(1, len(pages) + 1):  # scorecard-xlsx-tr-p3.png: page 3
        target = ARTIFACTS / f"{name}-p{number}"
        subprocess.run(
            [
                pdftoppm,
                "-r",
                "60",
                "-png",
                "-singlefile",
                "-f",
                str(number),
                "-l",
                str(number),
                source,
                target,
            ],
            check=True,
            timeout=120,
        )
    assert len(list(ARTIFACTS.glob(f"{name}-p*.png"))) == len(pages)
