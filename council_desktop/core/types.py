"""Plain value types shared by every layer: members, messages, generation parameters and results."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class Member:
    """One seat at the council: who speaks, on which model, in what voice."""

    id: str
    name: str
    model: str  # a display label for the model (file name or hub repo/file)
    persona: str  # the system prompt that gives the member its voice
    temperature: float = 0.7
    color: str = "#7aa2f7"
    # The model file's identity (its sha256, else hub repo/file): what the by-model leaderboard groups by,
    # since display labels change and one file may be listed under several names. "" when unknown.
    model_file: str = ""

    def payload(self, status: str = "ok", reason: str = "") -> dict[str, Any]:
        """The member as a ``roles`` event lists it (``reason`` and ``model_file`` only when known)."""
        d: dict[str, Any] = {"id": self.id, "name": self.name, "model": self.model, "persona": self.persona,
                             "color": self.color, "status": status}
        if self.model_file:
            d["model_file"] = self.model_file
        if reason:
            d["reason"] = reason
        return d


@dataclass(frozen=True)
class GenerationParams:
    max_tokens: int = 256
    temperature: float = 0.7
    top_p: float = 0.95
    seed: int = 0
    # A JSON schema: generation is grammar-constrained to it (the backend turns it into a grammar).
    json_schema: dict[str, Any] | None = None
    stop: tuple[str, ...] = ()
    # Keeping tiny models on track (core/speech.py): drop tokens below min_p of the best one; llama.cpp's
    # repetition penalties over the last repeat_last_n tokens; its DRY sampler (a phrase that repeats
    # earlier text is penalised from dry_allowed_length tokens on, growing with its length), whose
    # history also holds ``avoid``: text the reply must not copy (the instructions, its own opinion).
    min_p: float = 0.0
    repeat_penalty: float = 1.0
    repeat_last_n: int = 64
    frequency_penalty: float = 0.0
    presence_penalty: float = 0.0
    dry_multiplier: float = 0.0
    dry_base: float = 1.75
    dry_allowed_length: int = 2
    avoid: str = ""


@dataclass(frozen=True)
class Request:
    """One generation for one seat, as the pipeline hands it to a backend."""

    member_id: str
    messages: tuple[Message, ...]
    params: GenerationParams
    on_token: Callable[[str], None] | None = None


@dataclass(frozen=True)
class Probe:
    """Read a model's next-token probabilities over ``choices`` after ``messages`` (and ``prefix``
    opening its reply), without generating: how judges give a graded answer instead of one sample.

    With ``reply`` set, the probe reads instead how likely the model finds ``reply`` (tokenized as data,
    its first ``reply_tokens`` tokens) as its reply after ``messages``: the result is {"logprob": the mean
    log-probability of its tokens, "tokens": how many}, or {} from a backend that cannot tell."""

    member_id: str
    messages: tuple[Message, ...]
    choices: tuple[str, ...] = ("Yes", "No")
    prefix: str = ""
    reply: str = ""
    reply_tokens: int = 48


FinishReason = Literal["stop", "length", "cancelled"]


@dataclass(frozen=True)
class Completion:
    text: str
    tokens: int
    seconds: float
    finish: FinishReason = "stop"
    prompt_tokens: int = 0

    @property
    def tokens_per_second(self) -> float:
        return self.tokens / self.seconds if self.seconds > 0 else 0.0


class CouncilError(Exception):
    """A failure with a message meant for the user."""


class MemberError(CouncilError):
    """One member could not take part (bad model file, crash, nonsense output)."""

    def __init__(self, member_id: str, reason: str) -> None:
        super().__init__(f"{member_id}: {reason}")
        self.member_id = member_id
        self.reason = reason


class Cancelled(CouncilError):
    """The user stopped the session."""


class CancelToken:
    """Checked between tokens; set from any thread."""

    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()
