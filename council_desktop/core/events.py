"""The event stream: the single source the UI, storage, replay and export all read.

Every event has a session-wide sequence number, the seconds since the session started and a
wall-clock timestamp. The payload (``data``) of each kind is a plain dict; its keys are typed below, one
TypedDict per kind (``PAYLOADS``). They are ``total=False``: a stored session from an older version may
lack a key that a newer one writes, so readers ``.get`` anything that came later. The order of a
session's events is in docs/ARCHITECTURE.md, "The events".

The viewer and forks (issue 15; docs/viewer.md):

- ``forked``: ``{parent, stage, changes: {chairman?, seed?, temperatures?: {member: t}}, chairman, seed}``
  — emitted right after the events copied from the parent (every event before the parent's ``stage``
  event of index ``stage``, unchanged); the session continues live from there.
- ``viewer_open``: ``{stage, kind: review | ranking | alliance, labels: {"Response A": id, ...}}`` — the
  viewer may judge while the stage runs (alliances: ``labels`` maps member names to ids).
- ``viewer_ballot``: ``{stage, kind, reviewer: "you", viewer: true, labels, scores: [{target, label,
  score}], order: [ids best first], agree: [ids], disagree: [ids], counted}`` — the viewer's ballot, added
  when it arrived while the stage was open; ``counted`` says whether it entered the aggregate.
- ``viewer_skipped``: ``{stage, kind}`` — the stage closed without a ballot from the viewer.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Protocol, TypedDict

EVENT_KINDS = (
    "roles", "stage", "topic", "turn_started", "token", "opinion", "review", "rebuttal", "alliance",
    "synthesis", "answer", "ranking", "aggregate", "chair_changed", "member_failed", "achievement",
    "complete",
    # issue 15: forks and the viewer as a judge
    "forked", "viewer_open", "viewer_ballot", "viewer_skipped",
)

VIEWER_ID = "you"  # the viewer's reviewer id in viewer_ballot events (never a seat's id)

DEBATE_STAGES = ("topic", "opinions", "review", "rebuttals", "alliances", "synthesis")
ASK_STAGES = ("question", "answers", "ranking", "chairman")


# -- payloads, one per kind ---------------------------------------------------------------------

class MemberEntry(TypedDict, total=False):
    """A seat as ``roles`` lists it."""
    id: str
    name: str
    model: str
    persona: str
    color: str
    status: str  # ok | failed | loading | unloaded
    reason: str  # why the seat failed, when it did
    traits: dict[str, float]  # its personality, shown on hover
    model_file: str  # the model file's identity (sha256:… or repo/file), for rankings by model


class RolesData(TypedDict, total=False):
    mode: str  # debate | ask
    seed: int | None
    members: list[MemberEntry]
    proposer: str | None
    chairman: str | None
    nudges: dict[str, list[str]]
    preview: bool  # the council between sessions (never stored)


class StageData(TypedDict, total=False):
    index: int  # debate 0 topic … 5 synthesis; ask 0 question … 3 chairman
    name: str


class _Speaking(TypedDict, total=False):
    member: str
    kind: str  # the turn's kind: topic, opinion, review, …


class TurnStartedData(_Speaking, total=False):
    stage: int
    retry: list[str]  # a second try of the turn, and the hard defects of the first (core/speech.py)


class TokenData(_Speaking, total=False):
    text: str  # a delta


class RegeneratedData(TypedDict, total=False):
    """A turn written twice because the first try had a hard defect (core/speech.py)."""
    defects: list[str]
    kept: str  # first | retry
    discarded: str  # the other try's text
    trimmed: list[str]  # both tries repeated: the repeated sentences dropped from the kept one


class TopicCandidate(TypedDict, total=False):
    text: str
    area: str  # the subject drawn in code that it was asked to be about
    novelty: float  # 0–1 against the recent topics, computed in code
    rejected: str  # why it could not be used
    p_yes: float  # the proposer's own "Is this a clear question people could debate?"
    chosen: bool


class TurnData(TypedDict, total=False):
    """A finished speech turn: what every speaking kind carries."""
    member: str | None
    text: str
    tokens: int
    seconds: float
    regenerated: RegeneratedData


class TopicData(TurnData, total=False):
    """``member`` is None when the user gave the topic (the question, in ask mode)."""
    note: str  # how the topic was chosen when no member proposed a usable one
    candidates: list[TopicCandidate]  # what the proposer wrote, when it wrote several


class OpinionData(TurnData, total=False):
    pass


class RebuttalData(TurnData, total=False):
    pass


class AnswerData(TurnData, total=False):
    pass


class SynthesisData(TurnData, total=False):
    chairman: str


class ScoreEntry(TypedDict, total=False):
    target: str
    label: str  # "Response B"
    score: float | None
    finding: str  # a validity finding (core/validity.py) that set this score


class BallotData(TypedDict, total=False):
    """What every judgement carries: valid or not, why, what the judge wrote, how it was read."""
    valid: bool
    reason: str
    raw: str
    method: str  # probability | json | text
    lenient: bool  # read by the text fallback


class ReviewData(BallotData, total=False):
    reviewer: str
    labels: dict[str, str]  # "Response A" -> member id, in this reviewer's shuffled order
    scores: list[ScoreEntry]


class RankingData(BallotData, total=False):
    reviewer: str
    labels: dict[str, str]
    order: list[str]  # member ids, best first
    scores: dict[str, int]  # 1-10 from the judge's probabilities, when it gave them
    findings: dict[str, str]  # member id -> the validity finding that put its answer last


class AggregateRow(TypedDict, total=False):
    member: str
    mean_score: float | None
    average_rank: float | None
    borda: float | None
    received: int


class AggregateData(TypedDict, total=False):
    rows: list[AggregateRow]
    bottom: list[str]  # the two who rebut (debate)


class AllianceData(BallotData, total=False):
    member: str
    agree: list[str]
    disagree: list[str]


class ChairChangedData(TypedDict, total=False):
    previous: str
    chairman: str
    reason: str


class _AboutMember(TypedDict, total=False):
    member: str
    reason: str


class MemberFailedData(_AboutMember, total=False):
    stage: int


class AchievementData(_AboutMember, total=False):
    badge: str
    event_seq: int  # the moment that earned it


class CompleteData(TypedDict, total=False):
    status: str  # finished | failed | cancelled
    reason: str
    members_ok: int
    members_total: int


# -- issue 15: forks and the viewer as a judge (docs/viewer.md) ----------------------------------

class ForkedData(TypedDict, total=False):
    parent: str
    stage: int
    changes: dict[str, Any]  # chairman?, seed?, temperatures?: {member: t}, seats?: {member: fork.seat_change(...)}
    chairman: str
    seed: int | None


class ViewerOpenData(TypedDict, total=False):
    stage: int
    kind: str  # review | ranking | alliance
    labels: dict[str, str]


class ViewerBallotData(TypedDict, total=False):
    stage: int
    kind: str
    reviewer: str  # always "you"
    viewer: bool
    labels: dict[str, str]
    scores: list[ScoreEntry]
    order: list[str]
    agree: list[str]
    disagree: list[str]
    counted: bool  # whether it entered the aggregate


class ViewerSkippedData(TypedDict, total=False):
    stage: int
    kind: str


PAYLOADS: dict[str, type] = {
    "roles": RolesData, "stage": StageData, "topic": TopicData, "turn_started": TurnStartedData,
    "token": TokenData, "opinion": OpinionData, "review": ReviewData, "rebuttal": RebuttalData,
    "alliance": AllianceData, "synthesis": SynthesisData, "answer": AnswerData, "ranking": RankingData,
    "aggregate": AggregateData, "chair_changed": ChairChangedData, "member_failed": MemberFailedData,
    "achievement": AchievementData, "complete": CompleteData,
    "forked": ForkedData, "viewer_open": ViewerOpenData, "viewer_ballot": ViewerBallotData,
    "viewer_skipped": ViewerSkippedData,
}


@dataclass(frozen=True)
class Event:
    seq: int
    kind: str
    t: float  # seconds since the session started
    at: str  # ISO-8601 UTC wall clock
    data: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "kind": self.kind, "t": self.t, "at": self.at, "data": self.data}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        return cls(seq=int(d["seq"]), kind=str(d["kind"]), t=float(d["t"]), at=str(d["at"]),
                   data=dict(d.get("data") or {}))


class EventSink(Protocol):
    def __call__(self, event: Event) -> None: ...


class EventLog:
    """Numbers, timestamps and fans out events to the sinks, in order."""

    def __init__(self, sinks: list[Callable[[Event], None]] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 on_sink_error: Callable[[Event, Exception], None] | None = None) -> None:
        self._sinks: list[Callable[[Event], None]] = list(sinks or [])
        # A sink that fails (a full disk under the recorder, a broken view) must not stop the debate
        # or starve the other sinks; it is reported here instead.
        self._on_sink_error = on_sink_error
        self.sink_errors: list[tuple[Event, Exception]] = []
        self._clock = clock
        self._t0 = clock()
        self._seq = 0
        self.events: list[Event] = []

    def subscribe(self, sink: Callable[[Event], None]) -> None:
        self._sinks.append(sink)

    def replay(self, event: Event) -> Event:
        """Re-emit a stored event unchanged (a fork copies its parent's events): same seq, time and
        payload; the next fresh event is numbered and timed after it."""
        self._seq = max(self._seq, event.seq)
        self._t0 = self._clock() - event.t
        return self._fan_out(event)

    def emit(self, kind: str, /, **data: Any) -> Event:
        if kind not in EVENT_KINDS:
            raise ValueError(f"unknown event kind {kind!r}")
        self._seq += 1
        event = Event(self._seq, kind, round(self._clock() - self._t0, 4),
                      datetime.now(UTC).isoformat(timespec="milliseconds"), data)
        return self._fan_out(event)

    def _fan_out(self, event: Event) -> Event:
        if event.kind != "token":
            self.events.append(event)
        for sink in self._sinks:
            try:
                sink(event)
            except Exception as exc:
                self.sink_errors.append((event, exc))
                if self._on_sink_error is None:
                    raise
                self._on_sink_error(event, exc)
        return event
