"""How history values read on screen: local dates, session statuses and their colours, scores."""

from __future__ import annotations

from PySide6.QtCore import QDateTime, Qt

from .. import theme

STATUS_LABELS = {"finished": "Finished", "interrupted": "Interrupted", "running": "Running", "failed": "Failed",
                 "cancelled": "Stopped"}
STATUS_COLORS = {"finished": theme.GREEN, "interrupted": theme.YELLOW, "running": theme.CYAN, "failed": theme.RED,
                 "cancelled": theme.TEXT_DIM}


def parse_utc(iso: str) -> QDateTime:
    """An ISO-8601 timestamp from the history (UTC) as a QDateTime (invalid if unreadable)."""
    text = (iso or "").strip().replace("+00:00", "Z")
    value = QDateTime.fromString(text, Qt.DateFormat.ISODateWithMs)
    if not value.isValid():
        value = QDateTime.fromString(text, Qt.DateFormat.ISODate)
    return value


def local_time(iso: str, *, with_year: bool = True) -> str:
    """``2025-06-03 14:02`` in the user's time zone (the raw text if it cannot be read)."""
    value = parse_utc(iso)
    if not value.isValid():
        return iso or ""
    return value.toLocalTime().toString("yyyy-MM-dd HH:mm" if with_year else "MMM d, HH:mm")


def short_date(iso: str) -> str:
    """``Jun 3`` for chart ticks."""
    value = parse_utc(iso)
    return value.toLocalTime().toString("MMM d") if value.isValid() else ""


def status_label(status: str) -> str:
    return STATUS_LABELS.get(status, status.title() if status else "Unknown")


def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, theme.TEXT_DIM)


def mode_label(mode: str) -> str:
    return "Ask" if mode == "ask" else "Debate"


def score_text(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"
