"""The plan as people read it: one organisation's actions with their figures, the portfolio's
figures, and the plan as an Excel workbook.

Everything here is made from `actions` and `figures`; the profile page, the Roadmap page,
the scorecards and the command line show these frames and never compute a figure.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from capacity import access
from capacity.access import Actor
from capacity.export import safe
from capacity.framework import current_framework
from capacity.i18n import N_, Message, translator
from capacity.plans import actions as plan
from capacity.plans.figures import (
    Comparison,
    OnTime,
    before_after,
    indicator_levels,
    on_time,
    with_and_without,
)
from capacity.store import audit
from capacity.store.db import Store
from capacity.store.errors import StoreError
from capacity.store.models import Organisation

PLAN_EXPORTED = "plan_exported"  # audit action: the plan left the system as a workbook

# Columns of the plan in every export, with their translatable headers.
EXPORT_HEADERS = {
    "action_id": N_("Action"),
    "year": N_("Round"),
    "code": N_("Indicator"),
    "title": N_("Indicator title"),
    "action": N_("What will be done"),
    "owner": N_("Owner"),
    "due_date": N_("Due"),
    "target_level": N_("Aimed level"),
    "status": N_("Status"),
    "completed_on": N_("Done on"),
    "before": N_("Level before"),
    "after_year": N_("Next round"),
    "after": N_("Level after"),
    "change": N_("Change"),
    "reached": N_("Aim reached"),
}
NOTE_HEADERS = {
    "action_id": N_("Action"),
    "created_at": N_("Date"),
    "kind": N_("Note"),
    "author": N_("By"),
    "text": N_("Text"),
}


@dataclass(frozen=True)
class OrganisationPlan:
    """One organisation's actions (with before/after figures and indicator titles) and their notes."""

    organisation_id: str
    actions: pd.DataFrame
    notes: pd.DataFrame


def organisation_plan(store: Store, actor: Actor, organisation_id: str, lang: str = "en") -> OrganisationPlan:
    """The organisation's plan, figures included (raises AccessDenied without `access.VIEW_PROFILE`,
    StoreError for an organisation never assessed)."""
    actions = plan.plan_actions(store, actor, organisation_id)
    with store.read() as session:
        if session.get(Organisation, organisation_id) is None:
            raise StoreError(
                Message(N_("There is no organisation {organisation}."), {"organisation": organisation_id})
            )
    figures = before_after(actions, indicator_levels(store, actor, organisation_id))
    titles = {indicator.code: indicator.title(lang) for indicator in current_framework().indicators}
    figures.insert(figures.columns.get_loc("code") + 1, "title", figures["code"].map(titles).fillna(""))
    return OrganisationPlan(organisation_id, figures, plan.plan_notes(store, actor, organisation_id))


@dataclass(frozen=True)
class PortfolioFigures:
    """The plans of every organisation the actor sees: counts by status, on time, with against without."""

    actions: int
    organisations: int
    by_status: dict[str, int]
    on_time: OnTime
    comparison: Comparison


def portfolio_figures(store: Store, actor: Actor, as_of: dt.date) -> PortfolioFigures:
    """The Roadmap page's plan figures over the organisations the actor's dashboards show."""
    access.require(actor, access.VIEW_DASHBOARD)
    allowed = access.allowed_organisations(actor, access.VIEW_DASHBOARD)
    actions = plan.plan_actions(store, actor)
    if allowed is not None:
        actions = actions[actions["organisation_id"].isin(allowed)]
    levels = indicator_levels(store, actor, action=access.VIEW_DASHBOARD)
    counts = actions["status"].value_counts()
    return PortfolioFigures(
        actions=len(actions),
        organisations=actions["organisation_id"].nunique(),
        by_status={status: int(counts.get(status, 0)) for status in plan.STATUSES},
        on_time=on_time(actions, as_of),
        comparison=with_and_without(actions, levels),
    )


