"""Framework and roadmap versions: added as YAML, activated by an admin, every stored result recomputed."""

from __future__ import annotations

import io
import json
import math
import threading

import openpyxl
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from capacity import audit_view, versions
from capacity.access import ADMIN, BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.framework import FRAMEWORK_PATH, bundled_framework, current_framework, use_framework
from capacity.questionnaire import layout
from capacity.questionnaire.reader import MSG_UNKNOWN_FRAMEWORK, read_questionnaire
from capacity.questionnaire.template import build_template
from capacity.roadmap import ROADMAP_PATH, bundled_roadmap, current_roadmap, use_roadmap
from capacity.scoring import score_assessment
from capacity.store import audit, open_store, queries
from capacity.store.assessments import rebuild_submissions
from capacity.store.backup import backup, restore
from capacity.store.corrections import record_review
from capacity.store.ingest import REJECTED, ingest_submission
from capacity.store.models import (
    ActiveVersion,
    AddedVersion,
    Assessment,
    AssessmentResultRecord,
    AuditEntry,
    DimensionResultRecord,
)
from capacity.versions import (
    FRAMEWORK,
    MSG_DUPLICATE,
    MSG_NOT_TEXT,
    MSG_NOT_YAML,
    MSG_PROBLEMS,
    MSG_TOO_BIG,
    MSG_UNKNOWN_KIND,
    MSG_UNKNOWN_VERSION,
    ROADMAP,
    VersionError,
    activate_version,
    add_version,
    apply_active,
    available_versions,
    framework_version,
)
from tests.cli_support import run
from tests.store_support import BACKENDS, fresh_database, make_submission, questionnaire

ASSESSMENTS = (("ORG-1", 2023), ("ORG-1", 2025), ("ORG-2", 2025))
NEW_TITLE = "Mandate and strategy (revised wording)"


@pytest.fixture(autouse=True)
def bundled_versions_afterwards():
    """Activation changes what this process uses; the other tests of the run expect the bundled files."""
    yield
    use_framework(None)
    use_roadmap(None)


def roadmap_yaml(version: str = "2.0.0", vision: float = 70) -> bytes:
    """The bundled roadmap with another version and other 2053 targets."""
    raw = yaml.safe_load(ROADMAP_PATH.read_text(encoding="utf-8"))
    raw["version"] = version
    raw["milestones"][-1]["targets"] = dict.fromkeys(raw["milestones"][-1]["targets"], vision)
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode()


def framework_yaml(version: str = "1.1.0", title: str = NEW_TITLE) -> bytes:
    """The bundled framework with another version and one indicator title changed."""
    raw = yaml.safe_load(FRAMEWORK_PATH.read_text(encoding="utf-8"))
    raw["version"] = version
    raw["dimensions"][0]["indicators"][0]["title"]["en"] = title
    return yaml.safe_dump(raw, allow_unicode=True, sort_keys=False).encode()


def fill(store) -> None:
    """Three assessments, one with two respondents and one with an evaluator's review."""
    for n, (organisation_id, year) in enumerate(ASSESSMENTS):
        submission = make_submission(organisation_id, year, seed=n)
        assert ingest_submission(store, submission, f"{n}".encode(), f"{n}.xlsx", CLI_ADMIN).stored
    second = make_submission("ORG-1", 2025, respondent_name="Second respondent", seed=9)
    assert ingest_submission(store, second, b"second", "second.xlsx", CLI_ADMIN).stored
    record_review(store, "ORG-2", 2025, "IC.1", 4, "Strategy seen.", CLI_ADMIN)


@pytest.fixture(params=BACKENDS)
def store(request, tmp_path):
    with fresh_database(request.param, tmp_path) as url:
        opened = open_store(url)
        fill(opened)
        yield opened
        opened.close()


def stored_results(store) -> dict[tuple[str, int], object]:
    return {
        (result.organisation_id, result.year): result
        for organisation_id in ("ORG-1", "ORG-2")
        for result in queries.assessment_results(store, CLI_ADMIN, organisation_id)
    }


