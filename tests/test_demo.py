"""The demo generator: deterministic, covering every type and region, accepted by the reader,
and telling the intended story through the scoring engine."""

from __future__ import annotations

import collections
import dataclasses
import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from capacity import demo
from capacity.access import SYSTEM
from capacity.cli import main
from capacity.framework import current_framework
from capacity.questionnaire import layout
from capacity.questionnaire.reader import read_questionnaire
from capacity.roadmap import current_roadmap
from capacity.scoring import score_assessment, trends_for
from capacity.scoring.results import (
    DECREASING,
    INDEX,
    MODERATELY_IMPROVING,
    OFF_TRACK,
    ON_TRACK,
    STAGNATING,
    TREND_ON_TRACK,
)
from capacity.store import open_store, queries
from capacity.store.ingest import DUPLICATE, STORED_NEW

TODAY = dt.date(2026, 11, 28)
LATER = dt.date(2031, 3, 1)
FAR_REGIONS = {"Asia-Pacific", "Americas"}
TURKISH_MONTHS = (
    "Ocak",
    "Şubat",
    "Mart",
    "Nisan",
    "Mayıs",
    "Haziran",
    "Temmuz",
    "Ağustos",
    "Eylül",
    "Ekim",
    "Kasım",
    "Aralık",
)
ENGLISH_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


@pytest.fixture(scope="module")
def questionnaires() -> list[demo.DemoQuestionnaire]:
    return demo.demo_questionnaires(today=TODAY)


@pytest.fixture(scope="module")
def assessments(questionnaires) -> dict[tuple[str, int], list]:
    return _group(questionnaires)


def _index_arrows(assessments: dict[tuple[str, int], list]) -> dict[str, str]:
    """Each organisation's index trend arrow, from the scoring engine."""
    results = collections.defaultdict(list)
    for (organisation, _year), submissions in sorted(assessments.items()):
        results[organisation].append(score_assessment(submissions))
    arrows = {}
    for organisation, scored in results.items():
        trend = [t for t in trends_for(scored, current_roadmap()) if t.target == INDEX]
        arrows[organisation] = trend[0].arrow if trend else None
    return arrows


def _group(questionnaires) -> dict[tuple[str, int], list]:
    groups: dict[tuple[str, int], list] = collections.defaultdict(list)
    for item in questionnaires:
        groups[(item.submission.organisation_id, item.submission.year)].append(item.submission)
    return groups


# ------------------------------------------------------------------ determinism
def test_the_same_seed_gives_the_same_demo_and_another_seed_a_different_one() -> None:
    first = demo.demo_submissions(seed=7, organisations=30, today=TODAY)
    assert first == demo.demo_submissions(seed=7, organisations=30, today=TODAY)
    assert first != demo.demo_submissions(seed=8, organisations=30, today=TODAY)


def test_files_are_byte_identical_across_runs(tmp_path: Path) -> None:
    one = demo.generate_demo(tmp_path / "one", organisations=2, today=TODAY)
    two = demo.generate_demo(tmp_path / "two", organisations=2, today=TODAY)
    assert [p.relative_to(tmp_path / "one") for p in one] == [p.relative_to(tmp_path / "two") for p in two]
    assert all(a.read_bytes() == b.read_bytes() for a, b in zip(one, two, strict=True))


def test_regenerating_rewrites_nothing_and_removes_files_of_a_smaller_demo(tmp_path: Path) -> None:
    paths = demo.generate_demo(tmp_path, organisations=3, today=TODAY)
    stamps = {p: p.stat().st_mtime_ns for p in paths}
    (tmp_path / "notes.txt").write_text("kept")
    smaller = demo.generate_demo(tmp_path, organisations=2, today=TODAY)
    assert set(smaller) < set(paths)
    assert all(p.stat().st_mtime_ns == stamps[p] for p in smaller)
    assert sorted(tmp_path.glob("*/*.xlsx")) == sorted(smaller)
    assert (tmp_path / "notes.txt").read_text() == "kept"
    assert len([d for d in tmp_path.iterdir() if d.is_dir()]) == 2


