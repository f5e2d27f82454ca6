"""The data every stage runs on, made by the demo generator in a temporary directory.

Questionnaire files for the ingestion stage are real .xlsx files written by the
template writer (by a process pool: about 40 ms each). The portfolios of the dashboard,
scorecard and browser stages skip the files: the demo's `Submission` objects go straight
into the library's ingestion (`ingest_submission`, which validates access, stores the
answers and has the engine score the assessment), a few hundred per transaction.

Each demo organisation draws from its own random stream, so the first 200 organisations
of a 2,000-organisation demo are the 200-organisation demo: the large portfolio is a copy
of the small one with the other organisations added.
"""

from __future__ import annotations

import datetime as dt
import math
import shutil
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from capacity.access import SYSTEM
from capacity.demo import DemoQuestionnaire, demo_organisations, demo_questionnaires, questionnaire_bytes
from capacity.rounds.register import register_from_files
from capacity.store import open_store
from capacity.store.ingest import REJECTED, ingest_submission

FILES_PER_ORGANISATION = 8  # a first guess of the demo's questionnaires per organisation (about 10)
SUBMISSIONS_PER_TRANSACTION = 250
WRITE_CHUNK = 16

Report = Callable[[str], None]


@dataclass(frozen=True)
class Portfolio:
    """A SQLite database holding a demo portfolio."""

    path: Path
    organisations: int
    assessments: int
    submissions: int

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"


def questionnaires_for(count: int, today: dt.date) -> list[DemoQuestionnaire]:
    """The first `count` questionnaires of a demo with just enough organisations."""
    organisations = max(1, math.ceil(count / FILES_PER_ORGANISATION))
    while True:
        found = demo_questionnaires(organisations=organisations, today=today)
        if len(found) >= count:
            return found[:count]
        organisations *= 2


def _write(job: tuple[Path, DemoQuestionnaire]) -> Path:
    path, questionnaire = job
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(questionnaire_bytes(questionnaire.submission))
    return path


def write_questionnaires(
    directory: Path, count: int, today: dt.date, workers: int, report: Report | None = None
) -> list[Path]:
    """`count` filled demo questionnaires as .xlsx files under `directory`, in demo order."""
    jobs = [(directory.joinpath(*q.path.parts), q) for q in questionnaires_for(count, today)]
    written: list[Path] = []
    step = max(1, len(jobs) // 10)
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        for path in pool.map(_write, jobs, chunksize=WRITE_CHUNK):
            written.append(path)
            if report and (len(written) % step == 0 or len(written) == len(jobs)):
                report(f"wrote {len(written)} of {len(jobs)} questionnaires")
    return written


def _store_submissions(
    url: str, questionnaires: Sequence[DemoQuestionnaire], report: Report | None, label: str
) -> None:
    """Store the demo submissions through the library's ingestion, several per transaction."""
    store = open_store(url)
    try:
        register_from_files(store, SYSTEM, [q.submission for q in questionnaires])
        for start in range(0, len(questionnaires), SUBMISSIONS_PER_TRANSACTION):
            with store.write() as session:
                for q in questionnaires[start : start + SUBMISSIONS_PER_TRANSACTION]:
                    # The original bytes only need to be unique: nothing on these pages reads them.
                    stand_in = f"benchmark questionnaire {q.path}".encode()
                    outcome = ingest_submission(session, q.submission, stand_in, q.path.name, SYSTEM)
                    if outcome.kind == REJECTED:
                        raise RuntimeError(f"the demo submission {q.path} was refused: {outcome.message()}")
            if report:
                done = min(start + SUBMISSIONS_PER_TRANSACTION, len(questionnaires))
                report(f"{label}: stored {done} of {len(questionnaires)} submissions")
    finally:
        store.close()  # the last connection closing folds the WAL into the database file


def _portfolio(path: Path, questionnaires: Sequence[DemoQuestionnaire]) -> Portfolio:
    return Portfolio(
        path=path,
        organisations=len({q.submission.organisation_id for q in questionnaires}),
        assessments=len({(q.submission.organisation_id, q.submission.year) for q in questionnaires}),
        submissions=len(questionnaires),
    )


def build_portfolio(
    path: Path,
    organisations: int,
    today: dt.date,
    report: Report | None = None,
    grow_from: Portfolio | None = None,
) -> Portfolio:
    """A database of the first `organisations` demo organisations at `path`.

    With `grow_from` (a smaller demo portfolio of the same day), its database is copied
    and only the organisations it lacks are stored, which saves storing them twice.
    """
    wanted = demo_questionnaires(organisations=organisations, today=today)
    todo = wanted
    if grow_from is not None:
        shutil.copyfile(grow_from.path, path)
        present = {org.organisation_id for org in demo_organisations(count=grow_from.organisations)}
        todo = [q for q in wanted if q.submission.organisation_id not in present]
    _store_submissions(f"sqlite:///{path}", todo, report, f"{organisations} organisations")
    return _portfolio(path, wanted)
