"""AppTest of the Rounds page: a manager's checklist and submit, an evaluator's sign-off, a board's funnel."""

from __future__ import annotations

import datetime as dt

import pytest

from capacity.access import BOARD, CLI_ADMIN, EVALUATOR, MANAGER, Actor
from capacity.rounds import register, rounds, states
from capacity.store import open_store
from capacity.store.ingest import ingest_submission
from tests.apptest import ensure_account, open_page, shown
from tests.store_support import make_submission

pytestmark = pytest.mark.register_default

PAGE = "views/rounds.py"
YEAR = dt.date.today().year
MANAGER_A = Actor("ayse@a.example", MANAGER, frozenset({"ORG-A"}))
EVALUATOR_EVA = Actor("eva", EVALUATOR)


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.delenv("CAPACITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAPACITY_DATA_DIR", str(tmp_path))
    store = open_store()
    for key in ("ORG-A", "ORG-B", "ORG-C"):
        register.add_organisation(store, CLI_ADMIN, key, f"Organisation {key}")
    rounds.open_round(store, CLI_ADMIN, YEAR, dt.date(YEAR, 12, 31))
    ingest_submission(store, make_submission("ORG-A", YEAR), b"a", "a.xlsx", CLI_ADMIN)
    ingest_submission(store, make_submission("ORG-B", YEAR), b"b", "b.xlsx", CLI_ADMIN)
    ensure_account(MANAGER_A)
    ensure_account(Actor("bo@b.example", MANAGER, frozenset({"ORG-B"})))
    yield store
    store.close()


def _state(store, organisation_id: str) -> str:
    statuses = rounds.round_status(store, CLI_ADMIN, YEAR)
    return next(s.state for s in statuses if s.organisation_id == organisation_id)


def _button(at, key: str):
    return next(button for button in at.button if button.key == key)


def test_manager_submits_evaluator_signs_off_board_sees_the_funnel(database) -> None:
    at = open_page(PAGE, actor=MANAGER_A)
    texts = " ".join(element.value for element in at.markdown) + " ".join(e.value for e in at.text)
    assert [h.value for h in at.subheader] == [r"Organisation ORG\-A \(ORG\-A\)"]
    assert "Organisation ORG-B" not in texts  # only their own organisation
    assert "in progress" in texts
    assert not at.get("plotly_chart")  # managers get the checklist, not the funnel
    _button(at, "submit_ORG-A").click().run()
    assert not at.exception
    assert at.success and "marked complete" in at.success[0].value
    assert _state(database, "ORG-A") == states.SUBMITTED

    at = open_page(PAGE, actor=EVALUATOR_EVA)
    table = next(frame.value for frame in at.dataframe)
    assert dict(zip(table["organisation_id"], table["state"], strict=True)) == {
        "ORG-A": "submitted",
        "ORG-B": "in progress",
        "ORG-C": "not started",
    }
    assert at.code[0].value == "bo@b.example"  # the one to remind: ORG-B's manager (ORG-C has none)
    at.selectbox(key="rounds_sign_off_org").select("ORG-A")
    _button(at, "rounds_sign_off").click().run()
    assert not at.exception
    assert _state(database, "ORG-A") == states.VERIFIED

    at = open_page(PAGE, role=BOARD)
    assert at.get("plotly_chart")
    assert not [button for button in at.button if button.key in ("rounds_sign_off", "rounds_close")]
    at.multiselect(key="rounds_states").select("verified").run()
    table = next(frame.value for frame in at.dataframe)
    assert table["organisation_id"].tolist() == ["ORG-A"]


def test_an_evaluator_closes_the_round_and_the_page_says_it_is_frozen(database) -> None:
    at = open_page(PAGE, actor=EVALUATOR_EVA)
    _button(at, "rounds_close").click().run()
    assert not at.exception
    assert not rounds.get_round(database, CLI_ADMIN, YEAR).is_open
    assert any("frozen" in element.value for element in at.markdown)


def test_the_page_speaks_turkish(database) -> None:
    at = open_page(PAGE, lang="tr", actor=EVALUATOR_EVA)
    table = next(frame.value for frame in at.dataframe)
    assert "başlamadı" in set(table["state"])


def test_an_admin_keeps_the_register_on_the_administration_page(database) -> None:
    at = open_page("views/admin.py", role="admin")
    at.text_input(key="register_add_id").input("ORG-D")
    at.text_input(key="register_add_name").input("**Bold** [link](http://x)")
    next(button for button in at.button if button.label == "Add").click().run()
    assert not at.exception
    assert "ORG-D" in {e.id for e in register.list_organisations(database, CLI_ADMIN)}
    at.toggle(key="register_create_on_upload").set_value(True).run()
    assert register.allows_create_on_first_upload(database)
    table = next(frame.value for frame in at.dataframe if "managers" in frame.value.columns)
    assert table.set_index("id").loc["ORG-A", "managers"] == "ayse@a.example"


def test_a_manager_sees_a_hostile_name_as_text(database) -> None:
    register.update_organisation(database, CLI_ADMIN, "ORG-A", name="<b>Evil</b> **Org**")
    at = open_page(PAGE, actor=MANAGER_A)
    # every markdown and HTML character escaped by ui.text.plain: the reader sees it as typed
    assert at.subheader[0].value == r"\<b\>Evil\<\/b\> \*\*Org\*\* \(ORG\-A\)"
    assert shown(at.subheader[0].value) == "<b>Evil</b> **Org** (ORG-A)"


def test_the_dashboards_open_on_the_latest_closed_round_and_say_so(database) -> None:
    ingest_submission(database, make_submission("ORG-A", YEAR - 1), b"old", "old.xlsx", CLI_ADMIN)
    at = open_page("views/overview.py", role=BOARD)
    assert at.selectbox(key="filter_widget_year").value == str(YEAR)  # no closed round yet: the latest
    rounds.open_round(database, CLI_ADMIN, YEAR - 1, dt.date(YEAR - 1, 6, 30))
    rounds.close_round(database, CLI_ADMIN, YEAR - 1)

    at = open_page("views/overview.py", role=BOARD)
    assert at.selectbox(key="filter_widget_year").value == str(YEAR - 1)
    assert f"Opens on the {YEAR - 1} round: the latest closed round." in [c.value for c in at.caption]


def test_the_profile_flags_late_uploads(database) -> None:
    rounds.close_round(database, CLI_ADMIN, YEAR)
    late = make_submission("ORG-A", YEAR, "Late respondent")
    assert ingest_submission(database, late, b"late", "late.xlsx", Actor("ada", "admin")).stored
    at = open_page("views/profile.py", role=BOARD, query={"org": "ORG-A"})
    assert [w.value for w in at.warning] == [
        f"1 questionnaire of {YEAR} was stored after the round closed (a late upload)."
    ]
