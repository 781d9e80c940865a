"""Qt glue for a council session: the decode loop on a QThreadPool, the orchestrator on the qasync
loop, and every core event re-emitted as a Qt signal on the GUI thread."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

from ..core.events import Event
from ..core.pipeline import SessionOutcome, summarize_exchange
from ..core.types import CancelToken
from ..core.viewer import ViewerBallot, ViewerBallotError, ViewerInbox
from ..llm.engine import Engine, WindowFirst
from ..llm.seating import Seat
from .runtime import CouncilRuntime, ForkRequest, RunRequest, seats_with

log = logging.getLogger(__name__)



class QtLoopHost:
    """Runs the engine's decode loop as one long QRunnable on a pool of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self.pool.setObjectName("council-decode")

    def start(self) -> QtLoopHost:
        self.pool.start(QRunnable.create(self.engine.run))
        return self

    def stop(self, timeout: float = 2.0) -> bool:
        self.engine.stop()
        return bool(self.pool.waitForDone(int(timeout * 1000)))


class PacedEvents:
    """Hands a session's events to the window in order, a slice of the event loop at a time. At a stage
    change the pipeline emits a burst (roles, scores, badges, the next turns…) and every event's views
    run on the GUI thread: delivered inside the pipeline's own step, a burst held the window for
    40-60 ms. Here the events wait for the next pass of the event loop (``call_soon``), and a pass
    delivers them until it has used ``budget_s``; the rest go on in the pass after, so input, timers and
    painting run in between. ``flush`` delivers whatever is left at once (the session is over: its last
    views come before the "finished" signal).

    With a ``gate`` (``WindowFirst``), any event but a token holds the decode loop before its next step,
    and the gate is released ``release_after_s`` after the last such event is delivered: time for the
    repaint that follows it. Tokens stream beside the decode, as they must."""

    LIGHT = frozenset({"token"})

    def __init__(self, deliver: Callable[[Event], None], budget_s: float = 0.008,
                 gate: WindowFirst | None = None, release_after_s: float = 0.025) -> None:
        self._deliver = deliver
        self._budget = budget_s
        self._pending: deque[Event] = deque()
        self._scheduled = False
        self._gate = gate
        self._release_after = release_after_s
        self._holds = 0  # a release scheduled for an earlier burst leaves a later one held

    def __call__(self, event: Event) -> None:
        self._pending.append(event)
        if self._gate is not None and event.kind not in self.LIGHT:
            self._holds += 1
            self._gate.hold()
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_event_loop().call_soon(self._drain)

    def _drain(self) -> None:
        self._scheduled = False
        start = time.perf_counter()
        while self._pending:
            self._deliver(self._pending.popleft())
            if self._pending and time.perf_counter() - start > self._budget:
                self._scheduled = True
                asyncio.get_event_loop().call_soon(self._drain)
                return
        if self._gate is not None and self._gate.held:
            holds = self._holds
            asyncio.get_event_loop().call_later(self._release_after, self._release, holds)

    def _release(self, holds: int) -> None:
        if self._gate is not None and holds == self._holds:
            self._gate.release()

    def flush(self) -> None:
        while self._pending:
            self._deliver(self._pending.popleft())
        if self._gate is not None:
            self._gate.release()

    @property
    def pending(self) -> int:
        return len(self._pending)


