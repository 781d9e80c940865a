"""The council runtime: seats loaded into the engine, sessions run and recorded. No widgets; the app
hosts the decode loop on a QThreadPool, the CLI on a plain thread."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from ..core.events import Event, EventLog
from ..core.pipeline import Mode, Orchestrator, SessionOutcome, SessionPlan
from ..core.types import CancelToken, Member
from ..llm.backend import EngineBackend
from ..llm.engine import Engine
from ..llm.seating import Seat
from . import storage_thread

log = logging.getLogger(__name__)


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


@dataclass
class RunRequest:
    mode: Mode
    topic: str | None = None
    seed: int | None = None
    max_tokens: int = 160
    previous: str = ""
    sinks: list[Callable[[Event], None]] = field(default_factory=list)


class CouncilRuntime:
    def __init__(self, seats: Sequence[Seat], store: SessionStore | None = None, seat_ctx: int = 2048,
                 host_factory: Callable[[Engine], LoopHost] | None = None,
                 engine_factory: Callable[[int], Engine] | None = None, token_frame_s: float = 0.0) -> None:
        self.seats = list(seats)
        self.store = store
        self.seat_ctx = seat_ctx
        self._engine_factory = engine_factory or (lambda ctx: Engine(seat_ctx=ctx))
        self.engine = self._engine_factory(seat_ctx)
        # Token deltas reach the sinks at most once per frame (the window: 1/60 s); 0 delivers each one
        # (the command line counts them).
        self.token_frame_s = token_frame_s
        self.load_errors: dict[str, str] = {}
        self._host_factory = host_factory
        self._host: LoopHost | None = None
        self.cancel_token: CancelToken | None = None  # the running session's, None between sessions
        self.backend: EngineBackend | None = None
        self.save_error = ""
        self._closed = False  # shut down for good: a load still running must not start the loop again

    @property
    def members(self) -> list[Member]:
        return [s.member for s in self.seats]

    def load(self, progress: Callable[[str, str], None] | None = None) -> dict[str, str]:
        """Load every seat's model, one file after another; the decode loop starts afterwards."""
        self.load_errors = self.engine.load([s.spec for s in self.seats], progress)
        if self._host is None and not self._closed:
            if self._host_factory is None:
                from ..llm.backend import EngineThread

                self._host = EngineThread(self.engine)
            else:
                self._host = self._host_factory(self.engine)
            self._host.start()
        return self.load_errors

    def reseat(self, seats: Sequence[Seat]) -> None:
        """Take a new council: the decode loop stops and frees the old models; the new seats load on the
        next ``load`` (call it between sessions, never while one runs)."""
        self._stop_host()
        self.seats = list(seats)
        self.engine = self._engine_factory(self.seat_ctx)
        self.load_errors = {}

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
        token = cancel or CancelToken()
        self.cancel_token = token
        try:
            return await self._run(req, token)
        finally:
            if self.cancel_token is token:
                self.cancel_token = None

    async def _run(self, req: RunRequest, token: CancelToken) -> tuple[str, SessionOutcome]:
        if self._host is None:
            self.load()
        session_id = uuid.uuid4().hex
        ids = [m.id for m in self.members]
        proposer = chairman = 0
        nudges: dict[str, list[str]] = {}
        traits: dict[str, dict[str, float]] = {}
        finalize = None
        sinks = list(req.sinks)
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
                           previous=req.previous, recent_topics=recent, unavailable=self.load_errors)
        self.backend = EngineBackend(self.engine, cancel=token, frame_s=self.token_frame_s)
        self.save_error = ""
        event_log = EventLog(sinks, on_sink_error=self._sink_failed)
        orchestrator = Orchestrator(plan, self.backend, event_log, token, finalize)
        outcome = await orchestrator.run()
        if recorder is not None and writer is not None:
            await writer.drain()
            await storage_thread.run(self._finish_recording, recorder, session_id, outcome)
        return session_id, outcome

    def _session_reads(self, store: SessionStore, ids: list[str], session_id: str) -> tuple[Any, ...]:
        proposer, chairman = store.next_roles(ids, skip=tuple(self.load_errors))
        recent = [s.topic for s in store.sessions(limit=5) if getattr(s, "topic", None)]
        return (proposer, chairman, store.nudges_for(ids), store.traits_for(ids), store.award_hook(session_id),
                recent, store.recorder(session_id))

    def _sink_failed(self, event: Event, exc: Exception) -> None:
        # Storage trouble (disk full, database locked) keeps the debate going; the recorder queues what
        # it could not write and the outcome reports it.
        log.warning("a sink failed on %s #%d: %s", event.kind, event.seq, exc)
        if not self.save_error:
            self.save_error = str(exc)

    def _finish_recording(self, recorder: Any, session_id: str, outcome: SessionOutcome) -> None:
        assert self.store is not None
        try:
            if getattr(recorder, "pending", 0):
                recorder.flush()
            if outcome.status == "finished":
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

    def shutdown(self, timeout: float = 2.0) -> bool:
        """Stop generation and the decode loop for good (the app is closing); True when it ended within
        ``timeout``."""
        self._closed = True
        return self._stop_host(timeout)

    def _stop_host(self, timeout: float = 2.0) -> bool:
        if self.cancel_token is not None:
            self.cancel_token.cancel()
        if self._host is None:
            return True
        ok = self._host.stop(timeout)
        self._host = None
        return ok
