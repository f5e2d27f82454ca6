"""The whole dataset as CSV and XLSX, read back: the store's figures, every answer, a codebook, who may."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from types import SimpleNamespace

import pandas as pd
import pytest
from openpyxl import load_workbook

from capacity.access import BOARD, CLI_ADMIN, EVALUATOR, MANAGER, AccessDenied, Actor
from capacity.cli import main
from capacity.export.dataset import (
    CODEBOOK,
    PLAN,
    RESPONSES,
    REVIEWS,
    SCORES,
    SUBMISSIONS,
    dataset_csv_files,
    dataset_csv_zip,
    dataset_xlsx,
)
from capacity.questionnaire.layout import ROLE_EVALUATOR
from capacity.questionnaire.submission import Answer
from capacity.scoring.consolidate import consolidate_indicator
from capacity.store import open_store, queries
from capacity.store.corrections import record_review
from tests.dashboard_data import fill_small_portfolio, ingest_all
from tests.export_data import TURKISH_NAME, submission

EVALUATOR_ACTOR = Actor("eva", EVALUATOR)
ALL_TABLES = (SCORES, RESPONSES, SUBMISSIONS, REVIEWS, PLAN, CODEBOOK)


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('dataset') / 'capacity.db'}")
    fill_small_portfolio(opened)
    ingest_all(
        opened,
        [
            submission(
                "TR-01",
                2025,
                [3, 2, 1, 0, 4, 5],
                name=TURKISH_NAME,
                evidence="Yıllık rapor: İzmir ofisi",
                not_applicable=("IC.2",),
            )
        ],
    )
    yield opened
    opened.close()


def read_csv(data: bytes) -> pd.DataFrame:
    assert data.startswith(b"\xef\xbb\xbf")  # the byte-order mark Excel needs to read UTF-8
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", keep_default_na=False, na_values=[""])


def test_the_csv_files_hold_the_stores_scores_and_every_answer(store) -> None:
    files = dataset_csv_files(store, EVALUATOR_ACTOR, "en")
    assert sorted(files) == [
        "codebook.csv",
        "plan.csv",
        "responses.csv",
        "reviews.csv",
        "scores.csv",
        "submissions.csv",
    ]
    scores = read_csv(files["scores.csv"])
    expected = queries.portfolio(store, CLI_ADMIN)
    assert len(scores) == len(expected) == 23
    merged = scores.merge(expected, on=["organisation_id", "year"], suffixes=("", "_store"))
    for column in ("index_score", "index_gap", "IC_score", "SD_gap", "IC_coverage"):
        assert merged[column].tolist() == pytest.approx(merged[f"{column}_store"].tolist(), nan_ok=True)
    assert (merged["index_status"].fillna("") == merged["index_status_store"].fillna("")).all()
    turkish = scores[scores["organisation_id"] == "TR-01"].iloc[0]
    assert turkish["organisation_name"] == TURKISH_NAME

    responses = read_csv(files["responses.csv"])
    stored = queries.responses(store, CLI_ADMIN)
    assert len(responses) == len(stored) == 23 * 36  # one row per questionnaire and indicator
    answer = responses[(responses["organisation_id"] == "TR-01") & (responses["code"] == "IC.2")].iloc[0]
    assert bool(answer["not_applicable"]) and pd.isna(answer["level"])
    assert "Yıllık rapor: İzmir ofisi" in set(responses["evidence"])


def test_the_codebook_explains_every_column_in_the_readers_language(store) -> None:
    files = dataset_csv_files(store, EVALUATOR_ACTOR, "tr")
    codebook = read_csv(files["codebook.csv"])
    for name in (SCORES, RESPONSES, PLAN):
        columns = list(read_csv(files[f"{name}.csv"]).columns)
        described = codebook[codebook["table"] == name]
        assert list(described["column"]) == columns
        assert described["meaning"].str.len().gt(0).all(), described[described["meaning"].str.len() == 0]
    ic_score = codebook[(codebook["table"] == SCORES) & (codebook["column"] == "IC_score")]["meaning"].iloc[0]
    assert "Kurumsal Kapasite" in ic_score  # the dimension's Turkish name


def test_the_zip_and_the_workbook_hold_the_same_tables(store) -> None:
    with zipfile.ZipFile(io.BytesIO(dataset_csv_zip(store, EVALUATOR_ACTOR))) as archive:
        assert sorted(archive.namelist()) == sorted(f"{name}.csv" for name in ALL_TABLES)
        scores = read_csv(archive.read("scores.csv"))
    book = load_workbook(io.BytesIO(dataset_xlsx(store, EVALUATOR_ACTOR)), read_only=True)
    assert book.sheetnames == list(ALL_TABLES)
    rows = list(book[SCORES].iter_rows(values_only=True))
    header, body = list(rows[0]), rows[1:]
    assert header == list(scores.columns)
    sheet = pd.DataFrame(body, columns=header)
    assert len(sheet) == len(scores)
    in_sheet = sheet["index_score"].astype(float).tolist()
    assert in_sheet == pytest.approx(scores["index_score"].tolist(), nan_ok=True)
    assert all(isinstance(value, dt.datetime) for value in sheet["computed_at"])  # a date cell, not text
    assert len(list(book[RESPONSES].iter_rows())) == 23 * 36 + 1


def test_only_roles_allowed_to_export_the_dataset_get_it(store) -> None:
    for actor in (Actor("board", BOARD), Actor("manager", MANAGER, frozenset({"NS-01"}))):
        with pytest.raises(AccessDenied):
            dataset_csv_files(store, actor)
        with pytest.raises(AccessDenied):
            dataset_xlsx(store, actor)


def test_a_board_member_takes_the_portfolios_scores_but_no_answer(store) -> None:
    board = Actor("board", BOARD)
    book = load_workbook(io.BytesIO(dataset_xlsx(store, board, "en", responses=False)), read_only=True)
    assert book.sheetnames == [SCORES, PLAN, CODEBOOK]
    rows = list(book[SCORES].iter_rows(values_only=True))
    sheet = pd.DataFrame(rows[1:], columns=rows[0])
    expected = queries.portfolio(store, CLI_ADMIN)
    assert sorted(zip(sheet["organisation_id"], sheet["year"], strict=True)) == sorted(
        zip(expected["organisation_id"], expected["year"], strict=True)
    )
    assert set(pd.DataFrame(list(book[CODEBOOK].iter_rows(values_only=True))[1:])[0]) == {SCORES, PLAN}
    everything = " ".join(str(value) for row in rows for value in row)
    assert "Yıllık rapor" not in everything  # the evidence stays behind
    assert sorted(dataset_csv_files(store, board, responses=False)) == [
        "codebook.csv",
        "plan.csv",
        "scores.csv",
    ]


def test_the_cli_writes_the_scores_only_when_asked(store, tmp_path) -> None:
    out = tmp_path / "scores.xlsx"
    arguments = ["export-dataset", "--database", store.url, "--format", "xlsx", "--scores-only"]
    assert main([*arguments, "--out", str(out)]) == 0
    assert load_workbook(out, read_only=True).sheetnames == [SCORES, PLAN, CODEBOOK]


def test_every_column_is_wide_enough_for_its_header(store) -> None:
    book = load_workbook(io.BytesIO(dataset_xlsx(store, EVALUATOR_ACTOR)))
    for name in (SCORES, RESPONSES, CODEBOOK):
        sheet = book[name]
        for cell in sheet[1]:
            width = sheet.column_dimensions[cell.column_letter].width
            assert min(len(cell.value), 38) < width <= 40, (name, cell.value, width)


def test_a_manager_takes_no_portfolio_file(store) -> None:
    manager = Actor("manager", MANAGER, frozenset({"NS-01"}))
    with pytest.raises(AccessDenied):
        dataset_xlsx(store, manager, responses=False)


def test_the_cli_writes_the_dataset_as_zip_folder_and_workbook(store, tmp_path, capsys) -> None:
    assert (
        main(
            ["export-dataset", "--database", store.url, "--format", "csv", "--out", str(tmp_path / "all.zip")]
        )
        == 0
    )
    assert zipfile.is_zipfile(tmp_path / "all.zip")
    assert (
        main(
            ["export-dataset", "--database", store.url, "--format", "csv", "--out", str(tmp_path / "folder")]
        )
        == 0
    )
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == sorted(f"{n}.csv" for n in ALL_TABLES)
    assert (
        main(
            [
                "export-dataset",
                "--database",
                store.url,
                "--format",
                "xlsx",
                "--out",
                str(tmp_path / "all.xlsx"),
                "--lang",
                "tr",
            ]
        )
        == 0
    )
    assert load_workbook(tmp_path / "all.xlsx", read_only=True).sheetnames == list(ALL_TABLES)
    printed = capsys.readouterr().out
    assert "all.zip" in printed and "all.xlsx" in printed and "scores.csv" in printed
    with pytest.raises(SystemExit) as usage:
        main(["export-dataset", "--format", "json", "--out", "x"])
    assert usage.value.code == 2


def test_the_official_levels_can_be_reproduced_from_the_export_alone(store) -> None:
    """Issue 15: answers, each questionnaire's role of record and uploader, and the reviews suffice."""
    record_review(store, "TR-01", 2025, "IC.1", 1, "First review.", EVALUATOR_ACTOR)
    record_review(store, "TR-01", 2025, "IC.1", 4, "Budget line found.", EVALUATOR_ACTOR)
    files = dataset_csv_files(store, EVALUATOR_ACTOR, "en")
    uploads = read_csv(files[f"{SUBMISSIONS}.csv"])
    answers = read_csv(files[f"{RESPONSES}.csv"])
    reviews = read_csv(files[f"{REVIEWS}.csv"])
    assert set(uploads["uploaded_by"]) == {CLI_ADMIN.username} and set(uploads["uploader_role"]) == {"admin"}
    assert len(uploads) == 23 and not uploads["evaluator_unverified"].any()
    assert reviews[["code", "level", "reason", "reviewer"]].values.tolist() == [
        ["IC.1", 1, "First review.", "eva"],
        ["IC.1", 4, "Budget line found.", "eva"],
    ]
    assert reviews["superseded_at"].isna().tolist() == [False, True] and reviews["created_at"].notna().all()

    roles = dict(zip(uploads["submission_id"], uploads["respondent_role"], strict=True))
    for (organisation_id, year), group in answers.groupby(["organisation_id", "year"]):
        respondents = []
        for submission_id, rows in group.groupby("submission_id", sort=True):
            respondents.append(_respondent(roles[submission_id], rows, "level", "not_applicable", "evidence"))
        in_force = reviews[
            (reviews["organisation_id"] == organisation_id)
            & (reviews["year"] == year)
            & reviews["superseded_at"].isna()
        ]
        if not in_force.empty:
            respondents.append(_respondent(ROLE_EVALUATOR, in_force, "level", "not_applicable", "reason"))
        official = queries.indicator_results(store, CLI_ADMIN, organisation_id, int(year))
        for code, level in zip(official["code"], official["level"], strict=True):
            reproduced = consolidate_indicator(code, respondents).level
            assert (reproduced is None and pd.isna(level)) or reproduced == pytest.approx(level), code


def _respondent(role: str, rows: pd.DataFrame, level: str, not_applicable: str, evidence: str):
    """One respondent rebuilt from exported rows, as the engine takes it (only role and answers count)."""
    answers = {
        row["code"]: Answer(
            code=row["code"],
            level=None if pd.isna(row[level]) else int(row[level]),
            not_applicable=bool(row[not_applicable]),
            evidence=str(row[evidence]) if not pd.isna(row[evidence]) else "",
        )
        for _, row in rows.iterrows()
    }
    return SimpleNamespace(respondent_role=role, answers=answers)
