"""The 2015–2023–2053 roadmap: milestone targets per dimension and for the index, as data.

Only the targets live here; expectations and gaps between milestones are computed by the
scoring engine (`capacity.scoring`), the one place numbers are made.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from capacity.framework import (
    DATA_DIR,
    DIMENSION_CODES,
    FrameworkError,
    LocalText,
    ProblemCollector,
    read_yaml,
)

ROADMAP_PATH = DATA_DIR / "roadmap.yaml"
MILESTONE_YEARS = (2015, 2023, 2053)
INDEX = "index"
TARGETS = (INDEX, *DIMENSION_CODES)


@dataclass(frozen=True)
class Milestone:
    year: int
    label: LocalText
    targets: dict[str, float]


@dataclass(frozen=True)
class Roadmap:
    id: str
    version: str
    milestones: tuple[Milestone, ...]

    @property
    def years(self) -> tuple[int, ...]:
        return tuple(m.year for m in self.milestones)

    def target(self, target: str, year: int) -> float:
        """The milestone target of `target` (a dimension code or 'index') in a milestone year."""
        for milestone in self.milestones:
            if milestone.year == year:
                return milestone.targets[target]
        raise KeyError(f"{year} is not a milestone year; milestones are {self.years}")

    @property
    def vision_year(self) -> int:
        return self.milestones[-1].year


def parse_roadmap(raw: Any, path: Path | str = "<roadmap>", stored: bool = False) -> Roadmap:
    """Build a Roadmap from parsed YAML, raising FrameworkError listing every problem.

    `stored`: a version kept in the database, read again (see `framework.ProblemCollector`).
    """
    check = ProblemCollector(stored)
    if not isinstance(raw, dict):
        raise FrameworkError(path, ["the file must hold a mapping with id, version and milestones"])
    for key in ("id", "version"):
        if not isinstance(raw.get(key), str) or not raw[key].strip():
            check.problems.append(f"'{key}' is missing or empty")
    milestones: list[Milestone] = []
    raw_milestones = raw.get("milestones")
    if not isinstance(raw_milestones, list):
        raise FrameworkError(path, [*check.problems, "milestones: expected a list"])
    for pos, item in enumerate(raw_milestones):
        if not isinstance(item, dict):
            check.problems.append(f"milestones[{pos}]: expected a mapping")
            continue
        year = item.get("year")
        where = f"milestone {year}"
        targets_raw = item.get("targets")
        targets: dict[str, float] = {}
        if not isinstance(targets_raw, dict):
            check.problems.append(f"{where}: targets must map {', '.join(TARGETS)} to numbers")
            targets_raw = {}
        for name in TARGETS:
            value = targets_raw.get(name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                check.problems.append(f"{where}: target '{name}' is missing or not a number")
            elif not 0 <= value <= 100:
                check.problems.append(f"{where}: target '{name}' = {value} is outside 0–100")
            else:
                targets[name] = float(value)
        for name in targets_raw:
            if name not in TARGETS:
                check.problems.append(f"{where}: unknown target '{name}'")
        milestones.append(
            Milestone(year=year, label=check.text(item.get("label"), f"{where}.label"), targets=targets)
        )
    if tuple(m.year for m in milestones) != MILESTONE_YEARS:
        found = ", ".join(str(m.year) for m in milestones)
        check.problems.append(f"milestones: must be the years {MILESTONE_YEARS} in order, found {found}")
    if check.problems:
        raise FrameworkError(path, check.problems)
    return Roadmap(id=raw["id"].strip(), version=raw["version"].strip(), milestones=tuple(milestones))


def load_roadmap(path: Path | str = ROADMAP_PATH) -> Roadmap:
    """Read and validate a roadmap file."""
    path = Path(path)
    return parse_roadmap(read_yaml(path), path)


@cache
def bundled_roadmap() -> Roadmap:
    """The roadmap shipped in `data/roadmap.yaml` (loaded once per process)."""
    return load_roadmap()


_active_roadmap: Roadmap | None = None


def use_roadmap(roadmap: Roadmap | None) -> None:
    """Make `roadmap` the one `current_roadmap()` returns in this process; None: the bundled one.

    Like `framework.use_framework`: opening a store installs its activated roadmap version.
    """
    global _active_roadmap
    _active_roadmap = roadmap


def current_roadmap() -> Roadmap:
    """The roadmap this installation uses: the activated version, else the bundled one."""
    return _active_roadmap or bundled_roadmap()
