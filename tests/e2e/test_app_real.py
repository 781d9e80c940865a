"""End to end in the window: the real starter council debates inside the Qt app (qasync loop, decode
loop on a QThreadPool, real SQLite file), and closing mid-debate returns quickly."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from council_desktop.llm.seating import starter_council
from council_desktop.services.qt_session import CouncilSession, QtLoopHost
from council_desktop.services.runtime import CouncilRuntime
from council_desktop.storage import Store
from council_desktop.ui.main_window import MainWindow
from tests.qt_loop import QtTestLoop

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
    loop = QtTestLoop(qapp, already_running=False)
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


def test_the_app_shows_its_history_opens_settings_and_seats_a_new_council(qapp: QApplication, tmp_path: Path,
                                                                            qtbot) -> None:
    from council_desktop.app import _wire
    from council_desktop.llm.catalogue import STARTER
    from council_desktop.llm.seating import council_from_settings
    from council_desktop.services.history import HistoryService
    from council_desktop.services.model_manager import ModelManager, SeatChoice
    from council_desktop.ui.settings import SettingsDialog

    store = Store.open(tmp_path / "council.sqlite3")
    runtime = CouncilRuntime(starter_council(), store, seat_ctx=1024, host_factory=QtLoopHost)
    session = CouncilSession(runtime)
    session.max_tokens = 24
    manager = ModelManager(tmp_path / "models", {}, lambda _s: None, probe_local_files=False)
    history = HistoryService(store)
    window = MainWindow(QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat))
    _wire(window, session, history, manager, lambda chosen: council_from_settings(chosen, {}))
    loop = QtTestLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    previews: list = []
    session.council_changed.connect(previews.append)
    changes: list[int] = []
    history.changed.connect(lambda: changes.append(1))

    def seated(ids: list[str]) -> bool:
        last = previews[-1].data["members"] if previews else []
        return [m["id"] for m in last] == ids and all(m["status"] == "ok" for m in last)

    try:
        assert [window.page_bar.tabText(i) for i in range(window.page_bar.count())] == [
            "Arena", "Replay", "Sessions", "Analytics", "Hall of Fame"]
        window.show_council(session.council_preview())
        assert {window.scene.avatar(m).status for m in window.scene.member_ids()} == {"loading"}
        session.start_loading()
        starters = [s.member.id for s in starter_council()]
        qtbot.wait_until(lambda: seated(starters), timeout=60_000)
        assert window.scene.member_ids() == starters
        assert {window.members.status_text(m) for m in starters} == {"ready"}
        assert previews[-1].data["chairman"] in starters  # the next chair is shown before anyone convenes

        window.settings_requested.emit()
        dialogs = window.findChildren(SettingsDialog)
        assert len(dialogs) == 1 and dialogs[0].isVisible()
        window.settings_requested.emit()  # a second request raises the same dialog
        assert len(window.findChildren(SettingsDialog)) == 1

        manager.set_seats([SeatChoice(STARTER.id, "skeptic"), SeatChoice(STARTER.id, "poet")])
        qtbot.wait_until(lambda: seated(["skeptic", "poet"]), timeout=60_000)
        assert window.scene.member_ids() == ["skeptic", "poet"]
        tab = dialogs[0].council_tab
        assert tab.health == {"skeptic": ("ok", ""), "poet": ("ok", "")}
        assert tab.unload_button.isEnabled() and not tab.load_button.isEnabled()

        tab.unload_button.click()  # frees the models; the seats stay, shown as unloaded
        assert {m["status"] for m in previews[-1].data["members"]} == {"unloaded"}
        assert {window.scene.avatar(m).status for m in ("skeptic", "poet")} == {"unloaded"}
        assert set(tab.health.values()) == {("unloaded", "")} and tab.load_button.isEnabled()
        assert not runtime.engine.groups  # nothing loaded
        tab.load_button.click()
        qtbot.wait_until(lambda: seated(["skeptic", "poet"]), timeout=60_000)
        assert set(tab.health.values()) == {("ok", "")}

        finished: asyncio.Future[tuple[str, str, str]] = loop.create_future()
        session.session_finished.connect(lambda *a: finished.done() or finished.set_result(a))
        window.convene_requested.emit("Is a short council a good council?")
        # Chosen while the two debate: it waits for the session to end.
        manager.set_seats([SeatChoice(STARTER.id, p) for p in ("sage", "optimist", "pragmatist")])
        assert [m.id for m in runtime.members] == ["skeptic", "poet"]
        tab.unload_button.click()  # refused while the session runs
        assert "stay loaded while a session runs" in tab.table_summary.text()
        sid, status, reason = loop.run_until_complete(asyncio.wait_for(finished, 300))
        assert status == "finished", reason
        assert changes  # the history pages reload after a session
        assert history.session(sid) is not None and history.session(sid).members_total == 2
        qtbot.wait_until(lambda: seated(["sage", "optimist", "pragmatist"]), timeout=60_000)
        assert [m.id for m in runtime.members] == ["sage", "optimist", "pragmatist"]
    finally:
        session.shutdown(2.0)
        assert manager.shutdown(5)
        window.close()
        window.deleteLater()
        loop.close()
        asyncio.set_event_loop(None)
        store.close()
