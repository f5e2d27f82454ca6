"""The machine the figures came from: a benchmark without it cannot be compared with anything."""

from __future__ import annotations

import datetime as dt
import os
import platform
import subprocess
from importlib import metadata
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = (
    "SQLAlchemy",
    "pandas",
    "plotly",
    "python-calamine",
    "openpyxl",
    "streamlit",
    "fpdf2",
    "matplotlib",
    "playwright",
)


def _proc_field(path: str, name: str) -> str | None:
    """The value of the first `name: value` line of a /proc file (Linux), None elsewhere."""
    try:
        for line in Path(path).read_text().splitlines():
            key, _, value = line.partition(":")
            if key.strip() == name:
                return value.strip()
    except OSError:
        return None
    return None


def _ram_gb() -> float | None:
    total = _proc_field("/proc/meminfo", "MemTotal")  # "24576000 kB"
    if total:
        return round(int(total.split()[0]) / 1024 / 1024, 1)
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        return None


def _git_commit() -> str | None:
    try:
        found = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return found.stdout.strip() or None


def _version(package: str) -> str | None:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return None


def load_average() -> list[float] | None:
    """1, 5 and 15-minute load: other work on the machine shows here."""
    try:
        return [round(value, 2) for value in os.getloadavg()]
    except OSError:
        return None


def describe() -> dict[str, Any]:
    """CPU model, cores, RAM, Python, the date and the load when the suite started."""
    return {
        "cpu_model": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or platform.machine(),
        "cores": os.cpu_count(),
        "usable_cores": len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count(),
        "ram_gb": _ram_gb(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "load_average_at_start": load_average(),
        "git_commit": _git_commit(),
        "packages": {package: _version(package) for package in PACKAGES},
    }


def summary(machine: dict[str, Any]) -> str:
    """One line for the top of the table."""
    load = machine.get("load_average_at_start")
    return (
        f"{machine['cpu_model']}, {machine['usable_cores']} cores, {machine['ram_gb']} GB RAM, "
        f"Python {machine['python']}, {machine['date']}" + (f", load {load[0]:.2f}" if load else "")
    )
