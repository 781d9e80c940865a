"""The event stream: the single source the UI, storage, replay and export all read.

Every event has a session-wide sequence number, the seconds since the session started and a
wall-clock timestamp. Payloads (``data``) by kind:

- ``roles``: ``{mode, seed, members: [{id, name, model, persona, color, status}], proposer, chairman,
  nudges: {member_id: [text]}}``
- ``stage``: ``{index, name}``; debate 0 topic, 1 opinions, 2 review, 3 rebuttals, 4 alliances,
  5 synthesis; ask 1 answers, 2 ranking, 3 chairman
- ``topic``: ``{member: id | None, text}`` (``member`` None when the user gave it; ``question`` in ask mode)
- ``turn_started``: ``{member, kind, stage}``; ``token``: ``{member, kind, text}`` (a delta)
- ``opinion`` / ``rebuttal`` / ``answer`` / ``synthesis`` / ``topic`` turns:
  ``{member, text, tokens, seconds}`` (synthesis and the chairman's answer also carry ``chairman``)
- ``review``: ``{reviewer, labels: {"Response A": id, ...}, scores: [{target, label, score}], valid,
  reason, raw}``
- ``ranking``: ``{reviewer, labels, order: [ids best first], valid, reason, raw}``
- ``aggregate``: ``{rows: [{member, mean_score, average_rank, borda, received}], bottom: [ids]}``
- ``alliance``: ``{member, agree: [ids], disagree: [ids], valid, reason, raw}``
- ``chair_changed``: ``{previous, chairman, reason}``
- ``member_failed``: ``{member, stage, reason}``
- ``achievement``: ``{member, badge, reason, event_seq}``
- ``complete``: ``{status: finished | failed | cancelled, reason, members_ok, members_total}``

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
from typing import Any, Protocol

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
