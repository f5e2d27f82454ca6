"""Text from a file or a person on a page: always through `plain`, never straight into markdown.

Most Streamlit elements read markdown: `st.markdown`, `st.caption`, `st.write` of a
string, headings, alerts, metric labels and tooltips, `st.table` cells, expander, tab,
button and page-link labels. Any name, country, region, evidence note, respondent's name
or reason put into one of them goes through `plain` first (a library message through
`plain_message`, a table through `plain_table`), so it shows as the text it is
(`capacity.plaintext` says why and how).
`st.dataframe` cells, select boxes' options and `st.text` are shown literally and need
nothing.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from capacity.i18n import Message, translator
from capacity.plaintext import markdown_literal


def plain(value: object) -> str:
    """`value` for any Streamlit element that reads markdown, shown as exactly this text."""
    return markdown_literal(value)


def plain_message(message: Message, lang: str) -> str:
    """A library message for markdown: its own words as written, every value it quotes as plain text."""
    params = {key: value(lang) if callable(value) else value for key, value in message.params.items()}
    params = {key: plain(value) if isinstance(value, str) else value for key, value in params.items()}
    return translator(lang)(message.msgid, **params)


def plain_table(frame: pd.DataFrame, columns: Iterable[str]) -> pd.DataFrame:
    """A copy of `frame` for `st.table` (which reads markdown in cells), these columns as plain text."""
    return frame.assign(**{column: frame[column].map(plain) for column in columns})
