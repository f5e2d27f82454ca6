"""The upload flow as a library: checking, previewing, submitting and the CSV report.

The central promise: the figures previewed before Submit are exactly those the store
holds after it, whatever else is stored for the organisation and year (other
respondents, an earlier file of the same respondent, an evaluator's reviews, several
files in one upload).
"""

from __future__ import annotations

import csv
import dataclasses
import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from capacity import i18n, upload
from capacity.access import BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.reader import Problem, ReadResult, read_questionnaire
from capacity.questionnaire.submission import Answer
from capacity.questionnaire.template import build_template
from capacity.store import ingest, open_store, queries
from capacity.store.assessments import result_from_json
from capacity.store.corrections import record_review
from capacity.store.db import Store
from capacity.store.ingest import (
    DUPLICATE,
    REJECTED,
    STORED_NEW,
    SUPERSEDED_EARLIER,
    ingest_file,
    ingest_read_result,
)
from capacity.store.models import AssessmentResultRecord
from capacity.store.prefill import latest_submission
from capacity.upload import COUNTED, REPLACED, UNCHANGED, FileReport, check_uploads, report_csv, submit
from tests import bad_files
from tests.store_support import questionnaire
from tests.test_batch_ingest import contents, summary
from tests.upload_files import filled, renamed_pdf, three_errors

MANAGER_OF_ORG_001 = Actor("ayse", MANAGER, frozenset({"ORG-001"}))
EVALUATOR_ANYWHERE = Actor("eva", EVALUATOR)
# The preview scenarios store files as the local admin, then upload an evaluator's questionnaire
# among others: only an evaluator (or admin) may do both (a manager may neither replace another
# account's file nor upload an evaluator's; tests/test_submission_trust.py).
EVALUATOR_UPLOADER = EVALUATOR_ANYWHERE


@pytest.fixture
def store(sqlite_store):
    """This file's tests run on SQLite only (the shared `store` fixture would add PostgreSQL)."""
    return sqlite_store


def stored_result(store, organisation_id: str = "ORG-001", year: int = 2025):
    with store.read() as session:
        record = (
            session.query(AssessmentResultRecord).filter_by(organisation_id=organisation_id, year=year).one()
        )
        return result_from_json(record.result)


# --------------------------------------------------------------------------- size and hostile files


def test_a_file_over_the_limit_is_refused_unread_with_the_limit_and_the_fix(store, monkeypatch) -> None:
    monkeypatch.setenv("CAPACITY_MAX_UPLOAD_MB", "0.01")
    monkeypatch.setattr(upload, "read_questionnaire", lambda *a, **k: pytest.fail("the reader was called"))
    _, data = filled()
    assert len(data) > 0.01 * 1024 * 1024
    [report] = check_uploads([("big.xlsx", data)], store, MANAGER_OF_ORG_001, "en")
    assert not report.accepted and report.data == b""
    [problem] = report.errors
    text = problem.render("en")
    size = upload.megabytes(len(data), round_up=True)
    assert f"The file is {size} MB, more than the limit of 0.01 MB per file." in text
    assert upload.megabytes(10 * 1024 * 1024) == "10"
    assert upload.megabytes(10 * 1024 * 1024 + 1, round_up=True) == "10.01"
    assert "delete pictures" in text and "fresh template" in text
    assert upload.size_limit_mb() == "0.01"


@pytest.mark.parametrize(("setting", "whole"), [("10", 10), ("0.01", 1), ("10.5", 11), ("", 10)])
def test_the_browser_limit_is_the_limit_rounded_up_to_whole_megabytes(monkeypatch, setting, whole) -> None:
    monkeypatch.setenv("CAPACITY_MAX_UPLOAD_MB", setting)
    assert upload.whole_megabytes_limit() == whole


