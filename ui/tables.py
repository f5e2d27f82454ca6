"""Data tables with their column headings in the reader's language.

Pages and sections keep each table's headings as a mapping of column to msgid (marked with
`N_`); `labelled_table` translates them and draws the table without pandas' index, so the
same few lines are not written again around every `st.dataframe`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import pandas as pd
import streamlit as st

from ui.language import t


def utc_minute_column(label: str) -> Any:
    """A time stamp column shown as 'YYYY-MM-DD HH:mm' (the stored times are UTC)."""
    return st.column_config.DatetimeColumn(label, format="YYYY-MM-DD HH:mm")


def number_column(label: str) -> Any:
    """A column of counts, right-aligned as numbers."""
    return st.column_config.NumberColumn(label)


def labelled_table(
    frame: pd.DataFrame,
    headings: Mapping[str, str],
    *,
    kinds: Mapping[str, Callable[[str], Any]] | None = None,
    **options: Any,
) -> None:
    """Draw `frame` without its index, each column of `headings` headed by its translated msgid.

    `kinds` makes a typed column (`utc_minute_column`, `number_column`) from the translated
    heading; `options` go to `st.dataframe` as they are (key, height …).
    """
    _ = t()
    kinds = kinds or {}
    config = {
        column: kinds[column](_(msgid)) if column in kinds else _(msgid) for column, msgid in headings.items()
    }
    st.dataframe(frame, hide_index=True, column_config=config, **options)


# A table grows with its rows (GRID_ROW pixels each under the header) up to GRID_MAX_ROWS.
GRID_HEADER, GRID_ROW, GRID_MAX_ROWS = 38, 35, 60


def grid_height(rows: int) -> int:
    """The height that shows every row of a usual table without a scroll inside the page.

    A very large one (more than GRID_MAX_ROWS) scrolls; an empty one keeps the room of a row.
    """
    return GRID_HEADER + GRID_ROW * min(max(rows, 1), GRID_MAX_ROWS)
