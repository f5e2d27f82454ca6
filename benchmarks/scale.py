"""Stage 5 (opt-in, `--only scale`): the board pages at ten times the target size, on SQLite and PostgreSQL.

Issue 20 asks the pages to hold at 20,000 organisations × 4 rounds (about 80,000
assessments): a page warm within 150 ms, cold within 2 s, one server process within
1.5 GB, and no worse than linear growth from 2,000 organisations. The databases come
from `benchmarks.bulk` (cached under `benchmarks/work/scale/`); each size and back end
is measured by `benchmarks.dashboard`'s probe in a process of its own, exactly as the
dashboard stage measures its sizes.

PostgreSQL: the server named by `CAPACITY_BENCH_POSTGRES_URL` (or `--postgres-url`);
without one, a throwaway cluster is started when PostgreSQL's binaries are installed,
as `.ci/run` does, and removed at the end. When neither is possible the PostgreSQL rows
are skipped with the reason in the table, never silently.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from benchmarks import bulk
from benchmarks.dashboard import probe_url
from benchmarks.measure import MEGABYTES, SECONDS, TIMES, Progress, Row, median

STAGE = "scale"
COLD_LIMIT, WARM_LIMIT = 2.0, 0.150  # seconds, at the large size
MEMORY_LIMIT = 1536.0  # MB: 1.5 GB of peak resident memory for one server process
POSTGRES_URL_VARIABLE = "CAPACITY_BENCH_POSTGRES_URL"
SQLITE, POSTGRESQL = "SQLite", "PostgreSQL"
PG_BINARIES = "/usr/lib/postgresql/*/bin"


def _pg_bin() -> Path | None:
    found = sorted(glob.glob(PG_BINARIES), key=lambda p: [int(x) for x in Path(p).parent.name.split(".")])
    return Path(found[-1]) if found and (Path(found[-1]) / "initdb").exists() else None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _as_postgres(command: str) -> list[str]:
    """`command` run as the postgres account when we are root (initdb refuses root), else as ourselves."""
    return ["su", "postgres", "-c", command] if os.geteuid() == 0 else ["sh", "-c", command]


@contextlib.contextmanager
def throwaway_cluster(progress: Progress) -> Iterator[str]:
    """A PostgreSQL cluster of our own on a free port for the stage's duration; yields its URL."""
    pg_bin = _pg_bin()
    assert pg_bin is not None
    root = Path(tempfile.mkdtemp(prefix="capacity-bench-pg-"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    port = _free_port()
    data, log = root / "data", root / "log"
    progress(STAGE, f"starting a throwaway PostgreSQL cluster on port {port}")
    subprocess.run(
        _as_postgres(f"{pg_bin}/initdb -A trust -U postgres -D {data}"), check=True, capture_output=True
    )
    subprocess.run(
        _as_postgres(
            f"{pg_bin}/pg_ctl -D {data} -l {log} -w start"
            f" -o '-p {port} -k {root} -c listen_addresses=127.0.0.1'"
        ),
        check=True,
        capture_output=True,
    )
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(_as_postgres(f"{pg_bin}/pg_ctl -D {data} -m fast -w stop"), capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@contextlib.contextmanager
def postgres_server(given: str | None, progress: Progress) -> Iterator[tuple[str | None, str]]:
    """(server URL, '') to measure on, or (None, why not)."""
    url = given or os.environ.get(POSTGRES_URL_VARIABLE)
    if url:
        yield url, ""
        return
    if _pg_bin() is None:
        yield None, f"no {POSTGRES_URL_VARIABLE} and no PostgreSQL binaries in {PG_BINARIES}"
        return
    try:
        import psycopg  # noqa: F401
    except ImportError:
        yield None, "psycopg is not installed"
        return
    with throwaway_cluster(progress) as started:
        yield started, ""


def rows_for(backend: str, small: dict[str, Any], large: dict[str, Any]) -> list[Row]:
    """Each page cold and warm at both sizes, the growth between them, and the peak memory."""
    small_n, large_n = small["organisations"], large["organisations"]
    growth_limit = large_n / small_n
    rows = []
    for page in large["pages"]:
        for kind, limit in (("cold", COLD_LIMIT), ("warm", WARM_LIMIT)):
            small_samples, large_samples = small["pages"][page][kind], large["pages"][page][kind]
            rows += [
                Row(
                    STAGE,
                    f"{backend}: {page} {kind}, {small_n} orgs",
                    median(small_samples),
                    SECONDS,
                    None,
                    tuple(small_samples),
                ),
                Row(
                    STAGE,
                    f"{backend}: {page} {kind}, {large_n} orgs",
                    median(large_samples),
                    SECONDS,
                    limit,
                    tuple(large_samples),
                ),
                Row(
                    STAGE,
                    f"{backend}: {page} {kind}, time growth {large_n}/{small_n} orgs",
                    median(large_samples) / median(small_samples),
                    TIMES,
                    growth_limit,
                    note=f"linear growth would be {growth_limit:g}×",
                ),
            ]
    for page in large["pages"]:
        for kind in ("cold", "warm"):
            samples = large["pages"][page][f"{kind}_cpu"]
            rows.append(
                Row(
                    STAGE,
                    f"{backend}: {page} {kind}, CPU time of the process, {large_n} orgs",
                    median(samples),
                    SECONDS,
                    None,
                    tuple(samples),
                    note="independent of the machine's load",
                )
            )
    rows.append(Row(STAGE, f"{backend}: peak memory (RSS), {small_n} orgs", small["peak_rss_mb"], MEGABYTES))
    rows.append(
        Row(
            STAGE,
            f"{backend}: peak memory (RSS), {large_n} orgs",
            large["peak_rss_mb"],
            MEGABYTES,
            MEMORY_LIMIT,
        )
    )
    return rows


def _skipped(backend: str, sizes: Sequence[int], why: str) -> list[Row]:
    return [
        Row(STAGE, f"{backend}: every page at {sizes[0]} and {sizes[-1]} orgs", None, SECONDS, skipped=why)
    ]


def _measure(
    backend: str, databases: Sequence[bulk.ScaleDatabase], repeats: int, progress: Progress
) -> tuple[list[Row], dict[str, Any]]:
    found = []
    for database in databases:
        progress(
            STAGE,
            f"{backend}, {database.organisations} organisations ({database.assessments} assessments, "
            f"{database.responses} answers): every page cold and warm, {repeats} times, "
            "in a process of its own",
        )
        found.append(probe_url(database.url, repeats))
    details = {str(db.organisations): result for db, result in zip(databases, found, strict=True)}
    return rows_for(backend, found[0], found[-1]), details


def run(
    cache: Path,
    sizes: Sequence[int],
    repeats: int,
    workers: int,
    progress: Progress,
    postgres_url: str | None = None,
) -> tuple[list[Row], dict[str, Any]]:
    """The stage's rows and details (sizes, sample lists) for SQLite, then PostgreSQL."""

    def report(message: str) -> None:
        progress(STAGE, message)

    databases: list[bulk.ScaleDatabase] = []
    for size in sizes:
        progress(STAGE, f"SQLite database of {size} demo organisations (cached in {cache})")
        databases.append(
            bulk.cached_sqlite(cache, size, workers, report, grow_from=databases[-1] if databases else None)
        )
    rows, details = _measure(SQLITE, databases, repeats, progress)
    all_details: dict[str, Any] = {
        SQLITE: details,
        "sizes": {str(db.organisations): db.__dict__ | {"url": None} for db in databases},
    }
    with postgres_server(postgres_url, progress) as (server, why):
        if server is None:
            rows += _skipped(POSTGRESQL, sizes, why)
            all_details[POSTGRESQL] = {"skipped": why}
        else:
            copies = [bulk.copy_to_postgres(db, server, report) for db in databases]
            found, details = _measure(POSTGRESQL, copies, repeats, progress)
            rows += found
            all_details[POSTGRESQL] = details
    return rows, all_details
