"""Engine benchmark: the engine's streaming path against native llama.cpp (``llama-bench`` built from the
same vendored llama.cpp with the app's flags, see native.py) and a bare llama-cpp-python decode loop,
quiet and with one background CPU hog (``yes > /dev/null``, a browser tab or a compile).

Honest by construction:
- every configuration runs in a process of its own (two llama.cpp contexts alive in one process slow
  each other: the idle OpenMP workers of one spin against the other's);
- the configurations run interleaved, round after round, so a drift of the machine's speed hits all;
- the busy scenario starts the hog before the configuration's process and stops it after;
- the adaptive engine is timed with its exploration included, from the first streamed token.

Run: .venv/bin/python scripts/bench/engine.py [--tokens 128] [--rounds 3] [--scenarios quiet,busy]
Prints the median of the rounds per configuration and scenario, then the ratios, and native llama-bench's
prompt prefill (pp256) quiet and busy: how much a busy core slows work that scales with the cores. Five
seats are compared with native batched decoding of five streams too (llama-batched-bench, one KV stream per
sequence as the engine's context has): what batching can give on this machine at all.
Every configuration reads the file the engine loads: the starter's Q8_0 copy (llm/fast_copy.py) unless
`--layout file`.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import json
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

MESSAGES_TEXT = ("You are a thoughtful philosopher.", "Is free will real? Answer in three sentences.")


# -- one configuration, in its own process -------------------------------------------------------------


def bare_decode(path: Path, n_tokens: int, threads: int) -> float:
    """Greedy decode with llama-cpp-python's low-level API and nothing else: tokens per second."""
    from council_desktop.core.types import Message
    from council_desktop.llm.chat_formats import get_format
    from council_desktop.llm.engine import _lib

    lib = _lib()
    model = lib.llama_model_load_from_file(str(path).encode(), lib.llama_model_default_params())
    cp = lib.llama_context_default_params()
    cp.n_ctx, cp.n_threads, cp.n_threads_batch = 1024, threads, threads
    ctx = lib.llama_init_from_model(model, cp)
    vocab = lib.llama_model_get_vocab(model)
    text = get_format("chatml").render((Message("system", MESSAGES_TEXT[0]),
                                        Message("user", MESSAGES_TEXT[1]))).encode()
    buf = (lib.llama_token * 512)()
    n = lib.llama_tokenize(vocab, text, len(text), buf, 512, True, True)
    smpl = lib.llama_sampler_chain_init(lib.llama_sampler_chain_default_params())
    lib.llama_sampler_chain_add(smpl, lib.llama_sampler_init_greedy())
    lib.llama_decode(ctx, lib.llama_batch_get_one(buf, n))
    tok = (lib.llama_token * 1)()
    produced = 0
    t0 = time.perf_counter()
    piece = ctypes.create_string_buffer(64)
    for _ in range(n_tokens):
        tok[0] = lib.llama_sampler_sample(smpl, ctx, -1)
        lib.llama_token_to_piece(vocab, tok[0], piece, 64, 0, False)
        produced += 1
        if lib.llama_decode(ctx, lib.llama_batch_get_one(tok, 1)) != 0:
            break
    dt = time.perf_counter() - t0
    lib.llama_sampler_free(smpl)
    lib.llama_free(ctx)
    lib.llama_model_free(model)
    return produced / dt


def engine_decode(path: Path, n_tokens: int, seats: int, threads: str,
                  frame_ms: float | None = None) -> tuple[float, dict[str, int]]:
    """The engine's streaming path: aggregate streamed tok/s over ``seats`` seats (greedy, to
    max_tokens), timed from the first streamed token to the last, as the consumer sees it. ``threads``
    is "auto" (the tuner picks per step) or a fixed count; ``frame_ms`` 0 delivers every token on its own
    (a call into the event loop per token), None once per display frame as the app does."""
    from council_desktop.core.types import GenerationParams, Message, Request
    from council_desktop.llm.backend import DISPLAY_FRAME_S, EngineBackend, EngineThread
    from council_desktop.llm.engine import Engine, SeatSpec, physical_cores

    fixed = None if threads == "auto" else int(threads)
    engine = Engine(seat_ctx=1024, n_threads=fixed or physical_cores(), adaptive=fixed is None,
                    fast_copies=False)  # the driver chose the file (--layout)
    ids = [f"seat{i}" for i in range(seats)]
    engine.load([SeatSpec(i, path, "chatml") for i in ids])
    host = EngineThread(engine).start()
    messages = (Message("system", MESSAGES_TEXT[0]), Message("user", MESSAGES_TEXT[1]))

    async def once(tokens: int) -> float:
        backend = EngineBackend(engine, frame_s=DISPLAY_FRAME_S if frame_ms is None else frame_ms / 1000)
        first: list[float] = []

        def on_token(_t: str) -> None:
            if not first:
                first.append(time.perf_counter())

        params = GenerationParams(max_tokens=tokens, temperature=0.0)
        done = await asyncio.gather(*backend.submit([Request(i, messages, params, on_token) for i in ids]))
        return (sum(c.tokens for c in done) - 1) / (time.perf_counter() - first[0])

    try:
        asyncio.run(once(16))  # warm-up: first-touch of the weights, the workers' start
        rate = asyncio.run(once(n_tokens))
    finally:
        host.stop()
    return rate, engine.tuner.summary()


