"""The one exception the store raises for a request it cannot carry out (besides AccessDenied)."""

from __future__ import annotations

from capacity.i18n import Message


class StoreError(ValueError):
    """A store action was refused (unknown submission, nothing to restore …); the message is translatable."""

    def __init__(self, message: Message) -> None:
        self.message = message
        super().__init__(message.render("en"))
