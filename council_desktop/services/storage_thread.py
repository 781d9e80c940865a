"""One thread for the history database, so SQLite never runs on the GUI thread.

Every storage call of a live session (the reads before it starts, each event's write, the closing
writes) runs here, one at a time and in submission order: the database sees one writer, peewee keeps
this thread's one connection, and a slow disk or a lock held by another process delays only this
thread. ``run`` awaits a call from asyncio; ``RecorderThread`` is an event sink that queues writes.
No Qt here (the command line uses it too); ``query_op.QueryOp`` is the window's face of it.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar

from ..core.events import Event

log = logging.getLogger(__name__)

T = TypeVar("T")

_lock = threading.Lock()
_executor: ThreadPoolExecutor | None = None


def executor() -> ThreadPoolExecutor:
    global _executor
    with _lock:
        if _executor is None:
            _executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="council-storage")
        return _executor


def submit(fn: Callable[..., T], *args: Any) -> Future[T]:
    return executor().submit(fn, *args)


async def run(fn: Callable[..., T], *args: Any) -> T:
    """``fn(*args)`` on the storage thread, awaited on the running loop."""
    return await asyncio.wrap_future(submit(fn, *args))


class RecorderThread:
    """An event sink that hands each stored event (not token deltas) to ``recorder`` on the storage
    thread and returns at once. A write that fails is reported to ``on_error(event, exc)`` from the
    storage thread (the recorder keeps the event queued and retries it with the next one)."""

    def __init__(self, recorder: Any, on_error: Callable[[Event, Exception], None]) -> None:
        self.recorder = recorder
        self.on_error = on_error
        self._last: Future[None] | None = None

    def __call__(self, event: Event) -> None:
        if event.kind == "token":
            return
        self._last = submit(self._write, event)

    def _write(self, event: Event) -> None:
        try:
            self.recorder(event)
        except Exception as exc:  # StorageError: queued in the recorder, reported for the outcome
            self.on_error(event, exc)

    async def drain(self) -> None:
        """Wait until every event handed over so far has been written or has failed."""
        if self._last is not None:
            await asyncio.wrap_future(self._last)
