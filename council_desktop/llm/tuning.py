"""How many threads the next decode step gets, chosen from the step times the engine measures.

A laptop is rarely quiet: a browser tab or a compile takes a core, and a decode split over every core
then waits at each barrier for the thread that shares its core with the intruder (measured: 22 tok/s
with 2 threads against 49 with 1 on a 2-core machine with one busy process). No fixed count is right
for every load, so the engine asks this tuner before each step and reports how long the step took.

The tuner keeps one state per step *kind* ("gen": every fed token is a sampled one; "fill": a prompt
chunk is in the batch), because prefill is compute-bound and generation memory-bound and they do not
prefer the same count. For each kind it:

- explores: runs a few steps at every candidate count, interleaved (1, 2, 1, 2, …) so a load that
  changes during the trial hurts every candidate alike, and gives up early on a candidate whose first
  steps are far slower than the best so far;
- exploits: keeps the fastest (by the median time per token), switching only for a clear gain;
- re-checks: explores again after ``recheck_s`` seconds of steps, or at once when the recent steps at
  the chosen count drift away from what they cost when it was chosen (the load changed).

Pure Python and clock-injected, so it is tested without a model.
"""

from __future__ import annotations

import statistics
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field


@dataclass
class _KindState:
    best: int
    baseline: float = 0.0  # median seconds per token at ``best`` lately (the load's "normal")
    decided: float = 0.0  # the least it has cost since ``best`` was chosen
    trial: deque[int] = field(default_factory=deque)  # counts still to try, in order
    samples: dict[int, list[float]] = field(default_factory=dict)
    recent: deque[float] = field(default_factory=lambda: deque(maxlen=12))
    checked_at: float = 0.0
    recheck_s: float = 0.0  # grows while the same count keeps winning clearly
    explorations: int = 0


