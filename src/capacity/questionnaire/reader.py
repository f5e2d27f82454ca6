"""Reads a filled questionnaire: file bytes → a validated Submission, or every problem found.

A manager must learn on the first try either that the file was accepted, or every cell
to fix, in plain words. So the reader never stops at the first problem and never raises
for a bad file: each problem becomes a `Problem` naming the sheet and cell (A1 style)
as they appear in the file, what was found and what is expected. Warnings (no evidence,
no region, low coverage …) are reported without rejecting the file.

Order of work: size limit → container guard (`safety`, before any parser) →
python-calamine (about 0.7 ms for a questionnaire) → validation. Labels, sheet names and
headers are recognised in every language (`capacity.i18n.variants`), levels in every
spelling (`levels`).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import io
import logging
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from python_calamine import CalamineWorkbook

from capacity.framework import Framework, current_framework
from capacity.i18n import N_, Message, normalise_language, translator, variants
from capacity.questionnaire import layout
from capacity.questionnaire.formulas import uncached_formula_cells
from capacity.questionnaire.levels import LevelReader, fold, shown, western_digits
from capacity.questionnaire.safety import ContainerInfo, check_container
from capacity.questionnaire.submission import Answer, Submission
from capacity.questionnaire.xmlscan import cell_name, column_letters
from capacity.scoring.aggregate import has_enough_coverage  # the engine's rule, so the warning is exact
from capacity.store import limits

log = logging.getLogger(__name__)

Severity = Literal["error", "warning"]
Cell = Any  # a value as python-calamine returns it: str, float, bool, date, datetime, time, timedelta
Rows = list[list[Cell]]

DEFAULT_MAX_UPLOAD_MB = 10
FIRST_YEAR = 2000
HEADER_SEARCH_ROWS = 50
MAX_YEAR_DIGITS = 9  # longer digit strings are not years (and int() refuses very long ones)
MIN_HEADERS_RECOGNISED = 3  # a row with three known headers is the header row, even if one is missing
MAX_LABEL_LENGTH = 100  # longer texts (the help column) are never labels; skipping them saves time
# A file can hold a problem in every one of a million cells. Nobody reads more than a few hundred
# at once, and keeping them all would cost memory and time per upload; the rest are counted.
MAX_LISTED_PROBLEMS = 300
# The columns the reader needs; the others are there for the respondent to read.
REQUIRED_COLUMNS = ("code", "level", "evidence", "evidence_link")

MSG_TOO_BIG = N_("The file is {size} MB; files up to {limit} MB are accepted.")
MSG_UNREADABLE = N_(
    "The file could not be read as a spreadsheet. Open it in Excel or LibreOffice, save it as .xlsx "
    "and upload it again."
)
MSG_NOT_QUESTIONNAIRE = N_(
    "This spreadsheet is not the capacity questionnaire: it has none of the questionnaire's sheets. "
    "Download the questionnaire template from the Upload page and fill it in."
)
MSG_MISSING_SHEET = N_(
    'The sheet "{sheet}" is missing. Use the questionnaire template without deleting or renaming its sheets.'
)
MSG_MISSING_META = N_(
    'The hidden sheet "_meta" is missing, so the framework version cannot be checked. Download the '
    "current template from the Framework or Upload page and copy your answers into it."
)
MSG_NO_FRAMEWORK = N_(
    'The hidden sheet "_meta" does not name the framework version this questionnaire answers. Download '
    "the current template from the Framework or Upload page and copy your answers into it."
)
MSG_UNKNOWN_FRAMEWORK = N_(
    "This questionnaire was made for framework {framework} version {version}, which this app does not "
    "use (it uses {current_framework} version {current_version}). Download the current template from "
    "the Framework or Upload page and copy your answers into it."
)
MSG_MISSING_FIELD_ROW = N_(
    'The row "{field}" is missing. Use the questionnaire template without deleting rows.'
)
MSG_MISSING_FIELD = {
    "organisation_id": N_(
        "Organisation ID is missing. Write the short code of your organisation, e.g. NS-TR-01."
    ),
    "organisation_name": N_("Organisation name is missing. Write the full name of the organisation."),
    "year": N_("Assessment year is missing. Write the year the answers describe, e.g. 2025."),
    "respondent_role": N_("Respondent role is missing. Choose Self-assessment or Evaluator from the list."),
}
MSG_NOT_A_YEAR = N_('"{found}" is not a year. Write the year the answers describe, e.g. 2025.')
MSG_YEAR_RANGE = N_(
    "{found} is outside the accepted years {first}–{last}. Write the year the answers describe."
)
MSG_UNKNOWN_TYPE = N_('"{found}" is not an organisation type. Choose one from the list.')
MSG_UNKNOWN_ROLE = N_(
    '"{found}" is not a respondent role. Choose Self-assessment or Evaluator from the list.'
)
MSG_NOT_A_DATE = N_('"{found}" is not a date. Write it as 2025-03-31.')
MSG_NO_HEADER = N_(
    "The header row (Code, Indicator, Level, Evidence …) was not found. Use the questionnaire template "
    "without changing its header row."
)
MSG_MISSING_COLUMN = N_(
    'The column "{column}" is missing from the header row. Use the questionnaire template without '
    "deleting columns."
)
MSG_DUPLICATE_COLUMN = N_(
    'The column "{column}" appears a second time in the header row (first in column {first}). Keep only one.'
)
MSG_UNKNOWN_CODE = N_(
    '"{code}" is not an indicator code of this questionnaire. Keep the codes exactly as in the template.'
)
MSG_DUPLICATE_CODE = N_(
    "Indicator {code} appears a second time (first in row {row}). Keep only one row per indicator."
)
MSG_FORMULA = N_(
    "This cell holds a formula with no saved result, so its value cannot be read. Open the file in Excel "
    "or LibreOffice, let it calculate, save it and upload it again."
)
MSG_MISSING_INDICATOR = N_("Indicator {code} is missing from this sheet; it is treated as not answered.")
MSG_NO_LEVEL = N_(
    "{code} ({title}) has no level: it counts as unanswered and lowers coverage. Choose a level from 0 "
    "to 5, or N/A if it does not apply."
)
MSG_NO_EVIDENCE = N_("No evidence is given for level {level}. Name the documents that prove it.")
MSG_NO_REGION = N_("Region is empty. Add it so the organisation appears in regional comparisons.")
MSG_NO_DATE = N_("Date completed is empty. Write the date you finished, e.g. 2025-03-31.")
MSG_LOW_COVERAGE = N_(
    "Dimension {dimension}: only {answered} of its {applicable} applicable indicators are answered "
    "(less than 60%), so it will get no score."
)
MSG_TOO_LONG = N_("This text is {length} characters long; at most {limit} can be stored. Shorten it.")
MSG_UNSTORABLE = N_(
    "This text holds a null character (code 0), which cannot be stored. Retype the text without it."
)
MSG_FILENAME_TOO_LONG = N_(
    "The file name is {length} characters long; at most {limit} can be stored. Give the file a shorter "
    "name and upload it again."
)
MSG_FILENAME_UNSTORABLE = N_(
    "The file name holds a null character (code 0), which cannot be stored. Rename the file and upload "
    "it again."
)
MSG_MORE_PROBLEMS = N_(
    "Only the first {listed} of {total} problems are listed. Fix these, save the file and upload it "
    "again to see the rest."
)
WARNING_FIELDS = {"region": MSG_NO_REGION, "date_completed": MSG_NO_DATE}
HEADER_YOUR_ANSWER = N_("Your answer")


class QuestionnaireError(Exception):
    """A programming error in how the reader was called (never raised for a bad file)."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth a look) in the file, where it is, and what to do."""

    sheet: str  # as it appears in the file; "" for the file as a whole
    cell: str  # A1 style; "" for a whole sheet
    message: Message
    severity: Severity = "error"
    # The indicator the cell belongs to, so that a manager who reads "F14" also reads "IC.2"
    # (the file's row numbers shift when rows are sorted or inserted; the code does not).
    indicator: str = ""

    @property
    def place(self) -> str:
        """The cell and its indicator, e.g. `F14 (IC.2)` (a problem without a cell names its indicator
        in its message)."""
        return f"{self.cell} ({self.indicator})" if self.cell and self.indicator else self.cell

    def render(self, lang: str) -> str:
        """e.g. `Responses!F14 (IC.2): "Very good" is not a level. Choose 0–5 or N/A from the list.`"""
        text = self.message.render(lang)
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.place}: {text}"
        if self.sheet:
            return f"{self.sheet}: {text}"
        return text


