"""Transcript writers (Markdown, JSON, HTML) and the one call that saves a transcript to a file."""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from ..core.files import write_atomically
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
    write_atomically(target, writer(transcript).encode("utf-8"))
    return target
