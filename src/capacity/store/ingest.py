"""Storing uploaded questionnaires: validated by the reader, kept whole, never silently replaced.

Each file is stored in one transaction together with its answers, the superseding of the
respondent's earlier file, the engine's recomputed result and the audit entry: a crash at
any moment leaves the submission entirely there or entirely absent. An identical file
(same sha256) is a reported no-op; a new file from the same respondent for the same
organisation and year supersedes the earlier one, which stays in the history and can be
restored. `preview_file` answers "what would saving do?" without writing anything.

Reading (the slow part) happens before the transaction, so a writer holds its lock only
for the inserts and the scoring.

`ingest_files` stores many files per transaction (the CLI and the demo loader): each file
in a savepoint of its own, each touched assessment re-scored once at the end of the batch.
Its outcomes, rows, results and audit entries are those of `ingest_read_result` called on
the same files in the same order; only timestamps differ.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from capacity import access
from capacity.access import Actor
from capacity.i18n import N_, Message, tn, translator
from capacity.questionnaire.reader import Problem, ReadResult, problems_as_rows, read_questionnaire
from capacity.questionnaire.submission import Submission
from capacity.roadmap import current_roadmap
from capacity.rounds import register
from capacity.scoring import ScoringInputError
from capacity.store import audit, locking
from capacity.store.assessments import (
    active_submission_of,
    find_assessment,
    get_or_create_assessment,
    lock_organisation,
    recompute_assessment,
    recompute_assessments,
    respondent_key,
)
from capacity.store.db import Store
from capacity.store.models import (
    ACTIVE,
    DELETED,
    SUPERSEDED,
    Assessment,
    AuditEntry,
    Organisation,
    ResponseRecord,
    SubmissionRecord,
    utcnow,
)
from capacity.store.trust import UploadRefused, check_respondent_role, check_supersede
from capacity.store.version_records import framework_for

STORED_NEW, DUPLICATE, SUPERSEDED_EARLIER, REJECTED = "stored_new", "duplicate", "superseded", "rejected"
OUTCOME_KINDS = (STORED_NEW, DUPLICATE, SUPERSEDED_EARLIER, REJECTED)
STATUS_LABELS = {ACTIVE: N_("active"), SUPERSEDED: N_("superseded"), DELETED: N_("deleted")}


@dataclass(frozen=True)
class IngestOutcome:
    """What storing a file did (or, with `dry_run`, would do)."""

    kind: str  # one of OUTCOME_KINDS
    filename: str
    sha256: str
    organisation_id: str | None = None
    year: int | None = None
    submission_id: int | None = None  # the new submission, or the identical earlier one
    superseded_id: int | None = None  # the respondent's earlier submission it replaces
    existing_status: str | None = None  # status of the identical earlier submission
    read: ReadResult | None = None  # the reader's verdict (errors and warnings)
    refusal: Message | None = None  # why a file the reader accepted still could not be stored
    dry_run: bool = False
    lang: str = "en"  # the uploader's language: the default for message() and as_dict()

    @property
    def stored(self) -> bool:
        """Whether this call wrote a new submission."""
        return self.kind in (STORED_NEW, SUPERSEDED_EARLIER) and not self.dry_run

    @property
    def errors(self) -> tuple[Any, ...]:
        return tuple(self.read.errors) if self.read else ()

    @property
    def warnings(self) -> tuple[Any, ...]:
        return tuple(self.read.warnings) if self.read else ()

    def message(self, lang: str | None = None) -> str:
        """One sentence for the person who uploaded the file."""
        lang = lang or self.lang
        t = translator(lang)
        where = {"filename": self.filename, "organisation": self.organisation_id, "year": self.year}
        if self.kind == REJECTED and self.refusal is not None:
            return t(
                "{filename}: not stored: {reason}", filename=self.filename, reason=self.refusal.render(lang)
            )
        if self.kind == REJECTED:
            return tn(
                "{filename}: rejected with {n} error; nothing was stored.",
                "{filename}: rejected with {n} errors; nothing was stored.",
                self.read.error_count if self.read else 0,
                lang,
                filename=self.filename,
            )
        if self.kind == DUPLICATE:
            status = t(STATUS_LABELS.get(self.existing_status or ACTIVE, N_("active")))
            if self.dry_run:
                return t(
                    "{filename}: identical to submission {submission} ({status}); saving it would change "
                    "nothing.",
                    filename=self.filename,
                    submission=self.submission_id,
                    status=status,
                )
            return t(
                "{filename}: identical to submission {submission} ({status}), already stored; nothing "
                "changed.",
                filename=self.filename,
                submission=self.submission_id,
                status=status,
            )
        if self.kind == SUPERSEDED_EARLIER:
            if self.dry_run:
                return t(
                    "{filename}: would be stored for {organisation}, {year}, replacing submission {earlier} "
                    "from the same respondent (kept in the history).",
                    earlier=self.superseded_id,
                    **where,
                )
            return t(
                "{filename}: stored as submission {submission} for {organisation}, {year}; it replaces "
                "submission {earlier} from the same respondent, which stays in the history.",
                submission=self.submission_id,
                earlier=self.superseded_id,
                **where,
            )
        if self.dry_run:
            return t("{filename}: would be stored as a new submission for {organisation}, {year}.", **where)
        return t(
            "{filename}: stored as submission {submission} for {organisation}, {year}.",
            submission=self.submission_id,
            **where,
        )

    def as_dict(self, lang: str | None = None) -> dict[str, Any]:
        """A JSON-ready summary (the CLI's --json output)."""
        lang = lang or self.lang
        rows = problems_as_rows(self.read, lang) if self.read else []
        return {
            "file": self.filename,
            "outcome": self.kind,
            "sha256": self.sha256,
            "organisation_id": self.organisation_id,
            "year": self.year,
            "submission_id": self.submission_id,
            "superseded_id": self.superseded_id,
            "dry_run": self.dry_run,
            "message": self.message(lang),
            "errors": self.read.error_count if self.read else 0,
            "warnings": self.read.warning_count if self.read else 0,
            "problems": rows,
        }


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


@contextmanager
def _session(target: Store | Session, write: bool) -> Iterator[Session]:
    """A transaction of our own (write or read-only), or a savepoint in the caller's session.

    The savepoint keeps a refused upload from leaving half its rows in the caller's
    transaction; committing that transaction stays the caller's business.
    """
    if isinstance(target, Session):
        if not write:
            yield target
            return
        with target.begin_nested():
            yield target
        return
    with target.write() if write else target.read() as session:
        yield session


def _parse_summary(read: ReadResult | None) -> dict[str, Any]:
    """The reader's verdict as stored with the submission (in English, the archive language)."""
    if read is None:
        return {}
    return {
        "errors": read.error_count,
        "warnings": read.warning_count,
        "problems": problems_as_rows(read, "en"),
    }


def _plan(
    session: Session, submission: Submission, sha256: str, actor: Actor, read: ReadResult | None
) -> tuple[str, SubmissionRecord | None]:
    """What storing would do: the outcome kind and the identical or superseded submission.

    Raises UploadRefused when the respondent's earlier file is not one `actor` may replace.
    """
    identical = session.scalars(
        select(SubmissionRecord).where(SubmissionRecord.sha256 == sha256)
    ).one_or_none()
    if identical is not None:
        return DUPLICATE, identical
    assessment = find_assessment(session, submission.organisation_id, submission.year)
    if assessment is None:
        return STORED_NEW, None
    earlier = active_submission_of(
        session, assessment.id, respondent_key(submission.respondent_name, submission.respondent_role)
    )
    if earlier is not None:
        check_supersede(actor, submission, read, earlier.id, earlier.uploaded_by, earlier.uploader_role)
    return (SUPERSEDED_EARLIER if earlier else STORED_NEW), earlier


def _submission_values(
    submission: Submission,
    data: bytes,
    sha256: str,
    filename: str,
    actor: Actor,
    read: ReadResult | None,
    **fields: Any,
) -> dict[str, Any]:
    """The columns of a new submission row (both ingestion paths write exactly these)."""
    return {
        "sha256": sha256,
        "filename": filename,
        "content": data,
        "size": len(data),
        "uploaded_by": actor.username,
        "uploader_role": actor.role,  # the role of record: the file's Evaluator mark was checked against it
        "evaluator_unverified": False,
        "respondent_name": submission.respondent_name,
        "respondent_role": submission.respondent_role,
        "organisation_name": submission.organisation_name,
        "organisation_type": submission.organisation_type,
        "country": submission.country,
        "region": submission.region,
        "date_completed": submission.date_completed,
        "language": submission.language,
        "template_version": submission.template_version,
        "framework_id": submission.framework_id,
        "framework_version": submission.framework_version,
        "roadmap_version": current_roadmap().version,
        "notes": list(submission.notes),
        "parse_result": _parse_summary(read),
        "status": ACTIVE,
        **fields,
    }


def _response_rows(submission: Submission, submission_id: int) -> list[dict[str, Any]]:
    return [
        {
            "submission_id": submission_id,
            "code": a.code,
            "level": a.level,
            "not_applicable": a.not_applicable,
            "evidence": a.evidence,
            "evidence_link": a.evidence_link,
        }
        for a in submission.answers.values()
    ]


def _outcome_fields(
    submission: Submission, filename: str, sha256: str, read: ReadResult | None, lang: str = "en"
) -> dict[str, Any]:
    """What every outcome of a stored or duplicate file says about the file itself."""
    return {
        "filename": filename,
        "sha256": sha256,
        "organisation_id": submission.organisation_id,
        "year": submission.year,
        "read": read,
        "lang": lang,
    }


def _store(
    session: Session,
    submission: Submission,
    data: bytes,
    filename: str,
    actor: Actor,
    read: ReadResult | None,
) -> IngestOutcome:
    sha256 = sha256_of(data)
    now = utcnow()
    register.admit(session, submission, actor, now)
    organisation = lock_organisation(session, submission.organisation_id)
    assert organisation is not None
    kind, other = _plan(session, submission, sha256, actor, read)
    common = _outcome_fields(submission, filename, sha256, read)
    if kind == DUPLICATE:
        assert other is not None
        _record(session, actor, _duplicate_entry(submission, filename, sha256, other.id))
        return IngestOutcome(kind=DUPLICATE, submission_id=other.id, existing_status=other.status, **common)
    assessment = get_or_create_assessment(session, submission.organisation_id, submission.year)
    record = SubmissionRecord(
        **_submission_values(
            submission, data, sha256, filename, actor, read, assessment_id=assessment.id, uploaded_at=now
        )
    )
    session.add(record)
    session.flush()
    session.connection().execute(_INSERT_RESPONSES, _response_rows(submission, record.id))
    if other is not None:
        other.status, other.superseded_by, other.status_changed_at = SUPERSEDED, record.id, now
    session.flush()
    recompute_assessment(session, assessment)
    _record(
        session, actor, _stored_entry(submission, filename, sha256, record.id, other.id if other else None)
    )
    return IngestOutcome(
        kind=kind, submission_id=record.id, superseded_id=other.id if other else None, **common
    )


def ingest_submission(
    target: Store | Session,
    submission: Submission,
    data: bytes,
    filename: str,
    actor: Actor,
    read: ReadResult | None = None,
) -> IngestOutcome:
    """Store a validated questionnaire and its original bytes in one transaction.

    With a Store the transaction is our own and is retried once if a concurrent writer
    stored the same bytes first (the retry then reports the duplicate); with a Session the
    caller commits. A file the engine cannot score with the others (e.g. another framework
    version) is refused, and nothing of it is stored; so is a file marked Evaluator from an
    account that may not upload one, and a file that would replace a file the account may
    not replace (`capacity.store.trust`).
    """
    access.require(actor, access.UPLOAD, submission.organisation_id)
    attempts = 2 if isinstance(target, Store) else 1
    for attempt in range(attempts):
        try:
            check_respondent_role(actor, submission, read)
            with _session(target, write=True) as session:
                return _store(session, submission, data, filename, actor, read)
        except ScoringInputError as refused:
            return _rejected(
                target, data, filename, actor, read, refusal=refused.message, submission=submission
            )
        except UploadRefused as refused:
            return _rejected(
                target, data, filename, actor, read, submission=submission, problem=refused.problem
            )
        except IntegrityError:
            if attempt == attempts - 1:
                raise
    raise AssertionError("unreachable")


def _rejected(
    target: Store | Session,
    data: bytes,
    filename: str,
    actor: Actor,
    read: ReadResult | None,
    refusal: Message | None = None,
    submission: Submission | None = None,
    problem: Problem | None = None,
) -> IngestOutcome:
    """Log the rejection (nothing else is written) and report it with the reasons."""
    access.require(actor, access.UPLOAD)
    outcome, entry = _rejection(data, filename, read, refusal, submission, problem=problem)
    with _session(target, write=True) as session:
        _record(session, actor, entry)
    return outcome


LogEntry = tuple[str, str | None, dict[str, Any]]  # action, organisation, detail: see `audit.record`


def _record(session: Session, actor: Actor, entry: LogEntry) -> None:
    action, organisation_id, detail = entry
    audit.record(session, actor, action, organisation_id, **detail)


def _duplicate_entry(submission: Submission, filename: str, sha256: str, existing_id: int) -> LogEntry:
    detail = {"filename": filename, "sha256": sha256, "year": submission.year, "submission_id": existing_id}
    return audit.SUBMISSION_DUPLICATE, submission.organisation_id, detail


def _stored_entry(
    submission: Submission, filename: str, sha256: str, submission_id: int, superseded_id: int | None
) -> LogEntry:
    detail = {
        "filename": filename,
        "sha256": sha256,
        "year": submission.year,
        "submission_id": submission_id,
        "superseded_id": superseded_id,
        "respondent_role": submission.respondent_role,
    }
    action = audit.SUBMISSION_SUPERSEDED if superseded_id is not None else audit.SUBMISSION_STORED
    return action, submission.organisation_id, detail


def _rejection(
    data: bytes,
    filename: str,
    read: ReadResult | None,
    refusal: Message | None = None,
    submission: Submission | None = None,
    lang: str = "en",
    problem: Problem | None = None,
) -> tuple[IngestOutcome, LogEntry]:
    """A rejected file's outcome and its audit entry.

    A `problem` (a refusal tied to a cell) joins the reader's errors, so every report
    lists it with its sheet and cell like any other error, and is the refusal's reason.
    """
    sha256 = sha256_of(data)
    if problem is not None:
        refusal = problem.message
        if read is None:
            language = submission.language if submission else "en"
            read = ReadResult(None, (problem,), (), language, sha256)
        else:
            read = replace(read, submission=None, errors=(*read.errors, problem))
    organisation_id = submission.organisation_id if submission else None
    year = submission.year if submission else None
    detail = {
        "year": year,
        "filename": filename,
        "sha256": sha256,
        "errors": read.error_count if read else 0,
        "warnings": read.warning_count if read else 0,
        "reason": refusal.render("en") if refusal else None,
    }
    outcome = IngestOutcome(
        kind=REJECTED,
        filename=filename,
        sha256=sha256,
        organisation_id=organisation_id,
        year=year,
        read=read,
        refusal=refusal,
        lang=lang,
    )
    return outcome, (audit.SUBMISSION_REJECTED, organisation_id, detail)


def ingest_read_result(
    target: Store | Session, data: bytes, filename: str, read: ReadResult, actor: Actor, lang: str = "en"
) -> IngestOutcome:
    """Store a file the reader has already checked (lets a process pool do the reading)."""
    if not read.valid or read.submission is None:
        outcome = _rejected(target, data, filename, actor, read)
    else:
        outcome = ingest_submission(target, read.submission, data, filename, actor, read)
    return replace(outcome, lang=lang)


def ingest_file(
    target: Store | Session, data: bytes, filename: str, actor: Actor, lang: str = "en"
) -> IngestOutcome:
    """Validate an uploaded questionnaire and store it (see the module docstring for the outcomes)."""
    return ingest_read_result(target, data, filename, read_questionnaire(data, filename), actor, lang)


BATCH_SIZE = 100  # files per transaction in `ingest_files`: the commit and re-scoring are shared this widely

ReadFile = tuple[bytes, str, ReadResult]  # a file's bytes, its name and the reader's verdict on it


@dataclass(frozen=True)
class _Assessment:
    """An assessment the batch touches, with its active submissions as the batch changes them.

    `active` maps each active submission's id to its respondent key (what a new file
    supersedes), its framework (whether the engine could refuse the mix) and its uploader's
    account and role (whether the new file may supersede it). An assessment
    the batch created has no reviews and only the batch's files, so those are its evidence
    and re-scoring it need not read them back.
    """

    id: int
    organisation_id: str
    year: int
    active: dict[int, tuple[tuple[str, str], tuple[str, str], tuple[str, str | None]]]
    created: dict[int, Submission] | None  # created by this batch: its whole evidence, as stored

    def evidence(self) -> list[Submission] | None:
        """The active questionnaires in id order, if the batch knows them all (else None: load them)."""
        return None if self.created is None else [self.created[sid] for sid in self.active]


# The batch's statements, built once: SQLAlchemy then finds each compiled form by a cache key
# it computes once per statement object rather than once per execution.
_SUBMISSIONS = SubmissionRecord.__table__
_INSERT_ASSESSMENT = Assessment.__table__.insert()
_INSERT_SUBMISSION = _SUBMISSIONS.insert()
_INSERT_RESPONSES = ResponseRecord.__table__.insert()
_INSERT_LOG = AuditEntry.__table__.insert()
_SUPERSEDE = _SUBMISSIONS.update().where(_SUBMISSIONS.c.id == bindparam("earlier"))


class _DeferredRefusal(Exception):
    """Re-scoring at the end of a batch was refused, so the batch must be redone file by file."""


class _Batch:
    """One transaction storing many files, each in a savepoint, as `ingest_read_result` would one by one.

    What one-by-one ingestion reads again for every file (the organisation's lock and
    latest year, the assessment, its active submissions, known sha256s) is read once and
    then kept up to date in memory; the organisations' details, the re-scoring of each
    touched assessment and the audit entries are written once, when the batch ends. The
    engine refuses an assessment only when its questionnaires answer different frameworks;
    a file that could cause that is re-scored at once, in its savepoint, as alone, and
    with `exact` every file is.
    """

    def __init__(self, session: Session, actor: Actor, lang: str, exact: bool) -> None:
        self.session, self.actor, self.lang, self.exact = session, actor, lang, exact
        self.organisations: set[str] = set()  # organisations locked by this batch
        self.assessments: dict[tuple[str, int], _Assessment] = {}
        self.known: dict[str, int] = {}  # sha256 → the submission holding those bytes
        self.status: dict[int, str] = {}  # those submissions' status, as the batch changes it
        self.touched: dict[int, _Assessment] = {}  # assessments to re-score at the end
        self.log: list[tuple[dt.datetime, LogEntry]] = []  # each entry with its time
        self.admitted: set[tuple[str, int]] = set()  # organisations and years the register let in
        # Answers of the stored files, written together (one statement) before anything reads them.
        self.responses: list[dict[str, Any]] = []

    def run(self, files: Sequence[ReadFile]) -> tuple[list[IngestOutcome], Exception | None]:
        """The files' outcomes, and the error that stopped the batch after them (if any)."""
        sha256s = [sha256_of(data) for data, _, _ in files]
        self._learn([sha256 for sha256, (_, _, read) in zip(sha256s, files, strict=True) if read.valid])
        outcomes: list[IngestOutcome] = []
        for sha256, (data, filename, read) in zip(sha256s, files, strict=True):
            try:
                outcomes.append(self._one(data, sha256, filename, read))
            except Exception as failure:  # its savepoint is rolled back; the files before it stay
                self._finish()
                return outcomes, failure
        self._finish()
        return outcomes, None

    def _learn(self, sha256s: list[str]) -> None:
        """Which of these files are stored already (one query for the whole batch)."""
        if not sha256s:
            return
        rows = self.session.execute(
            select(SubmissionRecord.sha256, SubmissionRecord.id, SubmissionRecord.status).where(
                SubmissionRecord.sha256.in_(sha256s)
            )
        )
        for row in rows:
            self.known[row.sha256], self.status[row.id] = row.id, row.status

    def _one(self, data: bytes, sha256: str, filename: str, read: ReadResult) -> IngestOutcome:
        if not read.valid or read.submission is None:
            access.require(self.actor, access.UPLOAD)
            outcome, entry = _rejection(data, filename, read, lang=self.lang)
            self.log.append((utcnow(), entry))
            return outcome
        submission = read.submission
        access.require(self.actor, access.UPLOAD, submission.organisation_id)
        for attempt in range(2):
            try:
                check_respondent_role(self.actor, submission, read)
                if self.responses and self._may_score_at_once(submission):
                    self._write_responses()  # outside the savepoint, so a refusal cannot undo them
                with self._savepoint():
                    return self._store(submission, data, sha256, filename, read)
            except ScoringInputError as refused:
                self._forget()
                outcome, entry = _rejection(data, filename, read, refused.message, submission, self.lang)
                self.log.append((utcnow(), entry))
                return outcome
            except UploadRefused as refused:
                self._forget()
                outcome, entry = _rejection(
                    data, filename, read, None, submission, self.lang, problem=refused.problem
                )
                self.log.append((utcnow(), entry))
                return outcome
            except IntegrityError:  # a concurrent writer stored the same bytes: the retry sees it
                self._forget()
                self._learn([sha256])
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    @contextmanager
    def _savepoint(self) -> Iterator[None]:
        """One file's savepoint; if it is rolled back, answers it wrote for earlier files are queued again.

        A savepoint of the connection: the batch writes plain Core statements, so the ORM's
        savepoint bookkeeping would only add cost.
        """
        queued, count = self.responses, len(self.responses)
        try:
            with self.session.connection().begin_nested():
                yield
        except BaseException:
            del queued[count:]
            self.responses = queued
            raise

    def _write_responses(self) -> None:
        """Insert the queued answers in one statement (a new list: `_savepoint` may still hold the old)."""
        if self.responses:
            self.session.connection().execute(_INSERT_RESPONSES, self.responses)
            self.responses = []

    def _forget(self) -> None:
        """After a rolled-back savepoint: what it may have created is gone, so look everything up again."""
        self.organisations.clear()
        self.assessments.clear()
        self.admitted.clear()

    def _admit(self, submission: Submission) -> None:
        """`register.admit`, asked once per organisation and year of the batch.

        Its verdict for a second file of the same organisation and year cannot differ: the
        first one made sure the organisation is in the register, and the round's state and
        the actor are the same.
        """
        key = (submission.organisation_id, submission.year)
        if key not in self.admitted:
            register.admit(self.session, submission, self.actor, utcnow())
            self.admitted.add(key)

    def _lock_organisation(self, submission: Submission) -> None:
        if submission.organisation_id not in self.organisations:
            self.session.execute(
                select(Organisation.id).where(Organisation.id == submission.organisation_id).with_for_update()
            )
            self.organisations.add(submission.organisation_id)

    def _assessment(self, submission: Submission) -> _Assessment:
        key = (submission.organisation_id, submission.year)
        found = self.assessments.get(key)
        if found is not None:
            return found
        where = (Assessment.organisation_id == submission.organisation_id, Assessment.year == submission.year)
        connection = self.session.connection()
        assessment_id = connection.scalar(select(Assessment.id).where(*where))
        if assessment_id is None:  # the organisation is locked: nobody else creates it meanwhile
            values = {"organisation_id": key[0], "year": key[1], "created_at": utcnow()}
            (assessment_id,) = connection.execute(_INSERT_ASSESSMENT, values).inserted_primary_key
            found = _Assessment(assessment_id, *key, active={}, created={})
        else:
            rows = connection.execute(
                select(
                    SubmissionRecord.id,
                    SubmissionRecord.respondent_name,
                    SubmissionRecord.respondent_role,
                    SubmissionRecord.framework_id,
                    SubmissionRecord.framework_version,
                    SubmissionRecord.uploaded_by,
                    SubmissionRecord.uploader_role,
                )
                .where(SubmissionRecord.assessment_id == assessment_id, SubmissionRecord.status == ACTIVE)
                .order_by(SubmissionRecord.id)
            )
            active = {
                r.id: (
                    respondent_key(r.respondent_name, r.respondent_role),
                    (r.framework_id, r.framework_version),
                    (r.uploaded_by, r.uploader_role),
                )
                for r in rows
            }
            found = _Assessment(assessment_id, *key, active=active, created=None)
        self.assessments[key] = found
        return found

    def _may_score_at_once(self, submission: Submission) -> bool:
        """Whether `_store` may re-score this file's assessment at once (so read the answers back).

        Errs on the side of yes: an assessment not yet looked up may hold another framework.
        Then the queued answers are written before the file's savepoint opens: written inside
        it and undone with it, they would draw new ids from PostgreSQL's sequence when written
        again, and the rows would no longer be those of one file at a time.
        """
        assessment = self.assessments.get((submission.organisation_id, submission.year))
        return self.exact or assessment is None or not self._surely_scored(assessment, submission, None)

    def _surely_scored(self, assessment: _Assessment, submission: Submission, earlier: int | None) -> bool:
        """Whether the engine certainly accepts the assessment with this file (all one framework)."""
        framework = framework_for(self.session, submission.framework_id, submission.framework_version)
        expected = (framework.id, framework.version)
        others = (answered for sid, (_, answered, _) in assessment.active.items() if sid != earlier)
        return (submission.framework_id, submission.framework_version) == expected and all(
            answered == expected for answered in others
        )

    def _store(
        self, submission: Submission, data: bytes, sha256: str, filename: str, read: ReadResult
    ) -> IngestOutcome:
        common = _outcome_fields(submission, filename, sha256, read, self.lang)
        if sha256 in self.known:
            existing_id = self.known[sha256]
            self.log.append((utcnow(), _duplicate_entry(submission, filename, sha256, existing_id)))
            status = self.status[existing_id]
            return IngestOutcome(kind=DUPLICATE, submission_id=existing_id, existing_status=status, **common)
        self._admit(submission)
        self._lock_organisation(submission)
        assessment = self._assessment(submission)
        respondent = respondent_key(submission.respondent_name, submission.respondent_role)
        earlier = next((sid for sid, (key, _, _) in assessment.active.items() if key == respondent), None)
        if earlier is not None:
            uploaded_by, uploader_role = assessment.active[earlier][2]
            check_supersede(self.actor, submission, read, earlier, uploaded_by, uploader_role)
        now = utcnow()
        values = _submission_values(
            submission, data, sha256, filename, self.actor, read, assessment_id=assessment.id, uploaded_at=now
        )
        # Plain Core statements on the tables: the ORM's bulk path costs more than the inserts.
        connection = self.session.connection()
        (submission_id,) = connection.execute(_INSERT_SUBMISSION, values).inserted_primary_key
        responses = _response_rows(submission, submission_id)
        if earlier is not None:
            connection.execute(
                _SUPERSEDE,
                {
                    "earlier": earlier,
                    "status": SUPERSEDED,
                    "superseded_by": submission_id,
                    "status_changed_at": now,
                },
            )
        if self.exact or not self._surely_scored(assessment, submission, earlier):
            self.responses.extend(responses)
            self._write_responses()  # the engine reads them back
            recompute_assessment(self.session, assessment)  # refuses as storing this file alone would
        else:
            self.responses.extend(responses)  # written with the others', before the batch is scored
        # Everything is written: only now does the batch's memory follow.
        if earlier is not None:
            del assessment.active[earlier]
            self.status[earlier] = SUPERSEDED
        if assessment.created is not None:
            assessment.created[submission_id] = submission
        assessment.active[submission_id] = (
            respondent,
            (submission.framework_id, submission.framework_version),
            (self.actor.username, self.actor.role),
        )
        self.known[sha256], self.status[submission_id] = submission_id, ACTIVE
        self.touched[assessment.id] = assessment
        self.log.append((utcnow(), _stored_entry(submission, filename, sha256, submission_id, earlier)))
        kind = SUPERSEDED_EARLIER if earlier is not None else STORED_NEW
        return IngestOutcome(kind=kind, submission_id=submission_id, superseded_id=earlier, **common)

    def _finish(self) -> None:
        """Write the queued answers, re-score each touched assessment once, then write the log."""
        self._write_responses()
        try:
            known = {a.id: a.evidence() for a in self.touched.values() if a.created is not None}
            recompute_assessments(self.session, list(self.touched.values()), known)
        except ScoringInputError as refused:
            if self.exact:
                raise
            raise _DeferredRefusal from refused
        connection = self.session.connection()
        actor = self.actor.username
        if self.log:  # the columns `audit.record` writes, in one statement
            connection.execute(
                _INSERT_LOG,
                [
                    {"at": at, "actor": actor, "action": action, "organisation_id": org, "detail": detail}
                    for at, (action, org, detail) in self.log
                ],
            )


def _store_batch(
    store: Store, files: Sequence[ReadFile], actor: Actor, lang: str
) -> tuple[list[IngestOutcome], Exception | None]:
    """One batch in one transaction; redone with every file scored alone if re-scoring refused it.

    A serialisation failure or deadlock undoes the whole transaction, which is then run once
    more (`locking.retry_once`; a second refusal raises `locking.BatchConflict`).
    """
    filenames = [filename for _, filename, _ in files]
    for exact in (False, True):
        try:
            transaction = partial(_batch_transaction, store, files, actor, lang, exact)
            return locking.retry_once(transaction, filenames)
        except _DeferredRefusal:
            continue
    raise AssertionError("unreachable")


def _batch_transaction(
    store: Store, files: Sequence[ReadFile], actor: Actor, lang: str, exact: bool
) -> tuple[list[IngestOutcome], Exception | None]:
    """The batch's transaction, its organisations locked first in the global order (`store.locking`)."""
    with store.write() as session:
        locking.lock_organisations(
            session, (read.submission.organisation_id for _, _, read in files if read.submission is not None)
        )
        outcomes, failure = _Batch(session, actor, lang, exact).run(files)
        if locking.retried_sqlstate(failure) is not None:
            raise failure  # not only that file: the whole batch is undone and retried
        return outcomes, failure


def ingest_files(
    store: Store, files: Iterable[ReadFile], actor: Actor, lang: str = "en", batch_size: int = BATCH_SIZE
) -> Iterator[IngestOutcome]:
    """Store files the reader has checked, `batch_size` per transaction, yielding each outcome in order.

    Equivalent to `ingest_read_result` on each file in turn (same outcomes, messages, rows,
    results and audit entries), at a fraction of the cost: one durable commit per batch,
    and each assessment re-scored once per batch instead of once per file. Outcomes come
    after their batch is committed. A file that fails with an error is rolled back alone:
    the files before it are committed and reported, then the error is raised; but a
    serialisation failure or deadlock undoes and retries the whole batch (`_store_batch`).
    """
    batch: list[ReadFile] = []
    for item in files:
        batch.append(item)
        if len(batch) >= batch_size:
            yield from _yield_batch(store, batch, actor, lang)
            batch = []
    if batch:
        yield from _yield_batch(store, batch, actor, lang)


def _yield_batch(store: Store, files: Sequence[ReadFile], actor: Actor, lang: str) -> Iterator[IngestOutcome]:
    outcomes, failure = _store_batch(store, files, actor, lang)
    yield from outcomes
    if failure is not None:
        raise failure


def preview_read_result(
    target: Store | Session, data: bytes, filename: str, read: ReadResult, actor: Actor, lang: str = "en"
) -> IngestOutcome:
    """What `ingest_read_result` would do, read from the database without writing anything."""
    sha256 = sha256_of(data)
    if not read.valid or read.submission is None:
        access.require(actor, access.UPLOAD)
        return IngestOutcome(
            kind=REJECTED, filename=filename, sha256=sha256, read=read, dry_run=True, lang=lang
        )
    submission = read.submission
    access.require(actor, access.UPLOAD, submission.organisation_id)
    try:
        check_respondent_role(actor, submission, read)
        with _session(target, write=False) as session:
            refused = register.refusal(session, submission, actor)
            kind, other = _plan(session, submission, sha256, actor, read)
    except UploadRefused as refusal:
        outcome, _ = _rejection(
            data, filename, read, submission=submission, lang=lang, problem=refusal.problem
        )
        return replace(outcome, dry_run=True)
    if refused is not None:
        return IngestOutcome(
            kind=REJECTED,
            filename=filename,
            sha256=sha256,
            organisation_id=submission.organisation_id,
            year=submission.year,
            read=read,
            refusal=refused,
            dry_run=True,
            lang=lang,
        )
    other_id = other.id if other is not None else None
    return IngestOutcome(
        kind=kind,
        filename=filename,
        sha256=sha256,
        organisation_id=submission.organisation_id,
        year=submission.year,
        read=read,
        dry_run=True,
        lang=lang,
        submission_id=other_id if kind == DUPLICATE else None,
        superseded_id=other_id if kind == SUPERSEDED_EARLIER else None,
        existing_status=other.status if kind == DUPLICATE and other is not None else None,
    )


def preview_file(
    target: Store | Session, data: bytes, filename: str, actor: Actor, lang: str = "en"
) -> IngestOutcome:
    """What `ingest_file` would do with this file, without writing anything (for the upload page)."""
    return preview_read_result(target, data, filename, read_questionnaire(data, filename), actor, lang)
