"""Engine benchmark: the engine's streaming path against a bare llama-cpp-python decode loop on the
same model and threads, and five seats decoding together against one seat alone.

Run: .venv/bin/python scripts/bench/engine.py [--tokens 128] [--model PATH]
Prints each figure and the ratios; it compares within one run, so no stored baseline is needed.
"""

from __future__ import annotations

import argparse
import asyncio
import ctypes
import statistics
import time
from pathlib import Path

from council_desktop.core.types import GenerationParams, Message, Request
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.catalogue import starter_model_path
from council_desktop.llm.chat_formats import get_format
from council_desktop.llm.engine import Engine, SeatSpec, _lib, physical_cores

MESSAGES = (Message("system", "You are a thoughtful philosopher."),
            Message("user", "Is free will real? Answer in three sentences."))


def bare_decode(path: Path, n_tokens: int, threads: int) -> float:
    """Greedy decode with llama-cpp-python's low-level API and nothing else: tokens per second."""
    lib = _lib()
    model = lib.llama_model_load_from_file(str(path).encode(), lib.llama_model_default_params())
    cp = lib.llama_context_default_params()
    cp.n_ctx, cp.n_threads, cp.n_threads_batch = 1024, threads, threads
    ctx = lib.llama_init_from_model(model, cp)
    vocab = lib.llama_model_get_vocab(model)
    text = get_format("chatml").render(MESSAGES).encode()
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


def engine_run(path: Path, n_tokens: int, threads: int, seats: int, repeats: int) -> tuple[float, int]:
    """Aggregate streamed tokens per second with ``seats`` seats generating at once (greedy, no EOS)."""
    eng = Engine(seat_ctx=1024, n_threads=threads)
    ids = [f"seat{i}" for i in range(seats)]
    eng.load([SeatSpec(i, path, "chatml") for i in ids])
    host = EngineThread(eng).start()
    rates = []
    streamed = 0

    async def once() -> float:
        nonlocal streamed
        backend = EngineBackend(eng)
        count = [0]
        first: list[float] = []

        def on_token(_t: str) -> None:
            if not count[0]:
                first.append(time.perf_counter())
            count[0] += 1

        # Greedy, to max_tokens. Timed like the bare loop: from the first streamed token (the prompts are
        # prefilled by then) to the last, so the rate is the decode rate, seen by the consumer.
        params = GenerationParams(max_tokens=n_tokens, temperature=0.0)
        done = await asyncio.gather(*backend.submit([Request(i, MESSAGES, params, on_token) for i in ids]))
        dt = time.perf_counter() - first[0]
        streamed = count[0]
        return (sum(c.tokens for c in done) - 1) / dt

    for _ in range(repeats):
        rates.append(asyncio.run(once()))
    host.stop()
    return statistics.median(rates), streamed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--model", type=Path, default=None)
    args = ap.parse_args()
    path = args.model or starter_model_path()
    threads = physical_cores()
    print(f"model {path.name}, {threads} threads, {args.tokens} tokens per seat, median of {args.repeats}")
    bare = statistics.median(bare_decode(path, args.tokens, threads) for _ in range(args.repeats))
    one, _ = engine_run(path, args.tokens, threads, 1, args.repeats)
    five, _ = engine_run(path, args.tokens, threads, 5, args.repeats)
    print(f"bare llama-cpp-python decode loop : {bare:7.1f} tok/s")
    print(f"engine streaming, 1 seat          : {one:7.1f} tok/s  ({one / bare:.2f}x bare)")
    print(f"engine streaming, 5 seats batched : {five:7.1f} tok/s aggregate  ({five / one:.2f}x one seat)")


if __name__ == "__main__":
    main()
