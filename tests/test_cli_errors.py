"""A command whose database cannot be used says so in one plain line, with no traceback.

Before this change `python -m capacity org list` against a stopped PostgreSQL server printed
a 40-line SQLAlchemy traceback and exited with 1, like an invalid file.
"""

from __future__ import annotations

import pytest

from capacity.cli import DATABASE_FAILED, DEBUG_ENV, main
from tests.browser import free_port

COMMANDS = (["org", "list"], ["round", "list"], ["user", "list"])


@pytest.mark.parametrize("command", COMMANDS)
def test_unreachable_database_is_one_plain_line(command, capsys, monkeypatch) -> None:
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"  # nothing listens there
    assert main([*command, "--database", url, "--lang", "en"]) == DATABASE_FAILED
    err = capsys.readouterr().err
    assert "Traceback" not in err and "sqlalche.me" not in err
    assert err.startswith("The database could not be used: ")
    assert "refused" in err.lower()
    assert DEBUG_ENV in err


def test_the_message_is_translated(capsys, monkeypatch) -> None:
    monkeypatch.delenv(DEBUG_ENV, raising=False)
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    assert main(["org", "list", "--database", url, "--lang", "tr"]) == DATABASE_FAILED
    assert "The database could not be used" not in capsys.readouterr().err


def test_debug_shows_the_traceback(monkeypatch) -> None:
    monkeypatch.setenv(DEBUG_ENV, "1")
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/none"
    from sqlalchemy.exc import OperationalError

    with pytest.raises(OperationalError):
        main(["org", "list", "--database", url])
