"""The headless front end: `council-desktop debate|ask|history|leaderboard|audit|fork|export|models|screenshot`."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from types import SimpleNamespace
from typing import Any, TextIO

from . import APP_NAME, __version__, config
from .core import events as ev
from .core.ballots import LABELS
from .core.events import ASK_STAGES, DEBATE_STAGES, Event
from .core.fork import describe_changes
from .core.text import fmt_bytes, one_line, visible_controls
from .core.transcript import build_transcript


class TerminalProgress:
    """Live progress on stderr: stage, who speaks, tokens/s and a bar per stage."""

    BAR = 20

    def __init__(self, stream: TextIO = sys.stderr, live: bool | None = None) -> None:
        self.out = stream
        self.live = stream.isatty() if live is None else live
        self.names: dict[str, str] = {}
        self.mode = "debate"
        self.stage = -1
        self.expected = 0
        self.done = 0
        self.speaking: set[str] = set()
        self.tokens = 0
        self.t0 = time.monotonic()
        self.active = 0
        self._line = ""
        self._drawn_at = 0.0

    def __call__(self, event: Event) -> None:
        self._handle(event)
        if event.kind in ("opinion", "rebuttal", "answer", "review", "ranking", "alliance", "topic"):
            self._status(force=True)

    def _handle(self, event: Event) -> None:
        handler = getattr(self, f"on_event_{event.kind}", None)
        if handler is not None:
            handler(event.data)

    def on_event_roles(self, d: ev.RolesData) -> None:
        self.mode = d.get("mode", "debate")
        self.names = {str(m.get("id")): str(m.get("name")) for m in d.get("members") or []}
        self.active = len(self.names)
        self._print(f"{APP_NAME}: {self.mode} with {len(self.names)} members "
                    f"({', '.join(self.names.values())}), seed {d.get('seed')}")

    def on_event_stage(self, d: ev.StageData) -> None:
        self.stage = index = d["index"]
        self.done = 0
        self.tokens = 0
        self.t0 = time.monotonic()
        self.expected = {1: self.active, 2: self.active, 3: 2, 4: self.active}.get(index, 1)
        if self.mode == "ask":
            self.expected = {0: 1, 1: self.active, 2: self.active, 3: 1}[index]
        names = DEBATE_STAGES if self.mode == "debate" else ASK_STAGES
        self._print(f"\n== stage {index}: {names[index]}")

    def on_event_turn_started(self, d: ev.TurnStartedData) -> None:
        self.speaking.add(d.get("member", ""))
        self._status()

    def on_event_token(self, d: ev.TokenData) -> None:
        self.tokens += 1
        self._status()

    def _turn(self, d: ev.TurnData) -> None:
        self.speaking.discard(d.get("member") or "")
        self.done += 1
        who = self.names.get(d.get("member") or "", "you")
        text = " ".join(d.get("text", "").split())
        self._print(f"  {who}: {text[:300]}{'…' if len(text) > 300 else ''}")

    def on_event_topic(self, d: ev.TopicData) -> None:
        self._turn(d)

    def on_event_opinion(self, d: ev.OpinionData) -> None:
        self._turn(d)

    def on_event_rebuttal(self, d: ev.RebuttalData) -> None:
        self._turn(d)

    def on_event_answer(self, d: ev.AnswerData) -> None:
        self._turn(d)

    def on_event_synthesis(self, d: ev.SynthesisData) -> None:
        self._turn(d)

    def _ballot(self, reviewer: str, what: str, result: str) -> None:
        self.speaking.discard(reviewer)
        self.done += 1
        self._print(f"  {self.names.get(reviewer)} {what}: {result}")

    def on_event_review(self, d: ev.ReviewData) -> None:
        scores = ", ".join(f"{self.names.get(s.get('target', ''), s.get('target'))} {s.get('score')}"
                           for s in d.get("scores") or []) \
            if d.get("valid") else f"invalid ballot ({d.get('reason', '')[:80]})"
        self._ballot(d.get("reviewer", ""), "scores", scores)

    def on_event_ranking(self, d: ev.RankingData) -> None:
        order = " > ".join(self.names.get(m, m) for m in d.get("order") or []) if d.get("valid") else "invalid ranking"
        self._ballot(d.get("reviewer", ""), "ranks", order)

    def on_event_alliance(self, d: ev.AllianceData) -> None:
        self.speaking.discard(d.get("member", ""))
        self.done += 1
        agree = ", ".join(self.names.get(m, m) for m in d.get("agree") or []) or "nobody"
        disagree = ", ".join(self.names.get(m, m) for m in d.get("disagree") or []) or "nobody"
        self._print(f"  {self.names.get(d.get('member', ''))} agrees with {agree}; disagrees with {disagree}")

    def on_event_aggregate(self, d: ev.AggregateData) -> None:
        rows = []
        for r in d.get("rows") or []:
            mean, rank = r.get("mean_score"), r.get("average_rank")
            value = f"{mean:.1f}" if mean is not None else f"rank {rank}" if rank is not None else "–"
            rows.append(f"{self.names.get(r.get('member', ''), r.get('member'))} {value}")
        self._print("  tally: " + ", ".join(rows))

    def on_event_member_failed(self, d: ev.MemberFailedData) -> None:
        member = d.get("member", "")
        self.active = max(0, self.active - 1)
        self.speaking.discard(member)
        self._print(f"  ! {self.names.get(member, member)} dropped out: {d.get('reason')}")

    def on_event_chair_changed(self, d: ev.ChairChangedData) -> None:
        self._print(f"  ! {self.names.get(d.get('chairman', ''))} takes the chair: {d.get('reason')}")

    def on_event_achievement(self, d: ev.AchievementData) -> None:
        member = d.get("member", "")
        self._print(f"  ★ {self.names.get(member, member)} earned {d.get('badge')}: {d.get('reason')}")

    def on_event_complete(self, d: ev.CompleteData) -> None:
        self._print(f"\n{d.get('status')}" + (f": {d['reason']}" if d.get("reason") else ""))

    def on_event_forked(self, d: ev.ForkedData) -> None:
        changed = "; ".join(describe_changes(d.get("changes") or {}, lambda m: self.names.get(m, m))) or "nothing"
        self._print(f"\n== fork of {d.get('parent')} from stage {d.get('stage')} (changed: {changed}); "
                    f"the events above are the parent's")

    def on_event_viewer_open(self, d: ev.ViewerOpenData) -> None:
        """The viewer judges in the window only; the terminal has nothing to show."""

    def on_event_viewer_skipped(self, d: ev.ViewerSkippedData) -> None:
        """The terminal never casts the viewer's ballot."""

    def on_event_viewer_ballot(self, d: ev.ViewerBallotData) -> None:
        self._print(f"  you ({d.get('kind')}): " + ", ".join(
            f"{self.names.get(r.get('target', ''), r.get('target'))} {r.get('score')}" for r in d.get("scores") or []))

    def _status(self, force: bool = False) -> None:
        if not self.live or self.stage < 0:
            return
        now = time.monotonic()
        if not force and now - self._drawn_at < 0.1:  # at most ten redraws a second
            return
        self._drawn_at = now
        frac = min(1.0, self.done / self.expected) if self.expected else 0.0
        filled = int(frac * self.BAR)
        rate = self.tokens / max(1e-6, time.monotonic() - self.t0)
        who = ", ".join(sorted(self.names.get(m, m) for m in self.speaking)) or "…"
        line = visible_controls(f"  [{'#' * filled}{'.' * (self.BAR - filled)}] {self.done}/{self.expected}  "
                                f"{who}  {rate:5.1f} tok/s", keep="")
        self.out.write("\r" + line[:120].ljust(len(self._line)))
        self.out.flush()
        self._line = line[:120]

    def _print(self, text: str) -> None:
        if self.live and self._line:
            self.out.write("\r" + " " * len(self._line) + "\r")
            self._line = ""
        # Topics, turns and reasons are untrusted: an escape sequence in them is shown, never obeyed.
        self.out.write(visible_controls(text, keep="\n") + "\n")
        self.out.flush()


