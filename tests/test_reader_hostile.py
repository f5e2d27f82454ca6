"""Bad and hostile files: each gets its clear message, fast, and the process survives.

The corpus lives in tests/bad_files.py (built by code). Files marked hostile would crash
or exhaust an unguarded parser, so they are read with the real reader in a child
process first (a hole in the guard then fails a test instead of killing the run); in
this process only the guard, which never calls python-calamine, sees them.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
import tracemalloc
import zipfile
from pathlib import Path

import pytest

from capacity.questionnaire.reader import MAX_LISTED_PROBLEMS, read_questionnaire
from capacity.questionnaire.safety import (
    KIND_ODS,
    KIND_XLSM,
    KIND_XLSX,
    MB,
    ContainerInfo,
    Limits,
    check_container,
    sniff,
)
from capacity.upload import FileReport
from tests.bad_files import (
    CASES,
    CORPUS,
    BadFile,
    filled_submission,
    filled_xlsx,
    in_responses,
    ods_file,
    ole_file,
    rezip,
    zip_bomb,
)

ROOT = Path(__file__).resolve().parent.parent
GENTLE = [case for case in CORPUS if not case.hostile]
HOSTILE = [case for case in CORPUS if case.hostile]


def matching(case: BadFile, rendered: list[str]) -> list[str]:
    return [
        text for text in rendered if text.startswith(case.where) and all(part in text for part in case.expect)
    ]


def test_the_corpus_covers_at_least_thirty_kinds_of_bad_file() -> None:
    assert len(CORPUS) >= 30
    assert len(HOSTILE) >= 10


@pytest.fixture(autouse=True)
def default_upload_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CAPACITY_MAX_UPLOAD_MB", raising=False)


@pytest.mark.parametrize("case", GENTLE, ids=lambda case: case.name)
def test_bad_file_is_rejected_with_its_message(case: BadFile) -> None:
    data = case.build()
    start = time.perf_counter()
    result = read_questionnaire(data, case.filename)
    elapsed = time.perf_counter() - start
    rendered = [problem.render("en") for problem in result.errors]
    assert not result.valid
    assert result.submission is None
    assert matching(case, rendered), rendered
    assert elapsed < 1.0


@pytest.mark.parametrize("case", HOSTILE, ids=lambda case: case.name)
def test_guard_refuses_hostile_file_fast_with_bounded_memory(case: BadFile) -> None:
    data = case.build()
    start = time.perf_counter()
    verdict = check_container(data)
    elapsed = time.perf_counter() - start
    assert isinstance(verdict, list), f"the guard let {case.name} through"
    assert matching(case, [message.render("en") for message in verdict])
    assert elapsed < 1.0
    tracemalloc.start()
    try:
        check_container(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * MB  # 1 GiB bombs included: the guard stops at the first bound


def test_hostile_files_leave_the_reading_process_alive() -> None:
    """The real reader (calamine included) on every hostile file, in a child process."""
    names = [case.name for case in HOSTILE]
    child = subprocess.run(
        [sys.executable, "-m", "tests.bad_files", *names],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "CAPACITY_MAX_UPLOAD_MB": "10"},
    )
    assert child.returncode == 0, child.stderr[-2000:]
    results = [json.loads(line) for line in child.stdout.splitlines()]
    assert [r["name"] for r in results] == names
    for result in results:
        case = CASES[result["name"]]
        assert not result["valid"]
        assert matching(case, result["errors"]), result
        assert result["seconds"] < 1.0, result


def test_unguarded_calamine_would_take_the_process_down(tmp_path: Path) -> None:
    """Why the guard exists: python-calamine aborts (no exception) on a single far-away cell."""
    path = tmp_path / "far.xlsx"
    path.write_bytes(CASES["cell_at_xfd1048576"].build())
    script = (
        "import io, resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (4 << 30, 4 << 30))\n"
        "from python_calamine import CalamineWorkbook\n"
        "book = CalamineWorkbook.from_filelike(io.BytesIO(open(sys.argv[1], 'rb').read()))\n"
        "book.get_sheet_by_name('Responses')\n"
    )
    child = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, timeout=120)
    assert child.returncode != 0
    assert b"memory allocation" in child.stderr


def test_a_zip_bomb_is_refused_in_milliseconds() -> None:
    data = zip_bomb()  # about 1 MB that inflates to 1 GiB
    assert len(data) < 2 * MB
    timings = []
    for _ in range(5):
        start = time.perf_counter()
        verdict = check_container(data)
        timings.append(time.perf_counter() - start)
        assert isinstance(verdict, list)
    assert min(timings) < 0.1


def test_a_zip_inside_the_file_is_not_unpacked() -> None:
    """A nested archive is only bytes to calamine: harmless, so the file is accepted."""
    buffer = io.BytesIO(filled_xlsx())
    with zipfile.ZipFile(buffer, "a") as archive:  # stored as is, as Office stores embedded files
        archive.writestr("xl/embeddings/archive.zip", zip_bomb(), compress_type=zipfile.ZIP_STORED)
    data = buffer.getvalue()
    start = time.perf_counter()
    result = read_questionnaire(data, "questionnaire.xlsx")
    assert time.perf_counter() - start < 1.0
    assert result.valid
    assert result.submission == filled_submission()


# --------------------------------------------------------------------------- the guard's rules


def small_limits(**changes: int) -> Limits:
    bounds = {"max_total_bytes": 400_000, "max_part_bytes": 300_000, "ratio_floor_bytes": 10**9}
    return Limits(**{**bounds, **changes})


def test_total_unpacked_size_is_bounded() -> None:
    data = rezip(filled_xlsx(), extra={f"customXml/item{n}.xml": os.urandom(150_000) for n in range(3)})
    verdict = check_container(data, small_limits())
    assert isinstance(verdict, list)
    assert "unpacks to more than 0.38 MB" in verdict[0].render("en")
    assert isinstance(check_container(data), ContainerInfo)


def test_one_part_is_bounded() -> None:
    data = rezip(filled_xlsx(), extra={"customXml/item1.xml": os.urandom(350_000)})
    verdict = check_container(data, small_limits(max_total_bytes=10**9))
    assert isinstance(verdict, list)
    assert "One part of the file unpacks to more than" in verdict[0].render("en")


def test_a_small_part_may_compress_well() -> None:
    """Below the ratio floor, high compression is normal (a sheet of repeated styles …)."""
    data = rezip(filled_xlsx(), extra={"customXml/item1.xml": b" " * 900_000})
    assert isinstance(check_container(data), ContainerInfo)
    verdict = check_container(data, Limits(ratio_floor_bytes=100_000))
    assert isinstance(verdict, list)
    assert "zip bomb" in verdict[0].render("en")


def test_the_number_of_parts_is_bounded() -> None:
    data = rezip(filled_xlsx(), extra={f"customXml/item{n}.xml": b"<x/>" for n in range(20)})
    assert isinstance(check_container(data), ContainerInfo)
    verdict = check_container(data, Limits(max_members=20))
    assert isinstance(verdict, list)
    assert "more than 20 internal parts" in verdict[0].render("en")


def one_part_zip(content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("customXml/item1.xml", content)
    return buffer.getvalue()


@pytest.mark.parametrize("chunk", [7, 8, 9, 64, 4096])
@pytest.mark.parametrize("declaration", ["<!ENTITY x 'y'>", "<!DocType x>", "<!DOCTYPE x>"])
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16-le", "utf-16-be"])
def test_a_declaration_split_across_chunks_is_found(chunk: int, declaration: str, encoding: str) -> None:
    pattern = declaration.encode(encoding)
    for offset in range(max(0, chunk - len(pattern)), chunk + 1):
        data = one_part_zip(b" " * offset + pattern + b" " * 50)
        verdict = check_container(data, Limits(chunk_bytes=chunk))
        assert isinstance(verdict, list), (chunk, offset)
        assert "DOCTYPE or ENTITY" in verdict[0].render("en")


def test_grid_bounds_follow_the_limits() -> None:
    data = filled_xlsx()
    assert isinstance(check_container(data), ContainerInfo)
    assert isinstance(check_container(data, Limits(max_rows=30)), list)  # 37 rows are used
    assert isinstance(check_container(data, Limits(max_columns=7)), list)  # 8 columns are used
    assert isinstance(check_container(data, Limits(max_cells=200)), list)


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"", "empty"),
        (b"%PDF-1.4 ...", "pdf"),
        (b"Code;Level\r\nIC.1;3\r\n", "text"),
        ("Kod;Düzey\r\nIC.1;Yerleşik\r\n".encode("cp1254"), "text"),
        ("Code,Level\n".encode("utf-16"), "text"),
        (b"\x00\x01\x02\x03" * 100, "unknown"),
        (b"PK\x03\x04rest", "zip"),
        (b"PK\x05\x06" + b"\0" * 18, "zip"),
    ],
)
def test_the_kind_of_file_comes_from_its_bytes(data: bytes, kind: str) -> None:
    assert sniff(data) == kind


def test_ole_containers_are_told_apart() -> None:
    assert sniff(ole_file({"Workbook": b"x"})) == "xls"
    assert sniff(ole_file({"Book": b"x"})) == "xls"
    assert sniff(ole_file({"EncryptionInfo": b"x", "EncryptedPackage": b"y"})) == "encrypted"
    assert sniff(ole_file({"WordDocument": b"x"})) == "unknown"


def test_accepted_containers_carry_their_kind_and_parts() -> None:
    info = check_container(filled_xlsx())
    assert isinstance(info, ContainerInfo)
    assert info.kind == KIND_XLSX
    assert info.notes == ()
    assert info.parts["xl/workbook.xml"].startswith(b"<")
    xlsm = check_container(rezip(filled_xlsx(), extra={"xl/vbaProject.bin": b"\xd0\xcf"}))
    assert isinstance(xlsm, ContainerInfo)
    assert xlsm.kind == KIND_XLSM
    assert [note.render("en") for note in xlsm.notes] == [
        "The file contains macros. They were ignored and never run."
    ]
    ods = check_container(
        ods_file(
            '<table:table-row table:number-rows-repeated="2">'
            '<table:table-cell table:number-columns-repeated="3" '
            'office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>'
        )
    )
    assert isinstance(ods, ContainerInfo)
    assert ods.kind == KIND_ODS


def unknown_codes(count: int) -> bytes:
    """The filled questionnaire with `count` more rows on Responses, each with a code that is not one."""
    rows = b"".join(
        b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>ZZ.%d</t></is></c></row>' % (40 + i, 40 + i, i)
        for i in range(count)
    )
    return in_responses(rows)


def test_a_questionnaire_with_100000_errors_lists_the_first_few_hundred_fast_in_bounded_memory() -> None:
    """Every error used to be kept (71 MB, 100,000 lines for the page); now the first ones and the count."""
    data = unknown_codes(100_000)
    start = time.perf_counter()
    result = read_questionnaire(data, "many.xlsx")
    elapsed = time.perf_counter() - start
    assert result.error_count == 100_000
    assert len(result.errors) == MAX_LISTED_PROBLEMS + 1
    assert result.errors[0].render("en").startswith('Responses!A40: "ZZ.0" is not an indicator code')
    assert result.errors[-1].render("en") == (
        f"Only the first {MAX_LISTED_PROBLEMS} of 100000 problems are listed. Fix these, save the file "
        "and upload it again to see the rest."
    )
    assert "Rejected with 100000 problems" in FileReport("many.xlsx", len(data), result).summary("en")
    assert elapsed < 10.0
    tracemalloc.start()
    try:
        read_questionnaire(data, "many.xlsx")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    # The sheet's own 100,000 rows take about 27 MB of Python objects; the problems add almost nothing.
    assert peak < 40 * MB


def test_a_few_errors_are_all_listed_with_no_count_line() -> None:
    result = read_questionnaire(unknown_codes(MAX_LISTED_PROBLEMS), "some.xlsx")
    assert len(result.errors) == result.error_count == MAX_LISTED_PROBLEMS
    assert all(problem.sheet == "Responses" for problem in result.errors)
