"""The installation check behind ``--self-test``: model, grammar, database, export and offscreen renders.

Every packaged build ends by running this inside the frozen app (docs/ARCHITECTURE.md, "Traps already found"),
so each check goes through the code paths most likely to break when freezing: llama.cpp's shared libraries,
the bundled starter GGUF, the grammar converter, SQLite, the export templates, Qt's fonts and image plugins.
All of it happens in a throw-away data dir: the user's history, settings and models are never read or written.
"""

from __future__ import annotations

import json
import logging
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TextIO

from PySide6.QtWidgets import QApplication

from . import APP_NAME, __version__
from .config import ENV_HOME
from .core.events import Event, EventLog
from .core.types import Completion, GenerationParams, Message

log = logging.getLogger(__name__)

GENERATION_TIMEOUT_S = 120.0  # a wedged decode loop fails the check instead of hanging the build
MODEL_TOKENS = 8
RENDER_SIZE = (960, 720)
MIN_CHANGED_PIXELS = 0.02  # share of the arena that must change once members are seated and speaking
SESSION_ID = "self-test-session"
TOPIC = "Should every town have a public library?"
MEMBERS = (
    {"id": "ada", "name": "Ada", "persona": "A careful empiricist.", "color": "#7aa2f7"},
    {"id": "basil", "name": "Basil", "persona": "A pragmatic engineer.", "color": "#bb9af7"},
    {"id": "cleo", "name": "Cleo", "persona": "A contrarian.", "color": "#ff9e64"},
)
OPINIONS = {
    "ada": "Yes. Libraries lend books, teach reading and give everyone a quiet place to study.",
    "basil": "Yes, if the town shares the cost with its neighbours and keeps long opening hours.",
    "cleo": "Not always: a mobile library serves a small village better than an empty building.",
}
JUDGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"score": {"type": "integer", "enum": list(range(1, 11))}},
    "required": ["score"],
}


class CheckFailedError(Exception):
    """A check found the installation broken; the message says why, for the user."""


@dataclass(frozen=True)
class CheckResult:
    name: str
    ok: bool
    detail: str
    seconds: float


