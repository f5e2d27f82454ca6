"""`python -m capacity token …`: made once and printed once, listed without the secret, revoked."""

from __future__ import annotations

import json

from capacity.access import BOARD, CLI_ADMIN
from capacity.accounts import add_user, set_disabled
from capacity.api_tokens import authenticate
from capacity.store import open_store
from tests.cli_support import run


def test_token_commands(tmp_path, capsys):
    url = f"sqlite:///{tmp_path / 'capacity.db'}"
    store = open_store(url)
    add_user(store, CLI_ADMIN, "ana", BOARD)
    add_user(store, CLI_ADMIN, "off", BOARD)
    set_disabled(store, CLI_ADMIN, "off")

    assert run(capsys, "token", "list", "--database", url)[1].strip() == "There are no API tokens."
    code, _, err = run(capsys, "token", "create", "nobody", "--database", url)
    assert code == 1 and "nobody" in err
    assert run(capsys, "token", "create", "off", "--database", url)[0] == 1
    assert run(capsys, "token", "create", "ana", "--expires", "0", "--database", url)[0] == 1

    code, out, _ = run(capsys, "token", "create", "ana", "--expires", "30", "--name", "R", "--database", url)
    assert code == 0
    secret = out.splitlines()[1]
    found = authenticate(store, secret)
    assert found is not None and found[1].username == "ana" and found[1].role == BOARD

    code, out, _ = run(capsys, "token", "list", "--json", "--database", url)
    (listed,) = json.loads(out)
    assert listed["username"] == "ana" and listed["name"] == "R" and listed["active"]
    assert secret not in out and secret.startswith(listed["prefix"])
    code, out, _ = run(capsys, "token", "list", "--lang", "tr", "--database", url)
    assert code == 0 and "etkin" in out.splitlines()[1] and "R" in out

    assert run(capsys, "token", "revoke", str(listed["id"]), "--database", url)[0] == 0
    assert authenticate(store, secret) is None
    assert run(capsys, "token", "revoke", "999", "--database", url)[0] == 1
    store.close()
