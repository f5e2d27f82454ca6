"""AppTest of the admin page's framework and roadmap versions: list, add a file, activate, confirmed."""

from __future__ import annotations

import re

import pytest
import yaml
from streamlit.testing.v1.element_tree import AppTestError

from capacity.access import CLI_ADMIN
from capacity.framework import use_framework
from capacity.roadmap import ROADMAP_PATH, bundled_roadmap, current_roadmap, use_roadmap
from capacity.store import open_store, queries
from capacity.store.ingest import ingest_submission
from capacity.versions import ROADMAP, VERSION_ACTIVATED, VERSION_ADDED, activate_version, add_version
from tests.apptest import open_page, shown
from tests.store_support import make_submission

ADMIN_PAGE = "views/admin.py"
YAML = "application/x-yaml"


@pytest.fixture(autouse=True)
def database(tmp_path, monkeypatch):
    monkeypatch.delenv("CAPACITY_DATABASE_URL", raising=False)
    monkeypatch.setenv("CAPACITY_DATA_DIR", str(tmp_path))
    store = open_store()
    for n, organisation_id in enumerate(("ORG-1", "ORG-2")):
        submission = make_submission(organisation_id, 2025, seed=n)
        assert ingest_submission(store, submission, f"{n}".encode(), f"{n}.xlsx", CLI_ADMIN).stored
    yield store
    store.close()
    use_framework(None)  # AppTest runs the app in this process: later tests expect the bundled files
    use_roadmap(None)


def roadmap_yaml(version: str) -> bytes:
    raw = yaml.safe_load(ROADMAP_PATH.read_text(encoding="utf-8"))
    raw["version"] = version
    raw["milestones"][-1]["targets"] = dict.fromkeys(raw["milestones"][-1]["targets"], 75)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode()


def versions_table(at):
    return next(frame.value for frame in at.dataframe if "version" in frame.value.columns)


def run(at):
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_an_admin_adds_and_activates_a_roadmap_version(database) -> None:
    at = open_page(ADMIN_PAGE, role="admin")
    listed = versions_table(at)
    assert listed[["version", "source", "active"]].values.tolist() == [
        ["1.0.0", "bundled", "active"],
        ["1.0.0", "bundled", "active"],
    ]

    at.file_uploader(key="admin_version_file").set_value(("broken.yaml", b"milestones: [", YAML))
    run(at)
    at.button(key="admin_version_add").click()
    run(at)
    assert any("not valid YAML" in e.value for e in at.error)
    assert len(versions_table(at)) == 2  # nothing added

    at.file_uploader(key="admin_version_file").set_value(("roadmap-2.yaml", roadmap_yaml("2.0.0"), YAML))
    run(at)
    at.button(key="admin_version_add").click()
    run(at)
    added = "Roadmap version 2.0.0 (civil-global-2015-2023-2053) added."
    assert [shown(s.value) for s in at.success] == [added]
    listed = versions_table(at)
    assert listed["version"].tolist() == ["1.0.0", "1.0.0", "2.0.0"]
    assert listed["added_by"].tolist()[:2] == ["–", "–"]  # bundled: no one added them, no "None"
    assert listed["added_by"].tolist()[2] == "admin-test"
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d", listed["added_at"].tolist()[2])

    at.selectbox(key="admin_version_roadmap").select("2.0.0")
    run(at)
    activate = at.button(key="admin_version_roadmap_activate")
    with pytest.raises(AppTestError):  # not without the confirmation
        activate.click()
    at.checkbox(key="admin_version_roadmap_confirm").check()
    run(at)
    at.button(key="admin_version_roadmap_activate").click()
    run(at)

    assert [shown(s.value) for s in at.success] == ["Version 2.0.0 is active; 2 assessments were recomputed."]
    assert versions_table(at)["active"].tolist() == ["active", "", "active"]
    assert current_roadmap().version == "2.0.0" and current_roadmap() != bundled_roadmap()
    for organisation_id in ("ORG-1", "ORG-2"):
        (result,) = queries.assessment_results(database, CLI_ADMIN, organisation_id)
        assert result.roadmap_version == "2.0.0"
    log = queries.audit_log(database, CLI_ADMIN)
    assert set(log[log["action"].isin([VERSION_ADDED, VERSION_ACTIVATED])]["actor"]) == {"admin-test"}


def test_a_changed_file_under_an_existing_version_is_refused_on_the_page(database) -> None:
    at = open_page(ADMIN_PAGE, role="admin")
    at.file_uploader(key="admin_version_file").set_value(("same.yaml", roadmap_yaml("1.0.0"), YAML))
    run(at)
    at.button(key="admin_version_add").click()
    run(at)
    assert [shown(e.value) for e in at.error] == [
        "Roadmap version 1.0.0 already exists with different content. "
        "Give the changed file a new version number."
    ]
    assert len(versions_table(at)) == 2


def test_the_app_follows_a_version_another_instance_activated(database) -> None:
    at = open_page("views/framework.py", role="board")
    add_version(database, CLI_ADMIN, None, roadmap_yaml("2.0.0"))
    activate_version(database, CLI_ADMIN, ROADMAP, "2.0.0")
    use_roadmap(None)  # as if another app instance had activated it: this process has not seen it
    run(at)
    assert current_roadmap().version == "2.0.0"
