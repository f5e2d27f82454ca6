"""`python -m capacity score`: questionnaires in, the engine's figures out."""

from __future__ import annotations

import json
import random

import pytest

from capacity.cli import main
from capacity.framework import current_framework
from capacity.questionnaire.layout import ROLE_EVALUATOR, ROLE_SELF
from capacity.questionnaire.template import build_template
from capacity.roadmap import current_roadmap
from capacity.scoring import assessment_to_json, score_assessment, trend_to_json, trends_for
from tests.scoring_cases import NA, submission


def filled(rng, role=ROLE_SELF, organisation_id="NS-TR-01", year=2025, name="Türk Kızılay"):
    framework = current_framework()
    choices = [0, 1, 2, 3, 3, 4, 4, 5, NA, None]
    levels = {ind.code: rng.choice(choices) for ind in framework.indicators}
    return submission(framework, levels, role=role, organisation_id=organisation_id, year=year, name=name)


@pytest.fixture
def questionnaires(tmp_path):
    """Five files: organisation A in 2023 (two respondents) and 2025 (two and an evaluator), B in 2025."""
    rng = random.Random(11)
    subs = [
        filled(rng, year=2023),
        filled(rng, year=2023),
        filled(rng, year=2025),
        filled(rng, year=2025),
        filled(rng, role=ROLE_EVALUATOR, year=2025),
        filled(rng, organisation_id="NGO-7", name="Relief NGO"),
    ]
    paths = []
    for n, sub in enumerate(subs):
        path = tmp_path / f"q{n}.xlsx"
        path.write_bytes(build_template(prefill=sub, complete=True, lang="tr" if n % 2 else "en"))
        paths.append(path)
    return subs, paths


def test_json_output_is_the_engines_figures(questionnaires, capsys):
    subs, paths = questionnaires
    assert main(["score", *map(str, paths), "--json"]) == 0
    output = json.loads(capsys.readouterr().out)
    framework, roadmap = current_framework(), current_roadmap()
    expected_results = [  # ordered by organisation ID, then year
        score_assessment(subs[5:], framework, roadmap),
        score_assessment(subs[0:2], framework, roadmap),
        score_assessment(subs[2:5], framework, roadmap),
    ]
    assert output["assessments"] == [assessment_to_json(r, framework) for r in expected_results]
    assert output["trends"] == [trend_to_json(t) for t in trends_for(expected_results[1:], roadmap)]
    assert [a["respondents"] for a in output["assessments"]] == [1, 2, 3]
    assert {t["organisation_id"] for t in output["trends"]} == {"NS-TR-01"}


def test_readable_summary(questionnaires, capsys):
    _, paths = questionnaires
    assert main(["score", *map(str, paths[:3]), "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "Türk Kızılay (NS-TR-01), 2023: 2 respondents" in out
    assert "Türk Kızılay (NS-TR-01), 2025: 1 respondent" in out
    assert "Institutional Capacity" in out
    assert "Trends" in out


def test_invalid_files_are_reported_and_the_valid_ones_still_scored(questionnaires, tmp_path, capsys):
    _, paths = questionnaires
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a workbook")
    missing = tmp_path / "missing.xlsx"
    assert main(["score", str(broken), str(paths[5]), str(missing), "--json"]) == 1
    captured = capsys.readouterr()
    assert [a["organisation_id"] for a in json.loads(captured.out)["assessments"]] == ["NGO-7"]
    assert "broken.xlsx" in captured.err and "missing.xlsx" in captured.err
