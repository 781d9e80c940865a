"""A scripted CouncilBackend for fast unit and GUI tests (never what the app runs)."""

from __future__ import annotations

import asyncio
import json
import re
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from council_desktop.core.events import Event, EventLog
from council_desktop.core.personas import STARTER_PERSONAS
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.core.types import Cancelled, Completion, Member, MemberError, Message, Probe, Request

Script = Callable[[str, Sequence[Message], Request], "str | BaseException"]


def members() -> list[Member]:
    return [Member(p.id, p.name, "scripted", p.prompt, p.temperature, p.color) for p in STARTER_PERSONAS]


def default_script(member_id: str, messages: Sequence[Message], req: Request) -> str | BaseException:
    """Plausible replies for every prompt kind, derived from the prompt so tests can check wiring."""
    prompt = messages[-1].content
    schema = req.params.json_schema
    if schema is not None:
        props = schema["properties"]
        if "ranking" in props:
            return json.dumps({"ranking": list(props["ranking"]["items"]["enum"])})
        if "agree" in props:
            names = props["agree"]["items"]["enum"]
            return json.dumps({"agree": names[:1], "disagree": names[1:2]})
        # Scores depend on the target text so that the bottom two are predictable: an answer that
        # contains "weak" gets 2, others 8.
        blocks = dict(re.findall(r"(Response [A-H]):\n((?:\u2503.*\n?)+)", prompt))
        return json.dumps({lab: (2 if "weak" in blocks.get(lab, "") else 8) for lab in props})
    if "Propose one short" in prompt:
        # A clean proposal on the subject it was given: the topic check passes it.
        area = re.search(r"question about (.+?) that people", prompt)
        return f"Should {member_id}s pay more tax on {area.group(1) if area else 'time off'}?"
    if "Defend or refine" in prompt:
        return f"{member_id} stands firm."
    if "Sum up the debate" in prompt or "single best answer" in prompt:
        return f"The council, chaired by {member_id}, concludes."
    return f"{member_id} says something {'weak' if member_id in ('poet', 'optimist') else 'strong'}."


class ScriptedBackend:
    def __init__(self, script: Script = default_script, delay: float = 0.0,
                 probe_script: Callable[[Probe], dict[str, float] | BaseException] | None = None) -> None:
        self.script = script
        self.probe_script = probe_script or default_probe
        self.probes: list[Probe] = []
        self.delay = delay
        self.calls: list[Request] = []
        self.cancelled = False
        self._tasks: set[asyncio.Task[None]] = set()

    def submit(self, requests: Sequence[Request]) -> list[asyncio.Future[Completion]]:
        loop = asyncio.get_running_loop()
        futures = []
        for req in requests:
            self.calls.append(req)
            fut: asyncio.Future[Completion] = loop.create_future()
            futures.append(fut)
            task = loop.create_task(self._run(req, fut))
            self._tasks.add(task)
            task.add_done_callback(self._tasks.discard)
        return futures

    async def _run(self, req: Request, fut: asyncio.Future[Completion]) -> None:
        out = self.script(req.member_id, req.messages, req)
        await asyncio.sleep(self.delay)
        if self.cancelled:
            fut.set_exception(Cancelled("stopped"))
            return
        if isinstance(out, BaseException):
            fut.set_exception(out)
            return
        for word in out.split(" "):
            if req.on_token:
                req.on_token(word + " ")
            await asyncio.sleep(0)
        fut.set_result(Completion(out, len(out.split()), 0.01))

    def probe(self, probes: Sequence[Probe]) -> list[asyncio.Future[dict[str, float]]]:
        loop = asyncio.get_running_loop()
        futures = []
        for pr in probes:
            self.probes.append(pr)
            fut: asyncio.Future[dict[str, float]] = loop.create_future()
            out = self.probe_script(pr)
            if isinstance(out, BaseException):
                fut.set_exception(out)
            else:
                fut.set_result(out)
            futures.append(fut)
        return futures

    def cancel(self) -> None:
        self.cancelled = True


def default_probe(pr: Probe) -> dict[str, float] | BaseException:
    """A judge that dislikes answers containing "weak" and agrees with answers containing "strong"."""
    quoted = "\n".join(line for line in pr.messages[-1].content.splitlines() if line.startswith("\u2503"))
    last = quoted.split("\n\n")[-1] if "Do you agree" not in pr.messages[-1].content else \
        pr.messages[-1].content.split(" said:")[-1]
    if "Do you agree" in pr.messages[-1].content:
        yes = 0.4 if "strong" in last else 0.05
    else:
        yes = 0.05 if "weak" in last else 0.3
    return {"Yes": yes, "No": 1 - yes}


def probe_fails_for(*members: str) -> Callable[[Probe], dict[str, float] | BaseException]:
    def script(pr: Probe) -> dict[str, float] | BaseException:
        if pr.member_id in members:
            return RuntimeError("no probabilities from this backend")
        return default_probe(pr)
    return script

def failing(member: str, reason: str = "model file is corrupt") -> Script:
    def script(member_id: str, messages: Sequence[Message], req: Request) -> str | BaseException:
        if member_id == member:
            return MemberError(member_id, reason)
        return default_script(member_id, messages, req)
    return script


def run_session(mode: str = "debate", topic: str | None = None, seed: int = 0,
                backend: ScriptedBackend | None = None, sinks: Sequence[Callable[[Event], None]] = ()) -> list[Event]:
    """One session through the real Orchestrator on a scripted backend; every event also goes to ``sinks``."""
    log = EventLog(list(sinks))
    if mode == "ask" and topic is None:
        topic = "What is the best way to learn a language?"
    plan = SessionPlan(mode, members(), topic=topic, seed=seed)  # type: ignore[arg-type]
    asyncio.run(Orchestrator(plan, backend or ScriptedBackend(), log).run())
    return log.events


def record_session(store: Any, mode: str = "debate", topic: str | None = None, seed: int = 0,
                   session_id: str | None = None) -> tuple[str, list[Event]]:
    """Run a scripted session with the real Orchestrator into ``store``; returns (session id, events)."""
    sid = session_id or uuid.uuid4().hex
    recorder = store.recorder(sid)
    events = run_session(mode, topic, seed, sinks=[recorder])
    recorder.close()
    return sid, events
