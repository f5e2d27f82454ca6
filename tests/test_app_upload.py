"""AppTest of the Upload page: what the manager sees for each kind of file, and what the database holds.

Each case uploads through the page's file uploader, reads the report and the preview on
the page, presses Submit, and then checks the database directly: a valid file is stored,
a file with three errors is not, a duplicate changes nothing, and a superseding file
replaces the earlier one while keeping it in the history.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from sqlalchemy import func, select
from streamlit.testing.v1 import AppTest

from capacity import i18n
from capacity.access import ADMIN, BOARD, CLI_ADMIN, MANAGER, Actor
from capacity.framework import current_framework
from capacity.i18n import format_number
from capacity.labels import status_text
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Answer
from capacity.scoring import score_assessment
from capacity.store import open_store, queries
from capacity.store.ingest import ingest_file
from capacity.store.models import ACTIVE, SUPERSEDED, SubmissionRecord
from tests.apptest import APP, TIMEOUT, shown, sign_in
from tests.bad_files import indicator_row
from tests.store_support import questionnaire
from tests.upload_files import filled, three_errors

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MANAGER_OF_ORG_001 = Actor("ayse", MANAGER, frozenset({"ORG-001"}))


@pytest.fixture
def store(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'capacity.db'}"
    monkeypatch.setenv("CAPACITY_DATABASE_URL", url)
    opened = open_store(url)
    yield opened
    opened.close()


def upload_page(actor: Actor = MANAGER_OF_ORG_001, lang: str | None = None) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    sign_in(at, actor)
    if lang:
        at.query_params["lang"] = lang
    at.run()
    at.switch_page("views/upload.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, *files: tuple[str, bytes]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, XLSX) for name, data in files])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def press_submit(at: AppTest) -> AppTest:
    next(button for button in at.button if button.key == "upload_submit").click()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    parts += [box.value for kind in ("success", "info", "warning", "error") for box in at.get(kind)]
    # The page escapes markdown signs in text from files, and marks cells in bold.
    return "\n".join(parts).replace("\\", "").replace("**", "")


def all_rows(at: AppTest) -> pd.DataFrame:
    return pd.concat([df.value for df in at.dataframe], ignore_index=True) if at.dataframe else pd.DataFrame()


def submissions(store, organisation_id: str = "ORG-001") -> pd.DataFrame:
    return queries.submissions(store, CLI_ADMIN, organisation_id)


def test_a_valid_file_is_previewed_then_stored(store) -> None:
    submission, data = filled()
    at = upload(upload_page(), ("ayse-2025.xlsx", data))
    text = page_text(at)
    assert "1 of 1 file accepted" in text
    assert "Saving stores it as a new questionnaire for ORG-001, 2025." in text
    assert (
        "Organisation ORG-001 (ORG-001) · assessment year 2025 · respondent: Ayşe Demir "
        "(Self-assessment)" in text
    )
    assert "Computed from this file alone" in text
    expected = score_assessment([submission])
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Capacity index it would produce"] == format_number(expected.index.score, "en", 1)
    assert metrics["Roadmap status"] == status_text(expected.index.roadmap.status, "en")
    scores = all_rows(at)
    ic = scores[scores["target"].astype(str).str.startswith("IC ·")].iloc[0]
    assert ic["score"] == format_number(expected.dimensions["IC"].score, "en", 1)
    assert len(at.progress) == 0  # the progress bar is gone once the files are read
    assert submissions(store).empty  # nothing is stored before Submit

    at = press_submit(at)
    stored = submissions(store)
    assert list(stored["filename"]) == ["ayse-2025.xlsx"] and list(stored["status"]) == [ACTIVE]
    assert list(stored["uploaded_by"]) == ["ayse"]
    assert (
        f"ayse-2025.xlsx: stored as submission {stored['submission_id'][0]} for ORG-001, 2025."
        in page_text(at)
    )
    history = queries.organisation_history(store, CLI_ADMIN, "ORG-001")
    assert history["index_score"][0] == pytest.approx(expected.index.score)
    assert [
        (link.proto.label.replace("\\", ""), link.proto.page, link.proto.query_string)
        for link in at.get("page_link")
    ] == [("See the profile of ORG-001", "profile", "org=ORG-001")]
    assert len(at.file_uploader) == 1 and not at.file_uploader[0].value  # a fresh, empty uploader

    # The next upload starts afresh: the confirmation of the last one goes.
    at = upload(at, ("another.xlsx", filled(respondent="Mehmet Kaya")[1]))
    assert "Submitted." not in page_text(at) and "1 of 1 file accepted" in page_text(at)


def test_three_errors_are_each_named_and_nothing_is_stored(store) -> None:
    _, good = filled(respondent="Mehmet Kaya", seed=3)
    at = upload(upload_page(), ("broken.xlsx", three_errors()), ("good.xlsx", good))
    text = page_text(at)
    assert "1 of 2 files accepted" in text
    assert "Rejected with 3 problems to fix; nothing of it will be stored." in text
    assert "Errors · Organisation" in text and "Errors · Responses" in text
    organisation, responses = text.split("Errors · Organisation")[1].split("Errors · Responses")
    assert "- B2 · Organisation ID is missing." in organisation
    assert '- B7 · "next year" is not a year. Write the year the answers describe, e.g. 2025.' in organisation
    level = '- F4 (IC.3) · "Very good" is not a level. Choose 0–5 or N/A from the list.'
    assert level in responses.split("\n")[1]
    assert "The rejected file is not stored." in text

    # The other file keeps its report; rerunning (as any click does) does not lose either.
    at.run()
    assert "1 of 2 files accepted" in page_text(at)
    at = press_submit(at)
    stored = submissions(store)
    assert list(stored["filename"]) == ["good.xlsx"]
    assert "broken.xlsx" not in " ".join(stored["filename"])


def test_only_a_broken_file_offers_no_submit(store) -> None:
    at = upload(upload_page(), ("broken.xlsx", three_errors()))
    assert not [button for button in at.button if button.key == "upload_submit"]
    assert "No file can be stored yet." in page_text(at)
    with store.read() as session:
        assert session.scalar(select(func.count()).select_from(SubmissionRecord)) == 0


def test_a_duplicate_changes_nothing(store) -> None:
    _, data = filled()
    first = ingest_file(store, data, "sent-in-march.xlsx", CLI_ADMIN)
    before = submissions(store)
    at = upload(upload_page(), ("again.xlsx", data))
    text = page_text(at)
    assert (f"Identical to “sent-in-march.xlsx” (submission {first.submission_id}, uploaded on") in text
    assert "saving it changes nothing." in text
    assert "Saving this file changes nothing" in text
    at = press_submit(at)
    assert (
        f"identical to submission {first.submission_id} (active), already stored; nothing changed."
        in page_text(at)
    )
    pd.testing.assert_frame_equal(submissions(store), before)
    assert not [link for link in at.get("page_link") if "org=ORG-001" in link.proto.query_string]


def test_a_new_file_of_the_same_respondent_supersedes_the_earlier_one(store) -> None:
    earlier_submission, earlier = filled(seed=1)
    other, other_data = filled(respondent="Mehmet Kaya", seed=2)
    first = ingest_file(store, earlier, "first-try.xlsx", MANAGER_OF_ORG_001)  # her own: she may replace it
    ingest_file(store, other_data, "mehmet.xlsx", CLI_ADMIN)
    correction, corrected = filled(seed=9)
    at = upload(upload_page(), ("corrected.xlsx", corrected))
    text = page_text(at)
    assert (
        "Saving replaces the earlier file of the same respondent for ORG-001, 2025: “first-try.xlsx” "
        f"(submission {first.submission_id}, uploaded on" in text
    )
    assert "this file with 1 questionnaire already stored" in text
    expected = score_assessment([other, correction])
    assert {m.label: m.value for m in at.metric}["Capacity index it would produce"] == format_number(
        expected.index.score, "en", 1
    )

    at = press_submit(at)
    stored = submissions(store).set_index("filename")
    assert stored.loc["first-try.xlsx", "status"] == SUPERSEDED
    assert stored.loc["corrected.xlsx", "status"] == ACTIVE
    assert stored.loc["first-try.xlsx", "superseded_by"] == stored.loc["corrected.xlsx", "submission_id"]
    assert stored.loc["mehmet.xlsx", "status"] == ACTIVE
    history = queries.organisation_history(store, CLI_ADMIN, "ORG-001")
    assert history["index_score"][0] == pytest.approx(expected.index.score)
    assert "it replaces submission" in page_text(at)
    assert earlier_submission.organisation_id == "ORG-001"


def test_a_manager_cannot_store_another_organisations_file(store) -> None:
    _, data = filled(organisation_id="ORG-999")
    at = upload(upload_page(), ("theirs.xlsx", data))
    assert (
        "Errors · The file as a whole\n- Your account does not give access to organisation ORG-999."
        in page_text(at)
    )
    assert "Rejected with 1 problem to fix" in page_text(at)
    assert not [button for button in at.button if button.key == "upload_submit"]
    assert submissions(store, "ORG-999").empty


def test_a_board_member_is_told_why_there_is_no_uploader(store) -> None:
    at = upload_page(Actor("board", BOARD))
    assert "Your role does not allow this action." in page_text(at)
    assert len(at.file_uploader) == 0


def test_the_prefilled_template_is_offered_for_the_last_round(store) -> None:
    _, data = filled(year=2024)
    ingest_file(store, data, "2024.xlsx", CLI_ADMIN)
    at = upload_page(Actor("admin", ADMIN))
    labels = [shown(button.label) for button in at.get("download_button")]
    assert "Download the blank questionnaire (.xlsx)" in labels
    assert "Download ORG-001 pre-filled with the answers of 2024 (.xlsx)" in labels


def test_validation_messages_follow_the_language_of_the_app(store) -> None:
    t = i18n.translator("tr")
    sentence = t('"{found}" is not a level. Choose 0–5 or N/A from the list.', found="Very good")
    assert "is not a level" not in sentence
    at = upload(upload_page(lang="tr"), ("broken.xlsx", three_errors()))
    assert at.title[0].value == t("Upload questionnaires") != "Upload questionnaires"
    assert f"- F4 (IC.3) · {sentence}" in page_text(at)


def test_text_from_a_file_cannot_inject_markdown(store) -> None:
    _, data = filled(organisation_name="[Click me](http://evil.example) ![x](http://evil.example/x.png)")
    at = upload(upload_page(), ("![pixel](http://evil.example/p.png).xlsx", data))
    shown = "\n".join(m.value for m in at.markdown)
    assert "![pixel](http" not in shown and "[Click me](http" not in shown
    assert "\\!\\[pixel\\]\\(http" in shown and "\\[Click me\\]\\(http" in shown


def test_the_uploader_takes_only_what_the_reader_reads_and_says_so_once(store) -> None:
    at = upload_page()
    assert list(at.file_uploader[0].proto.type) == [".xlsx", ".xlsm", ".ods"]
    text = page_text(at) + "\n" + at.file_uploader[0].proto.help
    assert text.count(".ods") == 1 and text.count(".xlsm") == 1  # once, in the step's caption


def test_a_blank_level_is_a_warning_naming_the_indicator_its_cell_and_title(store) -> None:
    submission, _ = filled()
    answers = {**submission.answers, "IC.4": Answer("IC.4")}
    data = questionnaire(dataclasses.replace(submission, answers=answers), "en")
    at = upload(upload_page(), ("blank.xlsx", data))
    text = page_text(at)
    assert "1 of 1 file accepted" in text
    cell = f"F{indicator_row('IC.4')}"
    assert (
        f"- {cell} (IC.4) · IC.4 (Independence and civil-character safeguards) has no level: it counts as "
        "unanswered and lowers coverage." in text
    )
    at = upload(upload_page(lang="tr"), ("blank.xlsx", data))
    title = current_framework().indicator("IC.4").title("tr")
    assert f"- {cell} (IC.4) · IC.4 ({title})" in page_text(at)


def test_the_preview_says_why_the_evaluators_levels_keep_the_score_from_moving(store) -> None:
    full, _ = filled(respondent="External", seed=5, role=ROLE_EVALUATOR)
    answers = {code: answer if code == "IC.1" else Answer(code) for code, answer in full.answers.items()}
    evaluator = dataclasses.replace(full, answers=answers)
    ingest_file(store, questionnaire(evaluator, "en"), "evaluator.xlsx", CLI_ADMIN)
    at = upload(upload_page(), ("mine.xlsx", filled()[1]))
    [note] = [box.value for box in at.info if "precedence" in box.value]
    assert shown(note) == (
        "An evaluator's level takes precedence over self-assessment for 1 indicator of ORG-001, 2025 (IC.1): "
        "this file's answer there does not move the scores."
    )
