"""The PDF scorecard read back with pypdf, and rendered to PNG under test-artifacts/ for people to look at.

Its figures must be the engine's (as the scorecard prints them: one decimal, in the
reader's locale), Turkish text must come back intact, letter for letter (ı, İ, ğ, ş …),
and it must be made without a browser or a network. The PNG pages
(test-artifacts/scorecard-pdf-*.png) are for looking at after a run.
"""

from __future__ import annotations

import io
import subprocess
import sys
import threading
import zipfile
from concurrent.futures import Future

import pytest
from pypdf import PdfReader

from capacity.access import CLI_ADMIN
from capacity.cli import main
from capacity.export import batch as batch_module
from capacity.export.batch import (
    DRAWING,
    GATHERING,
    PDF,
    Step,
    batch_zip,
    draw_all,
    start_method,
    worker_count,
)
from capacity.export.pdf_scorecard import PRIORITIES_SHOWN, build_pdf
from capacity.export.scorecard import load_scorecard, load_scorecards
from capacity.i18n import LANGUAGES, format_number, translator
from capacity.labels import SCORECARD_FILE, file_name, status_label
from capacity.store import open_store
from tests.conftest import require_tool
from tests.dashboard_data import fill_small_portfolio
from tests.export_data import ARTIFACTS, TURKISH_NAME, results_of, scorecard_of


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    opened = open_store(f"sqlite:///{tmp_path_factory.mktemp('pdf') / 'capacity.db'}")
    fill_small_portfolio(opened)
    yield opened
    opened.close()


def pages_of(data: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(data)).pages]


def render_pages(data: bytes, name: str) -> list[str]:
    """Render every page to test-artifacts/<name>-<n>.png with pdftoppm; the file names."""
    pdftoppm = require_tool("pdftoppm", "the PDF pages are rendered to PNG for people to look at")
    ARTIFACTS.mkdir(exist_ok=True)
    source = ARTIFACTS / f"{name}.pdf"
    source.write_bytes(data)
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(
        [pdftoppm, "-r", "60", "-png", str(source), str(ARTIFACTS / name)], check=True, timeout=120
    )
    return sorted(path.name for path in ARTIFACTS.glob(f"{name}-*.png"))


def test_the_pdf_prints_the_engines_figures(store) -> None:
    scorecard = load_scorecard(store, CLI_ADMIN, "NS-02", 2026)
    result = scorecard.result
    data = build_pdf(scorecard)
    pages = pages_of(data)
    assert 2 <= len(pages) <= 4
    cover = pages[0]
    assert "Borovian Crescent" in cover and "NS-02" in cover and "2026" in cover
    assert format_number(result.index.score, "en", 1) in cover  # 60.0
    assert status_label(result.index.roadmap.status, "en") in cover
    for code, found in result.dimensions.items():
        row = cover[cover.index(f"{code} · ") :]
        assert format_number(found.score, "en", 1) in row[:120]
        assert format_number(found.roadmap.gap, "en", 1) in row[:120]
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 2  # the radar and the gap bars

    plan = pages[1]
    assert "Priority action plan" in plan
    shown = scorecard.priorities.head(PRIORITIES_SHOWN)
    positions = [plan.index(f"{code} · ") for code in shown["code"]]
    assert positions == sorted(positions)  # largest weight × gap first
    for gap in shown.itertuples(index=False):
        assert format_number(gap.weighted_gap, "en", 1) in plan
        assert gap.next_step[:40] in plan  # the next level's descriptor is the action
    everything = " ".join(pages)
    assert "Method" in everything and scorecard.roadmap_id in everything
    for code in result.indicators:
        assert f"{code} " in everything
    print(render_pages(data, "scorecard-pdf-en"))