def engine_results(store, framework, roadmap) -> dict[tuple[str, int], object]:
    """What the engine makes of the stored evidence with `framework` and `roadmap`."""
    with store.read() as session:
        return {
            (a.organisation_id, a.year): score_assessment(rebuild_submissions(session, a), framework, roadmap)
            for a in session.scalars(select(Assessment))
        }


def actions(store) -> list[str]:
    with store.read() as session:
        return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def same(stored: float | None, computed: float) -> bool:
    """A flat column against the engine's number (a missing number is stored as NULL)."""
    return math.isnan(computed) if stored is None else math.isclose(stored, computed)


# ------------------------------------------------------------------ roadmap
def test_activating_a_roadmap_recomputes_every_gap_and_status_as_the_engine_does(store):
    before = stored_results(store)
    added = add_version(store, CLI_ADMIN, ROADMAP, roadmap_yaml(vision=70))
    assert (added.kind, added.version, added.added) == (ROADMAP, "2.0.0", True)
    assert current_roadmap() == bundled_roadmap()  # added is not active

    done = activate_version(store, CLI_ADMIN, ROADMAP, "2.0.0")

    assert (done.kind, done.version, done.previous, done.recomputed) == (ROADMAP, "2.0.0", "1.0.0", 3)
    new_roadmap = current_roadmap()
    assert new_roadmap.version == "2.0.0" and new_roadmap.target("IC", 2053) == 70
    after = stored_results(store)
    assert after == engine_results(store, bundled_framework(), new_roadmap)
    assert after != engine_results(store, bundled_framework(), bundled_roadmap())
    for key, result in after.items():
        assert result.roadmap_version == "2.0.0"
        assert result.index.score == before[key].index.score  # the answers score the same
        assert result.index.roadmap.gap_2053 != before[key].index.roadmap.gap_2053
    changed = after[("ORG-1", 2025)]
    assert changed.index.roadmap.expected != before[("ORG-1", 2025)].index.roadmap.expected
    with store.read() as session:  # the flat columns the dashboards query moved too
        rows = session.execute(
            select(Assessment.organisation_id, Assessment.year, DimensionResultRecord).join(
                DimensionResultRecord, DimensionResultRecord.assessment_id == Assessment.id
            )
        ).all()
        versions_stored = set(session.scalars(select(AssessmentResultRecord.roadmap_version)))
    assert versions_stored == {"2.0.0"}
    for organisation_id, year, row in rows:
        position = after[(organisation_id, year)].dimensions[row.dimension].roadmap
        assert same(row.gap_2053, position.gap_2053) and row.status == position.status
    with store.read() as session:
        log = session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(3)).all()
    assert [(e.action, e.actor) for e in reversed(log)] == [
        (versions.VERSION_ADDED, CLI_ADMIN.username),
        (versions.VERSION_ACTIVATED, CLI_ADMIN.username),
        (audit.RESULTS_RECOMPUTED, CLI_ADMIN.username),
    ]
    assert log[1].detail == {"kind": ROADMAP, "id": added.id, "version": "2.0.0", "previous": "1.0.0"}
    assert log[0].detail["count"] == 3


def test_a_new_upload_after_activation_is_measured_against_the_new_roadmap(store):
    add_version(store, CLI_ADMIN, None, roadmap_yaml(vision=50))
    activate_version(store, CLI_ADMIN, ROADMAP, "2.0.0")
    submission = make_submission("ORG-3", 2025)
    assert ingest_submission(store, submission, b"org-3", "org-3.xlsx", CLI_ADMIN).stored
    (result,) = queries.assessment_results(store, CLI_ADMIN, "ORG-3")
    assert result == score_assessment([submission], bundled_framework(), current_roadmap())
    assert result.roadmap_version == "2.0.0"


def test_an_upload_during_an_activation_waits_and_is_measured_against_the_new_roadmap(store):
    add_version(store, CLI_ADMIN, None, roadmap_yaml(vision=50))
    submission = make_submission("ORG-9", 2025)
    seen: dict[str, object] = {}

    def upload() -> None:
        seen["outcome"] = ingest_submission(store, submission, b"during", "during.xlsx", CLI_ADMIN)

    uploader = threading.Thread(target=upload)

    def halfway(done: int, total: int) -> None:
        if done == 1:
            uploader.start()
            uploader.join(timeout=1.0)
            seen["waited"] = uploader.is_alive()  # held back until the activation commits

    activate_version(store, CLI_ADMIN, ROADMAP, "2.0.0", progress=halfway)
    uploader.join(timeout=60)
    assert seen["waited"] and seen["outcome"].stored
    (result,) = queries.assessment_results(store, CLI_ADMIN, "ORG-9")
    assert result.roadmap_version == "2.0.0"
    assert result == score_assessment([submission], bundled_framework(), current_roadmap())


