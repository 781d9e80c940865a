"""The real engine on the starter model: its decode threads (the loop's and llama.cpp's workers) run at
a lower priority than the rest of the process, and the thread count per step is chosen at run time."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from council_desktop.llm.engine import DECODE_NICE, Engine, physical_cores

pytestmark = pytest.mark.model

ROOT = Path(__file__).resolve().parents[2]

# A fresh process, so every thread in it is accounted for: the threads that exist after the engine has
# decoded but did not exist before it started are the decode thread and the workers it created.
NICE_CODE = """
import asyncio, json, os, sys, threading
from pathlib import Path
from council_desktop.core.types import GenerationParams, Message, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine, SeatSpec

def tasks():
    out = {}
    for tid in os.listdir("/proc/self/task"):
        stat = Path(f"/proc/self/task/{tid}/stat").read_text()
        fields = stat[stat.rindex(")") + 2:].split()
        out[int(tid)] = (int(fields[16]), int(fields[38]))  # nice and policy (fields 19 and 41 of stat)
    return out

eng = Engine(seat_ctx=512, n_threads=int(sys.argv[2]))
eng.load([SeatSpec(f"s{i}", Path(sys.argv[1]), "chatml") for i in range(2)])
before = tasks()
host = EngineThread(eng).start()
async def go():
    b = EngineBackend(eng)
    await asyncio.gather(*b.submit([Request(f"s{i}", (Message("user", "Tell me about owls."),),
                                            GenerationParams(max_tokens=24)) for i in range(2)]))
asyncio.run(go())
after = tasks()
main_nice = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
print(json.dumps({"new": {str(t): n for t, n in after.items() if t not in before}, "main": main_nice,
                  "main_policy": os.sched_getscheduler(0), "decode": host.thread.native_id}))
host.stop()
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread niceness is a Linux feature")
def test_decode_threads_and_their_workers_run_below_the_gui_thread(starter_path: Path) -> None:
    threads = max(2, physical_cores())
    out = subprocess.run([sys.executable, "-c", NICE_CODE, str(starter_path), str(threads)], capture_output=True,
                         text=True, timeout=300, cwd=ROOT)
    assert out.returncode == 0, out.stderr[-2000:]
    got = json.loads(out.stdout.strip().splitlines()[-1])
    new = {int(t): tuple(n) for t, n in got["new"].items()}
    # The rest of the process (the GUI thread in the app) keeps its priority and policy.
    assert got["main"] == 0 and got["main_policy"] == os.SCHED_OTHER
    assert got["decode"] in new
    # The decode thread and the OpenMP workers llama.cpp started from it (threads - 1 of them).
    assert len(new) >= threads, new
    assert all(n == (DECODE_NICE, os.SCHED_BATCH) for n in new.values()), new


@pytest.mark.skipif(physical_cores() < 2, reason="one core: there is no thread count to choose")
def test_the_thread_count_is_chosen_per_step_kind_from_measured_steps(starter_path: Path) -> None:
    import asyncio
    from collections import deque

    from council_desktop.core.types import GenerationParams, Message, Request
    from council_desktop.llm.backend import EngineBackend, EngineThread
    from council_desktop.llm.engine import Engine, SeatSpec

    eng = Engine(seat_ctx=1024, n_threads=2)
    eng.step_log = deque()
    eng.load([SeatSpec(f"s{i}", starter_path, "chatml") for i in range(3)])
    host = EngineThread(eng).start()

    async def go() -> None:
        b = EngineBackend(eng)
        await asyncio.gather(*b.submit([Request(f"s{i}", (Message("user", "Tell me about owls. " * 40),),
                                                GenerationParams(max_tokens=40)) for i in range(3)]))

    try:
        asyncio.run(go())
    finally:
        assert host.stop(5.0)
    log = list(eng.step_log)
    gen_key, fill_key = f"gen {starter_path.name}", f"fill {starter_path.name}"
    gen = [t for kind, t, _, _ in log if kind == gen_key]
    fill = [t for kind, t, _, _ in log if kind == fill_key]
    assert fill and gen
    assert set(gen) == {1, 2}  # both counts were tried on generation steps, through llama_set_n_threads
    assert eng.tuner.best(gen_key) in (1, 2) and eng.tuner.best(fill_key) in (1, 2)
    assert all(seconds > 0 for _, _, seconds, _ in log)


@pytest.mark.skipif(physical_cores() < 2, reason="one core: there is no thread count to choose")
def test_the_thread_count_does_not_change_what_the_model_says(starter_path: Path) -> None:
    """A seed fixes the transcript even though the tuner picks the count from timings: llama.cpp's CPU
    kernels give each output element to one thread, so 1 and 2 threads compute the same numbers."""
    import asyncio

    from council_desktop.core.types import GenerationParams, Message, Probe, Request
    from council_desktop.llm.backend import EngineBackend, EngineThread
    from council_desktop.llm.engine import Engine, SeatSpec

    def run(threads: int) -> tuple[list[str], list[dict[str, float]]]:
        eng = Engine(seat_ctx=1024, n_threads=threads, adaptive=False)
        eng.load([SeatSpec(f"s{i}", starter_path, "chatml") for i in range(3)])
        host = EngineThread(eng).start()

        async def go() -> tuple[list[str], list[dict[str, float]]]:
            b = EngineBackend(eng)
            texts = await asyncio.gather(*b.submit([
                Request(f"s{i}", (Message("user", f"Tell me about owls, part {i}."),),
                        GenerationParams(max_tokens=32, temperature=0.8, seed=i)) for i in range(3)]))
            probes = await asyncio.gather(*b.probe([
                Probe(f"s{i}", (Message("user", f"Is {i} + {i} = {2 * i}? Answer Yes or No."),)) for i in range(3)]))
            return [c.text for c in texts], list(probes)

        try:
            return asyncio.run(go())
        finally:
            assert host.stop(5.0)

    one, two = run(1), run(2)
    assert one[0] == two[0]
    assert one[1] == two[1]