class CouncilSession(QObject):
    """Signals: ``seat_state_changed(str member, str state)`` while loading (loading, ready, failed),
    ``seats_loaded(dict errors)``, ``council_changed(object Event)`` — a ``roles`` preview of the council
    as it sits between sessions (statuses from loading, the next proposer and chairman) —,
    ``event_emitted(object Event)`` for every core event, ``session_finished(str id, str status, str reason)``,
    ``viewer_ballot_refused(str reason)`` when the viewer's ballot could not be taken."""

    seat_state_changed = Signal(str, str)
    seats_loaded = Signal(dict)
    council_changed = Signal(object)
    event_emitted = Signal(object)
    session_finished = Signal(str, str, str)
    viewer_ballot_refused = Signal(str)

    def __init__(self, runtime: CouncilRuntime, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.runtime = runtime
        self._task: asyncio.Task[Any] | None = None
        self._cancel: CancelToken | None = None  # the running session's, made when it is asked for
        self._stopped: asyncio.Event | None = None  # set by Stop: a session waiting for its seats ends
        self._loaded = False
        self._loading = False
        self._ready: asyncio.Future[None] | None = None
        self._previous = ""  # the last ask exchange, for follow-up questions
        self._seat_states: dict[str, str] = {}
        self._seat_errors: dict[str, str] = {}  # why a seat could not load, from the last load
        self._pending_seats: list[Seat] | None = None  # a new council chosen while busy
        # The window's claim on the cores: the decode waits while a burst of events is shown (WindowFirst).
        # ``runtime.put_window_first(None)`` turns it off (benchmarks compare both).
        runtime.put_window_first(WindowFirst())
        self._events = PacedEvents(self.event_emitted.emit)  # the running session's, made per session
        self.max_tokens = 160
        self.viewer = ViewerInbox()  # the viewer's ballots for the running stage (issue 15)
        self.seat_state_changed.connect(self._on_seat_state_changed)
        self.seats_loaded.connect(self._mark_loaded)

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def load(self) -> dict[str, str]:
        """Load the seats on this thread (tests, the CLI); the window uses ``start_loading``."""
        self._loading = True
        errors = self.runtime.load(lambda m, s: self.seat_state_changed.emit(m, s))
        self.seats_loaded.emit(dict(errors))
        return errors

    def start_loading(self) -> None:
        """Load the seats' models on a worker thread: the window stays responsive while five champion
        files (several seconds) are read. A session requested meanwhile starts once they are in."""
        if self._loaded or self._loading:
            return
        self._loading = True

        def work() -> None:
            try:
                errors = self.runtime.load(lambda m, s: self.seat_state_changed.emit(m, s))
            except Exception as exc:  # the window reports it; the app keeps running
                log.exception("loading the council failed")
                errors = {m.id: str(exc) for m in self.runtime.members}
            self.seats_loaded.emit(dict(errors))  # queued to the GUI thread

        QThreadPool.globalInstance().start(QRunnable.create(work))

    def _mark_loaded(self, errors: dict[str, str]) -> None:
        self._loaded = True
        self._loading = False
        self._seat_errors = dict(errors)
        for member in self.runtime.members:
            self._seat_states[member.id] = "failed" if member.id in errors else "ready"
        if self._ready is not None and not self._ready.done():
            self._ready.set_result(None)
        if self._pending_seats is not None and not self.running:
            self.reseat(self._pending_seats)
        elif not self.running:
            self.council_changed.emit(self.council_preview())

    def _on_seat_state_changed(self, member_id: str, state: str) -> None:
        self._seat_states[member_id] = state
        if not self.running:
            self.council_changed.emit(self.council_preview())

    def council_preview(self) -> Event:
        """The seated council as a ``roles`` event (sequence 0, never stored): each member's loading state
        and why a seat failed, and who proposes and chairs next."""
        errors = {**self.runtime.engine.errors, **self.runtime.load_errors, **self._seat_errors}
        status = {"loading": "loading", "failed": "failed", "unloaded": "unloaded"}
        members = [m.payload(status.get(self._seat_states.get(m.id, "loading"), "ok"), errors.get(m.id, ""))
                   for m in self.runtime.members]
        speeds = self.runtime.seat_stats()
        for member in members:  # time to the first token and tokens/s of each seat's last turn
            stats = speeds.get(str(member["id"]))
            if stats is not None and stats.tokens_per_s:
                member["speed"] = (f"{stats.latency_s:.2f} s to first token, " if stats.latency_s else "") + \
                    f"{stats.tokens_per_s:.1f} tok/s"
        proposer, chairman = self.runtime.next_roles() if self._loaded else (None, None)
        return Event(0, "roles", 0.0, datetime.now(UTC).isoformat(timespec="milliseconds"),
                     {"mode": "debate", "seed": None, "members": members, "proposer": proposer,
                      "chairman": chairman, "nudges": {}, "preview": True})

    def unload(self) -> bool:
        """Free the council's models between sessions; they load again on ``start_loading`` or when the
        next session is asked for. False (nothing done) while a session runs or models load."""
        if self.running or self._loading:
            return False
        self._take_seats(self.runtime.seats, "unloaded")
        return True

    def reseat(self, seats: Sequence[Seat]) -> bool:
        """Seat a new council (from Settings). Between sessions the old models are freed and the new ones
        load at once; while a session runs or models load, the change waits for it. True when applied now."""
        if self.running or self._loading:
            self._pending_seats = list(seats)
            return False
        self._pending_seats = None
        self._take_seats(seats, "loading")
        self.start_loading()
        return True

    def _take_seats(self, seats: Sequence[Seat], state: str) -> None:
        """Free the loaded models and seat ``seats``, each shown in ``state`` until loaded."""
        self.runtime.reseat(seats)
        self._loaded = False
        self._seat_errors = {}
        self._seat_states = {m.id: state for m in self.runtime.members}
        self.council_changed.emit(self.council_preview())

    def convene(self, topic: str = "", seed: int | None = None) -> None:
        self._start(RunRequest("debate", topic.strip() or None, seed, self.max_tokens, viewer=self.viewer))

    def ask(self, question: str, seed: int | None = None) -> None:
        self._start(RunRequest("ask", question.strip(), seed, self.max_tokens, previous=self._previous,
                               viewer=self.viewer))

    # -- issue 15: the viewer as a judge, forks ----------------------------------------------------

    @Slot(object)
    def cast_viewer_ballot(self, ballot: ViewerBallot) -> None:
        """Hand the viewer's ballot to the running stage; ``viewer_ballot_refused(reason)`` when it cannot
        be taken (the stage closed meanwhile, a score out of range). The event follows when the stage ends."""
        try:
            self.viewer.submit(ballot)
        except ViewerBallotError as exc:
            self.viewer_ballot_refused.emit(str(exc))

    @Slot(bool)
    def set_viewer_counts(self, on: bool) -> None:
        """Whether the viewer's scores enter the aggregate (from the next stage that closes)."""
        self.viewer.count_in_aggregate = bool(on)

    def fork(self, req: ForkRequest) -> None:
        """Re-run a stored session from a stage (Replay ▸ Re-run from here); events arrive as for any
        session, Stop reaches it as any session, and ``session_finished`` reports the new id, or why the
        fork could not start."""
        req.viewer = self.viewer
        req.max_tokens = self.max_tokens
        if any(swap.model for swap in req.swaps.values()) and not self.running:
            if self._loading:
                self.session_finished.emit("", "failed", "the council's models are still loading: "
                                                         "re-run with another model once they are in")
                return
            # A changed model: seat it for the fork (the session waits for it to load); the council the
            # user chose takes its seats again when the fork ends.
            council = list(self._pending_seats or self.runtime.seats)
            self._take_seats(seats_with(self.runtime.seats, req.swaps), "loading")
            self._launch(req.sinks, lambda cancel: self.runtime.fork(req, cancel))
            self._pending_seats = council
            return
        self._launch(req.sinks, lambda cancel: self.runtime.fork(req, cancel))

    def _start(self, req: RunRequest) -> None:
        def remember(outcome: SessionOutcome) -> None:
            if req.mode == "ask" and outcome.status == "finished":
                answer = next((e.data["text"] for e in reversed(outcome.events) if e.kind == "synthesis"), "")
                self._previous = summarize_exchange(req.topic or "", answer)

        self._launch(req.sinks, lambda cancel: self.runtime.run(req, cancel), remember)

    def _launch(self, sinks: list[Any], call: Callable[[CancelToken], Awaitable[tuple[str, SessionOutcome]]],
                after: Callable[[SessionOutcome], None] | None = None) -> None:
        if self.running:
            raise RuntimeError("a session is already running")
        self._events = PacedEvents(self.event_emitted.emit, gate=self.runtime.window_gate)
        sinks.append(self._events)
        loop = asyncio.get_event_loop()
        # One token per session, from the moment it is asked for: a Stop while the seats load, while its
        # jobs queue or while they decode all reach it, and it dies with the session.
        self._cancel = CancelToken()
        self._stopped = asyncio.Event()
        if not self._loaded:
            self._ready = loop.create_future()
            self.start_loading()  # no-op while already loading; the session starts once the seats are in
        self._task = loop.create_task(self._run(call, after, self._cancel, self._stopped))

    async def _run(self, call: Callable[[CancelToken], Awaitable[tuple[str, SessionOutcome]]],
                   after: Callable[[SessionOutcome], None] | None, cancel: CancelToken,
                   stopped: asyncio.Event) -> None:
        session_id = ""
        try:
            if self._ready is not None and not self._ready.done():
                waiter: asyncio.Future[Any] = asyncio.ensure_future(stopped.wait())
                ready: asyncio.Future[Any] = self._ready
                await asyncio.wait([ready, waiter], return_when=asyncio.FIRST_COMPLETED)
                waiter.cancel()
            if cancel.cancelled:
                self.session_finished.emit("", "cancelled", "stopped before the council was seated")
                return
            session_id, outcome = await call(cancel)
            if after is not None:
                after(outcome)
            self._events.flush()
            self.session_finished.emit(session_id, outcome.status, outcome.reason)
        except Exception as exc:  # storage or engine trouble, a fork that cannot start: the window says why
            log.exception("session failed")
            self._events.flush()
            self.session_finished.emit(session_id, "failed", str(exc))
        finally:
            self._task = None
            self._cancel = self._stopped = None
            if self._pending_seats is not None:
                self.reseat(self._pending_seats)

    def new_conversation(self) -> None:
        self._previous = ""

    def stop(self) -> None:
        """Stop the running session (also while it waits for the seats to load); when no session is
        running this does nothing, so the next one starts clean."""
        if self._cancel is None:
            return
        self._cancel.cancel()
        if self._stopped is not None:
            self._stopped.set()
        self.runtime.stop()

    def shutdown(self, timeout: float = 2.0) -> bool:
        if self._task is not None and not self._task.done():
            self.runtime.stop()
            self._task.cancel()
        return self.runtime.shutdown(timeout)

    def members(self) -> Sequence[Any]:
        return self.runtime.members
