"""Render the README's pictures offscreen from real sessions: the arena at the end of each debate stage,
then the Replay, Sessions, Analytics, Hall of Fame and Settings views.

When the ``--db`` file does not exist yet (or without ``--db``: a throw-away one) it first holds real
sessions there with the starter council (llama.cpp, in process): two seeded debates and one ask. That
takes a few minutes on 2 cores; the renders a few seconds.

Run: .venv/bin/python scripts/docs_screenshots.py [--db PATH] [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")

from PySide6.QtCore import QCoreApplication, QEvent, QSettings
from PySide6.QtWidgets import QApplication

from council_desktop.llm.seating import starter_council
from council_desktop.services.history import HistoryService
from council_desktop.services.model_manager import ModelManager
from council_desktop.services.runtime import CouncilRuntime, RunRequest
from council_desktop.storage import Store
from council_desktop.ui.main_window import PAGES, MainWindow
from council_desktop.ui.screenshot import render_stage_png
from council_desktop.ui.settings import SettingsDialog
from council_desktop.ui.theme import apply_theme

SIZE = (1400, 900)


def hold_sessions(db: Path) -> None:
    store = Store.open(db)
    runtime = CouncilRuntime(starter_council(), store, seat_ctx=2048)
    runtime.load()
    try:
        for req in (RunRequest("debate", "Should cities ban cars from their historic centres?", 11, 120),
                    RunRequest("debate", None, 12, 120),
                    RunRequest("ask", "Why is the sky blue?", 13, 120)):
            sid, outcome = asyncio.run(runtime.run(req))
            print(f"held {req.mode} {sid}: {outcome.status} {outcome.reason}")
    finally:
        runtime.shutdown()
        store.close()


def flush(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def render_views(db: Path, out: Path, app: QApplication) -> None:
    store = Store.open(db)
    history = HistoryService(store)
    debate = next(s for s in history.sessions() if s.mode == "debate" and s.status == "finished")
    events = history.events(debate.id)
    for stage in range(1, 6):
        render_stage_png(events, stage, out / f"arena-stage-{stage}.png", SIZE)
    with tempfile.TemporaryDirectory() as tmp:
        window = MainWindow(QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat))
        window.set_reduced_motion(True)
        window.set_history(history)
        window.resize(*SIZE)
        window.show()
        alliance = next(e.seq for e in events if e.kind == "stage" and e.data.get("index") == 4)
        window.open_replay(debate.id, alliance + 3)
        flush(app)
        window.grab().save(str(out / "replay.png"))
        for name in ("Sessions", "Analytics", "Hall of Fame"):
            window.show_page(PAGES.index(name))
            flush(app)
            window.grab().save(str(out / f"{name.lower().replace(' ', '-')}.png"))
        manager = ModelManager(Path(tmp) / "models", {}, lambda _s: None, probe_local_files=False)
        dialog = SettingsDialog(manager, window)
        dialog.council_tab.show_table([seat.member.payload() for seat in starter_council()])
        dialog.show()
        flush(app)
        dialog.grab().save(str(out / "settings-models.png"))
        dialog.show_page("council")
        flush(app)
        dialog.grab().save(str(out / "settings-council.png"))
        dialog.close()
        manager.shutdown(5)
        window.close()
        window.deleteLater()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database with sessions (held first when it is missing)")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication([])
    assert isinstance(app, QApplication)
    apply_theme(app)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "council.sqlite3"
        if not db.exists():
            hold_sessions(db)
        render_views(db, args.out, app)
    for png in sorted(args.out.glob("*.png")):
        print(f"{png} {png.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
