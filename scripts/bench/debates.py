"""Ten seeded debates with the starter council: valid ballots and alliance declarations, the wall time
of each stage, and tokens per second.

Run: .venv/bin/python scripts/bench/debates.py [--n 10] [--busy]
(--busy: one background CPU hog, `yes > /dev/null`, runs throughout; COUNCIL_DESKTOP_DECODE_THREADS=N
fixes the engine's thread count instead of letting it adapt.)"""

from __future__ import annotations

import argparse
import asyncio
import signal
import statistics
import subprocess
import sys
import time

from council_desktop.core.events import DEBATE_STAGES, Event, EventLog
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine
from council_desktop.llm.seating import starter_council


async def one(engine: Engine, seed: int, max_tokens: int) -> dict[str, object]:
    seats = starter_council()
    events: list[Event] = []
    tokens = [0]

    def sink(e: Event) -> None:
        if e.kind == "token":
            tokens[0] += 1

    log = EventLog([sink])
    t0 = time.monotonic()
    plan = SessionPlan("debate", [s.member for s in seats], seed=seed, proposer=seed % 5, chairman=(seed + 1) % 5,
                       max_tokens=max_tokens)
    outcome = await Orchestrator(plan, EngineBackend(engine), log).run()
    wall = time.monotonic() - t0
    events = outcome.events
    starts = {e.data["index"]: e.t for e in events if e.kind == "stage"}
    end = events[-1].t
    stage_times = {i: (starts.get(i + 1, end) - t) for i, t in starts.items()}
    reviews = [e for e in events if e.kind == "review"]
    alliances = [e for e in events if e.kind == "alliance"]
    generated = sum(int(e.data.get("tokens", 0)) for e in events if e.kind in
                    ("topic", "opinion", "rebuttal", "synthesis"))
    return {"status": outcome.status, "wall": wall, "stages": stage_times,
            "reviews": (sum(bool(e.data["valid"]) for e in reviews), len(reviews)),
            "alliances": (sum(bool(e.data["valid"]) for e in alliances), len(alliances)),
            "declared": sum(len(e.data["agree"]) + len(e.data["disagree"]) > 0 for e in alliances),
            "generated": generated}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--max-tokens", type=int, default=160)
    ap.add_argument("--busy", action="store_true", help="one background CPU hog throughout")
    args = ap.parse_args()
    # A kill ends the run through its `finally`s: no hog or X server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    engine = Engine()
    engine.load([s.spec for s in starter_council()])
    host = EngineThread(engine).start()
    hog = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) if args.busy else None
    try:
        runs = [asyncio.run(one(engine, seed, args.max_tokens)) for seed in range(1, args.n + 1)]
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
    host.stop()
    threads = f"fixed {engine.n_threads}" if engine.tuner.fixed else f"adaptive, last chosen {engine.tuner.summary()}"
    print(f"{'busy (one `yes > /dev/null`)' if args.busy else 'quiet'}; engine threads {threads}")
    rv = sum(r["reviews"][0] for r in runs), sum(r["reviews"][1] for r in runs)  # type: ignore[index]
    al = sum(r["alliances"][0] for r in runs), sum(r["alliances"][1] for r in runs)  # type: ignore[index]
    declared = sum(int(r["declared"]) for r in runs)  # type: ignore[call-overload]
    print(f"{args.n} debates, max_tokens {args.max_tokens}: "
          f"{sum(r['status'] == 'finished' for r in runs)} finished")
    print(f"valid review ballots: {rv[0]} of {rv[1]}; valid alliance declarations: {al[0]} of {al[1]} "
          f"({declared} name at least one ally or opponent)")
    for i, name in enumerate(DEBATE_STAGES):
        times = [float(r["stages"][i]) for r in runs if i in r["stages"]]  # type: ignore[index]
        print(f"  stage {i} {name:<10} median {statistics.median(times):5.1f} s  max {max(times):5.1f} s")
    walls = [float(r["wall"]) for r in runs]  # type: ignore[arg-type]
    gen = sum(int(r["generated"]) for r in runs)  # type: ignore[call-overload]
    print(f"debate wall time median {statistics.median(walls):.1f} s; generated {gen} tokens in "
          f"{sum(walls):.0f} s of debate ({gen / sum(walls):.1f} tok/s of spoken text, all stages included)")


if __name__ == "__main__":
    main()
