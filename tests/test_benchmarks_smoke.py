"""The benchmark suite (`make bench`) at a toy size, so its machinery cannot rot unnoticed.

Only the machinery is checked: every stage runs, the table and results.json have every
row with a figure, and the targets are attached. No timing is asserted: the figures of
a toy run on a busy machine mean nothing. The browser stage needs a server and Chromium
(tens of seconds), so only its fallback without a browser runs here.
"""

from __future__ import annotations

import json
import os
import sqlite3
from contextlib import closing

import pytest

from benchmarks import browser, bulk, datasets, scale
from benchmarks.datasets import Portfolio
from benchmarks.measure import INFO, MISS, PASS, SKIP, Progress, Row, format_value, table
from benchmarks.suite import PRESETS, STAGES, default_out, main, parse_stages
from tests.conftest import IN_CI
from tests.store_support import POSTGRES_ENV


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
    assert parse_stages("scale") == ["scale"] and "scale" not in STAGES  # opt-in: not in a plain run
    assert default_out(PRESETS["full"], ["scale"]).name == "results-scale.json"
    with pytest.raises(Exception, match="choose from"):
        parse_stages("nonsense")
    assert default_out(PRESETS["full"], STAGES).name == "results.json"
    assert default_out(PRESETS["quick"], STAGES).parent.name == "work"  # a quick run never overwrites it


def test_the_scale_stage_runs_both_back_ends_at_toy_size(tmp_path, monkeypatch) -> None:
    """Built by the bulk generator, measured on SQLite and, where a server is configured, PostgreSQL."""
    out = tmp_path / "scale.json"
    server = os.environ.get(POSTGRES_ENV)
    if server is None:
        if IN_CI:
            pytest.fail(f"{POSTGRES_ENV} is mandatory in CI")
        monkeypatch.setattr(scale, "_pg_bin", lambda: None)  # no throwaway cluster in a unit test
        monkeypatch.delenv(scale.POSTGRES_URL_VARIABLE, raising=False)
    arguments = ["--preset", "smoke", "--only", "scale", "--out", str(out)]
    assert main(arguments + (["--postgres-url", server] if server else [])) == 0

    results = json.loads(out.read_text(encoding="utf-8"))
    rows = {row["name"]: row for row in results["rows"]}
    small, large = PRESETS["smoke"].scale
    for backend in (scale.SQLITE, *([scale.POSTGRESQL] if server else [])):
        for page in ("Overview", "Profile", "Benchmark", "Roadmap"):
            cold = rows[f"{backend}: {page} cold, {large} orgs"]
            assert cold["value"] > 0 and cold["limit"] == scale.COLD_LIMIT
            assert rows[f"{backend}: {page} warm, {large} orgs"]["limit"] == scale.WARM_LIMIT
            growth = rows[f"{backend}: {page} cold, time growth {large}/{small} orgs"]
            assert growth["limit"] == large / small
        assert rows[f"{backend}: peak memory (RSS), {large} orgs"]["limit"] == scale.MEMORY_LIMIT
        assert results["details"]["scale"][backend][str(large)]["organisations"] == large
    if not server:
        skipped = rows[f"{scale.POSTGRESQL}: every page at {small} and {large} orgs"]
        assert skipped["status"] == SKIP and "no PostgreSQL binaries" in skipped["skipped"]
    sizes = results["details"]["scale"]["sizes"]
    assert sizes[str(large)]["organisations"] == large and sizes[str(large)]["responses"] > 0


def test_the_bulk_portfolio_holds_what_ingestion_stores(tmp_path) -> None:
    """The first organisations of the bulk generator score exactly as through `ingest_submission`."""
    ingested = datasets.build_portfolio(tmp_path / "ingested.db", 3, bulk.BENCH_DAY)
    built = bulk.cached_sqlite(tmp_path / "bulk", 3, workers=1)
    columns = (
        "r.organisation_id, r.year, r.respondents, r.index_score, r.index_status, r.answered, r.evidenced"
    )
    queries = {
        "results": f"SELECT {columns} FROM assessment_results r ORDER BY 1, 2",
        "indicators": "SELECT a.organisation_id, a.year, i.code, i.level, i.spread, i.respondents"
        " FROM indicator_results i JOIN assessments a ON a.id = i.assessment_id ORDER BY 1, 2, 3",
        "answers": "SELECT a.organisation_id, a.year, s.respondent_name, s.status, r.code, r.level,"
        " r.evidence"
        " FROM responses r JOIN submissions s ON s.id = r.submission_id JOIN assessments a"
        " ON a.id = s.assessment_id ORDER BY 1, 2, 3, 5",
    }
    for name, sql in queries.items():
        with closing(sqlite3.connect(ingested.path)) as a, closing(sqlite3.connect(built.url[10:])) as b:
            assert a.execute(sql).fetchall() == b.execute(sql).fetchall(), name
    assert (built.organisations, built.assessments) == (ingested.organisations, ingested.assessments)
    assert bulk.cached_sqlite(tmp_path / "bulk", 3, workers=1) == built  # the second time from the cache
