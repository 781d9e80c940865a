"""What the pipelines need from a model runner; the llm and services layers implement it."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Protocol

from .types import Completion, Probe, Request


class CouncilBackend(Protocol):
    def submit(self, requests: Sequence[Request]) -> list[asyncio.Future[Completion]]:
        """Start all ``requests`` at once (one batch, so runs are reproducible) from the event loop's
        thread. Each future resolves on that loop with the completion, or raises MemberError for a
        seat that cannot answer, or Cancelled. ``on_token`` callbacks are called on the loop thread."""
        ...

    def probe(self, probes: Sequence[Probe]) -> list[asyncio.Future[dict[str, float]]]:
        """Start all probes at once; each future resolves to the probabilities over the probe's choices
        (normalised over them), or raises MemberError / Cancelled."""
        ...

    def cancel(self) -> None:
        """Stop every running and queued generation between tokens."""
        ...
