"""The storage commands: init-db, ingest, history, backup and restore."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from capacity.cli import main
from tests.store_support import make_submission, questionnaire


@pytest.fixture
def url(tmp_path):
    return f"sqlite:///{tmp_path / 'cli.db'}"


@pytest.fixture
def files(tmp_path):
    """Two valid questionnaires (two organisations) and one broken file."""
    paths = []
    for organisation_id in ("ORG-A", "ORG-B"):
        path = tmp_path / f"{organisation_id}.xlsx"
        path.write_bytes(questionnaire(make_submission(organisation_id, 2025)))
        paths.append(path)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 but not really a workbook")
    return [*paths, broken]


def test_init_db_creates_the_database(url, capsys):
    assert main(["init-db", "--database", url]) == 0
    assert "Database ready" in capsys.readouterr().out


def test_ingest_stores_the_valid_files_and_fails_for_the_rejected_one(url, files, capsys):
    assert main(["ingest", *map(str, files), "--database", url]) == 1
    out = capsys.readouterr().out
    assert "ORG-A.xlsx: stored as submission 1" in out
    assert "ORG-B.xlsx: stored as submission 2" in out
    assert "broken.xlsx: rejected" in out

    assert main(["ingest", str(files[0]), "--database", url, "--json"]) == 0
    (again,) = json.loads(capsys.readouterr().out)
    assert again["outcome"] == "duplicate" and again["submission_id"] == 1


def test_ingest_json_lists_every_outcome(url, files, capsys):
    assert (
        main(["ingest", *map(str, files), str(files[0].parent / "missing.xlsx"), "--json", "--database", url])
        == 1
    )
    outcomes = json.loads(capsys.readouterr().out)
    assert [o["outcome"] for o in outcomes] == ["stored_new", "stored_new", "rejected", "unreadable"]
    assert outcomes[2]["errors"] >= 1 and outcomes[2]["problems"]
    assert outcomes[0]["organisation_id"] == "ORG-A" and len(outcomes[0]["sha256"]) == 64


def test_parallel_reading_gives_the_same_outcomes_in_the_same_order(tmp_path, files, capsys):
    sequential, parallel = (f"sqlite:///{tmp_path / name}" for name in ("one.db", "two.db"))
    main(["ingest", *map(str, files), "--json", "--database", sequential])
    first = json.loads(capsys.readouterr().out)
    main(["ingest", *map(str, files), "--json", "--workers", "2", "--database", parallel])
    second = json.loads(capsys.readouterr().out)
    assert [(o["file"], o["outcome"], o["submission_id"]) for o in first] == [
        (o["file"], o["outcome"], o["submission_id"]) for o in second
    ]
    assert main(["ingest", str(files[0]), "--workers", "0", "--database", parallel]) == 2


def test_ingest_stores_in_batches_and_keeps_the_order_of_the_files(url, files, capsys, monkeypatch):
    """Batches of two: an unreadable file in the middle still reports in its place, nothing lost."""
    from capacity.store import ingest

    monkeypatch.setattr(ingest, "BATCH_SIZE", 2)
    missing = str(files[0].parent / "missing.xlsx")
    listed = [str(files[0]), missing, str(files[1]), str(files[2]), str(files[0])]
    assert main(["ingest", *listed, "--json", "--database", url]) == 1
    outcomes = json.loads(capsys.readouterr().out)
    assert [(o["file"], o["outcome"], o.get("submission_id")) for o in outcomes] == [
        ("ORG-A.xlsx", "stored_new", 1),
        (missing, "unreadable", None),
        ("ORG-B.xlsx", "stored_new", 2),
        ("broken.xlsx", "rejected", None),
        ("ORG-A.xlsx", "duplicate", 1),
    ]


def test_history_shows_scores_and_files(url, files, capsys):
    main(["ingest", *map(str, files[:2]), "--database", url])
    capsys.readouterr()
    assert main(["history", "--org", "ORG-A", "--database", url]) == 0
    out = capsys.readouterr().out
    assert "2025" in out and "ORG-A.xlsx" in out and "active" in out
    assert main(["history", "--org", "ORG-A", "--json", "--database", url]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["assessments"][0]["year"] == 2025
    assert payload["submissions"][0]["filename"] == "ORG-A.xlsx"
    assert main(["history", "--org", "NOBODY", "--database", url]) == 1


def test_backup_then_restore_into_another_database(tmp_path, url, files, capsys):
    main(["ingest", *map(str, files[:2]), "--database", url])
    dump = tmp_path / "dump.zip"
    assert main(["backup", "--out", str(dump), "--database", url]) == 0
    assert "2 submissions" in capsys.readouterr().out
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert main(["restore", str(dump), "--database", other]) == 0
    assert "2 submissions" in capsys.readouterr().out
    assert main(["restore", str(dump), "--database", other]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["restore", str(dump), "--force", "--database", other]) == 0


def test_the_real_command_line_uses_the_environments_database(tmp_path, files):
    env = {**os.environ, "CAPACITY_DATABASE_URL": f"sqlite:///{tmp_path / 'env.db'}", "CAPACITY_LANG": "en"}

    def capacity(*argv: str) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "capacity", *argv]
        return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)

    refused = capacity("ingest", str(files[0]))  # the real default: unknown organisations are refused
    assert refused.returncode == 1 and "ORG-A is not in the register" in refused.stdout + refused.stderr
    assert capacity("org", "add", "ORG-A", "--name", "Aurora").returncode == 0
    done = capacity("ingest", str(files[0]))
    assert done.returncode == 0, done.stderr
    assert "stored as submission 1" in done.stdout
    assert (tmp_path / "env.db").exists()
