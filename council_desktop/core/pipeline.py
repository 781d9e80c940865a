"""The council's two pipelines: the six-stage debate and the three-stage ask mode, as one orchestrator.

The orchestrator is a plain coroutine: it talks to models only through a CouncilBackend and reports
everything through an EventLog, so the window, the CLI, storage and replay all see the same stream.
"""

from __future__ import annotations

import asyncio
import pickle
import random
from collections.abc import Callable, Mapping, Sequence
from concurrent.futures import BrokenExecutor, Executor
from dataclasses import dataclass, field, replace
from typing import Any, Literal, Protocol, cast

from . import ballots, prompts, pull, speech, validity, viewer
from . import events as ev
from .backend import CouncilBackend
from .events import ASK_STAGES, DEBATE_STAGES, Event, EventLog
from .fork import ForkStart, Restored, restore
from .types import (
    Cancelled,
    CancelToken,
    Completion,
    CouncilError,
    GenerationParams,
    Member,
    MemberError,
    Probe,
    Request,
)
from .viewer import ViewerInbox

Mode = Literal["debate", "ask"]


class AwardLike(Protocol):
    @property
    def member(self) -> str: ...
    @property
    def badge(self) -> str: ...
    @property
    def reason(self) -> str: ...
    @property
    def event_seq(self) -> int: ...


Finalizer = Callable[[Sequence[Event]], Sequence[AwardLike]]


@dataclass
class SessionPlan:
    mode: Mode
    members: Sequence[Member]
    topic: str | None = None  # the user's topic (debate) or question (ask)
    seed: int = 0
    proposer: int = 0  # seat index whose turn it is to propose a topic
    chairman: int = 0  # seat index whose turn it is to chair
    max_tokens: int = 160
    judge_max_tokens: int = 80
    nudges: Mapping[str, Sequence[str]] = field(default_factory=dict)
    traits: Mapping[str, Mapping[str, float]] = field(default_factory=dict)  # personalities, shown on hover
    previous: str = ""  # a bounded summary of the previous exchange (ask follow-ups)
    recent_topics: Sequence[str] = ()
    unavailable: Mapping[str, str] = field(default_factory=dict)  # seats that could not load, and why
    # Issue 15 (docs/viewer.md): re-run from a stage of a stored session; the viewer's ballot inbox.
    fork: ForkStart | None = None
    viewer: ViewerInbox | None = None
    speech: speech.SpeechPolicy = field(default_factory=speech.SpeechPolicy)  # levers against broken speech


@dataclass
class SessionOutcome:
    status: Literal["finished", "failed", "cancelled"]
    reason: str
    events: list[Event]
    members_ok: int
    members_total: int


JUDGE_TEMPERATURE = 0.2  # tiny judges are noisy; keep them near their most likely judgement


