"""The translation layer: complete catalogs, matching placeholders, locale formatting."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from capacity import i18n
from capacity.i18n import (
    LANGUAGES,
    Message,
    catalog,
    format_date,
    format_number,
    format_percent,
    normalise_language,
    translator,
    variants,
)

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "t": None, "N_": None, "tn": (1, 2), "gettext": None, "ngettext": (1, 2)}
METHOD_MAP = [
    ("src/**.py", "python"),
    ("views/**.py", "python"),
    ("ui/**.py", "python"),
    ("app.py", "python"),
]


def extracted_msgids() -> dict[str, str]:
    """Every translatable string in the code, with the file it was found in."""
    found: dict[str, str] = {}
    for filename, _lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map=METHOD_MAP, keywords=KEYWORDS
    ):
        msgid = message[0] if isinstance(message, tuple) else message
        if msgid:
            found.setdefault(msgid, filename)
    return found


def extracted_plurals() -> dict[str, str]:
    """Singular msgid → plural msgid of every plural string in the code."""
    return {
        message[0]: message[1]
        for _filename, _lineno, message, _comments, _context in extract_from_dir(
            str(ROOT), method_map=METHOD_MAP, keywords=KEYWORDS
        )
        if isinstance(message, tuple)
    }


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def test_the_code_has_translatable_strings() -> None:
    assert len(extracted_msgids()) > 80


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_string_in_the_code_is_translated(lang: str) -> None:
    translations = catalog(lang)
    missing = {msgid: where for msgid, where in extracted_msgids().items() if msgid not in translations}
    assert not missing, (
        f"{len(missing)} string(s) lack a {lang} translation (run `make i18n-update`): {missing}"
    )


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_placeholders_are_the_same_in_every_language(lang: str) -> None:
    """A plain string keeps exactly its placeholders; a plural form may add the count the
    English singular leaves out ("the file" / "the {n} files"), and nothing else. A form
    may also leave the count out where the language says it in words (Arabic's "one
    file", ملف واحد, and "two files", ملفان); every other placeholder stays."""
    plurals = extracted_plurals()
    for msgid, translated in catalog(lang).items():
        if isinstance(translated, tuple):
            allowed = placeholders(msgid) | placeholders(plurals[msgid])
            for form in translated:
                assert placeholders(msgid) - {"n"} <= placeholders(form) <= allowed, (msgid, form)
        else:
            assert placeholders(translated) == placeholders(msgid), (msgid, translated)


CATALOG_FILES = sorted((ROOT / "src" / "capacity" / "locales").glob("*/LC_MESSAGES/capacity.po"))


@pytest.mark.parametrize("path", CATALOG_FILES, ids=lambda path: path.parts[-3])
def test_every_catalog_on_disk_is_complete(path: Path) -> None:
    """Every catalog under locales/, offered in LANGUAGES or not yet: no fuzzy entry, and every
    plural entry has as many non-empty forms as its Plural-Forms header asks (six in Arabic), so a
    language is complete before it is switched on."""
    with path.open("rb") as handle:
        parsed = read_po(handle)
    entries = [message for message in parsed if message.id]
    assert not [message.id for message in entries if message.fuzzy]
    for message in entries:
        if isinstance(message.id, tuple):
            assert len(message.string) == parsed.num_plurals, message.id
            assert all(message.string), message.id
        else:
            assert message.string, message.id


def test_translation_formats_placeholders() -> None:
    assert (
        translator("tr")("Questionnaire written to {path}", path="q.xlsx") == "Anket q.xlsx dosyasına yazıldı"
    )
    assert Message("Evidence: {guidance}", {"guidance": "x"}).render("tr") == "Kanıt: x"
    assert {"Responses", "Yanıtlar"} <= variants("Responses")


def test_unknown_languages_fall_back_to_english() -> None:
    assert normalise_language("tr-TR") == "tr"
    assert normalise_language("de_DE") == "en"
    assert normalise_language(None) == "en"
    assert translator("xx")("Responses") == "Responses"


def test_numbers_and_dates_follow_the_locale() -> None:
    assert format_number(62.5, "tr") == "62,5"
    assert format_number(62.5, "en") == "62.5"
    assert format_number(None, "en") == "–"
    assert format_percent(0.25, "en") == "25%"
    assert format_percent(0.25, "tr") == "%25"
    assert format_number(1234.5, "tr") == "1.234,5"
    assert format_date(dt.date(2026, 11, 28), "tr").startswith("28 Kas")


ARABIC_PLURALS = """
msgid ""
msgstr ""
"Language: ar\\n"
"Plural-Forms: nplurals=6; plural=(n == 0 ? 0 : n == 1 ? 1 : n == 2 ? 2 : n % 100 >= 3 && "
"n % 100 <= 10 ? 3 : n % 100 >= 11 && n % 100 <= 99 ? 4 : 5);\\n"

msgid "{n} file"
msgid_plural "{n} files"
msgstr[0] "zero {n}"
msgstr[1] "one {n}"
msgstr[2] "two {n}"
msgstr[3] "few {n}"
msgstr[4] "many {n}"
msgstr[5] "other {n}"
"""


def test_plurals_follow_the_catalogs_own_rule(tmp_path, monkeypatch) -> None:
    """Arabic has six plural forms; the form comes from the catalog's Plural-Forms header."""
    folder = tmp_path / "ar" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "capacity.po").write_text(ARABIC_PLURALS, encoding="utf-8")
    monkeypatch.setattr(i18n, "LOCALES_DIR", tmp_path)
    i18n._load.cache_clear()
    try:
        shown = {
            n: i18n.tn("{n} file", "{n} files", n, "ar") for n in (0, 1, 2, 3, 10, 11, 99, 100, 102, 111)
        }
    finally:
        i18n._load.cache_clear()
    assert shown == {
        0: "zero 0",
        1: "one 1",
        2: "two 2",
        3: "few 3",
        10: "few 10",
        11: "many 11",
        99: "many 99",
        100: "other 100",
        102: "other 102",
        111: "many 111",
    }
    assert i18n.tn("{n} file", "{n} files", 1, "en") == "1 file"
    assert i18n.tn("{n} file", "{n} files", 0, "en") == "0 files"


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_every_plural_entry_has_every_form_of_its_language(lang: str) -> None:
    path = i18n.LOCALES_DIR / lang / "LC_MESSAGES" / "capacity.po"
    with path.open("rb") as handle:
        parsed = read_po(handle)
    for message in parsed:
        if message.id and isinstance(message.id, tuple):
            assert len(message.string) == parsed.num_plurals, (lang, message.id[0])


def test_arabic_is_written_right_to_left_with_western_digits() -> None:
    assert [lang for lang in LANGUAGES if i18n.is_right_to_left(lang)] == ["ar"]
    assert format_number(1234.5, "ar") == "1,234.5"  # the digits of scores, years and codes (README)
    assert format_percent(0.25, "ar").strip("\u200e\u200f\u061c") == "25%"


def test_no_catalog_string_hides_in_an_f_string():
    """Babel (on Python 3.11) does not look inside f-strings: a `t("…")` there is never extracted,
    so it stays English in every language (as "portfolio mean" and "Rejected" once did)."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    hidden = re.compile(r"""\bf(["']).*?\{\s*(?:_|t|tn|translator\([^)]*\))\(\s*["']""")
    found = [
        f"{path.relative_to(root)}:{number}"
        for folder in ("src", "ui", "views")
        for path in (root / folder).rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if hidden.search(line)
    ]
    assert found == []
