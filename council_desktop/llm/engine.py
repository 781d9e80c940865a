"""The in-process inference engine: GGUF files loaded once, one sequence per seat, batched decoding.

Scheduling policy (few cores, docs/ARCHITECTURE.md, "The engine"): one decode loop serves every seat. Seats that share a
model file are sequences of one llama.cpp context, and each step decodes all of their next tokens in a
single ``llama_decode`` (the weights are read once for five seats). Distinct model files take turns
step by step. Only one ``llama_decode`` runs at any moment and it uses all cores, so the process never
runs more decoder threads than the machine has cores. Prompts are prefilled in chunks so a long
prefill never holds the other seats (or a cancel) for long, and a KV prefix shared with the seat's
previous prompt is reused.

The loop is a plain blocking function (``run``) with a stop event; the host decides which thread runs
it (a QThreadPool worker in the app, a plain thread in the CLI and tests).
"""

from __future__ import annotations

import codecs
import ctypes
import json
import logging
import math
import os
import sys
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ..core.gguf import GGUFError, GGUFInfo, read_gguf
from ..core.text import refusal_reason
from ..core.types import Cancelled, CancelToken, Completion, GenerationParams, MemberError, Message
from . import fast_copy
from .chat_formats import ChatFormat, Segment, get_format
from .tuning import ThreadTuner

log = logging.getLogger(__name__)

# llama_token_attr bits (llama.h): tokens that only trusted template text may produce.
_ATTR_UNKNOWN, _ATTR_CONTROL, _ATTR_USER_DEFINED = 1 << 1, 1 << 3, 1 << 4

_llama: Any = None  # the llama_cpp module, imported lazily (see _lib)
_log_callback: Any = None
_recent_log: deque[str] = deque(maxlen=64)  # llama.cpp's last lines: why it refused a file


def _lib() -> Any:
    """Import llama_cpp once, with llama.cpp's own log routed to our logger (never to fds 1/2)."""
    global _llama, _log_callback
    if _llama is None:
        import llama_cpp

        @llama_cpp.llama_log_callback
        def _route(level: int, text: bytes, _user: Any) -> None:
            msg = text.decode("utf-8", "replace").rstrip()
            _recent_log.append(msg)
            if msg and level in (3, 4):  # GGML_LOG_LEVEL_WARN, _ERROR
                log.warning("llama.cpp: %s", msg)

        _log_callback = _route
        llama_cpp.llama_log_set(_log_callback, ctypes.c_void_p(0))
        llama_cpp.llama_backend_init()
        _llama = llama_cpp
    return _llama


def physical_cores() -> int:
    """Cores to give the single running decode: all of them, leaving hyperthreads aside where known."""
    try:
        pairs, phys = set(), ""
        with open("/proc/cpuinfo", encoding="utf-8") as fh:
            for line in fh:
                if line.startswith("physical id"):
                    phys = line.split(":")[1].strip()
                elif line.startswith("core id"):
                    pairs.add((phys, line.split(":")[1].strip()))
        if pairs:
            return min(len(pairs), os.cpu_count() or len(pairs))
    except OSError:
        pass
    return max(1, os.cpu_count() or 2)


# How much lower than the GUI thread the decode threads run (Linux niceness). None: niceness also weighs
# the decode against every other program's threads on the same core, and any nice starves the council on
# a machine that is busy anyway (scripts/bench/busy_debate.py --nices 3,0: with one hog the seeded debate
# took 1.87x its quiet time at nice 3, 1.65x at nice 0). SCHED_BATCH (below) keeps the GUI thread first
# when it wakes (ui_latency.py: p99 12.9 ms quiet, 15.1 ms busy at nice 0; 9.8 and 11.9 at nice 3).
DECODE_NICE = 0

# Prompt tokens in a prefill step that measures a thread count for the tuner (llm/tuning.py). A count that
# is wrong for the load costs in proportion to the step: a full 128-token step at one thread cost about
# 0.25 s more than at two on a quiet machine, about a second per debate in the tuner's trials and re-checks.
# Per token a 32-token step costs 13-22% more than a 128-token one (native llama-bench, pp32 against pp128,
# 2 and 1 threads): the counts are still told apart, with a tilt of about 8% towards more threads
# (docs/engine.md, "Thread count chosen at run time").
TRIAL_TOKENS = 32


