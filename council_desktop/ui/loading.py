"""Loader: a page's history reads off the GUI thread, through services.query_op.QueryOp.

    self.loader = Loader(self)
    self.loader.load(lambda: history.sessions(text), self.show_rows, fallback=[], note=self.empty_label)

``read`` runs on the storage thread (it must touch no widget: take what it needs from them first, as
``text`` above); ``show(result)`` runs on the GUI thread once it is back. A load asked while another of
the same loader is pending supersedes it: the older result is dropped, never shown, so a page never
flashes stale rows. When the read fails (HistoryError), ``note`` says why and ``show(fallback)`` runs.
``busy_changed(bool)`` lets the page show a quiet "Loading…" while its newest load is out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

from ..services.query_op import QueryOp

T = TypeVar("T")
LOADING = "Loading…"

_out = 0  # loads not answered yet, over every page (tests and the screenshot scripts wait for none)


def idle() -> bool:
    """No history read is out: every page shows what it last asked for."""
    return _out == 0


class Loader(QObject):
    """Signals: ``busy_changed(bool)`` — the newest load went out (True) or came back (False)."""

    busy_changed = Signal(bool)

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self._newest = 0  # the generation of the newest load asked for
        self._answered = 0  # the newest generation that came back

    @property
    def busy(self) -> bool:
        return self._answered < self._newest

    def drop(self) -> None:
        """Forget the load that is out, if any: its result will not be shown (the page moved on)."""
        if self.busy:
            self._newest += 1
            self._answered = self._newest
            self.busy_changed.emit(False)

    def load(self, read: Callable[[], T], show: Callable[[T], None], fallback: Any, note: QLabel | None = None,
             failed: Callable[[Exception], None] | None = None) -> None:
        global _out
        was_busy = self.busy
        self._newest += 1
        generation = self._newest
        _out += 1
        if not was_busy:
            self.busy_changed.emit(True)

        def back(ok: bool, result: object) -> None:
            global _out
            _out -= 1
            if not shiboken6.isValid(self) or generation != self._newest:
                return  # the page is gone, or a newer load supersedes this one: never shown
            self._answered = generation
            self.busy_changed.emit(False)
            if ok:
                show(result)  # type: ignore[arg-type]
                return
            exc = result if isinstance(result, Exception) else RuntimeError(str(result))
            if failed is not None:
                failed(exc)
                return
            if note is not None:
                note.setText(f"The history could not be read: {exc}")
            show(fallback)

        QueryOp(parent=None, op=read, success=lambda r: back(True, r)).failure(
            lambda exc: back(False, exc)).run_in_background()
