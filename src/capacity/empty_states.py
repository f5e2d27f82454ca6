"""What an empty page says, by role: each reader is told only what they themselves can do.

A fresh installation has no assessments. A board member cannot upload and has no server,
so they are told the scores appear once organisations have sent their questionnaires,
never to run a command. A manager is sent to the Upload page for their organisation, an
evaluator to the Upload page for their own questionnaires; only an administrator, who
runs the server, also hears of the command that loads the fictional demo organisations.
"""

from __future__ import annotations

from dataclasses import dataclass

from capacity import access
from capacity.access import Actor
from capacity.i18n import N_, Message

NO_ASSESSMENTS_ADMIN = N_(
    "No assessments yet. Download the blank questionnaire on the Upload page, have it filled in and "
    "upload it there, or load the fictional demo organisations on the server with `python -m capacity demo`."
)
NO_ASSESSMENTS_EVALUATOR = N_(
    "No assessments yet. Managers upload their organisations' questionnaires on the Upload page; you "
    "can upload an evaluator's questionnaire there too."
)
NO_ASSESSMENTS_MANAGER = N_(
    "No assessment of your organisation yet. Download the blank questionnaire on the Upload page, have "
    "it filled in and upload it there: the scores appear here at once."
)
NO_ASSESSMENTS_READER = N_(
    "No assessments yet. The scores appear here as soon as the organisations have sent their "
    "questionnaires; nothing needs to be done on your side."
)


@dataclass(frozen=True)
class EmptyState:
    """The sentence to show, and whether to offer the Upload page (only to those who may upload)."""

    message: Message
    offer_upload: bool


def no_assessments(actor: Actor) -> EmptyState:
    """What a page with no assessment to show tells `actor`."""
    if access.is_allowed(actor, access.MANAGE_USERS):
        return EmptyState(Message(NO_ASSESSMENTS_ADMIN), True)
    if access.is_allowed(actor, access.UPLOAD_EVALUATOR):
        return EmptyState(Message(NO_ASSESSMENTS_EVALUATOR), True)
    if access.is_allowed(actor, access.UPLOAD):
        return EmptyState(Message(NO_ASSESSMENTS_MANAGER), True)
    return EmptyState(Message(NO_ASSESSMENTS_READER), False)