@dataclass(frozen=True)
class ReadResult:
    """The outcome of reading one file: a submission, or the reasons there is none."""

    submission: Submission | None
    errors: tuple[Problem, ...]
    warnings: tuple[Problem, ...]
    language: str
    sha256: str
    # Problems found beyond the listed ones (MAX_LISTED_PROBLEMS); the last listed problem names the total.
    unlisted_errors: int = 0
    unlisted_warnings: int = 0
    # Where each Organisation field's answer was read: key → (sheet as named in the file, A1 cell),
    # so a refusal about a value (e.g. the respondent role) can point at the very cell.
    cells: Mapping[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def valid(self) -> bool:
        return not self.errors and self.submission is not None

    @property
    def error_count(self) -> int:
        """Every error found, the unlisted ones included (not counting the line that says so)."""
        return len(self.errors) - 1 + self.unlisted_errors if self.unlisted_errors else len(self.errors)

    @property
    def warning_count(self) -> int:
        """Every warning found, the unlisted ones included."""
        return (
            len(self.warnings) - 1 + self.unlisted_warnings if self.unlisted_warnings else len(self.warnings)
        )


def problems_as_rows(result: ReadResult, lang: str) -> list[dict[str, str]]:
    """Errors then warnings as plain rows (sheet, cell, indicator, message, severity) for CSV and JSON."""
    return [
        {
            "sheet": p.sheet,
            "cell": p.cell,
            "indicator": p.indicator,
            "message": p.message.render(lang),
            "severity": p.severity,
        }
        for p in (*result.errors, *result.warnings)
    ]


def max_upload_bytes() -> int:
    """The upload size limit: CAPACITY_MAX_UPLOAD_MB (default 10), in bytes."""
    raw = os.environ.get("CAPACITY_MAX_UPLOAD_MB", "")
    try:
        megabytes = float(raw) if raw.strip() else DEFAULT_MAX_UPLOAD_MB
    except ValueError:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    if not megabytes > 0:
        megabytes = DEFAULT_MAX_UPLOAD_MB
    return int(megabytes * 1024 * 1024)


# --------------------------------------------------------------------------- cell helpers


def _text(value: Cell) -> str:
    """A cell as text (numbers without a spurious .0), trimmed."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value.strip()
    return shown(value)


def _get(rows: Rows, row: int, col: int) -> Cell:
    if 0 <= row < len(rows) and 0 <= col < len(rows[row]):
        return rows[row][col]
    return None


def _lookup(msgids: dict[str, str]) -> dict[str, str]:
    """Folded text of each msgid in every language → its key (the same for every file, so cached)."""
    return _folded_labels(tuple(msgids.items()))


@functools.lru_cache(maxsize=16)
def _folded_labels(msgids: tuple[tuple[str, str], ...]) -> dict[str, str]:
    return {fold(text): key for key, msgid in msgids for text in variants(msgid)}


def _whole_number(value: Cell) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, float | int):
        return int(value) if float(value).is_integer() else None
    text = western_digits(_text(value)).replace(" ", "")
    if text.endswith((".0", ",0")):
        text = text[:-2]
    return int(text) if text.isdecimal() and len(text) <= MAX_YEAR_DIGITS else None


_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # column letters, stripped from "F14" to get the row
_EXCEL_EPOCH = dt.date(1899, 12, 30)
_DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%Y/%m/%d")


def _date(value: Cell) -> dt.date | None:
    """A date from a date cell, an ISO or day-first text, or an Excel serial number; None if none."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, float | int) and not isinstance(value, bool) and 1 <= value < 2958466:
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    text = western_digits(_text(value))
    for pattern in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


# --------------------------------------------------------------------------- the reading


@dataclass
class _Findings:
    """Problems collected while reading; every check adds to it and none stops the others.

    Only the first MAX_LISTED_PROBLEMS of each severity are kept; the others are only
    counted, so a file with a problem in every cell is read in bounded memory.
    """

    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unlisted_errors: int = 0
    unlisted_warnings: int = 0

    def error(self, sheet: str, cell: str, msgid: str, /, indicator: str = "", **params: Any) -> None:
        self.add(Problem(sheet, cell, Message(msgid, params), "error", indicator))

    def warning(self, sheet: str, cell: str, msgid: str, /, indicator: str = "", **params: Any) -> None:
        self.add(Problem(sheet, cell, Message(msgid, params), "warning", indicator))

    def add(self, problem: Problem) -> None:
        if problem.severity == "error":
            if len(self.errors) < MAX_LISTED_PROBLEMS:
                self.errors.append(problem)
            else:
                self.unlisted_errors += 1
        elif len(self.warnings) < MAX_LISTED_PROBLEMS:
            self.warnings.append(problem)
        else:
            self.unlisted_warnings += 1

    def listed(self, severity: Severity) -> tuple[Problem, ...]:
        """The kept problems, and a last one saying how many more there are when some were dropped."""
        if severity == "error":
            kept, unlisted = self.errors, self.unlisted_errors
        else:
            kept, unlisted = self.warnings, self.unlisted_warnings
        if not unlisted:
            return tuple(kept)
        total = {"listed": len(kept), "total": len(kept) + unlisted}
        return (*kept, Problem("", "", Message(MSG_MORE_PROBLEMS, total), severity))


def _load_sheets(data: bytes, wanted: Callable[[Sequence[str]], list[str]]) -> dict[str, Rows]:
    """The rows (from A1) of the sheets that `wanted` picks from the workbook's sheet names."""
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {
        name: workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
        for name in wanted(list(workbook.sheet_names))
    }


def _find_sheet(names: Sequence[str], msgid: str) -> str | None:
    keys = _folded_variants(msgid)
    return next((name for name in names if fold(name) in keys), None)


@functools.lru_cache(maxsize=64)
def _folded_variants(msgid: str) -> frozenset[str]:
    """The folded text of `msgid` in every language (the same for every file, so cached)."""
    return frozenset(fold(text) for text in variants(msgid))


class _Reader:
    """Validates the sheets of one file against one framework."""

    def __init__(self, framework: Framework, container: ContainerInfo) -> None:
        self.framework = framework
        self.container = container
        self.found = _Findings()
        self.language = "en"
        self.sheet_names: dict[str, str | None] = {}
        self.cells: dict[str, tuple[str, str]] = {}
        self.row_codes: dict[int, str] = {}  # Responses row (1-based, as in cell names) → indicator code

    def wanted(self, names: Sequence[str]) -> list[str]:
        self.sheet_names = {
            "organisation": _find_sheet(names, layout.SHEET_ORGANISATION),
            "responses": _find_sheet(names, layout.SHEET_RESPONSES),
            "meta": next((n for n in names if n.strip() == layout.SHEET_META), None),
        }
        return [name for name in self.sheet_names.values() if name is not None]

    def read(self, sheets: dict[str, Rows]) -> Submission | None:
        names = self.sheet_names
        if not any(names.values()):
            self.found.error("", "", MSG_NOT_QUESTIONNAIRE)
            return None
        meta = self._meta(sheets.get(names["meta"] or "", []), names["meta"])
        t = translator(self.language)
        required = (("organisation", layout.SHEET_ORGANISATION), ("responses", layout.SHEET_RESPONSES))
        for key, msgid in required:
            if names[key] is None:
                self.found.error(t(msgid), "", MSG_MISSING_SHEET, sheet=t(msgid))
        organisation = {}
        if names["organisation"]:
            organisation = self._organisation(sheets[names["organisation"]], names["organisation"])
        answers = None
        if names["responses"] and meta.get("framework_ok"):
            answers = self._responses(sheets[names["responses"]], names["responses"])
        self._formulas({name for name in names.values() if name})
        for note in self.container.notes:
            self.found.add(Problem("", "", note, "warning"))
        if self.found.errors or answers is None:
            return None
        return Submission(
            framework_id=self.framework.id,
            framework_version=self.framework.version,
            organisation_id=organisation["organisation_id"],
            organisation_name=organisation["organisation_name"],
            year=organisation["year"],
            respondent_role=organisation["respondent_role"],
            answers=answers,
            organisation_type=organisation.get("organisation_type"),
            country=organisation.get("country", ""),
            region=organisation.get("region", ""),
            respondent_name=organisation.get("respondent_name", ""),
            date_completed=organisation.get("date_completed"),
            language=self.language,
            template_version=meta.get("template_version", ""),
            notes=tuple(note.msgid for note in self.container.notes),
        )

    # ---------------------------------------------------------------- _meta

    def _meta(self, rows: Rows, sheet: str | None) -> dict[str, Any]:
        if sheet is None:
            self.found.error(layout.SHEET_META, "", MSG_MISSING_META)
            return {}
        values: dict[str, tuple[str, str]] = {}
        for r in range(len(rows)):
            key = _text(_get(rows, r, 0))
            if key and key not in values:
                values[key] = (_text(_get(rows, r, 1)), cell_name(r, 1))
        self.language = normalise_language(values.get(layout.META_LANGUAGE, ("", ""))[0])
        framework_id, id_cell = values.get(layout.META_FRAMEWORK_ID, ("", ""))
        version, version_cell = values.get(layout.META_FRAMEWORK_VERSION, ("", ""))
        template_version, template_cell = values.get(layout.META_TEMPLATE_VERSION, ("", ""))
        meta: dict[str, Any] = {"template_version": template_version}
        self._storable("template_version", template_version, sheet, template_cell)
        if not framework_id or not version:
            self.found.error(sheet, version_cell or id_cell, MSG_NO_FRAMEWORK)
        elif (framework_id, version) != (self.framework.id, self.framework.version):
            self.found.error(
                sheet,
                version_cell,
                MSG_UNKNOWN_FRAMEWORK,
                framework=framework_id,
                version=version,
                current_framework=self.framework.id,
                current_version=self.framework.version,
            )
        else:
            meta["framework_ok"] = True
        return meta

    # ---------------------------------------------------------------- Organisation

    def _organisation(self, rows: Rows, sheet: str) -> dict[str, Any]:
        labels = _lookup({f.key: f.label for f in layout.ORGANISATION_FIELDS})
        answer_headers = _folded_variants(HEADER_YOUR_ANSWER)
        answer_col: int | None = None
        where: dict[str, tuple[int, int]] = {}
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if not isinstance(value, str) or not value.strip() or len(value) > MAX_LABEL_LENGTH:
                    continue
                key = fold(value.strip().rstrip("*").strip())
                if key in answer_headers and answer_col is None:
                    answer_col = c
                elif key in labels and labels[key] not in where:
                    where[labels[key]] = (r, c)
        t = translator(self.language)
        result: dict[str, Any] = {}
        for fld in layout.ORGANISATION_FIELDS:
            if fld.key not in where:
                if fld.required:
                    self.found.error(sheet, "", MSG_MISSING_FIELD_ROW, field=t(fld.label))
                elif fld.key in WARNING_FIELDS:
                    self.found.warning(sheet, "", WARNING_FIELDS[fld.key])
                continue
            r, label_col = where[fld.key]
            col = answer_col if answer_col is not None and answer_col != label_col else label_col + 1
            value, ref = _get(rows, r, col), cell_name(r, col)
            self.cells[fld.key] = (sheet, ref)
            if _text(value) == "":
                if fld.required:
                    self.found.error(sheet, ref, MSG_MISSING_FIELD[fld.key])
                elif fld.key in WARNING_FIELDS:
                    self.found.warning(sheet, ref, WARNING_FIELDS[fld.key])
                continue
            parsed = self._field(fld.key, value, sheet, ref)
            if parsed is not None:
                result[fld.key] = parsed
        return result

    def _field(self, key: str, value: Cell, sheet: str, ref: str) -> Any:
        """One Organisation value, parsed; None (and a problem reported) when it is wrong."""
        if key == "year":
            return self._year(value, sheet, ref)
        if key == "organisation_type":
            found = _lookup(layout.ORGANISATION_TYPES).get(fold(_text(value)))
            found = found or (fold(_text(value)) if fold(_text(value)) in layout.ORGANISATION_TYPES else None)
            if found is None:
                self.found.error(sheet, ref, MSG_UNKNOWN_TYPE, found=shown(value))
            return found
        if key == "respondent_role":
            found = _lookup(layout.RESPONDENT_ROLES).get(fold(_text(value)))
            found = found or (fold(_text(value)) if fold(_text(value)) in layout.RESPONDENT_ROLES else None)
            if found is None:
                self.found.error(sheet, ref, MSG_UNKNOWN_ROLE, found=shown(value))
            return found
        if key == "date_completed":
            date = _date(value)
            if date is None:
                self.found.error(sheet, ref, MSG_NOT_A_DATE, found=shown(value))
            return date
        text = _text(value)
        return text if self._storable(key, text, sheet, ref) else None

    def _storable(
        self, key: str, text: str, sheet: str, ref: str | tuple[int, int], code: str = ""
    ) -> bool:
        """Whether the store can keep `text` as `key`; if not, the problem is reported at its cell.

        `ref` may be a (row, column) position, named only when there is a problem to report:
        most texts are fine, and naming every cell would cost more than checking it. `code`
        is the indicator of the row, named beside the cell.
        """
        limit = limits.max_length(key)
        if limit is not None and len(text) > limit:
            self.found.error(sheet, _ref(ref), MSG_TOO_LONG, code, length=len(text), limit=limit)
            return False
        if not limits.storable(text):
            self.found.error(sheet, _ref(ref), MSG_UNSTORABLE, code)
            return False
        return True

    def _year(self, value: Cell, sheet: str, ref: str) -> int | None:
        year = _whole_number(value)
        if year is None:
            self.found.error(sheet, ref, MSG_NOT_A_YEAR, found=shown(value))
            return None
        last = dt.date.today().year + 1
        if not FIRST_YEAR <= year <= last:
            self.found.error(sheet, ref, MSG_YEAR_RANGE, found=year, first=FIRST_YEAR, last=last)
            return None
        return year

    # ---------------------------------------------------------------- Responses

    def _header(self, rows: Rows, sheet: str) -> tuple[int, dict[str, int]] | None:
        headers = _lookup({col.key: col.header for col in layout.RESPONSE_COLUMNS})
        t = translator(self.language)
        for r in range(min(len(rows), HEADER_SEARCH_ROWS)):
            columns: dict[str, int] = {}
            duplicates: list[tuple[str, int]] = []
            for c, value in enumerate(rows[r]):
                key = headers.get(fold(_text(value))) if isinstance(value, str) else None
                if key is None:
                    continue
                if key in columns:
                    duplicates.append((key, c))
                else:
                    columns[key] = c
            if len(columns) >= MIN_HEADERS_RECOGNISED:
                for key, c in duplicates:
                    header = t(next(col.header for col in layout.RESPONSE_COLUMNS if col.key == key))
                    first = column_letters(columns[key])
                    self.found.error(sheet, cell_name(r, c), MSG_DUPLICATE_COLUMN, column=header, first=first)
                for col in layout.RESPONSE_COLUMNS:
                    if col.key in REQUIRED_COLUMNS and col.key not in columns:
                        self.found.error(sheet, cell_name(r, 0), MSG_MISSING_COLUMN, column=t(col.header))
                return r, columns
        self.found.error(sheet, "", MSG_NO_HEADER)
        return None

    def _responses(self, rows: Rows, sheet: str) -> dict[str, Answer] | None:
        header = self._header(rows, sheet)
        if header is None:
            return None
        header_row, columns = header
        if "code" not in columns or "level" not in columns:
            return None
        codes = {ind.code.upper(): ind.code for ind in self.framework.indicators}
        levels = LevelReader.of(self.framework)
        answers: dict[str, Answer] = {}
        first_row: dict[str, int] = {}
        code_col, level_col = columns["code"], columns["level"]
        for r in range(header_row + 1, len(rows)):
            row = rows[r]
            raw_code = _text(row[code_col]) if code_col < len(row) else ""
            if not raw_code:
                continue
            code = codes.get(raw_code.upper())
            if code is None:
                self.found.error(sheet, cell_name(r, columns["code"]), MSG_UNKNOWN_CODE, code=shown(raw_code))
                continue
            if code in first_row:
                where = cell_name(r, columns["code"])
                self.found.error(
                    sheet, where, MSG_DUPLICATE_CODE, indicator=code, code=code, row=first_row[code] + 1
                )
                continue
            first_row[code] = r
            self.row_codes[r + 1] = code
            level = levels.read(row[level_col] if level_col < len(row) else None)
            if level.problem is not None:
                self.found.add(Problem(sheet, cell_name(r, level_col), level.problem, indicator=code))
            elif level.is_blank:
                title = self.framework.indicator(code).title
                self.found.warning(sheet, cell_name(r, level_col), MSG_NO_LEVEL, code, code=code, title=title)
            evidence = self._answer_text("evidence", row, r, columns, sheet, code)
            link = self._answer_text("evidence_link", row, r, columns, sheet, code)
            if "evidence" in columns and (level.level or 0) >= 1 and not evidence and not link:
                where = cell_name(r, columns["evidence"])
                self.found.warning(sheet, where, MSG_NO_EVIDENCE, code, level=level.level)
            answers[code] = Answer(code, level.level, level.not_applicable, evidence, link)
        for indicator in self.framework.indicators:
            if indicator.code not in answers:
                self.found.warning(sheet, "", MSG_MISSING_INDICATOR, indicator.code, code=indicator.code)
        ordered = {ind.code: answers.get(ind.code, Answer(ind.code)) for ind in self.framework.indicators}
        self._coverage(ordered, sheet)
        return ordered

    def _answer_text(
        self, key: str, row: list[Cell], r: int, columns: dict[str, int], sheet: str, code: str
    ) -> str:
        """Row `r`'s evidence or link ("" without the column); a text the store cannot keep is an error."""
        col = columns.get(key)
        if col is None:
            return ""
        text = _text(row[col]) if col < len(row) else ""
        if text:
            self._storable(key, text, sheet, (r, col), code)
        return text

    def _coverage(self, answers: dict[str, Answer], sheet: str) -> None:
        for dimension in self.framework.dimensions:
            mine = [answers[ind.code] for ind in dimension.indicators]
            applicable = [a for a in mine if not a.not_applicable]
            answered = [a for a in applicable if a.level is not None]
            if applicable and not has_enough_coverage(len(answered), len(applicable)):
                self.found.warning(
                    sheet,
                    "",
                    MSG_LOW_COVERAGE,
                    dimension=dimension.code,
                    answered=len(answered),
                    applicable=len(applicable),
                )

    # ---------------------------------------------------------------- formulas

    def _formulas(self, sheets: set[str]) -> None:
        responses = self.sheet_names.get("responses")
        for sheet, cells in uncached_formula_cells(self.container, sheets).items():
            for ref in cells:
                row = int(ref.lstrip(_LETTERS))
                code = self.row_codes.get(row, "") if sheet == responses else ""
                self.found.error(sheet, ref, MSG_FORMULA, code)


def _megabytes(size: int) -> str:
    return f"{round(size / 1024 / 1024, 2):g}"


def _ref(ref: str | tuple[int, int]) -> str:
    """A cell's A1 name, from the name itself or from its (row, column) position."""
    return ref if isinstance(ref, str) else cell_name(*ref)


def _refused(problems: list[Problem], digest: str) -> ReadResult:
    return ReadResult(None, tuple(problems), (), "en", digest)


def _check_filename(filename: str, found: _Findings) -> None:
    """The file name is stored with the file, so it must fit its column too."""
    limit = limits.max_length("filename")
    if limit is not None and len(filename) > limit:
        found.error("", "", MSG_FILENAME_TOO_LONG, length=len(filename), limit=limit)
    elif not limits.storable(filename):
        found.error("", "", MSG_FILENAME_UNSTORABLE)


def read_questionnaire(
    data: bytes, filename: str, framework: Framework | None = None, max_bytes: int | None = None
) -> ReadResult:
    """Read and validate one uploaded file; bad files give problems, never exceptions.

    `filename` is only for messages and logs: the kind of file is told from its bytes.
    """
    if not isinstance(data, bytes | bytearray | memoryview):
        raise QuestionnaireError(f"read_questionnaire needs the file's bytes, got {type(data).__name__}")
    data = bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    framework = framework or current_framework()
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    if len(data) > limit:
        sizes = {"size": _megabytes(len(data)), "limit": _megabytes(limit)}
        return _refused([Problem("", "", Message(MSG_TOO_BIG, sizes))], digest)
    try:
        container = check_container(data)
    except Exception:  # a gap in the guard refuses the file; it never lets it through to calamine
        log.exception("the container guard failed on %s", filename)
        return _refused([Problem("", "", Message(MSG_UNREADABLE))], digest)
    if isinstance(container, list):
        return _refused([Problem("", "", message) for message in container], digest)
    reader = _Reader(framework, container)
    try:
        sheets = _load_sheets(container.repacked(), reader.wanted)
    except Exception:  # python-calamine on odd but safe input: report, never crash
        log.info("calamine could not read %s", filename, exc_info=True)
        return _refused([Problem("", "", Message(MSG_UNREADABLE))], digest)
    except BaseException as exc:  # a Rust panic surfaces as PanicException, a BaseException
        if isinstance(exc, KeyboardInterrupt | SystemExit | GeneratorExit):
            raise
        log.warning("calamine panicked on %s", filename, exc_info=True)
        return _refused([Problem("", "", Message(MSG_UNREADABLE))], digest)
    try:
        submission = reader.read(sheets)
    except Exception:  # a gap in the validation must not take the server down either
        log.exception("validation failed on %s", filename)
        return _refused([Problem("", "", Message(MSG_UNREADABLE))], digest)
    found = reader.found
    _check_filename(filename, found)
    return ReadResult(
        submission=submission if not found.errors else None,
        errors=found.listed("error"),
        warnings=found.listed("warning"),
        language=reader.language,
        sha256=digest,
        unlisted_errors=found.unlisted_errors,
        unlisted_warnings=found.unlisted_warnings,
        cells=reader.cells,
    )