def lower_thread_priority(nice: int = DECODE_NICE) -> bool:
    """Lower the calling thread's scheduling priority: niceness ``nice`` and the SCHED_BATCH policy
    (a waking batch thread never preempts a running one, so llama.cpp's workers starting a step do not
    push the GUI thread off a core, while the GUI thread waking does preempt them). On Linux both are
    per-thread attributes, and threads created later by this one inherit them, so llama.cpp's worker
    threads, which the decode thread starts on its first ``llama_decode``, run the same way. Returns
    False where the platform offers no per-thread priority; neither change needs privileges."""
    if not sys.platform.startswith("linux"):
        return False
    try:
        tid = threading.get_native_id()
        if hasattr(os, "SCHED_BATCH"):
            os.sched_setscheduler(tid, os.SCHED_BATCH, os.sched_param(0))
        if nice > os.getpriority(os.PRIO_PROCESS, tid):
            os.setpriority(os.PRIO_PROCESS, tid, nice)
        return True
    except (OSError, AttributeError) as exc:
        log.info("could not lower the decode thread's priority: %s", exc)
        return False


class WindowFirst:
    """The window's claim on the cores while it shows a burst of events (a stage change: new turns,
    scores, badges, the repaint after them). The window ``hold``s it when such events arrive and
    ``release``s it once they are shown; the decode loop ``wait``s at it before each step. A decode step
    runs on every core, at the GUI thread's weight: a repaint of 17.5 ms of CPU took 45.7 ms while a step
    ran beside it (docs/engine.md, "The window first"). Niceness cannot do this: a thread that lowers its
    priority cannot raise it again without privileges, and a lower one for good costs the decode its
    share against every other program. A hold lapses after ``max_wait_s``: a window that never releases
    costs one short wait, never the debate."""

    def __init__(self, max_wait_s: float = 0.1) -> None:
        self._clear = threading.Event()
        self._clear.set()
        self.max_wait_s = max_wait_s
        self.waits = 0  # steps that waited, and for how long in all (benchmarks print them)
        self.waited_s = 0.0

    def hold(self) -> None:
        self._clear.clear()

    def release(self) -> None:
        self._clear.set()

    @property
    def held(self) -> bool:
        return not self._clear.is_set()

    def wait(self) -> None:
        """On the decode thread, before a step: return at once, or when the window releases, or after
        ``max_wait_s`` (the hold then lapses)."""
        if self._clear.is_set():
            return
        t0 = time.perf_counter()
        if not self._clear.wait(self.max_wait_s):
            self._clear.set()
        self.waits += 1
        self.waited_s += time.perf_counter() - t0


@dataclass(frozen=True)
class SeatSpec:
    """One member's seat: which file, which prompt format."""

    member_id: str
    model_path: Path
    chat_format: str


@dataclass
class Job:
    """One generation or probe, owned by the decode loop once submitted."""

    member_id: str
    messages: Sequence[Message]
    params: GenerationParams
    on_token: Callable[[str], None] | None = None
    on_done: Callable[[Completion | BaseException], None] | None = None
    cancel: CancelToken = field(default_factory=CancelToken)
    epoch: int = 0  # set by Engine.submit: a cancel_all cancels the jobs submitted before it
    probe_prefix: str | None = None  # set for choice_probabilities
    probe_choices: Sequence[str] = ()
    probe_result: dict[str, float] = field(default_factory=dict)
    reply: str | None = None  # set for a reply's likelihood: the result is its tokens' mean log-probability
    reply_tokens: int = 48


class _Seq:
    """The decode state of one seat's sequence inside its model's context."""

    def __init__(self, seq_id: int, fmt: ChatFormat) -> None:
        self.seq_id = seq_id
        self.fmt = fmt
        self.kv_tokens: list[int] = []  # what the KV cache holds for this sequence, in order
        self.job: Job | None = None
        self.pending: list[int] = []  # prompt tokens not yet decoded
        self.last: int | None = None  # the sampled token to feed next
        self.sampler: Any = None
        self.decoder: Any = None
        self.text = ""
        self.n_generated = 0
        self.n_prompt = 0
        self.started = 0.0
        self.logit_index = -1
        self.reply_from = -1  # a likelihood job: the position of the reply's first token
        self.reply_marks: list[tuple[int, int]] = []  # (batch index, the token its logits should predict)
        self.reply_logprob = 0.0
        self.reply_count = 0