def test_one_bad_file_never_stops_the_others(store, monkeypatch) -> None:
    real = upload.read_questionnaire

    def flaky(data, name, **kwargs):
        if name == "explodes.xlsx":
            raise RuntimeError("a gap in the reader")
        return real(data, name, **kwargs)

    monkeypatch.setattr(upload, "read_questionnaire", flaky)
    _, good = filled()
    files = [
        ("explodes.xlsx", b"PK"),
        ("renamed.xlsx", renamed_pdf()),
        ("empty.xlsx", b""),
        ("good.xlsx", good),
    ]
    reports = check_uploads(files, store, MANAGER_OF_ORG_001, "en")
    assert [r.accepted for r in reports] == [False, False, False, True]
    assert "could not be checked because of an unexpected problem" in reports[0].errors[0].render("en")
    assert "This is a PDF file, not a spreadsheet." in reports[1].errors[0].render("en")
    assert "The file is empty." in reports[2].errors[0].render("en")


def test_every_bad_file_of_the_corpus_is_rejected_with_the_readers_words_beside_a_good_one(store) -> None:
    """One upload of every (non-hostile) bad file the reader knows, plus a good one: no exception.

    The hostile ones (zip bombs, entity expansion) are read in a child process by the
    reader's own tests; the browser test sends a zip bomb through the page.
    """
    corpus = [bad for bad in bad_files.CORPUS if not bad.hostile]
    _, good = filled()
    files = [(f"{bad.name}.xlsx", bad.build()) for bad in corpus] + [("good.xlsx", good)]
    reports = check_uploads(files, store, MANAGER_OF_ORG_001, "en")
    assert [r.accepted for r in reports] == [False] * len(corpus) + [True]
    for bad, report in zip(corpus, reports, strict=False):
        rendered = [problem.render("en") for problem in report.errors]
        if bad.name == "too_big_upload":
            assert any("more than the limit of 10 MB per file" in text for text in rendered)
            continue
        assert any(all(fragment in text for fragment in bad.expect) for text in rendered), (
            bad.name,
            rendered,
        )


def test_progress_is_told_before_each_file_and_at_the_end(store) -> None:
    _, good = filled()
    calls: list[tuple[int, int, str]] = []
    check_uploads(
        [("a.xlsx", good), ("b.pdf", renamed_pdf())],
        store,
        MANAGER_OF_ORG_001,
        "en",
        progress=lambda done, total, name: calls.append((done, total, name)),
    )
    assert calls == [(0, 2, "a.xlsx"), (1, 2, "b.pdf"), (2, 2, "")]


def test_checking_writes_nothing(store) -> None:
    _, good = filled()
    before = queries.audit_log(store, CLI_ADMIN)
    check_uploads([("a.xlsx", good), ("bad.xlsx", three_errors())], store, MANAGER_OF_ORG_001, "en")
    assert len(queries.audit_log(store, CLI_ADMIN)) == len(before)
    assert queries.submissions(store, CLI_ADMIN, "ORG-001").empty


# --------------------------------------------------------------------------- access


def test_a_board_member_may_check_nothing(store) -> None:
    _, good = filled()
    reports = check_uploads([("a.xlsx", good), ("bad.xlsx", three_errors())], store, Actor("b", BOARD), "en")
    assert not any(r.accepted for r in reports)
    assert reports[0].errors[-1].render("en") == "Your account does not give access to organisation ORG-001."
    assert reports[1].errors[-1].render("en") == "Your role does not allow this action."
    assert upload.can_upload(Actor("b", BOARD)).render("en") == "Your role does not allow this action."
    assert upload.can_upload(MANAGER_OF_ORG_001) is None


def test_a_manager_may_not_upload_for_another_organisation(store) -> None:
    _, theirs = filled(organisation_id="ORG-002")
    [report] = check_uploads([("theirs.xlsx", theirs)], store, MANAGER_OF_ORG_001, "en")
    assert not report.accepted and report.read.valid
    assert report.errors[-1].render("en") == "Your account does not give access to organisation ORG-002."
    assert submit([report], store, MANAGER_OF_ORG_001) == []
    allowed = check_uploads([("x.xlsx", theirs)], store, EVALUATOR_ANYWHERE, "en")[0]
    forged = FileReport(report.filename, report.size, report.read, data=theirs, preview=allowed.preview)
    [outcome] = submit([forged], store, MANAGER_OF_ORG_001)  # the store refuses even a forged report
    assert outcome.kind == REJECTED and "ORG-002" in outcome.message("en")
    assert queries.submissions(store, CLI_ADMIN, "ORG-002").empty


# --------------------------------------------------------------------------- preview = what is stored


