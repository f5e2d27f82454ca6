"""Translation layer: every string a person reads goes through here.

Catalogs are gettext `.po` files under `locales/<lang>/LC_MESSAGES/capacity.po`, managed
with Babel (`make i18n-update`). They are parsed directly with Babel at first use rather
than compiled to `.mo`, so a catalog can never be stale against its compiled twin.

Messages use `str.format` named placeholders (`{cell}`), which the catalog test checks
are identical in every language. Plurals follow each catalog's own `Plural-Forms` header
(Arabic has six forms: zero, one, two, few, many, other), not a rule written here.
"""

from __future__ import annotations

import datetime as dt
import gettext as _gettext
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from babel import Locale
from babel.dates import format_date as _babel_format_date
from babel.messages.pofile import read_po
from babel.numbers import format_decimal as _babel_format_decimal
from babel.numbers import format_percent as _babel_format_percent

LANGUAGES: dict[str, str] = {"en": "English", "tr": "Türkçe", "ar": "العربية"}
DEFAULT_LANGUAGE = "en"
LOCALES_DIR = Path(__file__).parent / "locales"
DOMAIN = "capacity"
# Babel's plain `ar` locale writes Western digits (62.5, 2025), as most Arabic-language
# humanitarian reports do; it keeps scores, years and codes such as IC.1 identical in every
# language and readable beside the Latin codes. `ar_EG` would switch to Arabic-Indic digits.
_BABEL_LOCALE = {"en": "en_GB", "tr": "tr_TR", "ar": "ar"}
LEFT_TO_RIGHT_MARK = "\u200e"


def _english_plural(n: int) -> int:
    """English's two forms, for messages no catalog translates."""
    return 0 if n == 1 else 1


def N_(msgid: str) -> str:
    """Mark a string for extraction without translating it yet (translated where shown)."""
    return msgid


def normalise_language(code: str | None) -> str:
    """Map 'tr-TR', 'TR', 'tr_TR' … to a supported language code; unknown codes give English."""
    if not code:
        return DEFAULT_LANGUAGE
    short = str(code).strip().replace("_", "-").split("-")[0].lower()
    return short if short in LANGUAGES else DEFAULT_LANGUAGE


@dataclass(frozen=True)
class _Catalog:
    """One parsed catalog: its translations and its plural rule (msgstr index for a count)."""

    entries: Mapping[str, str | tuple[str, ...]]
    plural: Callable[[int], int]


@cache
def _load(lang: str) -> _Catalog:
    path = LOCALES_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if lang == DEFAULT_LANGUAGE or not path.exists():
        return _Catalog({}, _english_plural)
    with path.open("rb") as handle:
        parsed = read_po(handle, locale=_BABEL_LOCALE.get(lang, lang))
    entries: dict[str, str | tuple[str, ...]] = {}
    for message in parsed:
        if not message.id or message.fuzzy:
            continue
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if isinstance(message.string, tuple):
            if all(message.string):
                entries[key] = tuple(message.string)
        elif message.string:
            entries[key] = message.string
    # The header's C expression, compiled by the standard library's gettext (which checks
    # it is only arithmetic); Babel fills it in from CLDR when the header lacks one.
    return _Catalog(entries, _gettext.c2py(parsed.plural_expr))


def catalog(lang: str) -> Mapping[str, str | tuple[str, ...]]:
    """The translations of one language: msgid → msgstr (a tuple of forms for plurals)."""
    return _load(lang).entries


def gettext(msgid: str, lang: str) -> str:
    """The translation of `msgid` in `lang`, or `msgid` itself when there is none."""
    found = catalog(normalise_language(lang)).get(msgid)
    return found if isinstance(found, str) else msgid


def ngettext(singular: str, plural: str, n: int, lang: str) -> str:
    """Plural-aware translation: the form the language's own rule picks for `n`."""
    loaded = _load(normalise_language(lang))
    found = loaded.entries.get(singular)
    if isinstance(found, tuple):
        return found[min(loaded.plural(n), len(found) - 1)]
    return singular if _english_plural(n) == 0 else plural


def is_right_to_left(lang: str) -> bool:
    """Whether the language is written right to left (from CLDR, so a new language needs no list)."""
    return _right_to_left(normalise_language(lang))


@cache
def _right_to_left(lang: str) -> bool:
    return Locale.parse(_BABEL_LOCALE[lang]).character_order == "right-to-left"


def translator(lang: str) -> Callable[..., str]:
    """A `t(msgid, **params)` function bound to one language, formatting the placeholders."""
    lang = normalise_language(lang)

    def t(msgid: str, /, **params: Any) -> str:
        text = gettext(msgid, lang)
        return text.format(**params) if params else text

    return t


def tn(singular: str, plural: str, n: int, lang: str, **params: Any) -> str:
    """Plural translation with `{n}` and any other placeholders filled in."""
    return ngettext(singular, plural, n, lang).format(n=n, **params)


def variants(msgid: str) -> set[str]:
    """The text of `msgid` in every language: how readers recognise labels in any language."""
    return {gettext(msgid, lang) for lang in LANGUAGES}


@dataclass(frozen=True)
class Message:
    """A message kept untranslated until shown, so the reader can answer in the user's language."""

    msgid: str
    params: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        """The message in `lang`; a parameter that is a function of the language (a framework text
        such as an indicator's title) is written in `lang` too."""
        params = {key: value(lang) if callable(value) else value for key, value in self.params.items()}
        return translator(lang)(self.msgid, **params)


def format_number(value: float | None, lang: str, digits: int = 1, missing: str = "–") -> str:
    """A number in the locale's style (Turkish writes 62,5 where English writes 62.5).

    In a right-to-left language a negative number starts with a left-to-right mark, so
    the minus stays before the digits (-1.6) instead of moving after them (1.6-) when the
    number stands alone in a cell: a gap must read with the same sign in every language.
    """
    if value is None:
        return missing
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "")
    text = _babel_format_decimal(value, format=pattern, locale=_BABEL_LOCALE[normalise_language(lang)])
    if text.startswith("-") and _right_to_left(normalise_language(lang)):
        return LEFT_TO_RIGHT_MARK + text
    return text


def format_percent(share: float | None, lang: str, digits: int = 0, missing: str = "–") -> str:
    """A share (0–1) as a percentage in the locale's style (Turkish puts % first: %45)."""
    if share is None:
        return missing
    pattern = "#,##0" + ("." + "0" * digits if digits > 0 else "") + "%"
    locale = _BABEL_LOCALE[normalise_language(lang)]
    if normalise_language(lang) == "tr":
        pattern = "%#,##0" + ("." + "0" * digits if digits > 0 else "")
    return _babel_format_percent(share, format=pattern, locale=locale)


def format_date(value: dt.date | None, lang: str, missing: str = "–") -> str:
    """A date in the locale's medium style."""
    if value is None:
        return missing
    return _babel_format_date(value, format="medium", locale=_BABEL_LOCALE[normalise_language(lang)])


def format_utc_minute(value: dt.datetime | None, missing: str = "–") -> str:
    """A time stamp as 'YYYY-MM-DD HH:MM' (UTC), the same in every language, so a column of them sorts.

    A missing time is `missing`, not the grid's "None" (which no Turkish or Arabic reader expects).
    """
    if value is None:
        return missing
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return value.strftime("%Y-%m-%d %H:%M")
