"""Scripted council sessions for the storage tests: realistic event sequences emitted through EventLog.

Tests reach the builder through the ``council`` fixture (this module); the crash test's subprocess
loads this file by path.
"""

from __future__ import annotations

import json
import sys
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from council_desktop.core.events import ASK_STAGES, DEBATE_STAGES, Event, EventLog

MEMBERS: tuple[dict[str, str], ...] = (
    {"id": "sage", "name": "Sage", "model": "SmolLM2-135M-Instruct (starter)",
     "persona": "You are Sage: calm, careful, fond of evidence.", "color": "#7aa2f7", "status": "ok"},
    {"id": "rebel", "name": "Rebel", "model": "SmolLM2-135M-Instruct (starter)",
     "persona": "You are Rebel: you question every easy answer.", "color": "#f7768e", "status": "ok"},
    {"id": "muse", "name": "Muse", "model": "SmolLM2-135M-Instruct (starter)",
     "persona": "You are Muse: imaginative, you look for the unexpected angle.", "color": "#bb9af7",
     "status": "ok"},
    {"id": "judge", "name": "Judge", "model": "SmolLM2-135M-Instruct (starter)",
     "persona": "You are Judge: strict, you weigh arguments.", "color": "#e0af68", "status": "ok"},
    {"id": "qwen25-05b", "name": "Qwen", "model": "qwen2.5-0.5b-instruct-q4_k_m.gguf",
     "persona": "You are Qwen: practical and direct.", "color": "#9ece6a", "status": "ok"},
)
IDS = tuple(m["id"] for m in MEMBERS)
LABELS = tuple(f"Response {c}" for c in "ABCDEFGH")

# reviewer -> target -> score. Means received: sage 7.25, rebel 4.25, muse 6.0, judge 6.75, qwen 3.75.
SCORES: dict[str, dict[str, float]] = {
    "sage": {"rebel": 4, "muse": 6, "judge": 7, "qwen25-05b": 3},
    "rebel": {"sage": 6, "muse": 5, "judge": 6, "qwen25-05b": 4},
    "muse": {"sage": 8, "rebel": 5, "judge": 7, "qwen25-05b": 4},
    "judge": {"sage": 7, "rebel": 3, "muse": 6, "qwen25-05b": 4},
    "qwen25-05b": {"sage": 8, "rebel": 5, "muse": 7, "judge": 7},
}
# member -> (agree, disagree)
STANCES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "sage": (("muse", "judge"), ("rebel",)),
    "rebel": (("qwen25-05b",), ("sage", "judge")),
    "muse": (("sage", "judge", "rebel"), ()),
    "judge": (("sage",), ("rebel",)),
    "qwen25-05b": (("rebel", "sage"), ()),
}


