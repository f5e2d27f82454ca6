"""Finds formula cells that carry no saved result.

A file written by a program that does not calculate (a script, some online converters)
can hold `=B2+1` with no cached value. python-calamine then reports the cell as empty, so
an answer would silently vanish; the reader turns each such cell into a problem that
asks the person to open, recalculate and save the file. The positions come from the
parts the guard already decompressed (`ContainerInfo.parts`).
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Mapping

from capacity.questionnaire.safety import KIND_ODS, ContainerInfo
from capacity.questionnaire.xmlscan import (
    cell_name,
    closing_tag_start,
    has_tag,
    ods_cells,
    start_tags,
    xlsx_cells,
)

_OFFICE_DOCUMENT = "/officeDocument"


def _attributes(xml: bytes, name: bytes) -> list[dict[str, str]]:
    """Local attribute name → unescaped value, for every `name` start tag (first value of a duplicate)."""
    return [
        {key: html.unescape(values[0]) for key, values in tag.attributes().items()}
        for tag in start_tags(xml, name)
    ]


def _resolve(folder: str, target: str) -> str:
    if target.startswith("/"):
        return target.lstrip("/")
    return posixpath.normpath(posixpath.join(folder, target))


def xlsx_sheet_parts(parts: Mapping[str, bytes]) -> dict[str, str]:
    """Sheet name → the part that holds it, following the package relationships."""
    workbook = "xl/workbook.xml"
    for rel in _attributes(parts.get("_rels/.rels", b""), b"Relationship"):
        if rel.get("Type", "").endswith(_OFFICE_DOCUMENT) and rel.get("Target"):
            workbook = _resolve("", rel["Target"])
    folder, name = posixpath.split(workbook)
    rels = _attributes(parts.get(posixpath.join(folder, "_rels", name + ".rels"), b""), b"Relationship")
    targets = {rel.get("Id", ""): _resolve(folder, rel.get("Target", "")) for rel in rels}
    return {
        sheet["name"]: targets[sheet["id"]]
        for sheet in _attributes(parts.get(workbook, b""), b"sheet")
        if "name" in sheet and sheet.get("id") in targets
    }


def _xlsx_uncached(xml: bytes) -> list[str]:
    if not has_tag(xml, b"f"):
        return []
    cells = []
    for cell in xlsx_cells(xml):
        if cell.empty:
            continue
        content = xml[cell.tag.end : closing_tag_start(xml, b"c", cell.tag.end)]
        if has_tag(content, b"f") and not _cached(content, cell.tag.attributes().get("t", [])):
            cells.append(cell_name(cell.row, cell.col))
    return cells


def _cached(content: bytes, types: list[str]) -> bool:
    """Whether a formula cell's content holds a saved result.

    An empty `<v/>` counts only for a text result (t="str"), which Excel and LibreOffice
    write for a formula giving ""; openpyxl writes `<v/>` for "never calculated".
    """
    for tag in start_tags(content, b"v"):
        if "str" in types:
            return True
        if not tag.self_closing and content[tag.end : content.find(b"<", tag.end)]:
            return True
    return False


def _ods_uncached(xml: bytes) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    if b"formula" not in xml:
        return found
    for cell in ods_cells(xml):
        if b"formula" in cell.tag.text:
            attrs = cell.tag.attributes()
            if "formula" in attrs and "value-type" not in attrs:
                found.setdefault(cell.sheet_name, []).append(cell_name(cell.row, cell.col))
    return found


def uncached_formula_cells(container: ContainerInfo, sheets: set[str]) -> dict[str, list[str]]:
    """For each of `sheets` (names as in the file), the cells holding a formula with no saved result."""
    if container.kind == KIND_ODS:
        found = _ods_uncached(container.parts.get("content.xml", b""))
        return {name: cells for name, cells in found.items() if name in sheets}
    if not any(_may_hold_formula(xml) for xml in container.parts.values()):
        return {}  # the usual case: no formula anywhere, so the relationships need not be read
    result = {}
    for name, part in xlsx_sheet_parts(container.parts).items():
        if name in sheets and (cells := _xlsx_uncached(container.parts.get(part, b""))):
            result[name] = cells
    return result


# An `<f>` tag, plain or prefixed, starts with one of these; each leads with a literal, so the
# search is fast (a pattern led by a character class is several times slower).
_F_PLAIN = re.compile(rb"<f[\s/>]")
_F_PREFIXED = re.compile(rb":f[\s/>]")


def _may_hold_formula(xml: bytes) -> bool:
    """Whether a part holds an `<f>` tag: the quick literal patterns first, then the exact one."""
    return (_F_PLAIN.search(xml) is not None or _F_PREFIXED.search(xml) is not None) and has_tag(xml, b"f")
