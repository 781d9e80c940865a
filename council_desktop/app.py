"""The one composition root of the desktop app: QApplication + qasync loop, database, council, window."""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any

os.environ.setdefault("QT_API", "pyside6")  # qasync picks the first binding it finds
# Qt's raster paint engine splits a large fill, blit or scaled image over a pool of helper threads and the
# GUI thread waits for all of them. While the decode threads hold the cores, a helper waits for a core and
# the window with it. Offscreen beside one CPU hog, the window's worst stall in a debate was 62.6-128.3 ms
# with the pool and 38.5-87.7 ms without; p99 was lower without it in every run, offscreen and on X11,
# though on a quiet X11 window the worst stall was lower with it (README, "Benchmarks";
# scripts/bench/ui_latency.py --qt-pool). COUNCIL_DESKTOP_QT_POOL=1 keeps Qt's pool.
if not os.environ.get("COUNCIL_DESKTOP_QT_POOL"):
    os.environ.setdefault("QT_NO_GUI_THREADPOOL", "1")

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
    _install_excepthook()
    notes: list[str] = []  # problems found at start-up, one line each: on stderr now, in the window later

    def note(message: str) -> None:
        notes.append(message)
        if sys.stderr is not None:  # None in a windowed frozen app until the log takes its place
            print(f"{APP_NAME}: {message}", file=sys.stderr)

    log_file = config.setup_logging(report=note)
    log.info("%s %s starting; log at %s", APP_NAME, __version__, log_file)

    import qasync
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication, QMessageBox

    from .core.types import CouncilError
    from .llm.backend import DISPLAY_FRAME_S
    from .llm.seating import council_from_settings
    from .services.history import HistoryService
    from .services.main_thread_gc import MainThreadGarbage
    from .services.model_manager import ModelManager
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

    try:
        store = Store.open(config.db_path() if not args.db else args.db)
    except (CouncilError, OSError) as exc:  # a read-only or damaged data folder: say so, in one line
        log.error("cannot open the history: %s", exc)
        note(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)
        if os.environ.get("QT_QPA_PLATFORM") != "offscreen":
            QMessageBox.critical(None, APP_NAME, str(exc))
        return 1
    interrupted = store.mark_interrupted()
    settings = config.load_settings(report=note)

    def seats_for(chosen: dict[str, Any]) -> Sequence[Any]:
        return council_from_settings(chosen, config.installed_models())

    runtime = CouncilRuntime(seats_for(settings), store, host_factory=QtLoopHost, token_frame_s=DISPLAY_FRAME_S,
                             checks_in_process=True)
    session = CouncilSession(runtime)
    manager = ModelManager(config.models_dir(), settings, config.save_settings)
    window = MainWindow()
    _wire(window, session, HistoryService(store, window), manager, seats_for)
    window.show()
    if interrupted:
        notes.append(f"{interrupted} unfinished session(s) from last time were marked interrupted")
    if notes:
        window.statusBar().showMessage(" · ".join(notes), 15000)

    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)
    garbage = MainThreadGarbage(app)  # Qt objects are freed on the GUI thread only
    app.aboutToQuit.connect(lambda: session.shutdown(2.0))
    app.aboutToQuit.connect(garbage.stop)
    window.show_council(session.council_preview())
    session.start_loading()  # off the GUI thread: the window is usable while the models load
    with loop:
        loop.run_forever()
    return 0


def _wire(window: object, session: object, history: object = None, manager: object = None,
          seats_for: Callable[[dict[str, Any]], Sequence[Any]] | None = None) -> None:
    """Connect the window's requests to the session and the session's events to the window; with a
    history, add the Replay, Sessions, Analytics and Hall of Fame pages (reloaded after each session);
    with a model manager, File ▸ Settings opens it and a new council (``seats_for(settings)``) takes
    its seats between sessions."""
    from .services.history import HistoryService
    from .services.model_manager import ModelManager
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
        elif reason and status == "finished":  # e.g. a member dropped out, or saving fell behind
            window.statusBar().showMessage(reason, 10000)

    window.convene_requested.connect(convene)
    window.ask_requested.connect(ask)
    session.set_viewer_counts(window.viewer_counts)
    window.viewer_count_toggled.connect(session.set_viewer_counts)
    window.viewer_ballot_cast.connect(session.cast_viewer_ballot)
    session.viewer_ballot_refused.connect(window.viewer_panel.show_refusal)
    window.stop_requested.connect(session.stop)
    session.event_emitted.connect(window.on_event)
    session.council_changed.connect(window.show_council)
    session.session_finished.connect(finished)
    if isinstance(history, HistoryService):
        window.set_history(history)
        session.session_finished.connect(lambda *_: history.notify_session_finished())

        def fork(session_id: str, changes: dict[str, Any]) -> None:
            from .services.query_op import QueryOp
            from .services.runtime import ForkRequest, swaps_for

            try:
                swaps = swaps_for(session.runtime.seats, changes.get("seats") or {}, config.load_settings(),
                                  config.installed_models())
            except ValueError as exc:  # an unknown persona, a model not installed: one line
                window.show_error(str(exc))
                return

            def start(events: list[Any]) -> None:
                session.fork(ForkRequest(session_id, events, int(changes["stage"]), chair=changes.get("chair"),
                                         seed=changes.get("seed"), swaps=swaps,
                                         temperatures=dict(changes.get("temperatures") or {})))

            def failed(exc: Exception) -> None:  # HistoryError: the parent could not be read
                window.set_running(False)
                window.show_error(str(exc))

            window.set_running(True)  # from the click: nothing else starts while the parent is read
            QueryOp(parent=window, op=lambda: history.events(session_id), success=start).failure(
                failed).run_in_background()

        window.fork_requested.connect(fork)
        if window.replay_view is not None:
            window.replay_view.fork_models = _fork_models
    if isinstance(manager, ModelManager):
        _wire_settings(window, session, manager, seats_for)


def _fork_models() -> list[tuple[str, str]]:
    """The installed models a forked seat may move to: (id, label), the bundled starter first."""
    from .llm.catalogue import CHAMPIONS, STARTER, custom_specs

    specs = {m.id: m for m in (*CHAMPIONS, *custom_specs(config.load_settings()))}
    return [(STARTER.id, STARTER.name)] + [(mid, specs[mid].name) for mid in config.installed_models() if mid in specs]


def _wire_settings(window: Any, session: Any, manager: Any,
                   seats_for: Callable[[dict[str, Any]], Sequence[Any]] | None) -> None:
    from .ui.settings import SettingsDialog

    dialogs: list[SettingsDialog] = []  # one dialog, kept: closing it never stops a download

    def show_table(note: str = "") -> None:
        if dialogs:
            dialogs[0].council_tab.show_table(session.council_preview().data["members"], note)

    def unload() -> None:
        if not session.unload():
            show_table("The models stay loaded while a session runs or loads; try again when it ends.")

    def open_settings() -> None:
        if not dialogs:
            dialog = SettingsDialog(manager, window)
            dialog.council_tab.load_requested.connect(session.start_loading)
            dialog.council_tab.unload_requested.connect(unload)
            dialogs.append(dialog)
        show_table()
        dialog = dialogs[0]
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()

    def seats_changed(_choices: list[Any]) -> None:
        if seats_for is None:
            return
        if session.reseat(seats_for(manager.settings)):
            window.statusBar().showMessage("The new council is taking its seats…", 6000)
        else:
            window.statusBar().showMessage("The new council takes its seats when this session ends.", 8000)

    window.settings_requested.connect(open_settings)
    manager.seats_changed.connect(seats_changed)
    session.council_changed.connect(lambda _preview: show_table())


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
