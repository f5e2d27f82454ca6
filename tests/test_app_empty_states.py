"""Empty pages speak to the person reading them: a board member is never told to run a command.

A fresh installation (no assessment, no round) is opened on every page as each role, in
every language. Only an administrator, who runs the server, is told about the command that
loads the demo organisations; the others are told what they can do themselves, and those
who cannot upload are not sent to the Upload page.
"""

from __future__ import annotations

import re

import pytest

from capacity import i18n
from capacity.access import ADMIN, BOARD, EVALUATOR, MANAGER, Actor
from capacity.empty_states import (
    NO_ASSESSMENTS_ADMIN,
    NO_ASSESSMENTS_EVALUATOR,
    NO_ASSESSMENTS_MANAGER,
    NO_ASSESSMENTS_READER,
    no_assessments,
)
from tests.apptest import open_page, shown
from tests.test_app_languages import PAGES, page_strings

COMMAND_LINE = re.compile(
    r"python -m|`capacity |\bmake (run|test|bench)\b|command line|\bCLI\b", re.IGNORECASE
)
ACTORS = {
    BOARD: Actor("bo", BOARD),
    MANAGER: Actor("mia", MANAGER, frozenset({"ORG-1"})),
    EVALUATOR: Actor("eva", EVALUATOR),
    ADMIN: Actor("ada", ADMIN),
}


@pytest.fixture
def empty_database(tmp_path, monkeypatch):
    monkeypatch.delenv("CAPACITY_DATA_DIR", raising=False)
    monkeypatch.setenv("CAPACITY_DATABASE_URL", f"sqlite:///{tmp_path / 'capacity.db'}")


def test_each_role_hears_what_it_can_do() -> None:
    said = {role: no_assessments(actor) for role, actor in ACTORS.items()}
    assert said[BOARD].message.msgid == NO_ASSESSMENTS_READER and not said[BOARD].offer_upload
    assert said[MANAGER].message.msgid == NO_ASSESSMENTS_MANAGER and said[MANAGER].offer_upload
    assert said[EVALUATOR].message.msgid == NO_ASSESSMENTS_EVALUATOR and said[EVALUATOR].offer_upload
    assert said[ADMIN].message.msgid == NO_ASSESSMENTS_ADMIN and said[ADMIN].offer_upload
    for lang in i18n.LANGUAGES:
        for role in (BOARD, MANAGER, EVALUATOR):
            assert not COMMAND_LINE.search(said[role].message.render(lang)), (role, lang)
        assert "python -m capacity demo" in said[ADMIN].message.render(lang)


@pytest.mark.parametrize("lang", sorted(i18n.LANGUAGES))
@pytest.mark.parametrize("role", [BOARD, MANAGER, EVALUATOR])
def test_no_empty_page_tells_a_non_administrator_to_run_a_command(empty_database, role, lang) -> None:
    sent_to_upload = set()
    for page in PAGES:
        at = open_page(f"views/{page}.py", lang=lang, actor=ACTORS[role])
        text = shown("\n".join(page_strings(at._tree)))
        assert not COMMAND_LINE.search(text), (page, COMMAND_LINE.search(text))
        if "upload" in [link.proto.page for link in at.get("page_link")]:
            sent_to_upload.add(page)
    # Only those who may upload are sent there (from the empty dashboards).
    assert bool(sent_to_upload) == (role != BOARD) and ("overview" in sent_to_upload) == (role != BOARD)


def test_an_administrator_is_told_how_to_load_the_demo(empty_database) -> None:
    at = open_page("views/overview.py", actor=ACTORS[ADMIN])
    assert "python -m capacity demo" in shown("\n".join(box.value for box in at.info))
