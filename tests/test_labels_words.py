"""Words and signs: a trend never borrows a status's words, regions and file names are translated,
and tables write numbers with the language's decimal mark."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from capacity.demo import COUNTRIES, demo_submissions
from capacity.i18n import LANGUAGES, format_number, translator
from capacity.labels import (
    ARROW_LABELS,
    ARROW_ORDER,
    ARROW_SYMBOLS,
    SCORECARD_FILE,
    STATUS_LABELS,
    STATUS_ORDER,
    STATUS_SYMBOLS,
    arrow_help,
    arrow_label,
    arrow_text,
    file_name,
    file_name_part,
    format_numbers,
    known_regions,
    projection_sentence,
    region_label,
    status_help,
    status_label,
    status_text,
)
from capacity.roadmap import INDEX, current_roadmap
from capacity.scoring import score_assessment, trends_for
from capacity.scoring.results import SLIGHTLY_BEHIND, TREND_ON_TRACK, VISION_REACHED

ARROW_CHARACTERS = set("←↑→↓↖↗↘↙▲▼△▽")


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_no_trend_word_is_a_status_word(lang) -> None:
    statuses = {status_label(status, lang) for status in STATUS_ORDER}
    trends = {arrow_label(arrow, lang) for arrow in ARROW_ORDER}
    assert not statuses & trends
    assert len(trends) == len(ARROW_ORDER) and len(statuses) == len(STATUS_ORDER)


def test_only_trends_use_arrows() -> None:
    assert not any(set(symbol) & ARROW_CHARACTERS for symbol in STATUS_SYMBOLS.values())
    assert {"↑", "↗", "→", "↓"} <= set(ARROW_SYMBOLS.values())
    assert set(STATUS_LABELS.values()).isdisjoint(ARROW_LABELS.values())


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_status_and_trend_has_a_translated_sentence(lang) -> None:
    for status in STATUS_ORDER:
        assert status_help(status, lang) != status_label(status, lang)
        assert "{" not in status_help(status, lang)
    for arrow in ARROW_ORDER:
        assert "{" not in arrow_help(arrow, lang)
    if lang != "en":
        assert status_help(SLIGHTLY_BEHIND, lang) != status_help(SLIGHTLY_BEHIND, "en")
        assert arrow_help(TREND_ON_TRACK, lang) != arrow_help(TREND_ON_TRACK, "en")


def test_borovian_red_cross_is_slightly_behind_and_on_pace_not_on_track() -> None:
    """The demo organisation of the issue: its status and trend now read as two different things."""
    today = dt.date(2026, 3, 31)
    submissions = [s for s in demo_submissions(today=today) if s.organisation_id == "NS-BOR-01"]
    by_year: dict[int, list] = {}
    for submission in submissions:
        by_year.setdefault(submission.year, []).append(submission)
    results = [score_assessment(found) for _, found in sorted(by_year.items())]
    index_trend = next(found for found in trends_for(results, current_roadmap()) if found.target == INDEX)
    status = results[-1].index.roadmap.status
    for lang in LANGUAGES:
        words = status_text(status, lang) + " " + arrow_text(index_trend.arrow, lang)
        assert status_label("on track", lang) not in words or status == "on track"
    assert arrow_text(TREND_ON_TRACK, "en") == "↑ on pace"
    assert status_text(SLIGHTLY_BEHIND, "en") == "! slightly behind"


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_projection_is_never_a_year_in_the_past(lang) -> None:
    t = translator(lang)
    assert projection_sentence(None, VISION_REACHED, lang) == t("Vision already reached")
    assert projection_sentence(2041.4, TREND_ON_TRACK, lang) == t("Reaches the vision in {year}", year="2041")
    assert projection_sentence(None, "stagnating", lang) == t("Does not reach the vision at this pace")


def test_the_demo_regions_are_translated_and_others_kept_as_typed() -> None:
    regions = {region for _name, region in COUNTRIES.values()}
    assert regions <= set(known_regions())
    for lang in ("tr", "ar"):
        for region in regions:
            assert region_label(region, lang) != region
    assert region_label("Europe", "tr") == "Avrupa"
    assert region_label("Balkans", "tr") == "Balkans"
    assert region_label("", "tr") == ""
    for names in known_regions().values():
        assert set(names) == set(LANGUAGES) - {"en"}  # every region named in every other language


def test_exported_file_names_are_translated_and_safe() -> None:
    assert file_name(SCORECARD_FILE, "en", "NS-TR-01", 2025, extension="pdf") == "scorecard_NS-TR-01_2025.pdf"
    assert file_name(SCORECARD_FILE, "tr", "NS-TR-01", 2025, extension="pdf") == "karne_NS-TR-01_2025.pdf"
    arabic = file_name(SCORECARD_FILE, "ar", "NS-TR-01", 2025, extension="xlsx")
    assert arabic.endswith("_NS-TR-01_2025.xlsx") and arabic != "scorecard_NS-TR-01_2025.xlsx"


@given(st.text(max_size=80))
def test_no_text_can_name_a_path(text) -> None:
    part = file_name_part(text)
    assert part and "/" not in part and "\\" not in part and not part.startswith(".")
    assert all(ch.isalnum() or ch in "._-" for ch in part)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_tables_write_numbers_with_the_language_decimal_mark_and_keep_them_sortable(lang) -> None:
    frame = pd.DataFrame({"name": ["a", "b"], "score": [62.5, 7.25], "n": [3, 12]})
    styled = format_numbers(frame, lang, {"score": 1, "n": 0})
    html = styled.to_html()
    assert format_number(62.5, lang, 1) in html and format_number(7.25, lang, 1) in html
    assert list(styled.data["score"]) == [62.5, 7.25]  # the values themselves stay numbers
    if lang == "tr":
        assert "62,5" in html and "62.5" not in html


def test_the_report_and_audit_log_downloads_are_named_in_the_language() -> None:
    from capacity.audit_view import audit_filename
    from capacity.upload import report_filename

    moment = dt.datetime(2026, 3, 31, 14, 5)
    assert report_filename(moment) == "upload-report_2026-03-31-1405.csv"
    assert report_filename(moment, lang="tr") == "yükleme-raporu_2026-03-31-1405.csv"
    assert audit_filename(moment, lang="tr") == "denetim-kaydı_2026-03-31-1405.csv"
