"""Random corruption of a valid questionnaire never makes the reader raise.

Truncation and byte flips mostly hit the zip's own checks; XML corruption re-zipped
with correct checksums goes all the way to python-calamine and the validation. Cell
values are written straight into the sheet XML (milliseconds per example), so
hypothesis can try many; row shuffles go through openpyxl.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from capacity.framework import current_framework
from capacity.questionnaire.levels import LevelReader
from capacity.questionnaire.reader import MSG_UNREADABLE, ReadResult, read_questionnaire
from capacity.questionnaire.safety import check_container
from tests.bad_files import RESPONSES_PART, filled_submission, filled_xlsx, indicator_row, level_cell, rezip

FRAMEWORK = current_framework()
CODES = [indicator.code for indicator in FRAMEWORK.indicators]
ORGANISATION_PART = "xl/worksheets/sheet2.xml"
SLOW = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# XML 1.0 allows no control characters but tab, newline and return, no surrogates, no U+FFFE/U+FFFF.
xml_text = st.text(
    alphabet=st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff")
    | st.sampled_from("\t\n"),
    max_size=40,
)
cell_values = st.one_of(
    st.none(),
    xml_text,
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.sampled_from(["3", " 3 ", "3 – Established", "Yerleşik", "N/A", "n/a", "2.5", "7", "-0", "3,0", "٣"]),
)
TOKENS = [
    b"<c>",
    b"</c>",
    b'r="XFD1048576"',
    b'r="A1"',
    b"<row>",
    b"</row>",
    b'<row r="99999">',
    b"<v>",
    b"</v>",
    b"<f>1</f>",
    b'count="999999999"',
    b"<si>",
    b"&amp;",
    b"&#0;",
    b"\x00",
    b'"',
    b">",
    b"<",
    b"/>",
    b't="s"',
    b'<c r="A2" t="e"><v>#N/A</v></c>',
    b"<v>1e308</v>",
    b'<dimension ref="A1:XFD1048576"/>',
    b'<mergeCell ref="A1:XFD1048576"/>',
    b'<sheet name="x" sheetId="99" r:id="rId99"/>',
]


def never_crashed(result: ReadResult) -> None:
    """The reader answered in its own terms: problems with places, or a submission."""
    assert (result.submission is None) == bool(result.errors)
    msgids = [problem.message.msgid for problem in result.errors]
    assert MSG_UNREADABLE not in msgids or msgids == [MSG_UNREADABLE]
    for problem in (*result.errors, *result.warnings):
        assert problem.render("en")
        assert problem.render("tr")


def parts_of(data: bytes) -> dict[str, bytes]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return {info.filename: archive.read(info) for info in archive.infolist()}


BASE = filled_xlsx()
BASE_PARTS = parts_of(BASE)
EXPECTED = filled_submission()


def cell_xml(ref: str, value: object) -> bytes:
    """A cell as a spreadsheet program would write it."""
    if value is None:
        return f'<c r="{ref}"/>'.encode()
    if isinstance(value, bool):
        return f'<c r="{ref}" t="b"><v>{int(value)}</v></c>'.encode()
    if isinstance(value, int | float):
        return f'<c r="{ref}"><v>{value!r}</v></c>'.encode()
    text = escape(str(value))
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{text}</t></is></c>'.encode()


def with_cell(part: str, ref: str, value: object) -> bytes:
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"(?:[^>]*/>|[^>]*>.*?</c>)', re.S)
    new = pattern.sub(lambda _: cell_xml(ref, value), BASE_PARTS[part], count=1)
    assert new != BASE_PARTS[part] or value is None
    return rezip(BASE, lambda name, content: new if name == part else content)


# --------------------------------------------------------------------------- byte-level corruption


@SLOW
@given(st.integers(0, len(BASE) - 1))
def test_truncation_is_never_accepted_and_never_raises(length: int) -> None:
    result = read_questionnaire(BASE[:length], "questionnaire.xlsx")
    never_crashed(result)
    assert not result.valid


@SLOW
@given(st.lists(st.tuples(st.integers(0, len(BASE) - 1), st.integers(1, 255)), min_size=1, max_size=12))
def test_byte_flips_never_raise_and_never_change_an_accepted_answer(flips: list[tuple[int, int]]) -> None:
    data = bytearray(BASE)
    for position, mask in flips:
        data[position] ^= mask
    result = read_questionnaire(bytes(data), "questionnaire.xlsx")
    never_crashed(result)
    if result.valid:  # the flips hit bytes nothing depends on (timestamps, attributes …)
        assert result.submission == EXPECTED


@SLOW
@given(
    edits=st.lists(
        st.tuples(
            st.sampled_from(
                [
                    RESPONSES_PART,
                    ORGANISATION_PART,
                    "xl/worksheets/sheet5.xml",
                    "xl/workbook.xml",
                    "xl/_rels/workbook.xml.rels",
                    "xl/styles.xml",
                    "[Content_Types].xml",
                ]
            ),
            st.sampled_from(["flip", "cut", "insert", "delete"]),
            st.floats(0, 1),
            st.sampled_from(TOKENS),
            st.integers(1, 255),
        ),
        min_size=1,
        max_size=4,
    )
)
def test_corrupt_xml_with_good_checksums_never_raises(edits: list[tuple]) -> None:
    parts = dict(BASE_PARTS)
    for part, operation, where, token, byte in edits:
        content = bytearray(parts[part])
        position = int(where * len(content))
        if operation == "flip" and content:
            content[min(position, len(content) - 1)] ^= byte
        elif operation == "cut":
            content = content[:position]
        elif operation == "insert":
            content[position:position] = token
        else:
            del content[position : position + byte]
        parts[part] = bytes(content)
    result = read_questionnaire(rezip(BASE, lambda name, content: parts[name]), "questionnaire.xlsx")
    never_crashed(result)
    if result.submission is not None:
        assert list(result.submission.answers) == CODES


@SLOW
@given(
    part=st.sampled_from([RESPONSES_PART, ORGANISATION_PART, "xl/workbook.xml", "xl/styles.xml"]),
    where=st.floats(0, 1),
    snippet=st.lists(st.sampled_from([*TOKENS, b"9" * 5000, b'r="', b"<c ", b"<row ", b"="]), max_size=8),
)
def test_the_guard_itself_never_raises(part: str, where: float, snippet: list[bytes]) -> None:
    """The reader turns a failing guard into a refusal; this checks the guard never needs that."""
    content = BASE_PARTS[part]
    position = int(where * len(content))
    data = rezip(
        BASE,
        lambda name, old: (
            content[:position] + b"".join(snippet) + content[position:] if name == part else old
        ),
    )
    check_container(data)


# --------------------------------------------------------------------------- cell-level changes


LEVELS_READER = LevelReader(FRAMEWORK)


@SLOW
@given(code=st.sampled_from(CODES), value=cell_values)
def test_any_level_cell_value_gives_a_level_or_a_problem_at_that_cell(code: str, value: object) -> None:
    ref = level_cell(code)
    result = read_questionnaire(with_cell(RESPONSES_PART, ref, value), "questionnaire.xlsx")
    never_crashed(result)
    # python-calamine returns every number as a float
    as_read = float(value) if isinstance(value, int) and not isinstance(value, bool) else value
    expected = LEVELS_READER.read(as_read)
    at_cell = [p for p in result.errors if (p.sheet, p.cell) == ("Responses", ref)]
    if expected.problem is not None:
        assert [p.message for p in at_cell] == [expected.problem]
        assert not result.valid
    else:
        assert result.valid, [p.render("en") for p in result.errors]
        assert result.submission is not None
        answer = result.submission.answers[code]
        assert (answer.level, answer.not_applicable) == (expected.level, expected.not_applicable)


@SLOW
@given(ref=st.sampled_from(["B2", "B3", "B4", "B5", "B6", "B7", "B8", "B9", "B10"]), value=cell_values)
def test_any_organisation_value_is_read_or_reported_at_its_cell(ref: str, value: object) -> None:
    result = read_questionnaire(with_cell(ORGANISATION_PART, ref, value), "questionnaire.xlsx")
    never_crashed(result)
    assert all(p.sheet == "Organisation" and p.cell == ref for p in result.errors)
    if ref == "B7" and result.valid:
        assert isinstance(value, int | float | str) and not isinstance(value, bool)
        assert float(str(value).strip().replace(",", ".")) == result.submission.year  # type: ignore[union-attr]


@SLOW
@given(value=st.floats() | st.sampled_from(["nan", "inf", "-inf", "1e999", "0x10", "", " "]))
def test_odd_numbers_in_number_cells_never_raise(value: object) -> None:
    ref = level_cell("SD.6")
    raw = f'<c r="{ref}"><v>{value}</v></c>'.encode()
    pattern = re.compile(rb'<c r="' + ref.encode() + rb'"[^>]*>.*?</c>', re.S)
    part = pattern.sub(lambda _: raw, BASE_PARTS[RESPONSES_PART], count=1)
    result = read_questionnaire(rezip(BASE, lambda name, c: part if name == RESPONSES_PART else c), "q.xlsx")
    never_crashed(result)
    if isinstance(value, float) and math.isfinite(value) and value in range(6):
        assert result.valid


@settings(deadline=None, max_examples=8, suppress_health_check=[HealthCheck.too_slow])
@given(st.permutations(CODES))
def test_indicator_rows_in_any_order_read_the_same(order: list[str]) -> None:
    workbook = load_workbook(io.BytesIO(BASE))
    sheet = workbook["Responses"]
    rows = {code: [cell.value for cell in sheet[indicator_row(code)]] for code in CODES}
    for position, code in enumerate(order):
        for column, value in enumerate(rows[code], start=1):
            sheet.cell(row=indicator_row(CODES[0]) + position, column=column).value = value  # None clears
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = read_questionnaire(buffer.getvalue(), "questionnaire.xlsx")
    assert result.submission == EXPECTED