DATASET_COLUMNS = (
    *plan.PLANNED_COLUMNS,
    "before",
    "after_year",
    "after",
    "change",
    "reached",
)


def dataset_plan(store: Store, actor: Actor) -> pd.DataFrame:
    """Every visible organisation's actions with their before/after figures: the dataset's `plan` table."""
    actions = plan.plan_actions(store, actor)
    figures = before_after(actions, indicator_levels(store, actor))
    return figures[list(DATASET_COLUMNS)]


def readable_actions(organisation_plan: OrganisationPlan, lang: str) -> pd.DataFrame:
    """The actions with translated status words, in the export's column order (codes kept as columns)."""
    t = translator(lang)
    frame = organisation_plan.actions.copy()
    frame["status"] = frame["status"].map(lambda status: t(plan.STATUS_LABELS[status]))
    frame["reached"] = frame["reached"].map(lambda hit: None if hit is None else t("yes") if hit else t("no"))
    return frame[list(EXPORT_HEADERS)]


def plan_records(organisation_plan: OrganisationPlan) -> list[dict[str, object]]:
    """The actions and their notes as JSON-ready records (dates in ISO 8601), for `plan list --json`."""
    notes = organisation_plan.notes
    records = []
    for row in organisation_plan.actions.to_dict("records"):
        own = notes[notes["action_id"] == row["action_id"]]
        row["notes"] = [
            {**note, "created_at": note["created_at"].isoformat()}
            for note in own.drop(columns=["action_id"]).to_dict("records")
        ]
        records.append({key: _json_value(value) for key, value in row.items()})
    return records


def _json_value(value: object) -> object:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def plan_xlsx(store: Store, actor: Actor, organisation_id: str, lang: str = "en") -> bytes:
    """The plan as a workbook: the actions with their figures, then every note; the export is audited."""
    t = translator(lang)
    organisation_plan = organisation_plan_for_export(store, actor, organisation_id, lang)
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = t("Plan")[:31]
    _table(sheet, readable_actions(organisation_plan, lang), EXPORT_HEADERS, lang)
    notes_sheet = workbook.create_sheet(t("Notes")[:31])
    notes = organisation_plan.notes.assign(
        kind=organisation_plan.notes["kind"].map(lambda kind: t(plan.NOTE_LABELS[kind])),
        created_at=organisation_plan.notes["created_at"].map(lambda at: at.date()),
    )
    _table(notes_sheet, notes[list(NOTE_HEADERS)], NOTE_HEADERS, lang)
    buffer = io.BytesIO()
    workbook.save(buffer)
    audit.record_read(store, actor, PLAN_EXPORTED, organisation_id, actions=len(organisation_plan.actions))
    return buffer.getvalue()


def organisation_plan_for_export(
    store: Store, actor: Actor, organisation_id: str, lang: str
) -> OrganisationPlan:
    """The plan, for an actor who may take the organisation's scorecard away (`access.EXPORT_SCORECARD`)."""
    access.require(actor, access.EXPORT_SCORECARD, organisation_id)
    return organisation_plan(store, actor, organisation_id, lang)


def _table(sheet, frame: pd.DataFrame, headers: dict[str, str], lang: str) -> None:
    t = translator(lang)
    for column, key in enumerate(headers, start=1):
        cell = safe.write(sheet, 1, column, t(headers[key]))
        cell.font = Font(bold=True)
        width = max([len(t(headers[key]))] + [len(str(v)) for v in frame[key].head(200)])
        sheet.column_dimensions[cell.column_letter].width = min(max(width + 2, 8), 50)
    for row_number, row in enumerate(frame.itertuples(index=False), start=2):
        for column, value in enumerate(row, start=1):
            cell = safe.write(sheet, row_number, column, None if pd.isna(value) else value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if isinstance(value, dt.date):
                cell.number_format = "yyyy-mm-dd"
    sheet.freeze_panes = "A2"
