"""The one composition root of the desktop app: QApplication + qasync loop, database, council, window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from types import TracebackType

os.environ.setdefault("QT_API", "pyside6")  # qasync picks the first binding it finds

from . import APP_NAME, __version__, config

log = logging.getLogger(__name__)


def _install_excepthook() -> None:
    """Errors in slots and asyncSlots reach sys.excepthook: log them and tell the user."""

    def hook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        log.error("unhandled error:\n%s", "".join(traceback.format_exception(kind, exc, tb)))
        try:
            from PySide6.QtWidgets import QApplication, QMessageBox

            if QApplication.instance() is not None and os.environ.get("QT_QPA_PLATFORM") != "offscreen":
                QMessageBox.critical(None, APP_NAME, f"Something went wrong:\n\n{exc}\n\nDetails are in the log.")
        except Exception:  # the dialog is a courtesy; the log already has the error
            pass

    sys.excepthook = hook


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="council-desktop-gui")
    parser.add_argument("--self-test", action="store_true", help="check the installation and exit")
    parser.add_argument("--db", help="the SQLite database (default: in the user data dir)")
    args, qt_args = parser.parse_known_args(list(argv) if argv is not None else sys.argv[1:])
    log_file = config.setup_logging()
    _install_excepthook()
    log.info("%s %s starting; log at %s", APP_NAME, __version__, log_file)

    import qasync
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from .llm.seating import council_from_settings
    from .services.qt_session import CouncilSession, QtLoopHost
    from .services.runtime import CouncilRuntime
    from .storage import Store
    from .ui.main_window import MainWindow
    from .ui.theme import apply_theme

    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    assert isinstance(app, QApplication)
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    icon = _icon_path()
    if icon:
        app.setWindowIcon(QIcon(str(icon)))
    apply_theme(app)

    if args.self_test:
        from .selftest import run_self_test

        return run_self_test(app)

    store = Store.open(config.db_path() if not args.db else args.db)
    interrupted = store.mark_interrupted()
    seats = council_from_settings(config.load_settings(), config.installed_models())
    runtime = CouncilRuntime(seats, store, host_factory=QtLoopHost)
    session = CouncilSession(runtime)
    window = MainWindow()
    _wire(window, session)
    window.show()
    if interrupted:
        window.statusBar().showMessage(f"{interrupted} unfinished session(s) from last time were marked interrupted",
                                       8000)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    app.aboutToQuit.connect(lambda: session.shutdown(2.0))
    session.load()
    with loop:
        loop.run_forever()
    return 0


def _wire(window: object, session: object) -> None:
    """Connect the window's requests to the session and the session's events to the window."""
    from .services.qt_session import CouncilSession
    from .ui.main_window import MainWindow

    assert isinstance(window, MainWindow) and isinstance(session, CouncilSession)

    def convene(topic: str) -> None:
        window.set_running(True)
        session.convene(topic)

    def ask(question: str) -> None:
        window.set_running(True)
        session.ask(question)

    def finished(_sid: str, status: str, reason: str) -> None:
        window.set_running(False)
        if status == "failed":
            window.show_error(reason)

    window.convene_requested.connect(convene)
    window.ask_requested.connect(ask)
    window.stop_requested.connect(session.stop)
    session.event_emitted.connect(window.on_event)
    session.session_finished.connect(finished)


def _icon_path() -> str | None:
    """The icon beside the package (source checkout) or inside the frozen bundle."""
    from pathlib import Path

    roots = [Path(getattr(sys, "_MEIPASS", "")), Path(__file__).resolve().parent.parent]
    for root in roots:
        path = root / "resources" / "icon.png"
        if str(root) and path.is_file():
            return str(path)
    return None


if __name__ == "__main__":
    sys.exit(main())
