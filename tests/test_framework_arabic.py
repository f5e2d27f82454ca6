"""The Arabic texts of the framework and the roadmap: present, Arabic, and faithful to the English.

Read from the raw YAML rather than through `LocalText`, so the checks hold whether or not
`capacity.i18n.LANGUAGES` lists Arabic yet; once it does, the loader itself refuses a file
without Arabic (the last test here follows `LANGUAGES`, whatever it holds).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator
from typing import Any

import pytest
import yaml

from capacity.framework import FRAMEWORK_PATH, FrameworkError, parse_framework
from capacity.i18n import LANGUAGES
from capacity.questionnaire.levels import fold
from capacity.roadmap import ROADMAP_PATH

# The scale names of docs/GLOSSARY-ar.md; the questionnaire reader accepts exactly these.
ARABIC_LEVEL_NAMES = ("غائب", "أولي", "قيد التطوير", "راسخ", "متقدم", "رائد")

# Abbreviations the Arabic writes out (docs/GLOSSARY-ar.md, "Conventions"): where the English
# uses one, the Arabic must use the glossary's term. Stems, not whole words, because Arabic
# attaches prepositions to the article (للدبلوماسية, بالقانون).
WRITTEN_OUT = {
    "HD": "دبلوماسية الإنسانية",
    "IHL": "قانون الدولي الإنساني",
    "EU": "اتحاد الأوروبي",
    "UN": "أمم المتحدة",
    "MoU": "تفاهم",
    "NGO": "غير الحكومية",
    "KPI": "مؤشرات الأداء",
}
# Core terms of the glossary, so each is translated the same way in all 36 indicators.
GLOSSARY_TERMS = {
    r"\bhumanitarian diplomacy\b": "دبلوماسية الإنسانية",
    r"\bIHL\b|international humanitarian law": "قانون الدولي الإنساني",
    r"\bRed Crescent\b": "هلال الأحمر",
    r"\bweapons of mass destruction\b": "أسلحة الدمار الشامل",
    r"\bsub-theme\b": "المحور الفرعي",
}

ARABIC_LETTER = re.compile(r"[\u0621-\u064A]")
ACRONYM = re.compile(r"\b([A-Z][A-Za-z]*[A-Z])s?\b")  # ICRC, ECtHR, MoU(s), KPI(s); not 'A' or 'Red'
NUMBER = re.compile(r"\d+(?:[.,]\d+)?%?")
CODE = re.compile(r"\b[A-Z]{2}\.\d+\b")
PLACEHOLDER = re.compile(r"\{\w*\}")
LATIN_WORD = re.compile(r"[A-Za-z]+")
LATIN_TERMS = {"amicus", "curiae"}  # II.4: مذكرات «صديق المحكمة» (amicus curiae)


def _texts(node: Any, where: str) -> Iterator[tuple[str, dict[str, str]]]:
    """Every translated text of a parsed data file, named by where it is (`framework IL.5.question`)."""
    if isinstance(node, dict):
        if isinstance(node.get("en"), str):
            yield where, node
            return
        label = node.get("code", node.get("year"))
        if label is not None:
            where = f"{where.split()[0]} {label}"
        for key, value in node.items():
            if isinstance(value, dict | list):
                yield from _texts(value, f"{where}.{key}")
    elif isinstance(node, list):
        for position, item in enumerate(node):
            yield from _texts(item, f"{where}[{position}]")


def _all_texts() -> list[tuple[str, dict[str, str]]]:
    found = []
    for path in (FRAMEWORK_PATH, ROADMAP_PATH):
        found += _texts(yaml.safe_load(path.read_text(encoding="utf-8")), path.stem)
    return found


TEXTS = _all_texts()


def test_every_text_of_both_files_is_checked() -> None:
    # Title, 6 level names, 6 × (name, description), 36 × (title, question, 6 descriptors,
    # evidence, source) and 3 milestone labels: a change to the walk cannot skip texts unseen.
    assert len(TEXTS) == 1 + 6 + 6 * 2 + 36 * 10 + 3
    assert len({where for where, _ in TEXTS}) == len(TEXTS)


def test_every_text_has_an_arabic_translation_in_arabic_letters() -> None:
    problems = [
        f"{where}: {text.get('ar')!r}"
        for where, text in TEXTS
        if not isinstance(text.get("ar"), str)
        or not ARABIC_LETTER.search(text["ar"])
        or text["ar"].strip() == text["en"].strip()
    ]
    assert problems == []


def test_numbers_codes_and_placeholders_of_the_english_are_kept() -> None:
    problems = [
        f"{where}: {token!r}"
        for where, text in TEXTS
        for pattern in (NUMBER, CODE, PLACEHOLDER)
        for token in pattern.findall(text["en"])
        if token not in text.get("ar", "")
    ]
    assert problems == []


def test_acronyms_are_kept_or_written_out_with_the_glossary_term() -> None:
    problems = [
        f"{where}: {acronym} should appear as {WRITTEN_OUT.get(acronym, acronym)!r}"
        for where, text in TEXTS
        for acronym in ACRONYM.findall(text["en"])
        if WRITTEN_OUT.get(acronym, acronym) not in text.get("ar", "")
    ]
    assert problems == []


def test_no_english_is_left_untranslated() -> None:
    # Latin letters in the Arabic may only be the English's own acronyms (ICRC, ECtHR) and
    # the Latin legal term kept beside its Arabic, never a word or a sentence left in English.
    problems = [
        f"{where}: {word!r}"
        for where, text in TEXTS
        for word in LATIN_WORD.findall(text.get("ar", ""))
        if word not in LATIN_TERMS and not (ACRONYM.fullmatch(word) and word in text["en"])
    ]
    assert problems == []


def test_core_terms_are_translated_as_the_glossary_says() -> None:
    problems = [
        f"{where}: {english!r} should read {arabic!r}"
        for where, text in TEXTS
        for english, arabic in GLOSSARY_TERMS.items()
        if re.search(english, text["en"], flags=re.IGNORECASE) and arabic not in text.get("ar", "")
    ]
    assert problems == []


def test_the_arabic_level_names_are_the_glossary_names_and_never_collide() -> None:
    scale = yaml.safe_load(FRAMEWORK_PATH.read_text(encoding="utf-8"))["scale"]
    assert tuple(item["name"]["ar"] for item in scale) == ARABIC_LEVEL_NAMES
    # The questionnaire reader recognises a level by its folded name in any language, so no
    # two levels may share a folded name across English, Turkish and Arabic.
    owner: dict[str, int] = {}
    for item in scale:
        for name in item["name"].values():
            assert owner.setdefault(fold(name), item["level"]) == item["level"], name


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_a_text_missing_in_any_supported_language_is_refused(lang: str) -> None:
    raw = yaml.safe_load(FRAMEWORK_PATH.read_text(encoding="utf-8"))
    broken = copy.deepcopy(raw)
    del broken["dimensions"][4]["indicators"][2]["descriptors"][3][lang]
    with pytest.raises(FrameworkError, match=rf"SM\.3\.descriptors\[3\]: the '{lang}' text is missing"):
        parse_framework(broken)


def test_every_question_is_asked_with_the_arabic_question_mark() -> None:
    questions = {where: text["ar"] for where, text in TEXTS if where.endswith(".question")}
    assert len(questions) == 36
    assert [where for where, arabic in questions.items() if not arabic.endswith("؟")] == []
