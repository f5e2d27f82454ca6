"""The Upload page's report of each checked file and of the last submission.

Drawn from `capacity.upload`'s FileReport and outcomes: every text that came from the file
(names, cells, problems) goes through `ui.text.plain`, so it is shown as text.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import streamlit as st

from capacity import upload
from capacity.framework import Framework
from capacity.i18n import format_number, tn, translator
from capacity.labels import status_text
from capacity.questionnaire.layout import RESPONDENT_ROLES
from capacity.questionnaire.reader import Problem
from capacity.store.ingest import IngestOutcome
from capacity.upload import FileReport
from ui.language import current_language
from ui.text import plain, plain_message


def show_confirmation(outcomes: list[IngestOutcome] | None) -> None:
    """What the last Submit stored, in words, with a link to each stored organisation's profile."""
    if not outcomes:
        return
    stored = [outcome for outcome in outcomes if outcome.stored]
    box = st.success if stored else st.info
    lang = current_language()
    _ = translator(lang)
    lines = [f"- {plain(outcome.message(lang))}" for outcome in outcomes]
    box("\n".join([_("Submitted. This is exactly what happened:"), "", *lines]), icon=":material/task_alt:")
    for organisation in upload.stored_organisations(outcomes):
        st.page_link(
            "views/profile.py",
            icon=":material/apartment:",
            query_params={"org": organisation},
            label=_("See the profile of {organisation}", organisation=plain(organisation)),
        )


def show_problems(problems: Iterable[Problem], heading: str) -> None:
    """Each sheet's problems as a list of `cell · what to fix`: plain text that can be read and copied."""
    lang = current_language()
    _ = translator(lang)
    for sheet, rows in upload.problems_by_sheet(problems, lang):
        lines = [
            f"- **{plain(cell)}** · {plain(text)}" if cell else f"- {plain(text)}" for cell, text in rows
        ]
        st.markdown("\n".join([f"**{heading} · {plain(sheet)}**", *lines]))


def show_preview(report: FileReport, framework: Framework) -> None:
    """What the file would produce: who answered, the index, status and each dimension's score."""
    lang = current_language()
    _ = translator(lang)
    submission = report.submission
    assert submission is not None
    role = _(RESPONDENT_ROLES.get(submission.respondent_role, submission.respondent_role))
    respondent = f"{submission.respondent_name} ({role})" if submission.respondent_name else role
    st.markdown(
        _(
            "**Read from the file:** {name} ({organisation}) · assessment year {year} · respondent: "
            "{respondent}",
            name=plain(submission.organisation_name),
            organisation=plain(submission.organisation_id),
            year=submission.year,
            respondent=plain(respondent),
        )
    )
    result = report.result
    if result is None:
        st.caption(_("No figures: this assessment has no active questionnaire."))
        return
    left, middle, right = st.columns(3)
    left.metric(_("Capacity index it would produce"), format_number(result.index.score, lang, 1), border=True)
    middle.metric(
        _("Roadmap status"),
        status_text(result.index.roadmap.status, lang),
        border=True,
        help=_(
            "The roadmap expects {expected} in {year}.",
            expected=format_number(result.index.roadmap.expected, lang, 1),
            year=result.year,
        ),
    )
    right.metric(_("Respondents"), str(result.respondents), border=True)
    st.dataframe(
        pd.DataFrame(upload.score_rows(result, lang, framework)),
        hide_index=True,
        width="stretch",
        column_config={
            "target": _("Dimension"),
            "score": _("Score (0–100)"),
            "expected": _("Roadmap expects"),
            "status": _("Roadmap status"),
        },
    )
    if report.basis is not None:
        st.caption(plain(report.basis.describe(lang)))
        precedence = report.basis.precedence(lang)
        if precedence is not None:
            st.info(plain(precedence), icon=":material/verified:")


def show_report(report: FileReport, framework: Framework) -> None:
    """One file's verdict, its errors, its preview and its warnings (folded away)."""
    lang = current_language()
    _ = translator(lang)
    with st.container(border=True):
        if report.accepted:
            accepted = _("Accepted")  # outside the f-string, so that Babel extracts it
            st.markdown(f":green[**✓ {accepted}**] · **{plain(report.filename)}**")
        else:
            rejected = _("Rejected")  # outside the f-string, so that Babel extracts it
            st.markdown(f":red[**✕ {rejected}**] · **{plain(report.filename)}**")
        st.markdown(plain(report.summary(lang)))
        for note in report.notes:
            st.info(plain_message(note, lang), icon=":material/info:")
        if report.errors:
            show_problems(report.errors, _("Errors"))
        if report.accepted:
            show_preview(report, framework)
        if report.warnings:
            label = (
                tn(
                    "{n} warning: worth a look, but the file is accepted as it is",
                    "{n} warnings: worth a look, but the file is accepted as it is",
                    len(report.warnings),
                    lang,
                )
                if report.accepted
                else tn(
                    "{n} warning, to look at while you fix the errors",
                    "{n} warnings, to look at while you fix the errors",
                    len(report.warnings),
                    lang,
                )
            )
            with st.expander(label):
                show_problems(report.warnings, _("Warnings"))
