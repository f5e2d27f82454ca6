"""The audit log as admins and evaluators read it: filtered, labelled, and exportable as safe CSV.

The log itself is written by every action in its own transaction (`capacity.store.audit`
for storage, `capacity.accounts` and `capacity.sso` for accounts). Here it is only read:
by action, user, organisation and date, newest first. The CSV neutralises every cell a
spreadsheet could run as a formula, because user names and details come from people
(a failed sign-in records whatever was typed as the user name).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import select

from capacity import access, accounts, api_tokens, sso, versions
from capacity.access import Actor
from capacity.i18n import N_, format_number, translator
from capacity.labels import AUDIT_LOG_FILE, file_name
from capacity.plans import actions as plan_actions
from capacity.plans import report as plan_report
from capacity.questionnaire.layout import RESPONDENT_ROLES
from capacity.rounds import register, rounds
from capacity.store import audit
from capacity.store.db import Store
from capacity.store.models import AuditEntry
from capacity.upload import neutralise

DEFAULT_LIMIT = 5000
COLUMNS = ("at", "actor", "action", "organisation_id", "detail")
SHOWN_DIGEST = 12  # characters of a SHA-256 shown on the page (the CSV keeps all 64)

# The words of each detail an entry may carry (what `audit.record` is given, by every module).
DETAIL_LABELS: dict[str, str] = {
    "action_id": N_("Plan action"),
    "actions": N_("Actions"),
    "backup_created_at": N_("Backup made on"),
    "changes": N_("Changes"),
    "client": N_("Network address"),
    "code": N_("Indicator"),
    "count": N_("Count"),
    "deadline": N_("Deadline"),
    "due_date": N_("Due date"),
    "email_verified": N_("Email verified"),
    "errors": N_("Errors"),
    "expected": N_("Organisations expected"),
    "expires_days": N_("Expires after (days)"),
    "failures": N_("Failed attempts"),
    "filename": N_("File"),
    "format": N_("Format"),
    "id": N_("Identifier"),
    "kind": N_("Kind"),
    "level": N_("Level"),
    "method": N_("Sign-in method"),
    "minutes": N_("Minutes"),
    "name": N_("Name"),
    "not_applicable": N_("N/A"),
    "note_id": N_("Note"),
    "organisations": N_("Organisations"),
    "path": N_("Path"),
    "pattern": N_("Email pattern"),
    "previous": N_("Before"),
    "previous_organisations": N_("Organisations before"),
    "previous_role": N_("Role before"),
    "previous_status": N_("Status before"),
    "query": N_("Query"),
    "reason": N_("Reason"),
    "respondent_role": N_("Respondent role"),
    "review_id": N_("Review"),
    "role": N_("Role"),
    "rows": N_("Rows"),
    "setting": N_("Setting"),
    "sha256": N_("SHA-256"),
    "source": N_("Source"),
    "status": N_("Status"),
    "submission": N_("Submission"),
    "submission_id": N_("Submission"),
    "superseded_id": N_("Replaces submission"),
    "tables": N_("Tables"),
    "target_level": N_("Target level"),
    "token": N_("API token"),
    "type": N_("Type"),
    "uploaded_by": N_("Uploaded by"),
    "username": N_("User"),
    "value": N_("Value"),
    "version": N_("Version"),
    "warnings": N_("Warnings"),
    "year": N_("Year"),
}
# Details whose values are codes, and those codes in words (sign-in refusals, how one signed in,
# statuses, roles); a user name such as "admin" in another detail stays as it is.
CODED_DETAILS = frozenset(
    {"reason", "method", "status", "previous_status", "role", "previous_role", "respondent_role"}
)
VALUE_LABELS: dict[str, str] = {
    "wrong_password": N_("wrong password"),
    "unknown_user": N_("unknown user name"),
    "disabled": N_("account disabled"),
    "client_delay": N_("too many failed sign-ins from this network"),
    "account_delay": N_("too many failed sign-ins for this user name"),
    accounts.PASSWORD: N_("password"),
    accounts.SSO: N_("single sign-on"),
    "active": N_("active"),
    "superseded": N_("superseded"),
    "deleted": N_("deleted"),
    **access.ROLE_LABELS,
    **RESPONDENT_ROLES,
}

ACTION_LABELS: dict[str, str] = {
    audit.SUBMISSION_STORED: N_("Questionnaire stored"),
    audit.SUBMISSION_SUPERSEDED: N_("Questionnaire replaced an earlier one"),
    audit.SUBMISSION_DUPLICATE: N_("Identical questionnaire uploaded again"),
    audit.SUBMISSION_REJECTED: N_("Questionnaire rejected"),
    audit.SUBMISSION_RESTORED: N_("Earlier questionnaire restored"),
    audit.SUBMISSION_DELETED: N_("Questionnaire deleted"),
    audit.SUBMISSION_PURGED: N_("Questionnaire erased"),
    audit.SUBMISSION_DEMOTED: N_("Evaluator questionnaire demoted to a self-assessment"),
    audit.REVIEW_RECORDED: N_("Evaluator review recorded"),
    audit.RESULTS_RECOMPUTED: N_("Results recomputed"),
    audit.BACKUP_CREATED: N_("Backup written"),
    audit.BACKUP_RESTORED: N_("Backup restored"),
    audit.SCORECARD_EXPORTED: N_("Scorecard exported"),
    audit.SCORECARDS_EXPORTED: N_("Batch of scorecards exported"),
    audit.DATASET_EXPORTED: N_("Dataset exported"),
    audit.ORIGINAL_DOWNLOADED: N_("Original questionnaire downloaded"),
    accounts.SIGNED_IN: N_("Signed in"),
    accounts.SIGN_IN_FAILED: N_("Failed sign-in"),
    accounts.SIGNED_OUT: N_("Signed out"),
    accounts.ACCOUNT_LOCKED: N_("Account locked"),
    accounts.USER_CREATED: N_("Account created"),
    accounts.USER_DISABLED: N_("Account disabled"),
    accounts.USER_ENABLED: N_("Account enabled"),
    accounts.ROLE_CHANGED: N_("Role changed"),
    accounts.PASSWORD_RESET: N_("Password reset"),
    accounts.PASSWORD_CHANGED: N_("Password changed"),
    sso.SSO_RULE_SAVED: N_("Single sign-on rule saved"),
    sso.SSO_RULE_DELETED: N_("Single sign-on rule removed"),
    sso.SSO_REFUSED: N_("Single sign-on refused"),
    versions.VERSION_ADDED: N_("Version added"),
    versions.VERSION_ACTIVATED: N_("Version activated"),
    api_tokens.TOKEN_CREATED: N_("API token created"),
    api_tokens.TOKEN_REVOKED: N_("API token revoked"),
    api_tokens.API_READ: N_("Read through the API"),
    register.ORGANISATION_ADDED: N_("Organisation added to the register"),
    register.ORGANISATION_UPDATED: N_("Organisation changed in the register"),
    register.ORGANISATION_ARCHIVED: N_("Organisation archived"),
    register.ORGANISATION_RESTORED: N_("Organisation made active again"),
    register.SETTING_CHANGED: N_("Setting changed"),
    rounds.ROUND_OPENED: N_("Round opened"),
    rounds.ROUND_CLOSED: N_("Round closed"),
    rounds.MARKED_SUBMITTED: N_("Self-assessment marked complete"),
    rounds.SIGNED_OFF: N_("Assessment signed off"),
    rounds.REOPENED: N_("Assessment sent back"),
    plan_actions.PLAN_ACTION_ADDED: N_("Plan action added"),
    plan_actions.PLAN_ACTION_UPDATED: N_("Plan action updated"),
    plan_actions.PLAN_NOTE_ADDED: N_("Plan note added"),
    plan_report.PLAN_EXPORTED: N_("Plan exported"),
}


def action_label(action: str, lang: str) -> str:
    """The readable name of an action; actions added later by other modules show their code."""
    msgid = ACTION_LABELS.get(action)
    return translator(lang)(msgid) if msgid else action


@dataclass(frozen=True)
class AuditFilter:
    """What to show; None or empty means no restriction. Dates are whole UTC days, both included."""

    actions: tuple[str, ...] = ()
    users: tuple[str, ...] = ()
    organisation_id: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def _value_words(key: str, value: Any, lang: str) -> str:
    """One detail's value as a person reads it: codes in words, lists joined, changes as before → after."""
    t = translator(lang)
    if isinstance(value, bool):
        return t("yes") if value else t("no")
    if isinstance(value, float):
        return format_number(value, lang, 1)
    if isinstance(value, dict):  # changes: {field: [before, after]}; an API query: {parameter: value}
        return "; ".join(f"{_label(f, lang)}: {_change_words(f, item, lang)}" for f, item in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(_value_words(key, item, lang) for item in value) or "–"
    if value is None or value == "":
        return "–"
    text = str(value)
    return t(VALUE_LABELS[text]) if key in CODED_DETAILS and text in VALUE_LABELS else text


def _change_words(field: str, value: Any, lang: str) -> str:
    """A changed field's [before, after] as `before → after`; any other value as itself."""
    if isinstance(value, list | tuple) and len(value) == 2:
        return f"{_value_words(field, value[0], lang)} → {_value_words(field, value[1], lang)}"
    return _value_words(field, value, lang)


def _label(key: str, lang: str) -> str:
    return translator(lang)(DETAIL_LABELS[key]) if key in DETAIL_LABELS else key.replace("_", " ")


def detail_words(detail: Mapping[str, Any] | None, lang: str) -> str:
    """An entry's details in words, e.g. `Year: 2026 · Indicator: IC.1 · Level: 1 · N/A: no`.

    Empty values are left out; a SHA-256 comes last, cut to its first characters (the CSV keeps it
    whole).
    """
    parts = []
    # The digest is for whoever compares files; it comes last, after what a person reads first.
    ordered = sorted((detail or {}).items(), key=lambda item: item[0] == "sha256")
    for key, value in ordered:
        if value is None or value == "" or value == [] or value == {}:
            continue
        if key == "sha256" and isinstance(value, str):
            value = value[:SHOWN_DIGEST] + "…"
        parts.append(f"{_label(key, lang)}: {_value_words(key, value, lang)}")
    return " · ".join(parts)


def _day_start(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), tzinfo=dt.UTC)


