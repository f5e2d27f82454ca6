"""Every page shows text from files and people as text: no link, image or markup made of it (issue 15).

Hypothesis draws markup (markdown, HTML, Streamlit's directives, maths, autolinks) into
one organisation's name, country, region, evidence, respondent's name and an evaluator's
reason (`tests/hostile_text.py`). Every page then runs in AppTest as an administrator
(who may open all of them) with that organisation chosen, and every string the page
sends that Streamlit reads as markdown (text, headings, alerts, metrics and their
tooltips, table cells, labels of expanders, tabs and buttons) or that plotly reads as
HTML (labels, legends, hover texts) is parsed: wherever the payload appears, it must be
shown as itself, with nothing made of it. The Upload page is also given a file carrying the
payload, whose report, preview and confirmation are checked the same way.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from capacity.access import ADMIN, Actor
from capacity.store import open_store
from capacity.store.db import DATA_DIR_ENV, DATABASE_URL_ENV
from capacity.store.limits import max_length
from tests.apptest import open_page
from tests.dashboard_data import fill_small_portfolio
from tests.hostile_text import (
    FRAGMENTS,
    HOSTILE_ID,
    ISSUE_PAYLOAD,
    MARKER,
    assert_html_literal,
    assert_markdown_literal,
    field_text,
    fill_hostile,
)
from tests.upload_files import filled

PAGES = ("overview", "profile", "benchmark", "roadmap", "framework", "upload", "scorecards", "audit", "admin")
# Proto fields shown as they are, not read as markdown: select boxes' options and chosen values,
# and the bytes of data tables (`st.dataframe`); plotly's figure is checked as HTML instead.
LITERAL_FIELDS = {"options", "default", "value", "rawValues", "rawValue", "data", "spec"}
ADMIN_ACTOR = Actor("admin-plain", ADMIN)
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

payloads = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=3, unique=True).map(" ".join)


@pytest.fixture(scope="module")
def small_portfolio_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("plain-text") / "capacity.db"
    store = open_store(f"sqlite:///{path}")
    fill_small_portfolio(store)
    store.close()
    return path


def strings(message: object, field: str = "") -> Iterator[tuple[str, str]]:
    """(field name, text) of every string in a proto turned into a dict."""
    if isinstance(message, dict):
        for key, value in message.items():
            yield from strings(value, key)
    elif isinstance(message, list):
        for value in message:
            yield from strings(value, field)
    elif isinstance(message, str):
        yield field, message


def figure_strings(figure: object) -> Iterator[str]:
    if isinstance(figure, dict):
        for value in figure.values():
            yield from figure_strings(value)
    elif isinstance(figure, list):
        for value in figure:
            yield from figure_strings(value)
    elif isinstance(figure, str):
        yield figure


def check_page(at, payload: str) -> int:
    """Check every string of the page that carries the payload; how many there were."""
    checked = 0
    for node in at._tree:
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        if node.type == "plotly_chart":
            for text in figure_strings(json.loads(proto.spec)):
                if MARKER in text:
                    assert_html_literal(text, payload)
                    checked += 1
            continue
        if node.type == "table":  # st.table reads markdown in its cells
            for cell in node.value.astype(str).to_numpy().ravel():
                if MARKER in cell:
                    assert_markdown_literal(cell, payload)
                    checked += 1
        for field, text in strings(MessageToDict(proto)):
            if field not in LITERAL_FIELDS and MARKER in text:
                assert_markdown_literal(text, payload)
                checked += 1
    return checked


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payloads)
@example(ISSUE_PAYLOAD)
@example(" ".join(FRAGMENTS))
def test_no_page_turns_text_from_files_or_people_into_markup(small_portfolio_db, payload) -> None:
    directory = Path(tempfile.mkdtemp(prefix="capacity-plain-"))
    saved = {name: os.environ.get(name) for name in (DATA_DIR_ENV, DATABASE_URL_ENV)}
    try:
        shutil.copy(small_portfolio_db, directory / "capacity.db")
        store = open_store(f"sqlite:///{directory / 'capacity.db'}")
        fill_hostile(store, payload)
        store.close()
        os.environ.pop(DATABASE_URL_ENV, None)
        os.environ[DATA_DIR_ENV] = str(directory)
        checked = {
            page: check_page(
                open_page(f"views/{page}.py", query={"org": HOSTILE_ID}, actor=ADMIN_ACTOR), payload
            )
            for page in PAGES
        }
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(directory, ignore_errors=True)
    # the pages that show the organisation's own text in markdown or charts did show it
    for page in ("overview", "profile", "benchmark", "scorecards"):
        assert checked[page], page


# A file's texts must fit their columns, or the reader refuses the file (tests/test_reader_storage_limits.py):
# the fragments go in groups short enough for the narrowest field a file fills here.
FILE_FIELDS = {
    "name": "organisation_name",
    "country": "country",
    "region": "region",
    "respondent": "respondent_name",
}


def fits_a_file(payload: str) -> bool:
    return all(len(field_text(shown, payload)) <= max_length(stored) for shown, stored in FILE_FIELDS.items())


def fitting_groups() -> list[str]:
    """Every fragment, packed greedily into payloads that each fit a file."""
    groups: list[list[str]] = [[]]
    for fragment in FRAGMENTS:
        if groups[-1] and not fits_a_file(" ".join([*groups[-1], fragment])):
            groups.append([])
        groups[-1].append(fragment)
    return [" ".join(group) for group in groups]


@settings(max_examples=3, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(payloads.filter(fits_a_file))
def test_the_upload_report_shows_what_a_file_says_as_text(small_portfolio_db, payload) -> None:
    """A file's name, country, region and respondent in the report and preview, before and after Submit."""
    directory = Path(tempfile.mkdtemp(prefix="capacity-plain-upload-"))
    saved = {name: os.environ.get(name) for name in (DATA_DIR_ENV, DATABASE_URL_ENV)}
    try:
        shutil.copy(small_portfolio_db, directory / "capacity.db")
        os.environ.pop(DATABASE_URL_ENV, None)
        os.environ[DATA_DIR_ENV] = str(directory)
        _, data = filled(
            "ORG-077",
            2025,
            field_text("respondent", payload),
            organisation_name=field_text("name", payload),
            country=field_text("country", payload),
            region=field_text("region", payload),
        )
        at = open_page("views/upload.py", actor=ADMIN_ACTOR)
        at.file_uploader[0].set_value([("questionnaire.xlsx", data, XLSX_MIME)])
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        before = check_page(at, payload)
        at.button(key="upload_submit").click()
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        assert at.success  # stored: the confirmation and what follows are checked too
        check_page(at, payload)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
        shutil.rmtree(directory, ignore_errors=True)
    assert before >= 1  # "Read from the file": the organisation's name and the respondent


for _group in fitting_groups():  # every fragment reaches the upload page, in files that store
    test_the_upload_report_shows_what_a_file_says_as_text = example(_group)(
        test_the_upload_report_shows_what_a_file_says_as_text
    )
