"""Storing uploaded questionnaires: validated by the reader, kept whole, never silently replaced.

Each file is stored in one transaction together with its answers, the superseding of the
respondent's earlier file, the engine's recomputed result and the audit entry: a crash at
any moment leaves the submission entirely there or entirely absent. An identical file
(same sha256) is a reported no-op; a new file from the same respondent for the same
organisation and year supersedes the earlier one, which stays in the history and can be
restored. `preview_file` answers "what would saving do?" without writing anything.

Reading (the slow part) happens before the transaction, so a writer holds its lock only
for the inserts and the scoring.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from capacity import access
from capacity.access import Actor
from capacity.i18n import N_, Message, tn, translator
from capacity.questionnaire.reader import ReadResult, problems_as_rows, read_questionnaire
from capacity.questionnaire.submission import Submission
from capacity.roadmap import current_roadmap
from capacity.scoring import ScoringInputError
from capacity.store import audit
from capacity.store.assessments import (
    active_submission_of,
    find_assessment,
    get_or_create_assessment,
    insert_ignoring_conflicts,
    lock_organisation,
    recompute_assessment,
    respondent_key,
)
from capacity.store.db import Store
from capacity.store.models import (
    ACTIVE,
    DELETED,
    SUPERSEDED,
    Assessment,
    Organisation,
    ResponseRecord,
    SubmissionRecord,
    utcnow,
)

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
                len(self.errors),
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
            "errors": len(self.errors),
            "warnings": len(self.warnings),
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
        "errors": len(read.errors),
        "warnings": len(read.warnings),
        "problems": problems_as_rows(read, "en"),
    }


def _plan(session: Session, submission: Submission, sha256: str) -> tuple[str, SubmissionRecord | None]:
    """What storing would do: the outcome kind and the identical or superseded submission."""
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
    return (SUPERSEDED_EARLIER if earlier else STORED_NEW), earlier


def _update_organisation(session: Session, organisation: Organisation, submission: Submission) -> None:
    """The organisation's details follow its most recent assessment year, never an older file."""
    latest_year = session.scalar(
        select(Assessment.year)
        .where(Assessment.organisation_id == organisation.id)
        .order_by(Assessment.year.desc())
    )
    if latest_year is None or submission.year >= latest_year:
        organisation.name = submission.organisation_name
        organisation.type = submission.organisation_type
        organisation.country = submission.country
        organisation.region = submission.region
        organisation.updated_at = utcnow()


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
    insert_ignoring_conflicts(
        session,
        Organisation,
        {
            "id": submission.organisation_id,
            "name": submission.organisation_name,
            "type": submission.organisation_type,
            "country": submission.country,
            "region": submission.region,
            "created_at": now,
            "updated_at": now,
        },
    )
    organisation = lock_organisation(session, submission.organisation_id)
    assert organisation is not None
    kind, other = _plan(session, submission, sha256)
    common = {
        "filename": filename,
        "sha256": sha256,
        "organisation_id": submission.organisation_id,
        "year": submission.year,
        "read": read,
    }
    if kind == DUPLICATE:
        assert other is not None
        audit.record(
            session,
            actor,
            audit.SUBMISSION_DUPLICATE,
            submission.organisation_id,
            filename=filename,
            sha256=sha256,
            year=submission.year,
            submission_id=other.id,
        )
        return IngestOutcome(kind=DUPLICATE, submission_id=other.id, existing_status=other.status, **common)
    _update_organisation(session, organisation, submission)
    assessment = get_or_create_assessment(session, submission.organisation_id, submission.year)
    record = SubmissionRecord(
        assessment_id=assessment.id,
        sha256=sha256,
        filename=filename,
        content=data,
        size=len(data),
        uploaded_by=actor.username,
        uploaded_at=now,
        respondent_name=submission.respondent_name,
        respondent_role=submission.respondent_role,
        organisation_name=submission.organisation_name,
        organisation_type=submission.organisation_type,
        country=submission.country,
        region=submission.region,
        date_completed=submission.date_completed,
        language=submission.language,
        template_version=submission.template_version,
        framework_id=submission.framework_id,
        framework_version=submission.framework_version,
        roadmap_version=current_roadmap().version,
        notes=list(submission.notes),
        parse_result=_parse_summary(read),
        status=ACTIVE,
    )
    session.add(record)
    session.flush()
    session.execute(
        insert(ResponseRecord),
        [
            {
                "submission_id": record.id,
                "code": a.code,
                "level": a.level,
                "not_applicable": a.not_applicable,
                "evidence": a.evidence,
                "evidence_link": a.evidence_link,
            }
            for a in submission.answers.values()
        ],
    )
    if other is not None:
        other.status, other.superseded_by, other.status_changed_at = SUPERSEDED, record.id, now
    session.flush()
    recompute_assessment(session, assessment)
    audit.record(
        session,
        actor,
        audit.SUBMISSION_SUPERSEDED if other else audit.SUBMISSION_STORED,
        submission.organisation_id,
        filename=filename,
        sha256=sha256,
        year=submission.year,
        submission_id=record.id,
        superseded_id=other.id if other else None,
        respondent_role=submission.respondent_role,
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
    version) is refused, and nothing of it is stored.
    """
    access.require(actor, access.UPLOAD, submission.organisation_id)
    attempts = 2 if isinstance(target, Store) else 1
    for attempt in range(attempts):
        try:
            with _session(target, write=True) as session:
                return _store(session, submission, data, filename, actor, read)
        except ScoringInputError as refused:
            return _rejected(
                target, data, filename, actor, read, refusal=refused.message, submission=submission
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
) -> IngestOutcome:
    """Log the rejection (nothing else is written) and report it with the reasons."""
    access.require(actor, access.UPLOAD)
    sha256 = sha256_of(data)
    organisation_id = submission.organisation_id if submission else None
    year = submission.year if submission else None
    with _session(target, write=True) as session:
        audit.record(
            session,
            actor,
            audit.SUBMISSION_REJECTED,
            organisation_id,
            year=year,
            filename=filename,
            sha256=sha256,
            errors=len(read.errors) if read else 0,
            warnings=len(read.warnings) if read else 0,
            reason=refusal.render("en") if refusal else None,
        )
    return IngestOutcome(
        kind=REJECTED,
        filename=filename,
        sha256=sha256,
        organisation_id=organisation_id,
        year=year,
        read=read,
        refusal=refusal,
    )


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
    with _session(target, write=False) as session:
        kind, other = _plan(session, submission, sha256)
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
