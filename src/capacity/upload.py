"""The manager's upload flow without the page: check files, preview what saving does, store, report.

The Upload page only draws what this module returns, so the page and the CLI obey the same
rules: the reader validates, the store decides what saving does (new, identical, or
replacing an earlier file) and refuses what the actor may not upload, and the scoring
engine computes the figures of the preview. Nothing here computes a score.

Checking never writes: a manager sees, for every file at once, whether it is accepted,
every problem with its cell and fix, and what the organisation's assessment would become;
only `submit` stores, and only the accepted files. A file that is too large, unreadable or
hostile becomes a rejected report, never an exception, so one bad file cannot take the
others (or the page) down with it.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace

from capacity import access
from capacity.access import AccessDenied, Actor
from capacity.framework import Framework, current_framework
from capacity.i18n import N_, Message, format_date, format_number, tn, translator
from capacity.incidents import log_incident
from capacity.labels import INDEX_LABEL, UPLOAD_REPORT_FILE, file_name, status_text
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.reader import Problem, ReadResult, max_upload_bytes, read_questionnaire
from capacity.questionnaire.submission import Submission
from capacity.roadmap import current_roadmap
from capacity.rounds import register
from capacity.scoring import ScoringInputError, score_assessment
from capacity.scoring.results import AssessmentResult
from capacity.store.assessments import respondent_key
from capacity.store.db import Store
from capacity.store.ingest import (
    DUPLICATE,
    REJECTED,
    STATUS_LABELS,
    STORED_NEW,
    SUPERSEDED_EARLIER,
    IngestOutcome,
    ingest_files,
    preview_read_result,
    sha256_of,
)
from capacity.store.queries import submissions as stored_submissions
from capacity.store.respondents import stored_respondents

log = logging.getLogger(__name__)

MB = 1024 * 1024
# The kinds of file the reader reads (its container guard knows OOXML workbooks and OpenDocument
# spreadsheets); the uploader offers no other, so an old .xls or a PDF is stopped in the browser.
ACCEPTED_EXTENSIONS = ("xlsx", "xlsm", "ods")
UploadedFile = tuple[str, bytes]  # (file name, content)
Progress = Callable[[int, int, str], None]  # (files done, files in total, file being read)

MSG_TOO_LARGE = N_(
    "The file is {size} MB, more than the limit of {limit} MB per file. A filled questionnaire is "
    "usually well under 1 MB: delete pictures, pasted documents and extra sheets, or copy your answers "
    "into a fresh template, save it as .xlsx and upload it again."
)
MSG_NOT_CHECKED = N_(
    "The file could not be checked because of an unexpected problem. Save it again as .xlsx and upload "
    "it again; if that does not help, send it to the administrator."
)
MSG_NOT_PREVIEWED = N_(
    "What saving this file would do could not be worked out because of an unexpected problem, so it "
    "cannot be stored now. Try again later; if it happens again, give the administrator the reference "
    "{reference}."
)
MSG_NOT_STORED = N_(
    "The file could not be stored because of an unexpected problem; nothing of it was stored. Try again "
    "later; if it happens again, give the administrator the reference {reference}."
)
MSG_SAME_FILE_IN_UPLOAD = N_("This file is identical to {other} in this upload; only one copy is stored.")
MSG_REPLACED_IN_UPLOAD = N_(
    "{other}, later in this upload, is from the same respondent for {organisation}, {year}: both are stored "
    "in upload order, so {other} replaces this file, which stays in the history."
)
WHOLE_FILE = N_("The file as a whole")
SEVERITY_LABELS = {"error": N_("Error"), "warning": N_("Warning")}
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


COUNTED, UNCHANGED, REPLACED = "counted", "unchanged", "replaced"  # how a file enters the figures


@dataclass(frozen=True)
class Basis:
    """Which questionnaires the preview's figures consolidate, so the page can say so honestly."""

    organisation_id: str
    year: int
    this_file: str  # COUNTED; UNCHANGED (identical to a stored file); REPLACED by a later file of the upload
    stored: int  # questionnaires already stored that stay part of the assessment
    others_in_upload: int  # other files of this upload that count for the same organisation and year
    reviews: bool  # the evaluator's reviews count as one more respondent
    # Indicators where an evaluator (a stored or uploaded evaluator questionnaire, or a review)
    # gives the level of record, and whether this file is a self-assessment those levels outrank.
    evaluator_codes: tuple[str, ...] = ()
    self_assessment: bool = False
    total_indicators: int = 0

    def precedence(self, lang: str) -> str | None:
        """Why a self-assessment may not move the score: an evaluator's levels take precedence there.

        None when nothing outranks this file (it is an evaluator's, or no evaluator answered).
        """
        if self.this_file != COUNTED or not self.self_assessment or not self.evaluator_codes:
            return None
        where = {"organisation": self.organisation_id, "year": self.year}
        t = translator(lang)
        if len(self.evaluator_codes) == self.total_indicators:
            return t(
                "An evaluator has set the level of every indicator of {organisation}, {year}, and an "
                "evaluator's level takes precedence over self-assessment: this file is kept and compared "
                "with the evaluator's, but it does not move the scores.",
                **where,
            )
        return tn(
            "An evaluator's level takes precedence over self-assessment for {n} indicator of "
            "{organisation}, {year} ({codes}): this file's answer there does not move the scores.",
            "An evaluator's level takes precedence over self-assessment for {n} indicators of "
            "{organisation}, {year} ({codes}): this file's answers there do not move the scores.",
            len(self.evaluator_codes),
            lang,
            codes=", ".join(self.evaluator_codes),
            **where,
        )

    def describe(self, lang: str) -> str:
        t = translator(lang)
        where = {"organisation": self.organisation_id, "year": self.year}
        if self.this_file == UNCHANGED:
            return t(
                "Saving this file changes nothing: these are the figures of {organisation}, {year} "
                "as they will stand after this upload.",
                **where,
            )
        if self.this_file == REPLACED:
            return t(
                "A later file of this upload replaces this one: these are the figures of "
                "{organisation}, {year} as they will stand after this upload.",
                **where,
            )
        parts = []
        if self.stored:
            parts.append(
                tn("{n} questionnaire already stored", "{n} questionnaires already stored", self.stored, lang)
            )
        if self.others_in_upload:
            parts.append(
                tn(
                    "{n} other file of this upload",
                    "{n} other files of this upload",
                    self.others_in_upload,
                    lang,
                )
            )
        if self.reviews:
            parts.append(t("the evaluator's reviews"))
        if not parts:
            return t(
                "Computed from this file alone: no other respondent's questionnaire is stored for "
                "{organisation}, {year}.",
                **where,
            )
        return t(
            "Consolidated the way {organisation}, {year} will be scored: this file with {others}.",
            others=", ".join(parts),
            **where,
        )


