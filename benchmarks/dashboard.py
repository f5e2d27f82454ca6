"""Stage 2: the board pages' data and figures at two portfolio sizes, cold and warm, and peak memory.

Each size is measured by a process of its own (`python -m benchmarks.dashboard URL`), so
its peak resident memory is its own and nothing is left cached from the other size.
That process first runs every page once, untimed, as a server that has served a page
before would have: modules imported, the framework loaded, the database file in the
operating system's cache. Then, per page:

- cold: a fresh `PageData` each time, so every query runs: from the database to figures;
- warm: the same `PageData` again, so the queries are cache hits, as on a rerun.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

from benchmarks.datasets import Portfolio
from benchmarks.measure import MEGABYTES, SECONDS, TIMES, Progress, Row, median, timed

STAGE = "dashboard"
COLD_LIMIT, WARM_LIMIT = 1.5, 0.150  # seconds, at the large size
MEMORY_LIMIT = 600.0  # MB, peak resident memory at the large size


def peak_rss_mb() -> float:
    """This process's peak resident memory so far (ru_maxrss is in kB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def cpu_and_wall(action: Callable[[], Any]) -> tuple[float, float]:
    """This process's CPU seconds and the wall-clock seconds of one call.

    On a machine others load, wall time grows with their load; the CPU time of the
    process does not (on SQLite it holds the queries too, on PostgreSQL not the server's).
    """
    cpu = time.process_time()
    wall = time.perf_counter()
    action()
    return time.process_time() - cpu, time.perf_counter() - wall


def probe(url: str, repeats: int) -> dict[str, Any]:
    """Cold and warm seconds of every page on the database at `url` (runs in its own process)."""
    from benchmarks.pages import PAGES, PageData
    from capacity.access import BOARD, Actor
    from capacity.store import open_store

    store = open_store(url)
    actor = Actor("benchmark-board", BOARD)
    first = {name: timed(lambda page=page: page(PageData(store, actor)))[0] for name, page in PAGES.items()}
    pages: dict[str, dict[str, Any]] = {}
    for name, page in PAGES.items():
        cold = [cpu_and_wall(lambda page=page: page(PageData(store, actor))) for _ in range(repeats)]
        filled = PageData(store, actor)
        charts = len(page(filled))
        warm = [cpu_and_wall(lambda page=page, filled=filled: page(filled)) for _ in range(repeats)]
        pages[name] = {
            "cold": [wall for _, wall in cold],
            "warm": [wall for _, wall in warm],
            "cold_cpu": [cpu for cpu, _ in cold],
            "warm_cpu": [cpu for cpu, _ in warm],
            "first_run": first[name],
            "charts": charts,
        }
    portfolio = PageData(store, actor).portfolio()
    store.close()
    return {
        "pages": pages,
        "organisations": int(portfolio["organisation_id"].nunique()),
        "assessments": len(portfolio),
        "peak_rss_mb": peak_rss_mb(),
    }


def probe_in_subprocess(portfolio: Portfolio, repeats: int) -> dict[str, Any]:
    return probe_url(portfolio.url, repeats)


def probe_url(url: str, repeats: int) -> dict[str, Any]:
    """`probe` of the database at `url` in a process of its own (its peak memory is the pages' alone)."""
    command = [sys.executable, "-m", "benchmarks.dashboard", url, "--repeats", str(repeats)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"the dashboard probe failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return json.loads(done.stdout)


def rows_for(small: dict[str, Any], large: dict[str, Any]) -> list[Row]:
    """The table rows: each page cold and warm at both sizes, their growth, and the peak memory."""
    small_n, large_n = small["organisations"], large["organisations"]
    growth_limit = large_n / small_n
    rows = []
    for page in large["pages"]:
        for kind, limit in (("cold", COLD_LIMIT), ("warm", WARM_LIMIT)):
            small_samples, large_samples = small["pages"][page][kind], large["pages"][page][kind]
            rows.append(
                Row(
                    STAGE,
                    f"{page} {kind}, {small_n} orgs",
                    median(small_samples),
                    SECONDS,
                    None,
                    tuple(small_samples),
                )
            )
            rows.append(
                Row(
                    STAGE,
                    f"{page} {kind}, {large_n} orgs",
                    median(large_samples),
                    SECONDS,
                    limit,
                    tuple(large_samples),
                )
            )
            rows.append(
                Row(
                    STAGE,
                    f"{page} {kind}, time growth {large_n}/{small_n} orgs",
                    median(large_samples) / median(small_samples),
                    TIMES,
                    growth_limit,
                    note=f"linear growth would be {growth_limit:g}×",
                )
            )
    rows.append(Row(STAGE, f"peak memory (RSS), {small_n} orgs", small["peak_rss_mb"], MEGABYTES))
    rows.append(
        Row(STAGE, f"peak memory (RSS), {large_n} orgs", large["peak_rss_mb"], MEGABYTES, MEMORY_LIMIT)
    )
    return rows


def run(
    small: Portfolio, large: Portfolio, repeats: int, progress: Progress
) -> tuple[list[Row], dict[str, Any]]:
    found = {}
    for portfolio in (small, large):
        progress(
            STAGE,
            f"{portfolio.organisations} organisations, {portfolio.assessments} assessments: "
            f"every page cold and warm, {repeats} times, in a process of its own",
        )
        found[portfolio.organisations] = probe_in_subprocess(portfolio, repeats)
    return rows_for(found[small.organisations], found[large.organisations]), {
        str(size): details for size, details in found.items()
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time the board pages on one database (prints JSON).")
    parser.add_argument("url", help="database URL")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    json.dump(probe(args.url, args.repeats), sys.stdout)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
