"""Streamlit's server settings that hardening depends on (.streamlit/config.toml, `make run`)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from capacity.questionnaire.reader import DEFAULT_MAX_UPLOAD_MB
from capacity.upload import whole_megabytes_limit

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def test_the_transport_ceiling_equals_the_apps_own_upload_limit(monkeypatch) -> None:
    """A larger ceiling let 50 MB bodies in to be refused later; the two are now one number."""
    monkeypatch.delenv("CAPACITY_MAX_UPLOAD_MB", raising=False)
    assert CONFIG["server"]["maxUploadSize"] == whole_megabytes_limit() == DEFAULT_MAX_UPLOAD_MB


@pytest.mark.parametrize(("setting", "expected"), [("", "10"), ("2.5", "3")])
def test_make_run_passes_the_limit_of_the_current_setting_to_streamlit(setting: str, expected: str) -> None:
    """`make run` hands Streamlit the limit CAPACITY_MAX_UPLOAD_MB gives, so a changed setting stays equal."""
    env = {**os.environ, "CAPACITY_MAX_UPLOAD_MB": setting, "PYTHON": sys.executable}
    shown = subprocess.run(
        ["make", "--dry-run", "--always-make", "run", f"VENV={Path(sys.executable).parents[1]}"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.replace("\\\n", " ")
    streamlit_line = next(line for line in shown.splitlines() if "streamlit run app.py" in line)
    found = re.search(r"--server\.maxUploadSize \$\((.+)\)\s*$", streamlit_line)
    assert found, streamlit_line
    command = found.group(1)
    limit = subprocess.run(command, shell=True, env=env, capture_output=True, text=True, check=True).stdout
    assert limit.strip() == expected


def test_no_error_details_reach_a_browser() -> None:
    """Streamlit 1.67 accepts full, stacktrace, type or none; only none hides the exception's text."""
    assert CONFIG["client"]["showErrorDetails"] == "none"
