"""The reader's language: from the URL (`?lang=tr`), else the browser, else English."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from capacity.i18n import LANGUAGES, normalise_language, translator

QUERY_KEY = "lang"


def current_language() -> str:
    """The language chosen in the URL, else the browser's language, else English."""
    chosen = st.query_params.get(QUERY_KEY)
    if chosen in LANGUAGES:
        return chosen
    return normalise_language(getattr(st.context, "locale", None))


def t() -> Callable[..., str]:
    """A translator bound to the current language."""
    return translator(current_language())


def language_switch() -> str:
    """The sidebar's language switch; the choice is kept in the URL so a view can be shared."""
    lang = current_language()
    codes = list(LANGUAGES)
    t = translator(lang)
    choice = st.sidebar.selectbox(
        t("Language"),
        codes,
        index=codes.index(lang),
        format_func=LANGUAGES.__getitem__,
        key="language_switch",
    )
    if choice != st.query_params.get(QUERY_KEY):
        st.query_params[QUERY_KEY] = choice
    return choice
