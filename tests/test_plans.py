"""The improvement plan: actions by role, the audit trail, and the figures against hand-computed cases.

The small portfolio (tests/dashboard_data.py) answers every indicator of a dimension at one
level, so each indicator's level in each round is known: NS-01's IC indicators are at 2 in
2019, 3 in 2023 and 4 in 2026; NS-03's IL indicators fall from 3 in 2023 to 2 in 2026,
every other indicator of NS-03 stays at 3. The framework has 36 indicators, six a dimension.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.plans import actions as plan
from capacity.plans.figures import before_after, indicator_levels, on_time, with_and_without
from capacity.store import StoreError, open_store, queries
from tests.dashboard_data import fill_small_portfolio

MANAGER_01 = Actor("mona", MANAGER, frozenset({"NS-01", "NS-03", "NS-05"}))
OTHER_MANAGER = Actor("omar", MANAGER, frozenset({"NS-02"}))
EVA = Actor("eva", EVALUATOR)
BOB = Actor("bob", BOARD)
DUE = dt.date(2021, 6, 30)


@pytest.fixture(scope="module")
def filled(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('plans') / 'capacity.db'}")
    fill_small_portfolio(opened)
    yield opened
    opened.close()


@pytest.fixture
def store(filled):
    """The small portfolio with no plan (each test starts from an empty plan)."""
    from sqlalchemy import delete

    from capacity.store.models import PlanAction, PlanNote

    with filled.write() as session:
        session.execute(delete(PlanNote))
        session.execute(delete(PlanAction))
    return filled


def add(store, organisation_id="NS-01", year=2026, code="IC.1", target=3, actor=MANAGER_01, due=DUE) -> int:
    """An action by the manager for NS-01's latest round (2026) unless told otherwise."""
    return plan.add_action(
        store, actor, organisation_id, year, code, "Draft the HD strategy", "Ana", due, target
    )


def figures_of(store, organisation_id: str) -> pd.DataFrame:
    actions = plan.plan_actions(store, CLI_ADMIN, organisation_id)
    return before_after(actions, indicator_levels(store, CLI_ADMIN, organisation_id)).set_index("action_id")


def test_before_and_after_by_hand(store) -> None:
    up = add(store, "NS-01", 2019, "IC.1", target=3, actor=CLI_ADMIN)  # 2 → 3 in 2023: reached
    flat = add(store, "NS-01", 2023, "II.2", target=4, actor=CLI_ADMIN)  # 3 → 3 in 2026: not reached
    unmeasured = add(store, "NS-05", 2023, "IC.1", target=5, actor=CLI_ADMIN)  # NS-05 has no round after 2023
    down = add(store, "NS-03", 2023, "IL.4", target=4, actor=CLI_ADMIN)  # 3 → 2 in 2026

    ns01 = figures_of(store, "NS-01")
    assert ns01.loc[up, ["before", "after_year", "after", "change", "moved", "reached"]].tolist() == [
        2.0,
        2023,
        3.0,
        1.0,
        "up",
        True,
    ]
    assert ns01.loc[flat, ["before", "after_year", "after", "change", "moved", "reached"]].tolist() == [
        3.0,
        2026,
        3.0,
        0.0,
        "same",
        False,
    ]
    ns05 = figures_of(store, "NS-05").loc[unmeasured]
    assert ns05["before"] == 4.0
    assert [ns05["after_year"], ns05["after"], ns05["change"], ns05["moved"], ns05["reached"]] == [None] * 5
    ns03 = figures_of(store, "NS-03").loc[down]
    assert [ns03["before"], ns03["after"], ns03["change"], ns03["moved"], ns03["reached"]] == [
        3.0,
        2.0,
        -1.0,
        "down",
        False,
    ]