def _open_store(args: argparse.Namespace) -> Any:
    from .storage import Store

    store = Store.open(Path(args.db) if args.db else config.db_path())
    store.mark_interrupted()
    return store


def _write_export(transcript: dict[str, Any], path: str) -> Path:
    from .export import export_transcript

    return export_transcript(transcript, path)


def _runtime(seats: Sequence[Any], store: Any, args: argparse.Namespace) -> Any:
    """The council's runtime for one command. ``--threads auto`` lets the decode thread count adapt to
    the machine's load; ``--threads N`` fixes it. The default is auto, except with ``--seed``: llama.cpp's
    numbers (and so a sampled transcript) differ slightly between thread counts, and the same seed must
    give the same transcript, so a seeded run keeps all physical cores unless told otherwise."""
    from .llm.engine import Engine
    from .services.runtime import CouncilRuntime

    threads = getattr(args, "threads", None) or ("auto" if getattr(args, "seed", None) is None else "fixed")
    if threads == "auto":
        return CouncilRuntime(seats, store, seat_ctx=args.ctx)
    count = None if threads == "fixed" else int(threads)
    return CouncilRuntime(seats, store, seat_ctx=args.ctx,
                          engine_factory=lambda ctx: Engine(seat_ctx=ctx, n_threads=count, adaptive=False))


