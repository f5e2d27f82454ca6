"""Many scorecards at once: every organisation of the current filter as one ZIP file.

The scorecards' content is gathered in the calling process (a few quick queries each);
drawing them is the slow part, so a large batch of PDFs is drawn by worker processes,
one per core. Workers are forked where that is safe (Linux, a single-threaded caller
such as the CLI or a script: instant, and the script needs no `__main__` guard) and
spawned otherwise: the web server runs threads, and forking a threaded process can
deadlock the child.
Organisations that cannot be exported (no assessment in the chosen year, no access)
are reported, not fatal: one missing year must not cost the board the other 99 files.

A spawned worker needs seconds to import its libraries before its first scorecard (18 s on
a loaded 2-core server for the first of 28 PDFs), so while the workers start, the calling
process draws scorecards itself, from the end of the queue: the first file is ready in
about a second, and `progress` hears of every file as it is done, and of every
organisation as its scorecard's content is gathered.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import sys
import threading
import zipfile
from collections.abc import Callable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass

from capacity.access import Actor
from capacity.export.scorecard import Scorecard, filename, load_scorecard, load_scorecards
from capacity.i18n import Message, translator
from capacity.labels import SCORECARDS_FILE, file_name
from capacity.store import audit
from capacity.store.db import Store

PDF, XLSX = "pdf", "xlsx"
FORMATS = (PDF, XLSX)
PARALLEL_FROM = 8  # PDFs from which starting worker processes (about a second) pays off

MIME = {XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", PDF: "application/pdf"}

GATHERING, DRAWING = "gathering", "drawing"  # the two stages of a batch, in order
GATHERING_SHARE = 0.1  # of a progress bar: gathering the figures is quick, drawing is the work


@dataclass(frozen=True)
class Step:
    """How far a batch is: `done` of `total` in `stage`, the last one being `organisation_id`."""

    stage: str
    done: int
    total: int
    organisation_id: str = ""  # the organisation just gathered or drawn ("" at the start of a stage)


Progress = Callable[[Step], None]


@dataclass(frozen=True)
class Batch:
    """The ZIP's bytes, the file names inside it, and the organisations left out with the reason."""

    data: bytes
    files: tuple[str, ...]
    skipped: tuple[tuple[str, Message], ...]


def format_label(file_format: str, lang: str) -> str:
    """A file format as the reader names it: 'PDF' or 'Excel'."""
    t = translator(lang)
    return t("PDF") if file_format == PDF else t("Excel")


def zip_name(lang: str, year: int, file_format: str) -> str:
    """The batch ZIP's file name, in the reader's language, naming the year and the format inside."""
    return file_name(SCORECARDS_FILE, lang, year, file_format, extension="zip")


def progress_bar(step: Step, lang: str) -> tuple[float, str]:
    """How full a progress bar stands at `step` (0–1) and what it says.

    Gathering fills the first tenth and drawing the rest, so every organisation moves the
    bar; a stage with nothing to do counts as done. A drawn organisation is named.
    """
    t = translator(lang)
    share = step.done / step.total if step.total else 1.0
    if step.stage == GATHERING:
        text = t("Gathering the figures: {done} of {total}", done=step.done, total=step.total)
        return GATHERING_SHARE * share, text
    text = t("{done} of {total} scorecards ready", done=step.done, total=step.total)
    if step.organisation_id:
        text += " · " + step.organisation_id
    return GATHERING_SHARE + (1 - GATHERING_SHARE) * share, text


def render(scorecard: Scorecard, file_format: str) -> bytes:
    """One scorecard's file (a module-level function, so worker processes can run it)."""
    if file_format == PDF:
        from capacity.export.pdf_scorecard import build_pdf

        return build_pdf(scorecard)
    if file_format == XLSX:
        from capacity.export.xlsx_scorecard import build_xlsx

        return build_xlsx(scorecard)
    raise ValueError(f"unknown scorecard format {file_format!r}; expected one of {FORMATS}")


def export_scorecard(
    store: Store,
    actor: Actor,
    organisation_id: str,
    file_format: str,
    year: int | None = None,
    lang: str = "en",
) -> tuple[Scorecard, bytes]:
    """One organisation's scorecard and its file, logged in the audit trail as an export by `actor`.

    The page's download buttons and the CLI both come here, so every scorecard that
    leaves the system is on record, whichever way it left.
    """
    scorecard = load_scorecard(store, actor, organisation_id, year, lang)
    data = render(scorecard, file_format)
    audit.record_read(
        store, actor, audit.SCORECARD_EXPORTED, organisation_id, year=scorecard.year, format=file_format
    )
    return scorecard, data