def test_more_organisations_keep_the_first_ones_unchanged() -> None:
    default = demo.demo_questionnaires(today=TODAY)
    larger = demo.demo_questionnaires(organisations=40, today=TODAY)
    assert larger[: len(default)] == default
    assert len({q.submission.organisation_id for q in larger}) == 40
    assert demo.organisation_count(scale=3) == 84
    assert demo.organisation_count(scale=3, organisations=200) == 200
    with pytest.raises(ValueError):
        demo.organisation_count(organisations=0)


def test_large_demos_have_unique_fictional_organisations() -> None:
    organisations = demo.demo_organisations(count=2000)
    assert len({o.organisation_id for o in organisations}) == 2000
    assert len({o.name for o in organisations}) == 2000
    fictional = {name for name, _region in demo.COUNTRIES.values()}
    assert {o.country for o in organisations} <= fictional
    assert {o.organisation_type for o in organisations} == set(layout.ORGANISATION_TYPES)


# ------------------------------------------------------------------ coverage
def test_organisations_cover_every_type_and_at_least_five_regions(questionnaires) -> None:
    organisations = {q.submission.organisation_id: q.submission for q in questionnaires}
    assert len(organisations) >= 24
    assert {s.organisation_type for s in organisations.values()} == set(layout.ORGANISATION_TYPES)
    assert len({s.region for s in organisations.values()}) >= 5
    assert all(s.country for s in organisations.values())
    fictional = {name for name, _region in demo.COUNTRIES.values()}
    assert {s.country for s in organisations.values()} <= fictional


def test_rounds_most_organisations_in_every_round_some_late_some_missing(assessments) -> None:
    years_of: dict[str, set[int]] = collections.defaultdict(set)
    for organisation, year in assessments:
        years_of[organisation].add(year)
    rounds = {2015, 2019, 2023, TODAY.year}
    assert set().union(*years_of.values()) == rounds
    complete = [o for o, years in years_of.items() if years == rounds]
    assert len(complete) > len(years_of) / 2
    assert any(min(years) == 2019 for years in years_of.values())
    assert any(min(years) == 2023 for years in years_of.values())
    skipped = [o for o, years in years_of.items() if min(years) == 2015 and years != rounds]
    assert skipped


def test_one_to_four_named_self_assessments_and_an_evaluator_in_about_a_third(assessments) -> None:
    evaluated = 0
    counts = collections.Counter()
    for submissions in assessments.values():
        selves = [s for s in submissions if s.respondent_role == layout.ROLE_SELF]
        evaluators = [s for s in submissions if s.respondent_role == layout.ROLE_EVALUATOR]
        assert 1 <= len(selves) <= 4
        assert len(evaluators) <= 1
        names = [s.respondent_name for s in submissions]
        assert all(names) and len(set(names)) == len(names)
        evaluated += bool(evaluators)
        counts[len(selves)] += 1
    assert set(counts) == {1, 2, 3, 4}
    assert 0.25 <= evaluated / len(assessments) <= 0.45


def test_answers_hold_sensible_not_applicable_blanks_evidence_and_links(questionnaires) -> None:
    not_applicable = collections.defaultdict(set)
    blanks = links = 0
    missing_evidence_levels = set()
    notes = set()
    for item in questionnaires:
        submission = item.submission
        for answer in submission.answers.values():
            if answer.not_applicable:
                not_applicable[answer.code].add((submission.organisation_type, submission.region))
            blanks += answer.is_blank
            links += bool(answer.evidence_link)
            if answer.level is not None and not answer.evidence:
                missing_evidence_levels.add(answer.level)
            if answer.evidence:
                notes.add(answer.evidence)
    assert set(not_applicable) == {"II.3", "IL.4", "IL.5"}
    assert {region for _type, region in not_applicable["II.3"]} <= FAR_REGIONS
    assert {kind for kind, _region in not_applicable["IL.4"]} == {"media", "academic"}
    assert blanks > 0
    assert links > 0
    assert {3, 4} <= missing_evidence_levels  # some warnings for the upload feedback to show
    assert len(notes) > 1000  # varied, not a handful of stock phrases


