"""The council runtime: seats loaded into the engine, sessions run and recorded. No widgets; the app
hosts the decode loop on a QThreadPool, the CLI on a plain thread."""

from __future__ import annotations

import asyncio
import logging
import threading
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from concurrent.futures import Executor
from dataclasses import dataclass, field, replace
from typing import Any, Protocol, TypeVar

from ..core.backend import CouncilBackend
from ..core.events import Event, EventLog
from ..core.fork import ForkStart, fork_prefix, seat_change
from ..core.pipeline import Mode, Orchestrator, SessionOutcome, SessionPlan
from ..core.types import CancelToken, CouncilError, Member
from ..core.viewer import ViewerInbox
from ..llm.backend import EngineBackend
from ..llm.engine import Engine, WindowFirst
from ..llm.remote import RemoteBackend, RemoteClient, RemoteError, SeatStats
from ..llm.routing import RoutingBackend
from ..llm.seating import Seat, swapped_seat
from ..llm.secrets import KeyStoreError, load_key
from . import storage_thread
from .check_process import CheckProcess

log = logging.getLogger(__name__)
T = TypeVar("T")


class LoopHost(Protocol):
    """Something that runs ``engine.run`` on a thread of its own."""

    def start(self) -> Any: ...

    def stop(self, timeout: float = 5.0) -> bool: ...


class SessionStore(Protocol):
    """The part of storage the runtime needs (storage.Store implements it)."""

    def recorder(self, session_id: str) -> Any: ...

    def award_hook(self, session_id: str | None = None) -> Callable[[Sequence[Event]], Sequence[Any]]: ...

    def nudges_for(self, member_ids: Sequence[str]) -> dict[str, list[str]]: ...

    def traits_for(self, member_ids: Sequence[str]) -> dict[str, dict[str, float]]: ...

    def next_roles(self, member_ids: Sequence[str], skip: Sequence[str] = ()) -> tuple[int, int]: ...

    def advance_rotation(self) -> None: ...

    def update_personalities(self, session_id: str, events: Sequence[Event]) -> object: ...

    def sessions(self, search: str | None = None, limit: int = 50) -> Sequence[Any]: ...


@dataclass(frozen=True)
class SeatSwap:
    """A seat changed for a fork: ``seat`` sits in the member's place (the member id is kept) with the
    persona named ``persona`` and/or the model labelled ``model`` ("" where unchanged)."""

    seat: Seat
    persona: str = ""
    model: str = ""


def seats_with(seats: Sequence[Seat], swaps: Mapping[str, SeatSwap]) -> list[Seat]:
    """The council with each swapped seat's model in its member's place (what a fork that changes a
    model must have loaded); the member id, and so the seat order, is kept."""
    out: list[Seat] = []
    for seat in seats:
        swap = swaps.get(seat.member.id)
        out.append(seat if swap is None or not swap.model else
                   Seat(replace(swap.seat.member, id=seat.member.id), replace(swap.seat.spec, member_id=seat.member.id),
                        swap.seat.remote))
    return out


def swaps_for(seats: Sequence[Seat], asked: Mapping[str, Mapping[str, str]], settings: Mapping[str, Any],
              installed: Mapping[str, Any]) -> dict[str, SeatSwap]:
    """Seat changes asked for a fork ({member id: {"persona"?: id, "model"?: id}}) as swaps. ValueError
    (seating.SeatingError included), in one line, for a member not at the table, an unknown persona or
    an unknown or uninstalled model."""
    by_id = {s.member.id: s for s in seats}
    swaps: dict[str, SeatSwap] = {}
    for mid, want in asked.items():
        if mid not in by_id:
            raise ValueError(f"no seat {mid!r} at the table; the seats are: {', '.join(by_id)}")
        seat = swapped_seat(by_id[mid], want.get("persona"), want.get("model"), settings, installed)
        swaps[mid] = SeatSwap(seat, seat.member.name if want.get("persona") else "",
                              seat.member.model if want.get("model") else "")
    return swaps


