"""The asyncio face of the engine: implements core's CouncilBackend for whichever thread runs the loop."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Sequence
from typing import Any

from ..core.types import CancelToken, Completion, GenerationParams, Probe, Request
from .engine import Engine, Job


class EngineBackend:
    """Futures and token callbacks come back on ``loop`` through ``call_soon_threadsafe``; the decode
    loop never touches asyncio objects itself."""

    def __init__(self, engine: Engine, loop: asyncio.AbstractEventLoop | None = None) -> None:
        self.engine = engine
        self._loop = loop
        self._cancel = CancelToken()

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        if self._loop is None:
            self._loop = asyncio.get_running_loop()
        return self._loop

    def _threadsafe(self, fn: Callable[..., None]) -> Callable[..., None]:
        loop = self.loop

        def call(*args: object) -> None:
            if not loop.is_closed():
                loop.call_soon_threadsafe(fn, *args)
        return call

    def submit(self, requests: Sequence[Request]) -> list[asyncio.Future[Completion]]:
        if self._cancel.cancelled:
            self._cancel = CancelToken()
        loop = self.loop
        futures: list[asyncio.Future[Completion]] = []
        jobs = []
        for req in requests:
            fut: asyncio.Future[Completion] = loop.create_future()
            futures.append(fut)
            jobs.append(Job(req.member_id, req.messages, req.params,
                            on_token=self._threadsafe(req.on_token) if req.on_token else None,
                            on_done=self._threadsafe(_resolver(fut)), cancel=self._cancel))
        self.engine.submit(jobs)
        return futures

    def probe(self, probes: Sequence[Probe]) -> list[asyncio.Future[dict[str, float]]]:
        if self._cancel.cancelled:
            self._cancel = CancelToken()
        futures: list[asyncio.Future[dict[str, float]]] = []
        jobs = []
        for pr in probes:
            fut: asyncio.Future[dict[str, float]] = self.loop.create_future()
            futures.append(fut)
            job = Job(pr.member_id, pr.messages, GenerationParams(max_tokens=0), probe_prefix=pr.prefix,
                      probe_choices=pr.choices, cancel=self._cancel)
            job.on_done = self._threadsafe(_probe_resolver(fut, job))
            jobs.append(job)
        self.engine.submit(jobs)
        return futures

    def cancel(self) -> None:
        self._cancel.cancel()


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
        self.thread.join(timeout)
        return not self.thread.is_alive()
