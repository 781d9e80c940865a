"""What the screenshot scripts share: an offscreen app with the theme, a window over a stored history
that waits for the pages' reads (they run off the GUI thread), and saving a widget's picture."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtCore import QCoreApplication, QEvent, QSettings, QThread
from PySide6.QtWidgets import QApplication, QWidget

from council_desktop.services.history import HistoryService
from council_desktop.storage import Store
from council_desktop.ui.loading import idle
from council_desktop.ui.main_window import MainWindow
from council_desktop.ui.theme import apply_theme

SIZE = (1400, 900)


def themed_app() -> QApplication:
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    return app


def flush(app: QApplication, timeout_s: float = 10.0) -> None:
    """Let the window settle: the pages' history reads come back, then a few rounds of events."""
    waited = 0.0
    while not idle() and waited < timeout_s:
        app.processEvents()
        QThread.msleep(10)
        waited += 0.01
    for _ in range(3):
        app.processEvents()


def save(widget: QWidget, path: Path, app: QApplication) -> None:
    flush(app)
    widget.grab().save(str(path))


@contextmanager
def window_over(db: Path, app: QApplication) -> Iterator[tuple[MainWindow, HistoryService, Path]]:
    """A shown window (reduced motion, ``SIZE``) with the history pages over ``db``, and a scratch folder;
    closed, and the history with it, afterwards."""
    store = Store.open(db)
    history = HistoryService(store)
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat))
        window.set_reduced_motion(True)
        window.set_history(history)
        window.resize(*SIZE)
        window.show()
        flush(app)
        try:
            yield window, history, Path(tmp)
        finally:
            window.close()
            window.deleteLater()
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
            store.close()