@dataclass
class ForkRequest:
    """Re-run ``parent_id`` from ``stage`` (its stored events in ``parent_events``); None keeps the
    parent's chair or seed; ``temperatures`` overrides per member id; ``swaps`` changes seats (a changed
    model must be seated already: ``seats_with``)."""

    parent_id: str
    parent_events: Sequence[Event]
    stage: int
    chair: str | None = None
    seed: int | None = None
    temperatures: dict[str, float] = field(default_factory=dict)
    max_tokens: int = 160
    sinks: list[Callable[[Event], None]] = field(default_factory=list)
    viewer: ViewerInbox | None = None
    swaps: dict[str, SeatSwap] = field(default_factory=dict)


@dataclass
class RunRequest:
    mode: Mode
    topic: str | None = None
    seed: int | None = None
    max_tokens: int = 160
    previous: str = ""
    sinks: list[Callable[[Event], None]] = field(default_factory=list)
    viewer: ViewerInbox | None = None  # the viewer's ballots, when the window lets them judge


class CouncilRuntime:
    def __init__(self, seats: Sequence[Seat], store: SessionStore | None = None, seat_ctx: int = 2048,
                 host_factory: Callable[[Engine], LoopHost] | None = None,
                 engine_factory: Callable[[int], Engine] | None = None, token_frame_s: float = 0.0,
                 checks_in_process: bool = False) -> None:
        self.seats = list(seats)
        self.store = store
        self.seat_ctx = seat_ctx
        self._engine_factory = engine_factory or (lambda ctx: Engine(seat_ctx=ctx))
        self.window_gate: WindowFirst | None = None  # a window's (qt_session), handed to each engine made
        self.engine = self._new_engine()
        # Token deltas reach the sinks at most once per frame (the window: 1/60 s); 0 delivers each one
        # (the command line counts them).
        self.token_frame_s = token_frame_s
        self.load_errors: dict[str, str] = {}
        self._host_factory = host_factory
        self._host: LoopHost | None = None
        self.cancel_token: CancelToken | None = None  # the running session's, None between sessions
        self.backend: CouncilBackend | None = None
        self.remote_backend: RemoteBackend | None = None
        self._remote_stats: dict[str, SeatStats] = {}  # kept across sessions of this council
        self._local_stats: dict[str, SeatStats] = {}
        self._turn_started: dict[str, float] = {}
        self.save_error = ""
        self._closed = False  # shut down for good: a load still running must not start the loop again
        # The window's runtime checks answers in a process of its own (services/check_process.py): on a
        # thread, their regular expressions hold the GIL and with it the window.
        self._checks = CheckProcess() if checks_in_process else None

    @property
    def members(self) -> list[Member]:
        return [s.member for s in self.seats]

    @property
    def remote_seats(self) -> list[Seat]:
        return [s for s in self.seats if s.remote is not None]

    def remote_stats(self) -> dict[str, SeatStats]:
        """Latency (first token) and tokens/s of each remote seat's last answer."""
        return dict(self._remote_stats)

    def seat_stats(self) -> dict[str, SeatStats]:
        """Latency (turn start to first streamed token) and tokens/s of every seat's last spoken turn; the
        remote backend's own figures (request to first byte of text) for remote seats."""
        return {**self._local_stats, **{k: v for k, v in self._remote_stats.items() if v.tokens_per_s}}

    def _speed_sink(self, event: Event) -> None:
        d = event.data
        mid = str(d.get("member") or "")
        if event.kind == "turn_started":
            self._turn_started[mid] = event.t
        elif event.kind == "token" and mid in self._turn_started:
            self._local_stats.setdefault(mid, SeatStats()).latency_s = event.t - self._turn_started.pop(mid)
        elif event.kind in ("opinion", "rebuttal", "answer", "synthesis") and d.get("seconds"):
            self._local_stats.setdefault(mid, SeatStats()).tokens_per_s = float(d.get("tokens") or 0) / float(
                d["seconds"])

    def load(self, progress: Callable[[str, str], None] | None = None) -> dict[str, str]:
        """Load every seat's model, one file after another; the decode loop starts afterwards. Remote
        seats are checked instead: the server answers and lists the model (a seat that fails says why)."""
        errors = self.engine.load([s.spec for s in self.seats if s.remote is None], progress)
        errors.update(_check_remotes(self.remote_seats, progress))
        self.load_errors = errors
        if self._checks is not None and not self._closed:
            _ = self._checks.executor  # started and warmed while the council is seated
        if self._host is None and not self._closed:
            if self._host_factory is None:
                from ..llm.backend import EngineThread

                self._host = EngineThread(self.engine)
            else:
                self._host = self._host_factory(self.engine)
            self._host.start()
        return self.load_errors

    async def _recheck_remotes(self) -> None:
        """Ask again, off the loop's thread, the servers of remote seats that failed earlier: a server
        started after the council was seated takes part in the next session."""
        failed = [s for s in self.remote_seats if s.member.id in self.load_errors]
        if not failed:
            return
        loop = asyncio.get_running_loop()
        done: asyncio.Future[dict[str, str]] = loop.create_future()

        def settle(errors: dict[str, str]) -> None:
            if not done.done():
                done.set_result(errors)

        def work() -> None:
            errors = _check_remotes(failed, None)
            if not loop.is_closed():
                loop.call_soon_threadsafe(settle, errors)

        threading.Thread(target=work, name="council-remote-recheck", daemon=True).start()
        errors = await done
        for seat in failed:
            if seat.member.id in errors:
                self.load_errors[seat.member.id] = errors[seat.member.id]
            else:
                self.load_errors.pop(seat.member.id, None)

    def _new_engine(self) -> Engine:
        engine = self._engine_factory(self.seat_ctx)
        engine.window_gate = self.window_gate
        return engine

    def put_window_first(self, gate: WindowFirst | None) -> None:
        """The window's claim on the cores (``WindowFirst``), for this engine and every one made after."""
        self.window_gate = gate
        self.engine.window_gate = gate

    def reseat(self, seats: Sequence[Seat]) -> None:
        """Take a new council: the decode loop stops and frees the old models; the new seats load on the
        next ``load`` (call it between sessions, never while one runs)."""
        self._stop_host()
        self.seats = list(seats)
        self.engine = self._new_engine()
        self.load_errors = {}
        self._remote_stats = {}
        self._local_stats = {}

    def next_roles(self) -> tuple[str | None, str | None]:
        """Who proposes and who chairs the next session (member ids), or (None, None) without a store or
        when no seat is usable."""
        ids = [m.id for m in self.members]
        if self.store is None or not ids:
            return None, None
        try:
            proposer, chairman = self.store.next_roles(ids, skip=tuple(self.load_errors))
        except Exception as exc:  # no usable seat, or the rotation could not be read: nobody is shown
            log.info("no roles to preview: %s", exc)
            return None, None
        return ids[proposer], ids[chairman]

    async def run(self, req: RunRequest, cancel: CancelToken | None = None) -> tuple[str, SessionOutcome]:
        """Run one session. ``cancel`` is the session's token (made here when not given): ``stop`` and
        a Stop pressed before the call (while the models loaded) both cancel it, and nothing else."""
        return await self._in_session(cancel, lambda token: self._run(req, token))

    async def _in_session(self, cancel: CancelToken | None,
                          body: Callable[[CancelToken], Awaitable[T]]) -> T:
        """Run ``body`` as the session of ``cancel`` (a new token when None): ``stop`` reaches that token
        while it runs, and nothing after."""
        token = cancel or CancelToken()
        self.cancel_token = token
        try:
            return await body(token)
        finally:
            if self.cancel_token is token:
                self.cancel_token = None

    async def _run(self, req: RunRequest, token: CancelToken) -> tuple[str, SessionOutcome]:
        if self._host is None:
            self.load()
        else:
            await self._recheck_remotes()
        session_id = uuid.uuid4().hex
        ids = [m.id for m in self.members]
        proposer = chairman = 0
        nudges: dict[str, list[str]] = {}
        traits: dict[str, dict[str, float]] = {}
        finalize = None
        sinks = [*req.sinks, self._speed_sink]
        recent: list[str] = []
        recorder = None
        writer: storage_thread.RecorderThread | None = None
        if self.store is not None:
            # Reads and writes run on the storage thread: never SQLite on the thread of the window.
            proposer, chairman, nudges, traits, finalize, recent, recorder = await storage_thread.run(
                self._session_reads, self.store, ids, session_id)
            writer = storage_thread.RecorderThread(recorder, self._sink_failed)
            sinks.append(writer)  # after the views: the window shows an event even if saving it fails
        seed = req.seed if req.seed is not None else uuid.uuid4().int % 1_000_000
        plan = SessionPlan(req.mode, self.members, topic=req.topic, seed=seed, proposer=proposer,
                           chairman=chairman, max_tokens=req.max_tokens, nudges=nudges, traits=traits,
                           previous=req.previous, recent_topics=recent, unavailable=self.load_errors,
                           viewer=req.viewer)
        self.backend = self._backend(token)
        self.save_error = ""
        event_log = EventLog(sinks, on_sink_error=self._sink_failed)
        orchestrator = Orchestrator(plan, self.backend, event_log, token, finalize, self._check_executor())
        outcome = await orchestrator.run()
        if recorder is not None and writer is not None:
            await writer.drain()
            await storage_thread.run(self._finish_recording, recorder, session_id, outcome)
        return session_id, outcome

    async def fork(self, req: ForkRequest, cancel: CancelToken | None = None) -> tuple[str, SessionOutcome]:
        """Re-run a stored session from a stage boundary (issue 15): the new session copies the parent's
        events before that stage, then continues live with the changed chair, seed or temperatures. The
        parent's seats must all be at the table (same member ids). CouncilError for bad input. ``cancel``
        is the session's token, as for ``run``."""
        return await self._in_session(cancel, lambda token: self._fork(req, token))

    async def _fork(self, req: ForkRequest, token: CancelToken) -> tuple[str, SessionOutcome]:
        prefix = fork_prefix(req.parent_events, req.stage)
        roles = prefix[0].data
        seated = {m.id: m for m in self.members}
        order = [str(m["id"]) for m in roles.get("members") or []]
        missing = [m for m in order if m not in seated]
        if missing:
            names = {str(m["id"]): str(m.get("name") or m["id"]) for m in roles.get("members") or []}
            raise CouncilError("the parent's seats are not all at the table now ("
                               + ", ".join(names[m] for m in missing) + "): seat that council to fork it")
        changes: dict[str, Any] = {}
        parent_seats = {str(m["id"]): m for m in roles.get("members") or []}
        for mid, swap in req.swaps.items():
            if mid not in order:
                raise CouncilError(f"{mid!r} did not sit in that session; choose one of: {', '.join(order)}")
            if swap.model and seated[mid].model != swap.seat.member.model:
                raise CouncilError(f"{swap.model} is not seated in {mid}'s place: seat it before the fork")
            was = parent_seats[mid]
            # The seat keeps its name and colour (the copied events name it so); its voice or model is new.
            seated[mid] = replace(swap.seat.member, id=mid, name=str(was.get("name") or mid),
                                  color=str(was.get("color") or swap.seat.member.color))
            changes.setdefault("seats", {})[mid] = seat_change(
                swap.persona, swap.model, str(was.get("model") or ""), swap.seat.member.model_file)
        members = [replace(seated[m], temperature=req.temperatures[m]) if m in req.temperatures else seated[m]
                   for m in order]
        chairman = str(roles.get("chairman") or order[0])
        if req.chair is not None:
            if req.chair not in order:
                raise CouncilError(f"{req.chair!r} did not sit in that session; choose one of: {', '.join(order)}")
            chairman = req.chair
            changes["chairman"] = req.chair
        for mid, t in req.temperatures.items():
            if mid not in order:
                raise CouncilError(f"{mid!r} did not sit in that session")
            if not 0.0 <= t <= 2.0:
                raise CouncilError(f"a temperature is between 0 and 2, not {t}")
        if req.temperatures:
            changes["temperatures"] = dict(req.temperatures)
        seed = int(roles.get("seed") or 0)
        if req.seed is not None:
            seed = req.seed
            changes["seed"] = req.seed
        if self._host is None:
            self.load()
        session_id = uuid.uuid4().hex
        sinks = list(req.sinks)
        finalize = recorder = None
        ids = [m.id for m in members]
        traits: dict[str, dict[str, float]] = {}
        writer: storage_thread.RecorderThread | None = None
        if self.store is not None:
            traits, finalize, recorder = await storage_thread.run(self._fork_reads, self.store, ids, session_id)
            writer = storage_thread.RecorderThread(recorder, self._sink_failed)
            sinks.append(writer)
        topic = next((str(e.data.get("text") or "") for e in prefix if e.kind == "topic"), None)
        nudges = {str(k): [str(x) for x in v] for k, v in (roles.get("nudges") or {}).items()}
        proposer = order.index(str(roles.get("proposer"))) if roles.get("proposer") in order else 0
        plan = SessionPlan(str(roles.get("mode") or "debate"), members, topic=topic,  # type: ignore[arg-type]
                           seed=seed, proposer=proposer, chairman=order.index(chairman), max_tokens=req.max_tokens,
                           nudges=nudges, traits=traits, unavailable=self.load_errors,
                           fork=ForkStart(req.parent_id, req.stage, tuple(prefix), changes), viewer=req.viewer)
        self.backend = self._backend(token)
        self.save_error = ""
        event_log = EventLog(sinks, on_sink_error=self._sink_failed)
        outcome = await Orchestrator(plan, self.backend, event_log, token, finalize, self._check_executor()).run()
        if recorder is not None and writer is not None:
            await writer.drain()
            await storage_thread.run(self._finish_recording, recorder, session_id, outcome, False)
        return session_id, outcome


    def _check_executor(self) -> Executor | None:
        return self._checks.executor if self._checks is not None else None

    def _backend(self, token: CancelToken) -> CouncilBackend:
        """The engine for local seats; with remote seats, a router that sends theirs to their servers."""
        local = EngineBackend(self.engine, cancel=token, frame_s=self.token_frame_s)
        remote = {s.member.id: s.remote for s in self.seats if s.remote is not None}
        if not remote:
            self.remote_backend = None
            return local
        self.remote_backend = RemoteBackend(remote, stats=self._remote_stats)
        return RoutingBackend(local, self.remote_backend, remote)

    async def judge(self, question: str, answers: Sequence[str], seed: int | None = None) -> list[dict[str, Any]]:
        """The council's peer review of given answers (``council-desktop judge``): one ballot per seated
        member. With a store, the members' personality nudges shape their judging as in a debate;
        nothing is recorded."""
        if self._host is None:
            self.load()
        ids = [m.id for m in self.members]
        nudges = await storage_thread.run(self.store.nudges_for, ids) if self.store is not None else {}
        plan = SessionPlan("debate", self.members, topic=question, seed=seed if seed is not None else 0,
                           nudges=nudges, unavailable=self.load_errors)

        async def judge(token: CancelToken) -> list[dict[str, Any]]:
            self.backend = self._backend(token)
            orchestrator = Orchestrator(plan, self.backend, EventLog([]), token, checks=self._check_executor())
            for mid, why in self.load_errors.items():
                orchestrator.failed[mid] = why
            return await orchestrator.judge_answers(question, answers)

        return await self._in_session(None, judge)

    def _session_reads(self, store: SessionStore, ids: list[str], session_id: str) -> tuple[Any, ...]:
        proposer, chairman = store.next_roles(ids, skip=tuple(self.load_errors))
        recent = [s.topic for s in store.sessions(limit=5) if getattr(s, "topic", None)]
        return (proposer, chairman, store.nudges_for(ids), store.traits_for(ids), store.award_hook(session_id),
                recent, store.recorder(session_id))

    @staticmethod
    def _fork_reads(store: SessionStore, ids: list[str], session_id: str) -> tuple[Any, ...]:
        return store.traits_for(ids), store.award_hook(session_id), store.recorder(session_id)

    def _sink_failed(self, event: Event, exc: Exception) -> None:
        # Storage trouble (disk full, database locked) keeps the debate going; the recorder queues what
        # it could not write and the outcome reports it.
        log.warning("a sink failed on %s #%d: %s", event.kind, event.seq, exc)
        if not self.save_error:
            self.save_error = str(exc)

    def _finish_recording(self, recorder: Any, session_id: str, outcome: SessionOutcome,
                          advance: bool = True) -> None:
        assert self.store is not None
        try:
            if getattr(recorder, "pending", 0):
                recorder.flush()
            if outcome.status == "finished":
                if advance:  # a fork re-runs an old session: it takes nobody's turn
                    self.store.advance_rotation()
                self.store.update_personalities(session_id, outcome.events)
        except Exception as exc:  # StorageError: the message is for the user
            log.warning("could not finish saving session %s: %s", session_id, exc)
            self.save_error = str(exc)
        finally:
            recorder.close()
        if self.save_error:
            outcome.reason = (outcome.reason + "; " if outcome.reason else "") + \
                f"the session could not be saved completely: {self.save_error}"

    def stop(self) -> None:
        """Stop the session in progress (between tokens); between sessions it does nothing."""
        token = self.cancel_token
        if token is not None:
            token.cancel()
            self.engine.wake()
        if self.remote_backend is not None:  # remote streams close at once
            self.remote_backend.cancel()

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Stop generation and the decode loop for good (the app is closing); True when it ended within
        ``timeout``."""
        self._closed = True
        if self._checks is not None:
            self._checks.close()
        return self._stop_host(timeout)

    def _stop_host(self, timeout: float = 2.0) -> bool:
        if self.cancel_token is not None:
            self.cancel_token.cancel()
        if self.remote_backend is not None:
            self.remote_backend.cancel()
        if self._host is None:
            return True
        ok = self._host.stop(timeout)
        self._host = None
        return ok


def _check_remotes(seats: Sequence[Seat], progress: Callable[[str, str], None] | None) -> dict[str, str]:
    """Each remote seat's server answers and lists its model; {member id: why not} for those that fail."""
    errors: dict[str, str] = {}
    checked: dict[str, str] = {}  # remote id -> "" (fine) or the reason
    for seat in seats:
        assert seat.remote is not None
        if progress:
            progress(seat.member.id, "loading")
        if seat.remote.id not in checked:
            try:
                seconds, _ = RemoteClient(seat.remote, load_key(seat.remote)).check()
                checked[seat.remote.id] = ""
                log.info("remote %s: %s serves %s (%.0f ms)", seat.remote.id, seat.remote.server,
                         seat.remote.model, seconds * 1000)
            except (RemoteError, KeyStoreError) as exc:
                checked[seat.remote.id] = str(exc)
                log.warning("remote seat %s: %s", seat.remote.id, exc)
        if checked[seat.remote.id]:
            errors[seat.member.id] = checked[seat.remote.id]
        if progress:
            progress(seat.member.id, "failed" if checked[seat.remote.id] else "ready")
    return errors
