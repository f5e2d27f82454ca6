"""Questionnaires re-saved by LibreOffice read back identically (.xlsx and .ods); .xls is refused clearly."""

from __future__ import annotations

import pytest

from capacity.framework import current_framework
from capacity.i18n import LANGUAGES
from capacity.questionnaire.reader import read_questionnaire
from capacity.questionnaire.safety import MSG_XLS
from capacity.roadmap import current_roadmap
from capacity.scoring import score_assessment
from tests.bad_files import filled_submission, filled_xlsx, level_cell, with_cells
from tests.libreoffice import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.xdist_group("libreoffice")]


@pytest.mark.parametrize("lang", list(LANGUAGES))
@pytest.mark.parametrize("target", ["xlsx", "ods"])
def test_a_filled_questionnaire_survives_libreoffice(lang: str, target: str) -> None:
    resaved = convert(filled_xlsx(lang), ".xlsx", target)
    result = read_questionnaire(resaved, f"questionnaire.{target}")
    assert [p.render("en") for p in result.errors] == []
    # IL.3 is left blank in the filled questionnaire: its warning names the same cell after the round trip.
    assert [(p.cell, p.indicator) for p in result.warnings] == [(level_cell("IL.3"), "IL.3")]
    assert result.submission == filled_submission(language=lang)


def test_problems_keep_their_cells_after_libreoffice() -> None:
    bad = with_cells({"Responses": {level_cell("IC.1"): "Very good"}, "Organisation": {"B7": 1999}})
    result = read_questionnaire(convert(bad, ".xlsx", "ods"), "questionnaire.ods")
    assert [p.render("en") for p in result.errors] == [
        "Organisation!B7: 1999 is outside the accepted years 2000–"
        f"{result.errors[0].message.params['last']}. Write the year the answers describe.",
        f'Responses!{level_cell("IC.1")} (IC.1): "Very good" is not a level. '
        "Choose 0–5 or N/A from the list.",
    ]


def test_an_old_xls_saved_by_libreoffice_is_refused_with_advice() -> None:
    result = read_questionnaire(convert(filled_xlsx(), ".xlsx", "xls"), "questionnaire.xls")
    assert not result.valid
    assert [p.message.msgid for p in result.errors] == [MSG_XLS]
    assert "save it as an Excel workbook (.xlsx)" in result.errors[0].render("en")


def test_every_language_scores_the_same_as_english_after_libreoffice() -> None:
    """Same answers, any language (Arabic right to left included), re-saved by LibreOffice:
    the same index, dimension scores and levels."""
    framework, roadmap = current_framework(), current_roadmap()
    scored = {}
    for lang in LANGUAGES:
        result = read_questionnaire(convert(filled_xlsx(lang), ".xlsx", "xlsx"), f"{lang}.xlsx")
        assert result.submission is not None and result.submission.language == lang
        scored[lang] = score_assessment([result.submission], framework, roadmap)
    english = scored["en"]
    assert english.index.score is not None
    for other in scored.values():
        assert other.index.score == english.index.score
        assert {code: d.score for code, d in other.dimensions.items()} == {
            code: d.score for code, d in english.dimensions.items()
        }
        assert {code: i.level for code, i in other.indicators.items()} == {
            code: i.level for code, i in english.indicators.items()
        }
