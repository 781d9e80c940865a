"""Exports of a fork name its parent; the viewer's ballots are exported as plain text."""

from __future__ import annotations

import asyncio
import json

from council_desktop.core.events import Event, EventLog
from council_desktop.core.fork import ForkStart, fork_prefix
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.core.transcript import build_transcript
from council_desktop.core.viewer import ViewerBallot, ViewerInbox
from council_desktop.export import to_html, to_json, to_markdown
from tests.scripted import ScriptedBackend, members


def run(plan: SessionPlan, sinks: list | None = None) -> list[Event]:
    log = EventLog(sinks or [])
    asyncio.run(Orchestrator(plan, ScriptedBackend(), log).run())
    return log.events


def test_a_forks_export_names_its_parent_and_the_viewers_ballots() -> None:
    parent = run(SessionPlan("debate", members(), topic="<b>Robots</b> vote?", seed=1))
    inbox = ViewerInbox()

    def vote(e: Event) -> None:
        if e.kind == "viewer_open" and e.data["kind"] == "alliance":
            ids = list(e.data["labels"].values())
            inbox.submit(ViewerBallot(4, "alliance", agree=ids[:1], disagree=ids[1:2]))

    events = run(SessionPlan("debate", members(), seed=4, chairman=1, viewer=inbox,
                             fork=ForkStart("parent-1234", 3, tuple(fork_prefix(parent, 3)),
                                            {"chairman": members()[1].id, "seed": 4})), [vote])
    t = build_transcript(events, "child")
    assert t["parent"] == {"session_id": "parent-1234", "stage": 3,
                           "changes": {"chairman": members()[1].id, "seed": 4}}
    assert t["seed"] == 4 and t["chairman"] == members()[1].id
    assert t["viewer"][0]["kind"] == "alliance" and len(t["viewer"][0]["agree"]) == 1
    md = to_markdown(t)
    assert "- **Forked from:** session parent-1234, re-run from stage 3 (rebuttals); chairman Skeptic; seed 4" in md
    assert "## Your ballots" in md and "you agree with" in md
    html = to_html(t)
    assert "Forked from" in html and "parent-1234" in html and "<b>Robots" not in html
    assert json.loads(to_json(t))["parent"]["session_id"] == "parent-1234"
