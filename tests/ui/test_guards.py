"""The test-suite guard against dangling Qt work, and the PySide6 None-refcount guard."""

from __future__ import annotations

import sys
from typing import Any

import pytest
from PySide6.QtCore import QObject, QTimer

from council_desktop.ui.pyside_fix import guard_none_refcount, leaks_none

pytestmark = pytest.mark.gui


def test_tracker_reports_a_running_timer_until_it_stops(qapp: Any, qt_work_tracker: Any) -> None:
    timer = QTimer()
    timer.start(10_000)
    assert any("QTimer" in leak for leak in qt_work_tracker.leaks())
    timer.stop()
    assert qt_work_tracker.leaks() == []


def test_none_keeps_its_references_through_many_void_calls(qapp: Any) -> None:
    applied = guard_none_refcount()
    assert applied == leaks_none()  # applied exactly when this PySide6 build needs it
    probe = QObject()
    for _ in range(20_000):  # more than None's natural reference count on 3.11
        probe.setObjectName("x")
    if applied:
        assert sys.getrefcount(None) > 2**39