def worker_count(scorecards: int, file_format: str, cores: int | None = None) -> int:
    """How many processes draw the batch: every core for a large batch of PDFs, else just this one."""
    cores = (os.cpu_count() or 1) if cores is None else cores
    if file_format != PDF or scorecards < PARALLEL_FROM or cores < 2:
        return 1
    return min(cores, scorecards)


def start_method() -> str:
    """'fork' in a single-threaded process on Linux, else 'spawn' (see the module's docstring)."""
    return "fork" if sys.platform.startswith("linux") and threading.active_count() == 1 else "spawn"


def draw_all(
    scorecards: Sequence[Scorecard],
    file_format: str,
    progress: Progress | None = None,
    workers: int | None = None,
) -> list[bytes]:
    """Every scorecard's file, in the order given, drawn in parallel when the batch is large."""
    total = len(scorecards)
    workers = worker_count(total, file_format) if workers is None else workers
    found: dict[int, bytes] = {}

    def finished(position: int, data: bytes) -> None:
        found[position] = data
        if progress:
            progress(Step(DRAWING, len(found), total, scorecards[position].organisation.organisation_id))

    if progress:
        progress(Step(DRAWING, 0, total))
    if workers <= 1:
        for position, scorecard in enumerate(scorecards):
            finished(position, render(scorecard, file_format))
        return [found[position] for position in range(total)]
    context = multiprocessing.get_context(start_method())
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = {
            position: pool.submit(render, scorecard, file_format)
            for position, scorecard in enumerate(scorecards)
        }
        _draw_while_waiting(pending, scorecards, file_format, finished)
    return [found[position] for position in range(total)]


def _draw_while_waiting(
    pending: dict[int, Future[bytes]],
    scorecards: Sequence[Scorecard],
    file_format: str,
    finished: Callable[[int, bytes], None],
) -> None:
    """Collect the workers' files; meanwhile draw here whatever no worker has started, last first.

    A future no worker has taken yet can be cancelled; then this process draws that
    scorecard itself. Once every remaining scorecard is running in a worker, just wait.
    """
    unclaimed = sorted(pending, reverse=True)
    while pending:
        for position in [position for position, future in pending.items() if future.done()]:
            finished(position, pending.pop(position).result())
        while unclaimed and unclaimed[0] not in pending:
            unclaimed.pop(0)
        if unclaimed and pending[unclaimed[0]].cancel():
            position = unclaimed.pop(0)
            del pending[position]
            finished(position, render(scorecards[position], file_format))
        elif pending:
            unclaimed.clear()  # the rest is running in the workers
            wait(pending.values(), return_when=FIRST_COMPLETED)


def batch_zip(
    store: Store,
    actor: Actor,
    organisation_ids: Sequence[str],
    file_format: str,
    year: int | None = None,
    lang: str = "en",
    progress: Progress | None = None,
    workers: int | None = None,
) -> Batch:
    """A ZIP of one scorecard per organisation (`year`, or each one's latest assessment when None)."""
    if file_format not in FORMATS:
        raise ValueError(f"unknown scorecard format {file_format!r}; expected one of {FORMATS}")

    def gathered(done: int, total: int, organisation_id: str) -> None:
        if progress:
            progress(Step(GATHERING, done, total, organisation_id))

    scorecards, skipped = load_scorecards(store, actor, organisation_ids, year, lang, progress=gathered)
    files = draw_all(scorecards, file_format, progress, workers)
    names: list[str] = []
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for scorecard, data in zip(scorecards, files, strict=True):
            name = _unique(filename(scorecard, file_format), names)
            names.append(name)
            archive.writestr(name, data)
    audit.record_read(
        store,
        actor,
        audit.SCORECARDS_EXPORTED,
        None,
        organisations=[scorecard.organisation.organisation_id for scorecard in scorecards],
        year=year,
        format=file_format,
    )
    return Batch(buffer.getvalue(), tuple(names), tuple(skipped))


def _unique(name: str, taken: Sequence[str]) -> str:
    """Two IDs that differ only in characters unsafe in a file name must not overwrite each other."""
    if name not in taken:
        return name
    stem, dot, extension = name.rpartition(".")
    number = 2
    while f"{stem}_{number}{dot}{extension}" in taken:
        number += 1
    return f"{stem}_{number}{dot}{extension}"
