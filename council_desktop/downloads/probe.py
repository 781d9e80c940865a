"""Open an untrusted GGUF file in a throwaway process, so a malformed or malicious file cannot crash the app.

The child parses the header in pure Python first (``core.gguf``), then, when llama-cpp-python is
installed, loads the whole model with a tiny context and decodes one token, so the native loader and
every layer's weights are exercised. It prints one JSON line; the parent turns a signal, a timeout or
a missing line into a plain reason.

A frozen app cannot run ``python -c``: there the command is ``<app> --probe-gguf PATH``, and the
composition root must call ``main([PATH])`` and exit when it sees that flag, before anything else.
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core.gguf import GGUFError, read_gguf
from ..core.text import refusal_reason

PROBE_FLAG = "--probe-gguf"
MARKER = "COUNCIL-PROBE "
DEFAULT_PROBE_TIMEOUT_S = 60.0
_PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder holding council_desktop/
_CHILD_CODE = "import sys; from council_desktop.downloads.probe import main; sys.exit(main(sys.argv[1:]))"
_CHAT_TEMPLATE_MAX = 16_384
# NTSTATUS codes a crashed Windows process exits with
_WINDOWS_CRASHES = {0xC0000005: "access violation", 0xC000001D: "illegal instruction",
                    0xC00000FD: "stack overflow", 0xC0000409: "stack buffer overrun",
                    0xC0000374: "heap corruption", 0xC0000094: "integer divide by zero"}


@dataclass(frozen=True)
class ProbeResult:
    ok: bool
    reason: str  # empty when ok
    mode: str = ""  # "llama_cpp" (the native loader read it) or "header" (llama_cpp not installed)
    info: dict[str, Any] = field(default_factory=dict)  # architecture, name, context_length, chat_template…
    seconds: float = 0.0


def probe_command(path: Path) -> list[str]:
    if getattr(sys, "frozen", False):
        return [sys.executable, PROBE_FLAG, str(path)]
    return [sys.executable, "-c", _CHILD_CODE, str(path)]


def probe_gguf_in_subprocess(path: Path, timeout: float = DEFAULT_PROBE_TIMEOUT_S, *,
                             command: Sequence[str] | None = None) -> ProbeResult:
    """Probe ``path`` in a child process. ``command`` replaces the child's argv (the path is appended);
    tests use it to stand in a crashing or hanging loader."""
    path = Path(path)
    argv = [*command, str(path)] if command is not None else probe_command(path)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_PACKAGE_ROOT), env.get("PYTHONPATH", "")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    flags = getattr(subprocess, "CREATE_NO_WINDOW", 0)
    started = time.monotonic()
    try:
        proc = subprocess.run(argv, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout, env=env,
                              creationflags=flags, check=False)
    except subprocess.TimeoutExpired:
        return ProbeResult(False, f"the loader did not finish within {timeout:g} s (the file may be malformed)",
                           seconds=time.monotonic() - started)
    except OSError as exc:
        return ProbeResult(False, f"could not start the probe process ({exc.strerror or exc})",
                           seconds=time.monotonic() - started)
    seconds = time.monotonic() - started
    payload = _last_payload(proc.stdout.decode("utf-8", "replace"))
    crash = _crash_reason(proc.returncode)
    if crash:
        return ProbeResult(False, f"the file crashed the loader ({crash})", seconds=seconds)
    if payload is None:
        tail = proc.stderr.decode("utf-8", "replace").strip()[-300:]
        return ProbeResult(False, f"the probe process exited with code {proc.returncode} without an answer"
                                  + (f": {tail}" if tail else ""), seconds=seconds)
    return ProbeResult(bool(payload.get("ok")), str(payload.get("reason", "")), str(payload.get("mode", "")),
                       dict(payload.get("info") or {}), seconds)


def _last_payload(stdout: str) -> dict[str, Any] | None:
    for line in reversed(stdout.splitlines()):
        if line.startswith(MARKER):
            try:
                data = json.loads(line[len(MARKER):])
            except ValueError:
                return None
            return data if isinstance(data, dict) else None
    return None


def _crash_reason(code: int) -> str:
    if code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    if code & 0xFFFFFFFF in _WINDOWS_CRASHES:
        return _WINDOWS_CRASHES[code & 0xFFFFFFFF]
    return ""


def _emit(ok: bool, reason: str = "", mode: str = "", info: dict[str, Any] | None = None) -> int:
    line = MARKER + json.dumps({"ok": ok, "reason": reason, "mode": mode, "info": info or {}})
    sys.stdout.write(line + "\n")
    sys.stdout.flush()
    return 0 if ok else 2


def main(argv: Sequence[str] | None = None) -> int:
    """The child side: ``python -c ... PATH`` or ``<frozen app> --probe-gguf PATH``."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == PROBE_FLAG:
        args = args[1:]
    if len(args) != 1:
        return _emit(False, "usage: probe PATH")
    path = Path(args[0])
    try:
        gguf = read_gguf(path)
    except GGUFError as exc:
        return _emit(False, str(exc).split(": ", 1)[-1])
    meta = gguf.metadata
    arch = gguf.architecture
    template = meta.get("tokenizer.chat_template")
    info: dict[str, Any] = {
        "version": gguf.version, "n_tensors": gguf.n_tensors, "architecture": arch, "name": gguf.name,
        "context_length": meta.get(f"{arch}.context_length"),
        "chat_template": template[:_CHAT_TEMPLATE_MAX] if isinstance(template, str) else "",
    }
    try:
        import llama_cpp
    except ImportError:
        return _emit(True, mode="header", info=info)
    log = _capture_llama_log(llama_cpp)
    try:
        # The whole model, and one token through every layer: weights whose shapes or data would crash
        # llama.cpp crash this throwaway process, not the app.
        model = llama_cpp.Llama(model_path=str(path), n_ctx=64, n_batch=8, n_threads=1, verbose=False)
        info["n_vocab"] = int(model.n_vocab())
        bos = model.token_bos()
        model.eval([bos if 0 <= bos < model.n_vocab() else 0])
        model.close()
    except Exception as exc:
        # llama-cpp-python only says "Failed to load model from file"; llama.cpp's log says why.
        why = refusal_reason(log) or f"{type(exc).__name__}: {exc}"
        return _emit(False, f"llama.cpp could not load it ({why})", "llama_cpp", info)
    return _emit(True, mode="llama_cpp", info=info)


def _capture_llama_log(llama_cpp: Any) -> list[str]:
    """Collect llama.cpp's log lines in this (throwaway) process: the callback lives as long as it does."""
    lines: list[str] = []

    @llama_cpp.llama_log_callback
    def on_log(_level: int, text: bytes, _user: Any) -> None:
        lines.extend(text.decode("utf-8", "replace").splitlines())

    try:
        llama_cpp.llama_log_set(on_log, ctypes.c_void_p(0))
    except (AttributeError, TypeError):  # another binding version: the reason is then the exception's
        return lines
    _keep_alive.append(on_log)
    return lines


_keep_alive: list[Any] = []
