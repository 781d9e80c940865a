"""Render issue 15's pictures offscreen from real sessions: the viewer judging in the arena, the sixth
badge row, the by-model leaderboard, the bias audit, agreement with you, and a fork's family in Sessions
and Replay.

It first holds in ``--db`` the real sessions it lacks, with the starter council (llama.cpp, in process):
``--debates`` debates (2) in which a stand-in viewer casts ballots (it scores the longer answers higher and
sides with the first member), and a fork of the first from its rebuttals with another chair and seed and
Optimist's seat speaking as Poet.

Run: .venv/bin/python scripts/viewer_screenshots.py --db /tmp/viewer.db [--out docs/screenshots]
"""

from __future__ import annotations

import argparse
import asyncio
from pathlib import Path

from _shots import save, themed_app, window_over

from council_desktop.core.events import Event
from council_desktop.core.viewer import ViewerBallot, ViewerInbox
from council_desktop.llm.seating import starter_council
from council_desktop.services.runtime import CouncilRuntime, ForkRequest, RunRequest, swaps_for
from council_desktop.storage import Store
from council_desktop.ui.main_window import PAGES

TOPICS = ("Should homework be banned in primary schools?", "Is it better to rent or to buy a home?")


class StandInViewer:
    """Casts the viewer's ballot the moment a stage opens: longer answers score higher; at the alliances
    it sides with the first member and opposes the last."""

    def __init__(self, inbox: ViewerInbox) -> None:
        self.inbox = inbox
        self.texts: dict[str, str] = {}

    def __call__(self, event: Event) -> None:
        d = event.data
        if event.kind == "opinion":
            self.texts[d["member"]] = d["text"]
        elif event.kind == "viewer_open" and d["kind"] == "alliance":
            ids = list(d["labels"].values())
            self.inbox.submit(ViewerBallot(d["stage"], "alliance", agree=ids[:1], disagree=ids[-1:]))
        elif event.kind == "viewer_open":
            ranked = sorted(d["labels"], key=lambda lab: len(self.texts.get(d["labels"][lab], "")))
            self.inbox.submit(ViewerBallot(d["stage"], d["kind"],
                                           scores={lab: 3 + round(6 * i / max(1, len(ranked) - 1))
                                                   for i, lab in enumerate(ranked)}))


def hold_sessions(db: Path, debates: int = 2, max_tokens: int = 64) -> None:
    """Hold what the file lacks (resumable): up to ``debates`` debates, then one fork of the first."""
    store = Store.open(db)
    store.mark_interrupted()
    done = [r for r in store.sessions(limit=1000) if r.status == "finished" and not store.lineage(r.id).parent]
    forked = any(store.lineage(r.id).parent for r in store.sessions(limit=1000) if r.status == "finished")
    if len(done) >= debates and forked:
        store.close()
        return
    runtime = CouncilRuntime(starter_council(), store, seat_ctx=2048)
    runtime.load()
    try:
        for seed, topic in list(enumerate(TOPICS, start=21))[len(done):debates]:
            inbox = ViewerInbox()
            sid, outcome = asyncio.run(runtime.run(RunRequest("debate", topic, seed, max_tokens, viewer=inbox,
                                                              sinks=[StandInViewer(inbox)])))
            print(f"held debate {sid}: {outcome.status} {outcome.reason}", flush=True)
        first = [r for r in store.sessions(limit=1000) if r.status == "finished"][-1].id  # the oldest
        if not forked:
            # Another chair and seed, and one seat in another voice (Optimist's seat speaks as Poet).
            swaps = swaps_for(runtime.seats, {"optimist": {"persona": "poet"}}, {}, {})
            sid, outcome = asyncio.run(runtime.fork(ForkRequest(first, store.load_events(first), 3, chair="skeptic",
                                                                seed=5, max_tokens=max_tokens, swaps=swaps)))
            print(f"held fork {sid} of {first}: {outcome.status} {outcome.reason}", flush=True)
    finally:
        runtime.shutdown()
        store.close()


def render(db: Path, out: Path) -> None:
    app = themed_app()
    with window_over(db, app) as (window, history, _tmp):
        sessions = history.sessions()
        fork = next(s for s in sessions if s.parent and s.status == "finished")
        parent = next(s for s in sessions if s.id == fork.parent)
        events = history.events(parent.id)
        # The arena while the council reviews: the viewer's panel is open.
        opened = next(i for i, e in enumerate(events) if e.kind == "viewer_open")
        for e in events[:opened + 1]:
            window.on_event(e)
        save(window, out / "viewer-judge.png", app)
        # After the aggregate: the sixth badge row (the viewer's) under the council's badges.
        aggregate = next(i for i, e in enumerate(events) if e.kind == "aggregate")
        for e in events[:aggregate + 1]:
            window.on_event(e)
        window.scene.finish_animations()
        save(window, out / "viewer-badges.png", app)
        analytics = window.analytics_view
        assert analytics is not None
        window.show_page(PAGES.index("Analytics"))
        for name, panel in (("analytics-by-model", analytics.by_model), ("analytics-audit", analytics.audit),
                            ("analytics-you", analytics.viewer)):
            analytics.tabs.setCurrentWidget(panel)
            save(window, out / f"{name}.png", app)
        window.show_page(PAGES.index("Sessions"))
        assert window.sessions_view is not None
        window.sessions_view.select(fork.id)
        save(window, out / "sessions-family.png", app)
        window.open_replay(fork.id, next(e.seq for e in history.events(fork.id) if e.kind == "forked") + 2)
        save(window, out / "replay-fork.png", app)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="held first when it is missing")
    parser.add_argument("--out", type=Path, default=Path("docs/screenshots"))
    parser.add_argument("--debates", type=int, default=2, help="debates to hold before the fork")
    parser.add_argument("--max-tokens", type=int, default=64)
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    hold_sessions(args.db, args.debates, args.max_tokens)
    render(args.db, args.out)
    for png in sorted(args.out.glob("viewer-*.png")) + sorted(args.out.glob("analytics-*.png")):
        print(f"{png} {png.stat().st_size // 1024} KiB")


if __name__ == "__main__":
    main()
