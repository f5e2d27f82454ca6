"""The container guard: decides, before any spreadsheet parser runs, whether a file may be parsed.

python-calamine is fast, but on some inputs it does not raise, it aborts the whole
process: a zip bomb, one cell at XFD1048576 (it allocates the sheet's whole bounding
box), a shared-strings table declaring four billion entries. The Streamlit server must
survive any upload, so every byte is looked at here first:

- the kind of file is told by its first bytes, never by its name;
- every zip member is decompressed in chunks while the real bytes are counted (declared
  sizes are never trusted), and the first bound crossed stops the work, so a 1 MB file
  that unpacks to 1 GiB is refused after about a megabyte of output;
- DOCTYPE and ENTITY declarations are refused in every part (spreadsheets never need
  them; they are how entity-expansion attacks start);
- cells are located (`xmlscan`) and a file whose cells span more than a bounded grid
  is refused, as is a shared-strings table that declares more entries than it holds.

The accepted parts are handed on (`ContainerInfo.parts`) so nothing is decompressed twice:
the formula check reads them, and python-calamine reads them repacked without compression
(`ContainerInfo.repacked`), that is exactly the bytes checked here.
"""

from __future__ import annotations

import codecs
import io
import logging
import struct
import zipfile
import zlib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from capacity.i18n import N_, Message
from capacity.questionnaire.xmlscan import UnsupportedXml, declared_counts, ods_extents, xlsx_extent

log = logging.getLogger(__name__)

MB = 1024 * 1024

KIND_XLSX, KIND_XLSM, KIND_ODS = "xlsx", "xlsm", "ods"

