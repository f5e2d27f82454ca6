"""Every page of the PDF and Excel scorecards, rendered to PNG for people to look at, in every language.

The PDF is rendered with pdftoppm; the Excel workbook is printed to PDF by LibreOffice
(its own page set-up: paper, orientation, fit to width) and then rendered the same way,
so the pictures show what a board member's printer would give. They are saved under
test-artifacts/exports/scorecard-{lang}-{pdf|xlsx}-{page}.png. The scorecard is the
demo's richest: the demo manager's first organisation, with its improvement plan.
"""

from __future__ import annotations

import io
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from pypdf import PdfReader

from capacity.access import CLI_ADMIN
from capacity.export.batch import PDF, XLSX, render
from capacity.export.scorecard import Scorecard, load_scorecard
from capacity.i18n import LANGUAGES
from capacity.store import Store
from tests.browser import ARTIFACTS
from tests.conftest import require_tool
from tests.libreoffice import convert

pytestmark = [pytest.mark.libreoffice, pytest.mark.xdist_group("libreoffice")]

EXPORT_SHOTS = ARTIFACTS / "exports"
RESOLUTION_DPI = 60


@pytest.fixture(scope="module")
def demo_organisation(tmp_path_factory) -> Iterator[tuple[Store, str]]:
    """The demo store and the organisation whose scorecard is rendered (the demo manager's first)."""
    from capacity.accounts import create_demo_accounts
    from capacity.demo import ingest_demo_if_empty
    from capacity.store import open_store

    store = open_store(f"sqlite:///{tmp_path_factory.mktemp('exports') / 'capacity.db'}")
    try:
        ingest_demo_if_empty(store)
        manager = next(credential for credential in create_demo_accounts(store) if credential.organisations)
        yield store, manager.organisations[0]
    finally:
        store.close()


def render_pdf_pages(data: bytes, name: str) -> list[Path]:
    """Every page of the PDF `data` as test-artifacts/exports/{name}-{n}.png (stale pages removed first)."""
    pdftoppm = require_tool("pdftoppm", "the scorecard pages are rendered to PNG for people to look at")
    EXPORT_SHOTS.mkdir(parents=True, exist_ok=True)
    for old in EXPORT_SHOTS.glob(f"{name}-*.png"):
        old.unlink()
    source = EXPORT_SHOTS / f"{name}.pdf"
    source.write_bytes(data)
    subprocess.run(
        [pdftoppm, "-r", str(RESOLUTION_DPI), "-png", str(source), str(EXPORT_SHOTS / name)],
        check=True,
        timeout=180,
    )
    source.unlink()
    return sorted(EXPORT_SHOTS.glob(f"{name}-*.png"))


def drawn(path: Path) -> bool:
    """Whether the page holds anything but white paper."""
    with Image.open(path) as image:
        return ImageOps.invert(image.convert("L")).getbbox() is not None


def scorecard_in(demo_organisation: tuple[Store, str], lang: str) -> Scorecard:
    store, organisation_id = demo_organisation
    return load_scorecard(store, CLI_ADMIN, organisation_id, lang=lang)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_pdf_scorecard_page_is_rendered(demo_organisation, lang: str) -> None:
    data = render(scorecard_in(demo_organisation, lang), PDF)
    pages = render_pdf_pages(data, f"scorecard-{lang}-pdf")
    assert len(pages) == len(PdfReader(io.BytesIO(data)).pages) >= 2
    assert all(drawn(page) for page in pages)


@pytest.mark.parametrize("lang", list(LANGUAGES))
def test_every_printed_xlsx_scorecard_page_is_rendered(demo_organisation, lang: str) -> None:
    printed = convert(render(scorecard_in(demo_organisation, lang), XLSX), ".xlsx", "pdf")
    pages = render_pdf_pages(printed, f"scorecard-{lang}-xlsx")
    assert len(pages) == len(PdfReader(io.BytesIO(printed)).pages) >= 2
    assert all(drawn(page) for page in pages)
