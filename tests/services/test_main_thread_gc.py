"""The window collects Python's garbage on the GUI thread only."""

from __future__ import annotations

import gc
import threading
import time

import pytest
from PySide6.QtWidgets import QApplication

from council_desktop.services.main_thread_gc import MainThreadGarbage


@pytest.mark.gui
def test_the_collector_runs_on_the_gui_thread_and_nowhere_else(qapp: QApplication) -> None:
    was = gc.isenabled()
    gc.enable()
    seen: list[int] = []

    def note(phase: str, _info: dict[str, int]) -> None:
        if phase == "start":
            seen.append(threading.get_ident())

    garbage = MainThreadGarbage(interval_ms=10)
    gc.callbacks.append(note)
    try:
        assert not gc.isenabled()
        worker = threading.Thread(target=lambda: [[object()] for _ in range(200_000)])  # would trigger it
        worker.start()
        worker.join()
        deadline = time.monotonic() + 2
        while garbage.collections < 3 and time.monotonic() < deadline:
            qapp.processEvents()
            time.sleep(0.01)
        assert garbage.collections >= 3
        assert seen and set(seen) == {threading.get_ident()}
    finally:
        gc.callbacks.remove(note)
        garbage.stop()
        garbage.deleteLater()
        assert gc.isenabled()
        if not was:
            gc.disable()


@pytest.mark.gui
def test_what_lives_at_start_is_frozen_and_thawed_on_stop(qapp: QApplication) -> None:
    was = gc.isenabled()
    garbage = MainThreadGarbage(interval_ms=1000)
    try:
        # The startup heap is out of the collector's sight: a full collection no longer walks it.
        assert gc.get_freeze_count() > 1000
    finally:
        garbage.stop()
        garbage.deleteLater()
        if not was:
            gc.disable()
    assert gc.get_freeze_count() == 0