class _ModelGroup:
    """A GGUF file loaded once, with one context holding one sequence per seat on it."""

    def __init__(self, path: Path, n_threads: int, seat_ctx: int, n_seqs: int, kv_unified: bool = False,
                 load_from: Path | None = None) -> None:
        lib = _lib()
        self.path = path  # the file the seats name; ``load_from`` is its fast copy, when there is one
        self.loaded_from = load_from or path
        params = lib.llama_model_default_params()
        params.use_mmap = True  # seats and processes share the weights through the page cache
        _recent_log.clear()
        self.model = lib.llama_model_load_from_file(str(self.loaded_from).encode(), params)
        if not self.model:
            why = refusal_reason(_recent_log) or "not a model it can load"
            raise MemberError("", f"llama.cpp refused the model file {path.name} ({why})")
        self.vocab = lib.llama_model_get_vocab(self.model)
        self.n_vocab = lib.llama_vocab_n_tokens(self.vocab)
        cparams = lib.llama_context_default_params()
        self.n_seqs = n_seqs
        cparams.n_seq_max = n_seqs
        cparams.n_ctx = seat_ctx * n_seqs
        cparams.n_batch = 512
        cparams.n_ubatch = 512
        cparams.n_threads = n_threads
        cparams.n_threads_batch = n_threads
        cparams.kv_unified = kv_unified
        cparams.no_perf = True
        # No llama_set_abort_callback: ggml calls it per graph node, and a Python callback there costs
        # the GIL each time (measured: see scripts/bench/engine.py). Prefill is chunked instead, so a
        # cancel or a stop waits for one short step at most.
        self.ctx = lib.llama_init_from_model(self.model, cparams)
        if not self.ctx:
            lib.llama_model_free(self.model)
            raise MemberError("", f"llama.cpp could not create a context for {path.name} "
                                  f"({seat_ctx * n_seqs} tokens; not enough memory?)")
        self.seat_ctx = lib.llama_n_ctx_seq(self.ctx) if hasattr(lib, "llama_n_ctx_seq") else seat_ctx
        self.threads = n_threads  # what the context decodes with now (llama_set_n_threads changes it)
        self.mem = lib.llama_get_memory(self.ctx)
        self.batch = lib.llama_batch_init(512, 0, 1)
        self.n_batch = 512
        self.seqs: dict[str, _Seq] = {}
        self.add_bos = bool(lib.llama_vocab_get_add_bos(self.vocab))
        self.warmed = False  # the decode thread has run one step at every thread (Engine._warm)

    def close(self) -> None:
        lib = _lib()
        for seq in self.seqs.values():
            if seq.sampler:
                lib.llama_sampler_free(seq.sampler)
                seq.sampler = None
        if self.batch is not None:
            lib.llama_batch_free(self.batch)
            self.batch = None
        if self.ctx:
            lib.llama_free(self.ctx)
            self.ctx = None
        if self.model:
            lib.llama_model_free(self.model)
            self.model = None

    def put(self, i: int, token: int, pos: int, seq_id: int, logits: bool = False) -> None:
        """Slot ``i`` of the batch: one token of one sequence at ``pos``."""
        batch = self.batch
        batch.token[i] = token
        batch.pos[i] = pos
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = seq_id
        batch.logits[i] = logits

    # -- tokens ---------------------------------------------------------------------------------

    def tokenize(self, text: str, add_special: bool, parse_special: bool = False) -> list[int]:
        """Text to tokens. ``parse_special`` reads control-token spellings (``<|im_end|>``) as control
        tokens: only for the chat format's own markers, never for content."""
        lib = _lib()
        data = text.encode("utf-8")
        cap = len(data) + 16
        buf = (lib.llama_token * cap)()
        n = lib.llama_tokenize(self.vocab, data, len(data), buf, cap, add_special, parse_special)
        if n < 0:
            cap = -n
            buf = (lib.llama_token * cap)()
            n = lib.llama_tokenize(self.vocab, data, len(data), buf, cap, add_special, parse_special)
        return list(buf[:n])

    def prompt_tokens(self, segments: Sequence[Segment]) -> list[int]:
        """A rendered prompt to tokens, segment by segment: the format's trusted markers with special-token
        parsing on, everything else (member output, the user's words, our instructions) with it off, so
        no content can open or close a turn. BOS (where the model wants one) comes first."""
        tokens: list[int] = [int(_lib().llama_vocab_bos(self.vocab))] if self.add_bos else []
        for text, trusted in segments:
            if text:
                tokens += self.tokenize(text, add_special=False, parse_special=trusted)
        return tokens

    def is_control(self, token: int) -> bool:
        """A control token (turn markers, BOS/EOS, <file_sep>…): never produced from untrusted text."""
        lib = _lib()
        attr = int(lib.llama_vocab_get_attr(self.vocab, token))
        return bool(attr & (_ATTR_CONTROL | _ATTR_USER_DEFINED | _ATTR_UNKNOWN))

    def piece(self, token: int) -> bytes:
        lib = _lib()
        buf = ctypes.create_string_buffer(64)
        n = lib.llama_token_to_piece(self.vocab, token, buf, 64, 0, False)
        if n < 0:
            buf = ctypes.create_string_buffer(-n)
            n = lib.llama_token_to_piece(self.vocab, token, buf, -n, 0, False)
        return buf.raw[:n]

    def is_eog(self, token: int) -> bool:
        return bool(_lib().llama_vocab_is_eog(self.vocab, token))

    def make_sampler(self, params: GenerationParams) -> Any:
        lib = _lib()
        chain = lib.llama_sampler_chain_init(lib.llama_sampler_chain_default_params())
        if params.json_schema is not None:
            from llama_cpp.llama_grammar import json_schema_to_gbnf

            gbnf = json_schema_to_gbnf(json.dumps(params.json_schema))
            grammar = lib.llama_sampler_init_grammar(self.vocab, gbnf.encode(), b"root")
            if not grammar:
                lib.llama_sampler_free(chain)
                raise ValueError("llama.cpp rejected the grammar for the JSON schema")
            lib.llama_sampler_chain_add(chain, grammar)
        if params.temperature <= 0.0:
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_greedy())
            return chain
        # top-k first: the penalty samplers then scan 40 candidates, not the whole vocabulary.
        lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_top_k(40))
        if params.repeat_penalty != 1.0 or params.frequency_penalty or params.presence_penalty:
            lib.llama_sampler_chain_add(chain, _penalties(lib, self.n_vocab, params))
        if params.dry_multiplier > 0.0:
            dry = self._dry(params)
            lib.llama_sampler_chain_add(chain, dry)
            # The DRY history starts with the text the reply must not copy: a run of it is then
            # penalised like a run of the reply's own earlier words.
            for token in self.tokenize(params.avoid, add_special=False) if params.avoid else ():
                lib.llama_sampler_accept(dry, token)
        lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_top_p(params.top_p, 1))
        if params.min_p > 0.0:
            lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_min_p(params.min_p, 1))
        lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_temp(params.temperature))
        lib.llama_sampler_chain_add(chain, lib.llama_sampler_init_dist(params.seed & 0xFFFFFFFF))
        return chain

    def _dry(self, params: GenerationParams) -> Any:
        lib = _lib()
        breakers = [b"\n", b":", b"\"", b"*"]  # a repeat never spans these (a new line, a label, a quote)
        arr = (ctypes.c_char_p * len(breakers))(*breakers)
        # The window must be positive: llama.cpp turns -1 ("the whole context") into 0, i.e. DRY off.
        window = max(256, params.max_tokens + 1024)
        args: tuple[Any, ...] = (params.dry_multiplier, params.dry_base, params.dry_allowed_length, window, arr,
                                 len(breakers))
        if _arity(lib.llama_sampler_init_dry) == 8:  # older bindings also take the training context
            args = (lib.llama_model_n_ctx_train(self.model), *args)
        return lib.llama_sampler_init_dry(self.vocab, *args)