def test_activating_back_restores_the_bundled_roadmap_results(store):
    before = stored_results(store)
    add_version(store, CLI_ADMIN, ROADMAP, roadmap_yaml())
    activate_version(store, CLI_ADMIN, ROADMAP, "2.0.0")
    assert activate_version(store, CLI_ADMIN, ROADMAP, "1.0.0").previous == "2.0.0"
    assert stored_results(store) == before
    assert current_roadmap() == bundled_roadmap()


def test_a_failed_recompute_changes_nothing(store, monkeypatch):
    before = stored_results(store)
    add_version(store, CLI_ADMIN, ROADMAP, roadmap_yaml())
    calls = []

    def failing(session, assessment):
        calls.append(assessment.id)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return original(session, assessment)

    original = versions.recompute_assessment
    monkeypatch.setattr(versions, "recompute_assessment", failing)
    with pytest.raises(RuntimeError):
        activate_version(store, CLI_ADMIN, ROADMAP, "2.0.0")
    assert stored_results(store) == before
    assert current_roadmap() == bundled_roadmap()
    with store.read() as session:
        assert session.get(ActiveVersion, ROADMAP) is None
    assert versions.VERSION_ACTIVATED not in actions(store)


# ------------------------------------------------------------------ refusals
def refusal(store, data: bytes, kind: str | None = None) -> VersionError:
    with pytest.raises(VersionError) as caught:
        add_version(store, CLI_ADMIN, kind, data)
    assert caught.value.message.render("tr")  # renders in every language
    return caught.value


def nothing_added(store) -> bool:
    with store.read() as session:
        count = session.scalar(select(func.count()).select_from(AddedVersion))
    return count == 0 and versions.VERSION_ADDED not in actions(store)


def test_invalid_yaml_is_refused_with_the_line_and_nothing_is_stored(store):
    error = refusal(store, b"id: civil\nmilestones: [\n  - year: 2015\n")
    assert error.message.msgid == MSG_NOT_YAML
    assert "not valid YAML" in error.message.params["problems"]
    assert "line" in error.message.params["problems"]
    assert nothing_added(store)


def test_a_roadmap_missing_a_dimension_target_is_refused_with_every_problem(store):
    raw = yaml.safe_load(roadmap_yaml())
    del raw["milestones"][2]["targets"]["SM"]
    del raw["milestones"][0]["targets"]["IC"]
    error = refusal(store, yaml.safe_dump(raw).encode())
    assert error.message.msgid == MSG_PROBLEMS[ROADMAP]
    problems = error.message.params["problems"]
    assert "milestone 2053: target 'SM' is missing" in problems
    assert "milestone 2015: target 'IC' is missing" in problems
    assert "SM" in error.message.render("en")
    assert nothing_added(store)


def test_other_bad_files_are_refused_each_with_its_reason(store):
    assert refusal(store, b"x" * (versions.MAX_VERSION_BYTES + 1)).message.msgid == MSG_TOO_BIG
    assert refusal(store, "id: ş".encode("utf-16")).message.msgid == MSG_NOT_TEXT
    assert refusal(store, b"id: x\nversion: '1'\n").message.msgid == MSG_UNKNOWN_KIND
    aliased = roadmap_yaml().decode().replace("label:", "label: &a", 1) + "extra: *a\n"
    assert "aliases" in refusal(store, aliased.encode()).message.params["problems"]
    wrong_kind = refusal(store, roadmap_yaml(), kind=FRAMEWORK)
    assert wrong_kind.message.msgid == MSG_PROBLEMS[FRAMEWORK]
    long_version = roadmap_yaml(version="9" * 41)
    assert "longer than 40" in refusal(store, long_version).message.params["problems"]
    assert nothing_added(store)


