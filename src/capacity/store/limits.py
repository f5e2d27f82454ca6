"""How long each text of a questionnaire may be: the shortest database column that keeps it.

The reader refuses a text that would not fit, naming its sheet and cell, so a file it
accepts always stores (PostgreSQL enforces `String(n)`; SQLite would store anything, which
is why a test on SQLite alone never found this). The limits are read from the model
columns here, never copied as numbers, so a migration that widens a column widens the
reader's limit with it.
"""

from __future__ import annotations

import functools

from sqlalchemy import Column

from capacity.store.models import AuditEntry, Organisation, ResponseRecord, SubmissionRecord

# Each text the reader hands to the store, and every column it is written to.
FIELD_COLUMNS: dict[str, tuple[Column, ...]] = {
    "organisation_id": (Organisation.__table__.c.id, AuditEntry.__table__.c.organisation_id),
    "organisation_name": (Organisation.__table__.c.name, SubmissionRecord.__table__.c.organisation_name),
    "country": (Organisation.__table__.c.country, SubmissionRecord.__table__.c.country),
    "region": (Organisation.__table__.c.region, SubmissionRecord.__table__.c.region),
    "respondent_name": (SubmissionRecord.__table__.c.respondent_name,),
    "template_version": (SubmissionRecord.__table__.c.template_version,),
    "evidence": (ResponseRecord.__table__.c.evidence,),
    "evidence_link": (ResponseRecord.__table__.c.evidence_link,),
    "filename": (SubmissionRecord.__table__.c.filename,),
}

# PostgreSQL's text types cannot hold the character U+0000 at all, whatever the length.
UNSTORABLE_CHARACTERS = ("\x00",)


@functools.cache  # asked for every answer of every file; the columns never change in a process
def max_length(field: str) -> int | None:
    """The most characters `field` may have (None: no limit, e.g. a Text column)."""
    lengths = [length for column in FIELD_COLUMNS[field] if (length := getattr(column.type, "length", None))]
    return min(lengths) if lengths else None


def storable(text: str) -> bool:
    """Whether every character of `text` can be stored on every back end."""
    return not any(character in text for character in UNSTORABLE_CHARACTERS)
