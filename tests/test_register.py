"""The organisation register: kept by admins, checked by both ingestion paths, named by it everywhere."""

from __future__ import annotations

import pytest

from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.accounts import add_user
from capacity.questionnaire.reader import read_questionnaire
from capacity.rounds import register
from capacity.store import queries
from capacity.store.errors import StoreError
from capacity.store.ingest import REJECTED, STORED_NEW, ingest_files, ingest_submission
from capacity.store.models import AuditEntry, Organisation
from tests.store_support import make_submission, questionnaire

pytestmark = pytest.mark.register_default


def _count(store, model) -> int:
    with store.read() as session:
        return session.query(model).count()


def test_a_file_for_an_unknown_id_is_refused_naming_it_on_both_paths(store) -> None:
    submission = make_submission("ORG-404")
    one = ingest_submission(store, submission, b"one", "one.xlsx", CLI_ADMIN)
    data = questionnaire(make_submission("ORG-405"))
    (batched,) = ingest_files(store, [(data, "two.xlsx", read_questionnaire(data, "two.xlsx"))], CLI_ADMIN)

    assert one.kind == REJECTED and "ORG-404" in one.message("en") and "register" in one.message("en")
    assert batched.kind == REJECTED and "ORG-405" in batched.message("en")
    assert "ORG-405" in batched.message("tr")
    assert _count(store, Organisation) == 0
    with store.read() as session:
        rejected = session.query(AuditEntry).filter(AuditEntry.action == "submission_rejected").count()
    assert rejected == 2


def test_registered_organisations_are_stored_under_the_register_name(store) -> None:
    register.add_organisation(store, CLI_ADMIN, "ORG-001", "Aurora Relief", "ngo", "Türkiye", "Europe")
    renamed = make_submission("ORG-001", organisation_name="Aurora Relief Society (old name)")
    assert register.name_mismatch(store, renamed) is not None
    assert (
        register.name_mismatch(store, make_submission("ORG-001", organisation_name="aurora relief")) is None
    )

    outcome = ingest_submission(store, renamed, b"x", "x.xlsx", CLI_ADMIN)

    assert outcome.kind == STORED_NEW
    portfolio = queries.portfolio(store, CLI_ADMIN)
    assert portfolio.set_index("organisation_id").loc["ORG-001", "organisation_name"] == "Aurora Relief"


def test_create_on_first_upload_is_off_until_an_admin_allows_it(store) -> None:
    assert register.allows_create_on_first_upload(store) is False
    with pytest.raises(AccessDenied):
        register.set_create_on_first_upload(store, Actor("eva", EVALUATOR), True)
    register.set_create_on_first_upload(store, CLI_ADMIN, True)

    outcome = ingest_submission(store, make_submission("ORG-NEW"), b"new", "new.xlsx", CLI_ADMIN)

    assert outcome.kind == STORED_NEW
    (entry,) = register.list_organisations(store, CLI_ADMIN)
    assert (entry.id, entry.name, entry.archived) == ("ORG-NEW", "Organisation ORG-NEW", False)


def test_admins_add_update_and_archive_with_an_audit_entry_each(store) -> None:
    register.add_organisation(store, CLI_ADMIN, "ORG-001", "Aurora")
    with pytest.raises(StoreError, match="already in the register"):
        register.add_organisation(store, CLI_ADMIN, "ORG-001", "Again")
    with pytest.raises(StoreError, match="type"):
        register.add_organisation(store, CLI_ADMIN, "ORG-002", "Bad", "spaceship")
    register.update_organisation(store, CLI_ADMIN, "ORG-001", name="Aurora Relief", region="Europe")
    archived = register.set_archived(store, CLI_ADMIN, "ORG-001")
    add_user(store, CLI_ADMIN, "ayse@ngo.example", MANAGER, ["ORG-001"])

    (entry,) = register.list_organisations(store, CLI_ADMIN)
    assert archived.archived and entry.name == "Aurora Relief" and entry.region == "Europe"
    assert entry.managers == ("ayse@ngo.example",)
    assert register.list_organisations(store, CLI_ADMIN, include_archived=False) == []
    with store.read() as session:
        actions = [row.action for row in session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions[:3] == [
        register.ORGANISATION_ADDED,
        register.ORGANISATION_UPDATED,
        register.ORGANISATION_ARCHIVED,
    ]


@pytest.mark.parametrize("role", [MANAGER, BOARD, EVALUATOR])
def test_only_admins_keep_the_register(store, role) -> None:
    actor = Actor("someone", role, frozenset({"ORG-001"}))
    with pytest.raises(AccessDenied):
        register.add_organisation(store, actor, "ORG-001", "Aurora")
    register.add_organisation(store, Actor("ada", ADMIN), "ORG-001", "Aurora")
    with pytest.raises(AccessDenied):
        register.update_organisation(store, actor, "ORG-001", name="Mine now")
    with pytest.raises(AccessDenied):
        register.set_archived(store, actor, "ORG-001")


def test_a_manager_lists_only_their_own_organisations(store) -> None:
    for key in ("ORG-001", "ORG-002"):
        register.add_organisation(store, CLI_ADMIN, key, key)
    mine = register.list_organisations(store, Actor("m", MANAGER, frozenset({"ORG-002"})))
    assert [entry.id for entry in mine] == ["ORG-002"]


def test_the_upload_check_refuses_an_unknown_id_and_notes_a_differing_name(store) -> None:
    from capacity.upload import check_file

    unknown = check_file("x.xlsx", questionnaire(make_submission("ORG-404")), store, CLI_ADMIN, "en")
    assert not unknown.accepted and any("ORG-404" in p.message.render("en") for p in unknown.errors)

    register.add_organisation(store, CLI_ADMIN, "ORG-001", "Aurora Relief")
    renamed = make_submission("ORG-001", organisation_name="Aurora (as typed)")
    report = check_file("y.xlsx", questionnaire(renamed), store, CLI_ADMIN, "tr")
    assert report.accepted
    assert [note.render("en") for note in report.notes] == [
        "The file names ORG-001 “Aurora (as typed)”; the register's name “Aurora Relief” is used."
    ]