def scenario(store, name: str) -> list[tuple[str, bytes]]:
    """Stored data and the files of one upload, for the preview-equals-stored test."""
    _, ayse = filled(seed=1)
    _, mehmet = filled(respondent="Mehmet Kaya", seed=2)
    _, ayse_again = filled(seed=3)
    _, zeynep = filled(respondent="Zeynep Ak", seed=4)
    _, evaluator = filled(respondent="External", seed=5, role=ROLE_EVALUATOR)
    if name == "first file":
        return [("ayse.xlsx", ayse)]
    ingest_file(store, ayse, "ayse.xlsx", CLI_ADMIN)
    ingest_file(store, mehmet, "mehmet.xlsx", CLI_ADMIN)
    if name == "supersedes with another respondent stored":
        return [("ayse-2.xlsx", ayse_again)]
    if name == "several files, one of them twice by the same respondent":
        return [
            ("zeynep.xlsx", zeynep),
            ("ayse-2.xlsx", ayse_again),
            ("evaluator.xlsx", evaluator),
            ("zeynep-fixed.xlsx", filled(respondent="Zeynep Ak", seed=6)[1]),
        ]
    if name == "reviews stored":
        record_review(store, "ORG-001", 2025, "IC.1", 5, "Verified in the annual report", CLI_ADMIN)
        return [("zeynep.xlsx", zeynep)]
    raise AssertionError(name)


@pytest.mark.parametrize(
    ("name", "respondents"),
    [
        ("first file", 1),
        ("supersedes with another respondent stored", 2),
        ("several files, one of them twice by the same respondent", 4),
        ("reviews stored", 4),
    ],
)
def test_the_preview_is_exactly_what_is_stored_after_submit(store, name: str, respondents: int) -> None:
    files = scenario(store, name)
    reports = check_uploads(files, store, EVALUATOR_UPLOADER, "en")
    assert all(r.accepted for r in reports)
    assert reports[0].result.respondents == respondents
    assert reports[-1].basis.reviews == (name == "reviews stored")
    preview = reports[0].result
    assert all(r.result == preview for r in reports)  # one organisation and year: the same figures
    outcomes = submit(reports, store, EVALUATOR_UPLOADER, "en")
    assert all(o.stored for o in outcomes)
    assert stored_result(store) == preview


def test_the_basis_says_what_the_figures_consolidate(store) -> None:
    files = scenario(store, "several files, one of them twice by the same respondent")
    reports = check_uploads(files, store, EVALUATOR_UPLOADER, "en")
    roles = [r.basis.this_file for r in reports]
    assert roles == [REPLACED, COUNTED, COUNTED, COUNTED]
    assert reports[1].basis.stored == 1  # Mehmet stays; Ayşe's stored file is replaced
    assert reports[1].basis.describe("en") == (
        "Consolidated the way ORG-001, 2025 will be scored: this file with 1 questionnaire already stored, "
        "2 other files of this upload."
    )
    assert reports[0].notes[0].render("en") == (
        "zeynep-fixed.xlsx, later in this upload, is from the same respondent for ORG-001, 2025: both are "
        "stored in upload order, so zeynep-fixed.xlsx replaces this file, which stays in the history."
    )
    assert reports[1].preview.kind == SUPERSEDED_EARLIER
    assert (
        reports[1]
        .summary("en")
        .startswith(
            "Saving replaces the earlier file of the same respondent for ORG-001, 2025: “ayse.xlsx” "
            "(submission 1, uploaded on "
        )
    )
    assert reports[1].summary("en").endswith(" by local-admin). That file stays in the history.")
    [alone] = check_uploads([("other-year.xlsx", filled(year=2024)[1])], store, EVALUATOR_UPLOADER, "en")
    assert alone.basis.describe("en") == (
        "Computed from this file alone: no other respondent's questionnaire is stored for ORG-001, 2024."
    )


