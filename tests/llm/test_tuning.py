"""The thread tuner against a simulated machine whose step cost per thread count the test controls."""

from __future__ import annotations

from collections import Counter

from council_desktop.llm.tuning import ThreadTuner


class Machine:
    """Step seconds per thread count; the clock advances by each step's time."""

    def __init__(self, cost: dict[int, float]) -> None:
        self.cost = dict(cost)
        self.now = 0.0

    def clock(self) -> float:
        return self.now

    def run(self, tuner: ThreadTuner, steps: int, kind: str = "gen", tokens: int = 1) -> Counter[int]:
        used: Counter[int] = Counter()
        for _ in range(steps):
            t = tuner.choose(kind)
            used[t] += 1
            took = self.cost[t] * tokens
            tuner.record(kind, t, took, tokens)
            self.now += took
        return used


def test_quiet_machine_keeps_every_core() -> None:
    m = Machine({1: 0.020, 2: 0.012})
    tuner = ThreadTuner(2, clock=m.clock)
    m.run(tuner, 40)
    assert tuner.best("gen") == 2


def test_one_busy_core_moves_to_one_thread_and_spends_little_on_the_slow_count() -> None:
    m = Machine({1: 0.020, 2: 0.060})  # a hog shares a core: the 2-thread barrier waits for it
    tuner = ThreadTuner(2, clock=m.clock)
    used = m.run(tuner, 200)
    assert tuner.best("gen") == 1
    assert used[2] <= 0.1 * sum(used.values())


def test_a_load_that_arrives_mid_run_is_noticed_and_one_that_leaves_too() -> None:
    m = Machine({1: 0.020, 2: 0.012})
    tuner = ThreadTuner(2, clock=m.clock)
    m.run(tuner, 50)
    assert tuner.best("gen") == 2
    m.cost = {1: 0.021, 2: 0.060}  # a compile starts
    m.run(tuner, 60)
    assert tuner.best("gen") == 1
    m.cost = {1: 0.020, 2: 0.012}  # it ends: 1 thread is no slower, so only the re-check finds 2 again
    m.run(tuner, 800)  # > recheck_s of steps
    assert tuner.best("gen") == 2


def test_kinds_are_tuned_apart() -> None:
    m = Machine({1: 0.010, 2: 0.030})
    tuner = ThreadTuner(2, clock=m.clock)
    m.run(tuner, 40, kind="gen")
    m.cost = {1: 0.004, 2: 0.002}
    m.run(tuner, 40, kind="fill", tokens=64)
    assert tuner.best("gen") == 1 and tuner.best("fill") == 2


def test_a_small_difference_does_not_make_it_switch() -> None:
    m = Machine({1: 0.0195, 2: 0.020})  # 2.5 % apart: within the margin, keep the count in use
    tuner = ThreadTuner(2, clock=m.clock)
    m.run(tuner, 40)
    assert tuner.best("gen") == 2


def test_fixed_count_never_explores() -> None:
    m = Machine({1: 0.001, 2: 1.0, 4: 1.0})
    tuner = ThreadTuner(4, clock=m.clock, fixed=2)
    used = m.run(tuner, 20)
    assert used == Counter({2: 20})


def test_an_oversubscribed_machine_costs_one_slow_step_per_check_and_checks_grow_rarer() -> None:
    m = Machine({1: 0.020, 2: 2.0})  # every barrier waits for a timeslice: one step costs a hundred
    tuner = ThreadTuner(2, clock=m.clock)
    used = m.run(tuner, 6000)  # two minutes of steps at one thread
    assert tuner.best("gen") == 1
    # Checks at about 0, 12, 36, 84 s (the interval doubles while one thread wins clearly).
    assert used[2] <= 5
    assert used[2] * 2.0 < 0.1 * m.now


def test_a_noisy_load_does_not_send_it_back_to_a_hopeless_count() -> None:
    """The load swings (a step at one thread costs 20 ms, then 50, then 20…): a slower spell can only
    be helped by fewer threads, so with one thread in use it tries nothing until the periodic check."""
    m = Machine({1: 0.020, 2: 2.0})
    tuner = ThreadTuner(2, clock=m.clock)
    used: Counter[int] = Counter()
    for i in range(60):
        m.cost[1] = 0.050 if i % 2 else 0.020
        used += m.run(tuner, 100)
    assert tuner.best("gen") == 1
    # Only the periodic checks (12, 36, 84, 144, 204, 264 s: the interval doubles to 60 s), one step each.
    assert used[2] <= 7, used


