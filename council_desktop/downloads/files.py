"""File helpers shared by the downloader and the installer: hashing, partial-file paths, sizes."""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
from pathlib import Path

from ..core.text import fmt_bytes as fmt_bytes  # re-exported
from .errors import DownloadCancelled
from .progress import Cancel, ProgressReporter, is_cancelled

HASH_CHUNK_BYTES = 1024 * 1024


def part_paths(dest: Path) -> tuple[Path, Path]:
    """The partial download and its JSON sidecar (url, size, sha256, etag) that lets a later run resume."""
    return dest.with_name(dest.name + ".part"), dest.with_name(dest.name + ".part.json")


def free_bytes(path: Path) -> int:
    """Free space on the volume holding ``path`` (the nearest existing parent)."""
    p = Path(path)
    while not p.exists() and p != p.parent:
        p = p.parent
    return shutil.disk_usage(p).free


def sha256_file(path: Path, *, report: ProgressReporter | None = None, cancel: Cancel | None = None,
                message: str = "checking the sha256") -> str:
    """Hash a file in chunks, reporting progress and stopping promptly on cancel."""
    total = os.path.getsize(path)
    digest = hashlib.sha256()
    done = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(HASH_CHUNK_BYTES):
            if is_cancelled(cancel):
                raise DownloadCancelled("cancelled while checking the file", filename=Path(path).name)
            digest.update(chunk)
            done += len(chunk)
            if report is not None:
                report.update("verifying", done, total, message=message)
    return digest.hexdigest()


def fsync_dir(path: Path) -> None:
    """Make a rename durable (POSIX); a no-op where directories cannot be opened (Windows)."""
    with contextlib.suppress(OSError):
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def unlink_quietly(*paths: Path) -> None:
    for p in paths:
        with contextlib.suppress(FileNotFoundError):
            p.unlink()
