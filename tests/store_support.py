"""Shared helpers of the storage tests: a fresh database per test, on SQLite and PostgreSQL.

PostgreSQL cases use the server named by CAPACITY_TEST_POSTGRES_URL (CI starts one, see
.ci/run): each gets its own uniquely named database, dropped afterwards. Without the
variable they skip locally and fail under CI=true.
"""

from __future__ import annotations

import os
import random
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from capacity.framework import current_framework
from capacity.questionnaire.layout import ROLE_SELF
from capacity.questionnaire.submission import Answer, Submission
from capacity.questionnaire.template import build_template
from tests.conftest import BACKENDS as BACKENDS  # defined beside the shared `store` fixture, re-exported
from tests.conftest import IN_CI

POSTGRES_ENV = "CAPACITY_TEST_POSTGRES_URL"


def postgres_server_url() -> str:
    """The test server's URL; skip locally, fail in CI, when none is configured."""
    url = os.environ.get(POSTGRES_ENV)
    if url:
        return url
    reason = f"no PostgreSQL server configured (set {POSTGRES_ENV}, e.g. postgresql+psycopg://postgres@127.0.0.1:55432/postgres)"
    if IN_CI:
        pytest.fail(f"{reason}; it is mandatory in CI, where .ci/run starts one")
    pytest.skip(reason)
    raise AssertionError("unreachable")


@contextmanager
def fresh_database(kind: str, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty database of `kind` ('sqlite' or 'postgres'), removed afterwards."""
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'capacity.db'}"
        return
    server = make_url(postgres_server_url())
    name = f"capacity_test_{uuid.uuid4().hex[:16]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def make_submission(
    organisation_id: str = "ORG-001",
    year: int = 2025,
    respondent_name: str = "Ayşe Demir",
    role: str = ROLE_SELF,
    seed: int = 0,
    **fields,
) -> Submission:
    """A fully answered questionnaire with pseudo-random levels (some N/A), reproducible by `seed`."""
    framework = current_framework()
    rng = random.Random(f"{organisation_id}/{year}/{respondent_name}/{role}/{seed}")
    answers = {}
    for indicator in framework.indicators:
        if rng.random() < 0.05:
            answers[indicator.code] = Answer(code=indicator.code, not_applicable=True)
        else:
            answers[indicator.code] = Answer(
                code=indicator.code,
                level=rng.randint(0, 5),
                evidence=f"Report {rng.randint(1, 99)}",
                evidence_link=f"https://example.org/{indicator.code}" if rng.random() < 0.3 else "",
            )
    values = {
        "framework_id": framework.id,
        "framework_version": framework.version,
        "organisation_id": organisation_id,
        "organisation_name": f"Organisation {organisation_id}",
        "year": year,
        "respondent_role": role,
        "answers": answers,
        "organisation_type": "ngo",
        "country": "Türkiye",
        "region": "Europe",
        "respondent_name": respondent_name,
    }
    return Submission(**{**values, **fields})


def questionnaire(submission: Submission, lang: str = "en") -> bytes:
    """The filled .xlsx a respondent would upload."""
    return build_template(prefill=submission, complete=True, lang=lang)
