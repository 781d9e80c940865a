"""One seeded debate, quiet and with one background CPU hog, with the adaptive engine and with every step
fixed on all cores (the engine before it adapted): how much slower does a busy laptop make a debate?

Each run is the command line a user would type, in a process of its own
(`council-desktop debate --topic "Should zoos exist?" --seed 7 --max-tokens 96 --no-db --threads auto`),
timed from start to exit (model loading included); the configurations run interleaved, round after round.
`--threads auto` keeps the engine adapting although the run is seeded (a seeded run alone fixes the thread
count so that its transcript repeats; adapting, the transcript can differ by a few tokens between runs,
so the bench also prints the median length, in characters, of the transcript each configuration
printed). The fixed configurations pass `--threads N`; busy = one `yes > /dev/null` alongside.

The starter loads through its Q8_0 copy (llm/fast_copy.py), as in the app; `--layouts copy,file` also
runs every configuration with the file as it is.

Run: .venv/bin/python scripts/bench/busy_debate.py [--rounds 3] [--fixed 2,1|none] [--layouts copy,file]
         [--nices 3,0]  (the decode threads' niceness, COUNCIL_DESKTOP_DECODE_NICE, compared)
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def one(threads: str, busy: bool, args: argparse.Namespace, layout: str = "copy", nice: str = "") -> tuple[float, int]:
    env = dict(os.environ, COUNCIL_DESKTOP_FAST_COPY="1" if layout == "copy" else "0")
    env.pop("COUNCIL_DESKTOP_DECODE_THREADS", None)
    env.pop("COUNCIL_DESKTOP_DECODE_NICE", None)
    if nice:
        env["COUNCIL_DESKTOP_DECODE_NICE"] = nice
    cmd = [sys.executable, "-m", "council_desktop.cli", "debate", "--topic", args.topic, "--seed", str(args.seed),
           "--max-tokens", str(args.max_tokens), "--no-db", "--threads", threads]
    hog = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL) if busy else None
    try:
        t0 = time.perf_counter()
        out = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=ROOT, timeout=1800)
        took = time.perf_counter() - t0
    finally:
        if hog is not None:
            hog.kill()
            hog.wait()
    if out.returncode != 0:
        raise SystemExit(f"debate failed ({threads}, busy={busy}):\n{out.stderr[-2000:]}")
    return took, len(out.stderr)  # the command prints its transcript on stderr


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--fixed", default="", help="fixed thread counts to compare (default: all cores; none: none)")
    ap.add_argument("--layouts", default="copy", help="copy,file: also compare loading the starter as it is "
                    "instead of through its Q8_0 copy (llm/fast_copy.py)")
    ap.add_argument("--nices", default="", help="decode thread niceness values to compare (e.g. 3,0; default: "
                                                "the app's own)")
    ap.add_argument("--topic", default="Should zoos exist?")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--max-tokens", type=int, default=96)
    args = ap.parse_args()
    # A kill ends the run through its `finally`s: no hog or X server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    sys.path.insert(0, str(ROOT))
    from council_desktop.llm import fast_copy
    from council_desktop.llm.catalogue import starter_model_path
    from council_desktop.llm.engine import _lib, physical_cores

    fixed = [] if args.fixed == "none" else [f for f in args.fixed.split(",") if f] or [str(physical_cores())]
    layouts = [x for x in args.layouts.split(",") if x in ("copy", "file")] or ["copy"]
    if "copy" in layouts:
        fast_copy.fast_path(starter_model_path(), _lib())  # made now, not while a debate is timed
    nices = [n.strip() for n in args.nices.split(",") if n.strip()] or [""]
    configs = [(t, busy, lay, n) for lay in layouts for n in nices for t in ("auto", *fixed) for busy in (False, True)]
    times: dict[tuple[str, bool, str, str], list[float]] = {}
    chars: dict[tuple[str, bool, str, str], list[int]] = {}
    for _ in range(args.rounds):
        for threads, busy, layout, nice in configs:
            took, length = one(threads, busy, args, layout, nice)
            times.setdefault((threads, busy, layout, nice), []).append(took)
            chars.setdefault((threads, busy, layout, nice), []).append(length)
    print(f"debate \"{args.topic}\" --seed {args.seed} --max-tokens {args.max_tokens} --no-db; median of "
          f"{args.rounds} interleaved rounds, each debate in its own process; busy = one `yes > /dev/null`")
    for threads, layout, nice in [(t, lay, n) for lay in layouts for n in nices for t in ("auto", *fixed)]:
        quiet, busy = (statistics.median(times[(threads, b, layout, nice)]) for b in (False, True))
        qc, bc = (int(statistics.median(chars[(threads, b, layout, nice)])) for b in (False, True))
        name = "adaptive engine" if threads == "auto" else f"fixed {threads} thread(s)"
        name += ", Q8_0 copy" if layout == "copy" else ", file as is"
        name += f", nice {nice}" if nice else ""
        print(f"  {name:<34} quiet {quiet:6.1f} s   busy {busy:6.1f} s   busy/quiet {busy / quiet:4.2f}x   "
              f"transcript {qc}/{bc} chars")


if __name__ == "__main__":
    main()
