"""Last round's answers of an organisation, for the pre-filled questionnaire.

A manager filling the form once a year should update last year's answers, not retype
them. The template writer (`build_template(prefill=...)`) takes one respondent's
questionnaire, so one has to be chosen when several people answered: the most recent
self-assessment, because the organisation's own view is what its manager updates; an
evaluator's file only when the round has no self-assessment.
"""

from __future__ import annotations

from capacity.access import Actor
from capacity.questionnaire.layout import ROLE_SELF
from capacity.questionnaire.submission import Submission
from capacity.store.db import Store
from capacity.store.respondents import latest_round


def latest_submission(store: Store, actor: Actor, organisation_id: str) -> Submission | None:
    """The questionnaire to pre-fill the template with, or None when nothing is stored yet.

    Raises AccessDenied unless the actor may upload for the organisation.
    """
    stored = latest_round(store, actor, organisation_id).questionnaires
    if not stored:
        return None
    newest_first = sorted(stored, key=lambda q: (q.uploaded_at, q.submission_id), reverse=True)
    own_view = [q for q in newest_first if q.submission.respondent_role == ROLE_SELF]
    return (own_view or newest_first)[0].submission