def test_the_same_file_twice_in_one_upload_is_stored_once(store) -> None:
    _, data = filled()
    reports = check_uploads([("a.xlsx", data), ("copy.xlsx", data)], store, MANAGER_OF_ORG_001, "en")
    assert [r.changes_data for r in reports] == [True, False]
    assert reports[1].same_as == "a.xlsx" and reports[1].basis.this_file == UNCHANGED
    assert reports[1].summary("en") == "Identical to a.xlsx in this upload: saving stores only one copy."
    outcomes = submit(reports, store, MANAGER_OF_ORG_001)
    assert [o.kind for o in outcomes] == [STORED_NEW, DUPLICATE]
    assert len(queries.submissions(store, CLI_ADMIN, "ORG-001")) == 1


def test_a_file_already_stored_is_previewed_as_a_no_op(store) -> None:
    _, data = filled()
    first = ingest_file(store, data, "march.xlsx", CLI_ADMIN)
    [report] = check_uploads([("again.xlsx", data)], store, MANAGER_OF_ORG_001, "en")
    assert report.accepted and not report.changes_data and report.preview.kind == DUPLICATE
    assert report.earlier.filename == "march.xlsx" and report.earlier.submission_id == first.submission_id
    assert report.result == stored_result(store)
    [outcome] = submit([report], store, MANAGER_OF_ORG_001)
    assert outcome.kind == DUPLICATE and not outcome.stored
    assert upload.stored_organisations([outcome]) == []


def test_a_file_another_framework_version_cannot_join_is_refused_before_submit(store, monkeypatch) -> None:
    from capacity.scoring import ScoringInputError

    def refuse(*args, **kwargs):
        raise ScoringInputError(i18n.Message("Not together: {why}", {"why": "test"}))

    monkeypatch.setattr(upload, "score_assessment", refuse)
    _, data = filled()
    [report] = check_uploads([("a.xlsx", data)], store, MANAGER_OF_ORG_001, "en")
    assert not report.accepted and report.errors[-1].render("en") == "Not together: test"


def test_the_preview_says_where_an_evaluators_level_outranks_the_self_assessment(store) -> None:
    full, _ = filled(respondent="External", seed=5, role=ROLE_EVALUATOR)
    evaluated = ["IC.1", "IC.3", "SD.2"]  # the evaluator checked three indicators only
    answers = {code: a if code in evaluated else Answer(code) for code, a in full.answers.items()}
    evaluator_submission = dataclasses.replace(full, answers=answers)
    ingest_file(store, questionnaire(evaluator_submission, "en"), "evaluator.xlsx", CLI_ADMIN)
    _, mine = filled(seed=8)
    [report] = check_uploads([("ayse.xlsx", mine)], store, MANAGER_OF_ORG_001, "en")
    assert report.basis.evaluator_codes == tuple(evaluated)
    assert report.basis.precedence("en") == (
        f"An evaluator's level takes precedence over self-assessment for {len(evaluated)} indicators of "
        f"ORG-001, 2025 ({', '.join(evaluated)}): this file's answers there do not move the scores."
    )
    # The engine agrees: where the evaluator answered, the level of record is the evaluator's.
    for code in evaluated:
        indicator = report.result.indicators[code]
        assert indicator.level == evaluator_submission.answers[code].level
    # The evaluator's own file is outranked by nobody; a review alone outranks for its indicator.
    [again] = check_uploads(
        [("eva.xlsx", filled(respondent="External", seed=6, role=ROLE_EVALUATOR)[1])],
        store,
        EVALUATOR_UPLOADER,
        "en",
    )
    assert again.basis.precedence("en") is None


def test_a_review_outranks_the_self_assessment_for_its_indicator_and_the_preview_says_so(store) -> None:
    _, first = filled(seed=1)
    ingest_file(store, first, "ayse.xlsx", CLI_ADMIN)
    record_review(store, "ORG-001", 2025, "IC.1", 5, "Verified in the annual report", CLI_ADMIN)
    [report] = check_uploads(
        [("mehmet.xlsx", filled(respondent="Mehmet Kaya", seed=2)[1])], store, MANAGER_OF_ORG_001, "en"
    )
    assert report.basis.evaluator_codes == ("IC.1",)
    assert report.basis.precedence("en").startswith(
        "An evaluator's level takes precedence over self-assessment for 1 indicator of ORG-001, 2025 (IC.1): "
        "this file's answer there does not move the scores."
    )
    [alone] = check_uploads([("other-year.xlsx", filled(year=2024)[1])], store, MANAGER_OF_ORG_001, "en")
    assert alone.basis.precedence("en") is None  # no evaluator for 2024: the file counts everywhere