@dataclass(frozen=True)
class StoredFile:
    """A stored file named the way its uploader will recognise it."""

    submission_id: int
    filename: str
    uploaded_at: dt.datetime
    uploaded_by: str

    def describe(self, lang: str) -> str:
        return translator(lang)(
            "\u201c{filename}\u201d (submission {submission}, uploaded on {date} by {user})",
            filename=self.filename,
            submission=self.submission_id,
            date=format_date(self.uploaded_at.date(), lang),
            user=self.uploaded_by,
        )


@dataclass(frozen=True)
class FileReport:
    """Everything the page shows about one uploaded file, and what `submit` needs to store it."""

    filename: str
    size: int
    read: ReadResult
    data: bytes = field(default=b"", repr=False)  # kept only for files that may be stored
    preview: IngestOutcome | None = None  # the store's dry run: what saving would do
    earlier: StoredFile | None = None  # the stored file it is identical to, or would replace
    result: AssessmentResult | None = None  # the engine's figures after saving
    basis: Basis | None = None
    refusal: Message | None = None  # why an otherwise valid file cannot be stored
    notes: tuple[Message, ...] = ()  # about other files of the same upload, or the register's name
    same_as: str | None = None  # an earlier file of this upload with identical bytes

    @property
    def sha256(self) -> str:
        return self.read.sha256

    @property
    def submission(self) -> Submission | None:
        return self.read.submission

    @property
    def accepted(self) -> bool:
        """Valid, allowed, and the store would take it (perhaps as a no-op duplicate)."""
        return (
            self.read.valid
            and self.refusal is None
            and self.preview is not None
            and self.preview.kind != REJECTED
        )

    @property
    def changes_data(self) -> bool:
        """Whether submitting it would store something new."""
        return (
            self.accepted
            and self.same_as is None
            and self.preview is not None
            and self.preview.kind in (STORED_NEW, SUPERSEDED_EARLIER)
        )

    @property
    def errors(self) -> tuple[Problem, ...]:
        refused = (Problem("", "", self.refusal),) if self.refusal is not None else ()
        return (*self.read.errors, *refused)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(self.read.warnings)

    def status_text(self, lang: str) -> str:
        t = translator(lang)
        return t("accepted") if self.accepted else t("rejected")

    def summary(self, lang: str) -> str:
        """One sentence: why the file was rejected, or what saving it will do."""
        t = translator(lang)
        if not self.accepted:
            return tn(
                "Rejected with {n} problem to fix; nothing of it will be stored.",
                "Rejected with {n} problems to fix; nothing of it will be stored.",
                self.read.error_count + (self.refusal is not None),
                lang,
            )
        assert self.preview is not None and self.submission is not None
        where = {"organisation": self.submission.organisation_id, "year": self.submission.year}
        if self.same_as is not None:
            return t("Identical to {other} in this upload: saving stores only one copy.", other=self.same_as)
        earlier = self.earlier.describe(lang) if self.earlier is not None else None
        if self.preview.kind == DUPLICATE:
            earlier = earlier or t("submission {submission}", submission=self.preview.submission_id)
            status = t(STATUS_LABELS.get(self.preview.existing_status or "", N_("active")))
            return t(
                "Identical to {earlier}, already stored for {organisation}, {year} ({status}): "
                "saving it changes nothing.",
                earlier=earlier,
                status=status,
                **where,
            )
        if self.preview.kind == SUPERSEDED_EARLIER:
            earlier = earlier or t("submission {submission}", submission=self.preview.superseded_id)
            return t(
                "Saving replaces the earlier file of the same respondent for {organisation}, {year}: "
                "{earlier}. That file stays in the history.",
                earlier=earlier,
                **where,
            )
        return t("Saving stores it as a new questionnaire for {organisation}, {year}.", **where)