class FakeClock:
    """Session time that advances a quarter second per reading: ``t`` is deterministic."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        self.now += 0.25
        return self.now


@dataclass
class DebateScript:
    topic: str | None = None  # None: the proposer proposes one
    proposer: str = "sage"
    chairman: str = "judge"
    members: Sequence[Mapping[str, str]] = MEMBERS
    scores: Mapping[str, Mapping[str, float]] = field(default_factory=lambda: SCORES)
    invalid_reviews: Mapping[str, str] = field(default_factory=dict)  # reviewer -> reason
    stances: Mapping[str, tuple[Sequence[str], Sequence[str]]] = field(default_factory=lambda: STANCES)
    invalid_stances: Mapping[str, str] = field(default_factory=dict)
    fail: Mapping[str, int] = field(default_factory=dict)  # member -> stage where it drops out
    tokens: Mapping[str, int] = field(default_factory=dict)  # tokens per speech turn (default 40)
    nudges: Mapping[str, Sequence[str]] = field(default_factory=dict)
    seed: int = 7
    status: str = "finished"
    awards: Sequence[Mapping[str, Any]] = ()  # achievement payloads to emit before complete
    finalize: Callable[[Sequence[Event]], Sequence[Any]] | None = None  # e.g. Store.award_hook()
    orders: Mapping[str, Sequence[str]] = field(default_factory=dict)  # ask mode: reviewer -> ids best first


class Council:
    """Emits one scripted session through an EventLog, the way the orchestrator does."""

    def __init__(self, script: DebateScript, sinks: Sequence[Callable[[Event], None]]) -> None:
        self.s = script
        self.log = EventLog(list(sinks), clock=FakeClock())
        self.names = {m["id"]: m["name"] for m in script.members}
        self.seat = [m["id"] for m in script.members]
        self.failed: set[str] = set()

    def active(self, stage: int) -> list[str]:
        for mid, at in self.s.fail.items():
            if at == stage and mid not in self.failed:
                self.failed.add(mid)
                self.log.emit("member_failed", member=mid, stage=stage,
                              reason="the model stopped responding (scripted)")
        return [m for m in self.seat if m not in self.failed]

    def speak(self, member: str, kind: str, stage: int, text: str, **extra: Any) -> None:
        self.log.emit("turn_started", member=member, kind=kind, stage=stage)
        words = text.split(" ")
        for i in range(0, len(words), 3):
            self.log.emit("token", member=member, kind=kind, text=" ".join(words[i:i + 3]) + " ")
        tokens = self.s.tokens.get(member, 40)
        self.log.emit(kind, member=member, text=text, tokens=tokens, seconds=round(tokens / 50, 3), **extra)

    def roles(self, mode: str) -> None:
        self.log.emit("roles", mode=mode, seed=self.s.seed,
                      members=[dict(m) for m in self.s.members], proposer=self.s.proposer,
                      chairman=self.s.chairman, nudges={k: list(v) for k, v in self.s.nudges.items()})

    def stage(self, index: int, names: Sequence[str]) -> None:
        self.log.emit("stage", index=index, name=names[index])

    def labels_for(self, reviewer: str, targets: Sequence[str]) -> dict[str, str]:
        # A per-reviewer rotation stands in for the orchestrator's seeded shuffle.
        k = self.seat.index(reviewer) % max(1, len(targets))
        order = list(targets[k:]) + list(targets[:k])
        return dict(zip(LABELS, order, strict=False))

    def chair(self, stage: int) -> str:
        start = self.seat.index(self.s.chairman)
        chair = next(self.seat[(start + i) % len(self.seat)] for i in range(len(self.seat))
                     if self.seat[(start + i) % len(self.seat)] not in self.failed)
        if chair != self.s.chairman:
            self.log.emit("chair_changed", previous=self.s.chairman, chairman=chair,
                          reason=f"{self.names[self.s.chairman]} could not chair: it failed")
        return chair

    def finish(self) -> list[Event]:
        for award in self.s.awards:
            self.log.emit("achievement", **award)
        if self.s.finalize is not None:
            for a in self.s.finalize(self.log.events):
                self.log.emit("achievement", member=a.member, badge=a.badge, reason=a.reason,
                              event_seq=a.event_seq)
        ok = len([m for m in self.seat if m not in self.failed])
        reason = "" if not self.failed else f"{ok} of {len(self.seat)} members"
        self.log.emit("complete", status=self.s.status, reason=reason, members_ok=ok,
                      members_total=len(self.seat))
        return self.log.events

    def debate(self) -> list[Event]:
        s = self.s
        self.roles("debate")
        self.stage(0, DEBATE_STAGES)
        if s.topic:
            self.log.emit("topic", member=None, text=s.topic, tokens=0, seconds=0.0)
        else:
            topic = "Should cities ban private cars from their centres?"
            self.speak(s.proposer, "topic", 0, topic,
                       candidates=[{"text": topic, "novelty": 1.0, "p_yes": 0.6, "chosen": True}])
        self.stage(1, DEBATE_STAGES)
        speakers = self.active(1)
        for m in speakers:
            self.speak(m, "opinion", 1, f"{self.names[m]} thinks the answer depends on public transport "
                                        f"and on who pays for it, and says so at length.")
        self.stage(2, DEBATE_STAGES)
        received: dict[str, list[float]] = {m: [] for m in speakers}
        for reviewer in self.active(2):
            targets = [t for t in speakers if t != reviewer]
            labels = self.labels_for(reviewer, targets)
            if reviewer in s.invalid_reviews:
                scores = [{"target": t, "label": lab, "score": None} for lab, t in labels.items()]
                self.log.emit("review", reviewer=reviewer, labels=labels, scores=scores, valid=False,
                              reason=s.invalid_reviews[reviewer], raw="I like them all.", method="text",
                              lenient=True)
                continue
            scores = [{"target": t, "label": lab, "score": s.scores[reviewer][t]} for lab, t in labels.items()
                      if t in s.scores.get(reviewer, {})]
            for row in scores:
                received[str(row["target"])].append(float(row["score"]))
            raw = json.dumps({row["label"]: row["score"] for row in scores})
            self.log.emit("review", reviewer=reviewer, labels=labels, scores=scores, valid=True, reason="",
                          raw=raw, method="json", lenient=False)
        means = {m: sum(v) / len(v) for m, v in received.items() if v}
        bottom = sorted(means, key=lambda m: (means[m], len(received[m]), -self.seat.index(m)))[:2]
        self.log.emit("aggregate", rows=[{"member": m, "mean_score": round(means[m], 3) if m in means else None,
                                          "average_rank": None, "borda": None, "received": received[m]}
                                         for m in speakers], bottom=bottom)
        self.stage(3, DEBATE_STAGES)
        for m in self.active(3):
            if m in bottom:
                self.speak(m, "rebuttal", 3, f"{self.names[m]} answers the critics: the numbers were unfair.")
        self.stage(4, DEBATE_STAGES)
        for m in self.active(4):
            agree, disagree = s.stances.get(m, ((), ()))
            if m in s.invalid_stances:
                self.log.emit("alliance", member=m, agree=[], disagree=[], valid=False,
                              reason=s.invalid_stances[m], raw="everyone and no one", method="text", lenient=True)
                continue
            agree = [x for x in agree if x not in self.failed]
            disagree = [x for x in disagree if x not in self.failed]
            self.log.emit("alliance", member=m, agree=agree, disagree=disagree, valid=True, reason="",
                          raw=json.dumps({"agree": agree, "disagree": disagree}), method="json", lenient=False)
        self.stage(5, DEBATE_STAGES)
        self.active(5)
        chair = self.chair(5)
        self.speak(chair, "synthesis", 5, "The council agrees cars should yield the centre, slowly, "
                                          "with transport first.", chairman=chair)
        return self.finish()

    def ask(self, question: str = "What is the best way to learn a language?") -> list[Event]:
        s = self.s
        self.roles("ask")
        self.stage(0, ASK_STAGES)
        self.log.emit("topic", member=None, text=question, tokens=0, seconds=0.0)
        self.stage(1, ASK_STAGES)
        answered = self.active(1)
        for m in answered:
            self.speak(m, "answer", 1, f"{self.names[m]} says: speak it every day with real people.")
        self.stage(2, ASK_STAGES)
        ranks: dict[str, list[int]] = {m: [] for m in answered}
        for reviewer in self.active(2):
            targets = [t for t in answered if t != reviewer]
            labels = self.labels_for(reviewer, targets)
            order = [t for t in s.orders.get(reviewer, targets) if t in targets]
            for pos, t in enumerate(order, start=1):
                ranks[t].append(pos)
            by_id = {t: lab for lab, t in labels.items()}
            self.log.emit("ranking", reviewer=reviewer, labels=labels, order=order, valid=True, reason="",
                          raw=json.dumps({"ranking": [by_id[t] for t in order]}), method="json", lenient=False,
                          scores={}, findings={})
        rows = [{"member": m, "mean_score": None,
                 "average_rank": round(sum(v) / len(v), 3) if v else None, "borda": None, "received": []}
                for m, v in ranks.items()]
        self.log.emit("aggregate", rows=rows, bottom=[])
        self.stage(3, ASK_STAGES)
        chair = self.chair(3)
        self.speak(chair, "synthesis", 3, "Daily conversation practice, backed by spaced repetition.",
                   chairman=chair)
        return self.finish()


def run_debate(script: DebateScript | None = None, *sinks: Callable[[Event], None]) -> list[Event]:
    return Council(script or DebateScript(), sinks).debate()


def run_ask(script: DebateScript | None = None, *sinks: Callable[[Event], None]) -> list[Event]:
    return Council(script or DebateScript(), sinks).ask()


def record(store: Any, script: DebateScript | None = None, mode: str = "debate",
           session_id: str | None = None) -> tuple[str, list[Event]]:
    """Run a scripted session into ``store`` through its recorder; returns (session id, events)."""
    sid = session_id or str(uuid.uuid4())
    runner = run_debate if mode == "debate" else run_ask
    return sid, runner(script, store.recorder(sid))


_THIS = sys.modules[__name__]  # captured now: another directory's conftest may reuse the name later


@pytest.fixture(scope="session")
def council() -> ModuleType:
    """This module: DebateScript, run_debate, run_ask, record, MEMBERS, IDS, SCORES, STANCES."""
    return _THIS


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "council.db"


@pytest.fixture
def store(db_path: Path) -> Iterator[Any]:
    from council_desktop.storage import Store

    s = Store.open(db_path)
    yield s
    s.close()
