"""The Administration page's tables and words, shaped from the library's records in the reader's language.

Kept apart from the page so that what an admin reads (an account's status, a role's name,
which questionnaires can be restored, which version a picker starts on) is decided once,
tested without a browser, and the page only draws it. Nothing here writes.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping

import pandas as pd

from capacity import sso, versions
from capacity.access import ROLE_LABELS
from capacity.accounts import Account
from capacity.i18n import N_, Message, format_date, translator
from capacity.store.ingest import STATUS_LABELS
from capacity.store.models import ACTIVE

DISABLED, LOCKED = "disabled", "locked"
ACCOUNT_STATUS_LABELS = {DISABLED: N_("disabled"), LOCKED: N_("locked"), ACTIVE: N_("active")}
NO_VALUE = "–"  # a bundled version has no one who added it and no date: a dash, not "None"

ACCOUNT_COLUMNS = {
    "username": N_("User name"),
    "display_name": N_("Name"),
    "role": N_("Role"),
    "organisations": N_("Organisations"),
    "status": N_("Status"),
    "created": N_("Created"),
}
RULE_COLUMNS = {
    "pattern": N_("Email or domain"),
    "role": N_("Role"),
    "organisations": N_("Organisations"),
    "created_by": N_("Written by"),
}
# Every column a table of questionnaires on the page may show (restorable, unverified), in their order.
SUBMISSION_COLUMNS = {
    "submission_id": N_("Submission"),
    "organisation_id": N_("Organisation"),
    "year": N_("Year"),
    "filename": N_("File"),
    "respondent_name": N_("Respondent"),
    "respondent_role": N_("Respondent role"),
    "uploaded_by": N_("Uploaded by"),
    "uploader_role": N_("Uploader's role"),
    "uploaded_at": N_("Uploaded (UTC)"),
    "status": N_("Status"),
}
RESTORE_COLUMNS = (
    "submission_id",
    "year",
    "filename",
    "respondent_name",
    "respondent_role",
    "uploaded_by",
    "uploaded_at",
    "status",
)
VERSION_COLUMNS = {
    "kind": N_("Kind"),
    "id": N_("ID"),
    "version": N_("Version"),
    "source": N_("Source"),
    "added_by": N_("Added by"),
    "added_at": N_("Added (UTC)"),
    "active": N_("Active"),
}
# Per kind: the label of its picker and of the button that activates the chosen version.
VERSION_LABELS = {
    versions.FRAMEWORK: (N_("Framework version"), N_("Activate this framework version")),
    versions.ROADMAP: (N_("Roadmap version"), N_("Activate this roadmap version")),
}


def role_label(role: str, lang: str) -> str:
    """A role's name; the single sign-on rule that keeps an email out reads as no access."""
    t = translator(lang)
    if role == sso.DENY:
        return t("no access (denied)")
    return t(ROLE_LABELS.get(role, role))


def organisation_label(organisations: Mapping[str, str], organisation_id: str) -> str:
    """'Name (ID)' for an organisation the store knows by name, the bare ID for one it does not."""
    name = organisations.get(organisation_id)
    return f"{name} ({organisation_id})" if name else organisation_id


def account_status(account: Account, now: dt.datetime) -> str:
    """DISABLED, LOCKED (waiting after failed sign-ins at `now`) or ACTIVE; disabled wins."""
    if account.disabled:
        return DISABLED
    if account.locked_until is not None and account.locked_until > now:
        return LOCKED
    return ACTIVE


def accounts_table(found: Iterable[Account], now: dt.datetime, lang: str) -> pd.DataFrame:
    """One row per account with its role and status in words (columns: ACCOUNT_COLUMNS)."""
    t = translator(lang)
    return pd.DataFrame(
        [
            {
                "username": a.username,
                "display_name": a.display_name,
                "role": role_label(a.role, lang),
                "organisations": ", ".join(a.organisations),
                "status": t(ACCOUNT_STATUS_LABELS[account_status(a, now)]),
                "created": format_date(a.created_at.date(), lang),
            }
            for a in found
        ]
    )


def rules_table(rules: Iterable[sso.Rule], lang: str) -> pd.DataFrame:
    """One row per single sign-on rule with its role in words (columns: RULE_COLUMNS)."""
    return pd.DataFrame(
        [
            {
                "pattern": r.pattern,
                "role": role_label(r.role, lang),
                "organisations": ", ".join(r.organisations),
                "created_by": r.created_by,
            }
            for r in rules
        ]
    )


def _status_words(statuses: pd.Series, lang: str) -> pd.Series:
    t = translator(lang)
    return statuses.map(lambda status: t(STATUS_LABELS.get(status, status)))


def restorable(history: pd.DataFrame) -> pd.DataFrame:
    """The questionnaires of an organisation's history that no longer count (replaced or deleted)."""
    return history[history["status"] != ACTIVE]


def restorable_table(found: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`restorable` questionnaires as the restore tab lists them: RESTORE_COLUMNS, status in words."""
    return found.assign(status=_status_words(found["status"], lang))[list(RESTORE_COLUMNS)]


def unverified_table(unverified: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Flagged evaluator files with the uploader's role and the status in words (a dash for no role)."""
    return unverified.assign(
        # pandas reads a missing role as NaN, which is true: test for missing before for empty
        uploader_role=unverified["uploader_role"].map(
            lambda r: NO_VALUE if pd.isna(r) or not r else role_label(r, lang)
        ),
        status=_status_words(unverified["status"], lang),
    )


def versions_table(listed: pd.DataFrame, lang: str) -> pd.DataFrame:
    """`versions.available_versions` in words: kind, bundled or added, which is active, when added."""
    t = translator(lang)
    return listed.assign(
        kind=listed["kind"].map(lambda kind: t(versions.KIND_LABELS[kind])),
        source=listed["source"].map(lambda source: t("added") if source == versions.ADDED else t("bundled")),
        active=listed["active"].map(lambda active: t("active") if active else ""),
        added_by=listed["added_by"].fillna(NO_VALUE),
        added_at=listed["added_at"].map(
            lambda when: NO_VALUE if pd.isna(when) else when.strftime("%Y-%m-%d %H:%M")
        ),
    )


def version_choices(listed: pd.DataFrame, kind: str) -> tuple[list[str], int]:
    """The versions of `kind` to pick from, and the index of the active one (the first when none is)."""
    of_kind = listed[listed["kind"] == kind]
    choices = of_kind["version"].tolist()
    active_now = of_kind[of_kind["active"]]["version"].tolist()
    return choices, choices.index(active_now[0]) if active_now else 0


def added_notice(added: versions.AddedDocument) -> Message:
    """What adding a version file did: added, or already there and nothing changed.

    A `Message`, so the page shows the version and ID from the file as plain text.
    """
    params = {"version": added.version, "id": added.id}
    if added.kind == versions.FRAMEWORK:
        if added.added:
            return Message(N_("Framework version {version} ({id}) added."), params)
        return Message(N_("Framework version {version} is already there; nothing changed."), params)
    if added.added:
        return Message(N_("Roadmap version {version} ({id}) added."), params)
    return Message(N_("Roadmap version {version} is already there; nothing changed."), params)
