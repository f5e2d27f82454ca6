"""Entry point: navigation, sidebar and sign-in. No logic lives here."""

from __future__ import annotations

import streamlit as st

if __name__ != "__main__":
    # `streamlit run app.py` imports this module to serve `app`: these pages and the JSON API
    # (/api/v1, `capacity.api`) on one port; Streamlit then runs this file as "__main__" per page.
    from starlette.middleware import Middleware

    from capacity.api import routes
    from capacity.api.metrics_guard import LocalMetricsOnly

    app = st.App(__file__, routes=routes(), middleware=[Middleware(LocalMetricsOnly)])
else:
    from ui import data
    from ui.language import language_switch, t
    from ui.navigation import pages_for, position_for
    from ui.session import account_sidebar, sign_in_form, signed_in_actor

    st.set_page_config(page_title="Humanitarian Diplomacy Capacity", page_icon="🕊️", layout="wide")
    lang = language_switch()
    _ = t()

    actor = signed_in_actor()
    page = st.navigation(pages_for(actor), position=position_for(actor))
    st.sidebar.caption(_("Humanitarian Diplomacy Capacity Dashboard"))
    account_sidebar(actor)
    if actor is None:
        sign_in_form()  # in place of the page, so a shared link opens once signed in
    else:
        data.use_active_versions()  # another app instance may have activated a framework or roadmap version
        page.run()
