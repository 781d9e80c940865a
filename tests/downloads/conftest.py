"""Fixtures for the downloader tests: the fake hub server, a small synthetic GGUF, no external network."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fakehub import FakeHub, make_gguf


@pytest.fixture(autouse=True)
def _local_network_only(local_network_only: None) -> None:
    """These tests must never reach huggingface.co (or anything but this machine)."""


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
