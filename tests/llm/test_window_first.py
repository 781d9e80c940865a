"""WindowFirst: the decode loop waits at the window's hold before a step, resumes on release, and a hold
that is never released lapses after its short wait. With the scripted engine (the real Engine's loop)
and with the real one."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from council_desktop.core.types import GenerationParams, Message, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine, SeatSpec, WindowFirst
from tests.scripted_engine import ScriptedEngine


def test_wait_returns_at_once_when_nothing_is_held() -> None:
    gate = WindowFirst(max_wait_s=5.0)
    t0 = time.perf_counter()
    gate.wait()
    assert time.perf_counter() - t0 < 1.0 and gate.waits == 0


def test_wait_ends_on_release() -> None:
    gate = WindowFirst(max_wait_s=5.0)
    gate.hold()
    threading.Timer(0.1, gate.release).start()
    t0 = time.perf_counter()
    gate.wait()
    took = time.perf_counter() - t0
    assert 0.05 < took < 4.0 and gate.waits == 1 and not gate.held


def test_a_hold_never_released_lapses_after_its_wait() -> None:
    gate = WindowFirst(max_wait_s=0.05)
    gate.hold()
    gate.wait()
    assert not gate.held  # the next step does not wait again
    t0 = time.perf_counter()
    gate.wait()
    assert time.perf_counter() - t0 < 0.04 and gate.waits == 1


def _words(member_id: str, _messages: Sequence[Message], _req: Request) -> str:
    return " ".join(f"{member_id}{i}" for i in range(40))


def _stream(engine: Engine, gate: WindowFirst, member: str, hold_s: float) -> tuple[list[float], float, str]:
    """Hold the gate, submit a generation, release after ``hold_s``: when its tokens came, when it was
    released, and the text."""
    engine.window_gate = gate
    host = EngineThread(engine).start()

    async def go() -> tuple[list[float], float, str]:
        backend = EngineBackend(engine)
        seen: list[float] = []
        gate.hold()
        fut = backend.submit([Request(member, (Message("user", "Say one word."),), GenerationParams(max_tokens=8),
                                      lambda _t: seen.append(time.monotonic()))])[0]
        await asyncio.sleep(hold_s)
        released = time.monotonic()
        gate.release()
        comp = await fut
        return seen, released, comp.text

    try:
        return asyncio.run(go())
    finally:
        assert host.stop(5.0)


def test_the_decode_loop_takes_no_step_while_the_window_holds_it() -> None:
    engine = ScriptedEngine(script=_words, tick=0.001)
    engine.load([SeatSpec("a", Path("scripted.gguf"), "chatml")])
    seen, released, text = _stream(engine, WindowFirst(max_wait_s=5.0), "a", 0.3)
    assert text.startswith("a0") and seen
    assert min(seen) >= released  # not one token before the window let go


def test_stop_releases_a_held_loop_at_once() -> None:
    engine = ScriptedEngine(script=_words, tick=0.001)
    engine.load([SeatSpec("a", Path("scripted.gguf"), "chatml")])
    gate = WindowFirst(max_wait_s=30.0)
    engine.window_gate = gate
    gate.hold()
    engine.stop()
    assert not gate.held


@pytest.mark.model
def test_the_real_engine_waits_for_the_window_then_says_the_same(starter_path: Path) -> None:
    def text(hold_s: float) -> tuple[list[float], float, str]:
        engine = Engine(seat_ctx=512, n_threads=1)
        engine.load([SeatSpec("a", starter_path, "chatml")])
        return _stream(engine, WindowFirst(max_wait_s=5.0), "a", hold_s)

    seen, released, held = text(0.4)
    assert seen and min(seen) >= released
    _, _, free = text(0.0)
    assert held == free  # the same seed: waiting changes when the words come, never which