def test_higher_levels_usually_cite_evidence(questionnaires) -> None:
    cited = collections.Counter()
    answered = collections.Counter()
    for item in questionnaires:
        for answer in item.submission.answers.values():
            if answer.level is not None:
                answered[answer.level] += 1
                cited[answer.level] += bool(answer.evidence)
    assert cited[0] == 0
    assert cited[4] / answered[4] > 0.75
    assert cited[1] / answered[1] < cited[4] / answered[4]


def test_evidence_is_specific_to_the_indicator_and_never_dated_after_completion(questionnaires) -> None:
    framework = current_framework()
    month_year = re.compile(r"(" + "|".join(ENGLISH_MONTHS + TURKISH_MONTHS) + r") (\d{4})")
    for item in questionnaires:
        submission = item.submission
        months = TURKISH_MONTHS if submission.language == "tr" else ENGLISH_MONTHS
        for answer in submission.answers.values():
            if not answer.evidence:
                continue
            guidance = framework.indicator(answer.code).evidence(submission.language).lower()
            first = re.split(r"[;(]", answer.evidence)[0].rsplit(": ", 1)[-1]  # after any prefix
            document = re.sub(r"\s*\d{4}–\d{4}\s*$", "", first).strip()
            # The first letter may be capitalised (Turkish "İ" lower-cases to two characters).
            assert len(document) > 3 and document[1:].lower() in guidance, (answer.code, answer.evidence)
            for month, year in month_year.findall(answer.evidence):
                assert month in months
                issued = dt.date(int(year), months.index(month) + 1, 1)
                assert issued <= submission.date_completed, (item.path, answer.evidence)


def test_some_organisations_work_in_turkish(questionnaires) -> None:
    turkish = [q.submission for q in questionnaires if q.submission.language == "tr"]
    assert len({s.organisation_id for s in turkish}) >= 3
    evidence = " ".join(a.evidence for s in turkish for a in s.answers.values())
    assert any(re.search(rf"\b{month}\b", evidence) for month in TURKISH_MONTHS)
    assert not any(re.search(rf"\b{month}\b", evidence) for month in ENGLISH_MONTHS)


def test_dates_fall_in_the_assessment_year_and_never_after_today(questionnaires) -> None:
    for item in questionnaires:
        assert item.submission.date_completed.year == item.submission.year
        assert item.submission.date_completed <= TODAY
    early = dt.date(TODAY.year, 2, 10)
    early_demo = demo.demo_questionnaires(organisations=6, today=early)
    latest = [q.submission for q in early_demo if q.submission.year == TODAY.year]
    assert latest and all(s.date_completed <= early for s in latest)


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(min_value=0, max_value=2**32), count=st.integers(min_value=29, max_value=33))
def test_any_seed_gives_well_formed_questionnaires(seed: int, count: int) -> None:
    framework = current_framework()
    codes = [ind.code for ind in framework.indicators]
    items = demo.demo_questionnaires(seed=seed, organisations=count, today=TODAY)
    assert len({str(q.path) for q in items}) == len(items)
    for item in items:
        submission = item.submission
        organisation, name = item.path.parts
        assert organisation == submission.organisation_id
        assert re.fullmatch(rf"{submission.year}-{submission.respondent_role}-[1-4]\.xlsx", name)
        assert list(submission.answers) == codes
        assert submission.framework_version == framework.version
        for answer in submission.answers.values():
            assert answer.level is None or 0 <= answer.level <= 5
            assert not (answer.not_applicable and answer.level is not None)
    for submissions in _group(items).values():
        assert 1 <= sum(s.respondent_role == layout.ROLE_SELF for s in submissions) <= 4