def _threads(text: str) -> str:
    if text == "auto" or (text.isdigit() and 1 <= int(text) <= 256):
        return text
    raise argparse.ArgumentTypeError(f"expected auto or a thread count from 1 to 256, got {text!r}")


def _run_session(args: argparse.Namespace, mode: str, topic: str | None) -> int:
    from .llm.seating import council_from_ids, council_from_settings
    from .services.runtime import RunRequest

    installed = config.installed_models()
    settings = _settings()
    if args.seats:  # for this run only: Settings keep their council
        seats = council_from_ids(args.seats.split(","), settings, installed)
    else:
        seats = council_from_settings(settings, installed)
    store = None if args.no_db else _open_store(args)
    runtime = _runtime(seats, store, args)
    progress = TerminalProgress()

    def on_load(member: str, state: str) -> None:
        if state == "failed":
            progress._print(f"  ! could not load the seat of {member}: {runtime.engine.errors.get(member, '')}")

    files = len({s.spec.model_path for s in seats if s.remote is None})
    remotes = len({s.remote.id for s in seats if s.remote is not None})
    sys.stderr.write(f"loading {files} model file(s)" + (f" and checking {remotes} remote model(s)" if remotes else "")
                     + f" for {len(seats)} seats…\n")
    runtime.load(on_load)
    events: list[Event] = []
    loop = asyncio.new_event_loop()
    task = loop.create_task(runtime.run(RunRequest(mode, topic, args.seed, args.max_tokens,  # type: ignore[arg-type]
                                                   sinks=[progress, events.append])))
    loop.add_signal_handler(signal.SIGINT, runtime.stop)
    try:
        session_id, outcome = loop.run_until_complete(task)
    finally:
        runtime.shutdown()
        loop.close()
    if args.export:
        stored = [e for e in events if e.kind != "token"]
        path = _write_export(build_transcript(stored, session_id), args.export)
        sys.stderr.write(f"transcript written to {path}\n")
    if outcome.status != "finished":
        sys.stderr.write(f"{APP_NAME}: {outcome.status}: {outcome.reason}\n")
        return 1 if outcome.status == "failed" else 130
    sys.stderr.write(f"session {session_id} finished ({outcome.members_ok} of {outcome.members_total} members)\n")
    if runtime.save_error:  # the debate ran, but the history does not have all of it: not a success
        sys.stderr.write(f"{APP_NAME}: {outcome.reason}\n")
        return 1
    if outcome.reason:
        sys.stderr.write(f"note: {outcome.reason}\n")
    return 0


def cmd_debate(args: argparse.Namespace) -> int:
    return _run_session(args, "debate", args.topic)


def cmd_ask(args: argparse.Namespace) -> int:
    return _run_session(args, "ask", args.question)


