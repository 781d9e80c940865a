"""The engine loads a small Q4_1 file through a Q8_0 copy (llm/fast_copy.py): made once, reused, remade when
damaged, skipped (never lost) when it cannot be made, and the same model either way."""

from __future__ import annotations

import asyncio
import logging
import struct
from pathlib import Path

import pytest

from council_desktop.core.gguf import read_gguf
from council_desktop.core.types import GenerationParams, Message, Request
from council_desktop.llm import fast_copy
from council_desktop.llm.backend import EngineBackend, EngineThread
from council_desktop.llm.engine import Engine, SeatSpec, _lib

pytestmark = pytest.mark.model

MSGS = (Message("system", "You are a helpful assistant."), Message("user", "Name three colours of the rainbow."))


def _greedy(engine: Engine, n: int = 16) -> str:
    async def go() -> str:
        fut = EngineBackend(engine).submit([Request("a", MSGS, GenerationParams(max_tokens=n, temperature=0.0))])[0]
        return (await fut).text

    host = EngineThread(engine).start()
    try:
        return asyncio.run(go())
    finally:
        assert host.stop(5.0)


def test_the_copy_is_q8_0_made_once_and_reused(starter_path: Path, tmp_path: Path) -> None:
    assert read_gguf(starter_path).metadata["general.file_type"] == 3  # the starter is Q4_1
    copy = fast_copy.fast_path(starter_path, _lib(), tmp_path)
    assert copy is not None and copy.parent == tmp_path and copy.is_file()
    assert read_gguf(copy).metadata["general.file_type"] == fast_copy.FTYPE_Q8_0
    made = copy.stat().st_mtime_ns
    assert fast_copy.fast_path(starter_path, _lib(), tmp_path) == copy
    assert copy.stat().st_mtime_ns == made  # reused, not made again
    assert not fast_copy.wants_copy(copy)  # a Q8_0 file is loaded as it is
    assert [p.name for p in tmp_path.iterdir()] == [copy.name]  # no part file left behind


def test_a_damaged_copy_is_made_again(starter_path: Path, tmp_path: Path) -> None:
    copy = fast_copy.fast_path(starter_path, _lib(), tmp_path)
    assert copy is not None
    size = copy.stat().st_size
    with copy.open("r+b") as fh:
        fh.truncate(size // 2)
    assert fast_copy.fast_path(starter_path, _lib(), tmp_path) == copy
    assert copy.stat().st_size == size


def test_no_copy_when_switched_off_or_the_folder_cannot_be_written(starter_path: Path, tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch,
                                                                    caplog: pytest.LogCaptureFixture) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    with caplog.at_level(logging.WARNING, logger="council_desktop.llm.fast_copy"):
        assert fast_copy.fast_path(starter_path, _lib(), blocker / "cache") is None
    assert any("loading it as it is" in r.getMessage() for r in caplog.records)
    assert blocker.read_text() == "not a folder"
    monkeypatch.setenv(fast_copy.ENV_SWITCH, "0")
    assert fast_copy.fast_path(starter_path, _lib(), tmp_path / "other") is None
    assert not (tmp_path / "other").exists()


def test_the_engine_speaks_through_the_copy_and_says_the_same(starter_path: Path) -> None:
    fast = Engine(seat_ctx=512)
    assert fast.load([SeatSpec("a", starter_path, "chatml")]) == {}
    group = fast.seat_group["a"]
    assert group.path == starter_path and group.loaded_from != starter_path
    assert read_gguf(group.loaded_from).metadata["general.file_type"] == fast_copy.FTYPE_Q8_0
    fast_text = _greedy(fast)
    plain = Engine(seat_ctx=512, fast_copies=False)
    assert plain.load([SeatSpec("a", starter_path, "chatml")]) == {}
    assert plain.seat_group["a"].loaded_from == starter_path
    plain_text = _greedy(plain)
    # The same weights: greedy decoding agrees on the opening words (the logits differ by rounding only).
    assert fast_text.split()[:3] == plain_text.split()[:3], (fast_text, plain_text)


def test_a_copy_llama_cpp_refuses_is_dropped_and_the_file_itself_loads(starter_path: Path, tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(fast_copy.ENV_DIR, str(tmp_path))
    target = tmp_path / f"{starter_path.stem}.{fast_copy._digest(starter_path)[:16]}.Q8_0.gguf"
    target.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 0, 0))  # a valid header, no tensors: llama.cpp refuses
    engine = Engine(seat_ctx=512)
    assert engine.load([SeatSpec("a", starter_path, "chatml")]) == {}
    assert engine.seat_group["a"].loaded_from == starter_path
    assert not target.exists()
    assert _greedy(engine, 4)