def audit_entries(
    store: Store, actor: Actor, chosen: AuditFilter = AuditFilter(), limit: int = DEFAULT_LIMIT
) -> pd.DataFrame:
    """The entries matching `chosen`, newest first, at most `limit` of them; `detail` as JSON text,
    `data` as the stored details themselves."""
    access.require(actor, access.VIEW_AUDIT)
    statement = (
        select(
            AuditEntry.at, AuditEntry.actor, AuditEntry.action, AuditEntry.organisation_id, AuditEntry.detail
        )
        .order_by(AuditEntry.id.desc())
        .limit(limit)
    )
    if chosen.actions:
        statement = statement.where(AuditEntry.action.in_(chosen.actions))
    if chosen.users:
        statement = statement.where(AuditEntry.actor.in_(chosen.users))
    if chosen.organisation_id:
        statement = statement.where(AuditEntry.organisation_id == chosen.organisation_id)
    if chosen.since:
        statement = statement.where(AuditEntry.at >= _day_start(chosen.since))
    if chosen.until:
        statement = statement.where(AuditEntry.at < _day_start(chosen.until + dt.timedelta(days=1)))
    with store.read() as session:
        rows = session.execute(statement).all()
    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["data"] = [detail or {} for detail in frame["detail"]]
    frame["detail"] = [
        json.dumps(detail or {}, ensure_ascii=False, sort_keys=True, default=str)
        for detail in frame["detail"]
    ]
    return frame