# --------------------------------------------------------------------------- checking


def megabytes(size: int, round_up: bool = False) -> str:
    """A size in MB to two decimals at most: 10, 12.35, 0.02 (rounded up, a file just over shows over)."""
    hundredths = size * 100 / MB
    return f"{(math.ceil(hundredths) if round_up else round(hundredths)) / 100:g}"


def _too_large(data: bytes, limit: int) -> ReadResult:
    """Refused unread: a file over the limit is never handed to a parser."""
    message = Message(MSG_TOO_LARGE, {"size": megabytes(len(data), round_up=True), "limit": megabytes(limit)})
    return ReadResult(None, (Problem("", "", message),), (), "en", sha256_of(data))


def _not_checked(data: bytes) -> ReadResult:
    return ReadResult(None, (Problem("", "", Message(MSG_NOT_CHECKED)),), (), "en", sha256_of(data))


def check_file(
    name: str, data: bytes, store: Store, actor: Actor, lang: str, framework: Framework | None = None
) -> FileReport:
    """Read one file and ask the store what saving it would do (alone; see `check_uploads`)."""
    limit = max_upload_bytes()
    if len(data) > limit:
        return FileReport(name, len(data), _too_large(data, limit))
    try:
        read = read_questionnaire(data, name, framework=framework, max_bytes=limit)
    except Exception:  # the reader reports bad files itself; this is the last line of defence
        log.exception("reading %s failed", name)
        return FileReport(name, len(data), _not_checked(data))
    try:
        preview = preview_read_result(store, data, name, read, actor, lang)
    except AccessDenied as denied:
        return FileReport(name, len(data), read, refusal=denied.message)
    except Exception:  # the database failed (down, a bug): this file cannot be stored, the page goes on
        reference = log_incident(log, "the preview of %s failed", name)
        return FileReport(name, len(data), read, refusal=Message(MSG_NOT_PREVIEWED, {"reference": reference}))
    read = preview.read or read  # a refusal tied to a cell (e.g. the respondent role) joins the errors
    if preview.kind == REJECTED and preview.refusal is not None and read.valid:  # register, closed round
        return FileReport(name, len(data), read, refusal=preview.refusal)
    renamed = register.name_mismatch(store, read.submission) if read.submission is not None else None
    return FileReport(
        name,
        len(data),
        read,
        data=data if read.valid else b"",
        preview=preview,
        notes=(renamed,) if renamed is not None else (),
    )


