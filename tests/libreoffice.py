"""Run LibreOffice headless the way a respondent's office suite would re-save a file."""

from __future__ import annotations

import subprocess
import tempfile
import uuid
from pathlib import Path

from tests.conftest import require_tool


def convert(data: bytes, source_suffix: str, target: str) -> bytes:
    """Open `data` in LibreOffice and save it as `target` (e.g. 'xlsx', 'ods'); returns the new bytes."""
    soffice = require_tool("soffice", "LibreOffice re-saves questionnaires in these tests")
    with tempfile.TemporaryDirectory(prefix="capacity-lo-") as tmp:
        folder = Path(tmp)
        source = folder / f"in{source_suffix}"
        source.write_bytes(data)
        out_dir = folder / "out"
        profile = (folder / f"profile-{uuid.uuid4().hex}").as_uri()
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation={profile}",
                "--headless",
                "--norestore",
                "--convert-to",
                target,
                "--outdir",
                str(out_dir),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        return (out_dir / f"in.{target.split(':')[0]}").read_bytes()
