"""The Rounds page's numbers and times in the reader's language (issue 17's Turkish leftovers).

Before: the funnel read "30 (100 %)" on a Turkish page (Turkish writes %100), and an
organisation with no upload showed the grid's English "None" as its last upload.
"""

from __future__ import annotations

import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from capacity.i18n import format_utc_minute
from capacity.rounds.figures import funnel_figure
from capacity.rounds.states import FUNNEL

STEPS = list(zip([step for step, _ in FUNNEL], [30, 30, 15, 3, 0], strict=True))


def funnel_texts(lang: str) -> list[str]:
    return list(funnel_figure(STEPS, lang).data[0].text)


def test_the_funnel_writes_shares_as_each_language_does() -> None:
    assert funnel_texts("en")[:3] == ["30 (100%)", "30 (100%)", "15 (50%)"]
    assert funnel_texts("tr")[:3] == ["30 (%100)", "30 (%100)", "15 (%50)"]
    assert all("%" in text for text in funnel_texts("ar"))


def test_a_missing_time_is_a_dash_not_none() -> None:
    assert format_utc_minute(None) == "–"


ZONES = st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=3)), dt.timezone(dt.timedelta(hours=-5))])
MOMENTS = st.datetimes(dt.datetime(2000, 1, 2), dt.datetime(2200, 1, 1), timezones=ZONES)


@given(st.lists(MOMENTS, min_size=1, max_size=10))
def test_times_are_utc_minutes_that_sort_as_the_times_do(moments: list[dt.datetime]) -> None:
    for moment in moments:
        text = format_utc_minute(moment)
        utc = moment.astimezone(dt.UTC).replace(second=0, microsecond=0)
        assert dt.datetime.strptime(text, "%Y-%m-%d %H:%M").replace(tzinfo=dt.UTC) == utc
    texts = [format_utc_minute(m) for m in sorted(moments)]
    assert texts == sorted(texts)