class Engine:
    """Owns the loaded models and the single decode loop. Thread-safe ``submit`` and ``stop``."""

    def __init__(self, seat_ctx: int = 2048, n_threads: int | None = None, prefill_chunk: int = 128,
                 kv_unified: bool = False, step_tokens: int = 128, adaptive: bool = True,
                 nice: int = DECODE_NICE, fast_copies: bool = True, trial_tokens: int = TRIAL_TOKENS) -> None:
        # At most step_tokens prompt tokens per decode step: bounds how long a cancel or another
        # seat's next token can wait behind a prefill.
        self.step_tokens = min(step_tokens, 512)
        # At most trial_tokens in a prefill step that measures a thread count for the tuner.
        self.trial_tokens = max(1, min(trial_tokens, self.step_tokens))
        self.kv_unified = kv_unified
        self.seat_ctx = seat_ctx
        # The most threads a step may use; with ``adaptive`` the tuner picks 1..n_threads per step from
        # measured step times (a busy machine), else every step uses n_threads.
        # COUNCIL_DESKTOP_DECODE_THREADS=N fixes the count (benchmarks compare it with the tuner).
        forced = os.environ.get("COUNCIL_DESKTOP_DECODE_THREADS", "").strip()
        if n_threads is None and forced.isdigit() and int(forced) > 0:
            n_threads, adaptive = int(forced), False
        self.n_threads = n_threads or physical_cores()
        self.tuner = ThreadTuner(self.n_threads, fixed=None if adaptive else self.n_threads)
        # COUNCIL_DESKTOP_DECODE_NICE=N sets the niceness; -1 leaves the decode threads as they are.
        forced_nice = os.environ.get("COUNCIL_DESKTOP_DECODE_NICE", "").strip()
        self.nice = int(forced_nice) if forced_nice.lstrip("-").isdigit() else nice
        self.step_log: deque[tuple[str, int, float, int]] | None = None  # (kind file, threads, s, tokens)
        self.prefill_chunk = prefill_chunk
        self.fast_copies = fast_copies  # load a small Q4_1 file through a Q8_0 copy (llm/fast_copy.py)
        self.groups: dict[Path, _ModelGroup] = {}
        self.window_gate: WindowFirst | None = None  # set by a window: the loop waits at it before a step
        self.seat_group: dict[str, _ModelGroup] = {}
        self.errors: dict[str, str] = {}  # member id -> why its seat could not load
        self._queue: deque[Job] = deque()
        self._cond = threading.Condition()
        self._stop = threading.Event()
        self._epoch = 0  # bumped by cancel_all; guarded by _cond
        self._running = threading.Event()
        self.tokens_decoded = 0

    # -- loading --------------------------------------------------------------------------------

    def load(self, seats: Sequence[SeatSpec], progress: Callable[[str, str], None] | None = None) -> dict[str, str]:
        """Load every distinct file once, one after another; returns {member_id: error} for seats
        that could not load (the others keep working)."""
        by_file: dict[Path, list[SeatSpec]] = {}
        for seat in seats:
            by_file.setdefault(Path(seat.model_path), []).append(seat)
        for path, group_seats in by_file.items():
            for seat in group_seats:
                if progress:
                    progress(seat.member_id, "loading")
            try:
                info = read_gguf(path)
                fmts = [get_format(s.chat_format) for s in group_seats]
                group = self._open_group(path, len(group_seats), info)
            except (MemberError, GGUFError, ValueError, OSError) as exc:
                reason = exc.reason if isinstance(exc, MemberError) else str(exc)
                for seat in group_seats:
                    self.errors[seat.member_id] = reason if path.name in reason else f"{path.name}: {reason}"
                    if progress:
                        progress(seat.member_id, "failed")
                log.warning("could not load %s: %s", path, reason)
                continue
            self.groups[path] = group
            for i, (seat, fmt) in enumerate(zip(group_seats, fmts, strict=True)):
                group.seqs[seat.member_id] = _Seq(i, fmt)
                self.seat_group[seat.member_id] = group
                if progress:
                    progress(seat.member_id, "ready")
        return dict(self.errors)

    def _open_group(self, path: Path, n_seqs: int, info: GGUFInfo) -> _ModelGroup:
        """Load ``path`` (its header ``info`` already read) through its fast copy when it gets one
        (llm/fast_copy.py), else as it is."""
        copy = fast_copy.fast_path(path, _lib(), info=info) if self.fast_copies else None
        if copy is not None:
            try:
                return _ModelGroup(path, self.n_threads, self.seat_ctx, n_seqs, self.kv_unified, load_from=copy)
            except MemberError as exc:
                log.warning("the fast copy of %s did not load (%s); loading the file itself", path.name, exc.reason)
                fast_copy.discard(copy)
        return _ModelGroup(path, self.n_threads, self.seat_ctx, n_seqs, self.kv_unified)

    # -- submitting -----------------------------------------------------------------------------

    def submit(self, jobs: Sequence[Job]) -> None:
        """Queue jobs atomically: the loop sees all of them in the same step."""
        failed: list[tuple[Job, BaseException]] = []
        with self._cond:
            for job in jobs:
                job.epoch = self._epoch
                if self._stop.is_set():
                    failed.append((job, Cancelled("the engine is shutting down")))
                elif job.cancel.cancelled:
                    failed.append((job, Cancelled("stopped by the user")))
                elif job.member_id in self.errors:
                    failed.append((job, MemberError(job.member_id, self.errors[job.member_id])))
                elif job.member_id not in self.seat_group:
                    failed.append((job, MemberError(job.member_id, "no seat is loaded for this member")))
                else:
                    self._queue.append(job)
            self._cond.notify_all()
        for job, exc in failed:
            if job.on_done:
                job.on_done(exc)

    def cancel_all(self) -> None:
        """Cancel every job queued or running now (between tokens). Jobs submitted afterwards are not
        affected: a cancel with nothing to do leaves nothing behind for the next session."""
        with self._cond:
            self._epoch += 1
            self._cond.notify_all()

    def wake(self) -> None:
        """Make the loop look at its jobs now (a job's cancel token was set from another thread)."""
        with self._cond:
            self._cond.notify_all()

    def _cancelled(self, job: Job) -> bool:
        return job.cancel.cancelled or job.epoch < self._epoch

    def stop(self) -> None:
        self._stop.set()
        if self.window_gate is not None:
            self.window_gate.release()
        with self._cond:
            self._cond.notify_all()

    @property
    def running(self) -> bool:
        return self._running.is_set()

    # -- the loop -------------------------------------------------------------------------------

    def run(self) -> None:
        """The decode loop; returns when ``stop`` is called (within one decode step), then frees
        every model. Run it on exactly one thread."""
        self._running.set()
        if self.nice >= 0:
            lower_thread_priority(self.nice)
        try:
            while not self._stop.is_set():
                self._admit()
                active = [g for g in self.groups.values() if any(s.job for s in g.seqs.values())]
                if not active:
                    with self._cond:
                        if not self._queue and not self._stop.is_set():
                            self._cond.wait(0.25)
                    continue
                if self.window_gate is not None:
                    self.window_gate.wait()
                for group in active:
                    if self._stop.is_set():
                        break
                    if not group.warmed:
                        self._warm(group)
                    self._step(group)
        finally:
            self._cancel_everything("the engine stopped")
            for group in self.groups.values():
                group.close()
            self.groups.clear()
            self._running.clear()

    def _warm(self, group: _ModelGroup) -> None:
        """One untimed token at the most threads, on the decode thread, before its first timed step.
        llama.cpp's OpenMP starts the calling thread's team of workers on its first parallel step: the
        first 2-thread step cost 111-115 ms against 8-12 ms for the next ones (a 135M model, 2 cores),
        and the tuner's first trial read that as the cost of two threads and kept one (82 tok/s instead
        of 130 on a quiet machine). The token is decoded past the end of a seat's sequence and removed."""
        group.warmed = True
        lib = _lib()
        seq = next(iter(group.seqs.values()), None)
        if seq is None:
            return
        if group.threads != self.n_threads:
            lib.llama_set_n_threads(group.ctx, self.n_threads, self.n_threads)
            group.threads = self.n_threads
        pos = len(seq.kv_tokens)
        group.put(0, max(0, int(lib.llama_vocab_bos(group.vocab))), pos, seq.seq_id, logits=True)
        group.batch.n_tokens = 1
        if lib.llama_decode(group.ctx, group.batch) != 0:
            log.warning("the warm-up step of %s failed", group.path.name)
        lib.llama_memory_seq_rm(group.mem, seq.seq_id, pos, -1)

    def _cancel_everything(self, why: str = "stopped by the user") -> None:
        with self._cond:
            queued = list(self._queue)
            self._queue.clear()
        for job in queued:
            if job.on_done:
                job.on_done(Cancelled(why))
        for group in self.groups.values():
            for seq in group.seqs.values():
                if seq.job:
                    self._finish(group, seq, Cancelled(why))

    def _admit(self) -> None:
        """Move queued jobs onto free sequences (a seat runs one job at a time, in order)."""
        with self._cond:
            waiting: deque[Job] = deque()
            while self._queue:
                job = self._queue.popleft()
                group = self.seat_group[job.member_id]
                seq = group.seqs[job.member_id]
                if self._cancelled(job):
                    if job.on_done:
                        job.on_done(Cancelled("stopped by the user"))
                elif seq.job is None:
                    try:
                        self._start(group, seq, job)
                    except (MemberError, ValueError) as exc:
                        seq.job = None
                        err = exc if isinstance(exc, MemberError) else MemberError(job.member_id, str(exc))
                        if job.on_done:
                            job.on_done(err)
                else:
                    waiting.append(job)
            self._queue = waiting

    def _start(self, group: _ModelGroup, seq: _Seq, job: Job) -> None:
        lib = _lib()
        segments = seq.fmt.segments(job.messages)
        if job.probe_prefix:
            segments.append((job.probe_prefix, False))
        tokens = group.prompt_tokens(segments)
        seq.reply_from = -1
        seq.reply_logprob = 0.0
        seq.reply_count = 0
        if job.reply is not None:
            reply = group.tokenize(job.reply, add_special=False)[: max(1, job.reply_tokens)]
            if not reply:
                raise MemberError(job.member_id, "an empty reply has no likelihood")
            seq.reply_from = len(tokens)
            tokens += reply
        budget = group.seat_ctx - (0 if job.probe_prefix is not None or job.reply is not None
                                   else job.params.max_tokens) - 1
        if len(tokens) > budget:
            raise MemberError(job.member_id, f"the prompt is too long for this seat ({len(tokens)} tokens, "
                                             f"room for {budget})")
        # Reuse the KV prefix this seat already holds; always decode at least one token for logits.
        common = 0
        for a, b in zip(seq.kv_tokens, tokens, strict=False):
            if a != b:
                break
            common += 1
        common = min(common, len(tokens) - 1)
        if seq.reply_from > 0:  # the logits that predict the reply's first token are computed afresh
            common = min(common, seq.reply_from - 1)
        lib.llama_memory_seq_rm(group.mem, seq.seq_id, common, -1)
        seq.kv_tokens = seq.kv_tokens[:common]
        seq.pending = tokens[common:]
        seq.last = None
        if seq.sampler:
            lib.llama_sampler_free(seq.sampler)
            seq.sampler = None
        if job.probe_prefix is None and job.reply is None:
            seq.sampler = group.make_sampler(job.params)
        seq.decoder = codecs.getincrementaldecoder("utf-8")("replace")
        seq.text = ""
        seq.n_generated = 0
        seq.n_prompt = len(tokens)
        seq.started = time.monotonic()
        seq.job = job

    def _step(self, group: _ModelGroup) -> None:
        """One llama_decode over every busy seat of this model: each generating seat adds its last
        sampled token, each prefilling seat a chunk of its prompt."""
        lib = _lib()
        batch = group.batch
        n = 0
        outputs: list[_Seq] = []
        fed: dict[int, list[int]] = {}
        limit = self.step_tokens
        if any(s.job is not None and s.pending for s in group.seqs.values()) and \
                self.tuner.trial_next("fill " + group.path.name):
            limit = self.trial_tokens
        for seq in group.seqs.values():
            job = seq.job
            if job is None:
                continue
            if self._cancelled(job):
                self._finish(group, seq, Cancelled("stopped by the user"))
                continue
            if seq.pending:
                room = limit - n
                if room <= 0:
                    continue
                chunk = seq.pending[: min(self.prefill_chunk, room)]
                is_last = len(chunk) == len(seq.pending)
                feed = chunk
            elif seq.last is not None:
                if n >= group.n_batch:
                    continue
                feed = [seq.last]
                is_last = True
            else:
                continue
            start = len(seq.kv_tokens)
            seq.reply_marks = []
            total = start + len(seq.pending)  # the prompt's length, while it is being filled
            for i, tok in enumerate(feed):
                # A likelihood job wants the logits of every position that predicts a token of its reply.
                mark = seq.reply_from > 0 and seq.reply_from - 1 <= start + i <= total - 2
                group.put(n, tok, start + i, seq.seq_id, logits=mark)
                if mark:
                    seq.reply_marks.append((n, seq.pending[i + 1]))
                n += 1
            if is_last:
                batch.logits[n - 1] = True
                seq.logit_index = n - 1
                outputs.append(seq)
            else:
                seq.logit_index = -1
            fed[seq.seq_id] = feed
        if n == 0:
            return
        batch.n_tokens = n
        # Tuned apart per model file (a 1B model and a 135M one do not prefer the same count) and per
        # kind of step: "fill" when a prompt chunk is in the batch, else "gen".
        kind = ("fill " if any(len(f) > 1 or s.pending for s in group.seqs.values()
                               if (f := fed.get(s.seq_id)) is not None) else "gen ") + group.path.name
        threads = self.tuner.choose(kind)
        if threads != group.threads:
            lib.llama_set_n_threads(group.ctx, threads, threads)
            group.threads = threads
        t0 = time.perf_counter()
        rc = lib.llama_decode(group.ctx, batch)
        took = time.perf_counter() - t0
        self.tuner.record(kind, threads, took, n)
        if self.step_log is not None:
            self.step_log.append((kind, threads, took, n))
        if rc != 0:
            busy = [s for s in group.seqs.values() if s.job is not None]
            for seq in busy:
                lib.llama_memory_seq_rm(group.mem, seq.seq_id, -1, -1)
                seq.kv_tokens = []
                self._finish(group, seq, MemberError(seq.job.member_id if seq.job else "",
                                                     f"llama_decode failed (code {rc})"))
            return
        self.tokens_decoded += n
        for seq in group.seqs.values():
            if seq.seq_id not in fed:
                continue
            if seq.reply_marks:
                self._read_reply(group, seq)
            seq.kv_tokens.extend(fed[seq.seq_id])
            if seq.pending:
                seq.pending = seq.pending[len(fed[seq.seq_id]):]
            else:
                seq.last = None
        for seq in outputs:
            self._after_logits(group, seq)

    def _after_logits(self, group: _ModelGroup, seq: _Seq) -> None:
        lib = _lib()
        job = seq.job
        assert job is not None
        if job.probe_prefix is not None:
            logits = lib.llama_get_logits_ith(group.ctx, seq.logit_index)
            job.probe_result = self._choice_probs(group, logits, job.probe_choices)
            self._finish(group, seq, None)
            return
        if job.reply is not None:
            job.probe_result = {"logprob": seq.reply_logprob / max(1, seq.reply_count),
                                "tokens": float(seq.reply_count)}
            self._finish(group, seq, None)
            return
        token = lib.llama_sampler_sample(seq.sampler, group.ctx, seq.logit_index)
        if group.is_eog(token):
            self._finish(group, seq, None, "stop")
            return
        seq.n_generated += 1
        delta = seq.decoder.decode(group.piece(token))
        seq.text += delta
        stop_at = _find_stop(seq.text, job.params.stop + seq.fmt.stop)
        if stop_at is not None:
            seq.text = seq.text[:stop_at]
            self._finish(group, seq, None, "stop")
            return
        if delta and job.on_token:
            try:
                job.on_token(delta)
            except Exception:  # a broken listener must not stop the loop that serves every seat
                log.exception("on_token callback failed")
        seq.last = token
        if seq.n_generated >= job.params.max_tokens:
            seq.last = None
            self._finish(group, seq, None, "length")

    def _read_reply(self, group: _ModelGroup, seq: _Seq) -> None:
        """Add the log-probabilities of the reply's tokens whose logits this step computed."""
        lib = _lib()
        for index, target in seq.reply_marks:
            row = np.ctypeslib.as_array(lib.llama_get_logits_ith(group.ctx, index), shape=(group.n_vocab,))
            top = float(row.max())
            seq.reply_logprob += float(row[target]) - top - math.log(float(np.exp(row - top).sum()))
            seq.reply_count += 1
        seq.reply_marks = []

    def _choice_probs(self, group: _ModelGroup, logits: Any, choices: Sequence[str]) -> dict[str, float]:
        first: dict[str, int] = {}
        for choice in choices:
            toks = group.tokenize(choice, add_special=False)
            if toks:
                first[choice] = toks[0]
        raw = {c: float(logits[t]) for c, t in first.items()}
        if not raw:
            return {}
        top = max(raw.values())
        exp = {c: math.exp(v - top) for c, v in raw.items()}
        total = sum(exp.values())
        return {c: v / total for c, v in exp.items()}

    def _finish(self, group: _ModelGroup, seq: _Seq, error: BaseException | None,
                finish: str = "stop") -> None:
        job = seq.job
        seq.job = None
        seq.pending = []
        seq.last = None
        if job is None:
            return
        if error is not None:
            # The KV for this seat is in an unknown state after an error; start clean next time.
            _lib().llama_memory_seq_rm(group.mem, seq.seq_id, -1, -1)
            seq.kv_tokens = []
        if seq.decoder is not None and error is None:
            tail = seq.decoder.decode(b"", final=True)
            seq.text += tail
        result: Completion | BaseException
        if error is not None:
            result = error
        else:
            result = Completion(text=seq.text, tokens=seq.n_generated,
                                seconds=time.monotonic() - seq.started,
                                finish="length" if finish == "length" else "stop", prompt_tokens=seq.n_prompt)
        if job.on_done:
            try:
                job.on_done(result)
            except Exception:  # a broken callback must not kill the loop that serves every seat
                log.exception("on_done callback failed")


def _arity(fn: Any) -> int:
    """How many arguments a llama_cpp binding takes (some changed between llama-cpp-python releases)."""
    argtypes = getattr(fn, "argtypes", None)
    if argtypes is not None:
        return len(argtypes)
    import inspect

    return len(inspect.signature(fn).parameters)


def _penalties(lib: Any, n_vocab: int, params: GenerationParams) -> Any:
    args = (params.repeat_last_n, params.repeat_penalty, params.frequency_penalty, params.presence_penalty)
    if _arity(lib.llama_sampler_init_penalties) == 5:  # releases whose binding still takes n_vocab
        return lib.llama_sampler_init_penalties(n_vocab, *args)
    return lib.llama_sampler_init_penalties(*args)


def _find_stop(text: str, stops: Sequence[str]) -> int | None:
    hits = [text.find(s) for s in stops if s and s in text]
    return min(hits) if hits else None
