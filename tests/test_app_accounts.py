"""AppTest of sign-in, sign-out and the pages of this issue: every page behind sign-in, roles on screen.

AppTest runs the app in this process, so the cheap argon2 parameters set here apply to
the sign-ins the form makes.
"""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from capacity import accounts
from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER, Actor
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF
from capacity.store import open_store, queries
from capacity.store.ingest import ingest_submission
from capacity.store.models import ACTIVE, AuditEntry, LoginSession, SubmissionRecord
from tests.apptest import open_page, open_signed_out
from tests.store_support import make_submission
from ui.session import SESSION_KEY

ADMIN_PAGE, AUDIT_PAGE, OVERVIEW = "views/admin.py", "views/audit.py", "views/overview.py"


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.delenv("CAPACITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAPACITY_DATA_DIR", str(tmp_path))
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts._dummy_hash.cache_clear()
    store = open_store()
    yield store
    store.close()


def texts(at) -> str:
    kinds = (at.title, at.markdown, at.caption, at.info, at.error, at.success, at.warning)
    parts = [e.value for kind in kinds for e in kind]
    return " ".join(str(part) for part in parts)


def test_nobody_signed_in_sees_only_the_sign_in_form_on_any_page() -> None:
    for page in (None, "views/profile.py", ADMIN_PAGE, "views/framework.py"):
        at = open_signed_out(page)
        assert at.title[0].value == "Sign in", page
        assert [field.label for field in at.text_input] == ["User name", "Password"]
        assert "Signed in as" not in texts(at)
        assert "There is no account yet" in texts(at)  # a fresh database says how to get one


def test_the_form_signs_in_and_out_and_says_nothing_about_which_part_was_wrong(database) -> None:
    made = accounts.add_user(database, CLI_ADMIN, "eva", EVALUATOR, display_name="Eva Yılmaz")
    at = open_signed_out()
    at.text_input(key="sign_in_username").input("eva")
    at.text_input(key="sign_in_password").input("wrong password")
    at.button[0].click().run()
    assert [e.value for e in at.error] == ["The user name or password is not correct."]
    at.text_input(key="sign_in_password").input(made.password)
    at.button[0].click().run()
    assert not at.exception
    assert at.title[0].value == "Portfolio overview"
    assert "Signed in as **Eva Yılmaz**" in texts(at) and "Evaluator" in texts(at)
    at.button(key="sign_out").click().run()
    assert at.title[0].value == "Sign in"
    assert SESSION_KEY not in at.session_state
    with database.read() as session:
        actions = list(
            session.scalars(
                select(AuditEntry.action).where(AuditEntry.actor == "eva").order_by(AuditEntry.id)
            )
        )
    assert actions == [accounts.SIGN_IN_FAILED, accounts.SIGNED_IN, accounts.SIGNED_OUT]


def test_an_expired_session_and_a_disabled_account_end_at_the_next_run(database) -> None:
    at = open_page(OVERVIEW, role=BOARD)
    record = at.session_state[SESSION_KEY]
    with database.write() as session:  # the server-side session began 25 hours ago
        session.execute(
            update(LoginSession)
            .where(LoginSession.id == record.id)
            .values(issued_at=record.issued_at - dt.timedelta(hours=25))
        )
    at.run()
    assert at.title[0].value == "Sign in" and "Your session has ended" in texts(at)

    at = open_page(OVERVIEW, role=BOARD)
    assert at.title[0].value == "Portfolio overview"
    accounts.set_disabled(database, CLI_ADMIN, "board-test")
    at.run()
    assert at.title[0].value == "Sign in"


REFUSED = [
    (MANAGER, ADMIN_PAGE),
    (BOARD, ADMIN_PAGE),
    (EVALUATOR, ADMIN_PAGE),
    (MANAGER, AUDIT_PAGE),
    (BOARD, AUDIT_PAGE),
]


@pytest.mark.parametrize(("role", "page"), REFUSED)
def test_pages_for_other_roles_refuse_clearly(role, page) -> None:
    at = open_page(page, role=role, organisations=["ORG-1"] if role == MANAGER else ())
    assert [e.value for e in at.error] == ["Your role does not allow this action."]
    assert not at.dataframe and not at.title