def test_with_and_without_a_completed_action_by_hand(store) -> None:
    done = add(store, "NS-03", 2023, "IL.1", target=4, actor=CLI_ADMIN)
    plan.update_action(store, MANAGER_01, done, status=plan.DONE, today=dt.date(2021, 5, 1))
    add(store, "NS-03", 2023, "IL.2", target=4, actor=CLI_ADMIN)  # planned, never done: counts as "without"
    add(store, "NS-01", 2026, "IC.1", target=5)  # the latest round: no next round: no change to count

    levels = indicator_levels(store, CLI_ADMIN)
    comparison = with_and_without(plan.plan_actions(store, CLI_ADMIN), levels)
    # NS-03 2023 → 2026: IL.1 fell 3 → 2 (with); IL.2–IL.6 fell by 1, the other 30 stayed (without)
    assert (comparison.with_count, comparison.with_mean) == (1, -1.0)
    assert comparison.without_count == 35
    assert comparison.without_mean == pytest.approx(-5 / 35)
    assert comparison.difference == pytest.approx(-1 + 5 / 35)


def test_on_time_by_hand(store) -> None:
    early = add(store, due=dt.date(2021, 6, 30))
    late = add(store, due=dt.date(2021, 6, 30))
    dropped = add(store, due=dt.date(2030, 1, 1))
    add(store, due=dt.date(2021, 1, 1))  # overdue and open: settled, not on time
    add(store, due=dt.date(2030, 1, 1))  # open, not due yet: left out
    plan.update_action(store, MANAGER_01, early, status=plan.DONE, today=dt.date(2021, 6, 30))
    plan.update_action(store, MANAGER_01, late, status=plan.DONE, today=dt.date(2021, 7, 1))
    plan.update_action(store, MANAGER_01, dropped, status=plan.DROPPED)

    result = on_time(plan.plan_actions(store, MANAGER_01, "NS-01"), as_of=dt.date(2022, 1, 1))
    assert (result.settled, result.on_time) == (4, 1)
    assert result.share == 0.25


def test_leaving_done_clears_the_completion_day(store) -> None:
    action = add(store)
    plan.update_action(store, MANAGER_01, action, status=plan.DONE, today=dt.date(2021, 3, 1))
    assert plan.plan_actions(store, MANAGER_01, "NS-01")["completed_on"].iloc[0] == dt.date(2021, 3, 1)
    plan.update_action(store, MANAGER_01, action, status=plan.IN_PROGRESS)
    row = plan.plan_actions(store, MANAGER_01, "NS-01").iloc[0]
    assert (row["status"], row["completed_on"]) == (plan.IN_PROGRESS, None)


def test_managers_plan_only_for_their_organisations(store) -> None:
    with pytest.raises(AccessDenied):
        add(store, "NS-01", actor=OTHER_MANAGER)
    action = add(store, "NS-01")
    with pytest.raises(AccessDenied):
        plan.update_action(store, OTHER_MANAGER, action, status=plan.DONE)
    with pytest.raises(AccessDenied):
        plan.add_note(store, OTHER_MANAGER, action, "Nothing")
    with pytest.raises(AccessDenied):
        plan.plan_actions(store, OTHER_MANAGER, "NS-01")
    assert plan.plan_actions(store, OTHER_MANAGER).empty  # their listing holds none of NS-01's actions


@pytest.mark.parametrize("actor", [EVA, BOB])
def test_evaluators_and_boards_do_not_write_the_plan(store, actor) -> None:
    with pytest.raises(AccessDenied):
        add(store, actor=actor)
    action = add(store)
    with pytest.raises(AccessDenied):
        plan.update_action(store, actor, action, status=plan.DROPPED)
    assert plan.plan_actions(store, actor, "NS-01")["action_id"].tolist() == [action]  # both read it


def test_evaluators_comment_managers_note_progress_boards_neither(store) -> None:
    action = add(store)
    plan.add_note(store, MANAGER_01, action, "Workshop held with the board.")
    plan.add_note(store, EVA, action, "The draft lacks a budget.", plan.COMMENT)
    for actor, kind in ((BOB, plan.COMMENT), (BOB, plan.PROGRESS), (EVA, plan.PROGRESS)):
        with pytest.raises(AccessDenied):
            plan.add_note(store, actor, action, "Looks good", kind)
    assert [plan.note_kind(a, "NS-01") for a in (MANAGER_01, EVA, BOB)] == [plan.PROGRESS, plan.COMMENT, None]
    notes = plan.plan_notes(store, BOB, "NS-01")
    assert notes[["kind", "author", "text"]].values.tolist() == [
        [plan.PROGRESS, "mona", "Workshop held with the board."],
        [plan.COMMENT, "eva", "The draft lacks a budget."],
    ]


