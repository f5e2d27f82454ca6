"""`python -m capacity org …` and `round …`: the register and a round's whole life from the console."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from capacity.access import CLI_ADMIN, MANAGER, Actor
from capacity.rounds import rounds
from capacity.store import open_store
from capacity.store.ingest import ingest_submission
from tests.cli_support import run
from tests.store_support import make_submission

pytestmark = pytest.mark.register_default
YEAR = dt.date.today().year


@pytest.fixture
def database(tmp_path) -> str:
    return f"sqlite:///{tmp_path / 'capacity.db'}"


def _json(capsys, *argv: str):
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    return json.loads(out)


def test_the_register_from_the_console(capsys, database) -> None:
    db = ("--database", database)
    assert (
        run(capsys, "org", "add", "NS-TR-01", "--name", "Kızılay Demo", "--type", "national_society", *db)[0]
        == 0
    )
    code, _, err = run(capsys, "org", "add", "NS-TR-01", "--name", "Again", *db)
    assert code == 1 and "NS-TR-01" in err
    assert run(capsys, "org", "add", "NGO-02", "--name", "Amani", "--type", "spaceship", *db)[0] == 1
    assert run(capsys, "org", "update", "NS-TR-01", "--region", "Europe", *db)[0] == 0
    assert run(capsys, "org", "add", "NGO-02", "--name", "Amani", *db)[0] == 0
    assert run(capsys, "org", "archive", "NGO-02", *db)[0] == 0

    listed = _json(capsys, "org", "list", "--json", *db)
    assert [(e["id"], e["name"], e["region"], e["archived"]) for e in listed] == [
        ("NGO-02", "Amani", "", True),
        ("NS-TR-01", "Kızılay Demo", "Europe", False),
    ]
    assert [e["id"] for e in _json(capsys, "org", "list", "--json", "--active", *db)] == ["NS-TR-01"]
    code, out, _ = run(capsys, "org", "list", "--lang", "tr", *db)
    assert code == 0 and "Kızılay Demo" in out and "arşiv" in out.lower()
    assert run(capsys, "org", "create-on-upload", "on", *db)[0] == 0


def test_a_round_from_opening_to_closing(capsys, database) -> None:
    db = ("--database", database)
    for key in ("ORG-A", "ORG-B"):
        assert run(capsys, "org", "add", key, "--name", f"Organisation {key}", *db)[0] == 0
    deadline = dt.date(YEAR, 12, 31).isoformat()
    code, out, _ = run(capsys, "round", "open", "--year", str(YEAR), "--deadline", deadline, *db)
    assert code == 0 and "2" in out
    code, _, err = run(capsys, "round", "open", "--year", str(YEAR), "--deadline", deadline, *db)
    assert code == 1 and str(YEAR) in err
    assert run(capsys, "round", "open", "--year", "2020", "--deadline", "31/12/2020", *db)[0] == 2

    store = open_store(database)
    try:
        manager = Actor("m", MANAGER, frozenset({"ORG-A"}))
        ingest_submission(store, make_submission("ORG-A", YEAR), b"a", "a.xlsx", manager)
        rounds.mark_submitted(store, manager, "ORG-A", YEAR)
        rounds.sign_off(store, CLI_ADMIN, "ORG-A", YEAR)
    finally:
        store.close()

    status = _json(capsys, "round", "status", "--year", str(YEAR), "--json", *db)
    assert [(s["organisation_id"], s["state"], s["respondents"]) for s in status] == [
        ("ORG-A", "verified", 1),
        ("ORG-B", "not_started", 0),
    ]
    assert set(status[0]) == {
        "organisation_id",
        "state",
        "respondents",
        "last_upload",
        "reviewed_indicators",
        "verified_at",
    }
    assert status[0]["verified_at"] is not None and status[1]["last_upload"] is None
    code, out, _ = run(capsys, "round", "status", "--year", str(YEAR), "--lang", "tr", *db)
    assert code == 0 and "doğrulandı" in out.lower()

    assert run(capsys, "round", "close", "--year", str(YEAR), *db)[0] == 0
    assert run(capsys, "round", "close", "--year", str(YEAR), *db)[0] == 1
    (listed,) = _json(capsys, "round", "list", "--json", *db)
    assert (listed["year"], listed["open"], listed["expected"]) == (YEAR, False, 2)
    assert run(capsys, "round", "status", "--year", "1999", *db)[0] == 1
