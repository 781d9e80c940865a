"""The runtime with remote seats only (no model file is loaded): a loopback server answers, the router
sends every seat there, Stop ends the session at once, and the seat speeds are recorded."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from council_desktop.core.events import Event
from council_desktop.llm.remote import REMOTE_KEY, make_spec
from council_desktop.llm.seating import council_from_ids
from council_desktop.services.runtime import CouncilRuntime, RunRequest
from tests.remote_servers import FaultServer


@pytest.fixture
def fault() -> Iterator[Any]:
    with FaultServer() as httpd:
        yield httpd


def seats(url: str, model: str) -> list[Any]:
    settings = {REMOTE_KEY: [make_spec("srv", url, model).record(), make_spec("gone", url, "gpt-9").record()]}
    return council_from_ids(["srv", "srv", "srv", "srv", "gone"], settings, {})


def test_an_all_remote_ask_runs_and_records_each_seats_speed(fault: Any) -> None:
    runtime = CouncilRuntime(seats(fault.url, "ok"))
    events: list[Event] = []
    try:
        errors = runtime.load()
        assert list(errors) == ["poet-gone"] and "does not serve model 'gpt-9'" in errors["poet-gone"]
        assert not runtime.engine.groups  # nothing was loaded into the local engine
        _, outcome = asyncio.run(runtime.run(RunRequest("ask", "Why?", 1, 16, sinks=[events.append])))
    finally:
        assert runtime.shutdown(5)
    assert outcome.status == "finished" and outcome.members_ok == 4, outcome.reason
    answers = [e for e in events if e.kind == "answer"]
    assert len(answers) == 4 and all("Cats are wise" in e.data["text"] for e in answers)
    assert sum(e.kind == "token" for e in events) >= 4 * 7  # streamed
    speeds = runtime.seat_stats()
    assert {"sage-srv", "skeptic-srv", "optimist-srv", "pragmatist-srv"} <= set(speeds)
    assert all(speeds[m].tokens_per_s and speeds[m].latency_s is not None for m in ("sage-srv", "skeptic-srv"))


def test_stop_ends_a_session_of_remote_seats_at_once(fault: Any) -> None:
    runtime = CouncilRuntime(seats(fault.url, "slow"))
    events: list[Event] = []

    async def go() -> tuple[Any, float]:
        def stop_on_first_token(event: Event) -> None:
            if event.kind == "token" and not stopped:
                stopped.append(time.monotonic())
                runtime.stop()

        stopped: list[float] = []
        _, outcome = await runtime.run(RunRequest("debate", "Cats?", 1, 16, sinks=[events.append, stop_on_first_token]))
        return outcome, time.monotonic() - stopped[0]

    try:
        runtime.load()
        outcome, took = asyncio.run(go())
    finally:
        assert runtime.shutdown(5)
    assert outcome.status == "cancelled" and took < 0.5
    assert sum(e.kind == "token" for e in events) < 8  # the slow streams were cut, not run out


def test_every_fault_fails_its_member_with_a_reason_and_the_debate_finishes(
        fault: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FAULT_GOOD_KEY", "k-good-31")
    monkeypatch.setenv("FAULT_BAD_KEY", "k-bad-77")
    fault.api_key = "k-good-31"

    def spec(rid: str, model: str, key: str = "FAULT_GOOD_KEY") -> dict[str, Any]:
        return make_spec(rid, fault.url, model, api_key_env=key, read_timeout=1.0).record()

    expected = {
        "stall": "sent nothing for 1 s", "die": "mid-answer", "malformed": "malformed stream event",
        "boom": "HTTP 500", "badkey": "HTTP 401", "unknown": "does not serve model 'gpt-9'",
    }
    settings = {REMOTE_KEY: [spec("ok", "ok"), spec("stall", "stall"), spec("die", "die"),
                             spec("malformed", "malformed"), spec("boom", "boom"),
                             spec("badkey", "ok", "FAULT_BAD_KEY"), spec("unknown", "gpt-9")]}
    for faults in (("stall", "die", "malformed"), ("boom", "badkey", "unknown")):
        council = council_from_ids(["ok", "ok", *faults], settings, {})
        runtime = CouncilRuntime(council)
        events: list[Event] = []
        try:
            runtime.load()
            _, outcome = asyncio.run(runtime.run(RunRequest("debate", "Cats?", 2, 16, sinks=[events.append])))
        finally:
            assert runtime.shutdown(5)
        assert outcome.status == "finished" and outcome.members_ok == 2, outcome.reason
        failed = {e.data["member"].rsplit("-", 1)[1]: e.data["reason"] for e in events if e.kind == "member_failed"}
        assert set(failed) == set(faults)
        for rid, reason in failed.items():
            assert expected[rid] in reason and fault.url.removesuffix("/v1") in reason and ";" in reason, reason
            assert "k-bad-77" not in reason and "k-good-31" not in reason
        assert [e for e in events if e.kind == "synthesis"]
        assert all(e.data["valid"] for e in events if e.kind == "review")


def test_a_remote_seat_that_failed_is_asked_again_before_the_next_session(fault: Any) -> None:
    fault.models = ["ok"]  # "gpt-9" is not served yet
    runtime = CouncilRuntime(seats(fault.url, "ok"))
    try:
        assert list(runtime.load()) == ["poet-gone"]
        _, first = asyncio.run(runtime.run(RunRequest("ask", "Why?", 1, 8)))
        assert first.members_ok == 4
        fault.models = ["ok", "gpt-9"]  # the server now serves it
        _, second = asyncio.run(runtime.run(RunRequest("ask", "Why?", 2, 8)))
    finally:
        assert runtime.shutdown(5)
    assert second.status == "finished" and second.members_ok == 5, second.reason
    assert not runtime.load_errors
