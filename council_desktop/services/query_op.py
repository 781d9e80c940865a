"""QueryOp: a storage call off the GUI thread, its result back on it (in the manner of Anki's QueryOp).

    QueryOp(parent=page, op=lambda: history.sessions(text), success=page.show_rows) \\
        .failure(page.show_error).run_in_background()

``op`` runs on the storage thread (storage_thread.py: one thread, calls in order, so a query never
races a session's writes for the database); ``success(result)`` or ``failure(exc)`` then runs on the
GUI thread. When ``parent`` has been deleted by then, neither runs (the page that asked is gone).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, Signal, Slot

from . import storage_thread

T = TypeVar("T")


class _Relay(QObject):
    """Lives on the GUI thread; a signal emitted from the storage thread runs the callback there. Queued
    always: an op that finished before its done-callback was added calls it on the GUI thread at once,
    and the result must still come later, from the event loop, never inside ``run_in_background``."""

    deliver = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.deliver.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, fn: Callable[[], None]) -> None:
        fn()


_relay: _Relay | None = None


def _the_relay() -> _Relay:
    global _relay
    if _relay is None:
        _relay = _Relay()
        app = QCoreApplication.instance()
        if app is not None:
            _relay.moveToThread(app.thread())
    return _relay


class QueryOp(Generic[T]):
    def __init__(self, *, parent: QObject | None, op: Callable[[], T], success: Callable[[T], None]) -> None:
        self._parent = parent
        self._op = op
        self._success = success
        self._failure: Callable[[Exception], None] | None = None

    def failure(self, fn: Callable[[Exception], None]) -> QueryOp[T]:
        self._failure = fn
        return self

    def run_in_background(self) -> None:
        relay = _the_relay()
        future = storage_thread.submit(self._op)

        def back() -> None:
            if self._parent is not None and not shiboken6.isValid(self._parent):
                return
            exc = future.exception()
            if exc is None:
                self._success(future.result())
            elif self._failure is not None and isinstance(exc, Exception):
                self._failure(exc)
            else:
                raise exc

        future.add_done_callback(lambda _f: relay.deliver.emit(back))
