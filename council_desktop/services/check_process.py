"""The judges' validity checks in a process of their own, so that they never hold the window.

The checks (core/validity.py, core/relevance.py) are some hundreds of regular expressions over each
answer of a ballot. On a worker thread they still hold Python's GIL: a call into ``re`` is never
interrupted, and the GUI thread waits for it to return before it can paint. Measured with
``scripts/bench/ui_latency.py`` and one background CPU hog, the five checks of one stage took 88 ms
together and held the window for 114 ms, its longest stall of the debate. A process of their own has
its own interpreter and GIL.

One worker process is started (``spawn``: no fork of a process that runs Qt and decode threads) when
the council is seated, and is warmed with a first check so that its imports are done before the first
ballot. When the process cannot be started or dies, the checks run on a thread again
(``Orchestrator``'s fallback): a ballot is never lost for it. A worker found dead when a session asks
for the pool is replaced by a new one (at most ``MAX_RESTARTS`` times: a worker that keeps dying leaves
the checks on a thread for the rest of the run).
"""

from __future__ import annotations

import logging
import multiprocessing
from concurrent.futures import BrokenExecutor, Executor, ProcessPoolExecutor

from ..core.pipeline import findings_in_pool

log = logging.getLogger(__name__)

MAX_RESTARTS = 3


def _alive() -> bool:
    return True


class CheckProcess:
    """A lazily started, single-worker process pool for ``findings_in_pool``."""

    def __init__(self) -> None:
        self._pool: ProcessPoolExecutor | None = None
        self._failed = False
        self.restarts = 0

    @property
    def executor(self) -> Executor | None:
        """The pool, started on first use and replaced when its worker has died; None when no process can
        be had (checks then run on a thread)."""
        if self._pool is not None:
            try:
                self._pool.submit(_alive)  # a pool whose worker died refuses new work at once
            except (BrokenExecutor, RuntimeError):
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = None
                self.restarts += 1
                if self.restarts > MAX_RESTARTS:
                    log.warning("validity checks stay on a thread: the worker process died %d times",
                                self.restarts)
                    self._failed = True
                else:
                    log.warning("the validity checks' worker process died; starting another")
        if self._pool is None and not self._failed:
            try:
                self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"))
                # Warm it: the worker imports the checks now, not while the first ballot waits for them.
                self._pool.submit(findings_in_pool, "Is this a question?", {"a": "Yes, it is."})
            except (OSError, RuntimeError, ValueError) as exc:
                log.warning("validity checks stay on a thread: no worker process (%s)", exc)
                self._failed = True
                self._pool = None
        return self._pool

    def close(self) -> None:
        """End the worker (the app is closing); checks in flight are dropped."""
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
