"""`python -m benchmarks`: make the data, run the stages, print the table, write results.json.

    python -m benchmarks [--quick] [--only STAGE[,STAGE]] [--out FILE] [--keep] [--strict]
                         [--postgres-url URL]

A full run (no --quick, no --only) writes `benchmarks/results.json`, the file the README's
Performance section quotes, and `--only scale` (the opt-in scale stage, `make bench-scale`)
writes `benchmarks/results-scale.json`; other runs write under `benchmarks/work/` (git-ignored) unless
--out says otherwise, so a quick check never overwrites the reference figures. The exit
code is 0 when every stage ran, even with targets missed (a shared machine's figures
vary); --strict makes a missed target exit 1.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import os
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

from benchmarks import browser, dashboard, datasets, ingestion, machine, scale, scorecards
from benchmarks.measure import MISS, Progress, Row, table

STAGES = ("ingestion", "dashboard", "scorecards", "browser")  # what a run without --only does
OPT_IN = ("scale",)  # long (its first run builds 20,000 organisations): only with --only
BENCH_DIR = Path(__file__).resolve().parent
RESULTS = BENCH_DIR / "results.json"
SCALE_RESULTS = BENCH_DIR / "results-scale.json"  # a full `--only scale` run (README, "At scale")
WORK_DIR = BENCH_DIR / "work"


@dataclass(frozen=True)
class Preset:
    """How big and how often: the issue's sizes, a quick look, or the smoke test's toy run."""

    name: str
    files: int  # questionnaires ingested
    small: int  # organisations of the small portfolio
    large: int  # organisations of the large portfolio (the targets' size)
    batch: int  # PDFs in the batch
    repeats: int  # runs per measurement (ingestion, dashboard, one scorecard)
    slow_repeats: int  # runs of the slow measurements (CLI, batch, browser)
    scale: tuple[int, int] = (2000, 20000)  # organisations of the scale stage's two sizes
    scale_repeats: int = 1  # cold and warm runs per page in the scale stage (each cold 20,000 is long)


PRESETS = {
    "full": Preset("full", files=1000, small=200, large=2000, batch=100, repeats=5, slow_repeats=3),
    "quick": Preset(
        "quick", files=100, small=20, large=200, batch=20, repeats=2, slow_repeats=1, scale=(200, 2000)
    ),
    "smoke": Preset(
        "smoke", files=3, small=2, large=4, batch=2, repeats=1, slow_repeats=1, scale=(2, 4), scale_repeats=1
    ),
}


class Workspace:
    """The generated data in one temporary directory, made when a stage first needs it."""

    def __init__(self, root: Path, preset: Preset, progress: Progress) -> None:
        self.root = root
        self.preset = preset
        self.progress = progress
        self.today = dt.date.today()  # one day for all data, even across midnight
        self.cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
        self.postgres_url: str | None = None  # the scale stage's server (None: its own choice)

    @cached_property
    def files(self) -> list[Path]:
        count = self.preset.files
        self.progress("data", f"writing {count} demo questionnaires (.xlsx) on {self.cores} processes")
        return datasets.write_questionnaires(
            self.root / "questionnaires",
            count,
            self.today,
            self.cores,
            lambda message: self.progress("data", message),
        )

    def _portfolio(
        self, name: str, organisations: int, grow_from: datasets.Portfolio | None
    ) -> datasets.Portfolio:
        directory = self.root / name
        directory.mkdir(parents=True, exist_ok=True)
        self.progress("data", f"storing a demo portfolio of {organisations} organisations")
        return datasets.build_portfolio(
            directory / "capacity.db",
            organisations,
            self.today,
            lambda message: self.progress("data", message),
            grow_from=grow_from,
        )

    @cached_property
    def small(self) -> datasets.Portfolio:
        return self._portfolio("small", self.preset.small, None)

    @cached_property
    def large(self) -> datasets.Portfolio:
        return self._portfolio("large", self.preset.large, self.small)

    @property
    def scale_cache(self) -> Path:
        """Where the scale stage keeps its databases: across runs, except a smoke run's toy ones."""
        return self.root / "scale" if self.preset.name == "smoke" else WORK_DIR / "scale"

    def portfolios(self) -> dict[str, dict[str, int]]:
        """Sizes of the portfolios this run made (for results.json)."""
        made = {name: self.__dict__[name] for name in ("small", "large") if name in self.__dict__}
        return {
            name: {
                "organisations": p.organisations,
                "assessments": p.assessments,
                "submissions": p.submissions,
            }
            for name, p in made.items()
        }


