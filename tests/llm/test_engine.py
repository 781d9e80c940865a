"""The engine with the real starter model: streaming, batching, cancel, shutdown, grammar, bad files."""

from __future__ import annotations

import asyncio
import json
import struct
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from council_desktop.core.personas import STARTER_PERSONAS
from council_desktop.core.prompts import review_probe
from council_desktop.core.types import Cancelled, GenerationParams, Member, MemberError, Message, Probe, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine, Job, SeatSpec

pytestmark = pytest.mark.model

MSGS = (Message("system", "You are a helpful assistant."),
        Message("user", "Write a long story about a lighthouse keeper."))


@pytest.fixture(scope="module")
def engine(starter_path: Path):
    eng = Engine(seat_ctx=1024)
    errors = eng.load([SeatSpec(f"s{i}", starter_path, "chatml") for i in range(5)])
    assert errors == {}
    host = EngineThread(eng).start()
    yield eng
    assert host.stop(5.0)


def test_tokens_stream_and_the_text_is_their_concatenation(engine: Engine) -> None:
    async def go():
        backend = EngineBackend(engine)
        pieces: list[tuple[float, str]] = []
        fut = backend.submit([Request("s0", MSGS, GenerationParams(max_tokens=40, temperature=0.0),
                                      lambda t: pieces.append((time.monotonic(), t)))])[0]
        done = await fut
        return done, pieces

    done, pieces = asyncio.run(go())
    assert done.tokens == 40 and done.finish == "length"
    assert len(pieces) >= 30  # streamed piece by piece, not in one lump
    assert "".join(p for _, p in pieces) == done.text
    assert pieces[-1][0] - pieces[0][0] > 0.05


def test_five_seats_batch_and_greedy_is_reproducible(engine: Engine) -> None:
    async def go():
        backend = EngineBackend(engine)
        futs = backend.submit([Request(f"s{i}", MSGS, GenerationParams(max_tokens=24, temperature=0.0))
                               for i in range(5)])
        return await asyncio.gather(*futs)

    first = asyncio.run(go())
    second = asyncio.run(go())
    assert len({c.text for c in first}) == 1  # same prompt, greedy: same text on every seat
    assert [c.text for c in first] == [c.text for c in second]


def test_seeded_sampling_is_reproducible(engine: Engine) -> None:
    async def go(seed: int):
        backend = EngineBackend(engine)
        futs = backend.submit([Request(f"s{i}", MSGS, GenerationParams(max_tokens=24, temperature=0.9,
                                                                       seed=seed + i)) for i in range(3)])
        return [c.text for c in await asyncio.gather(*futs)]

    assert asyncio.run(go(7)) == asyncio.run(go(7))
    assert asyncio.run(go(7)) != asyncio.run(go(8))


def test_grammar_constrained_json_is_always_valid(engine: Engine) -> None:
    schema = {"type": "object", "properties": {"Response A": {"type": "integer", "enum": list(range(1, 11))}},
              "required": ["Response A"], "additionalProperties": False}

    async def go():
        backend = EngineBackend(engine)
        futs = backend.submit([Request(f"s{i}", (Message("user", "Rate Response A: 'the sky is green'."),),
                                       GenerationParams(max_tokens=30, temperature=0.8, seed=i,
                                                        json_schema=schema)) for i in range(5)])
        return await asyncio.gather(*futs)

    for c in asyncio.run(go()):
        value = json.loads(c.text)["Response A"]
        assert isinstance(value, int) and 1 <= value <= 10


def test_probes_read_probabilities_that_sum_to_one_and_tell_nonsense(engine: Engine) -> None:
    judge = STARTER_PERSONAS[0]
    member = Member(judge.id, judge.name, "starter", judge.prompt)

    def ask(answer: str) -> Probe:
        return Probe("s1", tuple(review_probe(member, {}, "Why is the sky blue?", "Response A", answer)))

    async def go():
        futs = EngineBackend(engine).probe([
            ask("Sunlight scatters off air molecules, and blue light scatters the most."),
            ask("Purple elephant keyboard seventeen the the banana.")])
        return await asyncio.gather(*futs)

    good, bad = asyncio.run(go())
    assert set(good) == {"Yes", "No"} and abs(sum(good.values()) - 1.0) < 1e-6
    assert good["Yes"] > bad["Yes"]


def test_cancel_between_tokens_is_prompt(engine: Engine) -> None:
    """Counted in decoded tokens, not seconds (a busy machine stretches seconds): the five seats stop
    within the step in flight and the next (at most step_tokens each), long before their 2000 tokens."""
    async def go():
        backend = EngineBackend(engine)
        started = asyncio.Event()
        futs = backend.submit([Request(f"s{i}", MSGS, GenerationParams(max_tokens=400, temperature=0.7, seed=i),
                                       lambda _t: started.set()) for i in range(5)])
        await started.wait()
        at_cancel = engine.tokens_decoded
        backend.cancel()
        results = await asyncio.gather(*futs, return_exceptions=True)
        return engine.tokens_decoded - at_cancel, results

    decoded_after, results = asyncio.run(go())
    assert all(isinstance(r, Cancelled) for r in results)
    assert decoded_after <= 2 * engine.step_tokens


