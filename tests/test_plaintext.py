"""`capacity.plaintext`: any text comes out of markdown and plotly labels as itself, never as markup."""

from __future__ import annotations

import json
import re
import string

from hypothesis import example, given
from hypothesis import strategies as st

from capacity.plaintext import WORD_JOINER, css_string, html_literal, js_string, markdown_literal
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


# --------------------------------------------------------------------------- CSS strings


def _css_unescape(quoted: str) -> str:
    """Read a CSS string as the browser does (hex escapes end with one optional space)."""
    assert quoted[0] == quoted[-1] == '"'
    return re.sub(r"\\([0-9A-Fa-f]{1,6}) ?", lambda m: chr(int(m.group(1), 16)), quoted[1:-1])


@given(st.text())
def test_a_css_string_shows_exactly_its_text_and_cannot_end_early(text: str) -> None:
    quoted = css_string(text)
    inner = quoted[1:-1]
    assert '"' not in inner and "<" not in inner and "\n" not in inner and "'" not in inner
    assert all(char.isalnum() or char in " \\" for char in inner)
    assert _css_unescape(quoted) == text


def test_a_css_string_keeps_words_of_every_script() -> None:
    assert css_string("Dosya seç") == '"Dosya seç"'
    assert css_string("اختر الملفات") == '"اختر الملفات"'
    assert css_string('x"</style>') == '"x\\22 \\3C \\2F style\\3E "'


# --------------------------------------------------------------------------- JavaScript strings


@given(st.text())
def test_a_js_string_is_exactly_its_text_and_cannot_close_the_script(text: str) -> None:
    quoted = js_string(text)
    assert json.loads(quoted) == text  # JSON is JavaScript: the browser reads the same text
    assert not set("<>&\n\u2028\u2029") & set(quoted)
    assert quoted.startswith('"') and quoted.endswith('"')


def test_a_js_string_escapes_a_closing_script_tag() -> None:
    assert js_string("</script><script>alert(1)") == '"\\u003c/script\\u003e\\u003cscript\\u003ealert(1)"'
    assert js_string("Dosya seç") == '"Dosya se\\u00e7"'
