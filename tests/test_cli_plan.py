"""`python -m capacity plan list|export`: the plan and its before/after figures as a person reads them."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from openpyxl import load_workbook

from capacity.access import CLI_ADMIN, MANAGER, Actor
from capacity.plans import actions as plan
from capacity.plans.report import PLAN_EXPORTED
from capacity.store import open_store, queries
from tests.cli_support import run
from tests.dashboard_data import fill_small_portfolio

MONA = Actor("mona", MANAGER, frozenset({"NS-01"}))


@pytest.fixture(scope="module")
def database(tmp_path_factory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('cli-plan') / 'capacity.db'}"
    store = open_store(url)
    fill_small_portfolio(store)
    done = plan.add_action(  # a plan of 2019 kept on paper, recorded by the admin
        store,
        CLI_ADMIN,
        "NS-01",
        2019,
        "IC.1",
        "Adopt an HD strategy",
        '=HYPERLINK("x")',
        dt.date(2021, 6, 30),
        3,
    )
    plan.update_action(store, MONA, done, status=plan.DONE, today=dt.date(2021, 5, 2))
    plan.add_note(store, MONA, done, "Board approved the draft.")
    plan.add_action(store, MONA, "NS-01", 2026, "IL.2", "Train two staff", "Berk", dt.date(2027, 3, 1), 5)
    store.close()
    return url


def test_list_shows_each_action_with_before_and_after(capsys, database) -> None:
    code, out, _ = run(capsys, "plan", "list", "--org", "NS-01", "--database", database, "--lang", "en")
    assert code == 0
    assert "2 actions in the plan of NS-01." in out
    assert "Level 2.0 → 3.0 in 2023 (aim reached: yes)." in out  # IC at 2 in 2019, 3 in 2023
    assert "Level 4.0; not measured again yet." in out  # 2026 is NS-01's latest round
    assert "done" in out and "planned" in out


def test_list_in_turkish(capsys, database) -> None:
    code, out, _ = run(capsys, "plan", "list", "--org", "NS-01", "--database", database, "--lang", "tr")
    assert code == 0
    assert "2,0 → 3,0" in out


def test_list_as_json(capsys, database) -> None:
    code, out, _ = run(capsys, "plan", "list", "--org", "NS-01", "--json", "--database", database)
    assert code == 0
    records = json.loads(out)
    assert [
        (r["code"], r["status"], r["before"], r["after"], r["change"], r["reached"]) for r in records
    ] == [
        ("IC.1", "done", 2.0, 3.0, 1.0, True),
        ("IL.2", "planned", 4.0, None, None, None),
    ]
    assert records[0]["completed_on"] == "2021-05-02"
    assert [n["text"] for n in records[0]["notes"]] == ["Board approved the draft."]


def test_export_writes_a_safe_workbook_and_is_audited(capsys, database, tmp_path) -> None:
    out_file = tmp_path / "plan.xlsx"
    code, out, _ = run(
        capsys, "plan", "export", "--org", "NS-01", "--out", str(out_file), "--database", database
    )
    assert code == 0 and out_file.exists()
    assert str(out_file) in out
    workbook = load_workbook(out_file)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    assert rows[0][:4] == ("Action", "Round", "Indicator", "Indicator title")
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["Owner"] == '\'=HYPERLINK("x")'  # shown as text, never run as a formula
    assert (first["Level before"], first["Level after"], first["Change"], first["Aim reached"]) == (
        2,
        3,
        1,
        "yes",
    )
    notes = list(workbook.worksheets[1].iter_rows(values_only=True))
    assert notes[1][-1] == "Board approved the draft."
    store = open_store(database)
    try:
        assert PLAN_EXPORTED in set(queries.audit_log(store, CLI_ADMIN)["action"])
    finally:
        store.close()


@pytest.mark.parametrize("command", ["list", "export"])
def test_an_unknown_organisation_is_refused(capsys, database, tmp_path, command) -> None:
    extra = ["--out", str(tmp_path / "x.xlsx")] if command == "export" else []
    code, _, err = run(capsys, "plan", command, "--org", "NOPE", "--database", database, *extra)
    assert code == 1
    assert "NOPE" in err
    assert not (tmp_path / "x.xlsx").exists()
