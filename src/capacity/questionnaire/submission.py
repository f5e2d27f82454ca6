"""A validated questionnaire: what the reader produces and the engine and store consume."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Answer:
    """One indicator's answer: a level 0–5, not applicable, or blank (neither is ever scored 0)."""

    code: str
    level: int | None = None
    not_applicable: bool = False
    evidence: str = ""
    evidence_link: str = ""

    @property
    def is_blank(self) -> bool:
        return self.level is None and not self.not_applicable


@dataclass(frozen=True)
class Submission:
    """One respondent's questionnaire for one organisation and assessment year."""

    framework_id: str
    framework_version: str
    organisation_id: str
    organisation_name: str
    year: int
    respondent_role: str  # layout.ROLE_SELF or layout.ROLE_EVALUATOR
    answers: dict[str, Answer]  # by indicator code, in framework order
    organisation_type: str | None = None  # a key of layout.ORGANISATION_TYPES
    country: str = ""
    region: str = ""
    respondent_name: str = ""
    date_completed: dt.date | None = None
    language: str = "en"
    template_version: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. "macros were ignored"