def test_turkish_text_comes_back_intact_letter_for_letter() -> None:
    results = results_of(
        (2019, [1, 2, 1, 2, 1, 2]),
        (2025, [2, 3, 2, 3, 2, 1]),
        name=TURKISH_NAME,
        evidence="Yıllık rapor; İçişleri yazışması — ığüşöç İĞÜŞÖÇ é",
    )
    scorecard = scorecard_of(results, "tr")
    data = build_pdf(scorecard)
    pages = pages_of(data)
    text = " ".join(pages)
    t = translator("tr")
    assert TURKISH_NAME in pages[0]
    for word in ("İstanbul", "Işık", "ılık", "İçerik", "Éclair", "Ğüneş", "Çözüm"):
        assert word in pages[0]
    assert "Yıllık rapor; İçişleri yazışması — ığüşöç İĞÜŞÖÇ é" in text
    assert "Kurumsal Kapasite" in pages[0]  # a dimension's Turkish name
    assert format_number(results[-1].index.score, "tr", 1) in pages[0]  # Turkish decimal comma
    assert "," in format_number(results[-1].index.score, "tr", 1)
    assert t("Priority action plan") in pages[1]
    fonts = {
        str(font["/BaseFont"])
        for page in PdfReader(io.BytesIO(data)).pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert all("DejaVu" in name for name in fonts)  # the embedded font, not a viewer's substitute
    print(render_pages(data, "scorecard-pdf-tr"))


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_hostile_lengths_stay_within_four_pages(lang) -> None:
    long_name = "Çok " * 80 + "Uzun Kuruluş"
    evidence = "x" * 3000 + " " + "word " * 600
    scorecard = scorecard_of(results_of((2025, [0, 1, 0, 1, 0, 1]), name=long_name, evidence=evidence), lang)
    data = build_pdf(scorecard)
    pages = pages_of(data)
    assert 2 <= len(pages) <= 4
    assert "…" in pages[0] and "…" in pages[-2]  # the name and the evidence are cut, visibly
    render_pages(data, f"scorecard-pdf-long-{lang}")


def test_no_browser_and_no_network_are_needed() -> None:
    """A fresh interpreter, with sockets refused, builds a PDF without loading kaleido or playwright."""
    script = """
import socket, sys
def refuse(*args, **kwargs):
    raise AssertionError("the PDF export tried to use the network")
socket.socket.connect = refuse
socket.create_connection = refuse
from tests.export_data import results_of, scorecard_of
from capacity.export.pdf_scorecard import build_pdf
data = build_pdf(scorecard_of(results_of((2025, [3, 3, 3, 3, 3, 3]))))
assert data.startswith(b"%PDF")
loaded = sorted(name for name in ("kaleido", "playwright", "selenium") if name in sys.modules)
assert not loaded, loaded
"""
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr


@pytest.mark.parametrize("method", ["fork", "spawn"])  # spawn is what the threaded web server uses
def test_a_large_batch_uses_every_core_and_reports_progress(store, method, monkeypatch) -> None:
    monkeypatch.setattr(batch_module, "start_method", lambda: method)
    assert worker_count(100, PDF, cores=2) == 2
    assert worker_count(3, PDF, cores=2) == 1  # too few to pay for starting processes
    assert worker_count(100, "xlsx", cores=2) == 1
    assert start_method() in ("fork", "spawn")
    seen = []
    organisations = ["NS-01", "NS-02", "NS-03", "NS-04", "NGO-01"]
    batch = batch_zip(
        store,
        CLI_ADMIN,
        organisations,
        PDF,
        year=2023,
        lang="tr",
        workers=2,
        progress=seen.append,
    )
    # Turkish file names: "karne_NS-01_2023.pdf"
    assert batch.files == tuple(
        file_name(SCORECARD_FILE, "tr", org, 2023, extension="pdf") for org in organisations
    )
    assert batch.files[0] == "karne_NS-01_2023.pdf"
    gathering = [step for step in seen if step.stage == GATHERING]
    drawing = [step for step in seen if step.stage == DRAWING]
    assert seen == gathering + drawing  # every organisation is gathered before drawing starts
    assert [(s.done, s.organisation_id) for s in gathering] == list(enumerate(organisations, start=1))
    assert drawing[0] == Step(DRAWING, 0, 5) and [s.done for s in drawing] == [0, 1, 2, 3, 4, 5]
    assert sorted(s.organisation_id for s in drawing[1:]) == sorted(organisations)  # each file, once
    with zipfile.ZipFile(io.BytesIO(batch.data)) as archive:
        for organisation in organisations:
            cover = pages_of(archive.read(f"karne_{organisation}_2023.pdf"))[0]
            score = load_scorecard(store, CLI_ADMIN, organisation, 2023).result.index.score
            assert format_number(score, "tr", 1) in cover


def test_the_cli_writes_the_pdf_scorecard(store, tmp_path) -> None:
    out = tmp_path / "sub" / "card.pdf"
    assert (
        main(
            [
                "export",
                "--database",
                store.url,
                "--org",
                "NGO-03",
                "--format",
                "pdf",
                "--out",
                str(out),
                "--lang",
                "tr",
            ]
        )
        == 0
    )
    cover = pages_of(out.read_bytes())[0]
    assert "Ironbridge Collective" in cover and "2023" in cover


def test_while_the_workers_start_this_process_draws_what_no_worker_has_taken(monkeypatch) -> None:
    """The first file must not wait for a spawned worker's imports (18 s for a batch of 28 on the server)."""
    drawn_here: list[str] = []

    def draw(scorecard: str, file_format: str) -> bytes:
        drawn_here.append(scorecard)
        return scorecard.encode()

    monkeypatch.setattr(batch_module, "render", draw)
    taken = Future()  # a worker has started this one: it cannot be cancelled, its result comes later
    assert taken.set_running_or_notify_cancel()
    pending = {0: taken, 1: Future(), 2: Future()}
    order: list[int] = []

    def finished(position: int, data: bytes) -> None:
        order.append(position)
        if len(order) == 2:  # the worker finishes its scorecard only after this process drew two
            threading.Timer(0.05, taken.set_result, [b"card-0"]).start()

    batch_module._draw_while_waiting(pending, ["card-0", "card-1", "card-2"], PDF, finished)
    assert order == [2, 1, 0]  # from the end of the queue, then the worker's
    assert drawn_here == ["card-2", "card-1"] and pending == {}


def test_a_spawned_batch_reports_its_first_file_before_the_workers_could_start(store, monkeypatch) -> None:
    monkeypatch.setattr(batch_module, "start_method", lambda: "spawn")
    organisations = ["NS-01", "NS-02", "NS-03", "NS-04", "NGO-01", "NGO-02"]
    scorecards, _ = load_scorecards(store, CLI_ADMIN, organisations, 2023)
    seen = []
    files = draw_all(scorecards, PDF, progress=seen.append, workers=2)
    assert seen[1].done == 1 and seen[1].organisation_id == "NGO-02"  # drawn here, while the workers import
    for organisation, data in zip(organisations, files, strict=True):
        assert pages_of(data)[0].count(organisation) >= 1
