"""Dashboard filters kept in the URL, so a board member can share exactly the view on screen.

A filter reads its value from the query parameters when the page loads and writes it back
when it changes; it also remembers the choice for this browser session, so moving to
another dashboard page keeps the same selection. Empty states live here too, because
they are what a filter shows when nothing matches.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import pandas as pd
import streamlit as st

from capacity import dashboard
from capacity.empty_states import no_assessments
from capacity.labels import organisation_type_label, region_label
from capacity.rounds.rounds import dashboard_round
from ui import data
from ui.language import current_language, t, widget_key
from ui.session import current_actor
from ui.text import plain_message

ALL = "__all__"
YEAR, ORGANISATION_TYPE, REGION, COUNTRY, ORGANISATION = "year", "type", "region", "country", "org"


def _memory(key: str) -> str:
    return f"dashboard_filter_{key}"


def url_choice(
    label: str,
    options: Sequence[str],
    key: str,
    format_func: Callable[[str], str],
    with_all: bool = False,
    default: str | None = None,
    help: str | None = None,
    container=st,
) -> str | None:
    """A selectbox kept in the query parameter `key`; None when 'All' is chosen."""
    _ = t()
    choices = ([ALL] if with_all else []) + list(options)
    if not choices:
        return None
    wanted = st.query_params.get(key) or st.session_state.get(_memory(key))
    fallback = default if default in choices else choices[0]
    initial = wanted if wanted in choices else fallback
    widget = widget_key(f"filter_widget_{key}")
    if widget in st.session_state and st.session_state[widget] not in choices:
        del st.session_state[widget]
    choice = container.selectbox(
        label,
        choices,
        index=choices.index(initial),
        key=widget,
        help=help,
        format_func=lambda value: _("All") if value == ALL else format_func(value),
    )
    if choice == fallback and wanted not in choices:
        # Nothing chosen yet: the default follows the data (e.g. the latest round), so it is
        # neither written into the URL nor carried to the other pages.
        return None if choice == ALL else choice
    if choice == ALL:
        if key in st.query_params:
            del st.query_params[key]
        st.session_state.pop(_memory(key), None)
        return None
    if st.query_params.get(key) != choice:
        st.query_params[key] = choice
    st.session_state[_memory(key)] = choice
    return choice


def _default_round(years: list[str]) -> tuple[str, str | None]:
    """The round the dashboards open on, and the sentence saying why (None: no rounds are kept).

    The latest closed round, or the open one once most of it is verified
    (`capacity.rounds.rounds.dashboard_round`); without rounds, the latest year with scores.
    """
    _ = t()
    picked = dashboard_round(data.store())
    if picked is None or str(picked[0]) not in years:
        return years[0], None
    year, why = picked
    if why == "open":
        return str(year), _(
            "Opens on the {year} round: it is still open, but most of it is verified.", year=year
        )
    return str(year), _("Opens on the {year} round: the latest closed round.", year=year)


def round_choice(portfolio: pd.DataFrame, container=st, label: str | None = None) -> int:
    """The assessment round (year) to show: the dashboards' default round (see `_default_round`)."""
    _ = t()
    years = [str(year) for year in dashboard.rounds(portfolio)]
    default, why = _default_round(years)
    chosen = url_choice(
        label or _("Round (assessment year)"),
        years,
        YEAR,
        str,
        default=default,
        container=container,
        help=_("Organisations are compared within one assessment round."),
    )
    if why is not None:
        container.caption(why)
    return int(chosen or default)


def filter_bar(
    portfolio: pd.DataFrame, with_year: bool = True, year_label: str | None = None
) -> dashboard.Filters:
    """Round, organisation type, region and country, side by side above the page."""
    _ = t()
    lang = current_language()
    columns = st.columns(4 if with_year else 3)
    offset = 0
    year = None
    if with_year:
        year = round_choice(portfolio, columns[0], year_label)
        offset = 1
    choices = dashboard.filter_choices(portfolio)
    kind = url_choice(
        _("Organisation type"),
        choices["organisation_type"],
        ORGANISATION_TYPE,
        lambda value: organisation_type_label(value, lang),
        with_all=True,
        container=columns[offset],
    )
    region = url_choice(
        _("Region"),
        choices["region"],
        REGION,
        lambda value: region_label(value, lang),
        with_all=True,
        container=columns[offset + 1],
    )
    countries = dashboard.filter_choices(portfolio, region)["country"]
    country = url_choice(_("Country"), countries, COUNTRY, str, with_all=True, container=columns[offset + 2])
    return dashboard.Filters(year=year, organisation_type=kind, region=region, country=country)


def page_choice(rows: int, key: str, container=st, size: int = dashboard.GRID_PAGE_SIZE) -> int:
    """Which page of a long organisation grid to show (1 when everything fits on one page).

    A portfolio of thousands of organisations is shown `size` rows at a time, with a caption
    saying which rows these are, rather than as one figure thousands of rows tall.
    """
    _ = t()
    pages = dashboard.page_count(rows, size)
    if pages == 1:
        return 1
    number = int(
        container.number_input(
            _("Page (of {pages})", pages=pages), min_value=1, max_value=pages, value=1, step=1, key=key
        )
    )
    st.caption(
        _(
            "Showing organisations {first}–{last} of {total}.",
            first=(number - 1) * size + 1,
            last=min(number * size, rows),
            total=rows,
        )
    )
    return number


def no_match() -> None:
    """What to do when the filters leave nothing to show."""
    _ = t()
    st.info(
        _(
            "No assessed organisation matches these filters. Set one of the filters above back to "
            "\u201cAll\u201d or choose another round."
        ),
        icon=":material/filter_alt_off:",
    )


def no_data() -> None:
    """The empty state of a fresh installation, in words for the signed-in person's role."""
    _ = t()
    empty = no_assessments(current_actor())
    st.info(plain_message(empty.message, current_language()), icon=":material/inbox:")
    if empty.offer_upload:
        st.page_link("views/upload.py", label=_("Go to the Upload page"), icon=":material/upload_file:")