def test_an_admin_adds_an_account_and_sees_its_password_once(database) -> None:
    at = open_page(ADMIN_PAGE, role=ADMIN)
    assert at.title[0].value == "Administration"
    assert list(at.dataframe[0].value["username"]) == ["admin-test"]
    at.text_input(key="admin_new_username").input("mira")
    at.selectbox(key="admin_new_role").select(MANAGER)
    at.multiselect(key="admin_new_organisations").select("ORG-9")
    at.button[0].click().run()  # the form's submit button comes first
    assert not at.exception and not at.error
    password = at.code[0].value
    signed_in = accounts.sign_in(database, "mira", password, "t").actor
    assert signed_in == Actor("mira", MANAGER, frozenset({"ORG-9"}))
    at.run()
    assert not at.code  # shown on the run that made it, never again
    assert "mira" in list(at.dataframe[0].value["username"])


def test_an_admin_restores_a_replaced_questionnaire(database) -> None:
    for seed in (1, 2):  # the same respondent twice: the first file is superseded
        submission = make_submission("ORG-1", 2025, "Ayşe Demir", seed=seed)
        ingest_submission(database, submission, f"file-{seed}".encode(), f"{seed}.xlsx", CLI_ADMIN)
    at = open_page(ADMIN_PAGE, role=ADMIN)
    assert at.selectbox(key="admin_restore_submission").value == 1
    at.button(key="admin_restore_button").click().run()
    assert not at.exception and "Submission 1 counts again for 2025." in texts(at)
    statuses = queries.submissions(database, CLI_ADMIN, "ORG-1").set_index("submission_id")["status"]
    assert statuses[1] == ACTIVE and statuses[2] != ACTIVE


def test_the_audit_page_filters_and_offers_the_csv(database) -> None:
    accounts.add_user(database, CLI_ADMIN, "ana", BOARD)
    accounts.sign_in(database, "ana", "wrong", "t")
    at = open_page(AUDIT_PAGE, role=EVALUATOR)
    assert at.title[0].value == "Audit log"
    shown = at.dataframe[0].value
    assert set(shown["action_text"]) >= {"Account created", "Failed sign-in"}
    at.multiselect(key="audit_actions").select(accounts.SIGN_IN_FAILED).run()
    assert list(at.dataframe[0].value["actor"]) == ["ana"]
    download = at.get("download_button")[0]
    assert download.proto.label == "Download as CSV"


def test_each_role_finds_exactly_its_pages_in_the_menu() -> None:
    from ui.navigation import PAGES, shown_to

    dashboards = {"overview", "profile", "benchmark", "roadmap", "framework", "rounds"}
    expected = {
        MANAGER: dashboards | {"upload", "scorecards"},
        BOARD: dashboards,
        EVALUATOR: dashboards | {"upload", "scorecards", "audit"},
        ADMIN: {spec.url_path for spec in PAGES},
    }
    for role, pages in expected.items():
        actor = Actor(f"{role}-x", role, frozenset({"ORG-1"}) if role == MANAGER else frozenset())
        assert {spec.url_path for spec in PAGES if shown_to(actor, spec)} == pages, role
    assert not any(shown_to(None, spec) for spec in PAGES)  # nobody signed in: no menu at all


def test_an_admin_demotes_unverified_evaluator_questionnaires_in_one_action(database) -> None:
    """Issue 15: files a manager stored as an evaluator's before the rule are listed, then demoted."""
    forged = [
        ingest_submission(
            database,
            make_submission("ORG-1", 2025, name, role=ROLE_EVALUATOR),
            name.encode(),
            "f.xlsx",
            CLI_ADMIN,
        ).submission_id
        for name in ("Dr Fake", "Dr Other")
    ]
    with database.write() as session:  # what migration 0006 does to files a manager stored so
        for submission_id in forged:
            session.get(SubmissionRecord, submission_id).evaluator_unverified = True
    at = open_page(ADMIN_PAGE, role=ADMIN)
    assert "2 questionnaires count as an evaluator's" in texts(at)
    listed = next(frame.value for frame in at.dataframe if "uploader_role" in frame.value.columns)
    assert sorted(listed["submission_id"]) == forged
    at.button(key="admin_demote_button").click().run()
    assert not at.exception and "2 questionnaires are now self-assessments" in texts(at)
    assert "Nothing to check" in texts(at) and "count as an evaluator's" not in texts(at)
    roles = queries.submissions(database, CLI_ADMIN, "ORG-1")["respondent_role"]
    assert set(roles) == {ROLE_SELF}
    with database.read() as session:
        demoted = session.scalars(select(AuditEntry).where(AuditEntry.action == "submission_demoted")).all()
    assert sorted(e.detail["submission_id"] for e in demoted) == forged
    assert {e.actor for e in demoted} == {"admin-test"}
