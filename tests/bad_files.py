"""A corpus of bad and hostile questionnaire files, built by code instead of committed binaries.

Each `BadFile` knows how to build its bytes and which words the reader's (English) error
must contain. Builders are lazy so a test builds only what it uses. `hostile=True` marks
files that would crash or exhaust an unguarded parser (python-calamine aborts the process
on some); the tests read those in a child process first, so a hole in the guard shows
up as a failed test instead of a dead test run.

Run as a script (`python tests/bad_files.py NAME...`) it reads the named files with the
real reader and prints one JSON line per file: this is how the child process is driven.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import random
import struct
import sys
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from openpyxl import load_workbook

from capacity.framework import current_framework
from capacity.questionnaire.submission import Answer, Submission
from capacity.questionnaire.template import build_template

RESPONSES_PART = "xl/worksheets/sheet3.xml"  # where the template writer puts the Responses sheet
FIRST_ROW = 2  # the first indicator row (IC.1) of the Responses sheet
LEVEL_COL, CODE_COL = "F", "A"
GIB = 1 << 30


# --------------------------------------------------------------------------- valid starting points


def filled_submission(**changes: object) -> Submission:
    """A complete, valid submission touching every kind of answer (levels 0–5, N/A, blank, links)."""
    framework = current_framework()
    answers = {}
    for position, indicator in enumerate(framework.indicators):
        level = position % 6
        answers[indicator.code] = Answer(
            indicator.code,
            level=level,
            evidence=f"Board minutes {position}" if level else "",
            evidence_link=f"https://example.org/doc/{position}" if position % 4 == 0 else "",
        )
    answers["IC.2"] = Answer("IC.2", not_applicable=True)
    answers["IL.3"] = Answer("IL.3")  # blank
    fields: dict[str, object] = {
        "framework_id": framework.id,
        "framework_version": framework.version,
        "organisation_id": "NS-TR-01",
        "organisation_name": "Türk Kızılay",
        "year": 2025,
        "respondent_role": "self",
        "answers": answers,
        "organisation_type": "national_society",
        "country": "Türkiye",
        "region": "Europe",
        "respondent_name": "Ayşe Yılmaz",
        "date_completed": dt.date(2025, 3, 31),
        "language": "en",
        "template_version": "1.0",
    }
    fields.update(changes)
    return Submission(**fields)  # type: ignore[arg-type]


@cache
def filled_xlsx(lang: str = "en") -> bytes:
    """The filled questionnaire as the app's own template writer makes it."""
    return build_template(prefill=filled_submission(language=lang), complete=True, lang=lang)


def indicator_row(code: str) -> int:
    """The row of an indicator on the Responses sheet of a freshly written template."""
    codes = [ind.code for ind in current_framework().indicators]
    return FIRST_ROW + codes.index(code)


