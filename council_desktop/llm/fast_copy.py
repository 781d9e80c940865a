"""A faster copy of a small model file whose weight type has no fast CPU matrix kernel.

llama.cpp's CPU backend multiplies Q8_0 weights with tuned kernels (llamafile's sgemm for prompts, a
vectorised dot product for single tokens), but Q4_1 weights only with the generic block dot product.
The starter file (SmolLM2-135M-Instruct, Q4_1) therefore prefills at about 318 tok/s on this 2-core
machine where the same weights written as Q8_0 prefill at about 542 and generate 134 tok/s instead of
111 (native ``llama-bench`` of the vendored llama.cpp, pp256/tg64, 2 threads). The council is mostly
prefill (every judge probe is a prompt), so the engine loads such a file through a Q8_0 copy, made once
with llama.cpp's own ``llama_model_quantize`` and kept in the user's cache folder.

The copy holds the same weights: each Q4_1 value (a 4-bit step of its block) is re-expressed on Q8_0's
8-bit grid, within about 3% of one Q4_1 step. Measured against the Q4_1 file's own logits (llama.cpp's
``llama-perplexity --kl-divergence``, 30 chunks of 256 tokens of this repository's docs): mean KL
divergence 0.0064, the same top token 94.6% of the time, perplexity 1.003×. docs/engine.md has the
figures and the commands.

Only small files (``MAX_SOURCE_BYTES``) are copied: a large model's decode is bound by memory bandwidth,
and a 1.5× larger file would be slower there. Anything that goes wrong (a read-only or full cache folder,
a corrupt copy) is logged and the original file is loaded as it is: slower, never lost.
``COUNCIL_DESKTOP_FAST_COPY=0`` turns the copy off (the benchmarks compare both)."""

from __future__ import annotations

import ctypes
import hashlib
import logging
import os
import threading
from pathlib import Path
from typing import Any

from platformdirs import user_cache_dir

from .. import APP_NAME
from ..core.gguf import GGUFError, GGUFInfo, read_gguf

log = logging.getLogger(__name__)

ENV_SWITCH = "COUNCIL_DESKTOP_FAST_COPY"
ENV_DIR = "COUNCIL_DESKTOP_FAST_COPY_DIR"
# llama_ftype (llama.h) of the files that get a copy, and what they are copied to.
SLOW_FTYPES = {3: "Q4_1"}  # LLAMA_FTYPE_MOSTLY_Q4_1
FTYPE_Q8_0 = 7  # LLAMA_FTYPE_MOSTLY_Q8_0
MAX_SOURCE_BYTES = 256 * 1024 * 1024

_lock = threading.Lock()  # one copy at a time in this process
_digests: dict[tuple[str, int, int], str] = {}


def enabled() -> bool:
    return os.environ.get(ENV_SWITCH, "").strip().lower() not in ("0", "off", "no", "false")


def cache_dir() -> Path:
    env = os.environ.get(ENV_DIR, "").strip()
    return Path(env).expanduser() if env else Path(user_cache_dir(APP_NAME, appauthor=False)) / "fast-models"


def _digest(path: Path) -> str:
    """The file's content hash (memoised per path, size and mtime): two installs of one file share a copy."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key not in _digests:
        h = hashlib.sha256()
        with path.open("rb") as fh:
            for chunk in iter(lambda: fh.read(1 << 20), b""):
                h.update(chunk)
        _digests[key] = h.hexdigest()
    return _digests[key]


def wants_copy(path: Path, info: GGUFInfo | None = None) -> bool:
    """Whether ``path`` (whose header ``info`` the caller may have read already) is a small file of a type
    without a fast CPU kernel."""
    try:
        info = info or read_gguf(path)
    except GGUFError:
        return False  # the engine reports it when it loads the file
    return info.metadata.get("general.file_type") in SLOW_FTYPES and path.stat().st_size <= MAX_SOURCE_BYTES


def fast_path(path: Path, lib: Any, cache: Path | None = None, info: GGUFInfo | None = None) -> Path | None:
    """The Q8_0 copy of ``path`` to load instead of it, made now if missing; None: load ``path`` itself.
    ``lib`` is the llama_cpp module (its backend initialised); ``info`` the file's header, if read."""
    if not enabled() or not wants_copy(path, info):
        return None
    folder = cache or cache_dir()
    with _lock:
        try:
            target = folder / f"{path.stem}.{_digest(path)[:16]}.Q8_0.gguf"
        except OSError as exc:
            log.warning("no fast copy of %s (cannot read it: %s); loading it as it is", path.name, exc)
            return None
        if target.is_file():
            try:
                read_gguf(target)
                return target
            except GGUFError as exc:
                log.warning("the fast copy of %s is damaged (%s); making it again", path.name, exc)
                discard(target)
        part = target.with_name(f".{target.name}.{os.getpid()}.part")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            params = lib.llama_model_quantize_default_params()
            params.ftype = FTYPE_Q8_0
            params.allow_requantize = True
            params.nthread = max(1, min(4, os.cpu_count() or 1))
            rc = lib.llama_model_quantize(str(path).encode(), str(part).encode(), ctypes.byref(params))
            if rc != 0:
                raise OSError(f"llama.cpp could not write it (code {rc})")
            read_gguf(part)
            os.replace(part, target)  # whole or not at all, also against another process doing the same
        except (OSError, GGUFError) as exc:
            discard(part)
            log.warning("no fast copy of %s in %s (%s); loading it as it is", path.name, folder, exc)
            return None
        log.info("made a Q8_0 copy of %s for fast CPU kernels: %s", path.name, target)
        return target


def discard(copy: Path) -> None:
    """Remove a copy llama.cpp refused to load (so the next load makes it again), or a part file."""
    try:
        copy.unlink(missing_ok=True)
    except OSError as exc:
        if copy.parent.is_dir():
            log.warning("could not remove %s: %s", copy, exc)