class SelfTest:
    """Runs the checks in order, each timed and independent where it can be; ``run`` prints one line per
    check and returns the exit code."""

    def __init__(self, app: QApplication, home: Path, model_path: Path | None, out: TextIO) -> None:
        self.app = app
        self.home = home
        self.model_path = model_path
        self.out = out
        self.engine: Any = None  # the loaded Engine, shared by the model and grammar checks
        self.events: list[Event] = []  # the sample session, as read back from the database
        self.results: list[CheckResult] = []

    def run(self) -> int:
        started = time.monotonic()
        age = process_age_s()
        frozen = "frozen" if getattr(sys, "frozen", False) else "source"
        from PySide6 import __version__ as pyside_version

        self._say(f"{APP_NAME} {__version__} self-test ({frozen}; Python {sys.version.split()[0]}; "
                  f"PySide6 {pyside_version}; Qt platform {self.app.platformName()})")
        # How long the app took to get here: the bootloader, Python, the imports, QApplication and theme.
        # Not a check; the packaging script reports it as the frozen start-up time.
        self._say("ok start-up: " + (f"QApplication ready {age:.2f} s after the process started" if age is not None
                                     else "process start time unknown on this platform"))
        checks: Sequence[tuple[str, Callable[[], str]]] = (
            ("model", self.check_model),
            ("grammar", self.check_grammar),
            ("database", self.check_database),
            ("export", self.check_export),
            ("arena", self.check_arena),
            ("window", self.check_window),
            ("checks", self.check_checks),
        )
        try:
            for name, check in checks:
                self._run_check(name, check)
        finally:
            self._stop_engine()
        total = time.monotonic() - started
        failed = [r for r in self.results if not r.ok]
        if failed:
            reasons = "; ".join(f"{r.name}: {r.detail}" for r in failed)
            self._say(f"self-test FAILED ({len(failed)} of {len(self.results)} checks) in {total:.1f} s: {reasons}")
            return 1
        self._say(f"self-test passed: {len(self.results)} checks in {total:.1f} s")
        return 0

    def _run_check(self, name: str, check: Callable[[], str]) -> None:
        t0 = time.monotonic()
        try:
            detail, ok = check(), True
        except CheckFailedError as exc:
            detail, ok = str(exc), False
        except Exception as exc:  # anything unexpected is a failed check, never a crashed self-test
            log.exception("self-test check %s failed", name)
            detail, ok = f"{type(exc).__name__}: {exc}", False
        result = CheckResult(name, ok, detail, time.monotonic() - t0)
        self.results.append(result)
        self._say(f"{'ok' if ok else 'FAILED'} {name}: {detail}")

    def _say(self, line: str) -> None:
        log.info("self-test: %s", line)
        try:
            self.out.write(line + "\n")
            self.out.flush()
        except (OSError, ValueError, AttributeError):  # no usable stdout: the log has the line
            pass

    # -- model and grammar -------------------------------------------------------------------------

    def check_model(self) -> str:
        from .llm.backend import EngineThread
        from .llm.catalogue import STARTER, StarterModelMissingError, starter_model_path
        from .llm.engine import Engine, SeatSpec

        try:
            path = self.model_path or starter_model_path()
        except StarterModelMissingError as exc:
            raise CheckFailedError(str(exc)) from None
        if not path.is_file():
            raise CheckFailedError(f"the starter model is missing: {path} does not exist")
        t0 = time.monotonic()
        engine = Engine(seat_ctx=512)
        errors = engine.load([SeatSpec("self-test", path, STARTER.chat_format)])
        if errors:
            raise CheckFailedError(f"could not load {path.name}: {errors['self-test']}")
        load_s = time.monotonic() - t0
        host = EngineThread(engine).start()
        self.engine = (engine, host)
        messages = (Message("system", "You are a helpful assistant."),
                    Message("user", "Count from one to twenty in words."))
        done = self._generate(messages, GenerationParams(max_tokens=MODEL_TOKENS, temperature=0.0))
        if done.tokens < 1 or not done.text.strip():
            raise CheckFailedError(f"{path.name} loaded but generated no text")
        return (f"{done.tokens} tokens in {done.seconds:.2f} s ({done.tokens / max(done.seconds, 1e-6):.0f} tok/s; "
                f"loaded {path.name} in {load_s:.2f} s)")

    def check_checks(self) -> str:
        """The judges' validity checks in their worker process (services/check_process.py): in the frozen
        app the worker is this executable started again, which must run the checks, not a window."""
        from .core.pipeline import findings_in_pool
        from .services.check_process import CheckProcess

        answers = {"a": "Yes, because a library lends books for free.", "b": "I don't know."}
        checks = CheckProcess()
        try:
            pool = checks.executor
            if pool is None:
                raise CheckFailedError("no worker process could be started")
            t0 = time.monotonic()
            pid = pool.submit(os.getpid).result(GENERATION_TIMEOUT_S)
            found = pool.submit(findings_in_pool, TOPIC, answers).result(GENERATION_TIMEOUT_S)
        finally:
            checks.close()
        if pid == os.getpid() or set(found) != {"b"}:
            raise CheckFailedError(f"the worker process found {sorted(found)} (expected ['b'])")
        return f"worker process {pid} started and checked two answers in {time.monotonic() - t0:.2f} s"

    def check_grammar(self) -> str:
        if self.engine is None:
            raise CheckFailedError("skipped: no model loaded")
        messages = (Message("system", "You are a judge. Reply with JSON only."),
                    Message("user", 'Score this answer from 1 to 10: "Paris is the capital of France."'))
        done = self._generate(messages, GenerationParams(max_tokens=24, temperature=0.0, json_schema=JUDGE_SCHEMA))
        try:
            ballot = json.loads(done.text)
        except ValueError:
            raise CheckFailedError(f"grammar-constrained reply is not JSON: {done.text[:80]!r}") from None
        if not isinstance(ballot, dict) or ballot.get("score") not in range(1, 11):
            raise CheckFailedError(f"grammar-constrained reply does not follow the schema: {done.text[:80]!r}")
        return f"JSON ballot {json.dumps(ballot)} in {done.tokens} tokens, {done.seconds:.2f} s"

    def _generate(self, messages: Sequence[Message], params: GenerationParams) -> Completion:
        from .llm.engine import Job

        engine, _host = self.engine
        finished = threading.Event()
        outcome: list[Completion | BaseException] = []

        def on_done(result: Completion | BaseException) -> None:
            outcome.append(result)
            finished.set()

        job = Job("self-test", messages, params, on_done=on_done)
        engine.submit([job])
        if not finished.wait(GENERATION_TIMEOUT_S):
            job.cancel.cancel()
            raise CheckFailedError(f"no reply within {GENERATION_TIMEOUT_S:.0f} s")
        result = outcome[0]
        if isinstance(result, BaseException):
            raise CheckFailedError(f"generation failed: {result}")
        return result

    def _stop_engine(self) -> None:
        if self.engine is None:
            return
        _engine, host = self.engine
        self.engine = None
        if not host.stop(10.0):
            log.warning("self-test: the decode loop did not stop within 10 s")

    # -- database and export -----------------------------------------------------------------------

    def check_database(self) -> str:
        from .storage import Store

        path = self.home / "self-test.sqlite3"
        written = sample_session()
        t0 = time.monotonic()
        with Store.open(path) as store:
            record = store.recorder(SESSION_ID)
            for event in written:
                record(event)
        # A fresh connection reads what the first one committed.
        with Store.open(path) as store:
            read = store.load_events(SESSION_ID)
            sessions = store.sessions()
        seconds = time.monotonic() - t0
        stored = [e for e in written if e.kind != "token"]
        if [(e.seq, e.kind, e.data) for e in read] != [(e.seq, e.kind, e.data) for e in stored]:
            raise CheckFailedError(f"read back {len(read)} events that differ from the {len(stored)} written")
        row = next((s for s in sessions if s.id == SESSION_ID), None)
        if row is None or row.topic != TOPIC or row.status != "finished":
            raise CheckFailedError(f"the session row was not stored as written: {row}")
        self.events = read
        return f"wrote and read back {len(read)} events in {seconds:.2f} s (SQLite {_sqlite_version()})"

    def check_export(self) -> str:
        from .core.transcript import build_transcript
        from .export import export_transcript

        events = self.events or [e for e in sample_session() if e.kind != "token"]
        transcript = build_transcript(events, SESSION_ID)
        sizes = []
        for ext in (".html", ".md", ".json"):
            path = export_transcript(transcript, self.home / f"transcript{ext}")
            text = path.read_text(encoding="utf-8")
            if "public library" not in text:
                raise CheckFailedError(f"the {ext} transcript does not contain the topic")
            sizes.append(f"{ext[1:]} {len(text) / 1024:.1f} KB")
        if json.loads((self.home / "transcript.json").read_text(encoding="utf-8")).get("format") is None:
            raise CheckFailedError("the JSON transcript has no format field")
        return ", ".join(sizes)

    # -- renders ---------------------------------------------------------------------------------------

    def check_arena(self) -> str:
        from PySide6.QtCore import QRectF
        from PySide6.QtGui import QImage, QPainter

        from .ui.arena import ArenaScene

        events = self.events or [e for e in sample_session() if e.kind != "token"]

        def render(applied: Sequence[Event]) -> QImage:
            scene = ArenaScene()
            try:
                scene.set_reduced_motion(True)
                for event in applied:
                    scene.apply(event)
                scene.finish_animations()
                if applied and scene.member_ids() != [m["id"] for m in MEMBERS]:
                    raise CheckFailedError(f"the arena seated {scene.member_ids()} instead of the 3 members")
                image = QImage(*RENDER_SIZE, QImage.Format.Format_ARGB32)
                image.fill(0)
                painter = QPainter(image)
                try:
                    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
                    scene.render(painter, QRectF(image.rect()), scene.sceneRect())
                finally:
                    painter.end()
                return image
            finally:
                scene.reset()
                scene.clear()
                scene.deleteLater()

        empty = render([])
        full = render(events)
        colours = _distinct_colours(full)
        changed = _changed_share(empty, full)
        if colours < 16:
            raise CheckFailedError(f"the render is blank ({colours} colours)")
        if changed < MIN_CHANGED_PIXELS:
            raise CheckFailedError(f"the seated members and their speech did not show ({changed:.1%} of pixels "
                                   "changed)")
        return f"{RENDER_SIZE[0]}x{RENDER_SIZE[1]} render, {colours} colours, {changed:.0%} drawn by the events"

    def check_window(self) -> str:
        from PySide6.QtGui import QImage

        from .ui.screenshot import render_stage_png

        events = self.events or [e for e in sample_session() if e.kind != "token"]
        path = render_stage_png(events, 1, self.home / "window.png", (1200, 800))
        image = QImage(str(path))
        if image.isNull():
            raise CheckFailedError(f"the window screenshot {path.name} could not be read back")
        colours = _distinct_colours(image)
        if colours < 16:
            raise CheckFailedError(f"the window render is blank ({colours} colours)")
        return f"main window {image.width()}x{image.height()} PNG, {colours} colours"