def test_a_version_is_added_once_and_never_replaced_by_other_content(store):
    assert add_version(store, CLI_ADMIN, None, roadmap_yaml(vision=70)).added
    assert not add_version(store, CLI_ADMIN, None, roadmap_yaml(vision=70)).added  # same content: no-op
    assert refusal(store, roadmap_yaml(vision=71)).message.msgid == MSG_DUPLICATE[ROADMAP]
    bundled_again = add_version(store, CLI_ADMIN, None, ROADMAP_PATH.read_bytes())
    assert (bundled_again.version, bundled_again.added) == ("1.0.0", False)
    assert refusal(store, roadmap_yaml(version="1.0.0")).message.msgid == MSG_DUPLICATE[ROADMAP]
    assert actions(store).count(versions.VERSION_ADDED) == 1


def test_an_unknown_version_cannot_be_activated(store):
    with pytest.raises(VersionError) as caught:
        activate_version(store, CLI_ADMIN, ROADMAP, "9.9.9")
    assert caught.value.message.msgid == MSG_UNKNOWN_VERSION[ROADMAP]
    with pytest.raises(VersionError):
        framework_version(store, "9.9.9")


def test_random_bytes_are_always_refused_cleanly(tmp_path):
    store = open_store(f"sqlite:///{tmp_path / 'random.db'}")
    yaml_like = st.recursive(
        st.none() | st.booleans() | st.integers() | st.text(max_size=8),
        lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children),
        max_leaves=20,
    ).map(lambda value: yaml.safe_dump(value).encode())

    @given(st.binary(max_size=2000) | yaml_like)
    @settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    def check(data: bytes) -> None:
        with pytest.raises(VersionError):
            add_version(store, CLI_ADMIN, None, data)

    check()
    assert nothing_added(store)
    store.close()


# ------------------------------------------------------------------ roles
@pytest.mark.parametrize("role", [MANAGER, BOARD, EVALUATOR])
def test_only_admins_add_and_activate_but_everyone_may_list(store, role):
    actor = Actor(f"{role}-user", role, frozenset({"ORG-1"}))
    add_version(store, CLI_ADMIN, None, roadmap_yaml())
    before = stored_results(store)
    with pytest.raises(AccessDenied):
        add_version(store, actor, None, roadmap_yaml(version="3.0.0"))
    with pytest.raises(AccessDenied):
        activate_version(store, actor, ROADMAP, "2.0.0")
    assert stored_results(store) == before
    assert current_roadmap() == bundled_roadmap()
    listed = available_versions(store, actor)
    assert listed[["kind", "version", "source", "active"]].values.tolist() == [
        [FRAMEWORK, "1.0.0", "bundled", True],
        [ROADMAP, "1.0.0", "bundled", True],
        [ROADMAP, "2.0.0", "added", False],
    ]
    with pytest.raises(AccessDenied):
        available_versions(store, Actor("nobody", "visitor"))


# ------------------------------------------------------------------ framework
def meta_of(data: bytes) -> dict[str, str]:
    sheet = openpyxl.load_workbook(io.BytesIO(data))[layout.SHEET_META]
    return {row[0]: row[1] for row in sheet.iter_rows(values_only=True)}


