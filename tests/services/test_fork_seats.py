"""Forks that change a seat (its persona or its model) and a temperature, through the runtime over the
scripted engine and a real SQLite history; Stop reaching a fork (the runtime's and the window's)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from council_desktop.core.personas import STARTER_PERSONAS
from council_desktop.llm.engine import SeatSpec
from council_desktop.llm.seating import Seat, SeatingError, starter_council, swapped_seat
from council_desktop.services.history import HistoryService
from council_desktop.services.qt_session import CouncilSession
from council_desktop.services.runtime import CouncilRuntime, ForkRequest, RunRequest, SeatSwap, seats_with, swaps_for
from council_desktop.storage import Store
from tests.scripted_engine import ScriptedEngine
from tests.services.sessions import scripted_seats, session_outcome, stop_after_tokens

OPTIMIST = next(p for p in STARTER_PERSONAS if p.id == "optimist")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    s = Store.open(tmp_path / "council.db")
    yield s
    s.close()


def _swaps() -> dict[str, SeatSwap]:
    """Sage speaks as Optimist; Poet moves to another model file."""
    seats = {s.member.id: s for s in scripted_seats()}
    sage = seats["sage"]
    as_optimist = Seat(replace(sage.member, name=OPTIMIST.name, persona=OPTIMIST.prompt), sage.spec)
    poet = seats["poet"]
    elsewhere = Seat(replace(poet.member, model="other-model", model_file="sha-other"),
                     SeatSpec("poet", Path("other.gguf"), "chatml"))
    return {"sage": SeatSwap(as_optimist, persona="Optimist"), "poet": SeatSwap(elsewhere, model="other-model")}


def _parent(store: Store) -> tuple[str, list]:  # type: ignore[type-arg]
    runtime = CouncilRuntime(scripted_seats(), store, engine_factory=lambda ctx: ScriptedEngine(ctx))
    try:
        sid, outcome = asyncio.run(runtime.run(RunRequest("debate", "Should zoos exist?", seed=1, max_tokens=20)))
    finally:
        runtime.shutdown()
    assert outcome.status == "finished", outcome.reason
    return sid, store.load_events(sid)


def test_a_fork_with_a_changed_persona_model_and_temperature_records_what_changed(store: Store) -> None:
    parent_id, parent = _parent(store)
    swaps = _swaps()
    engine = ScriptedEngine()
    runtime = CouncilRuntime(seats_with(scripted_seats(), swaps), store, engine_factory=lambda ctx: engine)
    try:
        sid, outcome = asyncio.run(runtime.fork(ForkRequest(parent_id, parent, 3, temperatures={"skeptic": 1.5},
                                                            max_tokens=20, swaps=swaps)))
    finally:
        runtime.shutdown()
    assert outcome.status == "finished", outcome.reason
    events = store.load_events(sid)
    forked = next(e for e in events if e.kind == "forked")
    assert forked.data["changes"]["seats"] == {
        "sage": {"persona": "Optimist"},
        "poet": {"model": "other-model", "was_model": "scripted", "model_file": "sha-other"}}
    assert forked.data["changes"]["temperatures"] == {"skeptic": 1.5}
    # Before the fork stage, the parent's events: the changed seats' earlier turns are the parent's.
    before = events[:events.index(forked)]
    assert [(e.kind, e.data) for e in before] == [(e.kind, e.data) for e in parent[:len(before)]]
    # From the stage on, Sage speaks with Optimist's voice (under its own name).
    live = [j for j in engine.started_jobs if j.probe_prefix is None and j.reply is None]
    assert live and all(j.messages[0].content.startswith("You are Optimist")
                        for j in live if j.member_id == "sage")
    roles = events[0].data["members"]
    assert next(m for m in roles if m["id"] == "sage")["name"] == "Sage"
    # The fork's poet counts for the new model; the parent's for the old.
    history = HistoryService(store)
    family = history.family(sid)
    assert family.parent is not None and family.parent[0] == parent_id
    assert any("Sage's seat now speaks as Optimist" in c and "turns before the fork stage are the parent's" in c
               for c in family.changed)
    assert any("Poet's seat now speaks on other-model (was scripted)" in c for c in family.changed)
    assert "Skeptic at temperature 1.5" in family.changed
    files = {row.model_file for row in store.leaderboard_by_model()}
    assert {"sha-other", "scripted"} <= files
    out = history.export(sid, store.path.parent / "fork.md")
    assert "Sage's seat now speaks as Optimist" in out.read_text()


def test_a_changed_model_must_be_seated_and_a_stranger_is_refused(store: Store) -> None:
    from council_desktop.core.types import CouncilError

    parent_id, parent = _parent(store)
    runtime = CouncilRuntime(scripted_seats(), store, engine_factory=lambda ctx: ScriptedEngine(ctx))
    try:
        with pytest.raises(CouncilError, match="other-model is not seated in poet's place"):
            asyncio.run(runtime.fork(ForkRequest(parent_id, parent, 3, swaps=_swaps())))
        stranger = {"nobody": SeatSwap(scripted_seats()[0], persona="Sage")}
        with pytest.raises(CouncilError, match="'nobody' did not sit in that session"):
            asyncio.run(runtime.fork(ForkRequest(parent_id, parent, 3, swaps=stranger)))
    finally:
        runtime.shutdown()


def test_seat_changes_are_validated_in_one_line(starter_path: Path) -> None:
    seats = starter_council()
    with pytest.raises(ValueError, match=r"^no seat 'nobody' at the table; the seats are: sage, skeptic"):
        swaps_for(seats, {"nobody": {"persona": "poet"}}, {}, {})
    with pytest.raises(SeatingError, match=r"^unknown persona 'clown'; known: sage, skeptic"):
        swaps_for(seats, {"sage": {"persona": "clown"}}, {}, {})
    with pytest.raises(SeatingError, match=r"^unknown model 'nope'"):
        swaps_for(seats, {"sage": {"model": "nope"}}, {}, {})
    swaps = swaps_for(seats, {"sage": {"persona": "poet"}}, {}, {})
    assert swaps["sage"].persona == "Poet" and not swaps["sage"].model
    assert swaps["sage"].seat.member.id == "sage" and swaps["sage"].seat.member.persona.startswith("You are Poet")
    with pytest.raises(SeatingError, match=r"^qwen2.5-0.5b-instruct is not installed; download it first"):
        swaps_for(seats, {"sage": {"model": "qwen2.5-0.5b-instruct"}}, {}, {})
    kept = swapped_seat(seats[1], None, "smollm2-135m-instruct-starter", {}, {})  # the model alone: the persona stays
    assert kept.member.id == "skeptic" and kept.member.persona == seats[1].member.persona


def test_the_cli_names_a_bad_seat_change_in_one_line(starter_path: Path) -> None:
    from council_desktop.cli import _fork_swaps, build_parser

    seats = starter_council()
    with pytest.raises(ValueError, match=r"^--persona takes MEMBER_ID=PERSONA, not 'sage'$"):
        _fork_swaps(seats, ["sage"], [], {}, {})
    with pytest.raises(ValueError, match=r"^--persona/--model: unknown model 'nope'"):
        _fork_swaps(seats, [], ["poet=nope"], {}, {})
    swaps = _fork_swaps(seats, ["sage=optimist"], [], {}, {})
    assert swaps["sage"].persona == "Optimist"
    args = build_parser().parse_args(["fork", "abc", "--stage", "3", "--persona", "sage=poet", "--model",
                                      "poet=qwen", "--temperature", "sage=1.1"])
    assert args.persona == ["sage=poet"] and args.model == ["poet=qwen"]


# -- Stop reaches a fork ---------------------------------------------------------------------------------


def test_runtime_stop_during_a_fork_cancels_it(store: Store) -> None:
    parent_id, parent = _parent(store)
    runtime = CouncilRuntime(scripted_seats(), store, engine_factory=lambda ctx: ScriptedEngine(ctx, tick=0.01))
    runtime.load()

    async def go() -> str:
        task = asyncio.ensure_future(runtime.fork(ForkRequest(parent_id, parent, 1)))
        while runtime.cancel_token is None or runtime.engine.tokens_decoded < 3:
            await asyncio.sleep(0.005)
        runtime.stop()
        _, outcome = await task
        return outcome.status

    try:
        assert asyncio.run(go()) == "cancelled"
        assert runtime.cancel_token is None  # nothing left for the next session
    finally:
        runtime.shutdown()


@pytest.mark.gui
def test_window_stop_reaches_a_fork_and_the_next_session_runs(
        store: Store, qt_loop: asyncio.AbstractEventLoop, scripted_session: Callable[..., CouncilSession]) -> None:
    parent_id, parent = _parent(store)
    asyncio.set_event_loop(qt_loop)  # asyncio.run (the parent) left none
    session = scripted_session(store, tick=0.01)
    assert stop_after_tokens(session, qt_loop, lambda: session.fork(ForkRequest(parent_id, parent, 2))) == "cancelled"


@pytest.mark.gui
def test_window_fork_with_a_changed_model_seats_it_then_the_council_returns(
        store: Store, qt_loop: asyncio.AbstractEventLoop, scripted_session: Callable[..., CouncilSession]) -> None:
    parent_id, parent = _parent(store)
    asyncio.set_event_loop(qt_loop)  # asyncio.run (the parent) left none
    session = scripted_session(store)
    fut = session_outcome(session, qt_loop)
    session.fork(ForkRequest(parent_id, parent, 3, swaps=_swaps()))
    assert session.runtime.seats[-1].member.model == "other-model"  # seated for the fork
    sid, status, reason = qt_loop.run_until_complete(asyncio.wait_for(fut, 30))
    assert status == "finished", reason
    forked = next(e for e in store.load_events(sid) if e.kind == "forked")
    assert "poet" in forked.data["changes"]["seats"]
    assert [s.member.model for s in session.runtime.seats] == ["scripted"] * 5  # the chosen council is back
