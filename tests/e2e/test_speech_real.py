"""End to end: a real debate of the starter council (SmolLM2-135M through llama-cpp-python), every turn
through the speech checker. With the levers on, no opinion, rebuttal or synthesis the viewer reads has a
hard defect (echo, self-repeat, loop, role label, empty), and a proposed topic is a clean, fresh question;
the sampler's repetition control really changes what the model writes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from council_desktop.core import speech
from council_desktop.core.events import EventLog
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.core.types import GenerationParams, Message, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine
from council_desktop.llm.seating import starter_council

pytestmark = [pytest.mark.model, pytest.mark.slow]


@pytest.fixture(scope="module")
def engine(starter_path: Path):
    eng = Engine()
    assert eng.load([s.spec for s in starter_council()]) == {}
    host = EngineThread(eng).start()
    yield eng
    assert host.stop(5.0)


def _debate(engine: Engine, **kw):  # type: ignore[no-untyped-def]
    seats = starter_council()
    plan = SessionPlan("debate", [s.member for s in seats], max_tokens=96, **kw)
    log = EventLog()
    outcome = asyncio.run(Orchestrator(plan, EngineBackend(engine), log).run())
    assert outcome.status == "finished", outcome.reason
    return log.events, {s.member.id: s.member.name for s in seats}


def test_a_real_debate_has_no_hard_defects(engine: Engine) -> None:
    recent = ["Is it fair to pay students for good grades?", "Would you break a promise to save a stranger?"]
    events, names = _debate(engine, seed=5, proposer=1, chairman=3, recent_topics=recent)
    topic_event = next(e for e in events if e.kind == "topic")
    topic = topic_event.data["text"]
    assert topic_event.data["member"] == "skeptic" and not topic_event.data.get("note")
    assert speech.topic_defects(topic, recent) == [], topic
    said: dict[tuple[str, str], str] = {}
    checked = 0
    for e in events:
        if e.kind not in ("opinion", "rebuttal", "synthesis"):
            continue
        d = e.data
        said[(e.kind, d["member"])] = d["text"]
        sources = {f"{names[m]} ({k})": t for (k, m), t in said.items() if k != "synthesis"} \
            if e.kind == "synthesis" else {}
        if e.kind == "rebuttal":
            sources = {names[m]: t for (k, m), t in said.items() if k == "opinion" and m != d["member"]}
        ctx = speech.TurnContext(kind=e.kind, speaker=names[d["member"]], topic=topic,
                                 own=said.get(("opinion", d["member"]), "") if e.kind == "rebuttal" else "",
                                 sources=sources, names=list(names.values()))
        defects = speech.hard(speech.check(d["text"], ctx))
        assert defects == [], f"{names[d['member']]} ({e.kind}): {defects}: {d['text']!r}"
        checked += 1
    assert checked == 5 + 2 + 1


def test_dry_and_penalties_break_a_loop_the_plain_sampler_falls_into(engine: Engine) -> None:
    msgs = (Message("system", "You are a helpful assistant."),
            Message("user", "Repeat after me forever: the council agrees, the council agrees, the council agrees,"))

    async def go(params: GenerationParams) -> str:
        fut = EngineBackend(engine).submit([Request("sage", msgs, params)])[0]
        return (await fut).text

    plain = asyncio.run(go(GenerationParams(max_tokens=60, temperature=0.0)))
    steered = asyncio.run(go(GenerationParams(max_tokens=60, temperature=0.3, seed=1, repeat_penalty=1.1,
                                              dry_multiplier=0.8, dry_allowed_length=3, min_p=0.08)))
    loops = [speech.check(t, speech.TurnContext(kind="opinion", speaker="Sage")) for t in (plain, steered)]
    assert any(d.kind == "loop" for d in loops[0]), plain
    assert not any(d.kind == "loop" for d in loops[1]), steered
