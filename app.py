"""Entry point: navigation, sidebar and sign-in. No logic lives here."""

from __future__ import annotations

import streamlit as st

from ui.language import language_switch, t

st.set_page_config(page_title="Humanitarian Diplomacy Capacity", page_icon="🕊️", layout="wide")
lang = language_switch()
_ = t()

pages = {
    _("Reference"): [
        st.Page("views/framework.py", title=_("Framework"), icon=":material/menu_book:", url_path="framework"),
    ],
}
st.sidebar.caption(_("Humanitarian Diplomacy Capacity Dashboard"))
st.navigation(pages).run()
