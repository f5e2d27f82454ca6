"""The Scorecards page's review: record a verified level, then every indicator by dimension.

What is shown comes from `capacity.review` (the sheet of indicators with the review in
force, the history, where the Verified level starts); the write is the store's
`record_review`, which checks the role, audits and re-scores. The form comes first and
shows the chosen indicator's levels and evidence in full, so the evaluator need not
scroll to the list; the list below holds every indicator of each dimension as a table
that grows with its rows (no inner scroll) and wraps the evidence instead of cutting it.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from capacity.access import Actor
from capacity.export.scorecard import figure
from capacity.framework import LEVELS, Framework
from capacity.i18n import format_date, tn
from capacity.review import NOT_APPLICABLE, review_history, review_sheet, starting_choice
from capacity.scoring.results import AssessmentResult
from capacity.store.corrections import record_review
from capacity.store.db import Store
from ui.failures import reported_failures
from ui.language import t, widget_key
from ui.text import plain

REVIEWED = "scorecards_reviewed"  # session state: the confirmation of the last review
REVIEWED_MARK, DIFFERS_MARK = "✓", "⚠"


def level_key(organisation_id: str, year: int, code: str) -> str:
    """The Verified level box of one indicator: its own key, so that it starts at that indicator's level
    (in English; `widget_key` adds the language of any other page)."""
    return f"scorecards_review_level.{organisation_id}.{year}.{code}"


def review_mark(row, lang: str) -> str:
    """`✓ 3 · eva · 4 Dec 2026` for an indicator whose verified level is in force, else ""."""
    if not row.reviewed:
        return ""
    level = figure(row.reviewed_level, lang, row.reviewed_not_applicable)
    when = format_date(row.reviewed_at.date(), lang)
    return f"{REVIEWED_MARK} {level} · {row.reviewed_by} · {when}"


def review_section(
    store: Store,
    actor: Actor,
    organisation_id: str,
    year: int,
    result: AssessmentResult,
    framework: Framework,
    lang: str,
) -> None:
    _ = t()
    st.subheader(_("Review the indicators, {year}", year=year))
    st.caption(
        _(
            "Record the level you verified from the evidence, with your reason. It becomes the level "
            "of record (an evaluator's level outranks self-assessment) and the scores are recomputed at "
            "once. ⚠ marks indicators where self-assessment and evaluator differ by a level or more; ✓ "
            "marks indicators already reviewed."
        )
    )
    done = st.session_state.pop(REVIEWED, None)
    if done:
        st.success(done, icon=":material/task_alt:")
    history = review_history(store, actor, organisation_id, year)
    sheet = review_sheet(result, framework, lang, history)
    with st.container(border=True):
        _record_form(store, actor, organisation_id, year, sheet, framework, lang)
    with st.expander(tn("Review history: {n} review", "Review history: {n} reviews", len(history), lang)):
        _history_table(history, lang)
    _indicator_list(sheet, framework, lang)


def _record_form(
    store: Store,
    actor: Actor,
    organisation_id: str,
    year: int,
    sheet: pd.DataFrame,
    framework: Framework,
    lang: str,
) -> None:
    _ = t()
    rows = {row.code: row for row in sheet.itertuples(index=False)}

    def label(code: str) -> str:
        row = rows[code]
        marks = (REVIEWED_MARK if row.reviewed else "") + (DIFFERS_MARK if row.self_evaluator_flag else "")
        return f"{code} · {row.title}" + (f"  {marks}" if marks else "")

    left, right = st.columns([2, 1])
    code = left.selectbox(
        _("Indicator to review"), list(rows), format_func=label, key=widget_key("scorecards_review_code")
    )
    row = rows[code]
    options = [str(level) for level in LEVELS] + [NOT_APPLICABLE]
    start = starting_choice(row.level, row.not_applicable)
    choice = right.selectbox(
        _("Verified level"),
        options,
        index=None if start is None else options.index(start),
        placeholder=_("Choose the verified level"),
        format_func=lambda v: (
            _("N/A – does not apply") if v == NOT_APPLICABLE else framework.level_label(int(v), lang)
        ),
        key=widget_key(level_key(organisation_id, year, code)),
        help=_("It starts at the level of record; change it to the level the evidence supports."),
    )
    facts = [
        _("Self-assessment (median): {level}", level=figure(row.self_level, lang)),
        _("Evaluator: {level}", level=figure(row.evaluator_level, lang)),
        _("Level of record: {level}", level=figure(row.level, lang, row.not_applicable)),
    ]
    if row.reviewed:
        facts.append(_("Already reviewed: {mark}", mark=plain(review_mark(row, lang))))
    st.markdown(" · ".join(facts))
    notes = [note for note in str(row.evidence).split("\n") if note]
    if notes:
        heading = _("Evidence")  # outside the f-string, so that Babel extracts it
        st.markdown("\n".join([f"**{heading}**", *(f"- {plain(note)}" for note in notes)]))
    else:
        st.caption(_("No respondent gave evidence for this indicator."))
    if choice is not None and choice != NOT_APPLICABLE:
        descriptor = framework.indicator(code).descriptors[int(choice)](lang)
        st.caption(_("What level {level} looks like: {descriptor}", level=choice, descriptor=descriptor))
    justification = st.text_area(
        _("Justification"),
        key="scorecards_review_reason",
        placeholder=_("What you checked, e.g. the board minutes approving the strategy."),
    )
    if st.button(_("Record the verified level"), type="primary", key="scorecards_review_submit"):
        with reported_failures():
            if choice is None:
                st.warning(_("Choose the verified level first."), icon=":material/warning:")
                return
            verified = None if choice == NOT_APPLICABLE else int(choice)
            na = choice == NOT_APPLICABLE
            record_review(
                store, organisation_id, year, code, verified, justification, actor, not_applicable=na
            )
            st.session_state[REVIEWED] = _(
                "Verified level of {code} recorded; the scores are up to date.", code=code
            )
            st.session_state.pop("scorecards_review_reason", None)
            st.rerun()


def _history_table(history: pd.DataFrame, lang: str) -> None:
    _ = t()
    if history.empty:
        st.caption(_("No indicator of this assessment has been reviewed yet."))
        return
    verified = zip(history["level"], history["not_applicable"], strict=True)
    replaced = zip(history["active"], history["superseded_at"], strict=True)
    st.dataframe(
        pd.DataFrame(
            {
                _("When"): history["created_at"].dt.strftime("%Y-%m-%d %H:%M UTC"),
                _("Reviewer"): history["reviewer"],
                _("Indicator"): history["code"],
                _("Verified level"): [figure(level, lang, na) for level, na in verified],
                _("Justification"): history["justification"],
                _("State"): [
                    _("level of record")
                    if active
                    else _("replaced on {date}", date=format_date(when.date(), lang))
                    for active, when in replaced
                ],
            }
        ),
        hide_index=True,
        width="stretch",
    )


def _indicator_list(sheet: pd.DataFrame, framework: Framework, lang: str) -> None:
    """Every indicator, one table per dimension, each as tall as its rows, the evidence wrapped in full."""
    _ = t()
    heading = _("Every indicator, by dimension")  # outside the f-string, so that Babel extracts it
    st.markdown(f"**{heading}**")
    only_flagged = st.toggle(
        _("Only indicators where self-assessment and evaluator differ"), key="scorecards_only_flagged"
    )
    shown = sheet[sheet["self_evaluator_flag"]] if only_flagged else sheet
    if shown.empty:
        st.caption(_("Self-assessment and evaluator agree on every indicator."))
        return
    for dimension in framework.dimensions:
        rows = shown[shown["dimension"] == dimension.code]
        if rows.empty:
            continue
        st.markdown(f"**{dimension.code} · {plain(dimension.name(lang))}**")
        indicators = zip(rows["code"], rows["title"], strict=True)
        of_record = zip(rows["level"], rows["not_applicable"], strict=True)
        st.table(
            pd.DataFrame(
                {
                    _("Indicator"): [plain(f"{c} · {title}") for c, title in indicators],
                    _("Self-assessment (median)"): [figure(v, lang) for v in rows["self_level"]],
                    _("Evaluator"): [figure(v, lang) for v in rows["evaluator_level"]],
                    _("Level of record"): [figure(v, lang, na) for v, na in of_record],
                    _("Differs"): [DIFFERS_MARK if flag else "" for flag in rows["self_evaluator_flag"]],
                    _("Reviewed"): [plain(review_mark(row, lang)) for row in rows.itertuples(index=False)],
                    _("Evidence"): [plain(text) for text in rows["evidence"]],
                }
            ),
            hide_index=True,
        )
