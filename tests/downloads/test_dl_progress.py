"""Progress reports: throttled to ten a second, speed over a moving window, ETA, cancel helpers."""

from __future__ import annotations

import threading
import time

from council_desktop.core.types import CancelToken
from council_desktop.downloads.progress import Progress, ProgressReporter, is_cancelled, wait_cancellable


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_reports_are_throttled_to_ten_a_second_but_phase_changes_pass() -> None:
    clock, got = FakeClock(), []
    rep = ProgressReporter("m.gguf", got.append, clock)
    for i in range(1000):  # one update a millisecond for one second
        rep.update("downloading", i * 1000, 1_000_000)
        clock.now += 0.001
    assert 9 <= len(got) <= 11
    rep.update("verifying", 0, 1_000_000)  # a new phase always goes through
    assert got[-1].phase == "verifying"


def test_speed_and_eta_follow_the_bytes() -> None:
    clock, got = FakeClock(), []
    rep = ProgressReporter("m.gguf", got.append, clock)
    for step in range(30):  # 1 MB/s for three seconds
        rep.update("downloading", step * 100_000, 10_000_000)
        clock.now += 0.1
    last = got[-1]
    assert abs(last.speed_bps - 1_000_000) < 1
    assert last.eta_s is not None and abs(last.eta_s - (10_000_000 - last.done) / 1_000_000) < 0.01
    assert last.percent == 100.0 * last.done / 10_000_000
    assert Progress("m", "checking", 5, 0).percent == 0.0


def test_cancel_helpers_accept_an_event_or_a_cancel_token() -> None:
    event, token = threading.Event(), CancelToken()
    assert not is_cancelled(event) and not is_cancelled(token) and not is_cancelled(None)
    token.cancel()
    started = time.monotonic()
    assert wait_cancellable(token, 5.0)  # returns at once
    assert time.monotonic() - started < 1.0
    assert not wait_cancellable(event, 0.01)