def child(args: argparse.Namespace) -> None:
    from council_desktop.llm.catalogue import starter_model_path

    path = args.model or starter_model_path()
    kind, _, rest = args.child.partition(":")
    out: dict[str, object]
    if kind == "native":
        from native import llama_bench_tg

        out = {"tok_s": llama_bench_tg(path, int(rest), args.tokens)}
    elif kind == "nativeb":  # <streams>:<threads>: native batched decoding, the anchor of five seats
        from native import batched_tg

        streams, _, threads = rest.partition(":")
        out = {"tok_s": batched_tg(path, int(threads), int(streams), args.tokens)}
    elif kind == "nativepp":  # prompt prefill, what judge probes are made of (256-token prompts)
        from native import llama_bench_pp

        out = {"tok_s": llama_bench_pp(path, int(rest), 256)}
    elif kind == "bare":
        out = {"tok_s": bare_decode(path, args.tokens, int(rest))}
    else:  # engine:<seats>:<threads>[:<frame ms>]
        seats, _, rest = rest.partition(":")
        threads, _, frame = rest.partition(":")
        rate, chosen = engine_decode(path, args.tokens, int(seats), threads, float(frame) if frame else None)
        out = {"tok_s": rate, "threads": chosen}
    print(json.dumps(out))


# -- the driver --------------------------------------------------------------------------------------


class Hog:
    """One busy background process for the busy scenario: ``yes > /dev/null``."""

    def __init__(self, on: bool) -> None:
        self.on = on
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Hog:
        if self.on:
            self.proc = subprocess.Popen(["yes"], stdout=subprocess.DEVNULL)
            time.sleep(0.3)
        return self

    def __exit__(self, *_exc: object) -> None:
        if self.proc is not None:
            self.proc.kill()
            self.proc.wait()


