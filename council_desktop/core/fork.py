"""Forks: re-run a stored session from a stage boundary with a changed chair, seat (persona or model),
seed or temperature.

The fork copies the parent's events before that stage unchanged (same seq, time and payload), says what
changed in a ``forked`` event, and the orchestrator continues live from the stage, with its state (the
topic, what each member said, who dropped out, the tallies) restored from the copied events.

A changed seat keeps its member id, name and colour (the copied events name it so), and speaks with
its new persona or model from the fork stage on only: its turns before the stage are the parent's, and
every description of the change says so.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from . import ballots
from .events import ASK_STAGES, DEBATE_STAGES, Event
from .types import CouncilError


@dataclass(frozen=True)
class ForkStart:
    parent: str
    stage: int
    prefix: tuple[Event, ...]  # the parent's events before its ``stage`` event of index ``stage``
    changes: Mapping[str, Any] = field(default_factory=dict)  # what the user changed (for the event)


@dataclass
class Restored:
    topic: str = ""
    texts: dict[tuple[str, str], str] = field(default_factory=dict)
    failed: dict[str, str] = field(default_factory=dict)
    tallies: dict[str, ballots.Tally] = field(default_factory=dict)
    bottom: list[str] = field(default_factory=list)


def stages_of(events: Sequence[Event]) -> tuple[str, ...]:
    roles = next((e for e in events if e.kind == "roles"), None)
    return ASK_STAGES if roles is not None and roles.data.get("mode") == "ask" else DEBATE_STAGES


def fork_prefix(events: Sequence[Event], stage: int) -> list[Event]:
    """The parent's events before it entered ``stage``; CouncilError (a message for the user) when the
    parent never reached that stage or the stage does not exist."""
    stored = [e for e in events if e.kind != "token"]
    if not stored or stored[0].kind != "roles":
        raise CouncilError("this session has no recorded start (no roles event): it cannot be forked")
    names = stages_of(stored)
    if not 0 <= stage < len(names):
        raise CouncilError(f"a {stored[0].data.get('mode', 'debate')} has stages 0 to {len(names) - 1}, "
                           f"not {stage}")
    for i, e in enumerate(stored):
        if e.kind == "stage" and e.data.get("index") == stage:
            return stored[:i]
    raise CouncilError(f"the session never reached stage {stage} ({names[stage]}): fork it from an earlier stage")


def restore(prefix: Sequence[Event]) -> Restored:
    """What the orchestrator knew when the parent entered the fork stage."""
    out = Restored()
    for e in prefix:
        d = e.data
        if e.kind == "topic":
            out.topic = str(d.get("text") or "")
        elif e.kind in ("opinion", "rebuttal", "answer") and d.get("member"):
            out.texts[(e.kind, str(d["member"]))] = str(d.get("text") or "")
            if e.kind in ("opinion", "answer"):
                out.tallies.setdefault(str(d["member"]), ballots.Tally(str(d["member"])))
        elif e.kind == "member_failed":
            out.failed.setdefault(str(d["member"]), str(d.get("reason") or ""))
        elif e.kind == "review" and d.get("valid"):
            for row in d.get("scores") or []:
                if row.get("score") is not None and str(row["target"]) in out.tallies:
                    out.tallies[str(row["target"])].scores.append(int(row["score"]))
        elif e.kind == "ranking" and d.get("valid"):
            order = [str(m) for m in d.get("order") or []]
            for pos, mid in enumerate(order, start=1):
                if mid in out.tallies:
                    out.tallies[mid].ranks.append((pos, len(order)))
            for mid, score in (d.get("scores") or {}).items():
                if mid in out.tallies:
                    out.tallies[mid].scores.append(int(score))
        elif e.kind == "viewer_ballot" and d.get("counted") and d.get("kind") in ("review", "ranking"):
            for row in d.get("scores") or []:
                if str(row["target"]) in out.tallies:
                    out.tallies[str(row["target"])].scores.append(int(row["score"]))
        elif e.kind == "aggregate":
            out.bottom = [str(m) for m in d.get("bottom") or []]
    return out


def seat_change(persona: str = "", model: str = "", was_model: str = "", model_file: str = "") -> dict[str, str]:
    """A changed seat as the ``forked`` event records it under ``changes["seats"][member id]``: the new
    persona's name and/or the new model's label (with the label it replaced and the file's identity)."""
    out: dict[str, str] = {}
    if persona:
        out["persona"] = persona
    if model:
        out.update(model=model, was_model=was_model)
        if model_file:
            out["model_file"] = model_file
    return out


def describe_changes(changes: Mapping[str, Any], name: Callable[[str], str]) -> list[str]:
    """What a fork changed, one phrase each, for the transcript, the pages, the exports and the terminal
    (``name`` turns a member id into its display name)."""
    parts: list[str] = []
    if changes.get("chairman"):
        parts.append(f"chairman {name(str(changes['chairman']))}")
    if changes.get("seed") is not None:
        parts.append(f"seed {changes['seed']}")
    for mid, seat in (changes.get("seats") or {}).items():
        now = " and ".join(x for x in (f"as {seat['persona']}" if seat.get("persona") else "",
                                       f"on {seat['model']}" if seat.get("model") else "") if x)
        was = f" (was {seat['was_model']})" if seat.get("was_model") else ""
        parts.append(f"{name(str(mid))}'s seat now speaks {now}{was}; its turns before the fork stage are the parent's")
    for mid, t in (changes.get("temperatures") or {}).items():
        parts.append(f"{name(str(mid))} at temperature {t}")
    return parts
