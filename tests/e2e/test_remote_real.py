"""Remote seats against a REAL OpenAI-compatible server: llama-cpp-python's own (``python -m
llama_cpp.server``, the ``server`` extra) on 127.0.0.1 serving the starter model, next to three local
seats in the in-process engine. Issue 14's "done when": a mixed debate finishes with every ballot valid
and the remote members streaming; killing the server mid-debate fails exactly the remote members with a
clear reason; the API key is in none of settings.json, the database, the logs or the exports."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from council_desktop.core.events import Event
from council_desktop.llm.catalogue import STARTER
from council_desktop.llm.remote import REMOTE_KEY, make_spec
from council_desktop.llm.seating import council_from_ids
from council_desktop.services.runtime import CouncilRuntime, RunRequest
from tests.remote_servers import LlamaServer, llama_server

pytest.importorskip("llama_cpp.server.app", reason="llama-cpp-python's server extra is not installed")
pytestmark = [pytest.mark.model, pytest.mark.slow]
ROOT = Path(__file__).resolve().parents[2]
TOPIC = "Should cities ban cars from their centres?"


@pytest.fixture(scope="module")
def server(starter_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LlamaServer]:
    with llama_server(starter_path, tmp_path_factory.mktemp("llama-server")) as srv:
        yield srv


def mixed_seats(url: str, *, model: str = "smollm2", extra: dict[str, Any] | None = None,
                ids: tuple[str, str] = ("srv", "srv")) -> list[Any]:
    records = [make_spec(ids[0], url, model).record()] + ([extra] if extra else [])
    settings = {REMOTE_KEY: records}
    return council_from_ids([f"remote:{ids[0]}", f"remote:{ids[1]}", STARTER.id, STARTER.id, STARTER.id], settings, {})


def run(seats: list[Any], mode: str = "debate", *, on_event: Any = None, max_tokens: int = 32,
        store: Any = None) -> tuple[CouncilRuntime, Any, list[Event]]:
    runtime = CouncilRuntime(seats, store)
    events: list[Event] = []
    sinks = [events.append] + ([on_event] if on_event else [])
    try:
        runtime.load()
        _, outcome = asyncio.run(runtime.run(RunRequest(mode, TOPIC, 11, max_tokens, sinks=sinks)))  # type: ignore[arg-type]
    finally:
        assert runtime.shutdown(10)
    return runtime, outcome, events


def test_two_remote_seats_and_three_local_debate_with_every_ballot_valid(server: LlamaServer) -> None:
    seats = mixed_seats(server.url)
    remote_ids = {s.member.id for s in seats if s.remote is not None}
    assert len(remote_ids) == 2 and sum(s.remote is None for s in seats) == 3
    runtime, outcome, events = run(seats)
    assert outcome.status == "finished", outcome.reason
    assert outcome.members_ok == 5, outcome.reason
    assert not [e for e in events if e.kind == "member_failed"]
    opinions = {e.data["member"]: e.data for e in events if e.kind == "opinion"}
    assert set(opinions) == {s.member.id for s in seats}
    for mid in remote_ids:  # the remote members spoke, streamed token by token into the same events
        streamed = [e.data["text"] for e in events if e.kind == "token" and e.data["member"] == mid
                    and e.data["kind"] == "opinion"]
        assert len(streamed) >= 3 and opinions[mid]["text"].strip() and opinions[mid]["tokens"] > 0
    reviews = [e.data for e in events if e.kind == "review"]
    assert len(reviews) == 5 and all(r["valid"] for r in reviews), [r["reason"] for r in reviews]
    assert all(r["method"] in ("probability", "json", "text") for r in reviews)
    remote_methods = {r["method"] for r in reviews if r["reviewer"] in remote_ids}
    assert remote_methods == {"probability"}  # the server gives top_logprobs: the judge's own probabilities
    alliances = [e.data for e in events if e.kind == "alliance"]
    assert len(alliances) == 5 and all(a["valid"] for a in alliances)
    assert [e for e in events if e.kind == "synthesis"] and len([e for e in events if e.kind == "rebuttal"]) == 2
    stats = runtime.remote_stats()
    assert set(stats) == remote_ids and all(s.tokens_per_s and s.tokens_per_s > 0 for s in stats.values())
    assert all(s.latency_s is not None and s.latency_s > 0 for s in stats.values())
    speeds = runtime.seat_stats()  # what Settings shows per seat, local seats too
    assert set(speeds) == {s.member.id for s in seats} and all(v.tokens_per_s for v in speeds.values())


def test_killing_the_server_mid_debate_fails_the_remote_members_and_the_others_finish(
        starter_path: Path, tmp_path: Path) -> None:
    with llama_server(starter_path, tmp_path) as srv:
        seats = mixed_seats(srv.url)
        remote_ids = {s.member.id for s in seats if s.remote is not None}

        def kill_on_first_remote_token(event: Event) -> None:
            if event.kind == "token" and event.data["member"] in remote_ids and srv.proc.poll() is None:
                srv.kill()

        _, outcome, events = run(seats, on_event=kill_on_first_remote_token)
        assert srv.proc.poll() is not None  # it was killed mid-stream
    assert outcome.status == "finished" and outcome.members_ok == 3, outcome.reason
    failed = {e.data["member"]: e.data["reason"] for e in events if e.kind == "member_failed"}
    assert set(failed) == remote_ids
    for reason in failed.values():
        assert srv.url.removesuffix("/v1") in reason
        assert any(w in reason for w in ("mid-answer", "refused the connection", "network error")), reason
    reviews = [e.data for e in events if e.kind == "review"]
    assert {r["reviewer"] for r in reviews} == {s.member.id for s in seats} - remote_ids
    assert all(r["valid"] for r in reviews)
    assert [e for e in events if e.kind == "synthesis"]


def test_a_wrong_key_and_an_unknown_model_each_fail_one_member_with_a_clear_reason(
        starter_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUNCIL_TEST_WRONG_KEY", "not-the-key")
    monkeypatch.setenv("COUNCIL_TEST_RIGHT_KEY", "right-key-123")
    with llama_server(starter_path, tmp_path, api_key="right-key-123") as srv:
        wrong = make_spec("wrong", srv.url, "smollm2", api_key_env="COUNCIL_TEST_WRONG_KEY").record()
        unknown = make_spec("unknown", srv.url, "gpt-9", api_key_env="COUNCIL_TEST_RIGHT_KEY").record()
        settings = {REMOTE_KEY: [wrong, unknown]}
        seats = council_from_ids(["remote:wrong", "remote:unknown", STARTER.id, STARTER.id, STARTER.id], settings, {})
        _, outcome, events = run(seats, mode="ask", max_tokens=24)
    assert outcome.status == "finished" and outcome.members_ok == 3, outcome.reason
    failed = {e.data["member"]: e.data["reason"] for e in events if e.kind == "member_failed"}
    assert set(failed) == {"sage-wrong", "skeptic-unknown"}
    assert "HTTP 401" in failed["sage-wrong"] and "API key" in failed["sage-wrong"]
    assert "does not serve model 'gpt-9'" in failed["skeptic-unknown"] and "smollm2" in failed["skeptic-unknown"]
    assert "right-key-123" not in json.dumps([e.data for e in events])


def test_the_cli_seats_a_remote_model_and_the_key_is_nowhere_on_disk(starter_path: Path, tmp_path: Path) -> None:
    key = "sk-council-test-7f3a9c1e5b"
    home = tmp_path / "home"
    env = {**os.environ, "COUNCIL_DESKTOP_HOME": str(home), "QT_QPA_PLATFORM": "offscreen", "BIG_KEY": key}

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, "-m", "council_desktop", *args], capture_output=True, text=True,
                              timeout=600, env=env, cwd=ROOT)

    with llama_server(starter_path, tmp_path, api_key=key) as srv:
        added = cli("remote", "add", "big", "--url", srv.url, "--model", "smollm2", "--api-key-env", "BIG_KEY")
        assert added.returncode == 0 and "serves smollm2" in added.stdout, added.stderr
        listed = cli("remote", "list")
        assert "big" in listed.stdout and "key from $BIG_KEY" in listed.stdout
        out = tmp_path / "ask.json"
        asked = cli("ask", "What makes a good neighbour?", "--seed", "3", "--max-tokens", "24",
                    "--seats", f"remote:big,big,{STARTER.id},{STARTER.id},{STARTER.id}", "--export", str(out))
        assert asked.returncode == 0, asked.stderr[-3000:]
    transcript = json.loads(out.read_text())
    assert transcript["status"] == "finished"
    remote_members = [m for m in transcript["members"] if "@ 127.0.0.1" in m["model"]]
    assert len(remote_members) == 2 and all(m["status"] == "ok" for m in remote_members)
    session = transcript["session_id"]
    for fmt in ("md", "html"):
        assert cli("export", session[:8], str(tmp_path / f"ask.{fmt}")).returncode == 0
    # every file the app wrote (settings.json, the database and its journals, logs, claims) and the exports
    files = [p for p in home.rglob("*") if p.is_file()] + [out, tmp_path / "ask.md", tmp_path / "ask.html"]
    assert (home / "settings.json").is_file() and any(p.name == "council.sqlite3" for p in files)
    assert any(p.parent.name == "logs" and b"serves smollm2" in p.read_bytes() for p in files)
    for path in files:
        assert key.encode() not in path.read_bytes(), f"the API key leaked into {path}"
    assert key not in asked.stdout + asked.stderr + added.stdout + added.stderr
    assert cli("remote", "remove", "big").returncode == 0
    assert "no remote models" in cli("remote", "list").stdout
