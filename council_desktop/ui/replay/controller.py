"""ReplayController: plays a stored event log back into an arena scene (seek, play, speed, stages)."""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import QObject, QTimer, Signal, Slot

from ...core.events import Event
from ..arena import ArenaScene, motion

SPEEDS = (0.5, 1.0, 2.0, 4.0)
DEFAULT_SPEED = 2.0
MAX_GAP_S = 1.5  # a long silence in the recording (a slow model) plays back as at most this
MIN_GAP_S = 0.08  # events recorded in the same instant still appear one after another
REVEAL_MIN_MS = 250
SPEECH_KINDS = ("topic", "opinion", "rebuttal", "answer", "synthesis")
_WORDS = re.compile(r"\s*\S+")


class EventView(Protocol):
    """Anything that follows the event stream (StageStepper, TranscriptPanel, MemberStatusPanel)."""

    def apply(self, event: Event) -> None: ...


@dataclass
class _Reveal:
    """A speech turn being typed out word by word before its stored event is applied."""

    index: int
    words: list[str]
    per_tick: int
    interval_ms: int
    done: int = 0


def format_clock(seconds: float) -> str:
    """``01:23``, or ``1:02:03`` past an hour."""
    total = max(0, int(seconds + 0.5))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes:02d}:{secs:02d}"


def describe_event(event: Event, names: dict[str, str]) -> str:
    """One line saying what an event was, for the replay's position label."""
    d = event.data

    def who(key: str) -> str:
        value = d.get(key)
        return names.get(value, str(value)) if isinstance(value, str) else "you"

    kind = event.kind
    if kind == "roles":
        return "The council convenes"
    if kind == "stage":
        return f"Stage {d.get('index', '?')} · {str(d.get('name') or '').title()}"
    if kind == "topic":
        return f"{who('member')} proposes the topic" if d.get("member") else "The topic is set"
    if kind == "turn_started":
        return f"{who('member')} starts: {d.get('kind', '')}"
    if kind in ("opinion", "rebuttal", "answer"):
        return f"{who('member')}'s {kind}"
    if kind == "synthesis":
        return f"The synthesis by {who('member')}"
    if kind in ("review", "ranking"):
        verdict = "" if d.get("valid", True) else " (invalid)"
        return f"{who('reviewer')}'s {kind}{verdict}"
    if kind == "aggregate":
        return "The scores are tallied"
    if kind == "alliance":
        return f"{who('member')} picks sides"
    if kind == "chair_changed":
        return f"The chair passes to {who('chairman')}"
    if kind == "member_failed":
        return f"{who('member')} failed"
    if kind == "achievement":
        return f"{who('member')} earns {d.get('badge', 'a badge')}"
    if kind == "complete":
        return {"finished": "Session finished", "cancelled": "Stopped by the user",
                "interrupted": "Interrupted here", "running": "Interrupted here"}.get(str(d.get("status")),
                                                                                      "Session failed")
    return kind