def test_a_quiet_machine_rechecks_the_slower_count_with_one_step_and_ever_more_rarely() -> None:
    """Prefill on a quiet 2-core machine: one thread is 1.7x slower, not twice (no "clear" winner).
    The first trial gives it two steps; a re-check, which knows what two threads cost now, gives up
    after one, and re-checks that keep confirming two threads come ever more rarely (up to 24 s)."""
    m = Machine({1: 0.0045, 2: 0.0026})
    tuner = ThreadTuner(2, clock=m.clock)
    used = m.run(tuner, 300, kind="fill", tokens=128)  # about 100 s of prefill
    assert tuner.best("fill") == 2
    # 2 steps at first, then one per check at about 6, 18, 42, 66, 90 s; before: two every 6 s (34).
    assert used[1] <= 8, used


def test_the_first_trial_on_a_busy_machine_costs_one_hopeless_step() -> None:
    """Beside a hog, a 2-thread step waits at every barrier for a timeslice (measured: 2.4-3.8 s a step
    against 18 ms per token at one thread). The first trial starts with the fewest threads, so the first
    2-thread step is compared at once and is the only one."""
    m = Machine({1: 0.018, 2: 2.4})
    tuner = ThreadTuner(2, clock=m.clock)
    used = m.run(tuner, 50)
    assert tuner.best("gen") == 1
    assert used[2] == 1, used


def test_one_slow_step_does_not_rule_out_a_count_that_is_faster() -> None:
    """The first 2-thread step can wait for its second worker (another process on that core, a worker
    woken late): one step 3x slower than a 1-thread step, every later one 1.5x faster. The median
    decides, so two threads are kept; a single slow step used to drop them for the whole trial."""
    now = [0.0]
    tuner = ThreadTuner(2, clock=lambda: now[0])
    first_two = [True]
    for _ in range(200):
        t = tuner.choose("gen")
        took = 0.011 if t == 1 else (0.035 if first_two[0] else 0.0075)
        if t == 2:
            first_two[0] = False
        tuner.record("gen", t, took, 1)
        now[0] += took
    assert tuner.best("gen") == 2


def test_a_count_twice_as_slow_in_two_steps_is_dropped_before_its_trial_ends() -> None:
    """A hog on one of two cores: every 2-thread step about 2.3x a 1-thread one (measured: 38 against
    87 tok/s). Not hopeless, so not dropped at once, but two such steps end its trial."""
    m = Machine({1: 0.0115, 2: 0.026})
    tuner = ThreadTuner(2, clock=m.clock)
    used = m.run(tuner, 50)
    assert tuner.best("gen") == 1
    assert used[2] == 2, used


def test_a_step_that_measures_a_count_is_announced_before_it_runs() -> None:
    """The engine asks ``trial_next`` before it builds a prefill step and makes a measuring step small, so
    the answer must say exactly which steps the tuner will read as a trial."""
    m = Machine({1: 0.020, 2: 0.012})
    tuner = ThreadTuner(2, clock=m.clock)
    announced = []
    for _ in range(3000):
        ahead = tuner.trial_next("fill")
        t = tuner.choose("fill")
        measured = tuner.exploring("fill")  # the step about to run is one of the trial's
        assert ahead == measured
        announced.append(ahead)
        tuner.record("fill", t, m.cost[t] * 32, 32)
        m.now += m.cost[t] * 32
    assert announced[0]  # a kind never seen starts with a trial
    assert tuner.best("fill") == 2
    first_done = announced.index(False)
    assert 2 <= first_done <= 8  # the first trial: a few steps at each count, then full steps
    assert any(announced[first_done:])  # a re-check later is announced too
    assert not ThreadTuner(2, fixed=2).trial_next("fill")  # a fixed count measures nothing
    assert not ThreadTuner(1).trial_next("fill")  # nor does a single candidate
