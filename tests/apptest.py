"""Open one page of the app in Streamlit's AppTest, the way the pages' tests all do."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
TIMEOUT = 60


def open_page(page: str, lang: str | None = None, query: dict[str, str] | None = None) -> AppTest:
    """Run the app, switch to `page` (e.g. 'views/framework.py') and check it raised nothing."""
    at = AppTest.from_file(str(APP), default_timeout=TIMEOUT)
    if lang:
        at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at
