"""Helpers for the service tests that drive sessions: the scripted council's seats, waiting for a
session's end on a qasync loop, and Stop pressed mid-stream."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from pathlib import Path

from council_desktop.llm.engine import SeatSpec
from council_desktop.llm.seating import Seat
from council_desktop.services.qt_session import CouncilSession
from tests.scripted import members


def scripted_seats() -> list[Seat]:
    return [Seat(m, SeatSpec(m.id, Path("scripted.gguf"), "chatml")) for m in members()]


def session_outcome(session: CouncilSession, loop: asyncio.AbstractEventLoop
                    ) -> asyncio.Future[tuple[str, str, str]]:
    """The next ``session_finished(id, status, reason)`` as a future on ``loop``."""
    fut: asyncio.Future[tuple[str, str, str]] = loop.create_future()

    def finished(*args: str) -> None:
        if not fut.done():
            fut.set_result(args)  # type: ignore[arg-type]
        session.session_finished.disconnect(finished)

    session.session_finished.connect(finished)
    return fut


def run_until(loop: asyncio.AbstractEventLoop, done: Callable[[], bool], timeout: float = 10.0) -> None:
    """Turn the loop until ``done()`` (or ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not done() and time.monotonic() < deadline:
        loop.run_until_complete(asyncio.sleep(0.005))


def stop_after_tokens(session: CouncilSession, loop: asyncio.AbstractEventLoop, start: Callable[[], None],
                      tokens: int = 3) -> str:
    """Start a session (``start()``), press Stop once it has streamed ``tokens`` tokens, and return how it
    ended; then a debate runs to the end (the Stop left nothing behind)."""
    seen: list[object] = []
    session.event_emitted.connect(lambda e: e.kind == "token" and seen.append(e))
    fut = session_outcome(session, loop)
    start()
    run_until(loop, lambda: len(seen) >= tokens)
    session.stop()
    _, status, _ = loop.run_until_complete(asyncio.wait_for(fut, 5))
    fut = session_outcome(session, loop)
    session.convene("Should zoos exist?", seed=7)
    _, after, reason = loop.run_until_complete(asyncio.wait_for(fut, 30))
    assert after == "finished", reason
    return status
