"""Untrusted text made safe to show: control characters become visible symbols, never commands.

A topic or a model's turn may hold terminal escape sequences (``ESC ] 0 ; title BEL``, ``ESC [ 2 J``),
carriage returns or other C0/C1 control characters. Written raw to a terminal they retitle the window or
clear the screen; kept raw in an export they reach whatever later prints it. Each of them is replaced by
its Unicode control picture (``ESC`` → ``␛``), so the text still says what it held and can do nothing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# C0 controls, DEL and the C1 controls (U+0080–U+009F; 0x9B is a one-byte CSI on some terminals).
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
_WHITESPACE = re.compile(r"\s+")


def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    if code < 0x20:
        return chr(0x2400 + code)  # ␀ … ␟
    if code == 0x7F:
        return "\u2421"  # ␡
    return "\ufffd"  # C1 controls have no picture


def visible_controls(text: str, keep: str = "\n\t") -> str:
    """``text`` with every control character except those in ``keep`` replaced by a visible symbol."""
    return _CONTROLS.sub(lambda m: m.group() if m.group() in keep else _picture(m), text)


def one_line(text: str) -> str:
    """``text`` as one line for a terminal row or a log line: runs of whitespace (newlines too) become
    one space and every other control character a visible symbol."""
    return visible_controls(_WHITESPACE.sub(" ", text).strip(), keep="")


_REFUSAL = re.compile(r"error|invalid|failed|unknown|unsupported|not found|out of bounds|mismatch", re.IGNORECASE)
_GENERIC = re.compile(r"^(failed to load model( from file)?\W*|)$", re.IGNORECASE)
_PREFIX = re.compile(r"^[A-Za-z_][\w:]*:\s")  # "llama_model_load: " before the message


def refusal_reason(log_lines: Iterable[str]) -> str:
    """Why llama.cpp refused a file: the first line of its log that says what is wrong, without the
    ``function_name:`` prefixes (llama-cpp-python itself only says "Failed to load model from file")."""
    for line in log_lines:
        text = line.strip()
        while _PREFIX.match(text):
            text = text.split(":", 1)[1].strip()
        if _REFUSAL.search(text) and not _GENERIC.match(text):
            return one_line(text)[:240]
    return ""


def fmt_bytes(n: float) -> str:
    """A size in decimal units, as the hub shows sizes: ``512 bytes``, ``98.4 MB``."""
    value = float(n)
    for unit in ("bytes", "kB", "MB", "GB"):
        if abs(value) < 1000 or unit == "GB":
            return f"{int(value)} bytes" if unit == "bytes" else f"{value:.1f} {unit}"
        value /= 1000
    return f"{value:.1f} GB"
