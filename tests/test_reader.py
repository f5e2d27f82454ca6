"""The questionnaire reader on honest files: every variant people produce gets in, intact.

Bad and hostile files are in test_reader_hostile.py, random corruption in
test_reader_properties.py, LibreOffice round trips in test_reader_libreoffice.py.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
import re
import statistics
import time
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from capacity import i18n
from capacity.cli import main
from capacity.framework import LEVELS, current_framework
from capacity.questionnaire.levels import LevelReader, fold
from capacity.questionnaire.reader import (
    MSG_UNREADABLE,
    Problem,
    QuestionnaireError,
    ReadResult,
    max_upload_bytes,
    problems_as_rows,
    read_questionnaire,
)
from capacity.questionnaire.safety import NOTE_MACROS, check_container
from capacity.questionnaire.submission import Answer
from capacity.questionnaire.template import build_template
from tests.bad_files import (
    RESPONSES_PART,
    filled_submission,
    filled_xlsx,
    indicator_row,
    level_cell,
    ods_file,
    rezip,
    with_cells,
)

FRAMEWORK = current_framework()


def read(data: bytes, name: str = "questionnaire.xlsx") -> ReadResult:
    return read_questionnaire(data, name)


def errors(result: ReadResult) -> list[str]:
    return [problem.render("en") for problem in result.errors]


def warnings(result: ReadResult) -> list[str]:
    return [problem.render("en") for problem in result.warnings]


def no_level(code: str, cell: str | None = None) -> str:
    """The warning a blank Level cell gives (IL.3 is blank in the filled questionnaire)."""
    title = FRAMEWORK.indicator(code).title("en")
    return (
        f"Responses!{cell or level_cell(code)} ({code}): {code} ({title}) has no level: it counts as "
        "unanswered and lowers coverage. Choose a level from 0 to 5, or N/A if it does not apply."
    )


IL3_BLANK = no_level("IL.3")


def rewrite_responses(data: bytes, change) -> bytes:
    """Give `change(rows)` the Responses sheet as a list of row value lists; write back what it returns."""
    workbook = load_workbook(io.BytesIO(data))
    sheet = workbook["Responses"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    new_rows = change(rows)
    sheet.delete_rows(1, sheet.max_row)
    for r, row in enumerate(new_rows, start=1):
        for c, value in enumerate(row, start=1):
            sheet.cell(row=r, column=c).value = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- the plain case


def test_filled_questionnaire_reads_back_exactly() -> None:
    result = read(filled_xlsx())
    assert errors(result) == []
    assert warnings(result) == [IL3_BLANK]  # left blank on purpose: unanswered, named with its title
    assert result.valid
    assert result.submission == filled_submission()
    assert result.language == "en"
    assert len(result.sha256) == 64


def test_answers_are_in_framework_order_with_every_indicator() -> None:
    submission = read(filled_xlsx()).submission
    assert submission is not None
    assert list(submission.answers) == [ind.code for ind in FRAMEWORK.indicators]
    assert submission.answers["IC.2"].not_applicable
    assert submission.answers["IL.3"].is_blank


def test_turkish_questionnaire_reads_back_exactly() -> None:
    result = read(filled_xlsx("tr"))
    assert errors(result) == []
    assert result.language == "tr"
    assert result.submission == filled_submission(language="tr")


def test_translated_sheets_labels_and_headers_are_recognised() -> None:
    data = build_template(prefill=filled_submission(language="tr"), complete=True, lang="tr")
    assert "Yanıtlar" in load_workbook(io.BytesIO(data)).sheetnames
    result = read(data)
    assert errors(result) == []
    assert result.submission == filled_submission(language="tr")


def test_problems_name_the_sheet_as_it_appears_in_the_file() -> None:
    data = build_template(prefill=filled_submission(language="tr"), complete=True, lang="tr")
    data = with_cells({"Yanıtlar": {level_cell("IC.1"): "Çok iyi"}}, base=data)
    result = read(data)
    sentence = i18n.translator("tr")(
        '"{found}" is not a level. Choose 0–5 or N/A from the list.', found="Çok iyi"
    )
    assert sentence.startswith('"Çok iyi" ') and "is not a level" not in sentence
    assert [p.render("tr") for p in result.errors] == [f"Yanıtlar!{level_cell('IC.1')} (IC.1): {sentence}"]


def test_turkish_not_applicable_entry_is_understood() -> None:
    written = {"IC.1": i18n.translator("tr")("N/A"), "IC.3": "uygulanamaz", "IC.4": "UYGULANAMAZ"}
    data = with_cells({"Responses": {level_cell(code): text for code, text in written.items()}})
    submission = read(data).submission
    assert submission is not None
    assert all(submission.answers[code].not_applicable for code in written)


# --------------------------------------------------------------------------- level spellings


LEVEL_3_SPELLINGS = [
    3,
    3.0,
    "3",
    " 3 ",
    "3.0",
    "3,0",
    "3.",
    "3 – Established",
    "3 - Established",
    "3 — established",
    "3: Established",
    "Established",
    "established",
    "  ESTABLISHED ",
    "Yerleşik",
    "yerlesik",
    "YERLEŞİK",
    "3 – Yerleşik",
]
NOT_APPLICABLE_SPELLINGS = ["N/A", "NA", "n/a", "N.A.", "na", "Not applicable", "not applicable"]


@pytest.mark.parametrize("spelling", LEVEL_3_SPELLINGS, ids=repr)
def test_every_spelling_of_a_level_is_read(spelling: object) -> None:
    result = read(with_cells({"Responses": {level_cell("IC.1"): spelling}}))
    assert errors(result) == []
    assert result.submission is not None
    assert result.submission.answers["IC.1"].level == 3


@pytest.mark.parametrize("spelling", NOT_APPLICABLE_SPELLINGS)
def test_every_spelling_of_not_applicable_is_read(spelling: str) -> None:
    result = read(with_cells({"Responses": {level_cell("IC.1"): spelling}}))
    assert result.submission is not None
    assert result.submission.answers["IC.1"] == Answer(
        "IC.1", not_applicable=True, evidence_link=(filled_submission().answers["IC.1"].evidence_link)
    )


LEVEL_READER = LevelReader(FRAMEWORK)


@given(
    level=st.sampled_from(LEVELS),
    lang=st.sampled_from(list(i18n.LANGUAGES)),
    form=st.sampled_from(
        [
            "{n}",
            "{n}.0",
            " {n} ",
            "{n} – {name}",
            "{n} - {name}",
            "{n}-{name}",
            "{name}",
            " {upper} ",
            "{n}: {name}",
        ]
    ),
)
def test_level_reader_understands_number_and_name_forms(level: int, lang: str, form: str) -> None:
    name = FRAMEWORK.level_name(level, lang)
    text = form.format(n=level, name=name, upper=name.upper())
    assert LEVEL_READER.read(text).level == level
    assert LEVEL_READER.read(float(level)).level == level


@given(st.floats().filter(lambda x: not (math.isfinite(x) and x.is_integer())))
def test_a_fraction_is_never_a_level(value: float) -> None:
    answer = LEVEL_READER.read(value)
    assert answer.level is None
    assert answer.problem is not None
    assert "not on the scale" in answer.problem.render("en")


@given(st.integers(-(10**12), 10**12).filter(lambda n: n not in LEVELS))
def test_a_whole_number_outside_0_to_5_is_out_of_range(value: int) -> None:
    for form in (value, float(value), str(value), f"{value}.0"):
        answer = LEVEL_READER.read(form)
        assert answer.level is None
        assert answer.problem is not None
        assert "out of range" in answer.problem.render("en")


def test_blank_level_cells_are_blank_not_zero() -> None:
    for value in (None, "", "   "):
        assert LEVEL_READER.read(value).is_blank


def test_fold_ignores_case_accents_and_turkish_i() -> None:
    assert fold("İleri") == fold("ileri") == fold("ILERI") == fold("Ileri") == "ileri"
    assert fold("  Başlangıç  ") == "baslangic"


# --------------------------------------------------------------------------- layouts people produce


def test_rows_in_any_order_are_read() -> None:
    data = rewrite_responses(filled_xlsx(), lambda rows: [rows[0], *reversed(rows[1:])])
    assert read(data).submission == filled_submission()


def test_extra_blank_rows_are_ignored() -> None:
    def spread(rows):
        out = [[None] * 8, [None] * 8, rows[0]]  # blank rows above the header too
        for row in rows[1:]:
            out += [row, [None] * 8]
        return out

    assert read(rewrite_responses(filled_xlsx(), spread)).submission == filled_submission()


def test_columns_in_any_order_and_hidden_are_read() -> None:
    order = [5, 7, 0, 6, 1, 2, 3, 4]  # Level first, Code third …

    data = rewrite_responses(filled_xlsx(), lambda rows: [[row[i] for i in order] for row in rows])
    workbook = load_workbook(io.BytesIO(data))
    for letter in ("D", "E", "F"):
        workbook["Responses"].column_dimensions[letter].hidden = True
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read(buffer.getvalue())
    assert errors(result) == []
    assert result.submission == filled_submission()


def test_rows_without_a_code_are_ignored() -> None:
    stray = [None, None, "note", None, None, "Very good"]
    data = rewrite_responses(filled_xlsx(), lambda rows: [*rows, stray])
    assert read(data).submission == filled_submission()


def test_codes_are_matched_without_regard_to_case_or_spaces() -> None:
    data = with_cells({"Responses": {f"A{indicator_row('IC.1')}": " ic.1 "}})
    assert read(data).submission == filled_submission()


def test_a_missing_indicator_row_is_blank_with_a_warning() -> None:
    row = indicator_row("IC.4")
    data = rewrite_responses(filled_xlsx(), lambda rows: [r for n, r in enumerate(rows, start=1) if n != row])
    result = read(data)
    assert result.valid
    assert result.submission is not None
    assert result.submission.answers["IC.4"] == Answer("IC.4")
    assert "Responses: Indicator IC.4 is missing from this sheet; it is treated as not answered." in warnings(
        result
    )


def test_xlsm_is_read_and_macros_are_ignored() -> None:
    def macro_enabled(name: str, content: bytes) -> bytes:
        if name == "[Content_Types].xml":
            return content.replace(b"spreadsheetml.sheet.main+xml", b"sheet.macroEnabled.main+xml")
        return content

    data = rezip(filled_xlsx(), macro_enabled, extra={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 not run"})
    result = read(data, "questionnaire.xlsm")
    assert result.valid
    assert result.submission == filled_submission(notes=(NOTE_MACROS,))
    assert warnings(result) == [IL3_BLANK, "The file contains macros. They were ignored and never run."]


def test_organisation_values_in_other_forms() -> None:
    data = with_cells(
        {
            "Organisation": {
                "B2": 12345,  # a number typed as the ID
                "B4": "ngo",  # the key instead of the label
                "B7": "2024",  # the year as text
                "B9": "EVALUATOR",
                "B10": "31.03.2025",  # day-first, as written in Turkey
            }
        }
    )
    submission = read(data).submission
    assert submission is not None
    assert submission.organisation_id == "12345"
    assert (submission.organisation_type, submission.year) == ("ngo", 2024)
    assert (submission.respondent_role, submission.date_completed) == ("evaluator", dt.date(2025, 3, 31))


@pytest.mark.parametrize("value", ["2025-03-31", 45747.0, dt.datetime(2025, 3, 31, 14, 30)])
def test_date_completed_in_any_form(value: object) -> None:
    submission = read(with_cells({"Organisation": {"B10": value}})).submission
    assert submission is not None
    assert submission.date_completed == dt.date(2025, 3, 31)


def test_the_year_may_be_next_year_but_not_later() -> None:
    next_year = dt.date.today().year + 1
    assert read(with_cells({"Organisation": {"B7": next_year}})).valid
    assert not read(with_cells({"Organisation": {"B7": next_year + 1}})).valid
    assert read(with_cells({"Organisation": {"B7": 2000}})).valid


def test_a_formula_with_a_saved_result_is_read_as_its_result() -> None:
    ref = level_cell("IC.1")
    cell = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>', re.S)

    def formula(name: str, content: bytes) -> bytes:
        if name != RESPONSES_PART:
            return content
        return cell.sub(f'<c r="{ref}"><f>1+2</f><v>3</v></c>'.encode(), content)

    result = read(rezip(filled_xlsx(), formula))
    assert result.submission is not None
    assert result.submission.answers["IC.1"].level == 3


def test_an_ods_formula_without_a_saved_result_is_reported_at_its_cell() -> None:
    data = ods_file(
        '<table:table-row><table:table-cell office:value-type="string"><text:p>Code</text:p>'
        "</table:table-cell>"
        '<table:table-cell table:number-columns-repeated="2"/>'
        '<table:table-cell table:formula="of:=1+2"/></table:table-row>'
    )
    result = read(data, "questionnaire.ods")
    assert "Responses!D1: This cell holds a formula with no saved result" in "\n".join(errors(result))


# --------------------------------------------------------------------------- warnings


def test_missing_evidence_region_and_date_are_warnings_only() -> None:
    row = indicator_row("IC.1")  # level 0 in the filled file: no evidence needed
    level_one = indicator_row("IC.2")
    data = with_cells(
        {
            "Organisation": {"B6": None, "B10": None},
            "Responses": {f"F{level_one}": 1, f"G{level_one}": None, f"H{level_one}": None, f"G{row}": None},
        }
    )
    result = read(data)
    assert result.valid
    assert warnings(result) == [
        "Organisation!B6: Region is empty. Add it so the organisation appears in regional comparisons.",
        "Organisation!B10: Date completed is empty. Write the date you finished, e.g. 2025-03-31.",
        f"Responses!G{level_one} (IC.2): No evidence is given for level 1. Name the documents that prove it.",
        IL3_BLANK,
    ]


def test_an_evidence_link_alone_counts_as_evidence() -> None:
    row = indicator_row("IC.3")
    result = read(with_cells({"Responses": {f"F{row}": 4, f"G{row}": None, f"H{row}": "https://x.org/a"}}))
    assert warnings(result) == [IL3_BLANK]


def test_low_coverage_warns_that_the_dimension_gets_no_score() -> None:
    blanks = {f"F{indicator_row(code)}": None for code in ("IC.1", "IC.3", "IC.4")}
    result = read(with_cells({"Responses": blanks}))
    assert result.valid
    # IC: IC.2 is N/A, so 5 applicable; 2 answered (IC.5, IC.6) is 40 %.
    assert warnings(result) == [
        no_level("IC.1"),
        no_level("IC.3"),
        no_level("IC.4"),
        IL3_BLANK,
        "Responses: Dimension IC: only 2 of its 5 applicable indicators are answered (less than 60%), "
        "so it will get no score.",
    ]


def test_a_dimension_answered_at_exactly_60_percent_has_no_warning() -> None:
    blanks = {f"F{indicator_row(code)}": None for code in ("IC.1", "IC.3")}  # 3 of 5 answered
    found = warnings(read(with_cells({"Responses": blanks})))
    assert found == [no_level("IC.1"), no_level("IC.3"), IL3_BLANK]  # no coverage warning


def test_an_all_not_applicable_dimension_is_not_low_coverage() -> None:
    na = {f"F{indicator_row(ind.code)}": "N/A" for ind in FRAMEWORK.dimension("SD").indicators}
    result = read(with_cells({"Responses": na}))
    assert result.valid
    assert warnings(result) == [IL3_BLANK]


# --------------------------------------------------------------------------- reporting


def test_every_problem_is_reported_at_once_with_sheet_and_cell() -> None:
    data = with_cells(
        {
            "Organisation": {"B2": None, "B7": 1999},
            "Responses": {
                level_cell("IC.1"): "Very good",
                level_cell("IC.3"): 7,
                f"A{indicator_row('IC.4')}": "XX.1",
            },
        }
    )
    result = read(data)
    assert result.submission is None
    assert not result.valid
    assert [(p.sheet, p.cell) for p in result.errors] == [
        ("Organisation", "B2"),
        ("Organisation", "B7"),
        ("Responses", level_cell("IC.1")),
        ("Responses", level_cell("IC.3")),
        ("Responses", f"A{indicator_row('IC.4')}"),
    ]


def test_problem_renders_sheet_cell_and_message() -> None:
    result = read(with_cells({"Responses": {level_cell("IC.1"): "Very good"}}))
    assert errors(result) == [
        f'Responses!{level_cell("IC.1")} (IC.1): "Very good" is not a level. Choose 0–5 or N/A from the list.'
    ]
    message = result.errors[0].message
    assert Problem("", "", message).render("en").startswith('"Very good"')
    assert Problem("Responses", "", message).render("en").startswith('Responses: "Very good"')


def test_problems_as_rows_lists_errors_then_warnings() -> None:
    data = with_cells({"Responses": {level_cell("IC.1"): 9}, "Organisation": {"B6": None}})
    rows = problems_as_rows(read(data), "en")
    assert [row["severity"] for row in rows] == ["error", "warning", "warning"]
    assert rows[0] == {
        "sheet": "Responses",
        "cell": level_cell("IC.1"),
        "indicator": "IC.1",
        "severity": "error",
        "message": '"9" is out of range: levels go from 0 to 5. Choose 0–5 or N/A from the list.',
    }


def test_the_reader_raises_only_for_a_programming_error() -> None:
    with pytest.raises(QuestionnaireError):
        read_questionnaire("not bytes", "x.xlsx")  # type: ignore[arg-type]


def test_upload_limit_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAPACITY_MAX_UPLOAD_MB", raising=False)
    assert max_upload_bytes() == 10 * 1024 * 1024
    monkeypatch.setenv("CAPACITY_MAX_UPLOAD_MB", "0.01")
    assert max_upload_bytes() == int(0.01 * 1024 * 1024)
    assert "files up to 0.01 MB" in errors(read(filled_xlsx()))[0]
    for bad in ("lots", "-3", "0"):
        monkeypatch.setenv("CAPACITY_MAX_UPLOAD_MB", bad)
        assert max_upload_bytes() == 10 * 1024 * 1024
    assert not read_questionnaire(filled_xlsx(), "x.xlsx", max_bytes=1000).valid


def test_a_questionnaire_reads_in_a_few_milliseconds() -> None:
    data = filled_xlsx()
    read(data)
    timings = []
    for _ in range(30):
        start = time.perf_counter()
        read(data)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(f"read + validate: median {median * 1000:.2f} ms over 30 reads")
    assert median < 0.025  # measured about 3 ms on 2 loaded cores; generous for slow CI machines


def test_validation_never_falls_back_to_the_generic_message_on_honest_files() -> None:
    for data in (filled_xlsx(), filled_xlsx("tr"), build_template()):
        assert MSG_UNREADABLE not in [p.message.msgid for p in read(data).errors]


# --------------------------------------------------------------------------- CLI


def test_cli_validate_exit_codes_and_text(tmp_path, capsys) -> None:
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(filled_xlsx())
    bad.write_bytes(with_cells({"Responses": {level_cell("IC.1"): "Very good"}}))
    assert main(["validate", str(good)]) == 0
    assert "good.xlsx: valid" in capsys.readouterr().out
    assert main(["validate", str(good), str(bad)]) == 1
    out = capsys.readouterr().out
    assert f'Responses!{level_cell("IC.1")} (IC.1): "Very good" is not a level.' in out
    assert main(["validate", str(tmp_path / "missing.xlsx")]) == 2
    assert "missing.xlsx" in capsys.readouterr().err


def test_cli_usage_error_without_files(capsys) -> None:
    with pytest.raises(SystemExit) as stop:
        main(["validate"])
    assert stop.value.code == 2


def test_cli_json_lists_every_file(tmp_path, capsys) -> None:
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    good.write_bytes(filled_xlsx())
    bad.write_bytes(with_cells({"Responses": {level_cell("IC.1"): 7}, "Organisation": {"B6": None}}))
    assert main(["validate", str(good), str(bad), "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    blank = {
        "sheet": "Responses",
        "cell": level_cell("IL.3"),
        "indicator": "IL.3",
        "message": IL3_BLANK.split(": ", 1)[1],
    }
    assert report == [
        {"file": str(good), "valid": True, "errors": [], "warnings": [blank]},
        {
            "file": str(bad),
            "valid": False,
            "errors": [
                {
                    "sheet": "Responses",
                    "cell": level_cell("IC.1"),
                    "indicator": "IC.1",
                    "message": '"7" is out of range: levels go from 0 to 5. Choose 0–5 or N/A from the list.',
                }
            ],
            "warnings": [
                {
                    "sheet": "Organisation",
                    "cell": "B6",
                    "indicator": "",
                    "message": "Region is empty. Add it so the organisation appears in regional comparisons.",
                },
                blank,
            ],
        },
    ]


def test_cli_answers_in_the_file_language_unless_told(tmp_path, capsys) -> None:
    path = tmp_path / "tr.xlsx"
    tr = build_template(prefill=filled_submission(language="tr"), complete=True, lang="tr")
    path.write_bytes(with_cells({"Yanıtlar": {level_cell("IC.1"): "Çok iyi"}}, base=tr))
    assert main(["validate", str(path), "--json"]) == 1
    assert "bir düzey değil" in json.loads(capsys.readouterr().out)[0]["errors"][0]["message"]
    assert main(["validate", str(path), "--json", "--lang", "en"]) == 1
    assert "is not a level" in json.loads(capsys.readouterr().out)[0]["errors"][0]["message"]


# --------------------------------------------------------------------------- each problem names its indicator


@settings(deadline=None, max_examples=25)
@given(st.sets(st.sampled_from([ind.code for ind in FRAMEWORK.indicators if ind.code != "IL.3"]), max_size=8))
def test_each_blank_level_is_a_warning_naming_the_indicator_by_code_and_title(codes: set[str]) -> None:
    result = read(with_cells({"Responses": {level_cell(code): None for code in codes}}))
    assert result.valid  # a blank level is unanswered, never an error
    blank = [p for p in result.warnings if "has no level" in p.message.render("en")]
    assert sorted(p.indicator for p in blank) == sorted({*codes, "IL.3"})
    for problem in blank:
        assert problem.render("en") == no_level(problem.indicator)
        assert problem.severity == "warning"


def test_the_blank_level_warning_is_in_the_reader_s_language_title_included() -> None:
    result = read(filled_xlsx())
    [problem] = result.warnings
    for lang in ("tr", "ar"):
        title = FRAMEWORK.indicator("IL.3").title(lang)
        text = problem.render(lang)
        assert title in text and "IL.3" in text
        assert "has no level" not in text  # a translated sentence (tests/test_i18n.py checks the rest)


def test_errors_and_warnings_in_an_indicator_row_name_the_indicator_beside_the_cell() -> None:
    ic2, ic5 = indicator_row("IC.2"), indicator_row("IC.5")
    data = with_cells(
        {
            "Responses": {
                level_cell("IC.3"): "Very good",
                f"A{ic5}": "IC.4",  # a second IC.4: the row is refused
                f"F{ic2}": 2,
                f"G{ic2}": None,
                f"H{ic2}": None,
                f"A{indicator_row('SD.1')}": "SD.9",  # not a code: no indicator to name, the code is quoted
            }
        }
    )
    result = read(data)
    places = {(p.render("en").split(":")[0]) for p in (*result.errors, *result.warnings)}
    assert f"Responses!{level_cell('IC.3')} (IC.3)" in places
    assert f"Responses!A{ic5} (IC.4)" in places
    assert f"Responses!G{ic2} (IC.2)" in places
    assert f"Responses!A{indicator_row('SD.1')}" in places
    in_rows = [p for p in (*result.errors, *result.warnings) if p.sheet == "Responses" and p.cell]
    unknown = [p for p in in_rows if not p.indicator]
    assert [p.message.params["code"] for p in unknown] == ["SD.9"]  # only the row whose code is unknown


def test_a_formula_without_a_saved_result_in_an_indicator_row_names_the_indicator() -> None:
    ref = level_cell("IC.4")
    cell = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>', re.S)

    def formula(name: str, content: bytes) -> bytes:
        if name != RESPONSES_PART:
            return content
        return cell.sub(f'<c r="{ref}"><f>1+2</f></c>'.encode(), content)

    result = read(rezip(filled_xlsx(), formula))
    assert [p.place for p in result.errors] == [f"{ref} (IC.4)"]
    assert errors(result)[0].startswith(f"Responses!{ref} (IC.4): This cell holds a formula")


def _all_sheets(data: bytes) -> dict[str, list[list[object]]]:
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: workbook.get_sheet_by_name(name).to_python() for name in workbook.sheet_names}


@pytest.mark.parametrize("lang", ["en", "tr", "ar"])
def test_calamine_reads_the_guards_repacked_parts_as_it_reads_the_upload(lang: str) -> None:
    """The reader hands calamine the parts the guard inflated, stored uncompressed, not the upload."""
    data = build_template(lang=lang)
    container = check_container(data)
    repacked = container.repacked()
    members = zipfile.ZipFile(io.BytesIO(repacked)).infolist()
    assert [m.filename for m in members] == list(container.parts)
    assert {m.compress_type for m in members} == {zipfile.ZIP_STORED}
    assert zipfile.ZipFile(io.BytesIO(repacked)).testzip() is None  # every CRC as the guard found it
    assert check_container(repacked).parts == container.parts
    assert _all_sheets(repacked) == _all_sheets(data)


@given(st.one_of(st.text(max_size=120), st.floats(allow_nan=False), st.integers(-10, 10), st.booleans()))
def test_a_remembered_level_reading_is_the_reading_itself(value) -> None:
    """Level spellings are remembered per reader; the memo never changes what a cell means."""
    levels = LevelReader.of(current_framework())
    assert levels.read(value) == levels.read(value) == levels._read(value)


def test_the_level_memo_tells_true_from_one() -> None:
    levels = LevelReader.of(current_framework())
    assert levels.read(1.0).level == 1
    assert levels.read(True).problem is not None  # equal to 1.0 as a dict key, but not a level
    assert levels.read(1.0).level == 1
