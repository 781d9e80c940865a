"""Progress reports (bytes, percent, speed, ETA) throttled for the UI, and the cancel token helpers."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal

from ..core.types import CancelToken

Phase = Literal["checking", "downloading", "retrying", "verifying", "installing", "done"]
Cancel = threading.Event | CancelToken

MAX_REPORTS_PER_SECOND = 10
_SPEED_WINDOW_S = 5.0  # speed is averaged over the last few seconds so the ETA does not jump about


@dataclass(frozen=True)
class Progress:
    """One progress report. ``total`` is 0 while unknown; ``eta_s`` is None until a speed is known."""

    filename: str
    phase: Phase
    done: int
    total: int
    speed_bps: float = 0.0
    eta_s: float | None = None
    message: str = ""

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total > 0 else 0.0


ProgressCallback = Callable[[Progress], None]


def is_cancelled(cancel: Cancel | None) -> bool:
    if cancel is None:
        return False
    if isinstance(cancel, threading.Event):
        return cancel.is_set()
    return cancel.cancelled


def wait_cancellable(cancel: Cancel | None, seconds: float, step: float = 0.05) -> bool:
    """Sleep up to ``seconds``; return True (early) as soon as ``cancel`` is set."""
    if isinstance(cancel, threading.Event):
        return cancel.wait(seconds)
    deadline = time.monotonic() + seconds
    while True:
        if is_cancelled(cancel):
            return True
        left = deadline - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(step, left))


class ProgressReporter:
    """Turns a stream of byte counts into at most ``MAX_REPORTS_PER_SECOND`` callbacks; phase changes
    and the final report always go through."""

    def __init__(self, filename: str, callback: ProgressCallback | None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.filename = filename
        self._callback = callback
        self._clock = clock
        self._last_emit = float("-inf")
        self._phase: Phase | None = None
        self._samples: deque[tuple[float, int]] = deque()
        self.reports = 0

    def reset_speed(self) -> None:
        self._samples.clear()

    def _speed(self, now: float, done: int) -> float:
        self._samples.append((now, done))
        while len(self._samples) > 2 and now - self._samples[0][0] > _SPEED_WINDOW_S:
            self._samples.popleft()
        t0, d0 = self._samples[0]
        return (done - d0) / (now - t0) if now > t0 and done >= d0 else 0.0

    def update(self, phase: Phase, done: int, total: int, *, message: str = "", force: bool = False) -> None:
        if self._callback is None:
            return
        now = self._clock()
        changed = phase != self._phase
        if not (force or changed) and now - self._last_emit < 1.0 / MAX_REPORTS_PER_SECOND:
            return
        if changed:
            self.reset_speed()
        speed = self._speed(now, done)
        eta = (total - done) / speed if speed > 0 and total > 0 else None
        self._phase = phase
        self._last_emit = now
        self.reports += 1
        self._callback(Progress(self.filename, phase, done, total, speed, eta, message))