def test_a_long_prefill_is_abortable_and_shutdown_is_fast(starter_path: Path) -> None:
    eng = Engine(seat_ctx=4096, prefill_chunk=512)
    eng.load([SeatSpec(f"s{i}", starter_path, "chatml") for i in range(5)])
    host = EngineThread(eng).start()
    long = (Message("user", "word " * 3000),)
    done = threading.Event()
    results: list[object] = []

    def finished(r: object) -> None:
        results.append(r)
        if len(results) == 5:
            done.set()

    eng.submit([Job(f"s{i}", long if i == 0 else MSGS, GenerationParams(max_tokens=500, seed=i),
                    on_done=finished) for i in range(5)])
    time.sleep(0.3)
    t0 = time.monotonic()
    assert host.stop(2.0)
    assert time.monotonic() - t0 < 2.0
    assert done.wait(1.0) and all(isinstance(r, Cancelled) for r in results)


def test_a_prompt_too_long_for_the_seat_is_a_clear_member_error(engine: Engine) -> None:
    async def go():
        fut = EngineBackend(engine).submit([Request("s2", (Message("user", "word " * 2000),),
                                                    GenerationParams(max_tokens=10))])[0]
        return await asyncio.gather(fut, return_exceptions=True)

    (err,) = asyncio.run(go())
    assert isinstance(err, MemberError) and "too long" in err.reason


def _rss_kb() -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def test_a_second_seat_on_the_same_file_costs_far_less_than_the_file(starter_path: Path) -> None:
    code = f"""
import asyncio, json, sys
from pathlib import Path
from council_desktop.core.personas import STARTER_PERSONAS
from council_desktop.core.prompts import review_probe
from council_desktop.core.types import GenerationParams, Message, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine, SeatSpec
from tests.llm.test_engine import _rss_kb
n = int(sys.argv[1])
eng = Engine(seat_ctx=512)
eng.load([SeatSpec(f"s{{i}}", Path({str(starter_path)!r}), "chatml") for i in range(n)])
host = EngineThread(eng).start()
async def go():
    b = EngineBackend(eng)
    await asyncio.gather(*b.submit([Request(f"s{{i}}", (Message("user", "Hi"),), GenerationParams(max_tokens=8))
                                    for i in range(n)]))
asyncio.run(go())
print(json.dumps(_rss_kb()))
host.stop()
"""
    rss = {}
    for n in (1, 2):
        out = subprocess.run([sys.executable, "-c", code, str(n)], capture_output=True, text=True, timeout=120,
                             cwd=Path(__file__).resolve().parents[2])
        assert out.returncode == 0, out.stderr[-2000:]
        rss[n] = int(out.stdout.strip().splitlines()[-1])
    added_kb = rss[2] - rss[1]
    file_kb = starter_path.stat().st_size // 1024
    assert added_kb < file_kb * 0.35, (rss, file_kb)


def _gguf_with(tmp: Path, name: str, arch: str) -> Path:
    key, val = b"general.architecture", arch.encode()
    data = b"GGUF" + struct.pack("<IQQ", 3, 0, 1) + struct.pack("<Q", len(key)) + key
    data += struct.pack("<I", 8) + struct.pack("<Q", len(val)) + val
    path = tmp / name
    path.write_bytes(data)
    return path


def test_bad_model_files_give_clear_errors_and_the_other_seats_keep_working(
        tmp_path: Path, starter_path: Path) -> None:
    missing = tmp_path / "gone.gguf"
    text = tmp_path / "notes.gguf"
    text.write_text("this is not a model\n" * 10)
    truncated = tmp_path / "cut.gguf"
    with starter_path.open("rb") as src:
        truncated.write_bytes(src.read(20_000_000))
    refused = _gguf_with(tmp_path, "alien.gguf", "no-such-architecture")
    eng = Engine(seat_ctx=512)
    errors = eng.load([SeatSpec("missing", missing, "chatml"), SeatSpec("text", text, "chatml"),
                       SeatSpec("cut", truncated, "chatml"), SeatSpec("alien", refused, "chatml"),
                       SeatSpec("good", starter_path, "chatml")])
    assert "gone.gguf" in errors["missing"] and "does not exist" in errors["missing"]
    assert "notes.gguf" in errors["text"] and "not a GGUF" in errors["text"]
    assert "cut.gguf" in errors["cut"] and "truncated" in errors["cut"]
    assert "alien.gguf" in errors["alien"] and "refused" in errors["alien"]
    assert "no-such-architecture" in errors["alien"]  # llama.cpp's own reason, not just "refused"
    assert "good" not in errors
    host = EngineThread(eng).start()

    async def go():
        backend = EngineBackend(eng)
        futs = backend.submit([Request(m, (Message("user", "Hi"),), GenerationParams(max_tokens=5))
                               for m in ("missing", "good")])
        return await asyncio.gather(*futs, return_exceptions=True)

    bad, good = asyncio.run(go())
    assert host.stop(5.0)
    assert isinstance(bad, MemberError) and "gone.gguf" in bad.reason
    assert not isinstance(good, BaseException) and good.tokens > 0
