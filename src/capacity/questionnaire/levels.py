"""Reading what people write in a Level cell: 3, 3.0, " 3 ", "3 – Established", "established", N/A …

Managers type levels by hand, paste them from other files, or re-save the questionnaire in
another program that turns the dropdown text into something slightly different. Every
honest spelling must be understood, in every language of the framework, and anything
else must be refused with a message that says what was found and what is expected.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import re
import unicodedata
from dataclasses import dataclass
from typing import ClassVar

from capacity.framework import LEVELS, Framework
from capacity.i18n import LANGUAGES, N_, Message, variants
from capacity.questionnaire import layout

MSG_NOT_A_LEVEL = N_('"{found}" is not a level. Choose 0–5 or N/A from the list.')
MSG_OUT_OF_RANGE = N_('"{found}" is out of range: levels go from 0 to 5. Choose 0–5 or N/A from the list.')
MSG_NOT_ON_SCALE = N_(
    '"{found}" is not on the scale: levels are whole numbers from 0 to 5. Choose 0–5 or N/A from the list.'
)
MSG_NAME_MISMATCH = N_(
    '"{found}" is not a level: the number and the name do not match. Choose 0–5 or N/A from the list.'
)
NOT_APPLICABLE_WORDS = N_("Not applicable")  # the long form, also accepted in a Level cell
_ASCII_NA = ("na", "n/a", "n.a.", "n a", "n-a")

_DASHES = str.maketrans({c: "-" for c in "‐‑‒–—―−﹘﹣－"})
# Arabic-Indic (٠–٩) and Extended Arabic-Indic (۰–۹, Persian and Urdu) digits, the Arabic
# decimal and thousands separators, tatweel (the letter-stretching ـ) and the invisible
# direction marks that right-to-left editors insert around numbers.
_WESTERN = str.maketrans(
    {
        **{chr(0x0660 + d): str(d) for d in range(10)},
        **{chr(0x06F0 + d): str(d) for d in range(10)},
        "\u066b": ".",
        "\u066c": ",",
        **dict.fromkeys(["\u0640", "\u061c", "\u200e", "\u200f", *map(chr, range(0x202A, 0x202F))], None),
        **dict.fromkeys(map(chr, range(0x2066, 0x206A)), None),
    }
)
_NUMBERED = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*(?:[-:.)]\s*(.*))?")
_MAX_SHOWN = 60
# Labels, headers and level names recur in every file of a batch, so their folded keys and
# the level they mean are remembered; only texts this short are, so the memory stays small
# whatever a hostile file holds.
MEMO_MAX_LENGTH = 100
MEMO_ENTRIES = 4096


def western_digits(text: str) -> str:
    """`text` with Arabic-Indic digits as 0–9 and direction marks and tatweel removed: "٢٠٢٥" → "2025"."""
    return text.translate(_WESTERN)


def fold(text: str) -> str:
    """`_fold`, remembered for short texts (the same labels come back in every file)."""
    return _fold_memo(text) if len(text) <= MEMO_MAX_LENGTH else _fold(text)


def _fold(text: str) -> str:
    """A comparison key that ignores case, accents, spacing, Turkish dotted/dotless i and Arabic
    vowel marks, hamza seats and digit shapes.

    "İleri", "ileri" and "ILERI" all give "ileri"; "Başlangıç" gives "baslangic"; "٣ – أولي"
    and "3 - اولي" give the same key (NFKD splits the hamza off its alif, then it is dropped).
    """
    if text.isascii():
        return " ".join(text.casefold().split())
    decomposed = unicodedata.normalize("NFKD", western_digits(text).replace("ı", "i"))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


_fold_memo = functools.lru_cache(maxsize=MEMO_ENTRIES)(_fold)


def _compact(key: str) -> str:
    """A folded key without punctuation or spaces: 'n/a', 'N.A.' and 'NA' all give 'na'."""
    return re.sub(r"[\W_]+", "", key)


def shown(value: object) -> str:
    """How a cell value is quoted back to the person: 3.0 as 3, long text cut short."""
    if isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, float) and value.is_integer():
        text = str(int(value))
    elif isinstance(value, float):
        text = f"{value:g}"
    elif isinstance(value, dt.datetime | dt.date | dt.time):
        text = value.isoformat()
    else:
        text = " ".join(str(value).split())
    return text if len(text) <= _MAX_SHOWN else text[: _MAX_SHOWN - 1] + "…"


@dataclass(frozen=True)
class LevelAnswer:
    """A Level cell understood: a level, not applicable, blank, or a problem to report."""

    level: int | None = None
    not_applicable: bool = False
    problem: Message | None = None

    @property
    def is_blank(self) -> bool:
        return self.level is None and not self.not_applicable and self.problem is None


BLANK = LevelAnswer()
NOT_APPLICABLE = LevelAnswer(not_applicable=True)


class LevelReader:
    """Understands Level cells for one framework, in every language it is written in."""

    def __init__(self, framework: Framework) -> None:
        self._names: dict[str, int] = {}
        self._names_of: dict[int, set[str]] = {level: set() for level in LEVELS}
        for level in LEVELS:
            for lang in LANGUAGES:
                key = fold(framework.level_name(level, lang).translate(_DASHES))
                self._names[key] = level
                self._names_of[level].add(key)
        spellings = set(_ASCII_NA) | variants(layout.NOT_APPLICABLE) | variants(NOT_APPLICABLE_WORDS)
        self._not_applicable = {_compact(fold(text)) for text in spellings} - {""}
        # What each short text or number met so far means (answers are immutable, so shared).
        self._memo: dict[tuple[type, object], LevelAnswer] = {}

    _made: ClassVar[dict[int, tuple[Framework, LevelReader]]] = {}

    @classmethod
    def of(cls, framework: Framework) -> LevelReader:
        """The reader of this framework object, made once: every file of a batch needs the same one.

        Keyed by identity, with the framework kept alive so its id is never reused; hashing
        a whole framework would cost as much as building the reader.
        """
        made = cls._made.get(id(framework))
        if made is None:
            if len(cls._made) >= 32:  # a handful of frameworks are in use; tests make more
                cls._made.clear()
            made = cls._made[id(framework)] = (framework, cls(framework))
        return made[1]

    def read(self, value: object) -> LevelAnswer:
        """What a Level cell holds, as python-calamine returns it (numbers always as float).

        The same few spellings fill the Level column of every file, so each short one is
        understood once (keyed by type too: 1.0 and True are equal but mean different things).
        """
        if value is None:
            return BLANK
        if isinstance(value, str) and len(value) > MEMO_MAX_LENGTH:
            return self._read(value)
        key = (type(value), value)
        found = self._memo.get(key)
        if found is None:
            if len(self._memo) >= MEMO_ENTRIES:
                self._memo.clear()
            found = self._memo[key] = self._read(value)
        return found

    def _read(self, value: object) -> LevelAnswer:
        if value is None or isinstance(value, bool | dt.date | dt.time | dt.timedelta):
            return BLANK if value is None else self._refuse(MSG_NOT_A_LEVEL, value)
        if isinstance(value, int | float):
            return self._number(float(value), value)
        text = str(value)
        key = fold(text.translate(_DASHES))
        if not key:
            return BLANK
        if _compact(key) in self._not_applicable:
            return NOT_APPLICABLE
        if key in self._names:
            return LevelAnswer(level=self._names[key])
        numbered = _NUMBERED.fullmatch(key)
        if numbered is None:
            return self._refuse(MSG_NOT_A_LEVEL, text)
        answer = self._number(float(numbered.group(1).replace(",", ".")), text)
        name = (numbered.group(2) or "").strip()
        if answer.level is not None and name and name not in self._names_of[answer.level]:
            return self._refuse(MSG_NAME_MISMATCH, text)
        return answer

    def _number(self, number: float, original: object) -> LevelAnswer:
        if not math.isfinite(number) or not number.is_integer():
            return self._refuse(MSG_NOT_ON_SCALE, original)
        if int(number) not in LEVELS:
            return self._refuse(MSG_OUT_OF_RANGE, original)
        return LevelAnswer(level=int(number))

    @staticmethod
    def _refuse(msgid: str, value: object) -> LevelAnswer:
        return LevelAnswer(problem=Message(msgid, {"found": shown(value)}))
