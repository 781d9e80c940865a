"""Fixtures the service tests share: a qasync loop on the test's QApplication, and the window's
CouncilSession over a scripted council (the real Engine's queue and cancel logic, no model)."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from council_desktop.services.qt_session import CouncilSession
from council_desktop.services.runtime import CouncilRuntime
from tests.qt_loop import QtTestLoop
from tests.scripted_engine import ScriptedEngine
from tests.services.sessions import scripted_seats


@pytest.fixture
def qt_loop(qapp: QApplication) -> Iterator[asyncio.AbstractEventLoop]:
    loop = QtTestLoop(qapp, already_running=False)
    asyncio.set_event_loop(loop)
    yield loop
    loop.close()
    asyncio.set_event_loop(None)


@pytest.fixture
def scripted_session(qt_loop: asyncio.AbstractEventLoop) -> Iterator[Callable[..., CouncilSession]]:
    """``scripted_session(store=None, load=True, **engine_options)``: a CouncilSession over the scripted
    council (``ScriptedEngine(**engine_options)``), loaded unless ``load`` is False; shut down after the test."""
    made: list[CouncilSession] = []

    def make(store: Any = None, load: bool = True, **engine: Any) -> CouncilSession:
        runtime = CouncilRuntime(scripted_seats(), store, engine_factory=lambda ctx: ScriptedEngine(ctx, **engine))
        session = CouncilSession(runtime)
        made.append(session)
        if load:
            session.load()
        return session

    yield make
    for session in made:
        session.shutdown(2.0)
    made.clear()  # freed before the test's garbage is collected (conftest), not at exit
