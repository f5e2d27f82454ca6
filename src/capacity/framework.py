"""The capacity framework (dimensions → indicators → level descriptors), loaded from data.

The framework lives in `data/framework.yaml`, not in code, so experts can revise it and
every questionnaire and stored assessment can name the exact id and version it used.
`load_framework` validates the file and reports every problem at once.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, cached_property
from pathlib import Path
from typing import Any

import yaml

from capacity.i18n import DEFAULT_LANGUAGE, LANGUAGES, normalise_language

DATA_DIR = Path(__file__).parent / "data"
FRAMEWORK_PATH = DATA_DIR / "framework.yaml"
DIMENSION_CODES = ("IC", "IL", "II", "TM", "SM", "SD")
LEVELS = (0, 1, 2, 3, 4, 5)
MIN_INDICATORS_PER_DIMENSION, MAX_INDICATORS_PER_DIMENSION = 5, 8
MIN_INDICATORS, MAX_INDICATORS = 30, 45


class FrameworkError(ValueError):
    """The framework or roadmap file is wrong; the message lists every problem found."""

    def __init__(self, path: Path | str, problems: list[str]) -> None:
        self.path = str(path)
        self.problems = problems
        listing = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"{path} is not a valid file ({len(problems)} problem(s)):\n{listing}")


@dataclass(frozen=True)
class LocalText:
    """A text written in every supported language."""

    en: str
    tr: str
    ar: str

    def __call__(self, lang: str) -> str:
        return getattr(self, normalise_language(lang))


@dataclass(frozen=True)
class Level:
    level: int
    name: LocalText


@dataclass(frozen=True)
class Indicator:
    code: str
    dimension: str
    weight: float
    title: LocalText
    question: LocalText
    descriptors: tuple[LocalText, ...]
    evidence: LocalText
    source: LocalText


@dataclass(frozen=True)
class Dimension:
    code: str
    weight: float
    name: LocalText
    description: LocalText
    indicators: tuple[Indicator, ...]


@dataclass(frozen=True)
class Framework:
    id: str
    version: str
    title: LocalText
    levels: tuple[Level, ...]
    dimensions: tuple[Dimension, ...]

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        return tuple(ind for dim in self.dimensions for ind in dim.indicators)

    def indicator(self, code: str) -> Indicator:
        return self._indicators_by_code[code]

    def dimension(self, code: str) -> Dimension:
        return self._dimensions_by_code[code]

    @cached_property
    def _indicators_by_code(self) -> dict[str, Indicator]:
        return {ind.code: ind for ind in self.indicators}

    @cached_property
    def _dimensions_by_code(self) -> dict[str, Dimension]:
        return {dim.code: dim for dim in self.dimensions}

    def level_name(self, level: int, lang: str) -> str:
        return self.levels[level].name(lang)

    def level_label(self, level: int, lang: str) -> str:
        """The dropdown text of a level, e.g. `3 – Established`."""
        return f"{level} – {self.level_name(level, lang)}"


class ProblemCollector:
    """Collects problems while walking the raw YAML, so all of them are reported together.

    `stored`: the document was accepted earlier and kept in a database, perhaps before a
    language was added to the app (an admin's version with English and Turkish only, from
    before Arabic). Refusing it now would leave that installation without its active
    framework, so a text missing in a language other than English shows the English one.
    A new version is always checked strictly: every language, every text.
    """

    def __init__(self, stored: bool = False) -> None:
        self.problems: list[str] = []
        self.stored = stored

    def text(self, raw: Any, where: str) -> LocalText:
        if not isinstance(raw, dict):
            self.problems.append(f"{where}: expected a text in every language ({', '.join(LANGUAGES)})")
            return LocalText(**dict.fromkeys(LANGUAGES, ""))
        texts = {lang: str(raw.get(lang) or "").strip() for lang in LANGUAGES}
        for lang in LANGUAGES:
            if texts[lang]:
                continue
            if self.stored and lang != DEFAULT_LANGUAGE and texts[DEFAULT_LANGUAGE]:
                texts[lang] = texts[DEFAULT_LANGUAGE]
            else:
                self.problems.append(f"{where}: the '{lang}' text is missing or empty")
        return LocalText(**texts)

    def weight(self, raw: Any, where: str) -> float:
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not raw > 0:
            self.problems.append(f"{where}: weight must be a positive number, found {raw!r}")
            return 1.0
        return float(raw)


def _iter_list(raw: Any, where: str, checker: ProblemCollector) -> Iterator[tuple[int, dict[str, Any]]]:
    if not isinstance(raw, list):
        checker.problems.append(f"{where}: expected a list")
        return
    for position, item in enumerate(raw):
        if isinstance(item, dict):
            yield position, item
        else:
            checker.problems.append(f"{where}[{position}]: expected a mapping")


def parse_framework(raw: Any, path: Path | str = "<framework>", stored: bool = False) -> Framework:
    """Build a Framework from parsed YAML, raising FrameworkError listing every problem.

    `stored`: a version kept in the database, read again (see `ProblemCollector`).
    """
    check = ProblemCollector(stored)
    if not isinstance(raw, dict):
        raise FrameworkError(path, ["the file must hold a mapping with id, version, scale and dimensions"])
    for key in ("id", "version"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            check.problems.append(f"'{key}' is missing or empty")

    levels = []
    for pos, item in _iter_list(raw.get("scale"), "scale", check):
        levels.append(Level(level=item.get("level"), name=check.text(item.get("name"), f"scale[{pos}].name")))
    if [lv.level for lv in levels] != list(LEVELS):
        check.problems.append("scale: must list levels 0, 1, 2, 3, 4, 5 in order")

    dimensions: list[Dimension] = []
    seen_codes: set[str] = set()
    for dpos, draw in _iter_list(raw.get("dimensions"), "dimensions", check):
        dcode = str(draw.get("code", f"#{dpos}"))
        where = f"dimension {dcode}"
        if dcode in seen_codes:
            check.problems.append(f"{where}: duplicated code")
        seen_codes.add(dcode)
        indicators: list[Indicator] = []
        for ipos, iraw in _iter_list(draw.get("indicators"), f"{where}.indicators", check):
            icode = str(iraw.get("code", f"{dcode}.#{ipos}"))
            iwhere = f"indicator {icode}"
            if icode in seen_codes:
                check.problems.append(f"{iwhere}: duplicated code")
            seen_codes.add(icode)
            if not icode.startswith(f"{dcode}."):
                check.problems.append(f"{iwhere}: code must start with '{dcode}.'")
            descriptors_raw = iraw.get("descriptors")
            if not isinstance(descriptors_raw, list) or len(descriptors_raw) != len(LEVELS):
                count = len(descriptors_raw) if isinstance(descriptors_raw, list) else 0
                check.problems.append(f"{iwhere}: needs exactly 6 level descriptors (0–5), found {count}")
                descriptors_raw = (
                    (descriptors_raw or [])[: len(LEVELS)] if isinstance(descriptors_raw, list) else []
                )
            indicators.append(
                Indicator(
                    code=icode,
                    dimension=dcode,
                    weight=check.weight(iraw.get("weight", 1), iwhere),
                    title=check.text(iraw.get("title"), f"{iwhere}.title"),
                    question=check.text(iraw.get("question"), f"{iwhere}.question"),
                    descriptors=tuple(
                        check.text(d, f"{iwhere}.descriptors[{n}]") for n, d in enumerate(descriptors_raw)
                    ),
                    evidence=check.text(iraw.get("evidence"), f"{iwhere}.evidence"),
                    source=check.text(iraw.get("source"), f"{iwhere}.source"),
                )
            )
        if not MIN_INDICATORS_PER_DIMENSION <= len(indicators) <= MAX_INDICATORS_PER_DIMENSION:
            check.problems.append(
                f"{where}: needs {MIN_INDICATORS_PER_DIMENSION} to {MAX_INDICATORS_PER_DIMENSION} "
                f"indicators, found {len(indicators)}"
            )
        dimensions.append(
            Dimension(
                code=dcode,
                weight=check.weight(draw.get("weight", 1), where),
                name=check.text(draw.get("name"), f"{where}.name"),
                description=check.text(draw.get("description"), f"{where}.description"),
                indicators=tuple(indicators),
            )
        )

    found = tuple(d.code for d in dimensions)
    missing = [c for c in DIMENSION_CODES if c not in found]
    extra = [c for c in found if c not in DIMENSION_CODES]
    if missing:
        check.problems.append(f"dimensions: missing {', '.join(missing)} (all six sub-themes are required)")
    if extra:
        check.problems.append(f"dimensions: unknown code(s) {', '.join(extra)}; expected {DIMENSION_CODES}")
    total = sum(len(d.indicators) for d in dimensions)
    if not MIN_INDICATORS <= total <= MAX_INDICATORS:
        check.problems.append(
            f"the framework needs {MIN_INDICATORS} to {MAX_INDICATORS} indicators, found {total}"
        )
    if check.problems:
        raise FrameworkError(path, check.problems)
    return Framework(
        id=raw["id"].strip(),
        version=raw["version"].strip(),
        title=check.text(raw.get("title"), "title"),
        levels=tuple(levels),
        dimensions=tuple(sorted(dimensions, key=lambda d: DIMENSION_CODES.index(d.code))),
    )


def read_yaml(path: Path) -> Any:
    """Parse a YAML data file, turning syntax errors into a FrameworkError naming the line."""
    try:
        with path.open(encoding="utf-8") as handle:
            return yaml.safe_load(handle)
    except FileNotFoundError as exc:
        raise FrameworkError(path, ["the file does not exist"]) from exc
    except yaml.YAMLError as exc:
        raise FrameworkError(path, [f"not valid YAML: {exc}"]) from exc


def load_framework(path: Path | str = FRAMEWORK_PATH) -> Framework:
    """Read and validate a framework file."""
    path = Path(path)
    return parse_framework(read_yaml(path), path)


@cache
def bundled_framework() -> Framework:
    """The framework shipped in `data/framework.yaml` (loaded once per process)."""
    return load_framework()


_active_framework: Framework | None = None


def use_framework(framework: Framework | None) -> None:
    """Make `framework` the one `current_framework()` returns in this process; None: the bundled one.

    An admin can activate another framework version stored in the database
    (`capacity.versions`); opening a store installs its active version here, so every
    caller of `current_framework()` follows without being handed the store.
    """
    global _active_framework
    _active_framework = framework


def current_framework() -> Framework:
    """The framework this installation uses: the activated version, else the bundled one."""
    return _active_framework or bundled_framework()
