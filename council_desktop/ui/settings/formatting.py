"""Plain-text wording for the Settings page: sizes, speeds, ETAs, RAM, model states and progress lines."""

from __future__ import annotations

import math

from ...core.text import fmt_bytes as fmt_bytes  # re-exported
from ...services.model_manager import ModelRow
from .. import theme

MIB = 1024 * 1024
SEAT_WORDS = {1: "this seat", 2: "these two seats", 3: "these three seats", 4: "these four seats",
              5: "these five seats"}

STATE_COLOR = {"bundled": theme.BLUE, "installed": theme.GREEN, "partial": theme.GOLD, "not installed": theme.MUTED,
               "downloading": theme.CYAN, "verifying": theme.CYAN, "failed": theme.RED}

_LICENCES = {"apache-2.0": "Apache 2.0", "mit": "MIT", "gemma": "Gemma terms", "llama2": "Llama 2",
             "unknown (see the model card)": "unknown"}


def fmt_speed(bytes_per_second: float) -> str:
    return f"{fmt_bytes(bytes_per_second)}/s"


def fmt_eta(seconds: float | None) -> str:
    if seconds is None or seconds < 0 or not math.isfinite(seconds):
        return ""
    s = round(seconds)
    if s < 60:
        return f"about {max(1, s)} s left"
    if s < 3600:
        return f"about {round(s / 60)} min left"
    hours, rest = divmod(s, 3600)
    return f"about {hours} h {round(rest / 60)} min left"


def fmt_ram(mib: int) -> str:
    """RAM in GB (binary, as the OS reports memory) with one decimal; under 0.1 GB in MB."""
    if mib <= 0:
        return "—"
    if mib < 102:
        return f"{mib} MB"
    return f"{mib / 1024:.1f} GB"


def fmt_params(millions: int) -> str:
    if millions <= 0:
        return ""
    return f"{millions / 1000:.1f}B params" if millions >= 1000 else f"{millions}M params"


def licence_text(licence: str) -> str:
    return _LICENCES.get(licence.strip().lower(), licence.strip() or "unknown")


def state_text(row: ModelRow) -> str:
    if row.state == "partial":
        return f"Paused {row.percent:.0f}%"
    return row.state.capitalize()


def _sentence(text: str) -> str:
    text = text.strip()
    return text[:1].upper() + text[1:] if text else ""


def progress_text(row: ModelRow) -> str:
    """The line under the progress bar: bytes, percent, speed and ETA, or what the job is doing."""
    if row.state == "partial":
        return (f"Paused at {row.percent:.0f}%: {fmt_bytes(row.done_bytes)} of {fmt_bytes(row.total_bytes)} kept. "
                "Resume continues from there.")
    if row.state == "failed" and row.done_bytes > 0:
        return (f"{fmt_bytes(row.done_bytes)} of {fmt_bytes(row.total_bytes)} ({row.percent:.0f}%) kept. "
                "Resume continues from there.")
    if row.state not in ("downloading", "verifying"):
        return ""
    if row.phase == "checking":
        return _sentence(row.message) + "…" if row.message else "Starting…"
    if row.phase == "installing":
        return _sentence(row.message) if row.message else "Installing…"
    parts: list[str] = []
    if row.phase == "retrying" and row.message:
        parts.append(_sentence(row.message))
    if row.phase == "verifying" and row.message:
        parts.append(_sentence(row.message))
    if row.total_bytes > 0:
        parts.append(f"{fmt_bytes(row.done_bytes)} of {fmt_bytes(row.total_bytes)}")
        parts.append(f"{row.percent:.0f}%")
    elif row.done_bytes:
        parts.append(fmt_bytes(row.done_bytes))
    if row.phase == "downloading" and row.speed_bps > 0:
        parts.append(fmt_speed(row.speed_bps))
    eta = fmt_eta(row.eta_s)
    if eta and row.phase in ("downloading", "verifying"):
        parts.append(eta)
    if row.kind == "pending" and row.phase == "" and row.message:
        parts.append(_sentence(row.message) + "…")
    return " · ".join(parts)


def ram_summary(mib: int, seats: int) -> str:
    words = SEAT_WORDS.get(seats, f"these {seats} seats")
    if mib <= 0:
        return "Choose models to see how much RAM the council needs"
    return f"About {fmt_ram(mib)} of RAM for {words}"
