"""The improvement plan in the take-away files: both scorecards and the dataset's plan table.

NS-01 (small portfolio) answers IC at level 2 in 2019 and 3 in 2023, so an IC.1 action of
2019 reads 2.0 → 3.0 (2023), and the aim of level 3 is reached.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from capacity.access import BOARD, CLI_ADMIN, Actor
from capacity.export.dataset import PLAN, dataset_frames
from capacity.export.pdf_scorecard import build_pdf
from capacity.export.scorecard import load_scorecard
from capacity.export.xlsx_scorecard import build_xlsx
from capacity.plans import actions as plan
from capacity.store import open_store
from tests.dashboard_data import fill_small_portfolio


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('plan-exports') / 'capacity.db'}")
    fill_small_portfolio(opened)
    done = plan.add_action(
        opened, CLI_ADMIN, "NS-01", 2019, "IC.1", "@SUM(A1) strategy", "Ana", dt.date(2021, 6, 30), 3
    )
    plan.update_action(opened, CLI_ADMIN, done, status=plan.DONE, today=dt.date(2021, 6, 1))
    plan.add_action(
        opened, CLI_ADMIN, "NS-01", 2026, "IL.2", "Train two staff", "Berk", dt.date(2027, 3, 1), 5
    )
    yield opened
    opened.close()


def test_the_excel_scorecard_lists_the_plan_up_to_its_year(store) -> None:
    book = load_workbook(io.BytesIO(build_xlsx(load_scorecard(store, CLI_ADMIN, "NS-01", 2023))))
    rows = list(book["Improvement plan"].iter_rows(min_row=4, values_only=True))
    header, actions = rows[0], [row for row in rows[1:] if any(row)]
    assert len(actions) == 1  # the 2026 action is not part of the 2023 scorecard
    first = dict(zip(header, actions[0], strict=True))
    assert first["What will be done"] == "'@SUM(A1) strategy"  # text, never a formula
    assert (first["Level before"], first["Next round"], first["Level after"], first["Aim reached"]) == (
        2,
        2023,
        3,
        "yes",
    )
    assert first["Status"] == "done"


def test_the_pdf_scorecard_prints_the_plan_in_turkish(store) -> None:
    pdf = PdfReader(io.BytesIO(build_pdf(load_scorecard(store, CLI_ADMIN, "NS-01", 2026, "tr"))))
    text = " ".join(page.extract_text() for page in pdf.pages)
    assert "Train two staff" in text and "@SUM(A1) strategy" in text
    assert "2,0 → 3,0 (2023)" in " ".join(text.split())


def test_the_dataset_holds_the_plan_for_a_board_member(store) -> None:
    table = dataset_frames(store, Actor("bo", BOARD), responses=False)[PLAN]
    rows = table[["code", "before", "after", "change", "reached"]].values.tolist()
    assert [[None if pd.isna(value) else value for value in row] for row in rows] == [
        ["IC.1", 2.0, 3.0, 1.0, True],
        ["IL.2", 4.0, None, None, None],
    ]
    assert table["action"].iloc[0] == "'@SUM(A1) strategy"
