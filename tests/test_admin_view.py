"""The Administration page's tables and words (`capacity.admin_view`), without a browser."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from capacity import admin_view, sso, versions
from capacity.access import ADMIN, MANAGER, ROLE_LABELS
from capacity.accounts import Account
from capacity.i18n import LANGUAGES, translator
from capacity.store.ingest import STATUS_LABELS
from capacity.store.models import ACTIVE, DELETED, SUPERSEDED

NOW = dt.datetime(2026, 5, 1, 12, 0, tzinfo=dt.UTC)


def account(username: str = "ana", **changes) -> Account:
    values = {
        "username": username,
        "display_name": "Ana",
        "role": MANAGER,
        "organisations": ("ORG-1", "ORG-2"),
        "disabled": False,
        "locked_until": None,
        "failed_attempts": 0,
        "created_at": dt.datetime(2026, 1, 2, 9, 30, tzinfo=dt.UTC),
    }
    return Account(**(values | changes))


@pytest.mark.parametrize("lang", LANGUAGES)
def test_a_role_reads_as_its_name_and_the_deny_rule_as_no_access(lang: str) -> None:
    t = translator(lang)
    assert admin_view.role_label(ADMIN, lang) == t(ROLE_LABELS[ADMIN])
    assert admin_view.role_label(sso.DENY, lang) == t("no access (denied)")
    assert admin_view.role_label("unknown-role", lang) == "unknown-role"


def test_an_organisation_reads_as_name_and_id_or_its_bare_id() -> None:
    known = {"ORG-1": "Red Crescent"}
    assert admin_view.organisation_label(known, "ORG-1") == "Red Crescent (ORG-1)"
    assert admin_view.organisation_label(known, "ORG-9") == "ORG-9"  # typed in, not uploaded yet


def test_disabled_wins_over_locked_and_a_past_lock_is_active() -> None:
    later, earlier = NOW + dt.timedelta(minutes=5), NOW - dt.timedelta(minutes=5)
    assert admin_view.account_status(account(disabled=True, locked_until=later), NOW) == admin_view.DISABLED
    assert admin_view.account_status(account(locked_until=later), NOW) == admin_view.LOCKED
    assert admin_view.account_status(account(locked_until=earlier), NOW) == ACTIVE
    assert admin_view.account_status(account(), NOW) == ACTIVE


@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_accounts_table_has_the_labelled_columns_in_words(lang: str) -> None:
    t = translator(lang)
    table = admin_view.accounts_table(
        [account(), account("bo", role=ADMIN, organisations=(), disabled=True)], NOW, lang
    )
    assert list(table.columns) == list(admin_view.ACCOUNT_COLUMNS)
    assert table["organisations"].tolist() == ["ORG-1, ORG-2", ""]
    assert table["role"].tolist() == [t(ROLE_LABELS[MANAGER]), t(ROLE_LABELS[ADMIN])]
    assert table["status"].tolist() == [t("active"), t("disabled")]


def test_the_rules_table_names_the_denying_rule() -> None:
    rules = [
        sso.Rule("*@ngo.org", MANAGER, ("ORG-1",), "admin", NOW),
        sso.Rule("eve@ngo.org", sso.DENY, (), "admin", NOW),
    ]
    table = admin_view.rules_table(rules, "en")
    assert list(table.columns) == list(admin_view.RULE_COLUMNS)
    assert table["role"].tolist() == ["Manager", "no access (denied)"]


def history() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "submission_id": [1, 2, 3],
            "year": [2025, 2025, 2025],
            "filename": ["a.xlsx", "b.xlsx", "c.xlsx"],
            "sha256": ["x", "y", "z"],
            "respondent_name": ["Ayşe", "Ayşe", "Emre"],
            "respondent_role": ["self", "self", "evaluator"],
            "uploaded_by": ["ana", "ana", "eva"],
            "uploaded_at": [NOW, NOW, NOW],
            "status": [SUPERSEDED, ACTIVE, DELETED],
        }
    )


@pytest.mark.parametrize("lang", LANGUAGES)
def test_only_questionnaires_no_longer_counted_are_restorable_with_their_status_in_words(lang: str) -> None:
    found = admin_view.restorable(history())
    assert found["submission_id"].tolist() == [1, 3]
    table = admin_view.restorable_table(found, lang)
    assert list(table.columns) == list(admin_view.RESTORE_COLUMNS)
    t = translator(lang)
    assert table["status"].tolist() == [t(STATUS_LABELS[SUPERSEDED]), t(STATUS_LABELS[DELETED])]
    assert set(table.columns) <= set(admin_view.SUBMISSION_COLUMNS)  # every column has its heading


def test_an_unverified_file_without_an_uploader_role_shows_a_dash() -> None:
    # as the store's query gives it: pandas reads the missing role as NaN, not None
    unverified = pd.DataFrame(
        [(7, MANAGER, ACTIVE), (8, None, SUPERSEDED), (9, "", ACTIVE)],
        columns=["submission_id", "uploader_role", "status"],
    )
    table = admin_view.unverified_table(unverified, "en")
    assert table["uploader_role"].tolist() == ["Manager", admin_view.NO_VALUE, admin_view.NO_VALUE]
    assert table["status"].tolist() == [STATUS_LABELS[s] for s in (ACTIVE, SUPERSEDED, ACTIVE)]


def listed() -> pd.DataFrame:
    added_at = pd.Timestamp("2026-03-04 05:06:07", tz="UTC")
    return pd.DataFrame(
        {
            "kind": [versions.FRAMEWORK, versions.ROADMAP, versions.ROADMAP],
            "id": ["hd", "road", "road"],
            "version": ["1.0.0", "1.0.0", "2.0.0"],
            "source": ["bundled", "bundled", versions.ADDED],
            "added_by": [None, None, "admin"],
            "added_at": [pd.NaT, pd.NaT, added_at],
            "active": [True, False, True],
        }
    )


def test_the_versions_table_gives_bundled_versions_dashes_and_marks_the_active_ones() -> None:
    table = admin_view.versions_table(listed(), "en")
    assert table["kind"].tolist() == ["Framework", "Roadmap", "Roadmap"]
    assert table["source"].tolist() == ["bundled", "bundled", "added"]
    assert table["active"].tolist() == ["active", "", "active"]
    assert table["added_by"].tolist() == ["–", "–", "admin"]
    assert table["added_at"].tolist() == ["–", "–", "2026-03-04 05:06"]
    assert set(admin_view.VERSION_COLUMNS) == set(table.columns)


def test_a_version_picker_starts_on_the_active_version_else_the_first() -> None:
    assert admin_view.version_choices(listed(), versions.ROADMAP) == (["1.0.0", "2.0.0"], 1)
    assert admin_view.version_choices(listed(), versions.FRAMEWORK) == (["1.0.0"], 0)
    none_active = listed().assign(active=False)
    assert admin_view.version_choices(none_active, versions.ROADMAP) == (["1.0.0", "2.0.0"], 0)


@pytest.mark.parametrize("kind", versions.KINDS)
@pytest.mark.parametrize("added", [True, False])
def test_adding_a_version_says_what_it_did(kind: str, added: bool) -> None:
    message = admin_view.added_notice(versions.AddedDocument(kind, "road*map", "2.0_0", added))
    text = message.render("en")
    assert text.startswith("Framework" if kind == versions.FRAMEWORK else "Roadmap")
    assert ("added" in text) is added and ("nothing changed" in text) is not added
    assert message.params == {"version": "2.0_0", "id": "road*map"}  # plain text is the page's part


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_heading_and_label_is_translated(lang: str) -> None:
    if lang == "en":
        return
    t = translator(lang)
    msgids = [
        *admin_view.ACCOUNT_COLUMNS.values(),
        *admin_view.RULE_COLUMNS.values(),
        *admin_view.SUBMISSION_COLUMNS.values(),
        *admin_view.VERSION_COLUMNS.values(),
        *admin_view.ACCOUNT_STATUS_LABELS.values(),
        *(label for pair in admin_view.VERSION_LABELS.values() for label in pair),
    ]
    assert [m for m in msgids if t(m) == m] == []