def test_a_new_framework_is_used_for_new_questionnaires_while_stored_answers_keep_theirs(store):
    before = stored_results(store)
    add_version(store, CLI_ADMIN, None, framework_yaml())
    done = activate_version(store, CLI_ADMIN, FRAMEWORK, "1.1.0")

    assert done.recomputed == 3
    assert current_framework().version == "1.1.0"
    assert current_framework().indicator("IC.1").title("en") == NEW_TITLE
    assert stored_results(store) == before  # scored with the framework version they answered
    assert {r.framework_version for r in stored_results(store).values()} == {"1.0.0"}

    template = build_template()
    assert meta_of(template)[layout.META_FRAMEWORK_VERSION] == "1.1.0"
    fresh = make_submission("ORG-3", 2025)
    assert fresh.framework_version == "1.1.0"
    accepted = read_questionnaire(questionnaire(fresh), "new.xlsx")
    assert accepted.valid and accepted.submission.framework_version == "1.1.0"
    old = build_template(framework=bundled_framework(), prefill=make_submission("ORG-4", 2025), complete=True)
    refused = read_questionnaire(old, "old.xlsx")
    assert not refused.valid
    assert [p.message.msgid for p in refused.errors] == [MSG_UNKNOWN_FRAMEWORK]
    assert refused.errors[0].message.params["version"] == "1.0.0"

    assert ingest_submission(store, accepted.submission, b"new", "new.xlsx", CLI_ADMIN).stored
    mixed = make_submission("ORG-1", 2025, respondent_name="Third respondent")  # old answers stored there
    outcome = ingest_submission(store, mixed, b"mixed", "mixed.xlsx", CLI_ADMIN)
    assert outcome.kind == REJECTED and "1.0.0" in outcome.refusal.render("en")
    (new_result,) = queries.assessment_results(store, CLI_ADMIN, "ORG-3")
    assert new_result.framework_version == "1.1.0"
    record_review(store, "ORG-1", 2025, "IL.2", 1, "Minutes read.", CLI_ADMIN)  # old answers, still scored
    reviewed = {r.year: r for r in queries.assessment_results(store, CLI_ADMIN, "ORG-1")}[2025]
    assert reviewed.framework_version == "1.0.0" and reviewed.indicators["IL.2"].evaluator_level == 1

    assert framework_version(store, "1.1.0") == current_framework()
    assert framework_version(store, "1.0.0") == bundled_framework()


def test_stored_answers_of_an_added_framework_are_rescored_with_it_after_going_back(store):
    add_version(store, CLI_ADMIN, None, framework_yaml())
    activate_version(store, CLI_ADMIN, FRAMEWORK, "1.1.0")
    submission = make_submission("ORG-3", 2025)
    assert ingest_submission(store, submission, b"new", "new.xlsx", CLI_ADMIN).stored
    activate_version(store, CLI_ADMIN, FRAMEWORK, "1.0.0")
    add_version(store, CLI_ADMIN, None, roadmap_yaml())
    assert activate_version(store, CLI_ADMIN, ROADMAP, "2.0.0").recomputed == 4
    (result,) = queries.assessment_results(store, CLI_ADMIN, "ORG-3")
    added_framework = framework_version(store, "1.1.0")
    assert result == score_assessment([submission], added_framework, current_roadmap())
    assert current_framework() == bundled_framework()


# ------------------------------------------------------------------ processes
def test_each_store_opened_installs_its_own_active_versions(store, tmp_path):
    add_version(store, CLI_ADMIN, None, framework_yaml())
    add_version(store, CLI_ADMIN, None, roadmap_yaml())
    activate_version(store, CLI_ADMIN, FRAMEWORK, "1.1.0")
    activate_version(store, CLI_ADMIN, ROADMAP, "2.0.0")

    other = open_store(f"sqlite:///{tmp_path / 'fresh.db'}")
    assert current_framework() == bundled_framework() and current_roadmap() == bundled_roadmap()
    other.close()
    again = open_store(store.url)
    assert (current_framework().version, current_roadmap().version) == ("1.1.0", "2.0.0")
    again.close()
    use_framework(None)
    assert apply_active(store) == {FRAMEWORK: "1.1.0", ROADMAP: "2.0.0"}
    assert current_framework().version == "1.1.0"


def test_a_backup_carries_the_versions_and_a_restore_installs_them(store, tmp_path):
    add_version(store, CLI_ADMIN, None, roadmap_yaml())
    activate_version(store, CLI_ADMIN, ROADMAP, "2.0.0")
    backup(store, CLI_ADMIN, tmp_path / "dump.zip")
    target = open_store(f"sqlite:///{tmp_path / 'target.db'}")
    assert current_roadmap() == bundled_roadmap()
    restore(target, CLI_ADMIN, tmp_path / "dump.zip")
    assert current_roadmap().version == "2.0.0"
    assert available_versions(target, CLI_ADMIN).equals(available_versions(store, CLI_ADMIN))
    assert stored_results(target) == stored_results(store)
    target.close()


def test_the_audit_log_names_the_version_actions():
    assert audit_view.action_label(versions.VERSION_ADDED, "en") == "Version added"
    assert audit_view.action_label(versions.VERSION_ACTIVATED, "en") == "Version activated"


