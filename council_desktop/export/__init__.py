"""Transcript writers (Markdown, JSON, HTML) and the one call that saves a transcript to a file."""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from .html_writer import to_html
from .json_writer import to_json
from .markdown_writer import to_markdown
from .schema import FORMAT, validate

__all__ = ["FORMAT", "SUPPORTED_EXTENSIONS", "export_transcript", "to_html", "to_json", "to_markdown",
           "validate"]

_WRITERS: dict[str, Callable[[Mapping[str, Any]], str]] = {
    ".md": to_markdown, ".markdown": to_markdown,
    ".json": to_json,
    ".html": to_html, ".htm": to_html,
}
SUPPORTED_EXTENSIONS = tuple(_WRITERS)


def export_transcript(transcript: Mapping[str, Any], path: str | os.PathLike[str]) -> Path:
    """Write ``transcript`` (docs/ARCHITECTURE.md, "The transcript") to ``path`` in the format its extension names.

    The whole document is rendered before the file system is touched, then written to a temporary file
    beside ``path`` and moved over it with ``os.replace``: a failure never leaves a half-written file and
    never clobbers an existing one. Raises ValueError for an unsupported extension or an invalid
    transcript, OSError when the file cannot be written.
    """
    target = Path(path)
    writer = _WRITERS.get(target.suffix.lower())
    if writer is None:
        shown = target.suffix or "(none)"
        raise ValueError(f"cannot export a transcript as {shown!r}: use one of "
                         + ", ".join(SUPPORTED_EXTENSIONS))
    _write_atomically(target, writer(transcript).encode("utf-8"))
    return target


def _write_atomically(target: Path, data: bytes) -> None:
    directory = target.parent
    for _ in range(100):
        tmp = directory / f".{target.name}.{secrets.token_hex(4)}.tmp"
        try:
            # 0o666 through the umask, like any file the user saves; O_EXCL: never reuse someone's file.
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
        except FileExistsError:
            continue
        except OSError as exc:  # name the path the user typed, not our hidden temporary file
            if not directory.is_dir():
                raise FileNotFoundError(errno.ENOENT, "no such folder", str(directory)) from None
            raise type(exc)(exc.errno, exc.strerror, str(target)) from None
        break
    else:
        raise FileExistsError(f"could not create a temporary file in {directory}")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
