"""Entry point: navigation, sidebar and sign-in, and the server that serves them. No logic lives here.

`streamlit run app.py` finds `app = st.App(...)` at the bottom, imports this file as the
module `app` and serves the pages with our routes (`capacity.web`: the session cookie and
the JSON API under /api/v1) on one port. Streamlit then runs this same file as `__main__` for every page run.
"""

from __future__ import annotations

import streamlit as st

if __name__ == "__main__":  # a page run
    from ui import data
    from ui.language import language_switch, t
    from ui.navigation import pages_for, position_for, repair_menu_semantics
    from ui.session import account_sidebar, sign_in_form, signed_in_actor

    st.set_page_config(page_title="Humanitarian Diplomacy Capacity", page_icon="🕊️", layout="wide")
    lang = language_switch()
    _ = t()

    actor = signed_in_actor()
    page = st.navigation(pages_for(actor), position=position_for(actor))
    repair_menu_semantics()
    st.sidebar.caption(_("Humanitarian Diplomacy Capacity Dashboard"))
    account_sidebar(actor)
    if actor is None:
        sign_in_form()  # in place of the page, so a shared link opens once signed in
    else:
        data.use_active_versions()  # another app instance may have activated a framework or roadmap version
        page.run()
else:  # imported by `streamlit run` to find the server
    from capacity import web

    app = st.App(
        "app.py", routes=web.routes(st.get_option("server.baseUrlPath")), middleware=web.middleware()
    )
