"""Everything that takes data away (scorecards, batches, the dataset, original files) is on the audit trail.

The audit log page promises exports with who and when; these tests export through the
same functions the page and the CLI call and read the entry back. A refused export must
leave no entry claiming it happened.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from capacity import audit_view, i18n
from capacity.access import CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.cli import main
from capacity.export.batch import PDF, XLSX, batch_zip, export_scorecard
from capacity.export.dataset import dataset_csv_zip, dataset_xlsx
from capacity.store import audit, open_store, queries
from capacity.store.corrections import record_review
from tests.apptest import open_page
from tests.dashboard_data import fill_small_portfolio

EVA = Actor("eva", EVALUATOR)


@pytest.fixture
def store(tmp_path):
    opened = open_store(f"sqlite:///{tmp_path / 'capacity.db'}")
    fill_small_portfolio(opened)
    yield opened
    opened.close()


def entries(store, action: str):
    return queries.audit_log(store, CLI_ADMIN, actions=[action])


def test_a_scorecard_download_names_who_what_and_which_year(store) -> None:
    scorecard, data = export_scorecard(store, EVA, "NS-01", XLSX, 2023)
    assert data[:2] == b"PK" and scorecard.year == 2023
    [entry] = entries(store, audit.SCORECARD_EXPORTED).itertuples()
    assert (entry.actor, entry.organisation_id) == ("eva", "NS-01")
    assert entry.detail == {"year": 2023, "format": XLSX}


def test_a_batch_is_one_entry_listing_its_organisations(store) -> None:
    made = batch_zip(store, EVA, ["NS-01", "NS-02"], PDF, 2023, workers=1)
    assert len(made.files) == 2
    [entry] = entries(store, audit.SCORECARDS_EXPORTED).itertuples()
    assert entry.actor == "eva" and entry.detail["organisations"] == ["NS-01", "NS-02"]


def test_each_dataset_download_is_logged_once_with_its_format(store) -> None:
    dataset_xlsx(store, EVA)
    dataset_csv_zip(store, EVA)
    log = entries(store, audit.DATASET_EXPORTED)
    assert sorted(detail["format"] for detail in log["detail"]) == ["csv", "xlsx"]
    assert set(log["actor"]) == {"eva"}


def test_an_original_file_download_is_logged(store) -> None:
    submission_id = int(queries.submissions(store, CLI_ADMIN, "NS-03")["submission_id"].iloc[0])
    assert queries.original_file(store, EVA, submission_id) is not None
    [entry] = entries(store, audit.ORIGINAL_DOWNLOADED).itertuples()
    assert entry.organisation_id == "NS-03" and entry.detail == {"submission": submission_id}


def test_a_refused_export_leaves_no_entry(store) -> None:
    other_manager = Actor("manny", MANAGER, frozenset({"NS-02"}))
    with pytest.raises(AccessDenied):
        export_scorecard(store, other_manager, "NS-01", PDF)
    with pytest.raises(AccessDenied):
        dataset_xlsx(store, other_manager)
    log = queries.audit_log(store, CLI_ADMIN)
    assert "manny" not in set(log["actor"])


def test_the_command_line_export_is_attributed_to_the_local_admin(store, tmp_path) -> None:
    url = str(store.engine.url)
    out = tmp_path / "card.pdf"
    arguments = ["export", "--org", "NS-01", "--format", "pdf", "--out", str(out), "--database", url]
    assert main(arguments) == 0
    assert out.read_bytes().startswith(b"%PDF")
    [entry] = entries(store, audit.SCORECARD_EXPORTED).itertuples()
    assert entry.actor == CLI_ADMIN.username


# ---------------------------------------------------------------- the audit log in words


def test_audit_details_read_as_words_in_every_language(store) -> None:
    record_review(store, "NS-01", 2026, "IC.1", 1, "A draft only", CLI_ADMIN)
    [entry] = audit_view.audit_entries(store, EVA, audit_view.AuditFilter(actions=(audit.REVIEW_RECORDED,)))[
        "data"
    ]
    words = audit_view.detail_words(entry, "en")
    assert words.startswith("Year: 2026 · Indicator: IC.1 · Level: 1 · N/A: no")
    assert "{" not in words and "_" not in words
    t = i18n.translator("tr")
    assert audit_view.detail_words(entry, "tr").startswith(f"{t('Year')}: 2026 · {t('Indicator')}: IC.1")
    assert t("Year") != "Year"


def test_codes_in_details_become_words_but_names_stay_as_typed() -> None:
    detail = {
        "reason": "wrong_password",
        "client": "10.0.0.1",
        "username": "admin",
        "changes": {"role": ["manager", "evaluator"], "status": ["planned", "done"]},
        "sha256": "ab" * 32,
        "tables": ["answers", "scores"],
        "superseded_id": None,
    }
    assert audit_view.detail_words(detail, "en") == (
        "Reason: wrong password · Network address: 10.0.0.1 · User: admin · "
        "Changes: Role: Manager → Evaluator; Status: planned → done · Tables: answers, scores · "
        "SHA-256: abababababab…"
    )


@given(st.dictionaries(st.sampled_from(sorted(audit_view.DETAIL_LABELS)), st.one_of(
    st.none(), st.booleans(), st.integers(), st.text(max_size=8), st.lists(st.text(max_size=5), max_size=3)
)))
def test_every_known_detail_has_words_in_every_language(detail) -> None:
    for lang in ("en", "tr", "ar"):
        words = audit_view.detail_words(detail, lang)
        for key in detail:
            if detail[key] not in (None, "", []):
                assert i18n.translator(lang)(audit_view.DETAIL_LABELS[key]) in words
        assert "_id" not in words.replace(str(detail), "")


def test_the_audit_page_shows_details_in_words(store, monkeypatch) -> None:
    monkeypatch.setenv("CAPACITY_DATABASE_URL", str(store.engine.url))
    record_review(store, "NS-01", 2026, "IC.1", 1, "A draft only", CLI_ADMIN)
    at = open_page("views/audit.py", actor=EVA)
    [grid] = at.dataframe
    assert list(grid.value.columns) == ["at", "actor", "action_text", "organisation_id", "details"]
    reviews = grid.value[grid.value["action_text"] == "Evaluator review recorded"]
    assert reviews["details"].iloc[0].startswith("Year: 2026 · Indicator: IC.1 · Level: 1")
    assert not grid.value["details"].str.contains('{"', regex=False).any()
