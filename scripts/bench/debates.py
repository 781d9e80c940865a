"""Ten seeded debates with the starter council: valid ballots and alliance declarations, the wall time
of each stage, and tokens per second.

Run: .venv/bin/python scripts/bench/debates.py [--n 10] [--busy] [--layouts copy,file]
(--busy: one background CPU hog, `yes > /dev/null`, runs throughout; COUNCIL_DESKTOP_DECODE_THREADS=N
fixes the engine's thread count instead of letting it adapt; --layouts copy,file runs each seed twice, each
debate in a process of its own, alternately loading the starter through its Q8_0 copy and as it is.)"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path
from typing import Any

from council_desktop.core.events import DEBATE_STAGES, Event, EventLog
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine
from council_desktop.llm.seating import starter_council


async def one(engine: Engine, seed: int, max_tokens: int) -> dict[str, Any]:
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
    # Prompt steps at a thread count other than the one the tuner holds at the end of the debate.
    steps = list(engine.step_log or [])
    if engine.step_log is not None:
        engine.step_log.clear()
    kept = engine.tuner.summary()
    trial = [(n, s) for kind, threads, s, n in steps if kind.startswith("fill") and threads != kept.get(kind)]
    return {"status": outcome.status, "wall": wall, "stages": stage_times, "trial_fill":
            (len(trial), sum(n for n, _ in trial), sum(s for _, s in trial)),
            "reviews": (sum(bool(e.data["valid"]) for e in reviews), len(reviews)),
            "alliances": (sum(bool(e.data["valid"]) for e in alliances), len(alliances)),
            "declared": sum(len(e.data["agree"]) + len(e.data["disagree"]) > 0 for e in alliances),
            "generated": generated}


def report(runs: list[dict[str, Any]], n: int, max_tokens: int, heading: str) -> None:
    print(heading)
    rv = sum(r["reviews"][0] for r in runs), sum(r["reviews"][1] for r in runs)
    al = sum(r["alliances"][0] for r in runs), sum(r["alliances"][1] for r in runs)
    declared = sum(int(r["declared"]) for r in runs)
    print(f"{n} debates, max_tokens {max_tokens}: {sum(r['status'] == 'finished' for r in runs)} finished")
    print(f"valid review ballots: {rv[0]} of {rv[1]}; valid alliance declarations: {al[0]} of {al[1]} "
          f"({declared} name at least one ally or opponent)")
    for i, name in enumerate(DEBATE_STAGES):
        times = [float(r["stages"][str(i)]) for r in runs if str(i) in r["stages"]]
        if times:
            print(f"  stage {i} {name:<10} median {statistics.median(times):5.1f} s  max {max(times):5.1f} s")
    trial = [r.get("trial_fill", (0, 0, 0.0)) for r in runs]
    print(f"prompt steps at a thread count other than the tuner's at the end of each debate (its trials' other "
          f"counts, and counts it held for a while and left): {sum(t[0] for t in trial)} steps, "
          f"{sum(t[1] for t in trial)} tokens, {sum(t[2] for t in trial):.1f} s in all "
          f"(the first debate: {trial[0][0]} steps, {trial[0][2]:.1f} s)")
    walls = [float(r["wall"]) for r in runs]
    gen = sum(int(r["generated"]) for r in runs)
    print(f"debate wall time median {statistics.median(walls):.1f} s; generated {gen} tokens in "
          f"{sum(walls):.0f} s of debate ({gen / sum(walls):.1f} tok/s of spoken text, all stages included)")


def run_here(args: argparse.Namespace) -> list[dict[str, Any]]:
    engine = Engine()
    engine.step_log = deque()
    engine.load([s.spec for s in starter_council()])
    host = EngineThread(engine).start()
    loaded = {g.loaded_from.name for g in engine.groups.values()}
    hog = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) if args.busy else None
    try:
        runs = [asyncio.run(one(engine, seed, args.max_tokens))
                for seed in range(args.first_seed, args.first_seed + args.n)]
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
    host.stop()
    threads = f"fixed {engine.n_threads}" if engine.tuner.fixed else f"adaptive, last chosen {engine.tuner.summary()}"
    for r in runs:
        r["stages"] = {str(i): t for i, t in r["stages"].items()}
        r["threads"], r["loaded"] = threads, sorted(loaded)
    return runs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=10)
    ap.add_argument("--first-seed", type=int, default=1)
    ap.add_argument("--max-tokens", type=int, default=160)
    ap.add_argument("--busy", action="store_true", help="one background CPU hog throughout")
    ap.add_argument("--layouts", default="", help="copy,file: compare loading the starter through its Q8_0 "
                    "copy (llm/fast_copy.py) and as it is, seed by seed alternately, each debate in its own process")
    ap.add_argument("--json", help=argparse.SUPPRESS)  # a child's runs, for --layouts
    args = ap.parse_args()
    # A kill ends the run through its `finally`s: no hog or X server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    busy = "busy (one `yes > /dev/null`)" if args.busy else "quiet"
    if not args.layouts:
        runs = run_here(args)
        if args.json:
            Path(args.json).write_text(json.dumps(runs), encoding="utf-8")
            return
        report(runs, args.n, args.max_tokens,
               f"{busy}; engine threads {runs[0]['threads']}; loaded {runs[0]['loaded']}")
        return
    layouts = [x.strip() for x in args.layouts.split(",") if x.strip()]
    if any(x not in ("copy", "file") for x in layouts):
        raise SystemExit("--layouts takes copy and/or file")
    got: dict[str, list[dict[str, Any]]] = {x: [] for x in layouts}
    with tempfile.TemporaryDirectory() as tmp:
        for seed in range(args.first_seed, args.first_seed + args.n):
            for layout in layouts:
                out = Path(tmp) / f"{layout}-{seed}.json"
                env = dict(os.environ, COUNCIL_DESKTOP_FAST_COPY="1" if layout == "copy" else "0")
                cmd = [sys.executable, __file__, "--n", "1", "--first-seed", str(seed), "--max-tokens",
                       str(args.max_tokens), "--json", str(out), *(["--busy"] if args.busy else [])]
                subprocess.run(cmd, check=True, env=env)
                got[layout] += json.loads(out.read_text(encoding="utf-8"))
    for layout in layouts:
        runs = got[layout]
        report(runs, args.n, args.max_tokens, f"\n== {layout}: {busy}; engine threads {runs[-1]['threads']}; "
                                              f"loaded {runs[-1]['loaded']}")
    if len(layouts) == 2:
        a, b = (statistics.median(float(r["wall"]) for r in got[x]) for x in layouts)
        print(f"\ndebate wall time median: {layouts[0]} {a:.1f} s, {layouts[1]} {b:.1f} s ({a / b:.2f}x)")


if __name__ == "__main__":
    main()
