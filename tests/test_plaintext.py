"""`capacity.plaintext`: any text comes out of markdown and plotly labels as itself, never as markup."""

from __future__ import annotations

import string

from hypothesis import example, given
from hypothesis import strategies as st

from capacity.plaintext import WORD_JOINER, html_literal, markdown_literal
from tests.hostile_text import FRAGMENTS, ISSUE_PAYLOAD, assert_html_literal, assert_markdown_literal

# Text built from the syntax markdown, HTML and Streamlit read, and any other character.
hostile = st.lists(
    st.one_of(
        st.sampled_from(FRAGMENTS),
        st.text(alphabet=string.punctuation + "ab :/@.", max_size=12),
        st.text(max_size=8),
    ),
    min_size=1,
    max_size=4,
).map(" ".join)


@given(hostile)
@example(ISSUE_PAYLOAD)
def test_any_text_is_markdown_that_shows_exactly_that_text(text) -> None:
    assert_markdown_literal(markdown_literal(text), text)


@given(hostile)
@example("<a href='https://evil.example'>x</a> &amp; <br>")
def test_any_text_is_a_plotly_label_that_shows_exactly_that_text(text) -> None:
    assert_html_literal(html_literal(text), text)


def test_letters_digits_and_other_scripts_are_left_alone() -> None:
    text = "Kızılay 2023 İstanbul — مرحبا"
    assert markdown_literal(text) == text
    assert html_literal(text) == text


def test_autolinks_are_broken_by_an_invisible_joiner_only_where_they_start() -> None:
    shown = markdown_literal("see https://x.example or www.x.example, mail a@x.example")
    assert shown.replace(WORD_JOINER, "").replace("\\", "") == (
        "see https://x.example or www.x.example, mail a@x.example"
    )
    assert shown.count(WORD_JOINER) == 3


def test_nothing_is_empty_text() -> None:
    assert markdown_literal(None) == html_literal(None) == ""
