"""One cancel token per session: a Stop reaches the running session through loading, queued jobs and
decoding, and a Stop with no session running leaves nothing behind for the next one. With the real
Engine's queue and cancel logic over a scripted model (fast), and with the real starter model."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from council_desktop.core.types import Cancelled, CancelToken, Completion, GenerationParams, Message
from council_desktop.llm.backend import EngineThread
from council_desktop.llm.engine import Engine, Job, SeatSpec
from council_desktop.services.qt_session import CouncilSession
from council_desktop.services.runtime import CouncilRuntime, RunRequest
from tests.scripted_engine import ScriptedEngine
from tests.services.sessions import run_until, scripted_seats, session_outcome, stop_after_tokens

HELLO = (Message("user", "Say hello."),)


def run_job(engine: Engine, member: str, cancel: CancelToken | None = None, timeout: float = 30.0) -> object:
    got: list[object] = []
    done = threading.Event()

    def finished(result: object) -> None:
        got.append(result)
        done.set()

    engine.submit([Job(member, HELLO, GenerationParams(max_tokens=8, temperature=0.0), on_done=finished,
                       cancel=cancel or CancelToken())])
    assert done.wait(timeout), "the job never finished"
    return got[0]


# -- the engine ------------------------------------------------------------------------------------------


def test_cancel_all_while_idle_does_not_cancel_the_next_job() -> None:
    engine = ScriptedEngine()
    engine.load([s.spec for s in scripted_seats()])
    host = EngineThread(engine).start()
    try:
        engine.cancel_all()  # Stop pressed with nothing running
        time.sleep(0.3)  # the loop has gone round its idle wait at least once
        assert isinstance(run_job(engine, "sage"), Completion)
    finally:
        assert host.stop(5.0)


def test_cancel_all_cancels_what_is_queued_and_running_then_and_nothing_later() -> None:
    engine = ScriptedEngine(tick=0.01)
    engine.load([s.spec for s in scripted_seats()])
    host = EngineThread(engine).start()
    results: list[object] = []
    done = threading.Event()

    def finished(r: object) -> None:
        results.append(r)
        if len(results) == 3:
            done.set()

    try:
        # Two jobs on one seat: the second queues behind the first.
        engine.submit([Job(m, HELLO, GenerationParams(max_tokens=8), on_done=finished)
                       for m in ("sage", "sage", "poet")])
        time.sleep(0.02)
        engine.cancel_all()
        assert done.wait(5)
        assert all(isinstance(r, Cancelled) for r in results)
        assert isinstance(run_job(engine, "sage"), Completion)
    finally:
        assert host.stop(5.0)


def test_a_job_submitted_with_a_cancelled_token_fails_at_once_and_others_run() -> None:
    engine = ScriptedEngine()
    engine.load([s.spec for s in scripted_seats()])
    host = EngineThread(engine).start()
    try:
        dead = CancelToken()
        dead.cancel()
        assert isinstance(run_job(engine, "sage", dead, timeout=1.0), Cancelled)
        assert isinstance(run_job(engine, "sage"), Completion)
    finally:
        assert host.stop(5.0)


# -- the runtime (command line) --------------------------------------------------------------------------


def test_runtime_stop_between_sessions_leaves_the_next_session_alone() -> None:
    runtime = CouncilRuntime(scripted_seats(), engine_factory=lambda ctx: ScriptedEngine(ctx))
    runtime.load()
    try:
        runtime.stop()  # between sessions
        _, outcome = asyncio.run(runtime.run(RunRequest("debate", "Should zoos exist?", seed=1, max_tokens=20)))
        assert outcome.status == "finished", outcome.reason
    finally:
        runtime.shutdown()


def test_runtime_stop_during_a_session_cancels_it_and_only_it() -> None:
    runtime = CouncilRuntime(scripted_seats(), engine_factory=lambda ctx: ScriptedEngine(ctx, tick=0.01))
    runtime.load()

    async def go() -> tuple[str, str]:
        first = asyncio.ensure_future(runtime.run(RunRequest("debate", "Should zoos exist?", seed=1)))
        while runtime.cancel_token is None or runtime.engine.tokens_decoded < 3:
            await asyncio.sleep(0.005)
        runtime.stop()
        _, a = await first
        _, b = await runtime.run(RunRequest("debate", "Should zoos exist?", seed=2))
        return a.status, b.status

    try:
        assert asyncio.run(go()) == ("cancelled", "finished")
    finally:
        runtime.shutdown()


# -- the window's session --------------------------------------------------------------------------------


@pytest.mark.gui
def test_window_stop_while_idle_then_convene_finishes(qt_loop: asyncio.AbstractEventLoop,
                                                      scripted_session: Callable[..., CouncilSession]) -> None:
    session = scripted_session()
    session.stop()  # Esc with nothing running
    fut = session_outcome(session, qt_loop)
    session.convene("Should zoos exist?", seed=3)
    _, status, reason = qt_loop.run_until_complete(asyncio.wait_for(fut, 30))
    assert status == "finished", reason


@pytest.mark.gui
def test_window_stop_while_the_seats_load_ends_that_session_and_not_the_next(
        qt_loop: asyncio.AbstractEventLoop, scripted_session: Callable[..., CouncilSession]) -> None:
    gate = threading.Event()
    session = scripted_session(load=False, load_gate=gate)
    try:
        fut = session_outcome(session, qt_loop)
        session.convene("Should zoos exist?", seed=4)  # starts loading; the session waits for the seats
        qt_loop.run_until_complete(asyncio.sleep(0.1))
        assert session.running
        session.stop()
        _, status, _ = qt_loop.run_until_complete(asyncio.wait_for(fut, 5))
        assert status == "cancelled"  # at once, without waiting for the models
        gate.set()
        run_until(qt_loop, lambda: session._loaded)
        fut = session_outcome(session, qt_loop)
        session.convene("Should zoos exist?", seed=5)
        _, status, reason = qt_loop.run_until_complete(asyncio.wait_for(fut, 30))
        assert status == "finished", reason
    finally:
        gate.set()


@pytest.mark.gui
def test_window_stop_mid_debate_cancels_it_and_the_next_one_runs(
        qt_loop: asyncio.AbstractEventLoop, scripted_session: Callable[..., CouncilSession]) -> None:
    session = scripted_session(tick=0.01)
    assert stop_after_tokens(session, qt_loop, lambda: session.convene("Should zoos exist?", seed=6)) == "cancelled"


# -- the real engine -------------------------------------------------------------------------------------


@pytest.mark.model
def test_real_engine_stop_while_idle_leaves_the_next_session_alone(starter_path: Path) -> None:
    from council_desktop.llm.seating import starter_council

    runtime = CouncilRuntime(starter_council(), seat_ctx=1024)
    runtime.load()
    try:
        runtime.stop()  # Stop pressed between sessions
        time.sleep(0.3)
        _, outcome = asyncio.run(runtime.run(RunRequest("ask", "What is two plus two?", seed=1, max_tokens=8)))
        assert outcome.status == "finished", outcome.reason
        runtime.engine.cancel_all()  # the engine-wide cancel with nothing running: no trace either
        time.sleep(0.3)
        assert isinstance(run_job(runtime.engine, "sage", timeout=60), Completion)
    finally:
        runtime.shutdown()


@pytest.mark.model
def test_real_engine_a_session_token_cancels_its_running_and_queued_jobs(starter_path: Path) -> None:
    engine = Engine(seat_ctx=1024)
    engine.load([SeatSpec(f"s{i}", starter_path, "chatml") for i in range(2)])
    host = EngineThread(engine).start()
    token = CancelToken()
    results: list[object] = []
    done = threading.Event()
    first_token = threading.Event()

    def finished(r: object) -> None:
        results.append(r)
        if len(results) == 3:
            done.set()

    try:
        long = GenerationParams(max_tokens=400, temperature=0.7)
        engine.submit([Job("s0", HELLO, long, on_token=lambda _t: first_token.set(), on_done=finished, cancel=token),
                       Job("s0", HELLO, long, on_done=finished, cancel=token),  # queued behind it
                       Job("s1", HELLO, long, on_done=finished, cancel=token)])
        assert first_token.wait(60)
        token.cancel()
        engine.wake()
        assert done.wait(5)
        assert all(isinstance(r, Cancelled) for r in results)
        assert isinstance(run_job(engine, "s1", timeout=60), Completion)  # another session's job runs
    finally:
        assert host.stop(5.0)
