"""End to end in the window: the real starter council debates inside the Qt app (qasync loop, decode
loop on a QThreadPool, real SQLite file), and closing mid-debate returns quickly."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
import qasync
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from council_desktop.llm.seating import starter_council
from council_desktop.services.qt_session import CouncilSession, QtLoopHost
from council_desktop.services.runtime import CouncilRuntime
from council_desktop.storage import Store
from council_desktop.ui.main_window import MainWindow

pytestmark = [pytest.mark.model, pytest.mark.slow, pytest.mark.gui]


@pytest.fixture
def app_parts(qapp: QApplication, tmp_path: Path):
    store = Store.open(tmp_path / "council.sqlite3")
    runtime = CouncilRuntime(starter_council(), store, seat_ctx=1024, host_factory=QtLoopHost)
    session = CouncilSession(runtime)
    session.max_tokens = 40
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    from council_desktop.app import _wire

    _wire(window, session)
    window.resize(1200, 800)
    window.show()
    loop = qasync.QEventLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield store, session, window, loop
    session.shutdown(2.0)
    window.close()
    window.deleteLater()
    loop.close()
    asyncio.set_event_loop(None)
    store.close()


def test_a_real_debate_plays_out_in_the_window_and_is_stored(app_parts, tmp_path: Path) -> None:
    store, session, window, loop = app_parts
    finished: asyncio.Future[tuple[str, str, str]] = loop.create_future()
    kinds: list[str] = []
    session.event_emitted.connect(lambda e: kinds.append(e.kind))
    session.session_finished.connect(lambda *a: finished.done() or finished.set_result(a))
    session.load()
    window.convene_requested.emit("Should robots pay taxes?")
    assert window.running
    sid, status, reason = loop.run_until_complete(asyncio.wait_for(finished, 300))
    assert status == "finished", reason
    assert not window.running
    for kind in ("roles", "topic", "opinion", "review", "rebuttal", "alliance", "synthesis", "complete"):
        assert kind in kinds
    assert kinds.count("token") > 50  # streamed into the bubbles token by token
    snap = window.scene.snapshot()
    assert snap  # the arena shows the final state
    row = store.session(sid)
    assert row is not None and row.status == "finished" and row.topic == "Should robots pay taxes?"
    stored = store.load_events(sid)
    assert [e.kind for e in stored if e.kind == "synthesis"] == ["synthesis"]
    window.grab().save(str(tmp_path / "window.png"))
    assert (tmp_path / "window.png").stat().st_size > 10_000


def test_closing_while_five_seats_generate_returns_within_two_seconds(app_parts) -> None:
    _, session, window, loop = app_parts
    session.max_tokens = 400
    session.load()
    started: asyncio.Future[None] = loop.create_future()

    def on_event(e) -> None:
        if e.kind == "token" and e.data.get("kind") == "opinion" and not started.done():
            started.set_result(None)

    session.event_emitted.connect(on_event)
    window.convene_requested.emit("Is silence golden?")
    loop.run_until_complete(asyncio.wait_for(started, 120))
    t0 = time.monotonic()
    assert session.shutdown(2.0)
    assert time.monotonic() - t0 < 2.0
    loop.run_until_complete(asyncio.sleep(0.05))  # let the cancelled session finish its bookkeeping
