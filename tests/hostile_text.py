"""Markup, links and formulas that a questionnaire or a person might type, and how to tell they stayed text.

The payloads are what issue 15 reported (a name that loads an outside image and shows a
link) and every other syntax Streamlit or plotly would read: markdown, raw HTML,
entities, Streamlit's colour directives, emoji and icon shortcodes, maths, GitHub's
autolinks, and a formula. `fill_hostile` stores one organisation whose name, country,
region, evidence notes, respondent's name and an evaluator's reason all carry a payload.

The checks do not trust the code under test: markdown is parsed with markdown-it
(CommonMark, as Streamlit's renderer) and HTML with the standard library's parser, and
the text a reader would see must be the payload itself, with no link, image, code or
other markup made from it.
"""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser

from markdown_it import MarkdownIt

from capacity.access import CLI_ADMIN
from capacity.store import Store
from capacity.store.corrections import record_review
from tests.dashboard_data import ingest_all, uniform_submission

HOSTILE_ID = "NS-66"
HOSTILE_YEAR = 2026
MARKER = "ZQX"  # letters only: every page shows them as they are, so a test can find the payload
OUTSIDE_IMAGE = "http://127.0.0.2:9/track.png"  # another host than the app's: a request to it is a leak
ISSUE_PAYLOAD = f"![t]({OUTSIDE_IMAGE}) [phish](https://evil.example/login)"
FRAGMENTS = (
    ISSUE_PAYLOAD,
    "<a href='https://evil.example/x'>click</a>",
    "<img src=http://127.0.0.2:9/i.png>",
    "<b>bold</b> &lt;i&gt; &amp;",
    "**strong** _em_ ~~gone~~ `code`",
    ":red[red] :smile: :material/home:",
    "$x^2$",
    "https://evil.example/p www.evil.example bob@evil.example",
    "# heading",
    "1. list",
    "| a | b |",
    '=HYPERLINK("https://evil.example","x")',
    "\\*not\\* \\",
)
FIELDS = ("name", "country", "region", "evidence", "respondent", "reason")
WORD_JOINER = "\u2060"

# What a person typed must come out as text; markdown-it's tokens that are markup instead.
MARKUP_TOKENS = {
    "link_open",
    "image",
    "html_inline",
    "html_block",
    "code_inline",
    "code_block",
    "fence",
    "s_open",
    "em_open",
    "heading_open",
    "ordered_list_open",
    "table_open",
    "hr",
    "blockquote_open",
}
# Streamlit's own syntax, which CommonMark does not know: colours and icons, emoji, maths.
STREAMLIT_SYNTAX = re.compile(r"(?<!\\):[\w/+-]+(?::|\[)|(?<!\\)\$")
# GitHub's autolink literals, as Streamlit's renderer finds them in text after parsing.
AUTOLINK = re.compile(r"(?i)https?://|www\.|[\w.+-]@[\w-]+\.[\w-]")
MARKDOWN = MarkdownIt("commonmark").enable(["strikethrough", "table"])
ALLOWED_TAGS = {"b", "br", "extra", "i", "sup", "sub"}  # what the chart builders' own templates use


def field_text(field: str, payload: str) -> str:
    """What the hostile organisation's `field` holds."""
    return f"{MARKER} {field} {payload}"


def fill_hostile(store: Store, payload: str) -> None:
    """The hostile organisation in `store`: two files of one respondent (the first replaced), a review."""
    base = uniform_submission("NS-01", HOSTILE_YEAR)
    evidence = field_text("evidence", payload)
    first = dataclasses.replace(
        base,
        organisation_id=HOSTILE_ID,
        organisation_name=field_text("name", payload),
        country=field_text("country", payload),
        region=field_text("region", payload),
        respondent_name=field_text("respondent", payload),
        answers={code: dataclasses.replace(a, evidence=evidence) for code, a in base.answers.items()},
    )
    second = dataclasses.replace(first, answers=dict(first.answers))  # same respondent: replaces the first
    second.answers[next(iter(second.answers))] = dataclasses.replace(
        next(iter(first.answers.values())), level=1, evidence=evidence
    )
    ingest_all(store, [first, second])
    code = next(iter(first.answers))
    record_review(store, HOSTILE_ID, HOSTILE_YEAR, code, 2, field_text("reason", payload), CLI_ADMIN)


def _same_words(text: str) -> str:
    return " ".join(text.replace(WORD_JOINER, "").split())


def _shows(seen: str, payload: str) -> bool:
    """`payload` in `seen` verbatim, or cut short by an ellipsis where a label was shortened."""
    seen, payload = _same_words(seen), _same_words(payload)
    if payload in seen:
        return True
    for start in (m.start() for m in re.finditer(MARKER, seen)):
        shown = seen[start:].split("…", 1)
        if len(shown) == 2 and any(
            f"{MARKER} {field} {payload}".startswith(shown[0].rstrip()) for field in FIELDS
        ):
            return True
    return False


def assert_markdown_literal(source: str, payload: str) -> None:
    """Markdown `source` that shows `payload` (typed by someone) as text: no markup made of it."""
    text: list[str] = []

    def walk(tokens) -> None:
        for token in tokens:
            assert token.type not in MARKUP_TOKENS, (token.type, source)
            if token.type == "text":
                text.append(token.content)
            walk(token.children or [])

    walk(MARKDOWN.parse(source))
    shown = " ".join(text)
    assert _shows(shown, payload), (shown, payload, source)
    assert not STREAMLIT_SYNTAX.search(source), source
    assert not AUTOLINK.search(shown), shown


class _Html(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_startendtag(self, tag, attrs) -> None:
        self.tags.append(tag)

    def handle_data(self, data) -> None:
        self.text.append(data)


def assert_html_literal(label: str, payload: str) -> None:
    """A plotly label or hover text that shows `payload` as text: no tag or link made of it."""
    parser = _Html()
    parser.feed(label)
    parser.close()
    assert set(parser.tags) <= ALLOWED_TAGS, (parser.tags, label)
    # plotly breaks long labels at <br>: a space for the comparison
    shown = "".join(parser.text) if "br" not in parser.tags else _joined_lines(label)
    assert _shows(shown, payload), (shown, payload, label)


def _joined_lines(label: str) -> str:
    parser = _Html()
    parser.feed(label.replace("<br>", " "))
    parser.close()
    return "".join(parser.text)
