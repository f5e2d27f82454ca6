"""Every page in every language shows no English catalog string: a Turkish- or Arabic-speaking
manager reads it all.

Each page is opened as an administrator (who sees every page) on the small portfolio, in
each language other than English, and every text the page sends to the browser — titles,
labels, help tooltips, options, captions, table headers, chart specs — is collected from
the element protos. No English msgid whose translation differs may appear in it. A msgid
with placeholders is looked for by its longest literal piece, so a sentence is caught
whatever fills it. The same pages in English must show the same numbers (the headline
metrics), and switching among the languages in one session leaves nothing behind.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import pytest
from babel.messages.pofile import read_po
from google.protobuf.message import Message as Proto

from capacity import i18n
from capacity.access import ADMIN
from tests.apptest import open_page

TRANSLATED = [lang for lang in i18n.LANGUAGES if lang != i18n.DEFAULT_LANGUAGE]
PAGES = (
    "overview",
    "profile",
    "benchmark",
    "roadmap",
    "framework",
    "upload",
    "scorecards",
    "audit",
    "admin",
    "rounds",
)
MIN_PIECE = 14  # shorter English pieces ("Index", "N/A") also occur inside names and codes
PLACEHOLDER = re.compile(r"\{[^{}]*\}")
TEMPLATE = i18n.LOCALES_DIR / "capacity.pot"


def english_pieces(translations: Mapping[str, str | tuple[str, ...]]) -> dict[str, str]:
    """Literal English text that must not survive translation → the msgid it comes from.

    Every msgid extracted from the code (the template), translated or not: a missing
    translation shows English, and that is what this test is about.
    """
    with TEMPLATE.open("rb") as handle:
        msgids = [m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id]
    pieces = {}
    for english in msgids:
        translated = translations.get(english)
        shown = translated[0] if isinstance(translated, tuple | list) else translated
        longest = max(PLACEHOLDER.split(english), key=len).strip()
        # a translation that keeps the piece (a code, a name, a symbol) cannot be told apart
        if len(longest) >= MIN_PIECE and (shown is None or longest not in shown):
            pieces[longest] = english
    return pieces


def strings(proto: Proto) -> Iterator[str]:
    for _field, value in proto.ListFields():
        if isinstance(value, str):
            yield value
        elif isinstance(value, Proto):
            yield from strings(value)
        elif hasattr(value, "__iter__") and not isinstance(value, bytes | dict):
            for item in value:
                if isinstance(item, str):
                    yield item
                elif isinstance(item, Proto):
                    yield from strings(item)


def page_strings(node) -> Iterator[str]:
    proto = getattr(node, "proto", None)
    if isinstance(proto, Proto):
        yield from strings(proto)
    for child in getattr(node, "children", {}).values():
        yield from page_strings(child)


def test_the_catalog_lookup_finds_english_pieces() -> None:
    """Every msgid is looked for, translated or not, unless its translation keeps the piece."""
    real = dict(i18n.catalog("tr"))
    assert english_pieces(real)["Organisation profile"] == "Organisation profile"
    untranslated = {key: value for key, value in real.items() if key != "Organisation profile"}
    assert english_pieces(untranslated)["Organisation profile"] == "Organisation profile"
    kept = {**real, "Organisation profile": "Organisation profile (Kurum profili)"}
    assert "Organisation profile" not in english_pieces(kept)
    assert english_pieces(real)["assessment recomputed."] == "{n} assessment recomputed."


@pytest.mark.parametrize("lang", TRANSLATED)
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_no_english_catalog_string(small_portfolio, page: str, lang: str) -> None:
    at = open_page(f"views/{page}.py", lang=lang, role=ADMIN)
    shown = "\n".join(page_strings(at._tree))
    assert shown.strip(), "the page sent no text at all"
    left = sorted({msgid for piece, msgid in english_pieces(i18n.catalog(lang)).items() if piece in shown})
    assert not left, f"English on the {i18n.LANGUAGES[lang]} {page} page: {left}"


def numbers(text: str) -> list[str]:
    """The numbers in a metric, whatever the locale's decimal mark and percent position (44% / %44)."""
    return re.findall(r"\d+(?:[.,]\d+)?", text.replace(",", "."))


@pytest.mark.parametrize("lang", TRANSLATED)
def test_switching_language_keeps_the_numbers(small_portfolio, lang: str) -> None:
    english = open_page("views/overview.py", lang="en", query={"year": "2023"}, role=ADMIN)
    other = open_page("views/overview.py", lang=lang, query={"year": "2023"}, role=ADMIN)
    assert [numbers(m.value) for m in english.metric] == [numbers(m.value) for m in other.metric]
    assert [m.label for m in english.metric] != [m.label for m in other.metric]


def shown_text(msgid: str, lang: str) -> str:
    """The text of `msgid` as `lang` shows it (the first form of a plural; English when untranslated)."""
    found = i18n.catalog(lang).get(msgid)
    return (found[0] if isinstance(found, tuple) else found) or msgid


def foreign_pieces(shown: str, other: str) -> dict[str, str]:
    """Literal pieces of `other`'s texts that a page in `shown` must not contain → their msgid."""
    with TEMPLATE.open("rb") as handle:
        msgids = [m.id[0] if isinstance(m.id, tuple) else m.id for m in read_po(handle) if m.id]
    pieces = {}
    for msgid in msgids:
        theirs, ours = shown_text(msgid, other), shown_text(msgid, shown)
        longest = max(PLACEHOLDER.split(theirs), key=len).strip()
        if len(longest) >= MIN_PIECE and longest not in ours:
            pieces[longest] = msgid
    return pieces


def test_switching_among_the_languages_leaves_no_string_of_another_behind(small_portfolio) -> None:
    """One session, the sidebar's switch: every language, back and forth, shows only itself."""
    at = open_page("views/overview.py", role=ADMIN)
    for lang in [*TRANSLATED, i18n.DEFAULT_LANGUAGE, *reversed(TRANSLATED)]:
        at.selectbox(key="language_switch").set_value(lang).run()
        assert not at.exception, [e.value for e in at.exception]
        shown = "\n".join(page_strings(at._tree))
        for other in set(i18n.LANGUAGES) - {lang}:
            left = sorted({msgid for piece, msgid in foreign_pieces(lang, other).items() if piece in shown})
            assert not left, f"{i18n.LANGUAGES[other]} on the {i18n.LANGUAGES[lang]} page: {left}"