# ------------------------------------------------------------------ command line


def test_the_command_line_lists_adds_and_activates(store, tmp_path, capsys):
    database = ["--database", store.url, "--lang", "en"]
    (tmp_path / "roadmap-2.yaml").write_bytes(roadmap_yaml())
    (tmp_path / "broken.yaml").write_bytes(b"milestones: [")

    code, out, _ = run(capsys, "versions", "add", str(tmp_path / "roadmap-2.yaml"), *database)
    assert code == 0 and "Roadmap version 2.0.0" in out and "versions activate roadmap 2.0.0" in out
    code, _, err = run(capsys, "versions", "add", str(tmp_path / "broken.yaml"), *database)
    assert code == 1 and "not valid YAML" in err
    code, _, err = run(capsys, "versions", "add", str(tmp_path / "missing.yaml"), *database)
    assert code == 2 and "Cannot read" in err
    code, _, err = run(capsys, "versions", "activate", "roadmap", "7.0.0", *database)
    assert code == 1 and "There is no roadmap version 7.0.0" in err
    code, _, _ = run(capsys, "versions", "activate", "atlas", "1.0.0", *database)
    assert code == 2

    code, out, _ = run(capsys, "versions", "activate", "roadmap", "2.0.0", *database)
    assert code == 0 and "3 assessments recomputed." in out
    assert {r.roadmap_version for r in stored_results(store).values()} == {"2.0.0"}

    code, out, _ = run(capsys, "versions", "list", "--json", *database)
    listed = json.loads(out)
    assert code == 0
    assert [(v["kind"], v["version"], v["source"], v["active"]) for v in listed] == [
        (FRAMEWORK, "1.0.0", "bundled", True),
        (ROADMAP, "1.0.0", "bundled", False),
        (ROADMAP, "2.0.0", "added", True),
    ]
    assert listed[2]["added_by"] == CLI_ADMIN.username and listed[2]["added_at"]
    code, out, _ = run(capsys, "versions", "list", *database)
    assert code == 0 and "2.0.0" in out and CLI_ADMIN.username in out
    code, out, _ = run(capsys, "versions", "list", "--database", store.url, "--lang", "tr")
    assert code == 0 and "2.0.0" in out


def test_a_fresh_database_lists_the_bundled_versions_as_active_to_every_role(tmp_path):
    fresh = open_store(f"sqlite:///{tmp_path / 'empty.db'}")
    for role in (MANAGER, BOARD, EVALUATOR, ADMIN):
        listed = available_versions(fresh, Actor("someone", role))
        assert listed["source"].tolist() == ["bundled", "bundled"] and listed["active"].all()
    fresh.close()


def without_language(document: object, lang: str) -> object:
    """The YAML document with every `lang` text removed, as files written before that language were."""
    if isinstance(document, dict):
        return {key: without_language(value, lang) for key, value in document.items() if key != lang}
    if isinstance(document, list):
        return [without_language(item, lang) for item in document]
    return document


def test_a_version_stored_before_arabic_still_loads_and_shows_english_where_arabic_is_missing(store):
    """An admin's version from before a language was added stays usable; a new file must have it all."""
    raw = yaml.safe_load(framework_yaml(version="1.2.0"))
    content = yaml.safe_dump(without_language(raw, "ar"), allow_unicode=True, sort_keys=False)
    with pytest.raises(VersionError, match="'ar' text is missing"):
        add_version(store, CLI_ADMIN, None, content.encode())
    with store.write() as session:  # what such a version looks like in a database from before Arabic
        session.add(
            AddedVersion(
                kind=FRAMEWORK, document_id=raw["id"], version="1.2.0", content=content, added_by="admin"
            )
        )
    done = activate_version(store, CLI_ADMIN, FRAMEWORK, "1.2.0")
    assert done.version == "1.2.0"
    indicator = current_framework().indicator("IC.1")
    assert indicator.title("ar") == indicator.title("en") == NEW_TITLE
    assert indicator.title("tr") == raw_title(raw, "tr")


def raw_title(raw: dict, lang: str) -> str:
    return raw["dimensions"][0]["indicators"][0]["title"][lang]
