"""The reader's language: from the URL (`?lang=tr`), else the browser, else English.

Right-to-left languages (Arabic) also get the page laid out right to left: Streamlit has no
such mode, so `page_direction` adds a small stylesheet (ui/rtl.css) scoped to Streamlit's
own containers, and sets `dir` and `lang` on the document so the browser's bidirectional
text algorithm, fonts and screen readers know the language.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import streamlit as st

from capacity.i18n import DEFAULT_LANGUAGE, LANGUAGES, is_right_to_left, normalise_language, translator

QUERY_KEY = "lang"
SWITCH_KEY = "language_switch"
RTL_STYLESHEET = Path(__file__).with_name("rtl.css")
# Sets the document's language and direction; the only values put in are a language code
# from LANGUAGES and "rtl"/"ltr", never anything a person typed. The style rule hides the
# element that carries the script, so it takes no room at the top of the page.
_DOCUMENT_SCRIPT = (
    "<style>[data-testid='stElementContainer']:has([data-capacity-direction]) {{ display: none; }}</style>"
    "<span data-capacity-direction></span>"
    "<script>document.documentElement.lang = {lang!r}; document.documentElement.dir = {direction!r};</script>"
)


def current_language() -> str:
    """The language chosen in the URL, else the browser's language, else English."""
    chosen = st.query_params.get(QUERY_KEY)
    if chosen in LANGUAGES:
        return chosen
    return normalise_language(getattr(st.context, "locale", None))


def t() -> Callable[..., str]:
    """A translator bound to the current language."""
    return translator(current_language())


def widget_key(key: str) -> str:
    """The key of a widget whose options are translated, in the current language.

    Streamlit keeps a keyed widget's choice in the browser as the option's displayed text,
    so after a language switch a selectbox would go on showing the old language's words
    ("All" on a Turkish page). A key per language makes the switch start a fresh widget;
    filters keep their choice in the URL, other widgets start from their default. English
    keeps the plain key.
    """
    lang = current_language()
    return key if lang == DEFAULT_LANGUAGE else f"{key}.{lang}"


def page_direction(lang: str) -> None:
    """Lay the page out in the language's direction: right to left for Arabic, else the default.

    The script runs on every language, so switching back from Arabic resets `dir` (the
    stylesheet is an element of the run and disappears with it).
    """
    direction = "rtl" if is_right_to_left(lang) else "ltr"
    if direction == "rtl":
        st.html(RTL_STYLESHEET)
    st.html(_DOCUMENT_SCRIPT.format(lang=lang, direction=direction), unsafe_allow_javascript=True)


def language_switch() -> str:
    """The sidebar's language switch; the choice is kept in the URL so a view can be shared.

    Right after a switch the URL still names the old language; the switch's own label is
    read in the language just chosen (the widget's state), so no word of the old one stays.
    """
    chosen = st.session_state.get(SWITCH_KEY)
    lang = chosen if chosen in LANGUAGES else current_language()
    codes = list(LANGUAGES)
    t = translator(lang)
    choice = st.sidebar.selectbox(
        t("Language"),
        codes,
        index=codes.index(lang),
        format_func=LANGUAGES.__getitem__,
        key=SWITCH_KEY,
    )
    if choice != st.query_params.get(QUERY_KEY):
        st.query_params[QUERY_KEY] = choice
    page_direction(choice)
    return choice