def test_admins_plan_for_any_organisation_and_record_plans_of_closed_rounds(store) -> None:
    add(store, "NS-02", actor=Actor("ada", ADMIN))
    add(store, "NS-02", 2019, actor=Actor("ada", ADMIN))
    assert plan.plan_actions(store, CLI_ADMIN, "NS-02")["year"].tolist() == [2019, 2026]


@pytest.mark.parametrize(
    ("year", "code", "target", "text", "owner"),
    [
        (2020, "IC.1", 3, "Do it", "Ana"),  # NS-01 has no round in 2020
        (2023, "IC.1", 3, "Do it", "Ana"),  # a closed round: its next round (2026) is known
        (2026, "XX.9", 3, "Do it", "Ana"),  # not an indicator
        (2026, "IC.1", 0, "Do it", "Ana"),  # level 0 is no aim
        (2026, "IC.1", 6, "Do it", "Ana"),
        (2026, "IC.1", 3, "   ", "Ana"),
        (2026, "IC.1", 3, "Do it", ""),
        (2026, "IC.1", 3, "x" * (plan.MAX_TEXT + 1), "Ana"),
    ],
)
def test_refuses_an_action_it_cannot_measure_or_read(store, year, code, target, text, owner) -> None:
    with pytest.raises(StoreError):
        plan.add_action(store, MANAGER_01, "NS-01", year, code, text, owner, DUE, target)
    assert plan.plan_actions(store, CLI_ADMIN).empty


def test_every_change_is_on_the_audit_trail(store) -> None:
    before = len(queries.audit_log(store, CLI_ADMIN))
    action = add(store)
    plan.update_action(store, MANAGER_01, action, status=plan.IN_PROGRESS, owner="Berk")
    plan.update_action(store, MANAGER_01, action, status=plan.IN_PROGRESS)  # no change, no entry
    plan.add_note(store, EVA, action, "Fine.", plan.COMMENT)
    log = queries.audit_log(store, CLI_ADMIN).head(len(queries.audit_log(store, CLI_ADMIN)) - before)
    assert sorted(log["action"]) == sorted(
        [plan.PLAN_ACTION_ADDED, plan.PLAN_ACTION_UPDATED, plan.PLAN_NOTE_ADDED]
    )
    updated = log[log["action"] == plan.PLAN_ACTION_UPDATED].iloc[0]
    assert updated["detail"]["changes"] == {"status": ["planned", "in_progress"], "owner": ["Ana", "Berk"]}
    assert set(log["organisation_id"]) == {"NS-01"}


# Property tests on plain frames: the figures against a separate pandas computation.

ORGS = ("A", "B", "C")
CODES = ("IC.1", "IC.2", "IL.1")
YEARS = (2019, 2021, 2024)
level_values = st.one_of(st.none(), st.sampled_from([0.0, 1.0, 1.5, 2.0, 3.0, 4.0, 5.0]))


@st.composite
def portfolios(draw):
    rows = []
    for organisation_id in ORGS:
        years = draw(st.lists(st.sampled_from(YEARS), unique=True, max_size=3))
        rows += [(organisation_id, year, code, draw(level_values)) for year in years for code in CODES]
    levels = pd.DataFrame(rows, columns=["organisation_id", "year", "code", "level"]).astype({"level": float})
    rounds = sorted({(o, y) for o, y, *_ in rows})
    actions = []
    if rounds:
        for index in range(draw(st.integers(0, 8))):
            organisation_id, year = draw(st.sampled_from(rounds))
            actions.append(
                {
                    "action_id": index + 1,
                    "organisation_id": organisation_id,
                    "year": year,
                    "code": draw(st.sampled_from(CODES)),
                    "target_level": draw(st.integers(1, 5)),
                    "status": draw(st.sampled_from(plan.STATUSES)),
                }
            )
    columns = ["action_id", "organisation_id", "year", "code", "target_level", "status"]
    return levels, pd.DataFrame(actions, columns=columns)


