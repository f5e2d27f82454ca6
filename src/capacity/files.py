"""Files and folders only their owner may read: the database, its folder, exports and backups.

They hold every organisation's answers (and a backup the accounts' password hashes), so
on a shared machine no other user may read them. Modes are set explicitly when a file or
folder is made, not left to the umask of whoever started the app.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIR_MODE = 0o700


def private_dir(path: Path) -> Path:
    """Make `path` and its missing parents, each readable by its owner only.

    A folder that already exists is left as it is: it may be a shared one (e.g. /tmp)
    that the app has no business restricting.
    """
    missing = [folder for folder in (path, *path.parents) if not folder.exists()]
    for folder in reversed(missing):
        try:
            folder.mkdir(mode=PRIVATE_DIR_MODE)
        except FileExistsError:  # made meanwhile by another process
            continue
        os.chmod(folder, PRIVATE_DIR_MODE)  # mkdir's mode is narrowed by the umask, never widened
    return path


def make_private(path: Path) -> None:
    """Create `path` empty if missing (0600), and narrow an existing one to 0600 (see `narrow`)."""
    if path.exists():
        narrow(path, PRIVATE_FILE_MODE)
        return
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT, PRIVATE_FILE_MODE))
    os.chmod(path, PRIVATE_FILE_MODE)  # os.open's mode is narrowed by the umask, never widened


def narrow(path: Path, mode: int) -> None:
    """Set `mode` on an existing file or folder of an earlier run.

    Only its owner may; when the app runs as another user (with group rights on a file
    someone else created), it logs a warning and goes on rather than refusing to start.
    """
    try:
        os.chmod(path, mode)
    except PermissionError:
        log.warning("could not narrow %s to mode %o: the app's user does not own it", path, mode)


def write_private(path: Path, data: bytes) -> Path:
    """Write `data` to `path` (replacing it), readable by its owner only; missing folders are made 0700."""
    private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    os.fchmod(descriptor, PRIVATE_FILE_MODE)
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
    return path
