"""The terminal's live progress, driven by a scripted debate."""

from __future__ import annotations

import asyncio
import io

from council_desktop.cli import TerminalProgress, build_parser
from council_desktop.core.events import EventLog
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from tests.scripted import ScriptedBackend, failing, members


def run_with(progress: TerminalProgress, backend: ScriptedBackend) -> None:
    asyncio.run(Orchestrator(SessionPlan("debate", members(), topic="Is time real?"), backend,
                             EventLog([progress])).run())


def test_live_progress_shows_stage_speakers_bar_and_rate() -> None:
    out = io.StringIO()
    run_with(TerminalProgress(out, live=True), ScriptedBackend())
    text = out.getvalue()
    for i, name in enumerate(("topic", "opinions", "review", "rebuttals", "alliances", "synthesis")):
        assert f"== stage {i}: {name}" in text
    assert "\r  [" in text and "tok/s" in text  # the bar redraws in place
    assert "[####################] 5/5" in text  # a full bar once all five opinions are in
    assert "Sage scores:" in text and "agrees with" in text and "finished" in text


def test_plain_output_when_not_a_terminal_and_failures_are_reported() -> None:
    out = io.StringIO()
    run_with(TerminalProgress(out, live=False), ScriptedBackend(failing("poet", "the file is truncated")))
    text = out.getvalue()
    assert "\r" not in text and "tok/s" not in text
    assert "! Poet dropped out: the file is truncated" in text
    assert "4 of 5 members" in text


def test_the_parser_knows_every_command() -> None:
    p = build_parser()
    assert p.parse_args(["debate", "--topic", "X", "--seed", "3", "--export", "o.json"]).seed == 3
    assert p.parse_args(["ask", "Why?"]).question == "Why?"
    assert p.parse_args(["export", "abc", "o.md"]).path == "o.md"
    assert p.parse_args(["models", "download", "gemma-3-270m-it"]).name == "gemma-3-270m-it"


def test_a_fork_says_where_the_parents_events_end() -> None:
    from council_desktop.core.fork import ForkStart, fork_prefix

    log = EventLog()
    asyncio.run(Orchestrator(SessionPlan("debate", members(), topic="Is time real?"), ScriptedBackend(), log).run())
    out = io.StringIO()
    fork = ForkStart("parent-1", 4, tuple(fork_prefix(log.events, 4)), {"seed": 3})
    asyncio.run(Orchestrator(SessionPlan("debate", members(), seed=3, fork=fork), ScriptedBackend(),
                             EventLog([TerminalProgress(out, live=False)])).run())
    text = out.getvalue()
    assert "== fork of parent-1 from stage 4 (changed: seed 3); the events above are the parent's" in text
    assert text.index("== stage 3: rebuttals") < text.index("== fork of") < text.index("== stage 4: alliances")
    args = build_parser().parse_args(["fork", "abc", "--stage", "3", "--chair", "poet", "--seed", "4"])
    assert (args.session, args.stage, args.chair, args.seed) == ("abc", 3, "poet", 4)
    assert build_parser().parse_args(["leaderboard", "--by", "model"]).by == "model"
    assert build_parser().parse_args(["audit", "--json"]).json
