"""The asyncio face of the engine: implements core's CouncilBackend for whichever thread runs the loop.

One backend serves one session and carries its cancel token: every job it submits holds that token, so
a Stop reaches the session's queued and running jobs and nothing else, and a job submitted after the
Stop fails at once. Token deltas can be coalesced to the display's frame rate (``frame_s``): the decode
thread then wakes the event loop at most once a frame instead of once a token.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

from ..core.types import CancelToken, Completion, GenerationParams, Probe, Request
from .engine import Engine, Job

DISPLAY_FRAME_S = 1 / 60  # the app's frame_s: token deltas at most once per frame of a 60 Hz display


class EngineBackend:
    """Futures and token callbacks come back on ``loop`` through ``call_soon_threadsafe``; the decode
    loop never touches asyncio objects itself."""

    def __init__(self, engine: Engine, loop: asyncio.AbstractEventLoop | None = None,
                 cancel: CancelToken | None = None, frame_s: float = 0.0) -> None:
        self.engine = engine
        self._loop = loop
        self.cancel_token = cancel or CancelToken()
        self.frame_s = frame_s
        self._pump: _TokenPump | None = None

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        return self._loop

    def _threadsafe(self, fn: Callable[..., None]) -> Callable[..., None]:
        loop = self.loop
        pump = self._token_pump()
        if pump is not None:
            return lambda *args: pump.then(fn, *args)

        def call(*args: object) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(fn, *args)
        return call

    def _token_pump(self) -> _TokenPump | None:
        if self.frame_s <= 0:
            return None
        if self._pump is None:
            self._pump = _TokenPump(self.loop, self.frame_s)
        return self._pump

    def _tokens(self, fn: Callable[[str], None]) -> Callable[[str], None]:
        pump = self._token_pump()
        if pump is None:
            return self._threadsafe(fn)
        return lambda text: pump.push(fn, text)

    def submit(self, requests: Sequence[Request]) -> list[asyncio.Future[Completion]]:
        loop = self.loop
        futures: list[asyncio.Future[Completion]] = []
        jobs = []
        for req in requests:
            fut: asyncio.Future[Completion] = loop.create_future()
            futures.append(fut)
            jobs.append(Job(req.member_id, req.messages, req.params,
                            on_token=self._tokens(req.on_token) if req.on_token else None,
                            on_done=self._threadsafe(_resolver(fut)), cancel=self.cancel_token))
        self.engine.submit(jobs)
        return futures

    def probe(self, probes: Sequence[Probe]) -> list[asyncio.Future[dict[str, float]]]:
        futures: list[asyncio.Future[dict[str, float]]] = []
        jobs = []
        for pr in probes:
            fut: asyncio.Future[dict[str, float]] = self.loop.create_future()
            futures.append(fut)
            job = Job(pr.member_id, pr.messages, GenerationParams(max_tokens=0),
                      probe_prefix=None if pr.reply else pr.prefix, probe_choices=pr.choices,
                      cancel=self.cancel_token, reply=pr.reply or None, reply_tokens=pr.reply_tokens)
            job.on_done = self._threadsafe(_probe_resolver(fut, job))
            jobs.append(job)
        self.engine.submit(jobs)
        return futures

    def cancel(self) -> None:
        self.cancel_token.cancel()
        self.engine.wake()


class _TokenPump:
    """Token deltas from the decode thread, delivered on the event loop at most once per ``frame_s``:
    each listener gets the deltas that arrived since the last frame joined into one call, in order. A
    completion (``then``) first delivers the tokens that came before it."""

    def __init__(self, loop: asyncio.AbstractEventLoop, frame_s: float) -> None:
        self.loop = loop
        self.frame_s = frame_s
        self._lock = threading.Lock()
        self._pending: dict[Callable[[str], None], list[str]] = {}
        self._armed = False
        self._last = 0.0

    def push(self, fn: Callable[[str], None], text: str) -> None:
        # No timer on the loop: a delta that comes within a frame of the last delivery waits for the next
        # delta after the frame, or for the completion (``then``), whichever comes first. A pending timer
        # would outlive a session whose loop is closed right after it (a Qt timer on a dead object).
        with self._lock:
            self._pending.setdefault(fn, []).append(text)
            if self._armed or time.monotonic() - self._last < self.frame_s:
                return
            self._armed = True
        self._call(self.flush)

    def then(self, fn: Callable[..., None], *args: object) -> None:
        self._call(self._deliver_then, fn, args)

    def _call(self, fn: Callable[..., None], *args: object) -> None:
        if not self.loop.is_closed():
            with contextlib.suppress(RuntimeError):  # the loop closed meanwhile: nobody listens any more
                self.loop.call_soon_threadsafe(fn, *args)

    def flush(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, {}
            self._armed = False
            self._last = time.monotonic()
        for fn, parts in pending.items():
            fn("".join(parts))

    def _deliver_then(self, fn: Callable[..., None], args: tuple[object, ...]) -> None:
        self.flush()
        fn(*args)


def _resolver(fut: asyncio.Future[Any], value: Callable[[Completion], Any] = lambda c: c
              ) -> Callable[[Completion | BaseException], None]:
    """The engine's completion callback for ``fut``: its exception, or ``value(completion)``."""
    def resolve(result: Completion | BaseException) -> None:
        if fut.done():
            return
        if isinstance(result, BaseException):
            fut.set_exception(result)
        else:
            fut.set_result(value(result))
    return resolve


def _probe_resolver(fut: asyncio.Future[dict[str, float]], job: Job) -> Callable[[Completion | BaseException], None]:
    return _resolver(fut, lambda _c: dict(job.probe_result))


class EngineThread:
    """Runs the engine's decode loop on a plain thread (CLI, tests, benchmarks)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.thread = threading.Thread(target=engine.run, name="council-decode", daemon=True)

    def start(self) -> EngineThread:
        self.thread.start()
        return self

    def stop(self, timeout: float = 5.0) -> bool:
        self.engine.stop()
        if self.thread.ident is None:  # not started yet (a load on another thread is about to): the loop
            return True  # it starts sees the stop before its first step and returns
        self.thread.join(timeout)
        return not self.thread.is_alive()
