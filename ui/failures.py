"""What a person sees when an action fails unexpectedly: a plain sentence and a reference.

Every page action (store, review, export, account change …) runs inside `reported_failures`.
A refusal of the library (`AccessDenied`, `StoreError`) is shown as its own message, with the
values it quotes as plain text (`ui.text.plain_message`); any
other exception (the database is down or full, a bug) is logged with its traceback under a
fresh reference (`capacity.incidents`) and the person reads only that something went wrong
and the reference to quote. Streamlit's own control flow (`st.rerun`, `st.stop`) raises
BaseExceptions, which pass through untouched. `client.showErrorDetails = "none"` is the
last line behind this: no trace, SQL or path reaches a browser even if something escapes.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from capacity.access import AccessDenied
from capacity.i18n import N_
from capacity.incidents import log_incident
from capacity.store import StoreError
from ui.language import current_language, t
from ui.text import plain_message

log = logging.getLogger(__name__)

MSG_FAILED = N_(
    "This could not be done because of an unexpected problem. Try again; if it happens again, give the "
    "administrator the reference {reference}."
)


@contextmanager
def reported_failures() -> Iterator[None]:
    """Run the block; show a refusal as its message, anything unexpected as a plain message and reference."""
    try:
        yield
    except (AccessDenied, StoreError) as refused:
        st.error(plain_message(refused.message, current_language()), icon=":material/block:")
    except Exception:
        reference = log_incident(log, "a page action failed")
        st.error(t()(MSG_FAILED, reference=reference), icon=":material/error:")
