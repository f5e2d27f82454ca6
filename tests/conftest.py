"""Shared test helpers.

Optional-looking tests (LibreOffice, Chromium, PostgreSQL) skip locally with a clear
reason when the tool is missing, but fail under CI=true, where .ci/run installs them.
"""

from __future__ import annotations

import os
import shutil

import pytest

IN_CI = os.environ.get("CI", "").lower() == "true"


def require_tool(name: str, why: str = "") -> str:
    """The path of an external program; skip locally, fail in CI when it is missing."""
    path = shutil.which(name)
    if path:
        return path
    reason = f"'{name}' is not installed{': ' + why if why else ''}"
    if IN_CI:
        pytest.fail(f"{reason} (it is mandatory in CI; .ci/run installs it)")
    pytest.skip(reason)
    raise AssertionError("unreachable")