def readable(entries: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The entries with what the page shows: the action and the details in words, no organisation as ""."""
    return entries.assign(
        action_text=entries["action"].map(lambda action: action_label(action, lang)),
        details=[detail_words(data, lang) for data in entries["data"]],
        organisation_id=entries["organisation_id"].fillna(""),
    )


@dataclass(frozen=True)
class AuditChoices:
    """The values the filters can offer: those present in the log."""

    actions: list[str]
    users: list[str]
    organisations: list[str]


def audit_choices(store: Store, actor: Actor) -> AuditChoices:
    access.require(actor, access.VIEW_AUDIT)
    with store.read() as session:

        def values(column) -> list[str]:
            return sorted(v for v in session.scalars(select(column).distinct()) if v)

        return AuditChoices(
            values(AuditEntry.action), values(AuditEntry.actor), values(AuditEntry.organisation_id)
        )


def audit_csv(frame: pd.DataFrame, lang: str) -> bytes:
    """The entries as CSV (UTF-8 with a BOM for Excel), every text cell neutralised against formulas.

    The details come twice: in words, as the page shows them, and as the stored JSON (whole
    digests included) for whoever checks the log by program.
    """
    t = translator(lang)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(
        [
            t("When (UTC)"),
            t("User"),
            t("Action"),
            t("Action code"),
            t("Organisation"),
            t("Details"),
            t("Details (JSON)"),
        ]
    )
    data = frame["data"] if "data" in frame else [json.loads(text or "{}") for text in frame["detail"]]
    for row, details in zip(frame.itertuples(index=False), data, strict=True):
        writer.writerow(
            [
                row.at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),
                *(
                    neutralise(str(value or ""))
                    for value in (
                        row.actor,
                        action_label(row.action, lang),
                        row.action,
                        row.organisation_id,
                        detail_words(details, lang),
                        row.detail,
                    )
                ),
            ]
        )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def audit_filename(now: dt.datetime | None = None, lang: str = "en") -> str:
    """e.g. audit-log_2026-03-31-1405.csv, in the reader's language."""
    moment = (now or dt.datetime.now(dt.UTC)).strftime("%Y-%m-%d-%H%M")
    return file_name(AUDIT_LOG_FILE, lang, moment, extension="csv")


def known_actions(present: Iterable[str]) -> list[str]:
    """Every labelled action plus any other present in the log, in a stable order."""
    return sorted(set(ACTION_LABELS) | set(present))
