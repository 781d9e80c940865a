"""The "Export transcript…" file dialog: a suggested file name and the chosen path with its extension."""

from __future__ import annotations

import re
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

FILTERS = {"Markdown (*.md)": ".md", "JSON (*.json)": ".json", "HTML (*.html)": ".html"}
EXTENSIONS = (".md", ".markdown", ".json", ".html", ".htm")


def suggested_name(topic: str, started_at: str = "", extension: str = ".md") -> str:
    """``council-2025-06-03-should-cities-ban-cars.md``: safe on every file system."""
    slug = re.sub(r"[^a-z0-9]+", "-", topic.lower()).strip("-")[:48].rstrip("-") or "session"
    day = started_at[:10] if re.fullmatch(r"\d{4}-\d{2}-\d{2}", started_at[:10]) else ""
    return "-".join(p for p in ("council", day, slug) if p) + extension


def ask_export_path(parent: QWidget | None, suggested: str) -> str | None:
    """Ask where to save; the chosen filter's extension is added when the name has none of ours."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    path, chosen = QFileDialog.getSaveFileName(parent, "Export transcript", str(Path(folder) / suggested),
                                               ";;".join(FILTERS))
    if not path:
        return None
    if Path(path).suffix.lower() not in EXTENSIONS:
        path += FILTERS.get(chosen, ".md")
    return path
