"""Arabic questionnaires: labels, level names, Arabic-Indic digits and Eastern Arabic years.

An Arabic file must score exactly like the English and Turkish files with the same
answers; the LibreOffice round trip is in test_reader_libreoffice.py.
"""

from __future__ import annotations

import dataclasses
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from capacity import i18n
from capacity.framework import LEVELS, current_framework
from capacity.questionnaire import layout
from capacity.questionnaire.levels import LevelReader, fold, western_digits
from capacity.questionnaire.reader import ReadResult, read_questionnaire
from capacity.scoring.engine import score_assessment
from tests.bad_files import filled_submission, filled_xlsx, level_cell, with_cells

FRAMEWORK = current_framework()
ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
RLM, ALM, TATWEEL = "\u200f", "\u061c", "\u0640"


def read(data: bytes) -> ReadResult:
    return read_questionnaire(data, "questionnaire.xlsx")


def arabic(msgid: str) -> str:
    return i18n.translator("ar")(msgid)


def test_the_arabic_questionnaire_reads_back_exactly() -> None:
    result = read(filled_xlsx("ar"))
    assert [p.render("en") for p in result.errors] == []
    assert result.language == "ar"
    assert result.submission == filled_submission(language="ar")


def test_arabic_sheets_labels_and_headers_are_recognised_in_a_right_to_left_file() -> None:
    data = filled_xlsx("ar")
    wb = load_workbook(io.BytesIO(data))
    responses = wb[arabic(layout.SHEET_RESPONSES)]
    assert responses.sheet_view.rightToLeft
    assert responses.cell(row=layout.HEADER_ROW, column=1).value == arabic("Code")
    levels_written = {responses[level_cell(ind.code)].value for ind in FRAMEWORK.indicators} - {None}
    assert levels_written <= {FRAMEWORK.level_label(level, "ar") for level in LEVELS} | {arabic("N/A")}


@given(level=st.sampled_from(LEVELS), digits=st.sampled_from([ARABIC_INDIC, PERSIAN, str.maketrans("", "")]))
def test_arabic_level_names_and_digits_are_read(level: int, digits: dict[int, str]) -> None:
    reader = LevelReader.of(FRAMEWORK)
    name = FRAMEWORK.level_name(level, "ar")
    number = str(level).translate(digits)
    for written in (
        number,
        f"{number}{RLM}",
        f"{number} – {name}",
        f"{name}",
        f" {name.replace('أ', 'ا')} ",  # hamza left off, as often typed
        f"{number}{ALM} - {name}",
        f"{number}\u066b0",  # Arabic decimal separator: ٣٫٠
    ):
        assert reader.read(written).level == level, written
    assert reader.read(f"{number}\u066b5").problem is not None  # ٣٫٥ is not on the scale


def test_an_arabic_name_with_the_wrong_number_is_refused() -> None:
    reader = LevelReader.of(FRAMEWORK)
    answer = reader.read(f"{'3'.translate(ARABIC_INDIC)} – {FRAMEWORK.level_name(1, 'ar')}")
    assert answer.level is None and answer.problem is not None


def test_fold_ignores_arabic_vowel_marks_tatweel_and_digit_shapes() -> None:
    assert fold("مُقيِّم") == fold("مقيم")
    assert fold(f"متـ{TATWEEL}قدم") == fold("متقدم")
    assert western_digits("٢٠٢٥-٠٣-٣١") == "2025-03-31"
    assert western_digits("۲۰۲۵") == "2025"


@pytest.mark.parametrize("year", ["٢٠٢٤", "۲۰۲۴", f"{RLM}٢٠٢٤", "٢٠٢٤٫٠"])
def test_eastern_arabic_years_and_dates_are_read(year: str) -> None:
    sheet = arabic(layout.SHEET_ORGANISATION)
    data = with_cells({sheet: {"B7": year, "B10": "٣١/٠٣/٢٠٢٥"}}, base=filled_xlsx("ar"))
    result = read(data)
    assert [p.render("en") for p in result.errors] == []
    assert result.submission is not None
    assert (result.submission.year, result.submission.date_completed.isoformat()) == (2024, "2025-03-31")


def test_arabic_not_applicable_and_answers_typed_in_arabic_digits() -> None:
    sheet = arabic(layout.SHEET_RESPONSES)
    written = {"IC.1": arabic("N/A"), "IC.3": "٤", "IC.4": f"٢ – {FRAMEWORK.level_name(2, 'ar')}"}
    data = with_cells(
        {sheet: {level_cell(code): text for code, text in written.items()}}, base=filled_xlsx("ar")
    )
    submission = read(data).submission
    assert submission is not None
    assert submission.answers["IC.1"].not_applicable
    assert (submission.answers["IC.3"].level, submission.answers["IC.4"].level) == (4, 2)


def test_the_same_answers_give_the_same_index_in_english_turkish_and_arabic() -> None:
    """Language is a matter of presentation: every number of the result is the same."""
    results = {}
    for lang in i18n.LANGUAGES:
        submission = read(filled_xlsx(lang)).submission
        assert submission is not None and submission.language == lang
        results[lang] = score_assessment([dataclasses.replace(submission, language="en")])
    assert results["ar"].index == results["en"].index == results["tr"].index
    assert results["ar"] == results["en"] == results["tr"]
