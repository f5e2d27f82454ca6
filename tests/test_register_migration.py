"""Migration 0007 on a database holding stored files: every organisation becomes a register entry."""

from __future__ import annotations

import datetime as dt

import pytest
from alembic import command
from sqlalchemy import text

from capacity.access import CLI_ADMIN
from capacity.rounds import register
from capacity.store.db import _alembic_config, make_engine, open_store
from tests.store_support import BACKENDS, fresh_database

pytestmark = pytest.mark.register_default

NOW = dt.datetime(2025, 5, 1, tzinfo=dt.UTC)
ORGANISATIONS = [("NS-TR-01", "Kızılay Demo", "national_society"), ("NGO-KE-02", "Amani Relief", "ngo")]


def _at_0003_with_files(url: str) -> None:
    """A database as release 0003 left it: organisations, assessments and submissions from files."""
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            command.upgrade(_alembic_config(connection), "0003")
            for number, (key, name, kind) in enumerate(ORGANISATIONS, start=1):
                connection.execute(
                    text(
                        "INSERT INTO organisations (id, name, type, country, region, created_at, updated_at)"
                        " VALUES (:id, :name, :type, 'Türkiye', 'Europe', :now, :now)"
                    ),
                    {"id": key, "name": name, "type": kind, "now": NOW},
                )
                connection.execute(
                    text(
                        "INSERT INTO assessments (id, organisation_id, year, created_at)"
                        " VALUES (:n, :id, 2025, :now)"
                    ),
                    {"n": number, "id": key, "now": NOW},
                )
                connection.execute(
                    text(
                        "INSERT INTO submissions (assessment_id, sha256, filename, content, size,"
                        " uploaded_by, uploaded_at, respondent_name, respondent_role, organisation_name,"
                        " organisation_type, country, region, language, template_version, framework_id,"
                        " framework_version, roadmap_version, notes, parse_result, status)"
                        " VALUES (:n, :sha, 'q.xlsx', :content, 3, 'local-admin', :now, 'Ayşe', 'self',"
                        " :name, :type, 'Türkiye', 'Europe', 'en', '1', 'hdc', '1.0.0', '1.0.0', '[]', '{}',"
                        " 'active')"
                    ),
                    {
                        "n": number,
                        "sha": f"{number:064d}",
                        "content": b"xyz",
                        "now": NOW,
                        "name": name,
                        "type": kind,
                    },
                )
    finally:
        engine.dispose()


@pytest.mark.parametrize("kind", BACKENDS)
def test_upgrading_turns_every_stored_organisation_into_an_active_register_entry(kind, tmp_path) -> None:
    with fresh_database(kind, tmp_path) as url:
        _at_0003_with_files(url)
        store = open_store(url)  # upgrades to head
        try:
            entries = register.list_organisations(store, CLI_ADMIN)
            assert [(e.id, e.name, e.type, e.archived) for e in entries] == sorted(
                (key, name, kind_, False) for key, name, kind_ in ORGANISATIONS
            )
            assert register.allows_create_on_first_upload(store) is False
            with store.read() as session:
                assert session.execute(text("SELECT count(*) FROM rounds")).scalar() == 0
        finally:
            store.close()