ZIP_MAGIC = (b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ODS_MIMETYPES = (
    b"application/vnd.oasis.opendocument.spreadsheet",
    b"application/vnd.oasis.opendocument.spreadsheet-template",
)
_CENTRAL_HEADER = b"PK\x01\x02"
# The records of a repacked zip (`ContainerInfo.repacked`): names in UTF-8, 1 January 1980.
_LOCAL_HEADER = struct.Struct("<4sHHHHHIIIHH")
_CENTRAL = struct.Struct("<4sHHHHHHIIIHHHHHII")
_END = struct.Struct("<4sHHHHIIH")
_UTF8_NAMES = 0x800
_DOS_DATE = (1 << 5) | 1


def _utf16(text: str) -> tuple[bytes, bytes]:
    return text.encode("utf-16-le"), text.encode("utf-16-be")


# Searched for in lower-cased chunks, in UTF-8 and in both UTF-16 byte orders.
_DECLARATIONS = (b"<!doctype", b"<!entity", *_utf16("<!doctype"), *_utf16("<!entity"))
_OVERLAP = max(len(p) for p in _DECLARATIONS) - 1

MSG_EMPTY = N_("The file is empty. Upload the filled questionnaire (.xlsx).")
MSG_PDF = N_("This is a PDF file, not a spreadsheet. Upload the questionnaire as an Excel file (.xlsx).")
MSG_TEXT = N_(
    "This is a plain text file (such as CSV), not a spreadsheet. Fill in the questionnaire template "
    "and upload it as an Excel file (.xlsx)."
)
MSG_XLS = N_(
    "This is an old Excel 97–2003 file (.xls). Open it in Excel or LibreOffice, save it as an Excel "
    "workbook (.xlsx) and upload that file."
)
MSG_ENCRYPTED = N_(
    "The workbook is protected with a password (encrypted), so it cannot be read. Remove the password, "
    "save the file and upload it again."
)
MSG_XLSB = N_(
    "This is an Excel binary workbook (.xlsb). Save it as an Excel workbook (.xlsx) and upload that file."
)
MSG_NOT_SPREADSHEET_ZIP = N_(
    "This is a compressed file but not a spreadsheet (it may be a Word document or a ZIP archive). "
    "Upload the questionnaire as an Excel file (.xlsx)."
)
MSG_UNKNOWN = N_(
    "This file is not a spreadsheet that can be read. Upload the questionnaire as an Excel file (.xlsx) "
    "or an OpenDocument spreadsheet (.ods)."
)
MSG_DAMAGED = N_(
    "The file is damaged or incomplete (it may not have finished saving or uploading). Open it in Excel "
    "or LibreOffice, save it again and upload the new file."
)
MSG_TOO_MANY_PARTS = N_(
    "The file holds more than {limit} internal parts, far more than a questionnaire needs. It was refused "
    "for safety."
)
MSG_TOTAL_TOO_BIG = N_(
    "The file unpacks to more than {limit} MB, far more than a questionnaire needs. It was refused "
    "for safety; remove large embedded content and upload it again."
)
MSG_PART_TOO_BIG = N_(
    "One part of the file unpacks to more than {limit} MB, far more than a questionnaire needs. It was "
    "refused for safety; remove large embedded content and upload it again."
)
MSG_RATIO = N_(
    'The file is compressed more than {ratio}:1, which is how a "zip bomb" is built. It was refused '
    "for safety."
)
MSG_DECLARATION = N_(
    "The file contains XML declarations (DOCTYPE or ENTITY) that spreadsheets never use and that are "
    "used in attacks. It was refused for safety."
)
MSG_UNUSUAL = N_(
    "The file is built in a way that Excel and LibreOffice never use. It was refused for safety. Open it "
    "in Excel or LibreOffice, save it again and upload the new file."
)
MSG_TOO_MANY_CELLS = N_(
    "A sheet of the file uses cells far outside any questionnaire (beyond row {rows} or column "
    "{columns}, or more than {cells} cells in all). It was refused for safety."
)
NOTE_MACROS = N_("The file contains macros. They were ignored and never run.")


@dataclass(frozen=True)
class Limits:
    """Bounds on what a questionnaire file may unpack to (a filled one needs well under 1 MB)."""

    max_total_bytes: int = 100 * MB
    max_part_bytes: int = 50 * MB
    max_ratio: float = 100.0
    ratio_floor_bytes: int = 1 * MB  # small parts compress well and harmlessly
    max_members: int = 1000
    max_rows: int = 1_048_576  # Excel's own grid
    max_columns: int = 16_384
    max_cells: int = 1_000_000  # the sheets' bounding boxes together, as calamine allocates them
    max_slow_cell_tags: int = 200_000  # cells walked one by one (ODS, unusual xlsx): bounds the time
    chunk_bytes: int = 64 * 1024


DEFAULT_LIMITS = Limits()


@dataclass(frozen=True)
class ContainerInfo:
    """A container that passed the guard: its kind, its parts (decompressed) and notes for the user."""

    kind: str
    parts: Mapping[str, bytes] = field(repr=False)
    notes: tuple[Message, ...] = ()
    crcs: Mapping[str, int] = field(default_factory=dict, repr=False)  # each part's CRC-32, as checked

    def repacked(self) -> bytes:
        """The checked parts as a zip of uncompressed members, in their order, for python-calamine.

        Each member was inflated once, by the guard; calamine then reads these very bytes
        rather than inflating the upload's members a second time (and so parses exactly
        what the guard looked at). Sizes are bounded by `Limits`, far below zip's 4 GiB.
        """
        local: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for name, content in self.parts.items():
            encoded = name.encode("utf-8")
            crc = self.crcs[name] if name in self.crcs else zlib.crc32(content)
            # version needed, flags, method, time, date, CRC, both sizes (then the name length)
            common = (20, _UTF8_NAMES, zipfile.ZIP_STORED, 0, _DOS_DATE, crc, len(content), len(content))
            header = _LOCAL_HEADER.pack(b"PK\x03\x04", *common, len(encoded), 0)
            # then: extra and comment lengths, disk, internal and external attributes, offset
            central.append(_CENTRAL.pack(_CENTRAL_HEADER, 20, *common, len(encoded), 0, 0, 0, 0, 0, offset))
            central.append(encoded)
            local += (header, encoded, content)
            offset += len(header) + len(encoded) + len(content)
        directory = b"".join(central)
        count = len(self.parts)
        end = _END.pack(b"PK\x05\x06", 0, 0, count, count, len(directory), offset, 0)
        return b"".join((*local, directory, end))


def _looks_like_text(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return True
    if b"\x00" in head:
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return True
    except UnicodeDecodeError:
        pass
    # Windows code pages (a CSV saved by Turkish Excel): nearly all bytes printable.
    printable = sum(1 for byte in head if byte >= 0x20 or byte in b"\t\r\n")
    return printable >= 0.95 * len(head)


def _utf16z(name: str) -> bytes:
    return name.encode("utf-16-le") + b"\x00\x00"


def sniff(data: bytes) -> str:
    """The kind of file, from its first bytes: zip, ole-encrypted, xls, pdf, text, empty or unknown."""
    if not data:
        return "empty"
    if data[:4] in ZIP_MAGIC:
        return "zip"
    if data.startswith(OLE_MAGIC):
        # Stream names sit in the OLE directory as NUL-terminated UTF-16.
        if _utf16z("EncryptedPackage") in data or _utf16z("EncryptionInfo") in data:
            return "encrypted"
        if _utf16z("Workbook") in data or _utf16z("Book") in data:
            return "xls"
        return "unknown"
    if b"%PDF-" in data[:1024]:
        return "pdf"
    if _looks_like_text(data[:4096]):
        return "text"
    return "unknown"


_SNIFF_MESSAGES = {
    "empty": MSG_EMPTY,
    "pdf": MSG_PDF,
    "text": MSG_TEXT,
    "xls": MSG_XLS,
    "encrypted": MSG_ENCRYPTED,
    "unknown": MSG_UNKNOWN,
}


class _Refused(Exception):
    """Carries the message that refuses the file out of the nested checks."""

    def __init__(self, message: Message) -> None:
        super().__init__(message.msgid)
        self.message = message


def _unusual(detail: str) -> _Refused:
    """Refuse with the plain message; the technical detail goes to the log for whoever investigates."""
    log.info("container refused: %s", detail)
    return _Refused(Message(MSG_UNUSUAL))


def _megabytes(size: int) -> str:
    return f"{round(size / MB, 2):g}"


def _declares(window: bytes) -> bool:
    """Whether a window of bytes holds a DOCTYPE or ENTITY declaration, in any case or UTF."""
    lowered = window.lower()
    return any(pattern in lowered for pattern in _DECLARATIONS)


class _Damaged(Exception):
    """The zip's bytes contradict its own directory (truncated, bad CRC, names that differ …)."""


def _inflated(data: bytes, info: zipfile.ZipInfo, chunk_bytes: int) -> Iterator[tuple[bytes, int]]:
    """A member's real bytes, chunk by chunk, each with the compressed bytes consumed so far.

    Decompressed here rather than with `ZipFile.open`, because the ratio has to be judged
    against the compressed bytes actually consumed (a 1 MB member that inflates to 1 GiB
    shows a 1000:1 ratio after its first megabyte), and zipfile hides that count.
    """
    offset = info.header_offset
    if offset < 0 or data[offset : offset + 4] != b"PK\x03\x04":
        raise _Damaged("no local header")
    name_length, extra_length = struct.unpack_from("<HH", data, offset + 26)
    name = data[offset + 30 : offset + 30 + name_length]
    if name.decode("utf-8" if info.flag_bits & 0x800 else "cp437", "replace") != info.orig_filename:
        raise _Damaged("local and central names differ")
    start = offset + 30 + name_length + extra_length
    end = start + info.compress_size
    if end > len(data):
        raise _Damaged("truncated member")
    if info.compress_size == 0:
        return
    if info.compress_type == zipfile.ZIP_STORED:
        for position in range(start, end, chunk_bytes):
            yield data[position : min(position + chunk_bytes, end)], min(position + chunk_bytes, end) - start
        return
    inflater = zlib.decompressobj(-15)
    position, pending = start, b""
    while not inflater.eof:
        if not pending:
            if position >= end:
                raise _Damaged("deflate stream ends early")
            pending = data[position : min(position + chunk_bytes, end)]
            position += len(pending)
        out = inflater.decompress(pending, chunk_bytes)
        pending = inflater.unconsumed_tail
        if out:
            yield out, position - start - len(pending)


def _read_member(data: bytes, info: zipfile.ZipInfo, total: int, limits: Limits) -> bytes:
    """One member's bytes, refused at the first bound crossed."""
    buffer = bytearray()
    tail = b""
    crc = 0
    for chunk, consumed in _inflated(data, info, limits.chunk_bytes):
        buffer += chunk
        total += len(chunk)
        crc = zlib.crc32(chunk, crc)
        if len(buffer) > limits.max_part_bytes:
            raise _Refused(Message(MSG_PART_TOO_BIG, {"limit": _megabytes(limits.max_part_bytes)}))
        if total > limits.max_total_bytes:
            raise _Refused(Message(MSG_TOTAL_TOO_BIG, {"limit": _megabytes(limits.max_total_bytes)}))
        if (len(buffer) > limits.ratio_floor_bytes and len(buffer) > limits.max_ratio * max(consumed, 1)) or (
            total > limits.ratio_floor_bytes and total > limits.max_ratio * len(data)
        ):
            raise _Refused(Message(MSG_RATIO, {"ratio": f"{limits.max_ratio:g}"}))
        window = tail + chunk
        # "!" is in every declaration, in any encoding; a one-byte search rules most chunks out.
        if b"!" in window and (b"<!" in window or b"<\x00!" in window) and _declares(window):
            raise _Refused(Message(MSG_DECLARATION))
        tail = window[-_OVERLAP:]
    if crc != info.CRC or len(buffer) != info.file_size:
        raise _Damaged("CRC or size differs from the directory")
    return bytes(buffer)


def _read_members(data: bytes, limits: Limits) -> dict[str, bytes]:
    """Every member's bytes, by name (see `_read_member` for the bounds)."""
    return _read_members_with_crcs(data, limits)[0]


def _read_members_with_crcs(data: bytes, limits: Limits) -> tuple[dict[str, bytes], dict[str, int]]:
    if data.count(_CENTRAL_HEADER) > limits.max_members:
        raise _Refused(Message(MSG_TOO_MANY_PARTS, {"limit": limits.max_members}))
    try:
        infos = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except Exception as exc:  # any parse failure of untrusted bytes means a damaged file
        raise _Refused(Message(MSG_DAMAGED)) from exc
    if len(infos) > limits.max_members:
        raise _Refused(Message(MSG_TOO_MANY_PARTS, {"limit": limits.max_members}))
    parts: dict[str, bytes] = {}
    crcs: dict[str, int] = {}
    total = 0
    for info in infos:
        if info.filename in parts:
            raise _unusual("two parts with the same name")
        if info.flag_bits & 0x1:
            raise _Refused(Message(MSG_ENCRYPTED))
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _unusual(f"compression method {info.compress_type}")
        try:
            parts[info.filename] = _read_member(data, info, total, limits)
        except (_Damaged, zlib.error, struct.error) as exc:
            raise _Refused(Message(MSG_DAMAGED)) from exc
        total += len(parts[info.filename])
        crcs[info.filename] = info.CRC  # the guard found the inflated bytes to match it
    return parts, crcs


def _check_cells(parts: Mapping[str, bytes], limits: Limits) -> None:
    """Refuse cells outside the grid, or more cells than `max_cells`, in any part and any format."""
    extents: list[tuple[int, int]] = []
    try:
        for xml in parts.values():
            extents.append(xlsx_extent(xml, limits.max_slow_cell_tags))
            if b"table-cell" in xml:
                extents.extend(ods_extents(xml, limits.max_slow_cell_tags).values())
    except UnsupportedXml as exc:
        raise _unusual(str(exc)) from exc
    if (
        any(rows > limits.max_rows or cols > limits.max_columns for rows, cols in extents)
        or sum(rows * cols for rows, cols in extents) > limits.max_cells
    ):
        raise _Refused(
            Message(
                MSG_TOO_MANY_CELLS,
                {"rows": limits.max_rows, "columns": limits.max_columns, "cells": limits.max_cells},
            )
        )


def _check_shared_strings(parts: Mapping[str, bytes], limits: Limits) -> None:
    """calamine reserves room for the declared number of shared strings before reading them."""
    for xml in parts.values():
        if b"sst" not in xml:  # one search rules out both "<sst" and a prefixed ":sst"
            continue
        declared, held = declared_counts(xml)
        if declared > max(held, limits.max_cells):
            raise _unusual(f"a shared-strings table declaring {declared} entries but holding {held}")


def _kind(parts: Mapping[str, bytes]) -> tuple[str, tuple[Message, ...]]:
    names = set(parts)
    if "xl/workbook.xml" in names:
        macros = any(name.lower().endswith("vbaproject.bin") for name in names) or (
            b"macroenabled" in parts.get("[Content_Types].xml", b"").lower()
        )
        return (KIND_XLSM, (Message(NOTE_MACROS),)) if macros else (KIND_XLSX, ())
    if "xl/workbook.bin" in names:
        raise _Refused(Message(MSG_XLSB))
    if parts.get("mimetype", b"").strip() in ODS_MIMETYPES and "content.xml" in names:
        macros = any(name.startswith(("Basic/", "Scripts/")) for name in names)
        return KIND_ODS, (Message(NOTE_MACROS),) if macros else ()
    raise _Refused(Message(MSG_NOT_SPREADSHEET_ZIP))


def check_container(data: bytes, limits: Limits = DEFAULT_LIMITS) -> ContainerInfo | list[Message]:
    """The container if it is a spreadsheet safe to parse, else the reason(s) it was refused."""
    kind = sniff(data)
    if kind != "zip":
        return [Message(_SNIFF_MESSAGES[kind])]
    try:
        parts, crcs = _read_members_with_crcs(data, limits)
        kind, notes = _kind(parts)
        _check_shared_strings(parts, limits)
        _check_cells(parts, limits)
    except _Refused as refused:
        return [refused.message]
    return ContainerInfo(kind=kind, parts=parts, notes=notes, crcs=crcs)
