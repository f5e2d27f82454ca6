"""Walks the cell start tags of spreadsheet XML without an XML parser.

Why not a parser: the safety guard must learn where a sheet's cells are *before*
python-calamine sees the file (calamine allocates the whole bounding box of a sheet and
aborts the process when a single cell sits at XFD1048576), and it must stay cheap.
expat calls back into Python for every element (about 2 ms for a questionnaire) and
ElementTree builds whole trees; regular expressions over start tags cost a fraction of
that. Hostile bytes need not be well-formed XML, so every rule here errs on the side of
*over*-estimating a cell's position: a cell is placed at the largest position any
reading of its tag could give, and a malformed tag is read leniently, never skipped.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from typing import NamedTuple

_PREFIX = rb"(?:[^\s<>/!?\"'=]+:)?"  # any namespace prefix, even a non-ASCII one
_ATTRS = re.compile(rb"((?:\s+[^\s<>/=\"']+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_ATTR = re.compile(rb"([^\s<>/=\"']+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")
_LOOSE_ATTR = re.compile(rb"([^\s<>/=\"']+)\s*=\s*[\"']?([^\s\"'>]*)")
_XLSX_TAG = re.compile(rb"<" + _PREFIX + rb"(row|c)(?=[\s/>])")
# A start or end tag of a table, row or cell; its attributes too when it is well-formed.
_ODS_TAG = re.compile(
    rb"<(/?)" + _PREFIX + rb"(table|table-row|table-cell|covered-table-cell)(?=[\s/>])"
    rb"(?:((?:\s+[^\s<>/=\"']+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>)?"
)
# Every `<c` tag, plain or prefixed, is found by one of these two literal-led patterns.
_C_PLAIN_START = re.compile(rb"<c[\s/>]")
_C_PREFIXED_START = re.compile(rb":c[\s/>]")
# What Excel, LibreOffice and openpyxl write: `r` first, double quotes, no other `r`.
_C_PLAIN = re.compile(
    rb'<c r="([A-Z]{1,3})([0-9]{1,7})"(?:\s+(?![^\s=]*:r\s*=|r\s*=)[^\s<>/="\']+\s*=\s*"[^"]*")*\s*(/?)>'
)
_SST_TAG = re.compile(rb"<" + _PREFIX + rb"sst(?=[\s/>])")
_SI_TAG = re.compile(rb"<" + _PREFIX + rb"si(?=[\s/>])")
_REPEATED = re.compile(rb"number-(rows|columns)-repeated\s*=\s*[\"']?\s*\+?(\d+)")
_CELL_REF = re.compile(r"\s*\$?([A-Za-z]+)\$?(\d+)\s*")
_DIGITS = re.compile(r"\s*\+?(\d+)\s*")


_MAX_DIGITS = 15
_MAX_COLUMN_LETTERS = 3  # the plain references of `_C_PLAIN` have at most three letters


class UnsupportedXml(ValueError):
    """XML that spreadsheet programs never write and that the walker will not guess about."""


class Tag(NamedTuple):
    """The attribute text of one start tag, parsed only when someone asks.

    NamedTuples, not frozen dataclasses: thousands are made per file and a frozen
    dataclass costs several times more to create.
    """

    text: bytes  # everything between the tag's name and its closing '>'
    well_formed: bool
    self_closing: bool
    end: int  # offset just after the tag

    def attributes(self) -> dict[str, list[str]]:
        """Local attribute name → every value given (a duplicated attribute keeps all its values)."""
        found: dict[str, list[str]] = {}
        if self.well_formed:
            for attr in _ATTR.finditer(self.text):
                value = attr.group(2) if attr.group(2) is not None else attr.group(3)
                found.setdefault(local_name(attr.group(1)), []).append(value.decode("utf-8", "replace"))
        else:
            for attr in _LOOSE_ATTR.finditer(self.text):
                value = attr.group(2).decode("utf-8", "replace")
                found.setdefault(local_name(attr.group(1)), []).append(value)
        return found


class CellTag(NamedTuple):
    """A cell's start tag: where it is (0-based) and how far it repeats."""

    sheet: int  # xlsx: always 0 (one sheet per part); ods: the table's position in the file
    sheet_name: str  # ods only: the table's name
    row: int
    col: int
    rows: int  # ods: the number-rows-repeated of its row
    cols: int  # ods: the number-columns-repeated of the cell
    empty: bool  # a self-closing tag that declares no value
    tag: Tag


