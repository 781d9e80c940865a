"""Remote seats against a loopback server that misbehaves on demand: streaming, Stop, faults with a clear
reason, judging from logprobs or structured output, keys and URLs. (The real llama-cpp-python server is
in tests/e2e/test_remote_real.py.)"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterator
from typing import Any

import pytest

from council_desktop.core.types import Cancelled, GenerationParams, MemberError, Message, Probe, Request
from council_desktop.llm.remote import (
    REMOTE_KEY,
    RemoteBackend,
    RemoteClient,
    RemoteError,
    clean_text,
    find_remote,
    make_spec,
    remote_specs,
    yes_probabilities,
)
from council_desktop.llm.routing import RoutingBackend
from tests.remote_servers import FaultServer

MSGS = (Message("system", "You are terse."), Message("user", "Say something."))


@pytest.fixture
def fault() -> Iterator[Any]:
    with FaultServer() as httpd:
        yield httpd


def backend(url: str, model: str, *, key: str | None = None, read_timeout: float = 10.0,
            member: str = "m1") -> RemoteBackend:
    spec = make_spec(model, url, model, read_timeout=read_timeout)
    return RemoteBackend({member: spec}, keys=lambda _s: key)


def speak(be: RemoteBackend, member: str = "m1", **params: Any) -> tuple[Any, list[str]]:
    tokens: list[str] = []

    async def go() -> Any:
        fut = be.submit([Request(member, MSGS, GenerationParams(max_tokens=32, **params), tokens.append)])[0]
        return await asyncio.wait_for(fut, 20)

    try:
        return asyncio.run(go()), tokens
    except (MemberError, Cancelled) as exc:
        return exc, tokens


def test_a_streamed_answer_arrives_token_by_token_without_control_sequences(fault: Any) -> None:
    comp, tokens = speak(backend(fault.url, "ok"))
    assert tokens[:3] == ["Cats", " are", " wise"] and len(tokens) == 7
    assert comp.text == "Cats are wise [31mred[0m and calm." and "\x1b" not in comp.text
    assert comp.tokens == 7 and comp.finish == "stop" and comp.seconds > 0
    sent = fault.requests[-1]
    assert sent["stream"] is True and sent["model"] == "ok" and sent["messages"][0]["role"] == "system"


@pytest.mark.parametrize(("model", "expect"), [
    ("die", "mid-answer after 3 tokens"),
    ("malformed", "malformed stream event"),
    ("boom", "HTTP 500"),
    ("nope", "HTTP 404"),
])
def test_each_fault_fails_the_member_with_the_server_and_what_to_do(fault: Any, model: str, expect: str) -> None:
    err, _ = speak(backend(fault.url, model))
    assert isinstance(err, MemberError), err
    assert expect in err.reason and fault.url.removesuffix("/v1") in err.reason
    assert ";" in err.reason  # what happened; what to do
    if model == "boom":
        assert "CUDA out of memory" in err.reason and "check its log" in err.reason


def test_a_stalled_server_times_out_with_a_reason(fault: Any) -> None:
    t0 = time.monotonic()
    err, tokens = speak(backend(fault.url, "stall", read_timeout=0.6))
    assert isinstance(err, MemberError) and "sent nothing for 0.6 s" in err.reason
    assert tokens == ["Hm"] and time.monotonic() - t0 < 5


def test_a_wrong_key_is_a_401_that_says_to_fix_the_key_and_the_key_is_never_echoed(fault: Any) -> None:
    fault.api_key = "s3cret-right"
    err, _ = speak(backend(fault.url, "ok", key="s3cret-wrong"))
    assert isinstance(err, MemberError) and "HTTP 401" in err.reason and "API key" in err.reason
    assert "s3cret" not in err.reason
    comp, _ = speak(backend(fault.url, "ok", key="s3cret-right"))
    assert comp.text.startswith("Cats") and fault.auth_seen[-1] == "Bearer s3cret-right"


def test_stop_closes_the_stream_at_once(fault: Any) -> None:
    be = backend(fault.url, "slow")
    tokens: list[str] = []

    async def go() -> float:
        fut = be.submit([Request("m1", MSGS, GenerationParams(max_tokens=32), tokens.append)])[0]
        while not tokens:
            await asyncio.sleep(0.01)
        t0 = time.monotonic()
        be.cancel()
        with pytest.raises(Cancelled):
            await asyncio.wait_for(fut, 5)
        return time.monotonic() - t0

    took = asyncio.run(go())
    assert took < 0.25 and 1 <= len(tokens) < 7  # the slow server would need ~2 s more


def test_judging_reads_yes_from_top_logprobs_else_returns_nothing(fault: Any) -> None:
    be = backend(fault.url, "ok")

    async def go() -> dict[str, float]:
        return await be.probe([Probe("m1", MSGS)])[0]

    got = asyncio.run(go())
    assert got["Yes"] == pytest.approx(0.8 / (0.8 + 0.15), abs=0.01) and set(got) == {"Yes", "No"}
    sent = fault.requests[-1]
    assert sent["logprobs"] is True and sent["top_logprobs"] == 20 and sent["max_tokens"] == 1
    fault.logprobs = False
    assert asyncio.run(go()) == {}  # no logprobs: the pipeline falls back to a structured ballot


def test_structured_output_falls_back_format_by_format(fault: Any) -> None:
    schema = {"type": "object", "properties": {"scores": {"type": "object"}}}
    comp, _ = speak(backend(fault.url, "ok"), json_schema=schema)
    assert comp.text == '{"scores": {"A": 7}}'
    assert fault.requests[-1]["response_format"]["type"] == "json_schema"
    assert fault.requests[-1]["response_format"]["json_schema"]["schema"] == schema
    fault.refuse_formats = {"json_schema"}
    be = backend(fault.url, "ok")
    speak(be, json_schema=schema)
    assert [r.get("response_format", {}).get("type") for r in fault.requests[-2:]] == ["json_schema", "json_object"]
    speak(be, json_schema=schema)  # the refusal is remembered: straight to the form it takes
    assert fault.requests[-1]["response_format"] == {"type": "json_object", "schema": schema}
    fault.refuse_formats = {"json_schema", "json_object"}
    comp, _ = speak(backend(fault.url, "ok"), json_schema=schema)
    assert "response_format" not in fault.requests[-1] and comp.text == "Yes"  # the lenient text path


def test_the_router_sends_each_seat_to_its_side_in_order(fault: Any) -> None:
    class Local:
        def __init__(self) -> None:
            self.batches: list[list[str]] = []
            self.cancelled = False

        def submit(self, requests: Any) -> list[asyncio.Future[Any]]:
            self.batches.append([r.member_id for r in requests])
            futs = []
            for r in requests:
                f: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
                f.set_result(r.member_id)
                futs.append(f)
            return futs

        probe = submit

        def cancel(self) -> None:
            self.cancelled = True

    local = Local()
    remote = backend(fault.url, "ok", member="r1")
    router = RoutingBackend(local, remote, {"r1"})

    async def go() -> list[Any]:
        futs = router.submit([Request(m, MSGS, GenerationParams(max_tokens=8)) for m in ("a", "r1", "b")])
        return await asyncio.gather(*futs)

    a, r1, b = asyncio.run(go())
    assert (a, b) == ("a", "b") and r1.text == "Yes" and local.batches == [["a", "b"]]
    router.cancel()
    assert local.cancelled


def test_check_lists_models_and_names_a_missing_one(fault: Any) -> None:
    client = RemoteClient(make_spec("x", fault.url, "ok"))
    assert client.health() == "ok"
    secs, models = client.check()
    assert "ok" in models and secs >= 0
    with pytest.raises(RemoteError, match=r"does not serve model 'gpt-9'.*it lists: ok"):
        RemoteClient(make_spec("x", fault.url, "gpt-9")).check()
    dead = make_spec("x", f"http://127.0.0.1:{_closed_port()}/v1", "ok", connect_timeout=2)
    with pytest.raises(RemoteError, match="refused the connection"):
        RemoteClient(dead).check()


def _closed_port() -> int:
    from tests.remote_servers import free_port

    return free_port()


def test_specs_validate_and_never_hold_a_key() -> None:
    spec = make_spec("big", " http://127.0.0.1:8080/v1/ ", "qwen", api_key_env="BIG_KEY")
    assert spec.base_url == "http://127.0.0.1:8080/v1" and spec.verify_tls
    assert set(spec.record()) == {"id", "name", "url", "model", "api_key_env", "connect_timeout", "read_timeout",
                                  "verify_tls"}
    settings = {REMOTE_KEY: [spec.record(), {"id": "bad"}, "junk"]}
    assert remote_specs(settings) == [spec] and find_remote(settings, "remote:big") == spec
    for bad in ("ftp://x/v1", "http://user:pw@host/v1", "http://host/v1?key=abc", "not a url"):
        with pytest.raises(ValueError):
            make_spec("big", bad, "qwen")
    with pytest.raises(ValueError):
        make_spec("no spaces", "http://h/v1", "m")
    with pytest.raises(ValueError):
        make_spec("ok", "http://h/v1", "m", api_key_env="not-a-var")


def test_yes_probabilities_and_cleaning() -> None:
    lp = [{"token": "Yes", "logprob": -0.5, "top_logprobs": [{"token": " yes", "logprob": -0.5},
                                                             {"token": "Yes", "logprob": -1.5},
                                                             {"token": "Sure", "logprob": -2.0}]}]
    got = yes_probabilities(lp, ("Yes", "No"))
    assert got["Yes"] > 0.9 and got["No"] > 0  # No is outside the top tokens: below the least likely one
    assert yes_probabilities([{"token": "Hi", "logprob": -0.1, "top_logprobs": []}], ("Yes", "No")) == {}
    assert yes_probabilities([], ("Yes", "No")) == {}
    assert clean_text("a\x1b]0;title\x07b\tc\nd\x9b") == "a]0;titleb\tc\nd"
