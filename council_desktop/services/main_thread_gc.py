"""Python's garbage collected on the GUI thread only (in the manner of Anki's GarbageCollector).

Left on, the cyclic collector runs in whichever thread happens to allocate when a threshold is crossed:
the decode loop, the storage thread or a download. A Qt object freed there ("Timers cannot be stopped
from another thread") can crash the app later, inside Qt's event loop. So the window turns the automatic
collector off and collects on a timer of the GUI thread instead.

Everything alive when the collector is installed (the modules, Qt's wrappers, the window just built) is
moved out of the collector's sight first (``gc.freeze``, as Instagram does for its servers): it lives as
long as the app, and without it every full collection walked it again. Timed with a ``gc.callbacks``
hook during a debate of the UI latency bench (one run each, thread CPU time): a full collection on the
GUI thread took 35 ms before, 10 ms after; no other single pause of the GUI thread was as long.
"""

from __future__ import annotations

import gc

from PySide6.QtCore import QObject, QTimer

INTERVAL_MS = 1000


class MainThreadGarbage(QObject):
    def __init__(self, parent: QObject | None = None, interval_ms: int = INTERVAL_MS) -> None:
        super().__init__(parent)
        self.collections = 0
        self._timer = QTimer(self)
        self._timer.setInterval(interval_ms)
        self._timer.timeout.connect(self.collect)
        gc.disable()
        gc.collect()
        gc.freeze()
        self._timer.start()

    def collect(self) -> None:
        # The youngest generation at every tick (cheap); an older one when the interpreter's own thresholds
        # say it is due.
        counts, thresholds = gc.get_count(), gc.get_threshold()
        gc.collect(2 if counts[2] >= thresholds[2] else 1 if counts[1] >= thresholds[1] else 0)
        self.collections += 1

    def stop(self) -> None:
        """Back to the interpreter's own collector (the app is closing)."""
        self._timer.stop()
        gc.unfreeze()
        gc.enable()
