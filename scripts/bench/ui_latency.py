"""How responsive is the window while the council talks? A QTimer probe asks to fire every 10 ms and
records how late each tick is (the Qt event loop's delay), first with the window idle, then while the
starter council runs a real debate in the same process (decode loop on a QThreadPool, orchestrator on
the qasync loop, events painted in the arena, the history written to SQLite). Prints p50, p99 and max
in ms for both.

Run one scenario:  .venv/bin/python scripts/bench/ui_latency.py [--seconds 15] [--busy] [--x11] [--legacy]
Run them all:      .venv/bin/python scripts/bench/ui_latency.py --all
  --busy    one background CPU hog (`yes > /dev/null`) runs through both probes;
  --x11     a real X11 window on a private Xvfb display (with openbox as the window manager when it is
            installed; `apt-get install xvfb openbox`), instead of Qt's offscreen platform;
  --legacy  the engine as it was before it adapted (every step on all cores, decode threads at the
            GUI's priority, one event per token, validity checks on a thread): the baseline the other
            figures are read against;
  --thread-checks  only the judges' validity checks as they were: on a thread, not a process of their
            own (services/check_process.py);
  --qt-pool only Qt's raster helper threads as they were (the app turns them off: app.py,
            QT_NO_GUI_THREADPOOL); --legacy keeps them too;
  --no-window-first  the decode loop does not wait while the window shows a stage change
            (llm.engine.WindowFirst, held by services.qt_session.PacedEvents); --legacy does not wait either;
  --all     every combination of quiet/busy, offscreen/x11 and adaptive/legacy, each in its own process.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_API", "pyside6")

INTERVAL_MS = 10


class Probe:
    def __init__(self) -> None:
        from PySide6.QtCore import QTimer

        self.delays: list[float] = []
        self.timer = QTimer()
        self.timer.setInterval(INTERVAL_MS)
        self.timer.timeout.connect(self._tick)
        self._last = 0.0
        self.running = False  # read by Stalls from its own thread (a QTimer is not asked across threads)

    def start(self) -> None:
        self.delays.clear()
        self._last = time.perf_counter()
        self.running = True
        self.timer.start()

    def stop(self) -> list[float]:
        self.running = False
        self.timer.stop()
        return list(self.delays)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.delays.append(max(0.0, (now - self._last) * 1000 - INTERVAL_MS))
        self._last = now


class Stalls:
    """``--why``: a watchdog thread that, whenever the probe has not ticked for ``over_ms`` beyond its
    interval, samples the GUI thread's Python stack (what it is running, or the call it waits in for the
    GIL) every few milliseconds; at the end, the code that held the longest stalls."""

    def __init__(self, probe: Probe, over_ms: float) -> None:
        import threading

        self.probe, self.over = probe, over_ms / 1000
        self.gui = threading.get_ident()
        self.samples: dict[str, int] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._watch, name="stall-watch", daemon=True)
        self.thread.start()

    def _watch(self) -> None:
        import traceback

        while not self.stop.wait(0.003):
            late = time.perf_counter() - self.probe._last - INTERVAL_MS / 1000
            if self.probe.running and late > self.over:
                frame = sys._current_frames().get(self.gui)
                if frame is not None:
                    where = " < ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}"
                                       for f in reversed(traceback.extract_stack(frame)[-6:]))
                    self.samples[where] = self.samples.get(where, 0) + 1

    def report(self, top: int = 8) -> None:
        self.stop.set()
        print(f"GUI thread stacks sampled every 3 ms while the probe was over {self.over * 1000:.0f} ms late:")
        for where, n in sorted(self.samples.items(), key=lambda kv: -kv[1])[:top]:
            print(f"  {n * 3:5d} ms  {where}")


def summary(name: str, delays: list[float]) -> str:
    qs = statistics.quantiles(delays, n=100, method="inclusive")  # never beyond the max
    return (f"{name:<26} ticks {len(delays):5d}   p50 {qs[49]:6.1f} ms   p99 {qs[98]:6.1f} ms   "
            f"max {max(delays):6.1f} ms")


CHILDREN: list[subprocess.Popen[bytes]] = []  # the hog and the X server: ended with us, however we end


def _terminated(*_: object) -> None:
    """SIGTERM: a SystemExit raised here would land in whatever Qt slot is running and be swallowed (a
    killed run went on, its hog with it), so the children (hog, X server, the checks' worker) are ended
    and the process leaves at once."""
    import multiprocessing

    for proc in reversed(CHILDREN):
        proc.kill()
    for child in multiprocessing.active_children():  # the validity checks' worker process
        child.kill()
    os._exit(143)


class Xvfb:
    """A private X display (and openbox on it, when installed) for the --x11 scenario."""

    def __init__(self) -> None:
        self.procs: list[subprocess.Popen[bytes]] = []
        self.display = ""

    def __enter__(self) -> Xvfb:
        if not shutil.which("Xvfb"):
            raise SystemExit("--x11 needs Xvfb (Debian: apt-get install xvfb openbox)")
        for n in range(91, 120):
            if not Path(f"/tmp/.X11-unix/X{n}").exists() and not Path(f"/tmp/.X{n}-lock").exists():
                break
        self.display = f":{n}"
        self.procs.append(subprocess.Popen(["Xvfb", self.display, "-screen", "0", "1600x1000x24", "-nolisten", "tcp"],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        CHILDREN.append(self.procs[-1])
        for _ in range(100):
            if Path(f"/tmp/.X11-unix/X{n}").exists():
                break
            time.sleep(0.05)
        if shutil.which("openbox"):
            env = {**os.environ, "DISPLAY": self.display}
            self.procs.append(subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                                               stderr=subprocess.DEVNULL))
            CHILDREN.append(self.procs[-1])
            time.sleep(0.5)
        return self

    def __exit__(self, *_exc: object) -> None:
        for proc in reversed(self.procs):
            proc.terminate()
            try:
                proc.wait(5)
            except subprocess.TimeoutExpired:
                proc.kill()


class Hog:
    def __init__(self, on: bool) -> None:
        self.proc: subprocess.Popen[bytes] | None = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) if on \
            else None
        if self.proc is not None:
            CHILDREN.append(self.proc)

    def __enter__(self) -> Hog:
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()


def run_all(args: argparse.Namespace) -> None:
    """Every scenario in its own process, interleaved; the lines each prints, under a heading."""
    scenarios = [(x11, busy, legacy) for x11 in (False, True) for busy in (False, True) for legacy in (True, False)]
    for x11, busy, legacy in scenarios:
        flags = [f for f, on in (("--x11", x11), ("--busy", busy), ("--legacy", legacy)) if on]
        title = f"{'x11 (Xvfb)' if x11 else 'offscreen'}, {'busy' if busy else 'quiet'}, " \
                f"{'legacy engine' if legacy else 'adaptive engine'}"
        cmd = [sys.executable, __file__, "--seconds", str(args.seconds), "--max-tokens", str(args.max_tokens), *flags]
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=1800)
        print(f"== {title}", flush=True)
        if out.returncode != 0:
            print(f"   failed: {out.stderr[-1500:]}")
            continue
        for line in out.stdout.splitlines():
            print(f"   {line}", flush=True)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=15.0, help="length of the idle probe")
    ap.add_argument("--max-tokens", type=int, default=120)
    ap.add_argument("--busy", action="store_true", help="one background CPU hog throughout")
    ap.add_argument("--x11", action="store_true", help="a real X11 window on Xvfb instead of offscreen")
    ap.add_argument("--legacy", action="store_true", help="the engine before it adapted (the baseline)")
    ap.add_argument("--all", action="store_true", help="every scenario, each in its own process")
    ap.add_argument("--qt-pool", action="store_true",
                    help="keep Qt's raster helper thread pool, as before the app turned it off")
    ap.add_argument("--thread-checks", action="store_true",
                    help="the judges' validity checks on a thread, as before they had a process of their own")
    ap.add_argument("--no-window-first", action="store_true",
                    help="the decode loop does not wait while the window shows a stage change (WindowFirst)")
    ap.add_argument("--why", type=float, default=0.0, metavar="MS",
                    help="sample the GUI thread's stack whenever the probe is over MS late (where stalls come from)")
    args = ap.parse_args()
    # A kill ends the run through its `finally`s: no hog or X server is left behind.
    signal.signal(signal.SIGTERM, _terminated)
    if args.all:
        run_all(args)
        return
    if args.qt_pool or args.legacy:
        os.environ["COUNCIL_DESKTOP_QT_POOL"] = "1"  # read when council_desktop.app is imported
    if args.x11:
        with Xvfb() as x:
            os.environ["DISPLAY"] = x.display
            os.environ["QT_QPA_PLATFORM"] = "xcb"
            with Hog(args.busy):
                measure(args)
    else:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        with Hog(args.busy):
            measure(args)


def measure(args: argparse.Namespace) -> None:
    import qasync
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QApplication

    from council_desktop.app import _wire
    from council_desktop.llm.backend import DISPLAY_FRAME_S
    from council_desktop.llm.engine import Engine, physical_cores
    from council_desktop.llm.seating import starter_council
    from council_desktop.services.main_thread_gc import MainThreadGarbage
    from council_desktop.services.qt_session import CouncilSession, QtLoopHost
    from council_desktop.services.runtime import CouncilRuntime
    from council_desktop.storage import Store
    from council_desktop.ui.main_window import MainWindow
    from council_desktop.ui.theme import apply_theme

    app = QApplication([])
    apply_theme(app)
    tmp = Path(tempfile.mkdtemp())
    store = Store.open(tmp / "bench.sqlite3")
    extra: dict[str, Any] = {"token_frame_s": DISPLAY_FRAME_S, "checks_in_process": not args.thread_checks}
    if args.legacy:
        extra = {"engine_factory": lambda ctx: Engine(seat_ctx=ctx, n_threads=physical_cores(), adaptive=False,
                                                      nice=-1)}
    runtime = CouncilRuntime(starter_council(), store, host_factory=QtLoopHost, **extra)
    session = CouncilSession(runtime)
    if args.no_window_first or args.legacy:
        runtime.put_window_first(None)
    session.max_tokens = args.max_tokens
    window = MainWindow(QSettings(str(tmp / "ui.ini"), QSettings.Format.IniFormat))
    _wire(window, session)
    window.resize(1400, 900)
    window.show()
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    garbage = MainThreadGarbage(app)  # as in the app: Python's garbage collected on the GUI thread
    session.load()
    probe = Probe()
    stalls = Stalls(probe, args.why) if args.why > 0 else None

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
    garbage.stop()
    where = "on X11 (Xvfb)" if args.x11 else "offscreen"
    load = "one background CPU hog" if args.busy else "quiet"
    engine = "legacy engine" if args.legacy else f"adaptive engine, threads {runtime.engine.tuner.summary()}, " \
        f"validity checks {'on a thread' if args.thread_checks else 'in a process'}, " \
        f"Qt raster helper threads {'on' if os.environ.get('QT_NO_GUI_THREADPOOL') is None else 'off'}, " + \
        (f"the decode waited for the window {gate.waits} times, {gate.waited_s:.2f} s in all"
         if (gate := runtime.window_gate) is not None else "the decode never waits for the window")
    print(f"window 1400x900 {where}, {load}, {engine}; probe every {INTERVAL_MS} ms; debate took {took:.1f} s")
    print(summary("no debate", idle))
    print(summary("starter council debating", busy))
    if stalls is not None:
        stalls.report()


if __name__ == "__main__":
    main()
