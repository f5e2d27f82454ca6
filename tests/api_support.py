"""Shared set-up of the API tests: a small stored portfolio, one account per role, and a token each."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER
from capacity.accounts import add_user
from capacity.api_tokens import create_token
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.store.db import Store
from capacity.store.ingest import ingest_file
from tests.store_support import make_submission, questionnaire

ORGANISATIONS = ("NS-A", "NS-B", "NGO-C")
YEARS = (2021, 2025)
MANAGED = "NS-A"  # the manager's only organisation

ROLE_ACCOUNTS = {
    "api-manager": (MANAGER, (MANAGED,)),
    "api-board": (BOARD, ()),
    "api-evaluator": (EVALUATOR, ()),
    "api-admin": (ADMIN, ()),
}


@dataclass(frozen=True)
class Portfolio:
    files: list[Path]  # the questionnaires stored, also on disk for `score --json`
    tokens: dict[str, str]  # role → token


def write_files(directory: Path) -> list[Path]:
    """Two self-assessments per organisation and year, plus one evaluator questionnaire."""
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for organisation in ORGANISATIONS:
        for year in YEARS:
            for respondent in ("Ayşe Demir", "Omar Haddad"):
                submission = make_submission(organisation, year, respondent, country="Türkiye")
                path = directory / f"{organisation}-{year}-{respondent.split()[0]}.xlsx"
                path.write_bytes(questionnaire(submission))
                files.append(path)
    evaluator = make_submission("NS-B", 2025, "Evaluator", role=ROLE_EVALUATOR)
    path = directory / "NS-B-2025-evaluator.xlsx"
    path.write_bytes(questionnaire(evaluator))
    files.append(path)
    return files


def fill(store: Store, directory: Path) -> Portfolio:
    """Store the files, create the accounts and give each a token (no expiry)."""
    files = write_files(directory)
    for path in files:
        outcome = ingest_file(store, path.read_bytes(), path.name, CLI_ADMIN)
        assert outcome.stored, outcome.message()
    tokens = {}
    for username, (role, organisations) in ROLE_ACCOUNTS.items():
        add_user(store, CLI_ADMIN, username, role, organisations)
        tokens[role] = create_token(store, CLI_ADMIN, username, "tests").secret
    return Portfolio(files, tokens)
