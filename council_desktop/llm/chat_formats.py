"""Explicit prompt formats per model family; never llama.cpp's silent llama-2 fallback."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from ..core.types import Message


@dataclass(frozen=True)
class ChatFormat:
    name: str
    render: Callable[[Sequence[Message]], str]
    stop: tuple[str, ...]
    # Strings that must never leak from one model's output into another model's prompt.
    special: tuple[str, ...]


def _chatml(messages: Sequence[Message]) -> str:
    parts = [f"<|im_start|>{m.role}\n{m.content}<|im_end|>\n" for m in messages]
    return "".join(parts) + "<|im_start|>assistant\n"


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


def _gemma(messages: Sequence[Message]) -> str:
    # BOS comes from the tokenizer (add_bos_token in the file's metadata).
    parts = []
    for m in _fold_system(messages):
        role = "model" if m.role == "assistant" else "user"
        parts.append(f"<start_of_turn>{role}\n{m.content}<end_of_turn>\n")
    return "".join(parts) + "<start_of_turn>model\n"


def _zephyr(messages: Sequence[Message]) -> str:
    parts = [f"<|{m.role}|>\n{m.content}</s>\n" for m in messages]
    return "".join(parts) + "<|assistant|>\n"


def _danube(messages: Sequence[Message]) -> str:
    tags = {"system": "<|system|>", "user": "<|prompt|>", "assistant": "<|answer|>"}
    return "".join(f"{tags[m.role]}{m.content}</s>" for m in messages) + "<|answer|>"


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