def _key(submission: Submission) -> tuple[str, int, tuple[str, str]]:
    return (
        submission.organisation_id,
        submission.year,
        respondent_key(submission.respondent_name, submission.respondent_role),
    )


def _mark_same_files(reports: list[FileReport]) -> list[FileReport]:
    """A file uploaded twice in one go is stored once: the later copy says so."""
    first: dict[str, str] = {}
    marked = []
    for report in reports:
        if report.accepted and report.sha256 in first:
            note = Message(MSG_SAME_FILE_IN_UPLOAD, {"other": first[report.sha256]})
            report = replace(report, same_as=first[report.sha256], notes=(*report.notes, note))
        elif report.accepted:
            first[report.sha256] = report.filename
        marked.append(report)
    return marked


def _mark_replaced(reports: list[FileReport]) -> list[FileReport]:
    """Two files of one respondent in one upload: the later one replaces the earlier when submitted."""
    last: dict[tuple[str, int, tuple[str, str]], int] = {}
    for position, report in enumerate(reports):
        if report.changes_data and report.submission is not None:
            last[_key(report.submission)] = position
    marked = []
    for position, report in enumerate(reports):
        submission = report.submission
        if report.changes_data and submission is not None and last[_key(submission)] != position:
            note = Message(
                MSG_REPLACED_IN_UPLOAD,
                {
                    "other": reports[last[_key(submission)]].filename,
                    "organisation": submission.organisation_id,
                    "year": submission.year,
                },
            )
            report = replace(report, notes=(*report.notes, note))
        marked.append(report)
    return marked


def _stored_files(store: Store, actor: Actor, organisation_id: str) -> dict[int, StoredFile]:
    """Every file stored for the organisation, by submission id (none if the actor may not see them)."""
    try:
        frame = stored_submissions(store, actor, organisation_id)
    except AccessDenied:
        return {}
    return {
        int(row.submission_id): StoredFile(
            int(row.submission_id), row.filename, row.uploaded_at.to_pydatetime(), row.uploaded_by
        )
        for row in frame.itertuples(index=False)
    }


def _assessment_preview(
    group: list[int], reports: list[FileReport], store: Store, actor: Actor, framework: Framework
) -> dict[int, FileReport]:
    """Score one organisation and year as it will be after the upload; annotate each file of it."""
    first = reports[group[0]].submission
    assert first is not None
    stored = stored_respondents(store, actor, first.organisation_id, first.year)
    changing: dict[tuple[str, int, tuple[str, str]], int] = {}
    for position in group:
        report = reports[position]
        if report.changes_data and report.submission is not None:
            changing.pop(_key(report.submission), None)  # the later file of a respondent wins
            changing[_key(report.submission)] = position
    replaced = {key[2] for key in changing}
    kept = [
        q
        for q in stored.questionnaires
        if respondent_key(q.submission.respondent_name, q.submission.respondent_role) not in replaced
    ]
    new = [reports[position].submission for position in changing.values()]
    submissions = [q.submission for q in kept] + [s for s in new if s is not None] + list(stored.reviews)
    files = _stored_files(store, actor, first.organisation_id)
    evaluator_codes = _evaluator_codes(submissions, framework)
    updated: dict[int, FileReport] = {}
    try:
        result = (
            score_assessment(submissions, framework=framework, roadmap=current_roadmap())
            if submissions
            else None
        )
    except ScoringInputError as refused:
        for position in changing.values():
            updated[position] = replace(reports[position], refusal=refused.message)
        return updated
    counted = set(changing.values())
    for position in group:
        report = reports[position]
        role = COUNTED if position in counted else (REPLACED if report.changes_data else UNCHANGED)
        preview = report.preview
        updated[position] = replace(
            report,
            result=result,
            earlier=files.get((preview.superseded_id or preview.submission_id or 0) if preview else 0),
            basis=Basis(
                first.organisation_id,
                first.year,
                this_file=role,
                stored=len(kept),
                others_in_upload=len(counted) - (1 if role == COUNTED else 0),
                reviews=bool(stored.reviews),
                evaluator_codes=evaluator_codes,
                self_assessment=report.submission is not None
                and report.submission.respondent_role != ROLE_EVALUATOR,
                total_indicators=len(framework.indicators),
            ),
        )
    return updated


