"""PacedEvents: a burst of session events reaches the window in order, spread over passes of the event
loop once a pass has used its budget, and nothing is lost when the session ends."""

from __future__ import annotations

import asyncio
import time

from council_desktop.core.events import Event
from council_desktop.llm.engine import WindowFirst
from council_desktop.services.qt_session import PacedEvents


def _event(i: int) -> Event:
    return Event(i, "turn_started", 0.0, "", {"member": f"m{i}"})


def test_a_burst_is_delivered_in_order_over_several_passes() -> None:
    delivered: list[int] = []
    passes: list[list[int]] = [[]]

    def slow_view(event: Event) -> None:  # a view that takes 5 ms per event
        delivered.append(event.seq)
        passes[-1].append(event.seq)
        time.sleep(0.005)

    async def run() -> None:
        paced = PacedEvents(slow_view, budget_s=0.008)
        for i in range(10):
            paced(_event(i))
        assert delivered == []  # not inside the pipeline's own step
        while len(delivered) < 10:
            passes.append([])
            await asyncio.sleep(0)

    asyncio.run(run())
    assert delivered == list(range(10))
    slices = [p for p in passes if p]
    assert len(slices) >= 4  # two events (10 ms) per pass at most, not all ten at once
    assert max(len(p) for p in slices) <= 2


def test_flush_delivers_what_is_left_at_once() -> None:
    delivered: list[int] = []

    async def run() -> None:
        paced = PacedEvents(lambda e: delivered.append(e.seq))
        for i in range(5):
            paced(_event(i))
        assert paced.pending == 5
        paced.flush()
        assert delivered == list(range(5)) and paced.pending == 0
        await asyncio.sleep(0)  # the drain already scheduled finds nothing to do
        paced(_event(5))
        await asyncio.sleep(0)

    asyncio.run(run())
    assert delivered == list(range(6))


# -- the window first (llm.engine.WindowFirst) ---------------------------------------------------------


def _token(i: int) -> Event:
    return Event(i, "token", 0.0, "", {"member": "m0", "delta": "x"})


def test_a_stage_event_holds_the_decode_until_it_is_shown_and_its_repaint_has_had_time() -> None:
    gate = WindowFirst(max_wait_s=5.0)
    seen: list[tuple[str, bool]] = []

    async def run() -> None:
        paced = PacedEvents(lambda e: seen.append((e.kind, gate.held)), gate=gate, release_after_s=0.3)
        paced(_token(0))
        assert not gate.held  # a token streams beside the decode
        paced(_event(1))
        assert gate.held  # held from the moment it arrives, before it is shown
        await asyncio.sleep(0.05)
        assert seen == [("token", True), ("turn_started", True)] and gate.held  # shown; the repaint's time
        await asyncio.sleep(0.4)
        assert not gate.held

    asyncio.run(run())


def test_an_event_arriving_while_the_last_waits_for_its_release_keeps_the_decode_held() -> None:
    gate = WindowFirst(max_wait_s=5.0)

    async def run() -> None:
        paced = PacedEvents(lambda e: None, gate=gate, release_after_s=0.4)
        paced(_event(0))
        await asyncio.sleep(0.2)  # shown at once; its release is due at 0.4 s
        paced(_event(1))  # shown at once; its release is due at 0.6 s
        await asyncio.sleep(0.3)  # 0.5 s: the first release has fallen due, and left the gate held
        assert gate.held
        await asyncio.sleep(0.3)
        assert not gate.held

    asyncio.run(run())


def test_flush_releases_the_decode() -> None:
    gate = WindowFirst(max_wait_s=5.0)

    async def run() -> None:
        paced = PacedEvents(lambda e: None, gate=gate)
        paced(_event(0))
        paced.flush()
        assert not gate.held

    asyncio.run(run())
