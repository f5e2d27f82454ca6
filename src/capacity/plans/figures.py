"""The plan's numbers: each action before and after, the on-time share, and the with/without comparison.

Definitions (docs/METHOD.md, "Improvement plan"):

- An action answers the gaps of its round (`year`). Its indicator's level *before* is the
  consolidated level in that round; *after* is the level in the organisation's next
  scored round. Change is after − before; the action reached its aim when after ≥ the
  aimed level. Without a next round, or without a level there (N/A, unanswered), the
  action is not measured yet and every after-figure is empty.
- On time: of the actions that are settled (done, dropped, or past their due date
  unfinished), the share done on or before the due date. Actions still open and not yet
  due are left out: they may still be on time.
- With against without: every indicator with a level in both an organisation's round
  and its next round, among the organisation-rounds that have a plan, is one change; it
  is "with" when an action for that indicator and round was done, else "without". The
  two means are compared as they are: organisations choose what to work on, so the
  difference is an association, not proof that the actions caused it.

The functions below take plain frames, so each figure can be checked by hand;
`indicator_levels` reads those frames from the store.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sqlalchemy import select

from capacity import access
from capacity.access import Actor
from capacity.plans.actions import DONE, DROPPED
from capacity.store.db import Store
from capacity.store.models import AssessmentResultRecord, IndicatorResultRecord

LEVEL_COLUMNS = ("organisation_id", "year", "code", "level")
UP, DOWN, SAME = "up", "down", "same"
BEFORE_AFTER_COLUMNS = ("before", "after_year", "after", "change", "moved", "reached")


def indicator_levels(
    store: Store, actor: Actor, organisation_id: str | None = None, action: str = access.VIEW_PROFILE
) -> pd.DataFrame:
    """Every stored round's indicators: organisation_id, year, code, level (empty: N/A or unanswered).

    One organisation's (checked against `action`), else every organisation the actor may
    see for `action`.
    """
    statement = select(
        AssessmentResultRecord.organisation_id,
        AssessmentResultRecord.year,
        IndicatorResultRecord.code,
        IndicatorResultRecord.level,
    ).join(IndicatorResultRecord, IndicatorResultRecord.assessment_id == AssessmentResultRecord.assessment_id)
    if organisation_id is not None:
        access.require(actor, action, organisation_id)
        statement = statement.where(AssessmentResultRecord.organisation_id == organisation_id)
    else:
        allowed = access.allowed_organisations(actor, action)
        if allowed is not None:
            statement = statement.where(AssessmentResultRecord.organisation_id.in_(sorted(allowed)))
    with store.read() as session:
        rows = session.execute(statement).all()
    frame = pd.DataFrame([tuple(row) for row in rows], columns=list(LEVEL_COLUMNS))
    frame["year"] = frame["year"].astype("int64")
    frame["level"] = frame["level"].astype("float64")
    return frame


def _next_rounds(levels: pd.DataFrame) -> dict[tuple[str, int], int]:
    """(organisation, round) → the organisation's next scored round."""
    following: dict[tuple[str, int], int] = {}
    for organisation_id, years in levels.groupby("organisation_id")["year"]:
        ordered = sorted(set(int(year) for year in years))
        following.update({(organisation_id, a): b for a, b in itertools.pairwise(ordered)})
    return following


def _level_lookup(levels: pd.DataFrame) -> dict[tuple[str, int, str], float]:
    known = levels.dropna(subset=["level"])
    return {
        (o, int(y), c): float(v)
        for o, y, c, v in zip(
            known["organisation_id"], known["year"], known["code"], known["level"], strict=True
        )
    }


def _moved(change: float) -> str:
    return UP if change > 0 else DOWN if change < 0 else SAME


def before_after(actions: pd.DataFrame, levels: pd.DataFrame) -> pd.DataFrame:
    """The actions with their indicator's level before and after the next round (module docstring).

    Adds `before`, `after_year`, `after`, `change`, `moved` (up, down, same) and `reached`
    (whether after ≥ the aimed level); after-figures are empty (None) until measured.
    """
    following = _next_rounds(levels)
    lookup = _level_lookup(levels)
    rows = []
    for row in actions.itertuples(index=False):
        before = lookup.get((row.organisation_id, int(row.year), row.code))
        after_year = following.get((row.organisation_id, int(row.year)))
        after = None if after_year is None else lookup.get((row.organisation_id, after_year, row.code))
        change = None if before is None or after is None else after - before
        rows.append(
            {
                "before": before,
                "after_year": after_year,
                "after": after,
                "change": change,
                "moved": None if change is None else _moved(change),
                "reached": None if after is None else after >= row.target_level,
            }
        )
    added = pd.DataFrame(rows, columns=list(BEFORE_AFTER_COLUMNS), index=actions.index, dtype=object)
    return pd.concat([actions, added], axis=1)


@dataclass(frozen=True)
class OnTime:
    """Settled actions, those done by their due date, and the share (None when none is settled)."""

    settled: int
    on_time: int

    @property
    def share(self) -> float | None:
        return self.on_time / self.settled if self.settled else None


def on_time(actions: pd.DataFrame, as_of: dt.date) -> OnTime:
    """How many settled actions were done on or before their due date (see the module's definitions)."""
    settled = on_time_count = 0
    for row in actions.itertuples(index=False):
        done = row.status == DONE
        if not (done or row.status == DROPPED or row.due_date < as_of):
            continue
        settled += 1
        on_time_count += bool(done and row.completed_on is not None and row.completed_on <= row.due_date)
    return OnTime(settled=settled, on_time=on_time_count)


@dataclass(frozen=True)
class Comparison:
    """Mean change of indicators with a completed action against those without one, between rounds."""

    with_count: int
    with_mean: float | None
    without_count: int
    without_mean: float | None

    @property
    def difference(self) -> float | None:
        """with − without (None unless both groups have a change)."""
        if self.with_mean is None or self.without_mean is None:
            return None
        return self.with_mean - self.without_mean


def round_changes(levels: pd.DataFrame) -> pd.DataFrame:
    """Each indicator's change from a round to the organisation's next one.

    Columns organisation_id, year (the earlier round), code, change; only indicators with
    a level in both rounds count.
    """
    following = _next_rounds(levels)
    lookup = _level_lookup(levels)
    rows = [
        (organisation_id, year, code, lookup[(organisation_id, nxt, code)] - level)
        for (organisation_id, year, code), level in lookup.items()
        if (nxt := following.get((organisation_id, year))) is not None
        and (organisation_id, nxt, code) in lookup
    ]
    return pd.DataFrame(rows, columns=["organisation_id", "year", "code", "change"])


def _mean(values: list[float]) -> float | None:
    return float(np.mean(values)) if values else None


def with_and_without(actions: pd.DataFrame, levels: pd.DataFrame) -> Comparison:
    """The with/without comparison (see the module's definitions); an indicator counts once per round."""
    planned_rounds = {(o, int(y)) for o, y in zip(actions["organisation_id"], actions["year"], strict=True)}
    done = actions[actions["status"] == DONE]
    completed = {
        (o, int(y), c) for o, y, c in zip(done["organisation_id"], done["year"], done["code"], strict=True)
    }
    with_changes: list[float] = []
    without_changes: list[float] = []
    for row in round_changes(levels).itertuples(index=False):
        if (row.organisation_id, row.year) not in planned_rounds:
            continue
        group = with_changes if (row.organisation_id, row.year, row.code) in completed else without_changes
        group.append(row.change)
    return Comparison(
        with_count=len(with_changes),
        with_mean=_mean(with_changes),
        without_count=len(without_changes),
        without_mean=_mean(without_changes),
    )