def _evaluator_codes(submissions: Iterable[Submission], framework: Framework) -> tuple[str, ...]:
    """The indicators an evaluator answered (a level or N/A): there the engine takes that answer."""
    evaluators = [s for s in submissions if s.respondent_role == ROLE_EVALUATOR]
    return tuple(
        indicator.code
        for indicator in framework.indicators
        if any(
            (answer := s.answers.get(indicator.code)) is not None
            and (answer.level is not None or answer.not_applicable)
            for s in evaluators
        )
    )


def check_uploads(
    files: Sequence[UploadedFile],
    store: Store,
    actor: Actor,
    lang: str,
    progress: Progress | None = None,
    framework: Framework | None = None,
) -> list[FileReport]:
    """Check every uploaded file and preview the assessments they would produce, writing nothing.

    Files are read one after another (`progress` is told after each); then the accepted
    files are grouped by organisation and year and each group is scored once, together
    with the respondents already stored, exactly as the store will score it on submit.
    """
    framework = framework or current_framework()
    reports = []
    for done, (name, data) in enumerate(files):
        if progress is not None:
            progress(done, len(files), name)
        reports.append(check_file(name, bytes(data), store, actor, lang, framework))
    if progress is not None:
        progress(len(files), len(files), "")
    reports = _mark_replaced(_mark_same_files(reports))
    groups: dict[tuple[str, int], list[int]] = {}
    for position, report in enumerate(reports):
        if report.accepted and report.submission is not None:
            where = (report.submission.organisation_id, report.submission.year)
            groups.setdefault(where, []).append(position)
    for group in groups.values():
        try:
            updated = _assessment_preview(group, reports, store, actor, framework)
        except AccessDenied as denied:
            updated = {position: replace(reports[position], refusal=denied.message) for position in group}
        except Exception:  # a preview must never take the page down; the file is not stored either
            names = [reports[position].filename for position in group]
            reference = log_incident(log, "the preview of %s failed", names)
            failed = Message(MSG_NOT_PREVIEWED, {"reference": reference})
            updated = {position: replace(reports[position], refusal=failed) for position in group}
        for position, report in updated.items():
            reports[position] = report
    return reports


# --------------------------------------------------------------------------- storing


def submit(
    reports: Iterable[FileReport], store: Store, actor: Actor, lang: str = "en"
) -> list[IngestOutcome]:
    """Store the accepted files, in upload order; the outcomes say what the store actually did.

    The store decides again at this moment (another person may have uploaded meanwhile),
    so an outcome can differ from the preview; the confirmation shows the outcome. The
    files are stored as one batch, as the command line stores them (`ingest_files`: one
    transaction, each file in a savepoint of its own, each touched assessment scored once),
    which leaves exactly what storing them one at a time would. A file the store fails on
    becomes a "not stored" outcome with a reference the log holds, never an exception: the
    files before it are committed, and the files after it are stored in a new batch.
    """
    pending = [report for report in reports if report.accepted]
    outcomes: list[IngestOutcome] = []
    while pending:
        stored, failed = _store_batch(pending, store, actor, lang)
        outcomes += stored
        if failed is None:
            break
        outcomes.append(failed)
        pending = pending[len(stored) + 1 :]
    return outcomes


def _store_batch(
    reports: Sequence[FileReport], store: Store, actor: Actor, lang: str
) -> tuple[list[IngestOutcome], IngestOutcome | None]:
    """The outcomes of the files stored in one batch, and that of the file it stopped at (if any).

    `ingest_files` reports the files it committed, then raises the error of the file that
    failed; an error before any file was reported (the transaction itself failed) is put
    on the first file, and the others are tried again by the caller.
    """
    stored: list[IngestOutcome] = []
    files = [(report.data, report.filename, report.read) for report in reports]
    try:
        for outcome in ingest_files(store, files, actor, lang, batch_size=len(files)):
            stored.append(outcome)  # one by one: those before a failure are committed and kept
    except AccessDenied as denied:
        return stored, _not_stored(reports[len(stored)], denied.message, lang)
    except Exception:  # the database failed (down, full, a bug): this file only, the others go on
        report = reports[len(stored)]
        reference = log_incident(log, "storing %s failed", report.filename)
        return stored, _not_stored(report, Message(MSG_NOT_STORED, {"reference": reference}), lang)
    return stored, None


