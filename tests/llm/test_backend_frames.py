"""Token deltas coalesced to the display's frame rate: fewer, joined deliveries, in order, all before the
completion. Over the real Engine's loop with a scripted model that streams one word per step."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Sequence

from council_desktop.core.types import GenerationParams, Message, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import SeatSpec
from tests.scripted_engine import ScriptedEngine

WORDS = 120


def many_words(member_id: str, _messages: Sequence[Message], _req: Request) -> str:
    return " ".join(f"{member_id}{i}" for i in range(WORDS))


def run(frame_s: float) -> tuple[list[list[tuple[float, str]]], list[str], list[float], float]:
    engine = ScriptedEngine(script=many_words, tick=0.002)  # ~500 words/s per seat: many per frame
    engine.load([SeatSpec(m, "scripted.gguf", "chatml") for m in ("a", "b")])  # type: ignore[arg-type]
    host = EngineThread(engine).start()

    async def go() -> tuple[list[list[tuple[float, str]]], list[str], list[float], float]:
        backend = EngineBackend(engine, frame_s=frame_s)
        got: list[list[tuple[float, str]]] = [[], []]
        done_at: list[float] = []
        t0 = time.monotonic()
        futs = backend.submit([Request(m, (Message("user", "go"),), GenerationParams(max_tokens=500),
                                       lambda t, i=i: got[i].append((time.monotonic(), t)))
                               for i, m in enumerate(("a", "b"))])
        texts = []
        for fut in futs:
            comp = await fut
            done_at.append(time.monotonic())
            texts.append(comp.text)
        return got, texts, done_at, time.monotonic() - t0

    try:
        return asyncio.run(go())
    finally:
        assert host.stop(5.0)


def test_without_frames_every_token_is_its_own_event() -> None:
    got, texts, _, _ = run(0.0)
    assert [len(g) for g in got] == [WORDS, WORDS]
    assert ["".join(t for _, t in g).strip() for g in got] == texts


def test_frames_join_tokens_keep_their_order_and_come_before_the_completion() -> None:
    frame = 0.05
    got, texts, done_at, took = run(frame)
    for deliveries, text, done in zip(got, texts, done_at, strict=True):
        assert "".join(t for _, t in deliveries).strip() == text  # nothing lost, nothing reordered
        assert len(deliveries) < WORDS / 3  # joined: far fewer events than tokens
        assert len(deliveries) <= took / frame + 2  # at most about one per frame
        assert all(at <= done for at, _ in deliveries)  # every token before the completion
    gaps = [b[0] - a[0] for a, b in zip(got[0], got[0][1:], strict=False)]
    assert sorted(gaps)[len(gaps) // 2] >= frame * 0.5  # typically a frame apart
