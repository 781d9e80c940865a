"""SQLite off the GUI thread: a session's storage calls run on the storage thread, in order, and a
QueryOp brings a query's result back to the GUI thread."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QObject
from PySide6.QtWidgets import QApplication

from council_desktop.core.events import Event
from council_desktop.llm.engine import SeatSpec
from council_desktop.llm.seating import Seat
from council_desktop.services.query_op import QueryOp
from council_desktop.services.runtime import CouncilRuntime, RunRequest
from council_desktop.storage import Store
from tests.qt_loop import QtTestLoop
from tests.scripted import members
from tests.scripted_engine import ScriptedEngine


def scripted_seats() -> list[Seat]:
    return [Seat(m, SeatSpec(m.id, Path("scripted.gguf"), "chatml")) for m in members()]


class SpyStore:
    """A real Store whose every call notes the thread it ran on."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.calls: list[tuple[str, int]] = []

    def _note(self, name: str) -> None:
        self.calls.append((name, threading.get_ident()))

    def recorder(self, session_id: str) -> Any:
        self._note("recorder")
        inner = self.store.recorder(session_id)
        spy = self

        class Rec:
            pending = property(lambda _self: inner.pending)

            def __call__(self, event: Event) -> None:
                spy._note(f"write:{event.kind}")
                inner(event)

            def flush(self) -> None:
                inner.flush()

            def close(self) -> None:
                inner.close()

        return Rec()

    def award_hook(self, session_id: str | None = None) -> Callable[[Sequence[Event]], Sequence[Any]]:
        self._note("award_hook")
        return self.store.award_hook(session_id)

    def nudges_for(self, member_ids: Sequence[str]) -> dict[str, list[str]]:
        self._note("nudges_for")
        return self.store.nudges_for(member_ids)

    def traits_for(self, member_ids: Sequence[str]) -> dict[str, dict[str, float]]:
        self._note("traits_for")
        return self.store.traits_for(member_ids)

    def next_roles(self, member_ids: Sequence[str], skip: Sequence[str] = ()) -> tuple[int, int]:
        self._note("next_roles")
        return self.store.next_roles(member_ids, skip)

    def advance_rotation(self) -> None:
        self._note("advance_rotation")
        self.store.advance_rotation()

    def update_personalities(self, session_id: str, events: Sequence[Event]) -> object:
        self._note("update_personalities")
        return self.store.update_personalities(session_id, events)

    def sessions(self, search: str | None = None, limit: int = 50) -> Sequence[Any]:
        self._note("sessions")
        return self.store.sessions(search, limit)


def test_a_sessions_storage_calls_run_off_the_event_loop_thread_in_order(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "h.sqlite3")
    spy = SpyStore(store)
    runtime = CouncilRuntime(scripted_seats(), spy, engine_factory=lambda ctx: ScriptedEngine(ctx))
    runtime.load()
    loop_thread: list[int] = []

    async def go() -> tuple[str, Any]:
        loop_thread.append(threading.get_ident())
        return await runtime.run(RunRequest("debate", "Should zoos exist?", seed=1, max_tokens=20))

    try:
        sid, outcome = asyncio.run(go())
    finally:
        runtime.shutdown()
    assert outcome.status == "finished", outcome.reason
    names = [n for n, _ in spy.calls]
    for needed in ("next_roles", "nudges_for", "recorder", "write:roles", "write:complete", "advance_rotation",
                   "update_personalities"):
        assert needed in names
    assert all(tid != loop_thread[0] for _, tid in spy.calls), spy.calls
    writes = [n for n in names if n.startswith("write:")]
    assert writes[0] == "write:roles" and writes[-1] == "write:complete"
    stored = store.load_events(sid)
    assert [e.seq for e in stored] == sorted(e.seq for e in stored)
    assert stored[-1].kind == "complete"
    assert store.session(sid).status == "finished"  # type: ignore[union-attr]
    store.close()


@pytest.mark.gui
def test_query_op_runs_off_the_gui_thread_and_answers_on_it(qapp: QApplication) -> None:
    gui = threading.get_ident()
    seen: dict[str, Any] = {}

    def op() -> int:
        seen["op_thread"] = threading.get_ident()
        return 42

    def success(value: int) -> None:
        seen["value"] = value
        seen["success_thread"] = threading.get_ident()

    QueryOp(parent=None, op=op, success=success).run_in_background()
    deadline = time.monotonic() + 5
    while "value" not in seen and time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.005)
    assert seen["value"] == 42
    assert seen["op_thread"] != gui and seen["success_thread"] == gui


@pytest.mark.gui
def test_an_answer_ready_at_once_still_comes_from_the_event_loop(qapp: QApplication,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """An op that finished before its done-callback was added (the future is done at once) must not
    answer inside run_in_background: the caller (a page) sets "Loading…" around it, then the answer."""
    from concurrent.futures import Future

    from council_desktop.services import query_op

    def done_at_once(fn: Callable[[], Any]) -> Future[Any]:
        future: Future[Any] = Future()
        future.set_result(fn())
        return future

    monkeypatch.setattr(query_op.storage_thread, "submit", done_at_once)
    got: list[int] = []
    QueryOp(parent=None, op=lambda: 7, success=got.append).run_in_background()
    assert got == []  # not yet: it comes from the event loop
    deadline = time.monotonic() + 2
    while not got and time.monotonic() < deadline:
        qapp.processEvents()
    assert got == [7]


@pytest.mark.gui
def test_query_op_failure_and_a_gone_parent(qapp: QApplication) -> None:
    errors: list[Exception] = []
    called: list[object] = []

    def boom() -> int:
        raise ValueError("the disk is gone")

    QueryOp(parent=None, op=boom, success=called.append).failure(errors.append).run_in_background()
    parent = QObject()
    QueryOp(parent=parent, op=lambda: (time.sleep(0.1), 1)[1], success=called.append).run_in_background()
    shiboken6.delete(parent)  # the page that asked is gone before the answer comes
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline:
        qapp.processEvents()
        time.sleep(0.01)
    assert len(errors) == 1 and "disk" in str(errors[0])
    assert called == []  # neither the failing op's success nor the orphan's


@pytest.mark.gui
def test_a_window_session_with_a_store_finishes_and_is_stored(qapp: QApplication, tmp_path: Path) -> None:
    """The storage thread under the qasync loop the window runs (futures come back through it)."""

    from council_desktop.llm.backend import DISPLAY_FRAME_S
    from council_desktop.services.qt_session import CouncilSession

    store = Store.open(tmp_path / "h.sqlite3")
    runtime = CouncilRuntime(scripted_seats(), store, engine_factory=lambda ctx: ScriptedEngine(ctx),
                             token_frame_s=DISPLAY_FRAME_S)
    session = CouncilSession(runtime)
    loop = QtTestLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    try:
        session.load()
        fut: asyncio.Future[tuple[str, str, str]] = loop.create_future()
        session.session_finished.connect(lambda *a: fut.done() or fut.set_result(a))
        session.convene("Should zoos exist?", seed=2)
        sid, status, reason = loop.run_until_complete(asyncio.wait_for(fut, 60))
        assert status == "finished", reason
        row = store.session(sid)
        assert row is not None and row.status == "finished"
    finally:
        session.shutdown(2.0)
        loop.close()
        asyncio.set_event_loop(None)
        store.close()