def reference_changes(levels: pd.DataFrame) -> pd.DataFrame:
    """Each organisation's round joined to its next round with pandas (independent of the library)."""
    years = levels[["organisation_id", "year"]].drop_duplicates().sort_values(["organisation_id", "year"])
    years["next_year"] = years.groupby("organisation_id")["year"].shift(-1)
    joined = levels.merge(years, on=["organisation_id", "year"]).merge(
        levels.rename(columns={"year": "next_year", "level": "next_level"}),
        on=["organisation_id", "next_year", "code"],
        how="left",
    )
    return joined


@settings(max_examples=150, deadline=None)
@given(portfolios())
def test_before_after_matches_a_pandas_join(case) -> None:
    levels, actions = case
    got = before_after(actions, levels)
    reference = reference_changes(levels).set_index(["organisation_id", "year", "code"])
    for row in got.itertuples(index=False):
        expected = reference.loc[(row.organisation_id, row.year, row.code)]
        before, after = expected["level"], expected["next_level"]
        assert row.before == (None if pd.isna(before) else before)
        assert row.after == (None if pd.isna(after) else after)
        measured = not pd.isna(before) and not pd.isna(after)
        assert row.change == (after - before if measured else None)
        assert row.reached == (None if pd.isna(after) else bool(after >= row.target_level))
        if measured:
            assert row.moved == ("up" if after > before else "down" if after < before else "same")


@settings(max_examples=150, deadline=None)
@given(portfolios())
def test_with_and_without_split_every_change_of_a_planned_round(case) -> None:
    levels, actions = case
    result = with_and_without(actions, levels)
    changes = reference_changes(levels).dropna(subset=["level", "next_level"])
    changes = changes.assign(change=changes["next_level"] - changes["level"])
    planned = set(zip(actions["organisation_id"], actions["year"], strict=True))
    in_plan = [(o, y) in planned for o, y in zip(changes["organisation_id"], changes["year"], strict=True)]
    pool = changes[pd.Series(in_plan, index=changes.index, dtype=bool)]
    done = actions[actions["status"] == plan.DONE]
    completed = set(zip(done["organisation_id"], done["year"], done["code"], strict=True))
    keys = zip(pool["organisation_id"], pool["year"], pool["code"], strict=True)
    mask = pd.Series([k in completed for k in keys], index=pool.index, dtype=bool)
    with_rows, without_rows = pool[mask], pool[~mask]
    assert (result.with_count, result.without_count) == (len(with_rows), len(without_rows))
    for mean, rows in ((result.with_mean, with_rows), (result.without_mean, without_rows)):
        assert mean == (pytest.approx(rows["change"].mean()) if len(rows) else None)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(plan.STATUSES),
            st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
            st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
        ),
        max_size=12,
    ),
    st.dates(dt.date(2020, 1, 1), dt.date(2024, 12, 31)),
)
def test_on_time_counts(rows, as_of) -> None:
    actions = pd.DataFrame(
        [(s, due, done if s == plan.DONE else None) for s, due, done in rows],
        columns=["status", "due_date", "completed_on"],
    )
    result = on_time(actions, as_of)
    settled = [r for r in rows if r[0] in (plan.DONE, plan.DROPPED) or r[1] < as_of]
    assert result.settled == len(settled)
    assert result.on_time == sum(1 for s, due, done in settled if s == plan.DONE and done <= due)
    assert result.share is None if not settled else 0 <= result.share <= 1


def test_the_plan_workbook_goes_only_to_those_who_take_scorecards_away(store) -> None:
    from capacity.plans.report import plan_xlsx

    add(store)
    assert plan_xlsx(store, MANAGER_01, "NS-01")[:2] == b"PK"  # an xlsx (zip) file
    for actor in (BOB, OTHER_MANAGER):
        with pytest.raises(AccessDenied):
            plan_xlsx(store, actor, "NS-01")
