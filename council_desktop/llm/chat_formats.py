"""Explicit prompt formats per model family; never llama.cpp's silent llama-2 fallback.

A format renders a conversation as *segments*: ``(text, trusted)`` pairs. Only the format's own
template markers are trusted; every message's content (member output, the user's topic, our own
instructions alike) is untrusted, and the engine tokenizes it with special-token parsing off, so no
text can open or close a turn whatever control tokens it spells.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core.types import Message

Segment = tuple[str, bool]  # (text, trusted): trusted text may hold the format's control tokens


@dataclass(frozen=True)
class ChatFormat:
    name: str
    segments: Callable[[Sequence[Message]], list[Segment]]
    stop: tuple[str, ...]
    # Strings that must never leak from one model's output into another model's prompt (display hygiene).
    special: tuple[str, ...]

    def render(self, messages: Sequence[Message]) -> str:
        """The whole prompt as one string (for logs and benchmarks; the engine tokenizes segments)."""
        return "".join(text for text, _ in self.segments(messages))


def _chatml(messages: Sequence[Message]) -> list[Segment]:
    out: list[Segment] = []
    for m in messages:
        out += [(f"<|im_start|>{m.role}\n", True), (m.content, False), ("<|im_end|>\n", True)]
    return [*out, ("<|im_start|>assistant\n", True)]


def _fold_system(messages: Sequence[Message]) -> list[Message]:
    """For formats with no system role: fold it into the first user turn and keep turns alternating."""
    system = "\n\n".join(m.content for m in messages if m.role == "system")
    rest = [m for m in messages if m.role != "system"]
    if system:
        if rest and rest[0].role == "user":
            rest[0] = Message("user", f"{system}\n\n{rest[0].content}")
        else:
            rest.insert(0, Message("user", system))
    merged: list[Message] = []
    for m in rest:
        if merged and merged[-1].role == m.role:
            merged[-1] = Message(m.role, merged[-1].content + "\n\n" + m.content)
        else:
            merged.append(m)
    return merged


def _gemma(messages: Sequence[Message]) -> list[Segment]:
    # BOS comes from the tokenizer (add_bos_token in the file's metadata).
    out: list[Segment] = []
    for m in _fold_system(messages):
        role = "model" if m.role == "assistant" else "user"
        out += [(f"<start_of_turn>{role}\n", True), (m.content, False), ("<end_of_turn>\n", True)]
    return [*out, ("<start_of_turn>model\n", True)]


def _zephyr(messages: Sequence[Message]) -> list[Segment]:
    out: list[Segment] = []
    for m in messages:
        out += [(f"<|{m.role}|>\n", True), (m.content, False), ("</s>\n", True)]
    return [*out, ("<|assistant|>\n", True)]


def _danube(messages: Sequence[Message]) -> list[Segment]:
    tags = {"system": "<|system|>", "user": "<|prompt|>", "assistant": "<|answer|>"}
    out: list[Segment] = []
    for m in messages:
        out += [(tags[m.role], True), (m.content, False), ("</s>", True)]
    return [*out, ("<|answer|>", True)]


_COMMON_SPECIAL = ("<|im_start|>", "<|im_end|>", "<|endoftext|>", "<start_of_turn>", "<end_of_turn>",
                   "<bos>", "<eos>", "</s>", "<s>", "<|system|>", "<|user|>", "<|assistant|>",
                   "<|prompt|>", "<|answer|>", "<|eot_id|>", "<|start_header_id|>", "<|end_header_id|>")

FORMATS: dict[str, ChatFormat] = {
    "chatml": ChatFormat("chatml", _chatml, ("<|im_end|>", "<|im_start|>"), _COMMON_SPECIAL),
    "gemma": ChatFormat("gemma", _gemma, ("<end_of_turn>", "<start_of_turn>"), _COMMON_SPECIAL),
    "zephyr": ChatFormat("zephyr", _zephyr, ("</s>", "<|user|>", "<|system|>"), _COMMON_SPECIAL),
    "danube": ChatFormat("danube", _danube, ("</s>", "<|prompt|>"), _COMMON_SPECIAL),
}


def get_format(name: str) -> ChatFormat:
    try:
        return FORMATS[name]
    except KeyError:
        raise ValueError(f"unknown chat format {name!r}; known: {', '.join(sorted(FORMATS))}") from None