class Orchestrator:
    """Runs one session. Only this object writes events; call ``run`` once."""

    def __init__(self, plan: SessionPlan, backend: CouncilBackend, log: EventLog,
                 cancel: CancelToken | None = None, finalize: Finalizer | None = None,
                 checks: Executor | None = None) -> None:
        if len(plan.members) < 1:
            raise CouncilError("the council has no members")
        if len({m.name for m in plan.members}) != len(plan.members):
            raise CouncilError("council members need distinct names")
        self.plan = plan
        self.backend = backend
        self.log = log
        self.cancel_token = cancel or CancelToken()
        self.finalize = finalize
        # Where the validity checks run: None, a thread of the loop's default executor; the app gives a
        # process of their own (services/check_process.py), so their regular expressions never hold the
        # GIL while the window paints.
        self.checks = checks
        self.members = list(plan.members)
        self.by_id = {m.id: m for m in self.members}
        self.seat = [m.id for m in self.members]
        self.failed: dict[str, str] = {}
        self.award_error = ""  # why no badges could be awarded (the history could not be read), if so
        self.texts: dict[tuple[str, str], str] = {}  # (kind, member) -> cleaned text
        self.raw: dict[str, str] = {}  # member -> its last turn as generated, for the validity checks
        self.pulled: dict[tuple[str, str], float | None] = {}  # (question, answer) -> its pull (core/pull.py)

    # -- helpers -------------------------------------------------------------------------------

    @property
    def active(self) -> list[Member]:
        return [m for m in self.members if m.id not in self.failed]

    def _seed(self, stage: int, member: str, attempt: int = 0) -> int:
        idx = self.seat.index(member)
        return (self.plan.seed * 1_000_003 + stage * 1009 + idx * 31 + attempt * 7) % (2**31 - 1)

    def _fail(self, member: str, stage: int, reason: str) -> None:
        if member in self.failed:
            return
        self.failed[member] = reason
        self.log.emit("member_failed", **ev.MemberFailedData(member=member, stage=stage, reason=reason))

    def _check_cancel(self) -> None:
        if self.cancel_token.cancelled:
            raise Cancelled("stopped by the user")

    def _stage(self, index: int) -> None:
        self._check_cancel()
        names = DEBATE_STAGES if self.plan.mode == "debate" else ASK_STAGES
        self.log.emit("stage", **ev.StageData(index=index, name=names[index]))

    async def _speak_many(self, stage: int, kind: str,
                          jobs: Sequence[tuple[Member, list[Any], GenerationParams]],
                          on_done: Callable[[Member, Completion], None] | None = None,
                          stream: bool = True,
                          retrying: Mapping[str, Sequence[str]] | None = None) -> dict[str, Completion]:
        """Run one batch of turns; members whose call fails are dropped with a reason. ``retrying``: the
        defects that make these turns a second try, by member (the turn_started event says so)."""
        if not jobs:
            return {}
        requests = []
        for member, messages, params in jobs:
            extra = {"retry": list(retrying[member.id])} if retrying and member.id in retrying else {}
            self.log.emit("turn_started", **ev.TurnStartedData(member=member.id, kind=kind, stage=stage), **extra)
            on_token = self._token_sink(member.id, kind) if stream else None
            requests.append(Request(member.id, tuple(messages), params, on_token))
        futures = self.backend.submit(requests)
        index = {fut: job[0] for fut, job in zip(futures, jobs, strict=True)}
        results: dict[str, Completion] = {}
        pending: set[asyncio.Future[Completion]] = set(futures)
        try:
            while pending:
                done, pending = await asyncio.wait(pending, return_when=asyncio.FIRST_COMPLETED)
                # Deterministic order inside one wake-up: by seat.
                for fut in sorted(done, key=lambda f: self.seat.index(index[f].id)):
                    member = index[fut]
                    exc = fut.exception()
                    if isinstance(exc, Cancelled):
                        raise exc
                    if isinstance(exc, MemberError):
                        self._fail(member.id, stage, exc.reason)
                    elif exc is not None:
                        self._fail(member.id, stage, f"unexpected error: {exc}")
                    else:
                        results[member.id] = fut.result()
                        if on_done:
                            on_done(member, results[member.id])
        finally:
            for fut in pending:
                fut.cancel()
        return results

    def _token_sink(self, member: str, kind: str) -> Callable[[str], None]:
        def sink(delta: str) -> None:
            if delta:
                self.log.emit("token", **ev.TokenData(member=member, kind=kind, text=delta))
        return sink

    def _params(self, member: Member, stage: int, attempt: int = 0, *, judge: bool = False,
                max_tokens: int | None = None, schema: dict[str, Any] | None = None) -> GenerationParams:
        return GenerationParams(
            max_tokens=max_tokens or (self.plan.judge_max_tokens if judge else self.plan.max_tokens),
            temperature=JUDGE_TEMPERATURE if judge else member.temperature,
            seed=self._seed(stage, member.id, attempt), json_schema=schema)

    def _speech_params(self, member: Member, stage: int, kind: str, attempt: int, max_tokens: int | None,
                       messages: Sequence[Any], avoid: str = "") -> GenerationParams:
        """A free-text turn's sampling: the member's temperature scaled for the stage, min-p, llama.cpp's
        repetition penalties and DRY (whose history holds our instructions and ``avoid``), and stop
        strings for a line that opens as a speaker. SpeechPolicy.off() gives the plain sampler."""
        policy = self.plan.speech
        base = self._params(member, stage, attempt, max_tokens=max_tokens)
        extra: dict[str, Any] = {"temperature": policy.temperature(kind, member.temperature),
                                 "min_p": policy.min_p}
        if policy.repetition:
            extra.update(repeat_penalty=1.1, repeat_last_n=64, dry_multiplier=0.8, dry_base=1.75,
                         dry_allowed_length=3,
                         avoid="\n".join(x for x in (prompts.instructions(messages), avoid) if x))
        if policy.role_stops:
            extra["stop"] = speech.role_stops([m.name for m in self.members])
        return replace(base, **extra)

    def _context(self, kind: str, member: Member, messages: Sequence[Any], topic: str, own: str = "",
                 sources: Mapping[str, str] | None = None) -> speech.TurnContext:
        return speech.TurnContext(kind=kind, speaker=member.name, topic=topic,
                                  instructions=prompts.instructions(messages), own=own,
                                  sources=dict(sources or {}), names=[m.name for m in self.members])

    def _clean_turn(self, comp: Completion) -> str:
        text = prompts.clean_output(comp.text)
        if self.plan.speech.role_stops:
            text = speech.strip_leading_label(text, [m.name for m in self.members])
        if comp.finish == "length" and text:
            text = prompts.trim_unfinished(text)
        return text

    async def _texts(self, stage: int, kind: str, jobs: Sequence[tuple[Member, list[Any]]],
                     max_tokens: int | None = None, *, topic: str = "",
                     own: Mapping[str, str] | None = None, avoid: Mapping[str, str] | None = None,
                     sources: Mapping[str, Mapping[str, str]] | None = None,
                     fields: Mapping[str, Any] | None = None) -> dict[str, str]:
        """Free-text turns, checked live (core/speech.py). A turn with no text, or with a hard defect
        (echo, self-repeat, loop, role label), is generated once more with another seed — all such
        seats in one batch — and the better of the two is kept; the turn's event then carries
        ``regenerated`` (the defects, the discarded text and which try was kept), so replay and export
        tell the truth. Emits one event per finished turn."""
        own, avoid, sources = own or {}, avoid or {}, sources or {}
        msgs_of = {m.id: msgs for m, msgs in jobs}
        ctx = {m.id: self._context(kind, m, msgs, topic, own.get(m.id, ""), sources.get(m.id))
               for m, msgs in jobs}
        tries: dict[str, list[tuple[str, Completion, list[speech.Defect]]]] = {}
        out: dict[str, str] = {}

        def emit(member: Member, text: str, comp: Completion, regenerated: dict[str, Any] | None) -> None:
            out[member.id] = text
            self.texts[(kind, member.id)] = text
            self.raw[member.id] = comp.text  # as generated: the judges' validity checks read it
            extra = {**(fields or {}), **({"regenerated": regenerated} if regenerated else {})}
            self.log.emit(kind, **ev.TurnData(member=member.id, text=text, tokens=comp.tokens,
                                              seconds=round(comp.seconds, 3)), **extra)

        def finished(member: Member, comp: Completion) -> None:
            text = self._clean_turn(comp)
            defects = speech.check(text, ctx[member.id]) if text else [speech.Defect("empty", "no text")]
            tries.setdefault(member.id, []).append((text, comp, defects))
            if len(tries[member.id]) == 1 and text and not (self.plan.speech.regenerate and speech.hard(defects)):
                emit(member, text, comp, None)

        def params(m: Member, attempt: int) -> GenerationParams:
            return self._speech_params(m, stage, kind, attempt, max_tokens, msgs_of[m.id], avoid.get(m.id, ""))

        await self._speak_many(stage, kind, [(m, msgs, params(m, 0)) for m, msgs in jobs
                                             if m.id not in self.failed], finished)
        again = [m for m, _ in jobs if m.id in tries and m.id not in out and m.id not in self.failed]
        why = {m.id: sorted({d.kind for d in tries[m.id][0][2] if d.kind in speech.HARD_DEFECTS}) for m in again}
        await self._speak_many(stage, kind, [(m, msgs_of[m.id], params(m, 1)) for m in again], finished,
                               retrying=why)
        for member, _ in jobs:
            if member.id in out or member.id in self.failed:
                continue
            got = [t for t in tries.get(member.id, []) if t[0]]
            if not got:
                self._fail(member.id, stage, "answered twice with no usable text")
                continue
            best = min(range(len(got)), key=lambda i: speech.badness(got[i][2]))
            first = tries[member.id][0]
            regenerated = {"defects": [str(d) for d in first[2] if d.kind in speech.HARD_DEFECTS],
                           "kept": "retry" if got[best] is not first else "first",
                           "discarded": next((t[0] for t in tries[member.id] if t is not got[best]), "")}
            text = got[best][0]
            if {d.kind for d in got[best][2]} & speech.TRIMMABLE:
                # Both tries repeat (the prompt, the opinion, themselves): drop the repeated sentences when
                # that leaves a turn with fewer defects.
                trimmed, dropped = speech.trim_repeats(text, ctx[member.id])
                if dropped and speech.badness(speech.check(trimmed, ctx[member.id])) < \
                        speech.badness(got[best][2]):
                    text = trimmed
                    regenerated["trimmed"] = dropped
            emit(member, text, got[best][1], regenerated)
        return out

    # -- the session ---------------------------------------------------------------------------

    async def run(self) -> SessionOutcome:
        plan = self.plan
        if plan.fork is not None:
            self._start_fork(plan.fork)
        else:
            self.log.emit("roles", **ev.RolesData(
                mode=plan.mode, seed=plan.seed,
                members=[cast(ev.MemberEntry, {**m.payload(), **({"traits": dict(plan.traits[m.id])}
                                                                  if m.id in plan.traits else {})})
                         for m in self.members],
                proposer=self.seat[plan.proposer % len(self.seat)],
                chairman=self.seat[plan.chairman % len(self.seat)],
                nudges={k: list(v) for k, v in plan.nudges.items()}))
        status: Literal["finished", "failed", "cancelled"] = "finished"
        reason = ""
        for mid, why in plan.unavailable.items():
            if mid in self.by_id:
                self._fail(mid, 0, why)
        try:
            if plan.mode == "debate":
                await self._debate()
            else:
                await self._ask()
            if self.finalize is not None:
                for award in self._awards():
                    self.log.emit("achievement", **ev.AchievementData(
                        member=award.member, badge=award.badge, reason=award.reason, event_seq=award.event_seq))
        except Cancelled as exc:
            self.backend.cancel()
            status, reason = "cancelled", str(exc)
        except CouncilError as exc:
            status, reason = "failed", str(exc)
        finally:
            if plan.viewer is not None:
                plan.viewer.close(-1)  # a stopped session leaves no stage open to the viewer
        ok = len(self.active)
        if status == "finished" and self.failed:
            reason = f"{ok} of {len(self.members)} members: " + "; ".join(
                f"{self.by_id[m].name} failed ({why})" for m, why in self.failed.items())
        if status == "finished" and self.award_error:
            reason = (reason + "; " if reason else "") + f"no badges this time: {self.award_error}"
        self.log.emit("complete", **ev.CompleteData(
            status=status, reason=reason, members_ok=ok, members_total=len(self.members)))
        return SessionOutcome(status, reason, list(self.log.events), ok, len(self.members))

    def _awards(self) -> Sequence[AwardLike]:
        """The badges the session earned. Reading the history for them can fail (a locked or damaged
        database): the debate itself is over and stays finished, without badges this time."""
        assert self.finalize is not None
        try:
            return self.finalize(self.log.events)
        except Cancelled:
            raise
        except CouncilError as exc:
            self.award_error = str(exc)
            return []

    def _require_members(self, n: int, what: str) -> None:
        if len(self.active) < n:
            why = "; ".join(f"{self.by_id[m].name}: {r}" for m, r in self.failed.items())
            raise CouncilError(f"not enough members left to {what} ({len(self.active)} of "
                               f"{len(self.members)}): {why}")

    def _rotation(self, start: int) -> list[Member]:
        n = len(self.members)
        return [self.members[(start + i) % n] for i in range(n)]

    async def _debate(self) -> None:
        plan = self.plan
        if self._live(0):
            self._stage(0)
            topic = (plan.topic or "").strip()
            if topic:
                self.log.emit("topic", **ev.TopicData(member=None, text=topic, tokens=0, seconds=0.0))
            else:
                topic = await self._propose_topic()
        else:
            topic = self._restored.topic
        if self._live(1):
            self._stage(1)
            await self._texts(1, "opinion", [(m, prompts.opinion_prompt(m, plan.nudges, topic))
                                             for m in self.active], topic=topic)
        self._require_members(1, "hold a debate")
        opinions = {m.id: self.texts[("opinion", m.id)] for m in self.active if ("opinion", m.id) in self.texts}

        if self._live(2):
            self._stage(2)
            self._viewer_open(2, "review", viewer.viewer_labels(list(opinions), plan.seed))
            tallies = await self._reviews(topic, opinions)
            self._viewer_close(2, tallies)
            # A member that dropped out during review cannot rebut: the next lowest takes its place.
            bottom = ballots.bottom({m: t for m, t in tallies.items() if m not in self.failed}, self.seat)
            self.log.emit("aggregate", **ev.AggregateData(
                rows=[tallies[m].row() for m in self.seat if m in tallies], bottom=bottom))
        else:
            tallies, bottom = self._restored.tallies, self._restored.bottom

        if self._live(3):
            self._stage(3)
            jobs = []
            for mid in bottom:
                if mid in self.failed:
                    continue
                jobs.append((self.by_id[mid],
                             prompts.rebuttal_prompt(self.by_id[mid], plan.nudges, topic, opinions[mid])))
            # A rebuttal must not say its own opinion again, nor copy another member's.
            others = {m.id: {self.by_id[o].name: t for o, t in opinions.items() if o != m.id} for m, _ in jobs}
            await self._texts(3, "rebuttal", jobs, topic=topic, own={m.id: opinions[m.id] for m, _ in jobs},
                              avoid={m.id: opinions[m.id] for m, _ in jobs}, sources=others)

        if self._live(4):
            self._stage(4)
            said = [m.id for m in self.active if ("opinion", m.id) in self.texts]
            self._viewer_open(4, "alliance", {self.by_id[m].name: m for m in said})
            await self._alliances(topic)
            self._viewer_close(4, {})

        self._stage(5)
        await self._chair(5, topic, tallies)

    async def _propose_topic(self) -> str:
        """The member whose turn it is proposes (two tries), then the next seats; if nobody manages a
        usable question the council takes one from its book of classics and says so.

        A try writes several candidates in one batch (the proposer's prompt and voice, decoded on its
        own seat and on idle seats that hold the same model file), cleans each to its question
        sentence, drops the ones that are not clean standalone questions or that repeat or recombine
        recent topics (novelty is computed here, the model never sees the recent topics), and lets the
        proposer pick by its own Yes/No probe: "Is this a clear question people could debate?"."""
        recent = list(self.plan.recent_topics)
        for member in self._rotation(self.plan.proposer):
            for attempt in range(2):
                if member.id in self.failed:
                    break
                chosen = await self._topic_try(member, attempt, recent)
                if chosen is not None:
                    text, comp, candidates = chosen
                    extra = {"candidates": candidates} if len(candidates) > 1 else {}
                    self.log.emit("topic", **ev.TopicData(
                        member=member.id, text=text, tokens=comp.tokens, seconds=round(comp.seconds, 3)), **extra)
                    return text
        proposer = next((m for m in self._rotation(self.plan.proposer) if m.id not in self.failed), None)
        if proposer is None:
            raise CouncilError("no member could propose a topic")
        # A classic passes the same check as a proposal: clean, and neither repeating nor recombining a
        # recent topic (not merely a different string).
        fresh = ([t for t in prompts.CLASSIC_TOPICS if not speech.topic_defects(t, recent)]
                 or [t for t in prompts.CLASSIC_TOPICS if t not in recent] or list(prompts.CLASSIC_TOPICS))
        topic = fresh[self.plan.seed % len(fresh)]
        self.log.emit("topic", **ev.TopicData(
            member=proposer.id, text=topic, tokens=0, seconds=0.0,
            note="no usable question was proposed; taken from the council's book of classics"))
        return topic

    async def _topic_try(self, member: Member, attempt: int, recent: Sequence[str],
                         ) -> tuple[str, Completion, list[dict[str, Any]]] | None:
        policy = self.plan.speech
        # Idle seats on the proposer's model file decode its candidates alongside it, in the same batch,
        # each on a subject drawn in code (one candidate alone gets the open prompt).
        slots = [member] + [m for m in self.active if m.id != member.id and m.model == member.model]
        slots = slots[: max(1, policy.topic_candidates)]
        areas = prompts.topic_areas(self._seed(0, member.id, attempt), len(slots)) if len(slots) > 1 else [""]
        msgs_of = [prompts.topic_prompt(member, self.plan.nudges, area) for area in areas]
        self.log.emit("turn_started", **ev.TurnStartedData(member=member.id, kind="topic", stage=0))
        futures = self.backend.submit([
            Request(slot.id, tuple(msgs), replace(
                self._speech_params(member, 0, "topic", attempt * 16 + i, 60, msgs), stop=("\n\n",)), None)
            for i, (slot, msgs) in enumerate(zip(slots, msgs_of, strict=True))])
        results = await asyncio.gather(*futures, return_exceptions=True)
        candidates: list[dict[str, Any]] = []
        comps: list[Completion] = []
        for slot, area, res in zip(slots, areas, results, strict=True):
            if isinstance(res, Cancelled):
                raise res
            if isinstance(res, MemberError):
                self._fail(slot.id, 0, res.reason)
                continue
            if isinstance(res, BaseException):
                continue
            text = prompts.clean_topic(res.text)
            why = speech.topic_defects(text, recent, area) if text and policy.topic_candidates > 1 else []
            if text and text not in [c["text"] for c in candidates]:
                candidates.append({"text": text, **({"area": area} if area else {}),
                                   "novelty": round(speech.topic_novelty(text, recent), 2),
                                   **({"rejected": "; ".join(why)} if why else {})})
                comps.append(res)
        usable = [i for i, c in enumerate(candidates) if "rejected" not in c]
        if not usable:
            return None
        best = usable[0]
        if len(usable) > 1:
            probes = self.backend.probe([Probe(member.id, tuple(prompts.topic_probe(member, self.plan.nudges,
                                                                                    candidates[i]["text"])))
                                         for i in usable])
            answers = await asyncio.gather(*probes, return_exceptions=True)
            for i, ans in zip(usable, answers, strict=True):
                if isinstance(ans, Cancelled):
                    raise ans
                if isinstance(ans, dict) and "Yes" in ans:
                    candidates[i]["p_yes"] = round(ans["Yes"], 3)
            best = max(usable, key=lambda i: (candidates[i].get("p_yes", 0.0), candidates[i]["novelty"], -i))
        for i, c in enumerate(candidates):
            c["chosen"] = i == best
        return candidates[best]["text"], comps[best], candidates

    async def _probe_ballots(self, stage: int, kind: str, plans: Mapping[str, Sequence[tuple[str, list[Any]]]],
                             subject: str = "", pool: Mapping[str, str] | None = None,
                             ) -> tuple[dict[str, dict[str, float]], dict[str, float | None]]:
        """Yes-probabilities per (judge, option): one probe per option, every judge's probes in one
        submission (so runs are reproducible; a local engine runs each judge's in order on its seat, the
        seats side by side, with no wait for the slowest judge between one option and the next). A judge
        whose probes fail is left out of the result and falls back to a JSON ballot.

        Also the question's pull of each answer in ``pool`` (core/pull.py), by key: its probes go in the
        same submission, after the judges', so the batches a run decodes do not depend on timing."""
        for mid in plans:
            self.log.emit("turn_started", **ev.TurnStartedData(member=mid, kind=kind, stage=stage))
        self._check_cancel()
        out: dict[str, dict[str, float]] = {mid: {} for mid in plans}
        broken: set[str] = set()
        asked = [(mid, key, msgs) for mid, opts in plans.items() if mid not in self.failed for key, msgs in opts]
        texts = self._as_generated(pool or {})
        todo, reads = self._pull_probes(subject, texts)
        futures = self.backend.probe([*(Probe(mid, tuple(msgs)) for mid, _, msgs in asked), *reads])
        results = await asyncio.gather(*futures, return_exceptions=True)
        # A failed pull leaves its answer unweighed; a Stop ends the stage through the judges' probes.
        for text, value in zip(todo, pull.pulls(results[len(asked):], len(todo)), strict=True):
            self.pulled[(subject, text)] = value
        for (mid, key, _), res in zip(asked, results[:len(asked)], strict=True):
            if isinstance(res, Cancelled):
                raise res
            if isinstance(res, MemberError):
                self._fail(mid, stage, res.reason)
            elif isinstance(res, BaseException) or "Yes" not in res:
                broken.add(mid)
            else:
                out[mid][key] = res["Yes"]
        pulls = {key: self.pulled.get((subject, text)) for key, text in texts.items()}
        return {mid: v for mid, v in out.items() if mid not in broken and mid not in self.failed}, pulls

    async def _judge(self, stage: int, kind: str,
                     jobs: Sequence[tuple[Member, list[Any], dict[str, Any], Callable[[str], ballots.Parsed]]],
                     ) -> dict[str, tuple[ballots.Parsed, str]]:
        """Grammar-constrained JSON judgements: validate, retry once, keep the invalid with a reason."""
        out: dict[str, tuple[ballots.Parsed, str]] = {}
        parsers = {m.id: parse for m, _, _, parse in jobs}
        for attempt in range(2):
            todo = [(m, msgs, self._params(m, stage, attempt, judge=True, schema=schema))
                    for m, msgs, schema, _ in jobs
                    if m.id not in self.failed and (m.id not in out or not out[m.id][0].valid)]
            got = await self._speak_many(stage, kind, todo, stream=False)
            for mid, comp in got.items():
                raw = prompts.clean_output(comp.text)
                out[mid] = (parsers[mid](raw), raw)
        return out

    def _label_targets(self, reviewer: str, pool: Mapping[str, str]) -> dict[str, str]:
        """The others' answers under anonymous labels, in an order shuffled for this reviewer."""
        targets = [mid for mid in [*self.seat, *pool] if mid in pool and mid != reviewer]
        targets = list(dict.fromkeys(targets))
        random.Random(self._seed(2, reviewer, 99)).shuffle(targets)
        return dict(zip(ballots.LABELS, targets, strict=False))

    async def _anonymous_ballots(self, kind: str, subject: str, pool: Mapping[str, str], min_labels: int,
                                 probe: Callable[..., list[Any]], prompt: Callable[..., list[Any]],
                                 schema: Callable[[list[str]], dict[str, Any]],
                                 parse: Callable[[str, Sequence[str]], ballots.Parsed]) -> tuple[
            list[tuple[str, dict[str, str], dict[str, validity.Finding]]], dict[str, dict[str, float]],
            dict[str, dict[str, str]], dict[str, tuple[ballots.Parsed, str]], dict[str, validity.Finding]]:
        """Stage 2's ballots over anonymous answers (peer review or ranking): for each judge that gave
        one (in seat order), its labels and the labels of answers with a validity finding; the
        Yes-probabilities per label of judges whose probes worked, weighed by each answer's pull
        (core/pull.py), and how the raw ballot shows them; the JSON ballots of the others; and the
        findings against the answers."""
        nudges = self.plan.nudges
        label_maps = {r.id: self._label_targets(r.id, pool) for r in self.active}
        label_maps = {r: labels for r, labels in label_maps.items() if len(labels) >= min_labels}
        plans = {r: [(lab, probe(self.by_id[r], nudges, subject, lab, pool[mid])) for lab, mid in labels.items()]
                 for r, labels in label_maps.items()}
        checking = self._findings(subject, pool)
        probed, pulls = await self._probe_ballots(2, kind, plans, subject, pool)
        fallback = [(self.by_id[r], prompt(self.by_id[r], nudges, subject, [(lab, pool[mid]) for lab, mid in
                                                                         labels.items()]),
                     schema(list(labels)), _bind(parse, list(labels)))
                    for r, labels in label_maps.items() if r not in probed and r not in self.failed]
        judged = await self._judge(2, kind, fallback)
        findings = await checking
        each = [(rid, label_maps[rid], {lab: findings[mid] for lab, mid in label_maps[rid].items() if mid in findings})
                for rid in self.seat if rid in probed or rid in judged]
        notes = {rid: {lab: pull.note(p, pulls.get(label_maps[rid][lab])) for lab, p in p_yes.items()}
                 for rid, p_yes in probed.items()}
        weighed = {rid: {lab: pull.weigh(p, pulls.get(label_maps[rid][lab])) for lab, p in p_yes.items()}
                   for rid, p_yes in probed.items()}
        return each, weighed, notes, judged, findings

    async def _reviews(self, topic: str, opinions: Mapping[str, str]) -> dict[str, ballots.Tally]:
        """Each reviewer scores the others' answers, one anonymous answer per probe; a reviewer whose
        probes fail writes a grammar-constrained JSON ballot instead."""
        tallies = {mid: ballots.Tally(mid) for mid in opinions}
        each, probed, notes, judged, findings = await self._anonymous_ballots(
            "review", topic, opinions, 1, prompts.review_probe, prompts.review_prompt, ballots.review_schema,
            ballots.parse_review)
        for rid, labels, flagged in each:
            soft = _soft(flagged)
            if rid in probed:
                p_yes = probed[rid]
                values = ballots.scores_with_findings(p_yes, flagged, soft)
                parsed = ballots.Parsed(values, True)
                raw = "  ".join(f"{lab}: {values[lab]} ({notes[rid][lab]})" for lab in labels)
                method = "probability"
            else:
                parsed, raw = judged[rid]
                if parsed.valid:
                    parsed = ballots.Parsed(ballots.apply_findings(parsed.value, flagged, soft), True, parsed.reason,
                                            parsed.lenient)
                method = "text" if parsed.lenient else "json"
            scores: list[ev.ScoreEntry] = [
                {"target": labels[lab], "label": lab, "score": parsed.value.get(lab) if parsed.valid else None,
                 **({"finding": findings[labels[lab]].reason} if labels[lab] in findings else {})}
                for lab in labels]
            if parsed.valid:
                for lab, target in labels.items():
                    tallies[target].scores.append(int(parsed.value[lab]))
            self.log.emit("review", **ev.ReviewData(
                reviewer=rid, labels=labels, scores=scores, valid=parsed.valid,
                reason=_reason(parsed.reason, labels, findings), raw=raw, method=method, lenient=parsed.lenient))
        return tallies

    def _findings(self, subject: str, pool: Mapping[str, str]) -> asyncio.Future[dict[str, validity.Finding]]:
        """The deterministic validity findings (core/validity.py) against each answer in the pool, read
        from the text as generated (before display cleaning), each beside the pool's other answers (their
        words count as on the topic). Peer review, ask-mode rankings and alliances all come here.

        Computed off the event loop while the judges' probes run (``findings_in_pool``): on the loop's
        thread (the GUI thread, in the app) they held the window for one long frame per stage. When the
        process given as ``checks`` fails, they run on a thread instead."""
        texts = self._as_generated(pool)
        loop = asyncio.get_running_loop()

        async def checked() -> dict[str, validity.Finding]:
            if self.checks is not None:
                try:
                    return await loop.run_in_executor(self.checks, findings_in_pool, subject, texts)
                except (BrokenExecutor, OSError, RuntimeError, pickle.PicklingError):
                    self.checks = None  # a dead worker process: this session checks on a thread
            return await loop.run_in_executor(None, findings_in_pool, subject, texts)
        return asyncio.ensure_future(checked())

    def _as_generated(self, pool: Mapping[str, str]) -> dict[str, str]:
        """The pool's texts as generated (before display cleaning), which the validity checks and the
        pulls read; a key that is no member's (the `judge` command's answers) keeps its text."""
        return {key: self.raw.get(key, text) for key, text in pool.items()}

    def _pull_probes(self, subject: str, texts: Mapping[str, str]) -> tuple[list[str], list[Probe]]:
        """The texts whose pull (core/pull.py) is not yet known, and the probes that read them: on the seats
        that hold the first active member's model, one probe per seat in turn (a text's two probes on two
        seats), so every seat gets about as much more work as the others and none decodes alone at the end
        of the stage. Each text is read once a session: alliances weigh a member whose last word is still
        its opinion by the pull its review stage read. None when no seat can tell (a remote model)."""
        todo = list(dict.fromkeys(t for t in texts.values() if t.strip() and (subject, t) not in self.pulled))
        readers = [m.id for m in self.active if m.id not in self.failed and m.model == self.active[0].model] \
            if self.active else []
        if not todo or not readers:
            return [], []
        return todo, [replace(p, member_id=readers[i % len(readers)])
                      for i, p in enumerate(pull.probes(readers[0], subject, todo))]

    async def judge_answers(self, question: str, answers: Sequence[str]) -> list[dict[str, Any]]:
        """Peer review of given answers (the `judge` command): every seated member judges every answer,
        anonymised and shuffled per judge, exactly as in a debate's review stage. Returns one ballot per
        judge: {"judge": member id, "scores": [score or None per answer, in the input order]}."""
        if not 1 <= len(answers) <= len(ballots.LABELS):
            raise CouncilError(f"give between 1 and {len(ballots.LABELS)} answers (got {len(answers)})")
        keys = [f"answer {i}" for i in range(len(answers))]
        self._require_members(1, "judge")
        self._stage(2)
        await self._reviews(question, dict(zip(keys, answers, strict=True)))
        out = []
        for event in self.log.events:
            if event.kind == "review":
                got = {row["target"]: row["score"] for row in event.data["scores"]}
                out.append({"judge": event.data["reviewer"], "scores": [got.get(k) for k in keys]})
        return out

    async def _alliances(self, topic: str) -> None:
        """Each member says whether it agrees with each other member's last word (its rebuttal, else its
        opinion); the clearest yes becomes an alliance, the clearest no a disagreement."""
        said = {m.id: self.texts.get(("rebuttal", m.id)) or self.texts[("opinion", m.id)]
                for m in self.active if ("opinion", m.id) in self.texts}
        plans: dict[str, list[tuple[str, list[Any]]]] = {}
        for member in self.active:
            if member.id not in said:
                continue
            plans[member.id] = [(other, prompts.agreement_probe(member, self.plan.nudges, topic, said[member.id],
                                                                 self.by_id[other].name, said[other]))
                                for other in self.seat if other in said and other != member.id]
        plans = {k: v for k, v in plans.items() if v}
        checking = self._findings(topic, said)
        probed, pulls = await self._probe_ballots(4, "alliance", plans, topic, said)
        fallback = []
        for mid, opts in plans.items():
            if mid in probed or mid in self.failed:
                continue
            names = [self.by_id[o].name for o, _ in opts]
            msgs = prompts.alliance_prompt(self.by_id[mid], self.plan.nudges, topic,
                                           [(self.by_id[o].name, said[o]) for o, _ in opts])
            fallback.append((self.by_id[mid], msgs, ballots.alliance_schema(names),
                             _bind(ballots.parse_alliance, names)))
        judged = await self._judge(4, "alliance", fallback)
        findings = await checking
        for mid in self.seat:
            shown_as = {o: self.by_id[o].name for o, _ in plans.get(mid, [])}
            if mid in probed:
                against = {o: findings[o] for o in shown_as if o in findings}
                weighed = {o: pull.weigh(p, pulls.get(o)) for o, p in probed[mid].items()}
                agree, disagree = ballots.stances_from_probabilities(weighed, against, _soft(against))
                raw = "  ".join(f"{self.by_id[o].name}: {pull.note(p, pulls.get(o), 'P(agree)')}"
                                for o, p in probed[mid].items())
                self.log.emit("alliance", **ev.AllianceData(
                    member=mid, agree=agree, disagree=disagree, valid=True,
                    reason=_reason("", {n: o for o, n in shown_as.items()}, findings), raw=raw, method="probability",
                    lenient=False))
            elif mid in judged:
                parsed, raw = judged[mid]
                by_name = {self.by_id[o].name: o for o, _ in plans[mid]}
                value = parsed.value if parsed.valid else {"agree": [], "disagree": []}
                agree = [by_name[n] for n in value["agree"] if by_name[n] not in findings]
                disagree = [by_name[n] for n in value["disagree"]]
                disagree += [o for o in shown_as if o in findings and o not in disagree] if parsed.valid else []
                self.log.emit("alliance", **ev.AllianceData(
                    member=mid, agree=agree, disagree=disagree, valid=parsed.valid,
                    reason=_reason(parsed.reason, {n: o for o, n in shown_as.items()}, findings), raw=raw,
                    method="text" if parsed.lenient else "json", lenient=parsed.lenient))

    async def _chair(self, stage: int, subject: str, tallies: Mapping[str, ballots.Tally]) -> None:
        """The chairman of this session speaks last; if the chair fails, the next seat takes over."""
        plan = self.plan
        previous: str | None = None
        for chair in self._rotation(plan.chairman):
            if chair.id in self.failed:
                if previous is None:
                    previous = chair.id
                continue
            if previous is not None:
                self.log.emit("chair_changed", **ev.ChairChangedData(
                    previous=previous, chairman=chair.id,
                    reason=f"{self.by_id[previous].name} could not chair: {self.failed[previous]}"))
            sources: dict[str, str] = {}
            if plan.mode == "debate":
                turns = []
                for m in self.members:
                    for kind in ("opinion", "rebuttal"):
                        if (kind, m.id) in self.texts:
                            turns.append((m.name, kind, self.texts[(kind, m.id)]))
                            sources[f"{m.name} ({kind})"] = self.texts[(kind, m.id)]
                scores = {self.by_id[m].name: t.mean_score for m, t in tallies.items() if t.mean_score is not None}
                allies = [e for e in self.log.events if e.kind == "alliance"]
                lines = [f"{self.by_id[e.data['member']].name} agrees with "
                         f"{', '.join(self.by_id[x].name for x in e.data['agree']) or 'nobody'} and disagrees with "
                         f"{', '.join(self.by_id[x].name for x in e.data['disagree']) or 'nobody'}" for e in allies]
                msgs = prompts.synthesis_prompt(chair, plan.nudges, subject, turns, scores, lines)
            else:
                # Best first by the peer ranking, with the order named but no figures to copy.
                order = ballots.leader_order(tallies, self.seat) if tallies else []
                ranked = [m for m in order if tallies[m].ranks]
                order = ranked + [m.id for m in self.members if m.id not in ranked]
                answers = [(self.by_id[m].name, self.texts[("answer", m)]) for m in order
                           if ("answer", m) in self.texts]
                sources = dict(answers)
                ranking_line = ", ".join(self.by_id[m].name for m in ranked)
                msgs = prompts.chairman_answer_prompt(chair, plan.nudges, subject, answers, ranking_line,
                                                      plan.previous)
            got = await self._texts(stage, "synthesis", [(chair, msgs)], int(plan.max_tokens * 1.6), topic=subject,
                                    sources={chair.id: sources}, avoid={chair.id: "\n".join(sources.values())},
                                    fields={"chairman": chair.id})
            if chair.id in got:
                return
            self._fail(chair.id, stage, "wrote no usable synthesis")
            previous = chair.id
        raise CouncilError("no member could chair the council")

    async def _ask(self) -> None:
        plan = self.plan
        question = (plan.topic or "").strip() or self._restored.topic
        if not question:
            raise CouncilError("ask mode needs a question")
        if self._live(0):
            self._stage(0)
            self.log.emit("topic", **ev.TopicData(member=None, text=question, tokens=0, seconds=0.0))
        if self._live(1):
            self._stage(1)
            await self._texts(1, "answer", [(m, prompts.answer_prompt(m, plan.nudges, question, plan.previous))
                                             for m in self.active], topic=question)
        self._require_members(1, "answer")
        answers = {m.id: self.texts[("answer", m.id)] for m in self.active if ("answer", m.id) in self.texts}

        if not self._live(2):
            self._stage(3)
            await self._chair(3, question, self._restored.tallies)
            return
        self._stage(2)
        self._viewer_open(2, "ranking", viewer.viewer_labels(list(answers), plan.seed))
        tallies = {mid: ballots.Tally(mid) for mid in answers}
        each, probed, notes, judged, findings = await self._anonymous_ballots(
            "ranking", question, answers, 2, prompts.ranking_probe, prompts.ranking_prompt,
            ballots.ranking_schema, ballots.parse_ranking)
        for rid, labels, flagged in each:
            soft = _soft(flagged)
            if rid in probed:
                best_first = ballots.order_from_probabilities(probed[rid], list(labels), flagged, soft)
                parsed = ballots.Parsed(best_first, True)
                raw = "FINAL RANKING:\n" + "\n".join(
                    f"{i}. {lab} ({notes[rid][lab]})" for i, lab in enumerate(best_first, start=1))
                method = "probability"
            else:
                parsed, raw = judged[rid]
                if parsed.valid:
                    parsed = ballots.Parsed(ballots.order_with_findings(parsed.value, flagged, soft), True,
                                            parsed.reason, parsed.lenient)
                method = "text" if parsed.lenient else "json"
            order = [labels[lab] for lab in parsed.value] if parsed.valid else []
            for pos, mid in enumerate(order, start=1):
                tallies[mid].ranks.append((pos, len(order)))
            # A probability ballot also scores each answer 1-10 (as peer review does): the mean score of
            # the aggregate. A ranking written as text orders the answers but gives no score.
            scores: dict[str, int] = {labels[lab]: s for lab, s in
                                      ballots.scores_with_findings(probed[rid], flagged, soft).items()} \
                if rid in probed else {}
            for mid, score in scores.items():
                tallies[mid].scores.append(score)
            self.log.emit("ranking", **ev.RankingData(
                reviewer=rid, labels=labels, order=order, valid=parsed.valid,
                reason=_reason(parsed.reason, labels, findings), raw=raw, method=method, lenient=parsed.lenient,
                scores=scores, findings={labels[lab]: findings[labels[lab]].reason for lab in sorted(flagged)}))
        self._viewer_close(2, tallies)
        order = ballots.leader_order(tallies, self.seat)
        self.log.emit("aggregate", **ev.AggregateData(rows=[tallies[m].row() for m in order], bottom=[]))
        self._stage(3)
        await self._chair(3, question, tallies)

    # -- issue 15: forks and the viewer as a judge (docs/viewer.md) ---------------------------------

    _restored = Restored()  # what a fork copied from its parent (empty for a session run from the start)

    def _live(self, stage: int) -> bool:
        """Whether ``stage`` runs live: every stage does, except those a fork copied from its parent."""
        return self.plan.fork is None or stage >= self.plan.fork.stage

    def _start_fork(self, fork: ForkStart) -> None:
        """Copy the parent's events up to the fork stage unchanged, restore what they established, and say
        what changed."""
        for event in fork.prefix:
            self.log.replay(event)
        self._restored = restore(fork.prefix)
        self.texts.update(self._restored.texts)
        self.failed.update({m: r for m, r in self._restored.failed.items() if m in self.by_id})
        self.log.emit("forked", **ev.ForkedData(
            parent=fork.parent, stage=fork.stage, changes=dict(fork.changes),
            chairman=self.seat[self.plan.chairman % len(self.seat)], seed=self.plan.seed))

    def _viewer_open(self, stage: int, kind: str, labels: Mapping[str, str]) -> None:
        inbox = self.plan.viewer
        if inbox is None or len(labels) < 2:
            return
        inbox.open(stage, kind, labels)
        self.log.emit("viewer_open", **ev.ViewerOpenData(stage=stage, kind=kind, labels=dict(labels)))

    def _viewer_close(self, stage: int, tallies: Mapping[str, ballots.Tally]) -> None:
        """The stage's council ballots are in: add the viewer's if it came in time (into the tallies only when
        the user counts it), else note the skip. Never waits."""
        inbox = self.plan.viewer
        if inbox is None or inbox.current is None or inbox.current[0] != stage:
            return
        _, kind, labels = inbox.current
        ballot = inbox.close(stage)
        if ballot is None:
            self.log.emit("viewer_skipped", **ev.ViewerSkippedData(stage=stage, kind=kind))
            return
        counted = inbox.count_in_aggregate and kind in ("review", "ranking")
        payload = viewer.ballot_payload(ballot, labels, counted)
        if counted:
            for row in payload.get("scores") or []:
                target, score = row.get("target", ""), row.get("score")
                if target in tallies and score is not None:
                    tallies[target].scores.append(int(score))
            order = payload.get("order") or []
            for pos, mid in enumerate(order, start=1):
                if mid in tallies:
                    tallies[mid].ranks.append((pos, len(order)))
        self.log.emit("viewer_ballot", **payload)