def _data_directory(keep: bool) -> contextlib.AbstractContextManager[str]:
    """A temporary directory, removed at the end unless it is to be kept."""
    if keep:
        return contextlib.nullcontext(tempfile.mkdtemp(prefix="capacity-bench-"))
    return tempfile.TemporaryDirectory(prefix="capacity-bench-")


def run_stage(stage: str, work: Workspace, progress: Progress) -> tuple[list[Row], dict[str, Any]]:
    preset = work.preset
    if stage == "ingestion":
        scratch = work.root / "ingestion"
        scratch.mkdir(exist_ok=True)
        return ingestion.run(work.files, preset.slow_repeats, scratch, progress), {}
    if stage == "dashboard":
        return dashboard.run(work.small, work.large, preset.repeats, progress)
    if stage == "scorecards":
        return scorecards.run(work.large, preset.repeats, preset.batch, preset.slow_repeats, progress), {}
    if stage == "browser":
        return browser.run(work.large, preset.slow_repeats, progress), {}
    if stage == "scale":
        return scale.run(
            work.scale_cache, preset.scale, preset.scale_repeats, work.cores, progress, work.postgres_url
        )
    raise ValueError(f"unknown stage {stage!r}")


def parse_stages(text: str) -> list[str]:
    chosen = [part.strip() for part in text.replace("|", ",").split(",") if part.strip()]
    unknown = [stage for stage in chosen if stage not in STAGES + OPT_IN]
    if unknown or not chosen:
        raise argparse.ArgumentTypeError(f"choose from {', '.join(STAGES + OPT_IN)}; got {text!r}")
    return chosen


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument(
        "--quick", action="store_true", help="smaller data and fewer repeats (about a tenth of the sizes)"
    )
    parser.add_argument(
        "--preset", choices=sorted(PRESETS), help=argparse.SUPPRESS
    )  # the smoke test's toy size
    parser.add_argument(
        "--only", type=parse_stages, metavar="STAGE", help=f"comma-separated: {', '.join(STAGES + OPT_IN)}"
    )
    parser.add_argument(
        "--postgres-url",
        help=f"PostgreSQL server for the scale stage (default: ${scale.POSTGRES_URL_VARIABLE}, "
        "else a throwaway cluster when PostgreSQL is installed)",
    )
    parser.add_argument("--out", type=Path, help="where to write the results (JSON)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data and print where it is")
    parser.add_argument("--strict", action="store_true", help="exit 1 when a target is missed")
    return parser


def default_out(preset: Preset, stages: Sequence[str]) -> Path:
    if preset.name == "full" and list(stages) == list(STAGES):
        return RESULTS
    if preset.name == "full" and list(stages) == list(OPT_IN):
        return SCALE_RESULTS
    return WORK_DIR / f"results-{preset.name}-{'-'.join(stages)}.json"


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    preset = PRESETS[args.preset or ("quick" if args.quick else "full")]
    stages = args.only or list(STAGES)
    out = args.out or default_out(preset, stages)
    progress = Progress()
    described = machine.describe()
    progress("suite", f"{preset.name} run of {', '.join(stages)} on {machine.summary(described)}")
    started = time.perf_counter()
    rows: list[Row] = []
    details: dict[str, Any] = {}
    with _data_directory(args.keep) as directory:
        work = Workspace(Path(directory), preset, progress)
        work.postgres_url = args.postgres_url
        for stage in stages:
            stage_started = time.perf_counter()
            found, extra = run_stage(stage, work, progress)
            rows.extend(found)
            details[stage] = {**extra, "seconds": round(time.perf_counter() - stage_started, 1)}
            progress(stage, f"done in {details[stage]['seconds']} s")
    described["load_average_at_end"] = machine.load_average()
    results = {
        "preset": preset.__dict__,
        "stages": stages,
        "machine": described,
        "portfolios": work.portfolios(),
        "seconds": round(time.perf_counter() - started, 1),
        "rows": [row.as_dict() for row in rows],
        "details": details,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"Machine: {machine.summary(described)}")
    print(table(rows))
    progress("suite", f"results written to {out}" + (f"; data kept in {work.root}" if args.keep else ""))
    return 1 if args.strict and any(row.status == MISS for row in rows) else 0
