"""The typed payloads: one per kind, and what the real pipeline emits fits them."""

from __future__ import annotations

from typing import Any

import pytest

from council_desktop.core.events import EVENT_KINDS, PAYLOADS, MemberEntry
from tests.scripted import ScriptedBackend, failing, run_session


def keys(payload: Any) -> set[str]:
    return set(payload.__required_keys__) | set(payload.__optional_keys__)


def test_every_kind_has_a_payload_and_every_payload_a_kind() -> None:
    assert set(PAYLOADS) == set(EVENT_KINDS)


@pytest.mark.parametrize(("mode", "backend"), [
    ("debate", ScriptedBackend()), ("ask", ScriptedBackend()), ("debate", ScriptedBackend(failing("poet"))),
], ids=["debate", "ask", "debate-with-a-failed-seat"])
def test_the_pipeline_emits_only_declared_keys(mode: str, backend: ScriptedBackend) -> None:
    seen: set[str] = set()
    events = run_session(mode, backend=backend, sinks=[lambda e: seen.add(e.kind)])
    for event in events:
        undeclared = set(event.data) - keys(PAYLOADS[event.kind])
        assert not undeclared, f"{event.kind} carries undeclared keys {undeclared}"
        if event.kind == "roles":
            for member in event.data["members"]:
                assert set(member) <= keys(MemberEntry), member
    assert {"roles", "stage", "topic", "token", "aggregate", "complete"} <= seen


def test_a_debate_covers_every_speaking_and_judging_kind() -> None:
    kinds = {e.kind for e in run_session("debate")} | {e.kind for e in run_session("ask")}
    assert {"opinion", "review", "rebuttal", "alliance", "synthesis", "answer", "ranking"} <= kinds


def _keys_by_kind(events: Any) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for e in events:
        out.setdefault(e.kind, set()).update(e.data)
    return out


@pytest.mark.parametrize("stream", ["tests.ui.conftest", "tests.storage.conftest"])
def test_hand_built_streams_carry_the_keys_the_pipeline_emits(stream: str) -> None:
    """The fixtures that build event streams by hand (for exact, hand-worked figures) must not drift from
    what the real Orchestrator emits: same keys for every kind both produce."""
    import importlib

    module = importlib.import_module(stream)
    if stream == "tests.ui.conftest":
        hand = module.record_debate() + module.record_ask()
    else:
        hand = module.run_debate() + module.run_ask()
    real = _keys_by_kind(run_session("debate") + run_session("ask"))
    built = _keys_by_kind(hand)
    for kind in set(real) & set(built):
        assert built[kind] == real[kind], f"{stream}: {kind} differs: {built[kind] ^ real[kind]}"
    for kind, declared in ((k, keys(PAYLOADS[k])) for k in built):
        assert built[kind] <= declared, f"{stream}: {kind} carries undeclared {built[kind] - declared}"

