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


class EngineRig:
    """One engine with ``seats`` seats on the file, kept loaded across repeats."""

    def __init__(self, path: Path, threads: int, seats: int) -> None:
        self.engine = Engine(seat_ctx=1024, n_threads=threads)
        self.ids = [f"seat{i}" for i in range(seats)]
        self.engine.load([SeatSpec(i, path, "chatml") for i in self.ids])
        self.host = EngineThread(self.engine).start()

    def run(self, n_tokens: int) -> float:
        """Aggregate streamed tokens per second (greedy, to max_tokens), timed like the bare loop: from the
        first streamed token (the prompts are prefilled by then) to the last, as the consumer sees it."""

        async def once() -> float:
            backend = EngineBackend(self.engine)
            first: list[float] = []

            def on_token(_t: str) -> None:
                if not first:
                    first.append(time.perf_counter())

            params = GenerationParams(max_tokens=n_tokens, temperature=0.0)
            done = await asyncio.gather(*backend.submit([Request(i, MESSAGES, params, on_token) for i in self.ids]))
            return (sum(c.tokens for c in done) - 1) / (time.perf_counter() - first[0])

        return asyncio.run(once())

    def close(self) -> None:
        self.host.stop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--tokens", type=int, default=128)
    ap.add_argument("--repeats", type=int, default=5)
    ap.add_argument("--model", type=Path, default=None)
    args = ap.parse_args()
    path = args.model or starter_model_path()
    threads = physical_cores()
    print(f"model {path.name}, {threads} threads, {args.tokens} tokens per seat, median of {args.repeats} "
          "interleaved rounds (this machine's speed drifts: each round runs all three back to back)")
    one_rig, five_rig = EngineRig(path, threads, 1), EngineRig(path, threads, 5)
    bare, one, five = [], [], []
    for _ in range(args.repeats):
        bare.append(bare_decode(path, args.tokens, threads))
        one.append(one_rig.run(args.tokens))
        five.append(five_rig.run(args.tokens))
    one_rig.close()
    five_rig.close()
    b, o, f = (statistics.median(x) for x in (bare, one, five))
    print(f"bare llama-cpp-python decode loop : {b:7.1f} tok/s")
    print(f"engine streaming, 1 seat          : {o:7.1f} tok/s  ({o / b:.2f}x bare)")
    print(f"engine streaming, 5 seats batched : {f:7.1f} tok/s aggregate  ({f / o:.2f}x one seat)")


if __name__ == "__main__":
    main()
