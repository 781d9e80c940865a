"""Offscreen renders of the window at the end of a stage (the CLI's ``screenshot`` command, docs, checks)."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

from ..core.events import Event
from .theme import apply_theme


def events_through_stage(events: Sequence[Event], stage: int) -> list[Event]:
    """The events up to the end of ``stage``: everything before the next stage begins (the whole log for
    the last stage, achievements and completion included)."""
    out: list[Event] = []
    for event in events:
        if event.kind == "stage" and int(event.data.get("index", -1)) > stage:
            break
        out.append(event)
    return out


def _application() -> QApplication:
    app = QApplication.instance()
    if app is None:
        # A render never needs a screen; without one Qt would abort on a headless machine.
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QApplication([])
    if not isinstance(app, QApplication):
        raise RuntimeError("render_stage_png needs a QApplication (widgets), not a QCoreApplication")
    if not app.property("council_theme"):
        apply_theme(app)
    return app


def render_stage_png(events: Sequence[Event], stage: int, out_path: str | Path,
                     size: tuple[int, int] = (1400, 900)) -> Path:
    """Render the main window with ``events`` applied up to the end of ``stage`` and save it as a PNG.

    Motion is reduced, so every item is in its final state; the window uses throw-away settings, so the
    user's saved layout is neither read nor changed. Returns the written path."""
    from .main_window import MainWindow  # after the application exists

    app = _application()
    out = Path(out_path)
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="council-shot-") as tmp:
        settings = QSettings(str(Path(tmp) / "screenshot.ini"), QSettings.Format.IniFormat)
        window = MainWindow(settings=settings)
        try:
            window.set_reduced_motion(True)
            window.resize(*size)
            window.show()
            for event in events_through_stage(events, stage):
                window.on_event(event)
            app.processEvents()
            window.arena.fit()
            app.processEvents()
            if not window.grab().save(str(out), "PNG"):
                raise OSError(f"could not write {out}")
        finally:
            window.close()
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            del settings
    return out
