"""Timing, result rows and progress lines shared by the stages.

Every figure is a median of several runs, because a single run on a shared two-core
machine says more about the neighbours than about the code. A row carries its samples
too, so results.json shows how much the runs scattered.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any

PASS, MISS, INFO, SKIP = "PASS", "MISS", "INFO", "SKIP"

SECONDS, PER_SECOND, TIMES, MEGABYTES = "s", "files/s", "x", "MB"


@dataclass(frozen=True)
class Row:
    """One line of the table: a median and, when the issue sets one, the upper limit it must stay under."""

    stage: str
    name: str
    value: float | None  # the median; None when the measurement could not be made
    unit: str
    limit: float | None = None  # None: reported without a target
    samples: tuple[float, ...] = ()
    note: str = ""
    skipped: str = ""  # why it was not measured

    @property
    def ratio(self) -> float | None:
        """value ÷ limit: at most 1 meets the target."""
        if self.value is None or self.limit is None:
            return None
        return self.value / self.limit

    @property
    def status(self) -> str:
        if self.skipped or self.value is None:
            return SKIP
        if self.limit is None:
            return INFO
        return PASS if self.value <= self.limit else MISS

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "samples": list(self.samples), "ratio": self.ratio, "status": self.status}


def median(samples: Sequence[float]) -> float:
    return float(statistics.median(samples))


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    """Seconds one call took, and what it returned."""
    start = time.perf_counter()
    result = action()
    return time.perf_counter() - start, result


def repeat(action: Callable[[], Any], repeats: int) -> list[float]:
    """Seconds each of `repeats` calls took."""
    return [timed(action)[0] for _ in range(repeats)]


@dataclass
class Progress:
    """Progress lines on stderr, one per step, with the time since the suite started."""

    started: float = field(default_factory=time.perf_counter)
    stream: Any = None

    def __call__(self, stage: str, message: str) -> None:
        elapsed = time.perf_counter() - self.started
        print(f"[bench {elapsed:7.1f}s] {stage}: {message}", file=self.stream or sys.stderr, flush=True)


def format_value(value: float | None, unit: str) -> str:
    """A median as a person reads it: milliseconds below a second, one decimal for ratios."""
    if value is None:
        return "–"
    if unit == SECONDS:
        if value < 0.01:
            return f"{value * 1000:.2f} ms"
        return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"
    if unit == TIMES:
        return f"{value:.2f}×"
    if unit == MEGABYTES:
        return f"{value:.0f} MB"
    if unit == PER_SECOND:
        return f"{value:.0f} files/s" if value >= 10 else f"{value:.1f} files/s"
    return f"{value:g} {unit}"


def format_limit(row: Row) -> str:
    return "–" if row.limit is None else "≤ " + format_value(row.limit, row.unit)


def table(rows: Sequence[Row]) -> str:
    """The plain-text table `make bench` prints (also pasted into the README)."""
    header = ("Stage", "Measurement", "Median", "Target", "Ratio", "Result")
    lines = [
        (
            row.stage,
            row.name,
            format_value(row.value, row.unit),
            format_limit(row),
            "–" if row.ratio is None else f"{row.ratio:.2f}",
            row.status if not row.skipped else f"{SKIP} ({row.skipped})",
        )
        for row in rows
    ]
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *lines, strict=True)]

    def line(cells: Sequence[str]) -> str:
        return (
            "| "
            + " | ".join(str(cell).ljust(width) for cell, width in zip(cells, widths, strict=True))
            + " |"
        )

    rule = "|" + "|".join("-" * (width + 2) for width in widths) + "|"
    return "\n".join([line(header), rule, *(line(cells) for cells in lines)])