class ReplayController(QObject):
    """The position is an event index: after ``seek(i)`` the scene (and every view) shows exactly what it
    showed live after event ``i``. A seek applies events with the scene's reduced motion switched on (then
    restores the user's setting): forward from a settled state it applies only the missing events,
    anything else resets the scene and re-applies ``0..i``. Playing applies one event per timer tick
    with the user's motion, waiting the recorded gap (``t``) divided by the speed, capped at
    ``MAX_GAP_S``; a speech turn is first typed out word by word as synthetic ``token`` events (the
    log stores none). Pausing mid-turn keeps the partly typed text; ``step_forward`` completes it.

    Signals:
        loaded(int count) — a new log is in place (position 0)
        position_changed(int index) — the last applied event changed
        playing_changed(bool)
        speed_changed(float)
        reached_end() — playback applied the last event
    """

    loaded = Signal(int)
    position_changed = Signal(int)
    playing_changed = Signal(bool)
    speed_changed = Signal(float)
    reached_end = Signal()

    def __init__(self, scene: ArenaScene, views: Sequence[EventView] = (), lazy_views: Sequence[EventView] = (),
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._scene = scene
        self._views = list(views) + list(lazy_views)
        self._lazy = list(lazy_views)  # held back while the scrubber is dragged, caught up on release
        self._scrubbing = False
        self._resume_after_scrub = False
        self._events: list[Event] = []
        self._stage_at: dict[int, int] = {}
        self._names: dict[str, str] = {}
        self._mode = "debate"
        self._pos = -1
        self._speed = DEFAULT_SPEED
        self._playing = False
        self._reveal: _Reveal | None = None
        self._dirty = False  # synthetic tokens are on screen: only a full rebuild restores a clean state
        self._timer = QTimer(self)
        self._timer.setObjectName("replayTimer")
        self._timer.setSingleShot(True)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self._timer.timeout.connect(self._on_tick)

    # -- reading -------------------------------------------------------------------------------------

    @property
    def events(self) -> list[Event]:
        return list(self._events)

    @property
    def count(self) -> int:
        return len(self._events)

    @property
    def position(self) -> int:
        return self._pos

    @property
    def playing(self) -> bool:
        return self._playing

    @property
    def speed(self) -> float:
        return self._speed

    @property
    def mode(self) -> str:
        return self._mode

    @property
    def names(self) -> dict[str, str]:
        return dict(self._names)

    @property
    def revealing(self) -> bool:
        """A turn is partly typed out (playing, or paused mid-turn)."""
        return self._reveal is not None

    def stage_positions(self) -> dict[int, int]:
        """Stage index → the index of its ``stage`` event (the first one, for a repeated stage)."""
        return dict(self._stage_at)

    def current_stage(self) -> int:
        """The stage the position is in (-1 before the first stage event)."""
        stage = -1
        for index, at in self._stage_at.items():
            if at <= self._pos:
                stage = max(stage, index)
        return stage

    def elapsed(self, index: int | None = None) -> float:
        """Session seconds from the first event to event ``index`` (default: the position)."""
        i = self._pos if index is None else index
        if not self._events or i < 0:
            return 0.0
        return max(0.0, self._events[min(i, len(self._events) - 1)].t - self._events[0].t)

    def duration(self) -> float:
        return self.elapsed(len(self._events) - 1) if self._events else 0.0

    def describe(self, index: int | None = None) -> str:
        i = self._pos if index is None else index
        return describe_event(self._events[i], self._names) if 0 <= i < len(self._events) else ""

    def index_of_seq(self, seq: int) -> int:
        """The position showing event ``seq``: the first event at or after it (the last event if none)."""
        for i, event in enumerate(self._events):
            if event.seq >= seq:
                return i
        return len(self._events) - 1

    # -- loading -------------------------------------------------------------------------------------

    def load(self, events: Sequence[Event]) -> None:
        """Replace the log and show its first event (the council seated), paused. Token deltas in the log
        are kept out: the replay types turns out itself."""
        self.pause()
        self._reveal = None
        self._events = [e for e in events if e.kind != "token"]
        self._stage_at = {}
        self._names = {}
        self._mode = "debate"
        for i, event in enumerate(self._events):
            if event.kind == "stage":
                self._stage_at.setdefault(int(event.data.get("index", -1)), i)
            elif event.kind == "roles":
                self._mode = str(event.data.get("mode") or "debate")
                for m in event.data.get("members") or []:
                    if isinstance(m, dict) and m.get("id") is not None:
                        self._names[str(m["id"])] = str(m.get("name") or m["id"])
        self._pos = -1
        self._rebuild(0 if self._events else -1)
        self.loaded.emit(len(self._events))
        self.position_changed.emit(self._pos)

    def clear(self) -> None:
        self.load([])

    # -- moving --------------------------------------------------------------------------------------

    @Slot(int)
    def seek(self, index: int) -> None:
        """Show the state right after event ``index`` (clamped), instantly. Playback, if on, goes on from
        there."""
        if not self._events:
            return
        index = max(0, min(int(index), len(self._events) - 1))
        self._timer.stop()
        if self._reveal is not None or self._dirty or index < self._pos:
            self._reveal = None
            self._rebuild(index)
        elif index > self._pos:
            self._apply_range(self._pos + 1, index)
        self._pos = index
        self.position_changed.emit(self._pos)
        if self._playing:
            self._schedule_next()

    @Slot()
    def begin_scrub(self) -> None:
        """The scrubber is held: playback waits and the lazy views stay out of every seek until
        ``end_scrub``."""
        if self._scrubbing:
            return
        self._scrubbing = True
        self._resume_after_scrub = self._playing
        self.pause()

    @Slot()
    def end_scrub(self) -> None:
        """The scrubber is released: bring the lazy views up to the position."""
        if not self._scrubbing:
            return
        self._scrubbing = False
        if self._lazy and self._events:
            start = self._start_of(self._pos)
            for view in self._lazy:
                _reset_view(view)
                for event in self._events[start: self._pos + 1]:
                    view.apply(event)
        if self._resume_after_scrub:
            self._resume_after_scrub = False
            self.play()

    @Slot()
    def play(self) -> None:
        if not self._events or self._playing:
            return
        if self._pos >= len(self._events) - 1 and self._reveal is None:
            self.seek(0)  # from the top again
        self._playing = True
        self.playing_changed.emit(True)
        if self._reveal is not None:
            self._timer.start(self._reveal.interval_ms)
        else:
            self._schedule_next()

    @Slot()
    def pause(self) -> None:
        self._timer.stop()
        if self._playing:
            self._playing = False
            self.playing_changed.emit(False)

    @Slot()
    def toggle(self) -> None:
        if self._playing:
            self.pause()
        else:
            self.play()

    @Slot()
    def step_forward(self) -> None:
        """Pause, then apply the next event with the user's motion (a part-typed turn is completed)."""
        self.pause()
        if self._reveal is not None:
            self._finish_reveal()
            return
        if self._pos < len(self._events) - 1:
            self._apply_live(self._pos + 1)

    @Slot()
    def step_back(self) -> None:
        self.pause()
        if self._reveal is not None or self._dirty:
            self.seek(self._pos)  # drop the part-typed turn first
        elif self._pos > 0:
            self.seek(self._pos - 1)

    @Slot(int)
    def jump_to_stage(self, stage: int) -> None:
        at = self._stage_at.get(int(stage))
        if at is not None:
            self.seek(at)

    @Slot(float)
    def set_speed(self, factor: float) -> None:
        factor = float(factor)
        if not math.isfinite(factor) or factor <= 0:
            raise ValueError(f"speed must be positive, not {factor!r}")
        if factor != self._speed:
            self._speed = factor
            self.speed_changed.emit(factor)

    def stop(self) -> None:
        """Pause and settle every animation (the page is left or the window closes)."""
        self.pause()
        self._scene.finish_animations()

    # -- applying ------------------------------------------------------------------------------------

    def _active_views(self) -> list[EventView]:
        return [v for v in self._views if v not in self._lazy] if self._scrubbing else self._views

    def _dispatch(self, event: Event) -> None:
        self._scene.apply(event)
        for view in self._active_views():
            view.apply(event)

    def _start_of(self, index: int) -> int:
        """The last ``roles`` event at or before ``index``: it clears the scene and every view."""
        for i in range(min(index, len(self._events) - 1), -1, -1):
            if self._events[i].kind == "roles":
                return i
        return 0

    def _rebuild(self, index: int) -> None:
        """Reset the scene and views, then re-apply the events up to ``index`` without motion."""
        with _reduced(self._scene):
            self._scene.reset()
            for view in self._active_views():
                _reset_view(view)
            for event in self._events[self._start_of(index): index + 1]:
                self._dispatch(event)
        self._dirty = False
        self._pos = index

    def _apply_range(self, first: int, last: int) -> None:
        with _reduced(self._scene):
            for event in self._events[first: last + 1]:
                self._dispatch(event)

    def _apply_live(self, index: int) -> None:
        self._dispatch(self._events[index])
        self._dirty = False
        self._pos = index
        self.position_changed.emit(index)

    # -- playing -------------------------------------------------------------------------------------

    def delay_ms(self, index: int) -> int:
        """How long to wait before applying event ``index`` at the current speed."""
        if index <= 0:
            return 0
        gap = self._events[index].t - self._events[index - 1].t
        gap = min(max(gap, MIN_GAP_S), MAX_GAP_S)
        return max(1, round(gap * 1000 / self._speed))

    def _schedule_next(self) -> None:
        nxt = self._pos + 1
        if nxt >= len(self._events):
            self.pause()
            self.reached_end.emit()
            return
        self._timer.start(self.delay_ms(nxt))

    def _on_tick(self) -> None:
        if not self._playing:
            return
        if self._reveal is not None:
            self._reveal_more()
            return
        nxt = self._pos + 1
        if nxt >= len(self._events):
            self._schedule_next()
            return
        words = self._speech_words(self._events[nxt])
        if words:
            duration = min(max(len(words) * motion.WORD_REVEAL_MS, REVEAL_MIN_MS), motion.REVEAL_MAX_MS) / self._speed
            ticks = max(1, min(len(words), int(duration // motion.TOKEN_REPAINT_MS)))
            self._reveal = _Reveal(nxt, words, math.ceil(len(words) / ticks), max(1, round(duration / ticks)))
            self._reveal_more()
            return
        self._apply_live(nxt)
        self._schedule_next()

    @staticmethod
    def _speech_words(event: Event) -> list[str]:
        d = event.data
        if event.kind not in SPEECH_KINDS or not isinstance(d.get("member"), str):
            return []
        return _WORDS.findall(str(d.get("text") or ""))

    def _reveal_more(self) -> None:
        reveal = self._reveal
        assert reveal is not None
        chunk = reveal.words[reveal.done: reveal.done + reveal.per_tick]
        reveal.done += len(chunk)
        if chunk:
            event = self._events[reveal.index]
            self._dirty = True
            self._dispatch(Event(event.seq, "token", event.t, event.at,
                                 {"member": event.data.get("member"), "kind": event.kind, "text": "".join(chunk)}))
        if reveal.done >= len(reveal.words):
            self._finish_reveal()
            if self._playing:
                self._schedule_next()
        elif self._playing:
            self._timer.start(reveal.interval_ms)

    def _finish_reveal(self) -> None:
        reveal = self._reveal
        assert reveal is not None
        self._reveal = None
        self._apply_live(reveal.index)


def _reset_view(view: EventView) -> None:
    reset = getattr(view, "reset", None) or getattr(view, "clear", None)
    if callable(reset):
        reset()


@contextmanager
def _reduced(scene: ArenaScene) -> Iterator[None]:
    """Reduced motion for the duration of a block, then the user's setting again."""
    was = scene.reduced_motion
    scene.set_reduced_motion(True)
    try:
        yield
    finally:
        scene.set_reduced_motion(was)