def _soft(flagged: Mapping[str, validity.Finding]) -> set[str]:
    """The keys whose finding is a soft one (scored above the others: core/ballots.py)."""
    return {k for k, f in flagged.items() if f.soft}


def _reason(reason: str, shown: Mapping[str, str], findings: Mapping[str, validity.Finding]) -> str:
    """A ballot's reason: the parser's note (if any), then the validity findings against the answers it
    judged, under the names the judge saw them by ('Response C', or a member's name in alliances)."""
    notes = [f"{label} {findings[target].reason}" for label, target in shown.items() if target in findings]
    return "; ".join([reason, *notes] if reason else notes)


def _bind(parse: Callable[[str, Sequence[str]], ballots.Parsed],
          options: Sequence[str]) -> Callable[[str], ballots.Parsed]:
    return lambda raw: parse(raw, options)


def findings_in_pool(subject: str, texts: Mapping[str, str]) -> dict[str, validity.Finding]:
    """The validity findings of each answer in ``texts`` (by key), each checked beside the others; only the
    answers with a finding. A module-level function of plain data, so a worker process can run it."""
    out = {}
    for key, text in texts.items():
        finding = validity.check(subject, text, [t for other, t in texts.items() if other != key])
        if finding is not None:
            out[key] = finding
    return out


def summarize_exchange(question: str, answer: str, limit: int = 600) -> str:
    """The bounded memory a follow-up question carries: the last question and the council's answer."""
    text = f"Q: {question.strip()}\nCouncil: {prompts.clean_output(answer)}"
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"
