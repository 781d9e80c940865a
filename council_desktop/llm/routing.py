"""One CouncilBackend for a mixed council: each seat's requests go to the local engine or to its remote
server. The engine's decode loop never sees a remote seat, so it never waits on the network."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Collection, Sequence
from typing import Any, TypeVar

from ..core.backend import CouncilBackend
from ..core.types import Completion, Probe, Request

T = TypeVar("T")
R = TypeVar("R", Request, Probe)


class RoutingBackend:
    def __init__(self, local: CouncilBackend, remote: CouncilBackend, remote_ids: Collection[str]) -> None:
        self.local = local
        self.remote = remote
        self.remote_ids = frozenset(remote_ids)

    def _route(self, items: Sequence[R], local: Callable[[Sequence[R]], list[asyncio.Future[T]]],
               remote: Callable[[Sequence[R]], list[asyncio.Future[T]]]) -> list[asyncio.Future[T]]:
        """Split one batch by seat (each side still gets its part as one batch), results in input order."""
        mine = [i for i, it in enumerate(items) if it.member_id in self.remote_ids]
        theirs = [i for i, it in enumerate(items) if it.member_id not in self.remote_ids]
        out: list[Any] = [None] * len(items)
        if mine:
            for i, fut in zip(mine, remote([items[i] for i in mine]), strict=True):
                out[i] = fut
        if theirs:
            for i, fut in zip(theirs, local([items[i] for i in theirs]), strict=True):
                out[i] = fut
        return out

    def submit(self, requests: Sequence[Request]) -> list[asyncio.Future[Completion]]:
        return self._route(requests, self.local.submit, self.remote.submit)

    def probe(self, probes: Sequence[Probe]) -> list[asyncio.Future[dict[str, float]]]:
        return self._route(probes, self.local.probe, self.remote.probe)

    def cancel(self) -> None:
        self.remote.cancel()
        self.local.cancel()