# ------------------------------------------------------------------ the story
def test_the_default_demo_tells_each_organisations_story(assessments) -> None:
    arrows = _index_arrows(assessments)
    expected = {o.organisation_id: o.story for o in demo.CURATED}
    intended = {
        demo.LEADING: TREND_ON_TRACK,
        demo.ON_TRACK: TREND_ON_TRACK,
        demo.MODERATE: MODERATELY_IMPROVING,
        demo.STAGNATING: STAGNATING,
        demo.DECREASING: DECREASING,
    }
    assert arrows == {organisation: intended[story] for organisation, story in expected.items()}
    found = collections.Counter(arrows.values())
    assert found[DECREASING] == 1
    assert found[STAGNATING] >= 3 and found[TREND_ON_TRACK] >= 3 and found[MODERATELY_IMPROVING] >= 3


def test_the_latest_round_shows_leaders_on_track_and_laggards_off_track(assessments) -> None:
    latest = [score_assessment(s) for (_org, year), s in assessments.items() if year == TODAY.year]
    statuses = collections.Counter(result.index.roadmap.status for result in latest)
    assert statuses[ON_TRACK] >= 3 and statuses[OFF_TRACK] >= 3
    assert all(result.index.score is not None for result in latest)
    flagged = [i for r in latest for i in r.indicators.values() if i.spread_flag]
    gaps = [i for r in latest for i in r.indicators.values() if i.self_evaluator_flag]
    assert flagged and gaps


@pytest.mark.parametrize(("seed", "today"), [(demo.DEFAULT_SEED, LATER), (11, TODAY), (12, TODAY)])
def test_the_story_holds_for_other_seeds_and_later_years(seed: int, today: dt.date) -> None:
    questionnaires = demo.demo_questionnaires(seed=seed, today=today)
    arrows = collections.Counter(_index_arrows(_group(questionnaires)).values())
    assert 1 <= arrows[DECREASING] <= 2
    assert arrows[STAGNATING] >= 3 and arrows[TREND_ON_TRACK] >= 3 and arrows[MODERATELY_IMPROVING] >= 3


# ------------------------------------------------------------------ files, reader and storage
def test_generated_files_pass_the_reader_and_read_back_as_generated(questionnaires) -> None:
    sample = questionnaires[::5]  # both languages, both roles, every organisation type
    assert {q.submission.language for q in sample} == {"en", "tr"}
    assert {q.submission.respondent_role for q in sample} == set(layout.RESPONDENT_ROLES)
    warned = 0
    for item in sample:
        read = read_questionnaire(demo.questionnaire_bytes(item.submission), item.path.name)
        assert read.valid, (item.path, [p.render("en") for p in read.errors])
        assert dataclasses.replace(read.submission, notes=()) == item.submission
        warned += bool(read.warnings)
    assert 0 < warned < len(sample)  # missing evidence warns, thorough respondents raise none


def test_the_committed_demo_is_complete_small_and_accepted() -> None:
    paths = demo.demo_files(demo.DEMO_DIR)
    assert len({p.parent.name for p in paths}) >= 24, "run `python -m capacity demo --no-ingest`"
    assert sum(p.stat().st_size for p in paths) < 15 * 1024 * 1024
    for path in paths:
        read = read_questionnaire(path.read_bytes(), path.name)
        assert read.valid, (path, [p.render("en") for p in read.errors])
        assert path.name.startswith(f"{read.submission.year}-{read.submission.respondent_role}-")
        assert path.parent.name == read.submission.organisation_id


def _database(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'capacity.db'}"


