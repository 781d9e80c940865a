"""A guard against a PySide6 6.12 bug on Python 3.11: void methods return None without a new reference.

Every call such as ``QTimer.start()`` or ``QPainter.setPen()`` then takes one reference from ``None``;
CPython 3.11 starts with a few thousand, so a window that paints for a second runs out and aborts with
"none_dealloc: deallocating None". Python 3.12 made ``None`` immortal, which is why the wheels look fine
there. ``guard_none_refcount`` measures the leak once and, only if present, gives ``None`` a reference
count no program can spend — in effect the 3.12 behaviour.
"""

from __future__ import annotations

import ctypes
import sys

_GUARD = 1 << 40
_applied = False


def leaks_none() -> bool:
    """True when a void PySide6 call takes a reference from None (the bug is present)."""
    if sys.version_info >= (3, 12):
        return False
    from PySide6.QtCore import QObject

    probe = QObject()
    before = sys.getrefcount(None)
    for _ in range(8):
        probe.setObjectName("probe")
    return sys.getrefcount(None) < before


def guard_none_refcount() -> bool:
    """Apply the guard once if the bug is present; returns whether it is (now) applied."""
    global _applied
    if _applied:
        return True
    if not leaks_none():
        return False
    # ob_refcnt is the first field of every PyObject in a release build.
    ctypes.c_ssize_t.from_address(id(None)).value += _GUARD
    _applied = True
    return True
