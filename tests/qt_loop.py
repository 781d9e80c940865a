"""The qasync loop the tests drive with ``run_until_complete``.

qasync's ``run_until_complete`` turns Qt's event loop once more after ``run_forever`` returns, to
deliver what is left; by then it has unset the running loop. A session's coroutine stepped in that last
pass (its timer or a decode thread's wake-up fell due just then) fails in ``asyncio.wait`` with "no
running event loop", and the session ends "failed": a flake CI met once in a thousand-odd runs of one
Stop test. The app never calls it (it runs the loop with ``run_forever`` for the whole process). Here the
last pass runs with this loop registered as the running one, as it is inside ``run_forever``."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, TypeVar

import qasync
from PySide6.QtCore import QCoreApplication, QEventLoop

T = TypeVar("T")


class QtTestLoop(qasync.QEventLoop):  # type: ignore[misc]
    def run_until_complete(self, future: Awaitable[T]) -> T:
        if self.is_running():
            raise RuntimeError("Event loop already running")
        task = asyncio.ensure_future(future, loop=self)

        def stop(_: Any) -> None:
            self.stop()

        task.add_done_callback(stop)
        try:
            self.run_forever()
        finally:
            task.remove_done_callback(stop)
        asyncio.events._set_running_loop(self)
        try:
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents)
        finally:
            asyncio.events._set_running_loop(None)
        if not task.done():
            raise RuntimeError("Event loop stopped before Future completed.")
        return task.result()
