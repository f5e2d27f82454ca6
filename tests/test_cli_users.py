"""`python -m capacity user …`, `sso …` and `init`: accounts from the console, a first start that works."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from capacity import accounts
from capacity.access import CLI_ADMIN
from capacity.store import open_store
from capacity.store.models import AuditEntry
from tests.cli_support import run

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True)
def cheap_hashing(monkeypatch):
    monkeypatch.setattr(accounts, "_hasher", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    accounts._dummy_hash.cache_clear()


@pytest.fixture
def data_dir(tmp_path, monkeypatch) -> Path:
    monkeypatch.delenv("CAPACITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAPACITY_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("CAPACITY_LANG", "en")
    return tmp_path


def password_in(output: str) -> str:
    return re.search(r"Password for \S+: (\S+)", output).group(1)


def signs_in(username: str, password: str) -> bool:
    store = open_store()
    try:
        return accounts.sign_in(store, username, password, "cli-test").actor is not None
    finally:
        store.close()


def test_add_prints_a_working_password_once_and_list_shows_the_account(data_dir, capsys) -> None:
    code, out, _ = run(
        capsys,
        "user",
        "add",
        "Ayse",
        "--role",
        "manager",
        "--org",
        "NS-01",
        "--org",
        "NS-02",
        "--display-name",
        "Ayşe Demir",
    )
    assert code == 0 and "Account ayse created with the role Manager." in out
    assert signs_in("ayse", password_in(out))
    code, out, _ = run(capsys, "user", "list")
    assert code == 0
    assert re.search(r"^ayse\s+Manager\s+active\s+NS-01, NS-02\s", out, re.MULTILINE)
    code, out, _ = run(capsys, "user", "list", "--json")
    listed = json.loads(out)
    assert listed[0]["username"] == "ayse" and listed[0]["organisations"] == ["NS-01", "NS-02"]
    assert "password" not in json.dumps(listed)


@pytest.mark.parametrize(
    ("argv", "expected_code", "message"),
    [
        (("user", "add", "mgr", "--role", "manager"), 1, "A manager needs at least one organisation."),
        (("user", "add", "x", "--role", "owner"), 2, "invalid choice"),
        (("user", "disable", "nobody"), 1, "There is no account nobody."),
        (("user", "reset-password", "nobody"), 1, "There is no account nobody."),
        (("user",), 2, "required"),
    ],
)
def test_problems_and_usage_errors_have_their_exit_codes(
    data_dir, capsys, argv, expected_code, message
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == expected_code and message in err


def test_disable_enable_set_role_and_reset_password(data_dir, capsys) -> None:
    _, out, _ = run(capsys, "user", "add", "bora", "--role", "board")
    first = password_in(out)
    assert run(capsys, "user", "disable", "bora")[0] == 0
    assert not signs_in("bora", first)
    assert run(capsys, "user", "enable", "bora")[0] == 0
    assert signs_in("bora", first)
    code, out, _ = run(capsys, "user", "set-role", "bora", "--role", "evaluator")
    assert code == 0 and "now has the role Evaluator" in out
    code, out, _ = run(capsys, "user", "reset-password", "bora")
    assert code == 0 and "shown only this once" in out
    assert not signs_in("bora", first) and signs_in("bora", password_in(out))
    store = open_store()
    try:
        with store.read() as session:
            changes = select(AuditEntry.actor).where(AuditEntry.action != accounts.SIGNED_IN)
            actors = set(session.scalars(changes))
    finally:
        store.close()
    assert CLI_ADMIN.username in actors  # the CLI acts as the named local admin


def test_the_last_admin_stays(data_dir, capsys) -> None:
    run(capsys, "user", "add", "root", "--role", "admin")
    code, _, err = run(capsys, "user", "disable", "root")
    assert code == 1 and "last active administrator" in err


def test_sso_rules_from_the_console(data_dir, capsys) -> None:
    code, out, _ = run(capsys, "sso", "add", "NGO.example", "--role", "board")
    assert code == 0 and "*@ngo.example signs in with the role Board member." in out
    assert run(capsys, "sso", "add", "not a pattern", "--role", "board")[0] == 1
    code, out, _ = run(capsys, "sso", "list", "--json")
    assert json.loads(out)[0]["pattern"] == "*@ngo.example"
    assert run(capsys, "sso", "remove", "*@ngo.example")[0] == 0
    assert run(capsys, "sso", "remove", "*@ngo.example")[0] == 1


def test_a_deny_rule_from_the_console(data_dir, capsys) -> None:
    code, out, _ = run(capsys, "sso", "add", "mallory@ngo.example", "--role", "deny")
    assert code == 0 and "mallory@ngo.example may not sign in." in out
    code, out, _ = run(capsys, "sso", "list")
    assert out.strip() == "mallory@ngo.example\tdenied"


def test_init_without_demo_creates_only_the_admin_and_says_where_the_app_is(data_dir, capsys) -> None:
    code, out, _ = run(capsys, "init", "--no-demo", "--port", "8642")
    assert code == 0 and "http://localhost:8642" in out
    line = re.search(r"^\s+admin\s+(\S+)\s+Administrator$", out, re.MULTILINE)
    assert line and signs_in("admin", line.group(1))
    assert "demo-" not in out
    credentials = data_dir / accounts.CREDENTIALS_FILENAME
    assert stat.S_IMODE(credentials.stat().st_mode) == 0o600
    assert credentials.read_text().startswith(f"admin\t{line.group(1)}\tadmin")
    code, out, _ = run(capsys, "init", "--no-demo")
    assert code == 0 and line.group(1) not in out and "first-start passwords are in" in out


def test_make_runs_init_loads_the_demo_with_accounts_for_every_role_within_seconds(tmp_path) -> None:
    """The real command, as `make run` calls it: real argon2, the committed demo, a fresh data directory."""
    environment = {**os.environ, "CAPACITY_DATA_DIR": str(tmp_path), "CAPACITY_LANG": "en"}
    environment.pop("CAPACITY_DATABASE_URL", None)
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "capacity", "init"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    elapsed = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert elapsed < 45, f"init took {elapsed:.0f} s"
    assert "Demo loaded:" in done.stdout and "http://localhost:8501" in done.stdout
    shown = dict(
        re.findall(r"^\s+(admin|demo-manager|demo-board|demo-evaluator)\s+(\S+)", done.stdout, re.MULTILINE)
    )
    assert set(shown) == {"admin", "demo-manager", "demo-board", "demo-evaluator"}
    saved = {
        line.split("\t")[0]: line.split("\t")[1]
        for line in (tmp_path / accounts.CREDENTIALS_FILENAME).read_text().splitlines()
    }
    assert saved == shown
    manager_line = next(line for line in done.stdout.splitlines() if "demo-manager" in line)
    assert re.search(r"for [A-Z]+-[A-Z]+-\d+, [A-Z]+-[A-Z]+-\d+", manager_line)