def _read_answers(path: str) -> list[str]:
    """FILE.json: a JSON list of answer strings; anything else is a one-line error."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ValueError(f"cannot read {path}: {exc.strerror or exc}") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid JSON: {exc}") from None
    if not isinstance(data, list) or not all(isinstance(a, str) for a in data):
        raise ValueError(f"{path} must hold a JSON list of answer strings")
    if not data:
        raise ValueError(f"{path} holds no answers")
    if len(data) > len(LABELS):
        raise ValueError(f"{path}: give between 1 and {len(LABELS)} answers (got {len(data)})")
    return data


def cmd_judge(args: argparse.Namespace) -> int:
    """Peer review of given answers by the seated council; one JSON object on stdout."""
    from .llm.seating import council_from_settings

    if not args.question.strip():
        raise ValueError("--question is empty")
    answers = _read_answers(args.answers)
    store = None if args.no_db else _open_store(args)
    seats = council_from_settings(_settings(), config.installed_models())
    runtime = _runtime(seats, store, args)
    runtime.load()
    loop = asyncio.new_event_loop()
    try:
        got = loop.run_until_complete(runtime.judge(args.question, answers, args.seed))
    finally:
        runtime.shutdown()
        loop.close()
    n = len(answers)
    mean = []
    for i in range(n):
        vals = [b["scores"][i] for b in got if b["scores"][i] is not None]
        mean.append(round(sum(vals) / len(vals), 3) if vals else None)
    print(json.dumps({"ballots": got, "mean": mean}))
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    store = _open_store(args)
    rows = store.sessions(search=args.search, limit=args.limit)
    if not rows:
        print(f"no sessions match {one_line(args.search)!r}" if args.search else "no sessions yet")
        return 0
    for r in rows:  # one row a session, whatever the topic holds (newlines, escape sequences)
        print(f"{r.id[:8]}  {str(r.started_at)[:19]}  {r.mode:<6} {r.status:<11} {one_line(r.topic or '')[:70]}")
    return 0


def cmd_leaderboard(args: argparse.Namespace) -> int:
    store = _open_store(args)
    if args.by == "model":
        return _leaderboard_by_model(store)
    return _board(store.leaderboard(),
                  f"{'member':<22} {'mean':>5} {'sessions':>8} {'wins':>5} {'rebuttals':>9} {'badges':>6}",
                  lambda r, mean: f"{_plain(r.name)[:22]:<22} {mean:>5} {r.sessions:>8} {r.wins:>5} {r.rebuttals:>9} "
                                  f"{r.badges:>6}")


def _leaderboard_by_model(store: Any) -> int:
    return _board(store.leaderboard_by_model(),
                  f"{'model':<34} {'mean':>5} {'scores':>6} {'sessions':>8} {'seats':>5} {'wins':>5}  personas",
                  lambda r, mean: f"{_plain(r.name)[:34]:<34} {mean:>5} {r.scores:>6} {r.sessions:>8} {r.seats:>5} "
                                  f"{r.wins:>5}  " + ", ".join(_plain(p) for p in r.personas))


def _board(rows: Sequence[Any], header: str, line: Callable[[Any, str], str]) -> int:
    """A ranked table, best first, or 'no sessions yet'."""
    if not rows:
        print("no sessions yet")
        return 0
    print(f"{'#':>2}  {header}")
    for i, r in enumerate(rows, start=1):
        mean = f"{r.mean_score:.2f}" if r.mean_score is not None else "–"
        print(f"{i:>2}  {line(r, mean)}")
    return 0
    return 0


def _plain(text: str) -> str:
    """Stored text for the terminal: control characters (escape sequences) shown as '?'."""
    return "".join(c if c.isprintable() else "?" for c in str(text))


def cmd_audit(args: argparse.Namespace) -> int:
    import json

    store = _open_store(args)
    audit = store.audit()
    if args.json:
        print(json.dumps(audit.to_dict(), indent=2, ensure_ascii=True))
        return 0
    if not audit.ballots:
        print("no ballots yet: the audit needs finished sessions")
        return 0
    mean = f"{audit.mean:.2f}" if audit.mean is not None else "–"
    print(f"{audit.ballots} scores from {audit.sessions} finished sessions; mean score {mean}")
    print("\nLabel / position: " + "  ".join(f"{f.label} {f.mean:.2f} (n={f.ballots})" for f in audit.by_label))
    print(f"  {audit.label_note}")
    print(f"Length: {audit.length_note}")
    print(f"Self-preference: {audit.self_note}")
    print(f"Agreement: {audit.agreement_note}")
    print(f"\n{'judge':<22} {'scores':>6} {'mean':>5} {'lenient':>7} {'spread':>6} {'label gap':>9} {'len r':>6} "
          f"{'self':>5} {'agree':>6}  flags / note")

    def num(v: float | None, fmt: str) -> str:
        return "–" if v is None else format(v, fmt)

    for j in audit.judges:
        print(f"{_plain(j.name)[:22]:<22} {j.ballots:>6} {j.mean:>5.2f} {j.leniency:>+7.2f} {j.spread:>6.2f} "
              f"{num(j.label_gap, '.2f'):>9} {num(j.length_r, '+.2f'):>6} {num(j.self_preference, '+.1f'):>5} "
              f"{num(j.agreement, '+.2f'):>6}  {('FLAGGED ' + ','.join(j.flags) + ': ') if j.flags else ''}"
              f"{'; '.join(j.notes)}")
    return 0


def _one_session(store: Any, prefix: str) -> Any:
    """The one stored session whose id starts with ``prefix``, or None (having said why)."""
    matches = [s for s in store.sessions(search=None, limit=100000) if s.id.startswith(prefix)]
    if len(matches) != 1:
        print(f"{APP_NAME}: {'no' if not matches else 'more than one'} session matches {prefix!r}", file=sys.stderr)
        return None
    return matches[0]


def _fork_swaps(seats: Sequence[Any], personas: Sequence[str], models: Sequence[str], settings: Any,
                installed: Any) -> dict[str, Any]:
    """--persona MEMBER_ID=PERSONA and --model MEMBER_ID=MODEL_ID as the runtime's seat swaps; ValueError
    (one line) for a malformed item, a member not at the table, an unknown persona or model."""
    from .services.runtime import swaps_for

    asked: dict[str, dict[str, str]] = {}
    for flag, items in (("persona", personas), ("model", models)):
        for item in items:
            member, sep, value = item.partition("=")
            if not sep or not member.strip() or not value.strip():
                raise ValueError(f"--{flag} takes MEMBER_ID={'MODEL_ID' if flag == 'model' else 'PERSONA'}, "
                                 f"not {item!r}")
            asked.setdefault(member.strip(), {})[flag] = value.strip()
    try:
        return swaps_for(seats, asked, settings, installed)
    except ValueError as exc:
        raise ValueError(f"--persona/--model: {exc}") from exc


def cmd_fork(args: argparse.Namespace) -> int:
    from .llm.seating import council_from_settings
    from .services.runtime import ForkRequest, seats_with

    store = _open_store(args)
    parent = _one_session(store, args.session)
    if parent is None:
        return 2
    if parent.status == "running":
        print(f"{APP_NAME}: session {parent.id[:8]} is still running; fork it once it has ended", file=sys.stderr)
        return 2
    temperatures: dict[str, float] = {}
    for item in args.temperature or []:
        member, _, value = item.partition("=")
        try:
            temperatures[member] = float(value)
        except ValueError:
            print(f"{APP_NAME}: --temperature takes MEMBER_ID=T, not {item!r}", file=sys.stderr)
            return 2
    events = store.load_events(parent.id)
    settings, installed = _settings(), config.installed_models()
    seats = council_from_settings(settings, installed)
    try:
        swaps = _fork_swaps(seats, args.persona or [], args.model or [], settings, installed)
    except ValueError as exc:  # SeatingError included: one line for the user
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 2
    runtime = _runtime(seats_with(seats, swaps), store, args)
    progress = TerminalProgress()
    req = ForkRequest(parent.id, events, args.stage, chair=args.chair, seed=args.seed, temperatures=temperatures,
                      max_tokens=args.max_tokens, sinks=[progress], swaps=swaps)
    loop = asyncio.new_event_loop()
    try:
        task = loop.create_task(runtime.fork(req))
        loop.add_signal_handler(signal.SIGINT, runtime.stop)
        session_id, outcome = loop.run_until_complete(task)
    finally:
        runtime.shutdown()
        loop.close()
    print(session_id)
    if outcome.status != "finished":
        sys.stderr.write(f"{APP_NAME}: {outcome.status}: {outcome.reason}\n")
        return 1 if outcome.status == "failed" else 130
    sys.stderr.write(f"fork {session_id} of {parent.id} from stage {args.stage} finished\n")
    return 1 if runtime.save_error else 0


def cmd_export(args: argparse.Namespace) -> int:
    store = _open_store(args)
    session = _one_session(store, args.session)
    if session is None:
        return 2
    events = store.load_events(session.id)
    status = session.status if session.status != "running" else "interrupted"
    path = _write_export(build_transcript(events, session.id, status=status), args.path)
    print(path)
    return 0


def cmd_screenshot(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from .ui.screenshot import render_stage_png

    store = _open_store(args)
    matches = [s for s in store.sessions(search=None, limit=100000) if s.id.startswith(args.session)]
    if len(matches) != 1:
        print(f"{APP_NAME}: no single session matches {args.session!r}", file=sys.stderr)
        return 2
    events = store.load_events(matches[0].id)
    render_stage_png(events, args.stage, Path(args.out), (args.width, args.height))
    print(args.out)
    return 0


def cmd_models(args: argparse.Namespace) -> int:
    from . import downloads
    from .llm.catalogue import CHAMPIONS, CUSTOM_KEY, STARTER, custom_records, custom_specs, starter_model_path

    own = custom_specs(_settings())  # the user's hub and disk files, added in Settings

    def catalogue_spec(name: str) -> Any:
        for spec in (*CHAMPIONS, *own):
            if spec.id == name:
                return spec
        known = ", ".join(c.id for c in (*CHAMPIONS, *own))
        raise ValueError(f"unknown model {name!r}; known: {known}")

    models_dir = config.models_dir()
    registry = downloads.load_registry(models_dir)
    if args.action == "list":
        try:
            starter = f"bundled ({starter_model_path()})"
        except Exception as exc:
            starter = f"missing: {exc}"
        print(f"{STARTER.id:<22} {STARTER.name:<28} {fmt_bytes(STARTER.size_bytes):>9}  {starter}")
        for spec in CHAMPIONS:
            entry = registry.get(spec.id)
            part = downloads.install_path(spec, models_dir).with_name(
                downloads.install_path(spec, models_dir).name + ".part")
            state = (f"installed ({entry.path})" if entry and entry.path.is_file()
                     else f"partial ({fmt_bytes(part.stat().st_size)} downloaded)" if part.exists()
                     else "not installed")
            print(f"{spec.id:<22} {spec.name:<28} {fmt_bytes(spec.size_bytes):>9}  {spec.license:<12} {state}")
        for mid, entry in registry.items():
            if mid not in {c.id for c in CHAMPIONS}:
                print(f"{mid:<22} {entry.filename:<28} {fmt_bytes(entry.size):>9}  user-added ({entry.path})")
        return 0
    if args.action in ("download", "remove") and not args.name:
        print(f"{APP_NAME}: models {args.action} needs a model name (see `models list`)", file=sys.stderr)
        return 2
    if args.name == STARTER.id:  # listed by `models list`, but bundled: nothing to download or remove
        if args.action == "verify":
            result = downloads.verify_installed(starter_model_path(), STARTER)
            print(f"{STARTER.id}: {'ok' if result.ok else 'FAILED'} — {result.reason}")
            return 0 if result.ok else 1
        print(f"{APP_NAME}: {STARTER.id} is bundled with the app; there is nothing to {args.action}",
              file=sys.stderr)
        return 2
    if args.action == "download":
        spec = catalogue_spec(args.name)
        last = [0.0]

        def progress(p: Any) -> None:
            now = time.monotonic()
            if now - last[0] < 0.2 and p.done != p.total:
                return
            last[0] = now
            eta = f"{p.eta_s:.0f} s left" if p.eta_s is not None else ""
            pct = f"{100 * p.done / p.total:5.1f}%" if p.total else "     "
            sys.stderr.write(f"\r  {spec.name}: {pct} {fmt_bytes(p.done)} of {fmt_bytes(p.total)}"
                             f"  {fmt_bytes(p.speed_bps)}/s  {eta}   ")
            sys.stderr.flush()

        path = downloads.download(spec, models_dir, progress=progress)
        sys.stderr.write("\n")
        print(f"installed and verified: {path}")
        return 0
    if args.action == "verify":
        failed = 0
        targets = [args.name] if args.name else list(registry)
        for mid in targets:
            entry = registry.get(mid)
            if entry is None:
                print(f"{mid}: not installed")
                failed += 1
                continue
            try:
                target = catalogue_spec(mid)
            except ValueError:  # registered without a settings record: check it against what was recorded
                target = SimpleNamespace(id=mid, size_bytes=0, sha256=None, filename=entry.filename)
            result = downloads.verify_installed(entry.path, target, models_dir=models_dir)
            print(f"{mid}: {'ok' if result.ok else 'FAILED'} — {result.reason}")
            failed += 0 if result.ok else 1
        if not targets:
            print("no downloaded models to verify (the bundled starter model needs none)")
        return 1 if failed else 0
    spec = catalogue_spec(args.name)
    removed = downloads.remove(spec, models_dir)
    if spec in own:  # forget the user's own model in Settings too, as its Remove button does
        settings = config.load_settings()
        settings[CUSTOM_KEY] = [r for r in custom_records(settings) if r.get("id") != spec.id]
        config.save_settings(settings)
        removed = True
    print(f"removed {args.name}" if removed else f"{args.name} was not installed")
    return 0


def cmd_remote(args: argparse.Namespace) -> int:
    from .llm import secrets
    from .llm.catalogue import CHAMPIONS, STARTER, custom_specs
    from .llm.remote import REMOTE_KEY, RemoteClient, RemoteError, make_spec, remote_specs

    settings = _settings()
    specs = remote_specs(settings)
    if args.action == "list":
        if not specs:
            print("no remote models (add one: council-desktop remote add ID --url URL --model NAME)")
            return 0
        for spec in specs:
            key = (f"key from ${spec.api_key_env}" if spec.api_key_env
                   else "key in keyring" if secrets.has_stored_key(spec.id) else "no key")
            tls = "" if spec.verify_tls or not spec.base_url.startswith("https") else "  TLS NOT VERIFIED"
            print(f"{spec.id:<16} {spec.model:<32} {spec.base_url:<36} {key}{tls}")
        return 0
    if not args.id:
        print(f"{APP_NAME}: remote {args.action} needs an ID", file=sys.stderr)
        return 2
    if args.action == "add":
        if not args.url or not args.model:
            print(f"{APP_NAME}: remote add needs --url URL and --model NAME", file=sys.stderr)
            return 2
        if args.id in {m.id for m in (*CHAMPIONS, STARTER, *custom_specs(settings))}:
            print(f"{APP_NAME}: {args.id!r} is already a model id; choose another", file=sys.stderr)
            return 2
        spec = make_spec(args.id, args.url, args.model, name=args.name or "", api_key_env=args.api_key_env or "",
                         connect_timeout=args.connect_timeout, read_timeout=args.timeout,
                         verify_tls=not args.insecure)
        if args.api_key_stdin:  # never from argv: it would show in `ps` and the shell's history
            key = sys.stdin.readline().strip()
            secrets.store_key(spec.id, key)
        records = [r for r in settings.get(REMOTE_KEY, []) if isinstance(r, dict) and r.get("id") != spec.id]
        settings[REMOTE_KEY] = [*records, spec.record()]
        config.save_settings(settings)
        print(f"added remote {spec.id}: {spec.model} at {spec.base_url}")
        if not args.no_check:
            try:
                secs, _ = RemoteClient(spec, secrets.load_key(spec)).check()
                print(f"  the server answered in {secs * 1000:.0f} ms and serves {spec.model}")
            except (RemoteError, secrets.KeyStoreError) as exc:
                print(f"  warning: {exc}", file=sys.stderr)
        return 0
    spec_or_none = next((s for s in specs if s.id == args.id.removeprefix("remote:")), None)
    if spec_or_none is None:
        known = ", ".join(s.id for s in specs) or "none"
        print(f"{APP_NAME}: no remote model {args.id!r} (known: {known})", file=sys.stderr)
        return 2
    spec = spec_or_none
    if args.action == "test":
        client = RemoteClient(spec, secrets.load_key(spec))
        health = client.health()
        secs, models = client.check()
        print(f"{spec.id}: {spec.server} health {health}; /models answered in {secs * 1000:.0f} ms "
              f"and lists {len(models)} model(s), including {spec.model}")
        return 0
    settings[REMOTE_KEY] = [r for r in settings.get(REMOTE_KEY, []) if isinstance(r, dict) and r.get("id") != spec.id]
    settings["seats"] = [e for e in settings.get("seats") or []
                         if isinstance(e, dict) and e.get("model") != spec.model_id]
    config.save_settings(settings)
    secrets.delete_key(spec.id)
    print(f"removed remote {spec.id}")
    return 0


def cmd_gui(args: argparse.Namespace) -> int:
    from .app import main as app_main

    return app_main(["--db", args.db] if args.db else [])


def _warn(message: str) -> None:
    print(f"{APP_NAME}: {message}", file=sys.stderr)


def _settings() -> dict[str, Any]:
    return config.load_settings(report=_warn)


def _silence_stdout() -> None:
    """Point stdout at devnull, so the interpreter's final flush into the closed pipe raises nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # stdout replaced (tests) or already closed
        pass


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="council-desktop", description=f"{APP_NAME}: five tiny models debate.")
    p.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    p.add_argument("--db", help="the SQLite database (default: in the user data dir)")
    sub = p.add_subparsers(dest="command")

    def session_args(sp: argparse.ArgumentParser) -> None:
        sp.add_argument("--seed", type=int, default=None, help="same seed, same models: same transcript")
        sp.add_argument("--max-tokens", type=int, default=160, help="length of each member's turn")
        sp.add_argument("--export", metavar="PATH", help="write the transcript (.json, .md or .html)")
        sp.add_argument("--ctx", type=int, default=2048, help="context tokens per seat")
        sp.add_argument("--threads", type=_threads, default=None, metavar="auto|N",
                        help="decode threads: auto adapts to the machine's load (the default without --seed), "
                             "N fixes the count (with --seed: all physical cores, so the transcript repeats)")
        sp.add_argument("--no-db", action="store_true", help="do not store the session")
        sp.add_argument("--seats", metavar="ID,ID,ID,ID,ID",
                        help="five model ids (catalogue, hub, local or remote), seated with the default personas "
                             "in order, for this run only")

    d = sub.add_parser("debate", help="run a six-stage debate in the terminal")
    d.add_argument("--topic", help="the question to debate (default: a member proposes one)")
    session_args(d)
    d.set_defaults(func=cmd_debate)
    a = sub.add_parser("ask", help="ask the council a question")
    a.add_argument("question")
    session_args(a)
    a.set_defaults(func=cmd_ask)
    j = sub.add_parser("judge", help="the council's peer review of given answers, as JSON")
    j.add_argument("--question", required=True, help="the question the answers answer")
    j.add_argument("--answers", required=True, metavar="FILE.json", help="a JSON list of answer strings")
    j.add_argument("--seed", type=int, default=None, help="fixes each judge's shuffle of the answers")
    j.add_argument("--ctx", type=int, default=2048, help="context tokens per seat")
    j_db = j.add_mutually_exclusive_group()
    j_db.add_argument("--db", default=argparse.SUPPRESS, help="the SQLite database (members' personalities)")
    j_db.add_argument("--no-db", action="store_true", help="judge without the stored personalities")
    j.set_defaults(func=cmd_judge)
    h = sub.add_parser("history", help="list stored sessions")
    h.add_argument("--search", default=None)
    h.add_argument("--limit", type=int, default=50)
    h.set_defaults(func=cmd_history)
    lb = sub.add_parser("leaderboard", help="print the lifetime leaderboard")
    lb.add_argument("--by", choices=["seat", "model"], default="seat",
                    help="rank seats (persona + model, the default) or model files across personas")
    lb.set_defaults(func=cmd_leaderboard)
    au = sub.add_parser("audit", help="the judges' bias audit over the stored ballots")
    au.add_argument("--json", action="store_true", help="print every figure as JSON")
    au.set_defaults(func=cmd_audit)
    f = sub.add_parser("fork", help="re-run a stored session from a stage; prints the new session id")
    f.add_argument("session", help="session id (a unique prefix is enough)")
    f.add_argument("--stage", type=int, required=True, help="the stage to re-run from (its events onward are new)")
    f.add_argument("--chair", metavar="MEMBER_ID", help="who chairs the re-run")
    f.add_argument("--seed", type=int, default=None, help="a new seed for the re-run stages")
    f.add_argument("--temperature", action="append", metavar="MEMBER_ID=T", help="a member's temperature")
    f.add_argument("--persona", action="append", metavar="MEMBER_ID=PERSONA",
                   help="the seat speaks with another persona from the fork stage (sage, skeptic, optimist, …)")
    f.add_argument("--model", action="append", metavar="MEMBER_ID=MODEL_ID",
                   help="the seat runs another installed model from the fork stage (see `models list`)")
    f.add_argument("--max-tokens", type=int, default=160, help="length of each member's turn")
    f.add_argument("--ctx", type=int, default=2048, help="context tokens per seat")
    f.set_defaults(func=cmd_fork)
    e = sub.add_parser("export", help="export a stored session")
    e.add_argument("session", help="session id (a unique prefix is enough)")
    e.add_argument("path", help="output file: .json, .md or .html")
    e.set_defaults(func=cmd_export)
    s = sub.add_parser("screenshot", help="render a stored session's stage to a PNG")
    s.add_argument("--session", required=True)
    s.add_argument("--stage", type=int, required=True)
    s.add_argument("--out", required=True)
    s.add_argument("--width", type=int, default=1400)
    s.add_argument("--height", type=int, default=900)
    s.set_defaults(func=cmd_screenshot)
    m = sub.add_parser("models", help="list, download, verify or remove models")
    m.add_argument("action", choices=["list", "download", "verify", "remove"])
    m.add_argument("name", nargs="?")
    m.set_defaults(func=cmd_models)
    r = sub.add_parser("remote", help="add, list, test or remove models on OpenAI-compatible servers")
    r.add_argument("action", choices=["add", "list", "test", "remove"])
    r.add_argument("id", nargs="?", help="your name for the remote model (used in --seats)")
    r.add_argument("--url", help="the server's API root, e.g. http://127.0.0.1:8080/v1")
    r.add_argument("--model", help="the model's name on the server (as /v1/models lists it)")
    r.add_argument("--name", help="a display name")
    r.add_argument("--api-key-env", metavar="VAR", help="read the API key from this environment variable")
    r.add_argument("--api-key-stdin", action="store_true",
                   help="read the API key from standard input and keep it in the OS keyring")
    r.add_argument("--timeout", type=float, default=60.0, help="seconds a response may stall (default 60)")
    r.add_argument("--connect-timeout", type=float, default=5.0, help="seconds to connect (default 5)")
    r.add_argument("--insecure", action="store_true", help="do not verify the server's TLS certificate")
    r.add_argument("--no-check", action="store_true", help="add without asking the server")
    r.set_defaults(func=cmd_remote)
    g = sub.add_parser("gui", help="open the window (the default)")
    g.set_defaults(func=cmd_gui)
    for command in (d, a, h, lb, au, f, e, s, g):  # --db also after the command (`history --db FILE`)
        command.add_argument("--db", default=argparse.SUPPRESS, help="the SQLite database")
    return p


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["--probe-gguf"]:
        # The throwaway subprocess that opens a user-added GGUF (also inside the frozen app).
        from .downloads.probe import main as probe_main

        return probe_main(argv)
    args = build_parser().parse_args(argv)
    if args.command is None:
        return cmd_gui(args)
    config.setup_logging(report=_warn)
    try:
        return int(args.func(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `history | head`: the reader has all it wanted; say nothing more
        _silence_stdout()
        return 0
    except Exception as exc:  # one line for the user; the traceback goes to the log
        import logging

        logging.getLogger(__name__).exception("command failed")
        print(f"{APP_NAME}: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