def _not_stored(report: FileReport, reason: Message, lang: str) -> IngestOutcome:
    """The outcome of a file the store did not take, with the reason to show."""
    return IngestOutcome(
        kind=REJECTED,
        filename=report.filename,
        sha256=report.sha256,
        read=report.read,
        refusal=reason,
        lang=lang,
    )


def stored_organisations(outcomes: Iterable[IngestOutcome]) -> list[str]:
    """The organisations whose data changed, in order, each once (for links to their profiles)."""
    seen: dict[str, None] = {}
    for outcome in outcomes:
        if outcome.stored and outcome.organisation_id:
            seen.setdefault(outcome.organisation_id, None)
    return list(seen)


# --------------------------------------------------------------------------- showing


def problems_by_sheet(problems: Iterable[Problem], lang: str) -> list[tuple[str, list[tuple[str, str]]]]:
    """Problems grouped by sheet, in the order met: [(sheet, [(cell and indicator, what to fix), …]), …].

    The place is e.g. `F3 (IC.2)`: the cell to go to, and the indicator it answers.
    """
    groups: dict[str, list[tuple[str, str]]] = {}
    whole = translator(lang)(WHOLE_FILE)
    for problem in problems:
        groups.setdefault(problem.sheet or whole, []).append((problem.place, problem.message.render(lang)))
    return list(groups.items())


def score_rows(
    result: AssessmentResult, lang: str, framework: Framework | None = None
) -> list[dict[str, str]]:
    """The index and each dimension: score and roadmap status as the engine returned them, for a table."""
    framework = framework or current_framework()
    t = translator(lang)
    rows = [
        {
            "target": t(INDEX_LABEL),
            "score": format_number(result.index.score, lang, 1),
            "expected": format_number(result.index.roadmap.expected, lang, 1),
            "status": status_text(result.index.roadmap.status, lang),
        }
    ]
    for code, dimension in result.dimensions.items():
        rows.append(
            {
                "target": f"{code} · {framework.dimension(code).name(lang)}",
                "score": format_number(dimension.score, lang, 1),
                "expected": format_number(dimension.roadmap.expected, lang, 1),
                "status": status_text(dimension.roadmap.status, lang),
            }
        )
    return rows


def neutralise(text: str) -> str:
    """A CSV cell that a spreadsheet cannot run as a formula (CSV injection)."""
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def report_csv(reports: Iterable[FileReport], lang: str) -> bytes:
    """The whole report as CSV (UTF-8 with a BOM so Excel shows Turkish letters): one row per problem.

    Each file starts with a row saying whether it was accepted and what saving does; every
    text is neutralised, since file names and cell contents come from the uploader.
    """
    t = translator(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [t("File"), t("Outcome"), t("Severity"), t("Sheet"), t("Cell"), t("Indicator"), t("Message")]
    )
    for report in reports:
        status = report.status_text(lang)
        rows = [[report.filename, status, "", "", "", "", report.summary(lang)]]
        rows += [[report.filename, status, "", "", "", "", note.render(lang)] for note in report.notes]
        for problem in (*report.errors, *report.warnings):
            rows.append(
                [
                    report.filename,
                    status,
                    t(SEVERITY_LABELS[problem.severity]),
                    problem.sheet,
                    problem.cell,
                    problem.indicator,
                    problem.message.render(lang),
                ]
            )
        writer.writerows([[neutralise(str(cell)) for cell in row] for row in rows])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def report_filename(now: dt.datetime | None = None, lang: str = "en") -> str:
    """e.g. upload-report_2026-03-31-1405.csv (Turkish: yükleme-raporu_…)."""
    return file_name(
        UPLOAD_REPORT_FILE, lang, (now or dt.datetime.now()).strftime("%Y-%m-%d-%H%M"), extension="csv"
    )


def size_limit_mb() -> str:
    """The per-file limit in MB, as the page states it."""
    return megabytes(max_upload_bytes())


def whole_megabytes_limit() -> int:
    """The limit rounded up to whole MB, for the browser's own check (it counts in whole MB).

    The browser stops larger files before they travel; anything between this and the exact
    limit is refused here, with the explanation in the user's language.
    """
    return max(1, math.ceil(max_upload_bytes() / MB))


def can_upload(actor: Actor) -> Message | None:
    """None when the actor may upload for some organisation, else the refusal to show."""
    try:
        access.require(actor, access.UPLOAD)
    except AccessDenied as denied:
        return denied.message
    return None
