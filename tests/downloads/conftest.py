"""Fixtures for the downloader tests: the fake hub server, a small synthetic GGUF, no external network."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fakehub import FakeHub, make_gguf


@pytest.fixture(autouse=True)
def _local_network_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests must never reach huggingface.co (or anything but this machine)."""
    real = socket.getaddrinfo

    def guarded(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host not in ("127.0.0.1", "localhost", "::1", b"127.0.0.1", b"localhost"):
            raise OSError(f"test tried to reach {host!r}")
        return real(host, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", guarded)
    for var in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(var, raising=False)


@pytest.fixture
def hub() -> Iterator[FakeHub]:
    server = FakeHub()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture(scope="session")
def small_gguf() -> bytes:
    return make_gguf(3 * 1024 * 1024 + 12_345)


@pytest.fixture
def models_dir(tmp_path: Path) -> Path:
    return tmp_path / "models"
