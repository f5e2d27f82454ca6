"""An unexpected failure, logged in full under a short reference that the person can quote.

What reaches the person is a plain sentence with the reference; the stack trace, SQL and
paths stay in the server's log under the same reference, so an administrator finds the
details of exactly that failure without any of them reaching a browser.
"""

from __future__ import annotations

import logging
import secrets

# Easy to read aloud and type: no 0/O or 1/I/L look-alikes.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
REFERENCE_LENGTH = 8  # 31^8 ≈ 8.5e11: no two incidents of one deployment share a reference


def new_reference() -> str:
    """A fresh random reference, e.g. K7QX2MFA."""
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(REFERENCE_LENGTH))


def log_incident(logger: logging.Logger, what: str, *args: object) -> str:
    """Log the exception being handled, with its traceback, under a new reference; return the reference.

    Call it from an `except` block. `what` (with %-style `args`) says what was being done.
    """
    reference = new_reference()
    logger.error("incident %s: " + what, reference, *args, exc_info=True)
    return reference