# --------------------------------------------------------------------------- the pre-filled template


def test_the_prefilled_template_carries_the_last_rounds_self_assessment(store) -> None:
    assert latest_submission(store, MANAGER_OF_ORG_001, "ORG-001") is None
    old, old_data = filled(year=2023, seed=1)
    mine, mine_data = filled(year=2024, seed=2)
    _, evaluator = filled(year=2024, respondent="External", seed=3, role=ROLE_EVALUATOR)
    for number, data in enumerate((old_data, mine_data, evaluator)):
        ingest_file(store, data, f"{number}.xlsx", CLI_ADMIN)
    latest = latest_submission(store, MANAGER_OF_ORG_001, "ORG-001")
    assert latest.year == 2024 and latest.respondent_name == "Ayşe Demir"
    assert latest.answers == mine.answers
    read = read_questionnaire(build_template(lang="tr", prefill=latest), "prefilled.xlsx")
    # Year and respondent role are left for the manager to write; the answers come back unchanged.
    assert {p.cell for p in read.errors} == {"B7", "B9"}
    with pytest.raises(AccessDenied):
        latest_submission(store, Actor("other", MANAGER, frozenset({"ORG-002"})), "ORG-001")
    assert old.year == 2023


# --------------------------------------------------------------------------- the CSV report


def read_csv(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_the_csv_report_lists_every_problem_with_its_cell(store) -> None:
    _, good = filled()
    reports = check_uploads(
        [("broken.xlsx", three_errors()), ("good.xlsx", good)], store, MANAGER_OF_ORG_001, "en"
    )
    rows = read_csv(report_csv(reports, "en"))
    assert rows[0] == ["File", "Outcome", "Severity", "Sheet", "Cell", "Indicator", "Message"]
    broken = [row for row in rows[1:] if row[0] == "broken.xlsx"]
    assert broken[0][:3] == ["broken.xlsx", "rejected", ""]
    assert {(r[3], r[4], r[5]) for r in broken if r[2] == "Error"} == {
        ("Organisation", "B2", ""),
        ("Organisation", "B7", ""),
        ("Responses", "F4", "IC.3"),
    }
    good_rows = [row for row in rows[1:] if row[0] == "good.xlsx"]
    assert good_rows[0][1] == "accepted"
    assert good_rows[0][6] == "Saving stores it as a new questionnaire for ORG-001, 2025."
    assert all(r[2] == "Warning" for r in good_rows[1:])


cell_text = st.text(alphabet=st.sampled_from(list("=+-@\t\r'abc ,;\"\n1")), max_size=12)


@settings(max_examples=200, deadline=None)
@given(name=cell_text, sheet=cell_text, cell=cell_text, found=cell_text)
def test_no_csv_cell_can_run_as_a_formula(name: str, sheet: str, cell: str, found: str) -> None:
    problem = Problem(sheet, cell, i18n.Message("{found}", {"found": found}), indicator="IC.1")
    read = ReadResult(None, (problem,), (), "en", "0")
    rows = read_csv(report_csv([FileReport(name, 1, read)], "en"))
    for row in rows[1:]:
        for value in row:
            assert not value.startswith(upload.FORMULA_TRIGGERS)
    expected = [name, "rejected", "Error", sheet, cell, "IC.1", found]
    shown = rows[-1]
    assert [
        value[1:] if original.startswith(upload.FORMULA_TRIGGERS) else value
        for value, original in zip(shown, expected, strict=True)
    ] == expected
    assert all(
        value.startswith("'")
        for value, original in zip(shown, expected, strict=True)
        if original.startswith(upload.FORMULA_TRIGGERS)
    )


@given(st.text(max_size=20))
def test_neutralise_only_prefixes_formula_triggers(text: str) -> None:
    result = upload.neutralise(text)
    assert result == ("'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") and text else text)