def sample_session() -> list[Event]:
    """A short finished debate (roles, topic, three opinions with their token deltas), as the
    orchestrator would emit it."""
    events: list[Event] = []
    log_ = EventLog(sinks=[events.append])
    members = [{**m, "model": "SmolLM2-135M-Instruct.Q4_1.gguf", "status": "ok"} for m in MEMBERS]
    log_.emit("roles", mode="debate", seed=1, members=members, proposer="ada", chairman="basil", nudges={})
    log_.emit("stage", index=0, name="topic")
    log_.emit("turn_started", member="ada", kind="topic", stage=0)
    log_.emit("topic", member="ada", text=TOPIC, tokens=9, seconds=0.2)
    log_.emit("stage", index=1, name="opinions")
    for mid, text in OPINIONS.items():
        log_.emit("turn_started", member=mid, kind="opinion", stage=1)
        for word in text.split(" ")[:3]:
            log_.emit("token", member=mid, kind="opinion", text=word + " ")
        log_.emit("opinion", member=mid, text=text, tokens=len(text.split()), seconds=0.5)
    log_.emit("complete", status="finished", reason="", members_ok=3, members_total=3)
    return events


def process_age_s() -> float | None:
    """Seconds since this process started (Linux: /proc), or None where that cannot be read."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            stat = fh.read()
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
        start_ticks = int(stat[stat.rindex(")") + 2:].split()[19])  # field 22, starttime
        return max(0.0, uptime - start_ticks / os.sysconf("SC_CLK_TCK"))
    except (OSError, ValueError, IndexError, AttributeError):
        return None


def _sqlite_version() -> str:
    import sqlite3

    return sqlite3.sqlite_version


def _pixels(image: Any) -> memoryview:
    from PySide6.QtGui import QImage

    converted = image.convertToFormat(QImage.Format.Format_ARGB32)
    return memoryview(bytes(converted.constBits())).cast("I")


def _distinct_colours(image: Any) -> int:
    return len(set(_pixels(image)))


def _changed_share(a: Any, b: Any) -> float:
    pa, pb = _pixels(a), _pixels(b)
    if len(pa) != len(pb) or not pa:
        return 1.0
    return sum(1 for x, y in zip(pa, pb, strict=True) if x != y) / len(pa)


@contextmanager
def _throwaway_home() -> Iterator[Path]:
    """A temporary data dir for the length of the self-test, so nothing of the user's is touched."""
    previous = os.environ.get(ENV_HOME)
    with tempfile.TemporaryDirectory(prefix="council-self-test-", ignore_cleanup_errors=True) as tmp:
        os.environ[ENV_HOME] = tmp
        try:
            yield Path(tmp)
        finally:
            if previous is None:
                os.environ.pop(ENV_HOME, None)
            else:
                os.environ[ENV_HOME] = previous


def run_self_test(app: QApplication, *, model_path: Path | None = None, out: TextIO | None = None) -> int:
    """Check the installation; print one line per check to ``out`` (stdout); 0 if every check passed,
    1 otherwise (the last line names each failed check and why). ``model_path`` replaces the bundled
    starter model (tests use it to break the model check)."""
    stream = out if out is not None else sys.stdout
    with _throwaway_home() as home:
        return SelfTest(app, home, model_path, stream).run()
