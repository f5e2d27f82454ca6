"""The framework and roadmap files: their content, and clear errors when they are wrong."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from capacity.framework import (
    DIMENSION_CODES,
    FRAMEWORK_PATH,
    FrameworkError,
    current_framework,
    load_framework,
    parse_framework,
)
from capacity.roadmap import ROADMAP_PATH, TARGETS, current_roadmap, load_roadmap, parse_roadmap


@pytest.fixture()
def raw_framework() -> dict:
    return yaml.safe_load(FRAMEWORK_PATH.read_text(encoding="utf-8"))


@pytest.fixture()
def raw_roadmap() -> dict:
    return yaml.safe_load(ROADMAP_PATH.read_text(encoding="utf-8"))


def test_the_shipped_framework_has_the_six_sub_themes_and_30_to_45_indicators() -> None:
    framework = current_framework()
    assert [d.code for d in framework.dimensions] == list(DIMENSION_CODES)
    names = [d.name("en") for d in framework.dimensions]
    assert names == [
        "Institutional Capacity",
        "International Law",
        "International Institutions",
        "Traditional Media",
        "Social Media",
        "Solidarity and Development Cooperation",
    ]
    assert 30 <= len(framework.indicators) <= 45
    for dimension in framework.dimensions:
        assert 5 <= len(dimension.indicators) <= 8
        for position, indicator in enumerate(dimension.indicators, start=1):
            assert indicator.code == f"{dimension.code}.{position}"


def test_every_indicator_is_complete_in_both_languages() -> None:
    for indicator in current_framework().indicators:
        assert len(indicator.descriptors) == 6
        for text in (
            indicator.title,
            indicator.question,
            indicator.evidence,
            indicator.source,
            *indicator.descriptors,
        ):
            assert text("en").strip() and text("tr").strip()
        assert indicator.question("en").rstrip().endswith("?")
        # Six distinct descriptors: a level must describe something different from its neighbours.
        assert len({d("en") for d in indicator.descriptors}) == 6
        assert indicator.weight > 0


def test_the_scale_is_the_one_every_indicator_uses() -> None:
    framework = current_framework()
    assert [framework.level_name(lv, "en") for lv in range(6)] == [
        "Absent",
        "Initial",
        "Developing",
        "Established",
        "Advanced",
        "Leading",
    ]
    assert framework.level_label(3, "tr") == "3 – Yerleşik"


def test_a_duplicated_code_is_named_in_the_error(raw_framework: dict) -> None:
    raw_framework["dimensions"][1]["indicators"][0]["code"] = "IL.2"
    with pytest.raises(FrameworkError, match=r"indicator IL\.2: duplicated code"):
        parse_framework(raw_framework)


def test_a_missing_descriptor_and_a_bad_weight_are_both_reported(raw_framework: dict) -> None:
    raw_framework["dimensions"][0]["indicators"][2]["descriptors"].pop()
    raw_framework["dimensions"][2]["indicators"][1]["weight"] = 0
    with pytest.raises(FrameworkError) as caught:
        parse_framework(raw_framework)
    problems = caught.value.problems
    assert any("IC.3: needs exactly 6 level descriptors (0–5), found 5" in p for p in problems)
    assert any("II.2: weight must be a positive number, found 0" in p for p in problems)


def test_a_missing_dimension_is_reported(raw_framework: dict) -> None:
    raw_framework["dimensions"] = [d for d in raw_framework["dimensions"] if d["code"] != "SM"]
    with pytest.raises(FrameworkError, match="missing SM"):
        parse_framework(raw_framework)


def test_a_missing_translation_is_reported(raw_framework: dict) -> None:
    del raw_framework["dimensions"][3]["indicators"][0]["title"]["tr"]
    with pytest.raises(FrameworkError, match=r"TM\.1\.title: the 'tr' text is missing"):
        parse_framework(raw_framework)


def test_broken_yaml_names_the_file(tmp_path: Path) -> None:
    broken = tmp_path / "framework.yaml"
    broken.write_text("id: x\ndimensions: [unclosed\n", encoding="utf-8")
    with pytest.raises(FrameworkError, match="not valid YAML") as caught:
        load_framework(broken)
    assert str(broken) in str(caught.value)


def test_a_copy_of_the_file_loads_identically(tmp_path: Path, raw_framework: dict) -> None:
    copy_path = tmp_path / "copy.yaml"
    copy_path.write_text(yaml.safe_dump(raw_framework, allow_unicode=True), encoding="utf-8")
    assert load_framework(copy_path) == current_framework()


def test_the_roadmap_defaults_are_20_60_90_for_every_target() -> None:
    roadmap = current_roadmap()
    assert roadmap.years == (2015, 2023, 2053)
    for target in TARGETS:
        assert [roadmap.target(target, year) for year in roadmap.years] == [20, 60, 90]


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda r: r["milestones"][1]["targets"].update(IC=120), "target 'IC' = 120 is outside 0–100"),
        (lambda r: r["milestones"][0]["targets"].pop("index"), "target 'index' is missing"),
        (lambda r: r["milestones"].pop(), "must be the years (2015, 2023, 2053)"),
        (lambda r: r["milestones"][2]["targets"].update(XX=50), "unknown target 'XX'"),
        (lambda r: r["milestones"][1].update(year=2030), "found 2015, 2030, 2053"),
    ],
)
def test_a_wrong_roadmap_gives_a_clear_error(raw_roadmap: dict, mutate, message: str) -> None:
    broken = copy.deepcopy(raw_roadmap)
    mutate(broken)
    with pytest.raises(FrameworkError) as caught:
        parse_roadmap(broken, "roadmap.yaml")
    assert message in str(caught.value)


def test_the_roadmap_file_loads_from_a_path() -> None:
    assert load_roadmap(ROADMAP_PATH) == current_roadmap()