def run_child(config: str, args: argparse.Namespace) -> dict[str, object]:
    cmd = [sys.executable, __file__, "--child", config, "--tokens", str(args.tokens)]
    if args.model:
        cmd += ["--model", str(args.model)]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=900, cwd=ROOT)
    if out.returncode != 0:
        raise SystemExit(f"{config} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--scenarios", default="quiet,busy")
    ap.add_argument("--no-native", action="store_true", help="leave llama-bench out (no compiler at hand)")
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--layout", choices=("copy", "file"), default="copy",
                    help="copy (default): every configuration, native ones included, reads the Q8_0 copy the "
                         "engine loads the starter through (llm/fast_copy.py); file: the starter file as it is")
    ap.add_argument("--only", default="", help="a check of the script: these configurations alone "
                                               "(e.g. engine:1:auto,engine:1:1); no ratios")
    ap.add_argument("--child", default=None, help=argparse.SUPPRESS)
    args = ap.parse_args()
    # A kill ends the run through its `finally`s: no hog or X server is left behind.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    if args.child:
        child(args)
        return
    from council_desktop.llm import fast_copy
    from council_desktop.llm.catalogue import starter_model_path
    from council_desktop.llm.engine import _lib, physical_cores

    # Every configuration reads the same file: the one the engine would load (made now, not while timed).
    source = args.model or starter_model_path()
    copy = fast_copy.fast_path(source, _lib()) if args.layout == "copy" else None
    args.model = copy or source
    cores = physical_cores()
    counts = list(range(1, cores + 1))
    configs = ([] if args.no_native else [f"native:{t}" for t in counts] + [f"nativepp:{t}" for t in counts]
               + [f"nativeb:5:{t}" for t in counts]) + \
        [f"bare:{cores}"] + \
        [f"engine:1:{t}" for t in counts] + ["engine:1:auto", f"engine:5:{cores}", "engine:5:auto"]
    if args.only:
        configs = [c for c in args.only.split(",") if c]
    if any(c.startswith("native") for c in configs):
        from native import ensure_llama_bench

        ensure_llama_bench()
        ensure_llama_bench("llama-batched-bench")
    scenarios = [s for s in args.scenarios.split(",") if s]
    print(f"{cores} physical cores; {args.tokens} tokens per seat; median of {args.rounds} interleaved rounds; "
          f"each configuration in its own process; busy = one `yes > /dev/null` running alongside")
    print(f"model file: {args.model}")
    results: dict[tuple[str, str], list[float]] = {}
    chosen: dict[tuple[str, str], list[dict[str, int]]] = {}
    for _ in range(args.rounds):
        for scenario in scenarios:
            for config in configs:
                with Hog(scenario == "busy"):
                    got = run_child(config, args)
                results.setdefault((scenario, config), []).append(float(got["tok_s"]))  # type: ignore[arg-type]
                if "threads" in got:
                    chosen.setdefault((scenario, config), []).append(got["threads"])  # type: ignore[arg-type]
    names = {f"native:{t}": f"native llama-bench, {t} thread(s)" for t in counts}
    names.update({f"nativepp:{t}": f"native prefill pp256, {t} thread(s)" for t in counts})
    names.update({f"nativeb:5:{t}": f"native batched, 5 streams, {t} thread(s)" for t in counts})
    names[f"bare:{cores}"] = f"bare llama-cpp-python loop, {cores} threads"
    names.update({f"engine:1:{t}": f"engine 1 seat, fixed {t} thread(s)" for t in counts})
    names.update({"engine:1:auto": "engine 1 seat, adaptive", f"engine:5:{cores}": f"engine 5 seats, fixed {cores}",
                  "engine:5:auto": "engine 5 seats, adaptive"})
    for scenario in scenarios:
        med = {c: statistics.median(results[(scenario, c)]) for c in configs}
        print(f"\n[{scenario}]")
        for c in configs:
            if c not in names:
                names[c] = c
            note = ""
            if (scenario, c) in chosen:
                note = "  threads chosen: " + ", ".join(
                    "/".join(f"{k}={v}" for k, v in sorted(d.items())) for d in chosen[(scenario, c)])
            print(f"  {names[c]:<38} {med[c]:7.1f} tok/s{note}")
        if args.only:
            continue
        auto = med["engine:1:auto"]
        best_fixed = max(med[f"engine:1:{t}"] for t in counts)
        print(f"  adaptive 1 seat / best fixed count     : {auto / best_fixed:.2f}x")
        if not args.no_native:
            best_native = max(med[f"native:{t}"] for t in counts)
            print(f"  adaptive 1 seat / best native          : {auto / best_native:.2f}x")
            print(f"  adaptive 5 seats / best native (1 seq) : {med['engine:5:auto'] / best_native:.2f}x")
            best_batched = max(med[f"nativeb:5:{t}"] for t in counts)
            print(f"  native 5 streams / best native (1 seq) : {best_batched / best_native:.2f}x  "
                  "(what batching gives natively)")
            print(f"  adaptive 5 seats / native 5 streams    : {med['engine:5:auto'] / best_batched:.2f}x")
        print(f"  adaptive 5 seats / adaptive 1 seat     : {med['engine:5:auto'] / auto:.2f}x")
    if not args.only and not args.no_native and {"quiet", "busy"} <= set(scenarios):
        # What a busy core costs work that scales with cores: the floor of a prefill-bound debate's busy/quiet.
        pp = {sc: max(statistics.median(results[(sc, f"nativepp:{t}")]) for t in counts) for sc in ("quiet", "busy")}
        tg = {sc: max(statistics.median(results[(sc, f"native:{t}")]) for t in counts) for sc in ("quiet", "busy")}
        print(f"\nnative, best thread count, quiet / busy: prefill {pp['quiet']:.0f} / {pp['busy']:.0f} tok/s "
              f"({pp['quiet'] / pp['busy']:.2f}x slower busy); generation {tg['quiet']:.0f} / {tg['busy']:.0f} "
              f"tok/s ({tg['quiet'] / tg['busy']:.2f}x)")


if __name__ == "__main__":
    main()