def edit_xlsx(data: bytes, edit: Callable[..., None]) -> bytes:
    """Open with openpyxl, let `edit(workbook)` change it, save."""
    workbook = load_workbook(io.BytesIO(data))
    edit(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def with_cells(changes: dict[str, dict[str, object]], base: bytes | None = None) -> bytes:
    """The filled questionnaire with some cells changed: {sheet: {A1: value}}."""

    def edit(workbook) -> None:
        for sheet, cells in changes.items():
            for ref, value in cells.items():
                workbook[sheet][ref] = value

    return edit_xlsx(base or filled_xlsx(), edit)


def level_cell(code: str = "IC.1") -> str:
    return f"{LEVEL_COL}{indicator_row(code)}"


def rezip(
    data: bytes,
    change: Callable[[str, bytes], bytes | None] = lambda name, content: content,
    extra: dict[str, bytes] | None = None,
    compression: int = zipfile.ZIP_DEFLATED,
) -> bytes:
    """Rewrite a zip, changing (or dropping, when `change` returns None) members, adding `extra`."""
    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as target:
        for info in source.infolist():
            content = change(info.filename, source.read(info))
            if content is not None:
                target.writestr(info.filename, content)
        for name, content in (extra or {}).items():
            target.writestr(name, content)
    return buffer.getvalue()


def in_responses(snippet: bytes) -> bytes:
    """The filled questionnaire with XML added at the end of the Responses sheet's data."""
    return rezip(
        filled_xlsx(),
        lambda name, content: (
            content.replace(b"</sheetData>", snippet + b"</sheetData>") if name == RESPONSES_PART else content
        ),
    )


# --------------------------------------------------------------------------- hand-made containers


def raw_zip(members: list[tuple[str, int, bytes, int, int]]) -> bytes:
    """A zip written byte by byte: (name, method, stored bytes, crc, declared size) per member.

    Needed where zipfile refuses to help: deflate streams made without compressing a
    gibibyte, sizes that lie, entries that share one local header.
    """
    out = io.BytesIO()
    central = []
    for name, method, payload, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<4sHHHHHIIIHH",
                b"PK\x03\x04",
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(payload),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded)
        out.write(payload)
        central.append(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                20,
                20,
                0,
                method,
                0,
                0x21,
                crc,
                len(payload),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    for entry in central:
        out.write(entry)
    out.write(
        struct.pack(
            "<4sHHHHIIH", b"PK\x05\x06", 0, 0, len(central), len(central), out.tell() - start, start, 0
        )
    )
    return out.getvalue()


def zeros_deflated(logical: int, block: int = 1 << 20) -> bytes:
    """A raw deflate stream of `logical` zero bytes, made in milliseconds.

    One block is compressed once and ended with a full flush, which resets the compressor,
    so the same bytes can be repeated: 1 GiB of zeros costs about 1 MB and 6 ms.
    """
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    unit = compressor.compress(b"\0" * block) + compressor.flush(zlib.Z_FULL_FLUSH)
    return unit * (logical // block) + compressor.flush()


def zip_bomb(logical: int = GIB, name: str = "xl/worksheets/sheet1.xml") -> bytes:
    """One member that inflates to `logical` bytes of zeros (sizes declared truthfully)."""
    return raw_zip(
        [
            ("[Content_Types].xml", 0, b"<Types/>", zlib.crc32(b"<Types/>"), 8),
            (name, 8, zeros_deflated(logical), 0, logical),
        ]
    )


def overlapping_bomb(entries: int = 300) -> bytes:
    """Many directory entries sharing one local header (a 'better zip bomb'): each inflates again."""
    size = 900 * 1024  # each entry stays under the 1 MB floor of the ratio check
    payload, name = zeros_deflated(size, block=size), "xl/workbook.xml"
    base = raw_zip([(name, 8, payload, zlib.crc32(b"\0" * size), size)])
    local_end = base.index(b"PK\x01\x02")
    entry = base[local_end : base.index(b"PK\x05\x06")]
    directory = entry * entries
    return (
        base[:local_end]
        + directory
        + struct.pack("<4sHHHHIIH", b"PK\x05\x06", 0, 0, entries, entries, len(directory), local_end, 0)
    )


def ole_file(streams: dict[str, bytes]) -> bytes:
    """A minimal OLE2 compound file (the container of .xls and of encrypted Office files).

    Each stream is padded to 4096 bytes so it lives in regular sectors (no mini stream).
    """
    sector = 512
    end, free, fat_sector = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD
    datas = [content.ljust(max(4096, len(content)), b"\0") for content in streams.values()]
    fat = [fat_sector, end]
    starts = []
    for data in datas:
        count = -(-len(data) // sector)
        starts.append(len(fat))
        fat.extend(range(len(fat) + 1, len(fat) + count))
        fat.append(end)
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = name.encode("utf-16-le") + b"\0\0"
        return struct.pack(
            "<64sHBBIII16sIQQIQ",
            encoded,
            len(encoded),
            kind,
            1,
            free,
            right,
            child,
            b"\0" * 16,
            0,
            0,
            0,
            start,
            size,
        )

    names = list(streams)
    directory = entry("Root Entry", 5, free, 1, end, 0)
    for position, (name, data) in enumerate(zip(names, datas, strict=True), start=1):
        right = position + 1 if position < len(names) else free
        directory += entry(name, 2, right, free, starts[position - 1], len(data))
    directory = directory.ljust(sector, b"\0")
    header = struct.pack(
        "<8s16sHHHHH6sIIIIIIIII",
        bytes.fromhex("d0cf11e0a1b11ae1"),
        b"\0" * 16,
        0x3E,
        3,
        0xFFFE,
        9,
        6,
        b"\0" * 6,
        0,
        1,
        1,
        0,
        4096,
        end,
        0,
        end,
        0,
    )
    header += struct.pack("<109I", 0, *([free] * 108))
    body = (
        struct.pack("<128I", *fat)
        + directory
        + b"".join(d.ljust(-(-len(d) // sector) * sector, b"\0") for d in datas)
    )
    return header + body


def ods_file(table_xml: str) -> bytes:
    """A minimal OpenDocument spreadsheet with one table."""
    content = (
        '<?xml version="1.0" encoding="UTF-8"?><office:document-content '
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.3">'
        '<office:body><office:spreadsheet><table:table table:name="Responses">'
        + table_xml
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.3">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest, zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


BILLION_LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol1 "lol">'
    + b"".join(f'<!ENTITY lol{n} "{f"&lol{n - 1};" * 10}">'.encode() for n in range(2, 10))
    + b']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    b'<row r="1"><c r="A1" t="inlineStr"><is><t>&lol9;</t></is></c></row></sheetData></worksheet>'
)


def _replace_part(name: str, content: bytes) -> bytes:
    return rezip(filled_xlsx(), lambda member, old: content if member == name else old)


def _extra_part(content: bytes) -> bytes:
    return rezip(filled_xlsx(), extra={"customXml/item1.xml": content})


def _doctype_across_chunks() -> bytes:
    # The guard reads 64 KiB at a time: "<!DOC" ends one chunk and "TYPE" starts the next.
    padding = b" " * (64 * 1024 - len(b"<!DOC"))
    return rezip(filled_xlsx(), extra={"customXml/item1.xml": padding + b"<!DOCTYPE x []><x/>"})


def _drop_sheet(title: str) -> Callable[..., None]:
    def edit(workbook) -> None:
        del workbook[title]

    return edit


def _unrelated_workbook() -> bytes:
    def edit(workbook) -> None:
        for title in ("Organisation", "Responses", "_meta", "_lists"):
            del workbook[title]
        workbook["Instructions"].title = "Budget 2025"

    return edit_xlsx(filled_xlsx(), edit)


def _delete_column(letter_index: int) -> Callable[..., None]:
    def edit(workbook) -> None:
        workbook["Responses"].delete_cols(letter_index)

    return edit


def _clear_header(workbook) -> None:
    for cell in workbook["Responses"][1]:
        cell.value = None


def _duplicate_level_header(workbook) -> None:
    workbook["Responses"]["I1"] = "Level"


def _delete_org_row(workbook) -> None:
    workbook["Organisation"].delete_rows(2)  # the "Organisation ID" row


def _truncated() -> bytes:
    data = filled_xlsx()
    return data[: len(data) // 2]


def _bad_crc() -> bytes:
    data = bytearray(filled_xlsx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(RESPONSES_PART)
    start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 100
    data[start] ^= 0xFF
    return bytes(data)


def _zip_encrypted_member() -> bytes:
    data = bytearray(filled_xlsx())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(RESPONSES_PART)
    data[info.header_offset + 6] |= 1  # general purpose flag bit 0 ("encrypted") in the local header …
    central = bytes(data).rfind(b"PK\x01\x02", 0, bytes(data).rfind(RESPONSES_PART.encode()))
    data[central + 8] |= 1  # … and in the central directory
    return bytes(data)


def _bzip2_member() -> bytes:
    return rezip(filled_xlsx(), extra={"docProps/custom.xml": b"<x/>" * 100}, compression=zipfile.ZIP_BZIP2)


def _ratio_part() -> bytes:
    return rezip(filled_xlsx(), extra={"xl/media/image1.png": b"\0" * (20 * 1024 * 1024)})


def _many_parts() -> bytes:
    return rezip(filled_xlsx(), extra={f"customXml/item{n}.xml": b"<x/>" for n in range(1001)})


def _utf16_doctype() -> bytes:
    xml = '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x>&a;</x>'
    return rezip(filled_xlsx(), extra={"customXml/item1.xml": xml.encode("utf-16")})


def _docx_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _xlsb_like() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return buffer.getvalue()


def _with_shared_strings(unique: int) -> bytes:
    sst = (
        f'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{unique}" '
        f'uniqueCount="{unique}"><si><t>a</t></si></sst>'
    ).encode()
    return rezip(filled_xlsx(), extra={"xl/sharedStrings.xml": sst})


def _formula_level(workbook) -> None:
    workbook["Responses"][level_cell("IC.1")] = "=1+2"


@dataclass(frozen=True)
class BadFile:
    name: str
    build: Callable[[], bytes]
    expect: tuple[str, ...]  # every fragment must appear in one rendered (English) error
    where: str = ""  # "Sheet!A1" that the matching error must start with
    hostile: bool = False
    filename: str = "questionnaire.xlsx"


def _cells(sheet: str, ref: str, value: object) -> Callable[[], bytes]:
    return lambda: with_cells({sheet: {ref: value}})


def _edited(edit: Callable[..., None]) -> Callable[[], bytes]:
    return lambda: edit_xlsx(filled_xlsx(), edit)


NEXT_YEAR = dt.date.today().year + 1
ROW_IC1 = indicator_row("IC.1")

CORPUS: tuple[BadFile, ...] = (
    # ---- not a spreadsheet at all
    BadFile("pdf_renamed", lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n", ("PDF",)),
    BadFile("csv_renamed", lambda: b"Code,Level\nIC.1,3\nIC.2,4\n", ("plain text", "CSV")),
    BadFile(
        "html_renamed",
        lambda: b"<html><body><table><tr><td>IC.1</td></tr></table></body></html>",
        ("plain text",),
    ),
    BadFile("empty", lambda: b"", ("empty",)),
    BadFile("random_bytes", lambda: random.Random(7).randbytes(5000), ("not a spreadsheet",)),
    BadFile("truncated_zip", _truncated, ("damaged or incomplete",)),
    BadFile("bad_crc", _bad_crc, ("damaged or incomplete",)),
    BadFile("docx_renamed", _docx_like, ("not a spreadsheet", "Word")),
    BadFile("xlsb", _xlsb_like, (".xlsb",)),
    BadFile("xls_97_2003", lambda: ole_file({"Workbook": b"\x09\x08\x10\x00"}), ("Excel 97–2003", ".xlsx")),
    BadFile(
        "encrypted_workbook",
        lambda: ole_file({"EncryptionInfo": b"\x04\x00\x04\x00", "EncryptedPackage": b"\x00" * 64}),
        ("password",),
    ),
    BadFile("word_doc", lambda: ole_file({"WordDocument": b"\xec\xa5"}), ("not a spreadsheet",)),
    BadFile("zip_encrypted_member", _zip_encrypted_member, ("password",)),
    BadFile("bzip2_member", _bzip2_member, ("Excel and LibreOffice never use",)),
    BadFile("too_big_upload", lambda: filled_xlsx() + b"\0" * (11 * 1024 * 1024), ("files up to 10 MB",)),
    # ---- hostile containers
    BadFile("zip_bomb_1gib", zip_bomb, ("zip bomb",), hostile=True),
    BadFile("overlapping_entries_bomb", overlapping_bomb, ("never use",), hostile=True),
    BadFile("high_ratio_part", _ratio_part, ("zip bomb",), hostile=True),
    BadFile("too_many_parts", _many_parts, ("more than 1000 internal parts",), hostile=True),
    BadFile(
        "billion_laughs", lambda: _replace_part(RESPONSES_PART, BILLION_LAUGHS), ("DOCTYPE",), hostile=True
    ),
    BadFile(
        "entity_without_doctype",
        lambda: _extra_part(b'<!ENTITY x SYSTEM "file:///etc/passwd">'),
        ("ENTITY",),
        hostile=True,
    ),
    BadFile("lowercase_doctype", lambda: _extra_part(b"<!doctype x><x/>"), ("DOCTYPE",), hostile=True),
    BadFile("doctype_across_chunks", _doctype_across_chunks, ("DOCTYPE",), hostile=True),
    BadFile("utf16_doctype", _utf16_doctype, ("DOCTYPE",), hostile=True),
    BadFile(
        "cell_at_xfd1048576",
        lambda: in_responses(b'<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'),
        ("far outside",),
        hostile=True,
    ),
    BadFile(
        "column_beyond_xfd",
        lambda: in_responses(b'<row r="40"><c r="ZZZZZZ40"><v>1</v></c></row>'),
        ("far outside",),
        hostile=True,
    ),
    BadFile(
        "row_beyond_grid",
        lambda: in_responses(b'<row r="4294967295"><c r="A4294967295"><v>1</v></c></row>'),
        ("far outside",),
        hostile=True,
    ),
    BadFile(
        "cells_without_references",
        lambda: in_responses(
            b"<row>"
            + b"<c><v>1</v></c>" * 20000
            + b"</row>"
            + b"<row/>" * 60000
            + b"<row><c><v>1</v></c></row>"
        ),
        ("far outside",),
        hostile=True,
    ),
    BadFile(
        "reference_of_5000_digits",
        lambda: in_responses(b'<row><c r="A' + b"9" * 5000 + b'"><v>1</v></c><c><v>2</v></c></row>'),
        ("far outside",),
        hostile=True,
    ),
    BadFile(
        "ods_repeat_of_5000_digits",
        lambda: ods_file(
            f'<table:table-row table:number-rows-repeated="{"9" * 5000}"><table:table-cell '
            'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
        ),
        ("far outside",),
        hostile=True,
        filename="questionnaire.ods",
    ),
    BadFile(
        "shared_strings_declared_4e9",
        lambda: _with_shared_strings(4_000_000_000),
        ("never use",),
        hostile=True,
    ),
    BadFile(
        "ods_repeated_cells",
        lambda: ods_file(
            '<table:table-row table:number-rows-repeated="1048576"><table:table-cell '
            'table:number-columns-repeated="16384" office:value-type="string">'
            "<text:p>x</text:p></table:table-cell></table:table-row>"
        ),
        ("far outside",),
        hostile=True,
        filename="questionnaire.ods",
    ),
    BadFile(
        "ods_nested_table",
        lambda: ods_file(
            '<table:table-row><table:table-cell office:value-type="string"><table:table '
            'table:name="inner"><table:table-row/></table:table></table:table-cell>'
            "</table:table-row>"
        ),
        ("never use",),
        hostile=True,
        filename="questionnaire.ods",
    ),
    # ---- not the questionnaire, or a broken one
    BadFile("unrelated_workbook", _unrelated_workbook, ("not the capacity questionnaire",)),
    BadFile("missing_responses_sheet", _edited(_drop_sheet("Responses")), ('"Responses" is missing',)),
    BadFile(
        "missing_organisation_sheet", _edited(_drop_sheet("Organisation")), ('"Organisation" is missing',)
    ),
    BadFile(
        "missing_meta_sheet",
        _edited(_drop_sheet("_meta")),
        ('"_meta" is missing', "Framework or Upload page"),
    ),
    BadFile("missing_level_column", _edited(_delete_column(6)), ('column "Level"',)),
    BadFile("missing_evidence_column", _edited(_delete_column(7)), ('column "Evidence" is missing',)),
    BadFile("missing_header_row", _edited(_clear_header), ("header row",)),
    BadFile(
        "duplicated_level_column",
        _edited(_duplicate_level_header),
        ('"Level" appears a second time',),
        where="Responses!I1",
    ),
    BadFile(
        "unknown_code",
        _cells("Responses", f"A{ROW_IC1}", "XX.9"),
        ('"XX.9" is not an indicator code',),
        where=f"Responses!A{ROW_IC1}",
    ),
    BadFile(
        "duplicated_code",
        _cells("Responses", f"A{indicator_row('IC.3')}", "IC.1"),
        ("IC.1 appears a second time", f"row {ROW_IC1}"),
        where=f"Responses!A{indicator_row('IC.3')}",
    ),
    BadFile(
        "level_7",
        _cells("Responses", level_cell(), 7),
        ('"7" is out of range', "0 to 5"),
        where=f"Responses!{level_cell()}",
    ),
    BadFile(
        "level_minus_1",
        _cells("Responses", level_cell(), "-1"),
        ('"-1" is out of range',),
        where=f"Responses!{level_cell()}",
    ),
    BadFile(
        "level_very_good",
        _cells("Responses", level_cell(), "Very good"),
        ('"Very good" is not a level. Choose 0–5 or N/A from the list.',),
        where=f"Responses!{level_cell()}",
    ),
    BadFile(
        "level_2_5",
        _cells("Responses", level_cell(), 2.5),
        ('"2.5" is not on the scale', "whole numbers"),
        where=f"Responses!{level_cell()}",
    ),
    BadFile(
        "level_name_mismatch",
        _cells("Responses", level_cell(), "3 – Leading"),
        ("the number and the name do not match",),
        where=f"Responses!{level_cell()}",
    ),
    BadFile(
        "level_boolean",
        _cells("Responses", level_cell(), True),
        ('"TRUE" is not a level',),
        where=f"Responses!{level_cell()}",
    ),
    BadFile(
        "level_formula_without_result",
        _edited(_formula_level),
        ("formula with no saved result",),
        where=f"Responses!{level_cell()}",
    ),
    BadFile(
        "unknown_framework_version",
        _cells("_meta", "B2", "0.9"),
        ("version 0.9", "does not use", "Framework or Upload page"),
        where="_meta!B2",
    ),
    BadFile(
        "unknown_framework_id",
        _cells("_meta", "B1", "other-framework"),
        ("framework other-framework", "Framework or Upload page"),
    ),
    BadFile("framework_version_blank", _cells("_meta", "B2", None), ("does not name the framework version",)),
    BadFile(
        "missing_organisation_id",
        _cells("Organisation", "B2", None),
        ("Organisation ID is missing",),
        where="Organisation!B2",
    ),
    BadFile(
        "missing_organisation_name",
        _cells("Organisation", "B3", "   "),
        ("Organisation name is missing",),
        where="Organisation!B3",
    ),
    BadFile(
        "missing_year",
        _cells("Organisation", "B7", None),
        ("Assessment year is missing",),
        where="Organisation!B7",
    ),
    BadFile(
        "missing_role",
        _cells("Organisation", "B9", None),
        ("Respondent role is missing",),
        where="Organisation!B9",
    ),
    BadFile(
        "missing_organisation_id_row", _edited(_delete_org_row), ('The row "Organisation ID" is missing',)
    ),
    BadFile(
        "year_1999",
        _cells("Organisation", "B7", 1999),
        ("1999 is outside the accepted years 2000–",),
        where="Organisation!B7",
    ),
    BadFile(
        "year_after_next",
        _cells("Organisation", "B7", NEXT_YEAR + 1),
        (f"{NEXT_YEAR + 1} is outside the accepted years 2000–{NEXT_YEAR}",),
        where="Organisation!B7",
    ),
    BadFile(
        "year_in_words",
        _cells("Organisation", "B7", "twenty twenty-five"),
        ('"twenty twenty-five" is not a year',),
        where="Organisation!B7",
    ),
    BadFile(
        "year_of_fifty_digits",
        _cells("Organisation", "B7", "9" * 50),
        ("is not a year",),
        where="Organisation!B7",
    ),
    BadFile(
        "unknown_organisation_type",
        _cells("Organisation", "B4", "Sports club"),
        ('"Sports club" is not an organisation type',),
        where="Organisation!B4",
    ),
    BadFile(
        "unknown_role",
        _cells("Organisation", "B9", "Manager"),
        ('"Manager" is not a respondent role',),
        where="Organisation!B9",
    ),
    BadFile(
        "date_in_words",
        _cells("Organisation", "B10", "end of March"),
        ('"end of March" is not a date',),
        where="Organisation!B10",
    ),
)
CASES = {case.name: case for case in CORPUS}


def run(names: list[str]) -> list[dict[str, object]]:
    """Read the named files with the real reader; what a child process reports back."""
    from capacity.questionnaire.reader import read_questionnaire

    results = []
    for name in names:
        case = CASES[name]
        data = case.build()
        start = time.perf_counter()
        result = read_questionnaire(data, case.filename)
        results.append(
            {
                "name": name,
                "seconds": time.perf_counter() - start,
                "valid": result.valid,
                "errors": [problem.render("en") for problem in result.errors],
            }
        )
    return results


if __name__ == "__main__":
    for line in run(sys.argv[1:]):
        print(json.dumps(line, ensure_ascii=False))
