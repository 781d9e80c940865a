"""The throwaway-process probe for user-added GGUF files."""

from __future__ import annotations

import struct
import sys
from pathlib import Path

import pytest
from fakehub import make_gguf, starter_file

from council_desktop.downloads import probe_gguf_in_subprocess


def test_the_starter_model_passes_the_probe() -> None:
    result = probe_gguf_in_subprocess(starter_file(), timeout=60)
    assert result.ok, result.reason
    assert result.mode in ("llama_cpp", "header")
    assert result.info["architecture"] == "llama" and result.info["context_length"] == 8192
    assert "<|im_start|>" in result.info["chat_template"]
    if result.mode == "llama_cpp":
        assert result.info["n_vocab"] == 49152


def test_a_truncated_model_fails_with_a_reason(tmp_path: Path) -> None:
    cut = tmp_path / "cut.gguf"
    with starter_file().open("rb") as fh:
        cut.write_bytes(fh.read(5_000_000))
    result = probe_gguf_in_subprocess(cut, timeout=60)
    assert not result.ok and "truncated" in result.reason


def test_a_header_with_impossible_counts_fails(tmp_path: Path) -> None:
    bad = tmp_path / "bad.gguf"
    bad.write_bytes(b"GGUF" + struct.pack("<IQQ", 3, 10**12, 10**12) + b"\0" * 1000)
    result = probe_gguf_in_subprocess(bad, timeout=60)
    assert not result.ok and "impossible" in result.reason


def test_a_crashing_loader_is_reported_as_a_crash(tmp_path: Path) -> None:
    crash = [sys.executable, "-c", "import os, signal, sys; os.kill(os.getpid(), signal.SIGSEGV)"]
    result = probe_gguf_in_subprocess(tmp_path / "any.gguf", timeout=30, command=crash)
    assert not result.ok
    assert "crashed the loader" in result.reason and "SIGSEGV" in result.reason


def test_a_hanging_loader_is_killed_after_the_timeout(tmp_path: Path) -> None:
    hang = [sys.executable, "-c", "import time; time.sleep(60)"]
    result = probe_gguf_in_subprocess(tmp_path / "any.gguf", timeout=0.5, command=hang)
    assert not result.ok and "did not finish within 0.5 s" in result.reason
    assert result.seconds < 10


def test_a_loader_that_dies_without_an_answer_says_so(tmp_path: Path) -> None:
    die = [sys.executable, "-c", "import sys; sys.stderr.write('boom'); sys.exit(3)"]
    result = probe_gguf_in_subprocess(tmp_path / "any.gguf", timeout=30, command=die)
    assert not result.ok and "code 3" in result.reason and "boom" in result.reason


def test_a_file_llama_cpp_refuses_says_why(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    # A well-formed GGUF (the header check passes) with none of the keys a llama model needs.
    refused = tmp_path / "no-hparams.gguf"
    refused.write_bytes(make_gguf(64 * 1024))
    result = probe_gguf_in_subprocess(refused, timeout=60)
    assert not result.ok and result.mode == "llama_cpp"
    assert "Failed to load model from file" not in result.reason
    assert "key not found" in result.reason or "llama." in result.reason, result.reason


def test_the_refusal_is_the_first_line_that_says_what_is_wrong() -> None:
    from council_desktop.core.text import refusal_reason as llama_refusal

    log = ["llama_model_loader: loaded meta data with 2 key-value pairs",
           "llama_model_load: error loading model: error loading model hyperparameters: key not found in model: "
           "llama.context_length", "llama_model_load_from_file_impl: failed to load model"]
    assert llama_refusal(log) == ("error loading model: error loading model hyperparameters: key not found in "
                                  "model: llama.context_length")
    assert llama_refusal(["llama_model_load_from_file_impl: failed to load model"]) == ""
