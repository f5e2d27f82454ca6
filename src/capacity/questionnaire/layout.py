"""The questionnaire's file format: sheet names, labels, columns and choice lists.

The template writer and the reader both use these definitions, so the two can never
drift apart. Labels are msgids: the writer prints them in one language, and the reader
recognises them in any language (`capacity.i18n.variants`).
"""

from __future__ import annotations

from dataclasses import dataclass

from capacity.i18n import N_

TEMPLATE_VERSION = "1.0"

SHEET_INSTRUCTIONS = N_("Instructions")
SHEET_ORGANISATION = N_("Organisation")
SHEET_RESPONSES = N_("Responses")
SHEET_META = "_meta"  # hidden, never translated: framework id, versions and language
SHEET_LISTS = "_lists"  # hidden, never translated: the dropdown choices

META_FRAMEWORK_ID = "framework_id"
META_FRAMEWORK_VERSION = "framework_version"
META_TEMPLATE_VERSION = "template_version"
META_LANGUAGE = "language"


@dataclass(frozen=True)
class Field:
    """One label/value row of the Organisation sheet."""

    key: str
    label: str  # msgid
    help: str  # msgid
    required: bool


ORGANISATION_FIELDS: tuple[Field, ...] = (
    Field(
        "organisation_id",
        N_("Organisation ID"),
        N_("A short code that stays the same every round, e.g. NS-TR-01."),
        True,
    ),
    Field("organisation_name", N_("Organisation name"), N_("The full name of the organisation."), True),
    Field("organisation_type", N_("Organisation type"), N_("Choose from the list."), False),
    Field("country", N_("Country"), N_("Where the organisation has its headquarters."), False),
    Field("region", N_("Region"), N_("e.g. Europe, Middle East and North Africa, Asia-Pacific."), False),
    Field("year", N_("Assessment year"), N_("The year the answers describe, e.g. 2025."), True),
    Field("respondent_name", N_("Respondent name"), N_("Who filled in this questionnaire."), False),
    Field(
        "respondent_role",
        N_("Respondent role"),
        N_("Self-assessment, or Evaluator for an external review."),
        True,
    ),
    Field("date_completed", N_("Date completed"), N_("The date you finished, e.g. 2025-03-31."), False),
)

ORGANISATION_FIRST_ROW = 2  # the template's first field row, under the Field / Your answer / Help header
ORGANISATION_ANSWER_COLUMN = 2  # "Your answer" (B); the reader finds the column by that header


def organisation_cell(key: str) -> str:
    """Where the template puts a field's answer (A1 style), e.g. "B9" for the respondent role.

    For messages about a questionnaire the reader did not locate itself (the reader
    records where it actually found each field, which is what a moved row needs).
    """
    row = ORGANISATION_FIRST_ROW + [f.key for f in ORGANISATION_FIELDS].index(key)
    return f"{chr(ord('A') + ORGANISATION_ANSWER_COLUMN - 1)}{row}"


ORGANISATION_TYPES: dict[str, str] = {
    "national_society": N_("National Red Crescent/Red Cross society"),
    "ngo": N_("NGO"),
    "foundation": N_("Foundation"),
    "government": N_("Government unit"),
    "international": N_("International organisation"),
    "academic": N_("Academic/think tank"),
    "media": N_("Media organisation"),
    "other": N_("Other"),
}

ROLE_SELF = "self"
ROLE_EVALUATOR = "evaluator"
RESPONDENT_ROLES: dict[str, str] = {ROLE_SELF: N_("Self-assessment"), ROLE_EVALUATOR: N_("Evaluator")}

NOT_APPLICABLE = N_("N/A")


@dataclass(frozen=True)
class Column:
    """One column of the Responses sheet."""

    key: str
    header: str  # msgid
    width: float
    answer: bool  # unlocked for the respondent


RESPONSE_COLUMNS: tuple[Column, ...] = (
    Column("code", N_("Code"), 8, False),
    Column("dimension", N_("Dimension"), 16, False),
    Column("indicator", N_("Indicator"), 24, False),
    Column("question", N_("Question"), 38, False),
    Column("descriptors", N_("Level descriptors (0–5)"), 62, False),
    Column("level", N_("Level"), 17, True),
    Column("evidence", N_("Evidence"), 34, True),
    Column("evidence_link", N_("Evidence link"), 22, True),
)
HEADER_ROW = 1  # the Responses header; indicator rows follow it