def test_a_host_stopped_before_its_thread_started_neither_raises_nor_runs_on() -> None:
    """A shutdown can come between a load on another thread making the host and starting it."""
    from council_desktop.llm.backend import EngineThread

    host = EngineThread(Engine(seat_ctx=256))
    assert host.stop(1.0)  # joined nothing: the thread was not started
    host.start()  # the load goes on and starts it: the loop sees the stop at once
    host.thread.join(5.0)
    assert not host.thread.is_alive() and not host.engine.running


# The first timed step must not carry the start of llama.cpp's OpenMP workers: counted at the tuner's first
# record, in a fresh process, the threads the engine started (the decode thread and its workers).
WARM_CODE = """
import asyncio, json, os, sys
from pathlib import Path
from council_desktop.core.types import GenerationParams, Message, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine, SeatSpec

eng = Engine(seat_ctx=512, n_threads=2)
eng.load([SeatSpec("s0", Path(sys.argv[1]), "chatml")])
if sys.argv[2] == "cold":
    for g in eng.groups.values():
        g.warmed = True  # as before the warm-up existed
before = set(os.listdir("/proc/self/task"))
at_first: list[int] = []
record = eng.tuner.record
def counting(*args):
    if not at_first:
        at_first.append(len(set(os.listdir("/proc/self/task")) - before))
    record(*args)
eng.tuner.record = counting
host = EngineThread(eng).start()
async def go():
    b = EngineBackend(eng)
    done = await asyncio.gather(*b.submit([Request("s0", (Message("user", "Name three owls."),),
                                                   GenerationParams(max_tokens=12, temperature=0.0))]))
    return done[0].text
text = asyncio.run(go())
print(json.dumps({"new_at_first_step": at_first[0], "text": text}))
host.stop()
"""


@pytest.mark.skipif(physical_cores() < 2, reason="one core: no workers to warm")
def test_the_workers_are_started_before_the_first_timed_step_and_leave_no_trace(starter_path: Path) -> None:
    """The first 2-thread step of a run used to start llama.cpp's OpenMP workers (111-115 ms against 8-12
    for the next), and the tuner took that for the cost of two threads. The engine now decodes one
    untimed token at every thread first; the token is removed, so the reply is the same."""
    got = {}
    for mode in ("warm", "cold"):
        out = subprocess.run([sys.executable, "-c", WARM_CODE, str(starter_path), mode], capture_output=True,
                             text=True, timeout=300, cwd=ROOT)
        assert out.returncode == 0, out.stderr[-2000:]
        got[mode] = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["warm"]["new_at_first_step"] >= 2  # the decode thread and a worker, before any timed step
    assert got["cold"]["new_at_first_step"] == 1  # the tuner's first trial step runs one thread
    assert got["warm"]["text"] == got["cold"]["text"] != ""


@pytest.mark.skipif(physical_cores() < 2, reason="one core: there is no thread count to choose")
def test_a_prefill_step_that_measures_a_thread_count_is_small(starter_path: Path) -> None:
    """A thread count that is wrong for the load costs in proportion to the step that tries it: the
    tuner's trial steps take at most ``trial_tokens`` prompt tokens, the steps after it the full step."""
    import asyncio
    from collections import deque

    from council_desktop.core.types import GenerationParams, Message, Request
    from council_desktop.llm.backend import EngineBackend, EngineThread
    from council_desktop.llm.engine import TRIAL_TOKENS, Engine, SeatSpec

    eng = Engine(seat_ctx=2048, n_threads=2)
    eng.step_log = deque()
    eng.load([SeatSpec("s0", starter_path, "chatml")])
    fill_key = f"fill {starter_path.name}"
    trial: list[bool] = []
    choose = eng.tuner.choose

    def noting(kind: str) -> int:
        if kind == fill_key:
            trial.append(eng.tuner.trial_next(kind))  # as the engine asked before building the step
        return choose(kind)

    eng.tuner.choose = noting  # type: ignore[method-assign]
    host = EngineThread(eng).start()

    async def go() -> None:
        b = EngineBackend(eng)
        await asyncio.gather(*b.submit([Request("s0", (Message("user", "Tell me about owls. " * 150),),
                                                GenerationParams(max_tokens=2))]))

    try:
        asyncio.run(go())
    finally:
        assert host.stop(5.0)
    fills = [n for kind, _, _, n in eng.step_log if kind == fill_key]
    assert len(fills) == len(trial) and any(trial) and not all(trial)
    assert all(n <= TRIAL_TOKENS for n, measuring in zip(fills, trial, strict=True) if measuring)
    assert max(n for n, measuring in zip(fills, trial, strict=True) if not measuring) > TRIAL_TOKENS