def local_name(name: bytes) -> str:
    return name.rsplit(b":", 1)[-1].decode("utf-8", "replace")


def _tag(xml: bytes, start: int) -> Tag:
    """The tag whose name ends at `start`; a malformed one runs to the next '>'."""
    match = _ATTRS.match(xml, start)
    if match is not None:
        return Tag(match.group(1), True, match.group(2) == b"/", match.end())
    close = xml.find(b">", start)
    close = len(xml) if close == -1 else close + 1
    return Tag(xml[start:close], False, xml[close - 2 : close] == b"/>", close)


def number(digits: str | bytes) -> int:
    """A count or position written in the XML; absurdly long digit strings count as huge.

    int() refuses strings over 4300 digits, and a position that long is hostile anyway.
    """
    return int(digits) if len(digits) <= _MAX_DIGITS else 10**_MAX_DIGITS


def column_index(letters: str) -> int:
    """0-based index of a column name: A → 0, Z → 25, AA → 26."""
    index = 0
    for char in letters.upper():
        index = index * 26 + ord(char) - 64
    return index - 1


def column_letters(index: int) -> str:
    """The column name of a 0-based index: 0 → A, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def cell_name(row: int, col: int) -> str:
    """A1-style name of a 0-based position."""
    return f"{column_letters(col)}{row + 1}"


def _refs(values: list[str]) -> list[tuple[int, int]]:
    refs = []
    for value in values:
        match = _CELL_REF.fullmatch(value)
        if match:
            refs.append((number(match.group(2)) - 1, column_index(match.group(1))))
    return refs


def _count(values: list[str] | None) -> int:
    """A repeat count; the largest when repeated, 1 when absent or unreadable."""
    counts = [number(m.group(1)) for v in values or [] if (m := _DIGITS.fullmatch(v))]
    return max(counts, default=1)


def _repeats(text: bytes, axis: bytes) -> int:
    """A row's or cell's repeat count: the largest any mention in the tag gives (1 when none)."""
    if b"repeated" not in text:
        return 1
    return max((number(count) for found, count in _REPEATED.findall(text) if found == axis), default=1)


def xlsx_cells(xml: bytes) -> Iterator[CellTag]:
    """The `<c>` tags of a worksheet part, each at the furthest position it could mean.

    A cell is placed by its `r` attribute, or just right of the previous cell when it has
    none; with several or odd `r` values the largest reading wins.
    """
    row, col = -1, -1
    for match in _XLSX_TAG.finditer(xml):
        tag = _tag(xml, match.end())
        attrs = tag.attributes()
        if match.group(1) == b"row":
            rows = [number(m.group(1)) - 1 for v in attrs.get("r", []) if (m := _DIGITS.fullmatch(v))]
            row, col = max([row + 1, *rows]), -1
            continue
        refs = _refs(attrs.get("r", []))
        row = max([row, 0, *(r for r, _ in refs)])
        col = max([col + 1, *(c for _, c in refs)])
        yield CellTag(0, "", row, col, 1, 1, tag.self_closing, tag)


def xlsx_extent(xml: bytes, max_walked: int) -> tuple[int, int]:
    """Rows and columns spanned by a worksheet part's cells that may hold a value.

    The fast path covers files as spreadsheet programs write them (every cell tag named by
    a plain `r`): the extent is then just the largest reference. Anything else takes the
    careful walk of `xlsx_cells`, which refuses (UnsupportedXml) to walk more than
    `max_walked` cells so that its time stays bounded.
    """
    if b"c" not in xml:
        return 0, 0  # no cell tag can start without the letter (a quick byte search)
    plain = _C_PLAIN.findall(xml)
    starts = len(_C_PLAIN_START.findall(xml)) + len(_C_PREFIXED_START.findall(xml))
    if len(plain) == starts:
        valued = [cell for cell in plain if not cell[2]]
        if not valued:
            return 0, 0
        letters, digits, _ = zip(*valued, strict=True)
        rows = max(map(int, digits))
        # Right-justified to three, column names order as columns do ("Z" < "AA").
        widest = max(name.rjust(_MAX_COLUMN_LETTERS) for name in letters).lstrip()
        return rows, column_index(widest.decode()) + 1
    rows = cols = 0
    for walked, cell in enumerate(xlsx_cells(xml)):
        if walked >= max_walked:
            raise UnsupportedXml(f"more than {max_walked} cells without plain references")
        if not cell.empty:
            rows, cols = max(rows, cell.row + 1), max(cols, cell.col + 1)
    return rows, cols


def ods_cells(xml: bytes) -> Iterator[CellTag]:
    """The table cells of an OpenDocument content part, with their row and column repeats.

    A self-closing cell without `value-type` holds nothing (LibreOffice writes the empty
    rest of a row as one such cell repeated 16 000 times); any other cell may hold a value.
    A table inside a table raises UnsupportedXml: Calc never writes one, and where its
    cells would land is anyone's guess.
    """
    sheet, sheet_name, depth = -1, "", 0
    row, rows, col = 0, 1, 0
    for match in _ODS_TAG.finditer(xml):
        closing, name, text, slash = match.groups()
        if closing:
            if name == b"table-row":
                row, rows, col = row + rows, 1, 0
            elif name == b"table":
                depth = max(depth - 1, 0)
            continue
        tag = _tag(xml, match.end()) if text is None else Tag(text, True, slash == b"/", match.end())
        if name == b"table":
            if depth > 0:
                raise UnsupportedXml("a table inside a table")
            depth += 0 if tag.self_closing else 1
            sheet, sheet_name = sheet + 1, (tag.attributes().get("name") or [""])[0]
            row, rows, col = 0, 1, 0
        elif name == b"table-row":
            rows = _repeats(tag.text, b"rows")
            col = 0
            if tag.self_closing:
                row, rows = row + rows, 1
        else:
            cols = _repeats(tag.text, b"columns")
            # A mention of value-type anywhere in the tag counts: over-counting is the safe side.
            empty = tag.self_closing and b"value-type" not in tag.text
            yield CellTag(max(sheet, 0), sheet_name, row, col, rows, cols, empty, tag)
            col += cols


def ods_extents(xml: bytes, max_walked: int) -> dict[int, tuple[int, int]]:
    """Rows and columns spanned by each table's cells that may hold a value, repeats included.

    Refuses (UnsupportedXml) to walk more than `max_walked` cell tags, so its time stays bounded.
    """
    extents: dict[int, tuple[int, int]] = {}
    for walked, cell in enumerate(ods_cells(xml)):
        if walked >= max_walked:
            raise UnsupportedXml(f"more than {max_walked} table cells")
        if not cell.empty:
            rows, cols = extents.get(cell.sheet, (0, 0))
            extents[cell.sheet] = (max(rows, cell.row + cell.rows), max(cols, cell.col + cell.cols))
    return extents


def declared_counts(xml: bytes) -> tuple[int, int]:
    """The largest `count`/`uniqueCount` an `<sst>` tag declares, and how many `<si>` entries it holds."""
    declared = 0
    for match in _SST_TAG.finditer(xml):
        attrs = _tag(xml, match.end()).attributes()
        declared = max(declared, _count(attrs.get("uniqueCount")), _count(attrs.get("count")))
    return declared, len(_SI_TAG.findall(xml))


@functools.lru_cache(maxsize=32)
def _tag_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"<" + _PREFIX + re.escape(name) + rb"(?=[\s/>])")


def start_tags(xml: bytes, name: bytes) -> Iterator[Tag]:
    """Every start tag with this local name, any prefix."""
    for match in _tag_pattern(name).finditer(xml):
        yield _tag(xml, match.end())


def has_tag(xml: bytes, name: bytes) -> bool:
    return _tag_pattern(name).search(xml) is not None


@functools.lru_cache(maxsize=32)
def _closing_pattern(name: bytes) -> re.Pattern[bytes]:
    return re.compile(rb"</" + _PREFIX + re.escape(name) + rb"\s*>")


def closing_tag_start(xml: bytes, name: bytes, start: int) -> int:
    """Offset of the end tag `</…name>` after `start` (len(xml) when there is none)."""
    match = _closing_pattern(name).search(xml, start)
    return match.start() if match else len(xml)