class ThreadTuner:
    """``choose(kind)`` before a step, ``record(kind, threads, seconds, tokens)`` after it."""

    def __init__(self, max_threads: int, *, trial_steps: int = 4, recheck_s: float = 6.0,
                 max_recheck_s: float = 60.0, confirmed_recheck_s: float = 24.0, margin: float = 0.06,
                 drift: float = 0.35, give_up: float = 1.6,
                 give_up_at_once: float = 8.0, clock: Callable[[], float] = time.monotonic,
                 fixed: int | None = None) -> None:
        self.max_threads = max(1, max_threads)
        self.candidates: Sequence[int] = tuple(range(1, self.max_threads + 1))
        self.trial_steps = max(1, trial_steps)
        self.recheck_s = recheck_s
        self.max_recheck_s = max_recheck_s
        self.confirmed_recheck_s = confirmed_recheck_s
        self.give_up_at_once = give_up_at_once
        self.margin = margin
        self.drift = drift
        self.give_up = give_up
        self.fixed = fixed  # a fixed count (benchmarks, the user's choice): no exploring
        self._clock = clock
        self._kinds: dict[str, _KindState] = {}

    def _state(self, kind: str) -> _KindState:
        st = self._kinds.get(kind)
        if st is None:
            st = _KindState(best=self.max_threads, recheck_s=self.recheck_s)
            self._kinds[kind] = st
            self._explore(st)
        return st

    def _explore(self, st: _KindState, candidates: Sequence[int] | None = None) -> None:
        counts = tuple(candidates) if candidates is not None else tuple(self.candidates)
        # Nothing known yet: fewest threads first. Too many on a busy machine cost up to a hundred times
        # as much per step (measured: 2.4-3.8 s for one 2-thread step beside one hog, against 18-500 ms at
        # 1 thread), too few on a quiet one less than twice. Later, the count in use first: what it costs
        # now is the yardstick for the others' first step.
        counts = tuple(sorted(counts)) if st.explorations == 0 else \
            tuple(sorted(counts, key=lambda t: t != st.best))
        st.samples = {t: [] for t in counts}
        st.trial = deque(t for _ in range(self.trial_steps) for t in counts)
        st.explorations += 1

    def choose(self, kind: str) -> int:
        if self.fixed is not None or len(self.candidates) == 1:
            return self.fixed or self.candidates[0]
        st = self._state(kind)
        return st.trial[0] if st.trial else st.best

    def best(self, kind: str) -> int:
        """The count chosen for ``kind`` so far (what ``choose`` returns outside a trial)."""
        if self.fixed is not None:
            return self.fixed
        st = self._kinds.get(kind)
        return st.best if st else self.max_threads

    def exploring(self, kind: str) -> bool:
        st = self._kinds.get(kind)
        return bool(st and st.trial)

    def trial_next(self, kind: str) -> bool:
        """Whether the next step of ``kind`` measures a count (a kind never seen starts with a trial): the
        engine makes such a prefill step small, so a count that is wrong for the load costs little."""
        if self.fixed is not None or len(self.candidates) == 1:
            return False
        st = self._kinds.get(kind)
        return st is None or bool(st.trial)

    def record(self, kind: str, threads: int, seconds: float, tokens: int) -> None:
        if self.fixed is not None or len(self.candidates) == 1 or tokens <= 0:
            return
        st = self._state(kind)
        per_token = seconds / tokens
        now = self._clock()
        if st.trial:
            if threads != st.trial[0]:
                return  # not the step we asked for (the count could not be applied)
            st.trial.popleft()
            st.samples[threads].append(per_token)
            for t in st.samples:  # a fast step can make a count measured before it hopeless
                self._maybe_give_up(st, t)
            if not st.trial:
                self._decide(st, now)
            return
        if threads != st.best:
            return
        st.recent.append(per_token)
        if now - st.checked_at >= st.recheck_s:
            self._explore(st)
        elif len(st.recent) >= (st.recent.maxlen or 12) // 2 and st.baseline > 0 and \
                now - st.checked_at >= 1.0:
            recent = statistics.median(st.recent)
            # Slower: more load, so only fewer threads can help. Faster than when the count was chosen:
            # less load, so more may (faster only than a slow spell since: the load came back to normal).
            st.decided = min(st.decided, recent)
            if recent > st.baseline * (1 + self.drift):
                self._drifted(st, [t for t in self.candidates if t < st.best])
            elif recent < st.baseline / (1 + self.drift):
                more = [t for t in self.candidates if t > st.best] if recent < st.decided / (1 + self.drift) else []
                self._drifted(st, more)

    def _drifted(self, st: _KindState, direction: list[int]) -> None:
        if direction:
            self._explore(st, [st.best, *direction])
        else:  # nowhere to go: this is the new normal for the count in use
            st.baseline = statistics.median(st.recent)
            st.recent.clear()

    def _maybe_give_up(self, st: _KindState, threads: int) -> None:
        """Try ``threads`` no more this round when two of its steps are far slower than the best so far,
        or one is hopeless (an oversubscribed machine makes a barrier wait for a timeslice each time:
        one step can cost a hundred of the fast count's)."""
        mine = st.samples[threads]
        others = [statistics.median(v) for t, v in st.samples.items() if t != threads and v]
        if not others or not mine or threads not in st.trial:
            return
        # The first trial drops a count after one step only when that step is hopeless (``give_up_at_once``
        # times the best: a barrier waiting for timeslices costs a hundred times), not for one slow step:
        # a step can wait once for a worker woken late (measured, quiet, the first 2-thread step of a run:
        # 29-115 ms against 12 ms at one thread and 8 ms at two afterwards; at 3x the tuner kept one
        # thread in 5 runs of 5, 82 tok/s against 130 at a fixed 2). The engine now also warms the
        # workers before its first timed step (Engine._warm).
        # A re-check already knows what the count in use costs under this load: one step far slower
        # than it is enough (measured: each 1-thread prefill step of a quiet debate's re-checks cost
        # 0.25 s more than at 2 threads, 6% of the debate with two steps per check).
        at_once = self.give_up if st.explorations > 1 else self.give_up_at_once
        if min(mine) > at_once * min(others) or \
                (len(mine) >= 2 and min(mine) > self.give_up * min(others)):
            st.trial = deque(t for t in st.trial if t != threads)

    def _decide(self, st: _KindState, now: float) -> None:
        medians = {t: statistics.median(v) for t, v in st.samples.items() if v}
        if not medians:
            return
        fastest = min(medians, key=lambda t: medians[t])
        current = medians.get(st.best)
        switched = False
        if current is None or medians[fastest] < current * (1 - self.margin):
            if fastest != st.best:
                st.decided = 0.0
                switched = True
            st.best = fastest
        st.baseline = medians[st.best]
        st.decided = min(st.decided, st.baseline) if st.decided else st.baseline
        # The same count won again: look again less often (a load that arrives shows as drift at once;
        # only a load that leaves waits for a check), up to ``confirmed_recheck_s``, or up to
        # ``max_recheck_s`` for a clear winner (every other count at least twice as slow).
        others = [m for t, m in medians.items() if t != st.best]
        clear = not others or min(others) > 2 * st.baseline
        if clear:
            st.recheck_s = min(st.recheck_s * 2, self.max_recheck_s)
        elif switched or st.explorations <= 1:
            st.recheck_s = self.recheck_s
        else:
            st.recheck_s = max(self.recheck_s, min(st.recheck_s * 2, self.confirmed_recheck_s))
        st.recent.clear()
        st.checked_at = now

    def summary(self) -> dict[str, int]:
        """The count in use per kind (for logs and benchmarks)."""
        return {k: st.best for k, st in self._kinds.items()}
