"""The profile's improvement plan in AppTest: a manager adds and moves actions, an evaluator comments,
a board member reads; the Roadmap page shows the portfolio's plan figures.

NS-04 (the small portfolio) answers every indicator at level 2 in 2026, behind the roadmap,
so its profile lists five priorities to plan for.
"""

from __future__ import annotations

import datetime as dt
import shutil

import pytest

from capacity.access import BOARD, CLI_ADMIN, EVALUATOR, MANAGER, Actor
from capacity.framework import current_framework
from capacity.plans import actions as plan
from capacity.store import open_store, queries
from tests.apptest import open_page

PROFILE = "views/profile.py"
MANAGER_04 = Actor("manny", MANAGER, frozenset({"NS-04"}))


@pytest.fixture
def portfolio(small_portfolio_dir, tmp_path, monkeypatch):
    """A private copy of the small portfolio (these tests write plans into it); its store."""
    shutil.copy(small_portfolio_dir / "capacity.db", tmp_path / "capacity.db")
    monkeypatch.delenv("CAPACITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAPACITY_DATA_DIR", str(tmp_path))
    store = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    yield store
    store.close()


def plan_table(at):
    return next(frame.value for frame in at.dataframe if "before_after" in frame.value.columns)


def test_a_manager_turns_a_priority_into_an_action(portfolio) -> None:
    at = open_page(PROFILE, query={"org": "NS-04"}, actor=MANAGER_04)
    assert "No action has been planned yet." in [info.value for info in at.info]
    priorities = at.selectbox(key="plan_add_code_en").options
    assert len(priorities) == 5
    at.selectbox(key="plan_add_code_en").set_value(priorities[1].split(" · ")[0])
    at.text_area(key="plan_add_action").input("=Train the board on HD")
    at.text_input(key="plan_add_owner").input("Ana Yılmaz")
    at.date_input(key="plan_add_due").set_value(dt.date(2027, 6, 30))
    next(button for button in at.button if button.label == "Add to the plan").click().run()
    assert not at.exception

    [stored] = plan.plan_actions(portfolio, CLI_ADMIN, "NS-04").to_dict("records")
    assert (stored["year"], stored["code"], stored["owner"], stored["due_date"]) == (
        2026,
        priorities[1].split(" · ")[0],
        "Ana Yılmaz",
        dt.date(2027, 6, 30),
    )
    assert stored["target_level"] == 3  # the next level above 2, when none is chosen
    table = plan_table(at)
    assert table["action"].tolist() == ["=Train the board on HD"]  # shown as typed, in a table
    assert table["before_after"].tolist() == ["2.0 → …"]
    assert table["status"].tolist() == ["planned"]

    action_id = stored["action_id"]
    at.selectbox(key=f"plan_status_{action_id}").set_value(plan.IN_PROGRESS)
    at.text_area(key=f"plan_note_{action_id}").input("First session held.")
    next(button for button in at.button if button.label == "Save").click().run()
    assert not at.exception
    assert plan.plan_actions(portfolio, CLI_ADMIN, "NS-04")["status"].tolist() == [plan.IN_PROGRESS]
    notes = plan.plan_notes(portfolio, CLI_ADMIN, "NS-04")
    assert notes[["kind", "text", "author"]].values.tolist() == [
        [plan.PROGRESS, "First session held.", "manny"]
    ]
    assert plan_table(at)["status"].tolist() == ["in progress"]
    actions = set(queries.audit_log(portfolio, CLI_ADMIN)["action"])
    assert {plan.PLAN_ACTION_ADDED, plan.PLAN_ACTION_UPDATED, plan.PLAN_NOTE_ADDED} <= actions


def test_an_evaluator_comments_and_a_board_member_reads(portfolio) -> None:
    action_id = plan.add_action(
        portfolio, CLI_ADMIN, "NS-04", 2023, "IC.2", "Write a mandate", "Ana", dt.date(2024, 1, 31), 3
    )
    board = open_page(PROFILE, query={"org": "NS-04"}, role=BOARD)
    assert plan_table(board)["before_after"].tolist() == ["2.0 → 2.0 (2026)"]  # IC at 2 in 2023 and 2026
    assert plan_table(board)["reached"].tolist() == ["no"]
    assert not [w for w in board.text_area if str(w.key).startswith("plan_")]
    assert not [w for w in board.selectbox if str(w.key).startswith("plan_")]

    evaluator = open_page(PROFILE, query={"org": "NS-04"}, role=EVALUATOR)
    assert not [w for w in evaluator.selectbox if str(w.key).startswith("plan_")]  # no status, no new action
    evaluator.text_area(key=f"plan_note_{action_id}").input("No budget line yet.")
    next(button for button in evaluator.button if button.label == "Save").click().run()
    assert not evaluator.exception
    notes = plan.plan_notes(portfolio, CLI_ADMIN, "NS-04")
    assert notes[["kind", "text"]].values.tolist() == [[plan.COMMENT, "No budget line yet."]]


def test_the_plan_section_in_turkish(portfolio) -> None:
    plan.add_action(portfolio, CLI_ADMIN, "NS-04", 2023, "IC.2", "Yetki yaz", "Ana", dt.date(2024, 1, 31), 3)
    at = open_page(PROFILE, lang="tr", query={"org": "NS-04"}, actor=MANAGER_04)
    assert plan_table(at)["before_after"].tolist() == ["2,0 → 2,0 (2026)"]
    assert "Improvement plan" not in [header.value for header in at.subheader]
    framework = current_framework()
    for option in at.selectbox(key="plan_add_code_tr").options:
        code, title = option.split(" · ")
        assert title == framework.indicator(code).title("tr")


def test_the_roadmap_page_shows_the_portfolio_figures_with_the_warning(portfolio) -> None:
    roadmap = "views/roadmap.py"
    assert "No organisation has planned an action yet." in [i.value for i in open_page(roadmap).info]
    # NS-04: IC 1 → 2 and IL 2 → 2 from 2019 to 2023; IC.1 done on time, IL.1 done late
    early = plan.add_action(
        portfolio, CLI_ADMIN, "NS-04", 2019, "IC.1", "Mandate", "Ana", dt.date(2021, 1, 1), 2
    )
    late = plan.add_action(
        portfolio, CLI_ADMIN, "NS-04", 2019, "IL.1", "Network", "Ana", dt.date(2021, 1, 1), 3
    )
    plan.update_action(portfolio, CLI_ADMIN, early, status=plan.DONE, today=dt.date(2020, 12, 1))
    plan.update_action(portfolio, CLI_ADMIN, late, status=plan.DONE, today=dt.date(2021, 2, 1))
    at = open_page(roadmap)
    shown = {metric.label: metric.value for metric in at.metric}
    assert shown["Done on time"] == "50%"
    # with: IC.1 +1, IL.1 ±0 → +0.5; without: IC.2–6 +1 (5), IL.2–6 0 (5), II +1, TM 0, SM +1, SD 0 (6 each)
    assert shown["Change with a completed action"] == "+0.50"
    assert shown["Change without one"] == f"+{(5 + 6 + 6) / 34:.2f}"
    assert any("not proof" in warning.value for warning in at.warning)


def test_a_closed_round_takes_no_new_action_from_a_manager(portfolio) -> None:
    at = open_page(PROFILE, query={"org": "NS-04", "year": "2023"}, actor=MANAGER_04)
    assert not [w for w in at.selectbox if str(w.key).startswith("plan_add")]
    assert "choose 2026 above to add one" in " ".join(caption.value for caption in at.caption)
