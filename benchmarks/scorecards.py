"""Stage 3: scorecards as the Scorecards page makes them, one Excel, one PDF, and a batch of PDFs.

One scorecard is `render(load_scorecard(...))`, the page's download button: the queries
and the drawing. The first of each format in a process also loads openpyxl or
matplotlib and the fonts; that call is reported on its own and left out of the median.
The batch is `batch_zip`, which draws large PDF batches on every core.
"""

from __future__ import annotations

from benchmarks.datasets import Portfolio
from benchmarks.measure import SECONDS, Progress, Row, median, repeat, timed
from capacity.access import EVALUATOR, Actor
from capacity.export.batch import PDF, XLSX, batch_zip, render, worker_count
from capacity.export.scorecard import load_scorecard
from capacity.store import open_store, queries

STAGE = "scorecards"
LIMITS = {XLSX: 0.3, PDF: 0.5}  # seconds for one scorecard
BATCH_LIMIT_PER_100 = 30.0  # seconds for 100 PDFs


def run(portfolio: Portfolio, repeats: int, batch: int, batch_repeats: int, progress: Progress) -> list[Row]:
    store = open_store(portfolio.url)
    actor = Actor("benchmark-evaluator", EVALUATOR)
    try:
        organisations = sorted(queries.portfolio(store, actor)["organisation_id"].unique())
        chosen = organisations[0]
        rows = []
        for file_format in (XLSX, PDF):
            progress(STAGE, f"one {file_format.upper()} scorecard of {chosen}, {repeats} times")

            def one(file_format: str = file_format) -> bytes:
                return render(load_scorecard(store, actor, chosen, None, "en"), file_format)

            first, _ = timed(one)
            samples = repeat(one, repeats)
            label = file_format.upper()
            rows.append(
                Row(
                    STAGE,
                    f"one {label} scorecard (query + draw)",
                    median(samples),
                    SECONDS,
                    LIMITS[file_format],
                    tuple(samples),
                )
            )
            rows.append(Row(STAGE, f"first {label} in a fresh process (loads libraries)", first, SECONDS))
        ids = organisations[:batch]
        workers = worker_count(len(ids), PDF)
        progress(STAGE, f"a batch of {len(ids)} PDFs in a ZIP on {workers} processes, {batch_repeats} times")
        samples = repeat(lambda: batch_zip(store, actor, ids, PDF), batch_repeats)
        rows.append(
            Row(
                STAGE,
                f"batch of {len(ids)} PDFs (ZIP, {workers} processes)",
                median(samples),
                SECONDS,
                BATCH_LIMIT_PER_100 * len(ids) / 100,
                tuple(samples),
            )
        )
        return rows
    finally:
        store.close()
