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
import tempfile
from pathlib import Path

from _shots import SIZE, flush, save, themed_app, window_over

from council_desktop.llm.seating import starter_council
from council_desktop.services.model_manager import ModelManager
from council_desktop.services.runtime import CouncilRuntime, RunRequest
from council_desktop.storage import Store
from council_desktop.ui.main_window import PAGES
from council_desktop.ui.screenshot import render_stage_png
from council_desktop.ui.settings import SettingsDialog


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


def render_views(db: Path, out: Path) -> None:
    app = themed_app()
    with window_over(db, app) as (window, history, tmp):
        debate = next(s for s in history.sessions() if s.mode == "debate" and s.status == "finished")
        events = history.events(debate.id)
        for stage in range(1, 6):
            render_stage_png(events, stage, out / f"arena-stage-{stage}.png", SIZE)
        alliance = next(e.seq for e in events if e.kind == "stage" and e.data.get("index") == 4)
        window.open_replay(debate.id, alliance + 3)
        save(window, out / "replay.png", app)
        for name in ("Sessions", "Analytics", "Hall of Fame"):
            window.show_page(PAGES.index(name))
            save(window, out / f"{name.lower().replace(' ', '-')}.png", app)
        manager = ModelManager(tmp / "models", {}, lambda _s: None, probe_local_files=False)
        dialog = SettingsDialog(manager, window)
        dialog.council_tab.show_table([seat.member.payload() for seat in starter_council()])
        dialog.show()
        save(dialog, out / "settings-models.png", app)
        dialog.show_page("council")
        save(dialog, out / "settings-council.png", app)
        dialog.close()
        manager.shutdown(5)
        flush(app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, help="a database with sessions (held first when it is missing)")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "council.sqlite3"
        if not db.exists():
            hold_sessions(db)
        render_views(db, args.out)
    for png in sorted(args.out.glob("*.png")):
        print(f"{png} {png.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
