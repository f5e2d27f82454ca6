"""The benchmark suite (`make bench`) at a toy size, so its machinery cannot rot unnoticed.

Only the machinery is checked: every stage runs, the table and results.json have every
row with a figure, and the targets are attached. No timing is asserted: the figures of
a toy run on a busy machine mean nothing. The browser stage needs a server and Chromium
(tens of seconds), so only its fallback without a browser runs here.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import browser
from benchmarks.datasets import Portfolio
from benchmarks.measure import INFO, MISS, PASS, SKIP, Progress, Row, format_value, table
from benchmarks.suite import PRESETS, STAGES, default_out, main, parse_stages


def test_the_suite_runs_its_stages_at_toy_size_and_writes_every_row(tmp_path, capsys) -> None:
    out = tmp_path / "results.json"
    assert main(["--preset", "smoke", "--only", "ingestion,dashboard,scorecards", "--out", str(out)]) == 0

    results = json.loads(out.read_text(encoding="utf-8"))
    rows = results["rows"]
    assert {row["stage"] for row in rows} == {"ingestion", "dashboard", "scorecards"}
    assert all(row["value"] is not None and row["value"] > 0 for row in rows), rows
    assert all(row["status"] in (PASS, MISS, INFO) for row in rows)
    names = {row["name"] for row in rows}
    for page in ("Overview", "Profile", "Benchmark", "Roadmap"):
        assert any(name.startswith(f"{page} cold") for name in names)
        assert any(name.startswith(f"{page} warm") for name in names)
    limits = {row["name"]: row["limit"] for row in rows}
    assert limits["ingest time ÷ calamine time"] == 5.0
    assert limits["ingest time ÷ pandas time"] == 0.33
    assert limits["one XLSX scorecard (query + draw)"] == 0.3
    assert limits["one PDF scorecard (query + draw)"] == 0.5
    for key in ("cpu_model", "cores", "ram_gb", "python", "date"):
        assert results["machine"][key]
    assert results["portfolios"]["large"]["organisations"] == PRESETS["smoke"].large

    printed = capsys.readouterr()
    assert "| Stage" in printed.out and "Machine:" in printed.out
    assert "ingestion: repeat 1/1" in printed.err  # a progress line per step, on stderr


def test_rows_compare_the_median_with_the_target() -> None:
    within = Row("s", "within", 0.2, "s", 0.3)
    over = Row("s", "over", 0.4, "s", 0.3)
    assert (within.status, over.status) == (PASS, MISS)
    assert within.ratio == pytest.approx(2 / 3)
    assert Row("s", "reported", 12.0, "files/s").status == INFO
    assert Row("s", "absent", None, "s", 3.0, skipped="no browser").status == SKIP
    assert format_value(0.1234, "s") == "123 ms" and format_value(2.5, "s") == "2.50 s"
    printed = table([within, over])
    assert "≤ 300 ms" in printed and "MISS" in printed


def test_the_browser_stage_is_skipped_with_its_reason_when_chromium_is_missing(monkeypatch, tmp_path) -> None:
    monkeypatch.setattr(browser, "CHROMIUM", str(tmp_path / "no-chromium"))
    portfolio = Portfolio(tmp_path / "capacity.db", organisations=1, assessments=1, submissions=1)
    rows = browser.run(portfolio, repeats=1, progress=Progress())
    assert [row.status for row in rows] == [SKIP, SKIP]
    assert "chromium" in rows[0].skipped


def test_stage_choice_and_where_results_go() -> None:
    assert parse_stages("ingestion|browser") == ["ingestion", "browser"]
    with pytest.raises(Exception, match="choose from"):
        parse_stages("nonsense")
    assert default_out(PRESETS["full"], STAGES).name == "results.json"
    assert default_out(PRESETS["quick"], STAGES).parent.name == "work"  # a quick run never overwrites it