def test_the_report_speaks_the_managers_language(store) -> None:
    sentence = i18n.translator("tr")(
        '"{found}" is not a level. Choose 0–5 or N/A from the list.', found="Very good"
    )
    assert "is not a level" not in sentence
    [report] = check_uploads([("broken.xlsx", three_errors())], store, MANAGER_OF_ORG_001, "tr")
    rows = read_csv(report_csv([report], "tr"))
    assert rows[0][0] == "Dosya" and rows[1][1] == "reddedildi"
    assert sentence in [row[6] for row in rows]
    assert upload.problems_by_sheet(report.errors, "tr")[1] == ("Responses", [("F4 (IC.3)", sentence)])


# --------------------------------------------------------------------------- submitting as one batch


@pytest.fixture
def alone(tmp_path):
    """A second store, where the same files are stored one at a time (`ingest_read_result`)."""
    opened = open_store(f"sqlite:///{tmp_path / 'alone.db'}")
    yield opened
    opened.close()


def three_files() -> list[tuple[str, bytes]]:
    """Two good questionnaires of one organisation and year, and a rejected one between them."""
    return [
        ("ayse.xlsx", filled(seed=1)[1]),
        ("broken.xlsx", three_errors()),
        ("mehmet.xlsx", filled(respondent="Mehmet Kaya", seed=2)[1]),
    ]


def counted_transactions(monkeypatch) -> list[Store]:
    """Every write transaction opened from now on (the stores it was opened on)."""
    opened: list[Store] = []
    real = Store.write

    def counting(self, *args, **kwargs):
        opened.append(self)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Store, "write", counting)
    return opened


def test_an_upload_is_stored_as_one_batch_leaving_what_one_file_at_a_time_leaves(
    store, alone, monkeypatch
) -> None:
    reports = check_uploads(three_files(), store, MANAGER_OF_ORG_001, "en")
    assert [r.accepted for r in reports] == [True, False, True]
    transactions = counted_transactions(monkeypatch)
    outcomes = submit(reports, store, MANAGER_OF_ORG_001, "tr")
    monkeypatch.undo()

    assert transactions == [store]  # both files in one transaction
    stored = [("ayse.xlsx", STORED_NEW), ("mehmet.xlsx", STORED_NEW)]
    assert [(o.filename, o.kind) for o in outcomes] == stored
    expected = [
        ingest_read_result(alone, r.data, r.filename, r.read, MANAGER_OF_ORG_001, "tr")
        for r in reports
        if r.accepted
    ]
    assert [summary(o) for o in outcomes] == [summary(o) for o in expected]
    assert [o.message() for o in outcomes] == [o.message() for o in expected]  # each file's line, in Turkish
    assert contents(store) == contents(alone)
    assert stored_result(store).respondents == 2


def test_a_file_the_store_fails_on_loses_none_of_the_others(store, alone, monkeypatch, caplog) -> None:
    files = [*three_files(), ("zeynep.xlsx", filled(respondent="Zeynep Arslan", seed=3)[1])]
    reports = check_uploads(files, store, MANAGER_OF_ORG_001, "en")
    real = ingest._response_rows

    def failing(submission, submission_id):
        if submission.respondent_name == "Mehmet Kaya":
            raise RuntimeError("the disk is full")
        return real(submission, submission_id)

    monkeypatch.setattr(ingest, "_response_rows", failing)
    transactions = counted_transactions(monkeypatch)
    outcomes = submit(reports, store, MANAGER_OF_ORG_001, "en")
    monkeypatch.undo()

    assert len(transactions) == 2  # the first batch stops at the failing file; the rest is a new batch
    assert [(o.filename, o.kind, o.stored) for o in outcomes] == [
        ("ayse.xlsx", STORED_NEW, True),
        ("mehmet.xlsx", REJECTED, False),
        ("zeynep.xlsx", STORED_NEW, True),
    ]
    assert (
        outcomes[1]
        .message()
        .startswith(
            "mehmet.xlsx: not stored: The file could not be stored because of an unexpected problem; nothing "
            "of it was stored."
        )
    )
    assert "disk is full" not in outcomes[1].message()
    kept = [r for r in reports if r.filename in ("ayse.xlsx", "zeynep.xlsx")]
    expected = [ingest_read_result(alone, r.data, r.filename, r.read, MANAGER_OF_ORG_001) for r in kept]
    assert [summary(o) for o in (outcomes[0], outcomes[2])] == [summary(o) for o in expected]
    assert contents(store) == contents(alone)
