"""A scripted Engine for fast tests of everything around the decode loop (never what the app runs).

It is the real ``Engine`` — its queue, submission, admission, cancel and stop logic run unchanged — with
the model replaced: loading seats no file, a generation streams the words of ``tests.scripted``'s
script one per step (``tick`` seconds apart), a probe answers with ``default_probe``.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from council_desktop.core.types import Cancelled, Completion, Probe, Request
from council_desktop.llm.engine import Engine, Job, SeatSpec, _Seq
from tests.scripted import Script, default_probe, default_script


class _Group:
    def __init__(self) -> None:
        self.seqs: dict[str, _Seq] = {}
        self.warmed = True  # no llama.cpp workers to warm (Engine._warm)

    def close(self) -> None:
        pass


class ScriptedEngine(Engine):
    def __init__(self, seat_ctx: int = 2048, script: Script = default_script, tick: float = 0.002,
                 load_gate: threading.Event | None = None) -> None:
        super().__init__(seat_ctx=seat_ctx, n_threads=1, adaptive=False, nice=-1)
        self.script = script
        self.tick = tick
        self.load_gate = load_gate  # loading waits for it (a Stop while the seats load)
        self.words: dict[str, deque[str]] = {}
        self.started_jobs: list[Job] = []

    def load(self, seats: Sequence[SeatSpec],
             progress: Callable[[str, str], None] | None = None) -> dict[str, str]:
        group = _Group()
        for seat in seats:
            if progress:
                progress(seat.member_id, "loading")
        if self.load_gate is not None:
            assert self.load_gate.wait(20), "the test never let the seats load"
        for i, seat in enumerate(seats):
            group.seqs[seat.member_id] = _Seq(i, None)  # type: ignore[arg-type]
            self.seat_group[seat.member_id] = group  # type: ignore[assignment]
            if progress:
                progress(seat.member_id, "ready")
        self.groups[Path("scripted.gguf")] = group  # type: ignore[assignment]
        return dict(self.errors)

    def _start(self, group: Any, seq: _Seq, job: Job) -> None:
        self.started_jobs.append(job)
        if job.probe_prefix is None and job.reply is None:
            out = self.script(job.member_id, job.messages, Request(job.member_id, tuple(job.messages), job.params))
            if isinstance(out, BaseException):
                raise out
            self.words[job.member_id] = deque(w + " " for w in out.split(" "))
        seq.text = ""
        seq.n_generated = 0
        seq.started = time.monotonic()
        seq.job = job

    def _step(self, group: Any) -> None:
        for seq in group.seqs.values():
            job = seq.job
            if job is None:
                continue
            if self._cancelled(job):
                self._finish(group, seq, Cancelled("stopped by the user"))
                continue
            if job.reply is not None:  # a reply's likelihood: this engine cannot tell (core/pull.py weighs nothing)
                job.probe_result = {}
                self._finish(group, seq, None)
                continue
            if job.probe_prefix is not None:
                got = default_probe(Probe(job.member_id, tuple(job.messages), tuple(job.probe_choices)))
                if isinstance(got, BaseException):
                    self._finish(group, seq, got)
                    continue
                job.probe_result = got
                self._finish(group, seq, None)
                continue
            words = self.words[job.member_id]
            if not words:
                self._finish(group, seq, None)
                continue
            word = words.popleft()
            seq.text += word
            seq.n_generated += 1
            if job.on_token:
                job.on_token(word)
        self.tokens_decoded += 1
        time.sleep(self.tick)

    def _finish(self, group: Any, seq: _Seq, error: BaseException | None, finish: str = "stop") -> None:
        job = seq.job
        seq.job = None
        if job is None or job.on_done is None:
            return
        job.on_done(error if error is not None else
                    Completion(seq.text.strip(), seq.n_generated, time.monotonic() - seq.started, "stop"))
