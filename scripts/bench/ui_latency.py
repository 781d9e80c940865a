"""How responsive is the window while the council talks? A QTimer probe asks to fire every 10 ms and
records how late each tick is (the Qt event loop's delay), first with the window idle, then while the
starter council runs a real debate in the same process (decode loop on a QThreadPool, orchestrator on
the qasync loop, events painted in the arena). Prints p50, p99 and max in ms for both.

Run: QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/bench/ui_latency.py [--seconds 20]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

import qasync
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication

from council_desktop.app import _wire
from council_desktop.llm.seating import starter_council
from council_desktop.services.qt_session import CouncilSession, QtLoopHost
from council_desktop.services.runtime import CouncilRuntime
from council_desktop.storage import Store
from council_desktop.ui.main_window import MainWindow
from council_desktop.ui.theme import apply_theme

INTERVAL_MS = 10


class Probe:
    def __init__(self) -> None:
        self.delays: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self._last = 0.0

    def start(self) -> None:
        self.delays.clear()
        self._last = time.perf_counter()
        self.timer.start()

    def stop(self) -> list[float]:
        self.timer.stop()
        return list(self.delays)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.delays.append(max(0.0, (now - self._last) * 1000 - INTERVAL_MS))
        self._last = now


def summary(name: str, delays: list[float]) -> str:
    qs = statistics.quantiles(delays, n=100)
    return (f"{name:<26} ticks {len(delays):5d}   p50 {qs[49]:6.1f} ms   p99 {qs[98]:6.1f} ms   "
            f"max {max(delays):6.1f} ms")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15.0, help="length of the idle probe")
    ap.add_argument("--max-tokens", type=int, default=120)
    args = ap.parse_args()
    app = QApplication([])
    apply_theme(app)
    tmp = Path(tempfile.mkdtemp())
    store = Store.open(tmp / "bench.sqlite3")
    runtime = CouncilRuntime(starter_council(), store, host_factory=QtLoopHost)
    session = CouncilSession(runtime)
    session.max_tokens = args.max_tokens
    window = MainWindow(QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat))
    _wire(window, session)
    window.resize(1400, 900)
    window.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    session.load()
    probe = Probe()

    async def run() -> tuple[list[float], list[float], float]:
        probe.start()
        await asyncio.sleep(args.seconds)
        idle = probe.stop()
        done: asyncio.Future[str] = loop.create_future()
        session.session_finished.connect(lambda _s, status, _r: done.done() or done.set_result(status))
        t0 = time.perf_counter()
        probe.start()
        window.convene_requested.emit("Should cities ban cars?")
        status = await done
        busy = probe.stop()
        assert status == "finished", status
        return idle, busy, time.perf_counter() - t0

    with loop:
        idle, busy, took = loop.run_until_complete(run())
    session.shutdown(2.0)
    print(f"window 1400x900 offscreen, probe every {INTERVAL_MS} ms; debate took {took:.1f} s")
    print(summary("no debate", idle))
    print(summary("starter council debating", busy))


if __name__ == "__main__":
    main()