def test_the_command_writes_stores_and_a_second_run_changes_nothing(tmp_path: Path, capsys) -> None:
    out = tmp_path / "demo"
    args = [
        "demo",
        "--out",
        str(out),
        "--organisations",
        "2",
        "--database",
        _database(tmp_path),
        "--lang",
        "en",
    ]
    assert main(args) == 0
    files = demo.demo_files(out)
    printed = capsys.readouterr()
    assert f"{len(files)} questionnaires of 2 organisations written to {out}" in printed.out
    assert f"{len(files)} stored, 0 already stored, 0 rejected." in printed.out
    assert f"Storing questionnaires: {len(files)} of {len(files)}" in printed.err
    store = open_store(_database(tmp_path))
    try:
        latest = queries.latest_assessments(store, SYSTEM)
    finally:
        store.close()
    assert sorted(latest["organisation_id"]) == ["NS-AST-01", "NS-BOR-01"]
    assert main(args) == 0
    assert f"0 stored, {len(files)} already stored, 0 rejected." in capsys.readouterr().out


def test_the_command_without_ingest_touches_no_database(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    assert (
        main(
            [
                "demo",
                "--out",
                str(out),
                "--organisations",
                "1",
                "--no-ingest",
                "--database",
                _database(tmp_path),
            ]
        )
        == 0
    )
    assert demo.demo_files(out)
    assert not (tmp_path / "capacity.db").exists()
    assert main(["demo", "--out", str(out), "--organisations", "0", "--no-ingest"]) == 2


def test_a_first_start_fills_an_empty_database_once(tmp_path: Path) -> None:
    folder = tmp_path / "demo"
    files = demo.generate_demo(folder, organisations=2, today=TODAY)
    store = open_store(_database(tmp_path))
    try:
        assert demo.store_is_empty(store)
        outcomes = demo.ingest_demo_if_empty(store, folder)
        assert [o.kind for o in outcomes] == [STORED_NEW] * len(files)
        assert not demo.store_is_empty(store)
        assert demo.ingest_demo_if_empty(store, folder) == []
        again = demo.ingest_demo(store, files[:1])
        assert again[0].kind == DUPLICATE
    finally:
        store.close()


def test_without_committed_files_a_first_start_generates_the_demo(tmp_path: Path, monkeypatch) -> None:
    small = demo.demo_questionnaires(organisations=1, today=TODAY)
    monkeypatch.setattr(demo, "demo_questionnaires", lambda: small)
    store = open_store(_database(tmp_path))
    try:
        outcomes = demo.ingest_demo_if_empty(store, tmp_path / "missing")
        assert [o.kind for o in outcomes] == [STORED_NEW] * len(small)
        assert {o.organisation_id for o in outcomes} == {"NS-AST-01"}
    finally:
        store.close()


def test_a_first_start_adds_plans_closed_in_a_past_round_and_open_in_the_latest(tmp_path: Path) -> None:
    from capacity.access import CLI_ADMIN
    from capacity.plans import actions as plan
    from capacity.plans.report import dataset_plan

    folder = tmp_path / "demo"
    demo.generate_demo(folder, organisations=9, today=TODAY)
    store = open_store(_database(tmp_path))
    try:
        demo.ingest_demo_if_empty(store, folder)
        actions = dataset_plan(store, CLI_ADMIN)
        closed = actions[actions["status"] != plan.IN_PROGRESS]
        assert {plan.DONE, plan.DROPPED} == set(closed["status"])
        assert closed["after_year"].notna().all() and (closed["after_year"] > closed["year"]).all()
        assert closed["change"].notna().any()  # the next round measured them
        done = closed[closed["status"] == plan.DONE]
        assert (done["completed_on"] <= done["due_date"]).any() and (
            done["completed_on"] > done["due_date"]
        ).any()
        open_ = actions[actions["status"] == plan.IN_PROGRESS]
        assert not open_.empty and open_["after_year"].isna().all()  # the latest round: not measured yet
        assert actions["organisation_id"].nunique() == 3  # every third of nine organisations
        assert demo.add_demo_plans(store) == 0  # a second start adds nothing
    finally:
        store.close()
