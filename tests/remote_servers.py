"""Servers for the remote-seat tests, on 127.0.0.1 only, always stopped by their context managers:

- ``llama_server``: llama-cpp-python's own OpenAI-compatible server (``python -m llama_cpp.server``)
  serving the starter model, in a subprocess.
- ``FaultServer``: a small loopback server for the faults a real server cannot be made to produce on
  demand (a stall, malformed SSE, a connection cut mid-stream). The model name picks the behaviour.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import keyring
import pytest
from keyring.backend import KeyringBackend

HOST = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


class LlamaServer:
    def __init__(self, proc: subprocess.Popen[bytes], port: int, log: Path) -> None:
        self.proc = proc
        self.port = port
        self.log = log

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/v1"

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(10)


@contextlib.contextmanager
def llama_server(model: Path, tmp: Path, *, alias: str = "smollm2", api_key: str | None = None,
                 n_ctx: int = 2048) -> Iterator[LlamaServer]:
    port = free_port()
    log = tmp / f"llama-server-{port}.log"
    args = [sys.executable, "-m", "llama_cpp.server", "--model", str(model), "--model_alias", alias,
            "--host", HOST, "--port", str(port), "--n_ctx", str(n_ctx), "--n_threads", "1", "--verbose", "false"]
    if api_key:
        args += ["--api_key", api_key]
    with open(log, "wb") as out:
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    server = LlamaServer(proc, port, log)
    try:
        deadline = time.monotonic() + 120
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {log.read_text(errors='replace')[-2000:]}")
            try:
                urllib.request.urlopen(f"http://{HOST}:{port}/docs", timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError("llama_cpp.server did not start within 120 s") from None
                time.sleep(0.2)
        yield server
    finally:
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(10)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


# -- the fault server -----------------------------------------------------------------------------


class _Handler(BaseHTTPRequestHandler):
    server: _FaultHTTPServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args: Any) -> None:
        pass

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _authorized(self) -> bool:
        key = self.server.api_key
        self.server.auth_seen.append(self.headers.get("Authorization", ""))
        if key and self.headers.get("Authorization") != f"Bearer {key}":
            self._json(401, {"error": {"message": "Invalid API key", "type": "auth"}})
            return False
        return True

    def do_GET(self) -> None:
        if self.path == "/health":
            self._json(200, {"status": "ok"})
        elif self.path == "/v1/models":
            if self._authorized():
                self._json(200, {"object": "list", "data": [{"id": m, "object": "model"} for m in self.server.models]})
        else:
            self._json(404, {"detail": "Not Found"})

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = json.loads(self.rfile.read(length) or b"{}")
        self.server.requests.append(body)
        if not self._authorized():
            return
        model = body.get("model")
        fmt = (body.get("response_format") or {}).get("type")
        if fmt and fmt in self.server.refuse_formats:
            self._json(400, {"error": {"message": f"response_format {fmt} is not supported"}})
            return
        if model == "boom":
            self._json(500, {"error": {"message": "CUDA out of memory"}})
            return
        if model not in self.server.models:
            self._json(404, {"error": {"message": f"model {model} not found"}})
            return
        if not body.get("stream"):
            self._whole(body)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-cache")
        self.end_headers()
        words = ["Cats", " are", " wise", " \x1b[31mred\x1b[0m", " and", " calm", "."]
        if model == "stall":
            self._event({"choices": [{"delta": {"content": "Hm"}, "index": 0}]})
            self.server.release.wait(30)
            return
        if model == "malformed":
            self._event({"choices": [{"delta": {"content": "Ok"}, "index": 0}]})
            self.wfile.write(b"data: {this is not json\n\n")
            self.wfile.flush()
            return
        for i, word in enumerate(words):
            if model == "die" and i == 3:
                self.connection.shutdown(socket.SHUT_RDWR)  # the server goes away mid-answer
                self.close_connection = True
                return
            self._event({"choices": [{"delta": {"content": word}, "index": 0, "finish_reason": None}]})
            if model == "slow" and self.server.release.wait(0.3):
                return
        self._event({"choices": [{"delta": {}, "index": 0, "finish_reason": "stop"}]})
        self.wfile.write(b"data: [DONE]\n\n")
        self.wfile.flush()
        self.close_connection = True

    def _event(self, data: Any) -> None:
        self.wfile.write(b": ping\n\ndata: " + json.dumps(data).encode() + b"\n\n")
        self.wfile.flush()

    def _whole(self, body: dict[str, Any]) -> None:
        text = '{"scores": {"A": 7}}' if body.get("response_format") else "Yes"
        choice: dict[str, Any] = {"index": 0, "message": {"role": "assistant", "content": text},
                                  "finish_reason": "stop"}
        if body.get("logprobs") and self.server.logprobs:
            choice["logprobs"] = {"content": [{"token": "Yes", "logprob": -0.2231, "top_logprobs": [
                {"token": "Yes", "logprob": -0.2231}, {"token": " no", "logprob": -1.8971},
                {"token": "Maybe", "logprob": -3.0}]}]}
        self._json(200, {"choices": [choice], "usage": {"prompt_tokens": 12, "completion_tokens": 1}})


class _FaultHTTPServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__((HOST, 0), _Handler)
        self.models = ["ok", "slow", "stall", "die", "malformed", "boom"]
        self.api_key: str | None = None
        self.logprobs = True
        self.refuse_formats: set[str] = set()
        self.requests: list[dict[str, Any]] = []
        self.auth_seen: list[str] = []
        self.release = threading.Event()

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/v1"


class FaultServer:
    def __init__(self) -> None:
        self.httpd = _FaultHTTPServer()
        self.thread = threading.Thread(target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.httpd.server_address[1]}/v1"

    def __enter__(self) -> _FaultHTTPServer:
        self.thread.start()
        return self.httpd

    def __exit__(self, *exc: object) -> None:
        self.httpd.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(5)


class MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    before = keyring.get_keyring()
    kr = MemoryKeyring()
    keyring.set_keyring(kr)
    try:
        yield kr
    finally:
        keyring.set_keyring(before)
