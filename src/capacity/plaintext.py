"""Text that came from a questionnaire or a person is shown as text: never markup, a link or an image.

Organisation names, countries, regions, evidence notes, respondents' names and reviewers'
reasons are typed by whoever fills a questionnaire. Shown raw, a name such as
`![t](http://host/track.png) [phish](https://evil.example/login)` makes every reader's
browser fetch an outside image and shows a link; `<a href=…>` does the same in a chart.
Every page, chart and label shows such text through one of the two functions here:

- `markdown_literal` for every Streamlit element that reads markdown (`st.markdown`,
  `st.caption`, headings, alerts, metric labels and tooltips, `st.table` cells, expander
  and tab labels). Every ASCII punctuation character is backslash-escaped, which
  CommonMark defines as "this character, literally": links, images, emphasis, code, raw
  HTML, entities, lists and headings lose their syntax, and so do Streamlit's own
  additions that are parsed as markdown (`:red[…]` colours, `:smile:` emoji and
  `:material/…:` icons, `$…$` maths). GitHub's autolinks are the exception: Streamlit
  turns `https://…`, `www.…` and `name@host.tld` into links after the escapes are read,
  so an invisible WORD JOINER (U+2060) is put where it breaks their pattern (after the
  colon of `://`, after `www`, before `@`). Line breaks become spaces, so a note cannot
  start a block of its own.
- `html_literal` for plotly, which reads a subset of HTML (`<a href>`, `<b>`, `<br>`,
  entities) in titles, tick labels, legends, text and hover text: `&`, `<` and `>` become
  entities, which plotly shows as the characters themselves.

- `css_string` for a CSS `content:` string (a translated word put into one of Streamlit's
  own controls by a style rule): every character but letters, digits and spaces becomes a
  CSS escape, so no quote, backslash, `<` or line break can end the string or the style.
- `js_string` for a JavaScript string literal inside a `<script>` (the same word given to
  that control as its accessible name): JSON, with `<`, `>`, `&` and the two line
  separators JavaScript once refused written as `\\u` escapes, so `</script>` cannot appear.

`st.dataframe`, `st.text`, select boxes' options, PDF cells (fpdf2 without
`markdown=True`) and spreadsheet cells typed as strings do not interpret text and need
neither.
"""

from __future__ import annotations

import html
import json
import re

WORD_JOINER = "\u2060"  # invisible, and no line break: the reader sees the text unchanged
# Every ASCII punctuation character: CommonMark lets each of them be escaped with a backslash.
MARKDOWN_SIGNS = re.compile(r"([!-/:-@\[-`{-~])")
# Where GitHub's autolink literals start: `scheme://`, `www.` and the `@` of an e-mail address.
AUTOLINK_STARTS = re.compile(r"(?<=:)(?=/)|(?<=www)(?=\.)|(?=@)", re.IGNORECASE)
LINE_BREAKS = re.compile(r"\s*[\r\n\u2028\u2029]+\s*")
# Characters that could end a <script> element or an old engine's string literal.
SCRIPT_UNSAFE = re.compile("[<>&\u2028\u2029]")


def _text(value: object) -> str:
    return "" if value is None else str(value)


def markdown_literal(value: object) -> str:
    """`value` as markdown source that Streamlit shows as exactly this text (None: empty)."""
    text = LINE_BREAKS.sub(" ", _text(value))
    text = AUTOLINK_STARTS.sub(WORD_JOINER, text)
    return MARKDOWN_SIGNS.sub(r"\\\1", text)


def html_literal(value: object) -> str:
    """`value` as a plotly label or hover text that shows exactly this text (None: empty)."""
    return html.escape(_text(value), quote=False)


def css_string(value: object) -> str:
    """`value` as a quoted CSS string that shows exactly this text (None: empty).

    Letters (of any script), digits and spaces stay; every other character is written as a
    CSS hex escape (`\\3C ` for `<`), so the string cannot end early, nor the `<style>` it is in.
    """
    escaped = "".join(
        char if char.isalnum() or char == " " else f"\\{ord(char):X} " for char in _text(value)
    )
    return f'"{escaped}"'


def js_string(value: object) -> str:
    """`value` as a quoted JavaScript string, safe inside `<script>`, that is exactly this text.

    JSON is valid JavaScript; `<`, `>`, `&`, U+2028 and U+2029 are written as `\\uXXXX`, so
    the literal cannot close the script element (`</script>`) or open a comment in it.
    """
    return SCRIPT_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", json.dumps(_text(value)))
