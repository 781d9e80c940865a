"""Remote seats: a model behind an OpenAI-compatible server (llama-server, llama-cpp-python's server,
Ollama, LM Studio, vLLM), spoken to over HTTP with the standard library.

Each call runs on a short-lived thread of its own, never on the decode loop's: local decoding never
waits on the network. Tokens and results come back on the asyncio loop through
``call_soon_threadsafe``, exactly as the engine's do (llm/backend.py). Stop shuts the socket down at
once, so a stream ends mid-token rather than at the server's next chunk.

Everything a server sends is untrusted: text deltas lose terminal control characters, error bodies
are shortened and cleaned, and the API key is never logged, stored in settings or echoed in a message.
"""

from __future__ import annotations

import asyncio
import contextlib
import http.client
import json
import logging
import math
import re
import socket
import ssl
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from ..core.types import Cancelled, CancelToken, Completion, CouncilError, MemberError, Probe, Request
from .secrets import KeyStoreError, load_key

log = logging.getLogger(__name__)

REMOTE_KEY = "remote_models"  # settings: the user's remote endpoints (never their keys)
REMOTE_PREFIX = "remote:"  # how a remote model is named among catalogue, hub and local model ids
_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
_ENV = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,127}$")
# C0 controls except tab and newline, DEL and the C1 range: nothing from a server may drive a terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
TOP_LOGPROBS = 20


class RemoteError(CouncilError):
    """A remote server could not be used; the message names the server, the HTTP status where there is
    one, and what to do."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def clean_text(text: str) -> str:
    """Server text with terminal control sequences removed (tab and newline kept)."""
    return _CONTROL.sub("", text)


def _short(text: str, limit: int = 160) -> str:
    text = " ".join(clean_text(text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


@dataclass(frozen=True)
class RemoteSpec:
    """One model on an OpenAI-compatible server. ``base_url`` ends in the API root (``…/v1``)."""

    id: str
    base_url: str
    model: str
    name: str = ""
    api_key_env: str = ""  # an environment variable holding the key; else the OS keyring is asked
    connect_timeout: float = 5.0
    read_timeout: float = 60.0  # the longest silence allowed inside a response (a stalled server)
    verify_tls: bool = True

    @property
    def model_id(self) -> str:
        return REMOTE_PREFIX + self.id

    @property
    def server(self) -> str:
        """How messages name the server: scheme://host:port."""
        u = urllib.parse.urlsplit(self.base_url)
        return f"{u.scheme}://{u.netloc}"

    @property
    def label(self) -> str:
        return f"{self.model} @ {urllib.parse.urlsplit(self.base_url).netloc}"

    @property
    def display_name(self) -> str:
        return self.name or self.model

    def record(self) -> dict[str, Any]:
        """The settings record: everything but the key."""
        return {"id": self.id, "name": self.name, "url": self.base_url, "model": self.model,
                "api_key_env": self.api_key_env, "connect_timeout": self.connect_timeout,
                "read_timeout": self.read_timeout, "verify_tls": self.verify_tls}


def normalize_url(url: str) -> str:
    """An http(s) API root without a trailing slash; ValueError for anything else (credentials or a
    query in the URL would end up in settings.json, so they are refused)."""
    url = url.strip()
    u = urllib.parse.urlsplit(url)
    if u.scheme not in ("http", "https") or not u.hostname:
        raise ValueError(f"expected a URL like http://127.0.0.1:8080/v1, not {_short(url, 80)!r}")
    if u.username or u.password:
        raise ValueError("put the API key in the keyring or an environment variable, not in the URL")
    if u.query or u.fragment:
        raise ValueError("the server URL takes no query string or fragment")
    try:
        u.port  # noqa: B018 - raises ValueError for a bad port
    except ValueError as exc:
        raise ValueError(f"bad port in {url!r}") from exc
    path = u.path.rstrip("/")
    return urllib.parse.urlunsplit((u.scheme, u.netloc, path, "", ""))


def make_spec(remote_id: str, url: str, model: str, *, name: str = "", api_key_env: str = "",
              connect_timeout: float = 5.0, read_timeout: float = 60.0, verify_tls: bool = True) -> RemoteSpec:
    """A validated spec (ValueError with a one-line reason for bad input)."""
    remote_id, model, api_key_env = remote_id.strip(), model.strip(), api_key_env.strip()
    if not _ID.match(remote_id):
        raise ValueError(f"a remote id is letters, digits, '.', '_' or '-' (up to 64), not {remote_id!r}")
    if not model or len(model) > 256 or _CONTROL.search(model):
        raise ValueError("the model name on the server is required (as /v1/models lists it)")
    if api_key_env and not _ENV.match(api_key_env):
        raise ValueError(f"{api_key_env!r} is not an environment variable name")
    if not (0 < connect_timeout <= 600 and 0 < read_timeout <= 3600):
        raise ValueError("timeouts are seconds: connect up to 600, read up to 3600")
    return RemoteSpec(remote_id, normalize_url(url), model, _short(name, 64), api_key_env, float(connect_timeout),
                      float(read_timeout), bool(verify_tls))


def spec_from_record(record: Mapping[str, Any]) -> RemoteSpec | None:
    try:
        return make_spec(str(record["id"]), str(record["url"]), str(record["model"]),
                         name=str(record.get("name") or ""), api_key_env=str(record.get("api_key_env") or ""),
                         connect_timeout=float(record.get("connect_timeout") or 5.0),
                         read_timeout=float(record.get("read_timeout") or 60.0),
                         verify_tls=record.get("verify_tls", True) is not False)
    except (KeyError, TypeError, ValueError):
        log.warning("skipping a damaged remote model record (id %r)", record.get("id") if isinstance(record, Mapping)
                    else None)
        return None


def remote_specs(settings: Mapping[str, Any]) -> list[RemoteSpec]:
    raw = settings.get(REMOTE_KEY)
    if not isinstance(raw, list):
        return []
    return [s for s in (spec_from_record(r) for r in raw if isinstance(r, Mapping)) if s is not None]


def find_remote(settings: Mapping[str, Any], model_id: str) -> RemoteSpec | None:
    """The remote spec for ``ID`` or ``remote:ID``."""
    rid = model_id.removeprefix(REMOTE_PREFIX)
    return next((s for s in remote_specs(settings) if s.id == rid), None)


# -- HTTP -----------------------------------------------------------------------------------------


class _Call:
    """One HTTP exchange that another thread may abort at any moment."""

    def __init__(self) -> None:
        self.conn: http.client.HTTPConnection | None = None
        # The socket itself: http.client lets go of it (conn.sock = None) once a streamed response
        # takes it over, and a stop must still reach it.
        self.sock: socket.socket | None = None
        self.aborted = False
        self._lock = threading.Lock()

    def attach(self, conn: http.client.HTTPConnection) -> None:
        with self._lock:
            self.conn = conn
            if self.aborted:
                self._close()

    def abort(self) -> None:
        with self._lock:
            self.aborted = True
            self._close()

    def connected(self, sock: socket.socket | None) -> None:
        with self._lock:
            self.sock = sock
            if self.aborted:
                self._close()

    def _close(self) -> None:
        conn = self.conn
        if conn is None:
            return
        sock = self.sock or conn.sock
        if sock is not None:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv at once
        conn.close()


@dataclass
class ChatResult:
    text: str
    tokens: int
    seconds: float
    first_token_s: float | None
    finish: str
    prompt_tokens: int = 0
    logprobs: list[dict[str, Any]] = field(default_factory=list)


class RemoteClient:
    """Blocking calls to one server; each method may be aborted through ``call``."""

    def __init__(self, spec: RemoteSpec, api_key: str | None = None) -> None:
        self.spec = spec
        self._key = api_key or None
        u = urllib.parse.urlsplit(spec.base_url)
        self._https = u.scheme == "https"
        self._host = u.hostname or ""
        self._port = u.port
        self._root = u.path.rstrip("/")

    # -- plumbing -------------------------------------------------------------------------------

    def _connect(self, call: _Call) -> http.client.HTTPConnection:
        conn: http.client.HTTPConnection
        if self._https:
            ctx = ssl.create_default_context()
            if not self.spec.verify_tls:
                ctx.check_hostname = False
                ctx.verify_mode = ssl.CERT_NONE
            conn = http.client.HTTPSConnection(self._host, self._port, timeout=self.spec.connect_timeout,
                                               context=ctx)
        else:
            conn = http.client.HTTPConnection(self._host, self._port, timeout=self.spec.connect_timeout)
        call.attach(conn)
        if call.aborted:
            raise Cancelled("stopped by the user")
        try:
            conn.connect()
        except (OSError, ssl.SSLError) as exc:
            if call.aborted:
                raise Cancelled("stopped by the user") from exc
            raise self._network_error(exc, "connect") from exc
        if conn.sock is not None:
            conn.sock.settimeout(self.spec.read_timeout)
        call.connected(conn.sock)
        return conn

    def _headers(self, body: bool) -> dict[str, str]:
        h = {"Accept": "application/json, text/event-stream", "User-Agent": "council-desktop"}
        if body:
            h["Content-Type"] = "application/json"
        if self._key:
            h["Authorization"] = f"Bearer {self._key}"
        return h

    def _redact(self, text: str) -> str:
        return text.replace(self._key, "[key]") if self._key else text

    def _network_error(self, exc: BaseException, when: str) -> RemoteError:
        server = self.spec.server
        if isinstance(exc, ssl.SSLCertVerificationError):
            why = _short(str(exc.verify_message))
            return RemoteError(f"{server}: its TLS certificate could not be verified ({why}); "
                               "install the server's CA on this machine, or turn off TLS verification for "
                               "this remote only if you trust the network")
        if isinstance(exc, TimeoutError | socket.timeout):
            if when == "connect":
                return RemoteError(f"{server} did not accept a connection within {self.spec.connect_timeout:g} s; "
                                   "check that the server is running and the URL is right")
            return RemoteError(f"{server} sent nothing for {self.spec.read_timeout:g} s (stalled or overloaded); "
                               "check the server, or raise the read timeout of this remote")
        if isinstance(exc, ConnectionRefusedError):
            return RemoteError(f"{server} refused the connection; is the server running on that port?")
        if isinstance(exc, socket.gaierror):
            return RemoteError(f"{server}: the host name could not be resolved; check the URL")
        if when == "stream":
            return RemoteError(f"{server} closed the connection mid-answer ({_short(type(exc).__name__)}); "
                               "the server may have stopped or crashed — check it and try again")
        return RemoteError(f"{server}: network error ({_short(self._redact(str(exc)) or type(exc).__name__)}); "
                           "check that the server is running and reachable")

    def _http_error(self, status: int, reason: str, body: bytes, path: str) -> RemoteError:
        server = self.spec.server
        detail = ""
        try:
            data = json.loads(body.decode("utf-8", "replace"))
            err = data.get("error", data.get("detail", data)) if isinstance(data, dict) else data
            if isinstance(err, dict):
                err = err.get("message") or err.get("detail") or err
            detail = _short(self._redact(str(err)))
        except ValueError:
            detail = _short(self._redact(body.decode("utf-8", "replace")))
        what = f"{server} answered HTTP {status} {_short(reason, 40)}".rstrip()
        if detail:
            what += f" ({detail})"
        if status in (401, 403):
            hint = ("the API key is missing or wrong: set it for this remote (Settings → Remote models, or "
                    "`council-desktop remote add ID … --api-key-env VAR`)")
        elif status == 404:
            hint = (f"the server has no {path} or does not serve model {self.spec.model!r}: check that the "
                    "URL ends in the API root (usually /v1) and the model name as /v1/models lists it")
        elif status == 429:
            hint = "the server is rate-limiting: wait, or give the council fewer seats on it"
        elif status >= 500:
            hint = "the server failed: check its log; it may be out of memory or the model may have crashed"
        else:
            hint = "the server refused the request"
        return RemoteError(f"{what}; {hint}", status)

    @contextmanager
    def _io(self, call: _Call, what: str) -> Iterator[None]:
        """Network trouble inside the block: Cancelled when the user stopped the call (its socket was shut
        down), else RemoteError naming the server and ``what`` failed."""
        try:
            yield
        except (OSError, http.client.HTTPException) as exc:
            if call.aborted:
                raise Cancelled("stopped by the user") from exc
            raise self._network_error(exc, what) from exc

    def _request(self, call: _Call, method: str, path: str, payload: Mapping[str, Any] | None = None,
                 ) -> tuple[http.client.HTTPConnection, http.client.HTTPResponse]:
        conn = self._connect(call)
        body = json.dumps(payload).encode() if payload is not None else None
        try:
            with self._io(call, "request"):
                conn.request(method, self._root + path, body=body, headers=self._headers(body is not None))
                resp = conn.getresponse()
        except BaseException:
            conn.close()
            raise
        if resp.status >= 400:
            try:
                data = resp.read(8192)
            except (OSError, http.client.HTTPException):
                data = b""
            conn.close()
            raise self._http_error(resp.status, resp.reason, data, path)
        return conn, resp

    def _get_json(self, path: str, call: _Call | None = None, origin: bool = False) -> Any:
        call = call or _Call()
        conn = self._connect(call)
        full = path if origin else self._root + path
        try:
            with self._io(call, "request"):
                conn.request("GET", full, headers=self._headers(False))
                resp = conn.getresponse()
                data = resp.read(1_000_000)
        finally:
            conn.close()
        if resp.status >= 400:
            raise self._http_error(resp.status, resp.reason, data, full)
        try:
            return json.loads(data.decode("utf-8", "replace")) if data.strip() else None
        except ValueError as exc:
            raise RemoteError(f"{self.spec.server} answered {full} with something that is not JSON; "
                              "check that the URL points at an OpenAI-compatible API root (…/v1)") from exc

    # -- the API --------------------------------------------------------------------------------

    def models(self, call: _Call | None = None) -> list[str]:
        """The model ids GET /models lists."""
        data = self._get_json("/models", call)
        items = data.get("data") if isinstance(data, dict) else None
        if not isinstance(items, list):
            raise RemoteError(f"{self.spec.server} answered /models without a model list; check that the URL "
                              "points at an OpenAI-compatible API root (…/v1)")
        return [_short(str(m.get("id")), 200) for m in items if isinstance(m, dict) and m.get("id") is not None]

    def health(self, call: _Call | None = None) -> str:
        """The server's own /health (llama-server, vLLM, llama-cpp-python): "ok", or why not; servers
        without one (Ollama, LM Studio) answer "no /health endpoint"."""
        try:
            self._get_json("/health", call, origin=True)
            return "ok"
        except RemoteError as exc:
            if exc.status == 404:
                return "no /health endpoint"
            if exc.status is not None:
                return f"HTTP {exc.status}"
            raise

    def check(self) -> tuple[float, list[str]]:
        """(seconds, models) after checking the server lists this spec's model; RemoteError if not."""
        t0 = time.monotonic()
        models = self.models()
        took = time.monotonic() - t0
        if self.spec.model not in models:
            listed = ", ".join(models[:8]) + (" …" if len(models) > 8 else "") or "none"
            raise RemoteError(f"{self.spec.server} does not serve model {self.spec.model!r} (it lists: {listed}); "
                              "fix the model name of this remote")
        return took, models

    def chat(self, call: _Call, messages: Sequence[Mapping[str, str]], params: Mapping[str, Any],
             on_delta: Callable[[str], None] | None = None) -> ChatResult:
        """One chat completion, streamed over SSE when ``on_delta`` is given (else one JSON answer)."""
        payload: dict[str, Any] = {"model": self.spec.model, "messages": list(messages), **params,
                                   "stream": on_delta is not None}
        t0 = time.monotonic()
        conn, resp = self._request(call, "POST", "/chat/completions", payload)
        try:
            if on_delta is None:
                return self._read_whole(call, resp, t0)
            return self._read_stream(call, resp, t0, on_delta)
        finally:
            # The response holds the socket once it has taken it over: close both, or a stream cut
            # short (a Stop, a dead server) leaves the socket open until the collector finds it.
            with contextlib.suppress(OSError):
                resp.close()
            conn.close()

    def _read_whole(self, call: _Call, resp: http.client.HTTPResponse, t0: float) -> ChatResult:
        with self._io(call, "stream"):
            raw = resp.read(4_000_000)
        try:
            data = json.loads(raw.decode("utf-8", "replace"))
            choice = data["choices"][0]
            message = choice.get("message") or {}
            text = clean_text(str(message.get("content") or ""))
        except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
            raise RemoteError(f"{self.spec.server} sent a chat completion that is not OpenAI-shaped JSON; "
                              "check that the URL points at an OpenAI-compatible API root (…/v1)") from exc
        usage: dict[str, Any] = data["usage"] if isinstance(data.get("usage"), dict) else {}
        logprobs: dict[str, Any] = choice["logprobs"] if isinstance(choice.get("logprobs"), dict) else {}
        content: list[Any] = logprobs["content"] if isinstance(logprobs.get("content"), list) else []
        seconds = time.monotonic() - t0
        tokens = _int(usage.get("completion_tokens")) or len(text.split())
        return ChatResult(text, tokens, seconds, seconds, _finish(choice.get("finish_reason")),
                          _int(usage.get("prompt_tokens")), [c for c in content if isinstance(c, dict)])

    def _read_stream(self, call: _Call, resp: http.client.HTTPResponse, t0: float,
                     on_delta: Callable[[str], None]) -> ChatResult:
        server = self.spec.server
        parts: list[str] = []
        tokens = 0
        first: float | None = None
        finish: str | None = None
        usage: dict[str, Any] = {}
        data_lines: list[str] = []
        done = False

        def dispatch() -> None:
            nonlocal tokens, first, finish, usage, done
            payload = "\n".join(data_lines)
            data_lines.clear()
            if not payload:
                return
            if payload.strip() == "[DONE]":
                done = True
                return
            try:
                event = json.loads(payload)
            except ValueError as exc:
                raise RemoteError(f"{server} sent a malformed stream event (not JSON: {_short(payload, 60)!r}); "
                                  "the server may not be OpenAI-compatible — check its URL and version") from exc
            if not isinstance(event, dict):
                raise RemoteError(f"{server} sent a malformed stream event; check that it is OpenAI-compatible")
            if "error" in event:
                err = event["error"]
                msg = err.get("message") if isinstance(err, dict) else err
                raise RemoteError(f"{server} reported an error mid-answer ({_short(self._redact(str(msg)))}); "
                                  "check the server's log")
            if isinstance(event.get("usage"), dict):
                usage = event["usage"]
            choices = event.get("choices")
            if not isinstance(choices, list):
                raise RemoteError(f"{server} sent a stream event without choices; check that it is OpenAI-compatible")
            if not choices:
                return
            choice: dict[str, Any] = choices[0] if isinstance(choices[0], dict) else {}
            delta: dict[str, Any] = choice["delta"] if isinstance(choice.get("delta"), dict) else {}
            text = delta.get("content")
            if isinstance(text, str) and text:
                text = clean_text(text)
                if text:
                    if first is None:
                        first = time.monotonic() - t0
                    tokens += 1
                    parts.append(text)
                    on_delta(text)
            if choice.get("finish_reason"):
                finish = str(choice["finish_reason"])

        try:
            while not done:
                raw = resp.readline(1_000_000)
                if not raw:
                    break
                line = raw.decode("utf-8", "replace").rstrip("\r\n")
                if not line:
                    dispatch()
                elif line.startswith(":"):
                    continue  # a comment: keep-alive pings
                elif line.startswith("data:"):
                    data_lines.append(line[5:].removeprefix(" "))
                    if line[5:].strip() == "[DONE]":
                        dispatch()
                # other fields (event:, id:, retry:) carry nothing for us
            if data_lines:
                dispatch()
        except (OSError, http.client.HTTPException, ValueError) as exc:
            if call.aborted:
                raise Cancelled("stopped by the user") from exc
            if isinstance(exc, ValueError) and not isinstance(exc, RemoteError):
                raise RemoteError(f"{server} sent a malformed stream; check that it is OpenAI-compatible") from exc
            raise self._network_error(exc, "stream") from exc
        if call.aborted:
            raise Cancelled("stopped by the user")
        if not done and finish is None:
            raise RemoteError(f"{server} closed the stream mid-answer after {tokens} tokens; the server may have "
                              "stopped or crashed — check it and try again")
        return ChatResult("".join(parts), _int(usage.get("completion_tokens")) or tokens,
                          time.monotonic() - t0, first, _finish(finish), _int(usage.get("prompt_tokens")))


def _int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _finish(reason: Any) -> str:
    return "length" if reason == "length" else "stop"


def yes_probabilities(logprobs: Sequence[Mapping[str, Any]], choices: Sequence[str]) -> dict[str, float]:
    """Probabilities over ``choices`` from the first generated token's ``top_logprobs`` (tokens that are
    a choice up to case and surrounding space count for it), normalised over the choices; {} when none
    of them is among the top tokens."""
    if not logprobs:
        return {}
    first = logprobs[0]
    tops = first.get("top_logprobs")
    candidates = [t for t in tops if isinstance(t, Mapping)] if isinstance(tops, list) else []
    if not candidates:
        candidates = [first]
    mass = {c: 0.0 for c in choices}
    lowest = 0.0
    for cand in candidates:
        token = str(cand.get("token", "")).strip().lower()
        try:
            lp = float(cand.get("logprob"))  # type: ignore[arg-type]
        except (TypeError, ValueError):
            continue
        if not math.isfinite(lp):
            continue
        lowest = min(lowest, lp)
        for c in choices:
            if token and token == c.lower():
                mass[c] += math.exp(lp)
    if not any(mass.values()):
        return {}
    # A choice outside the top tokens is less likely than the least likely of them: half of that.
    floor = math.exp(lowest) / 2
    mass = {c: v or floor for c, v in mass.items()}
    total = sum(mass.values())
    return {c: v / total for c, v in mass.items()}


# -- the backend ----------------------------------------------------------------------------------


@dataclass
class SeatStats:
    """What Settings shows per remote seat: time to the first token and tokens/s of the last answer."""

    latency_s: float | None = None
    tokens_per_s: float | None = None
    error: str = ""


class RemoteBackend:
    """Implements core's CouncilBackend for remote seats (``seats``: member id -> spec)."""

    def __init__(self, seats: Mapping[str, RemoteSpec], loop: asyncio.AbstractEventLoop | None = None,
                 keys: Callable[[RemoteSpec], str | None] = load_key,
                 stats: dict[str, SeatStats] | None = None) -> None:
        self.seats = dict(seats)
        self._loop = loop
        self._keys = keys
        self._key_cache: dict[str, str | None] = {}
        self._cancel = CancelToken()
        self._calls: set[_Call] = set()
        self._lock = threading.Lock()
        self.stats: dict[str, SeatStats] = stats if stats is not None else {}
        for mid in self.seats:
            self.stats.setdefault(mid, SeatStats())
        # Structured output a server refused ("json_schema", then "json_object"), per remote id.
        self._refused_formats: dict[str, set[str]] = {}

    @property
    def loop(self) -> asyncio.AbstractEventLoop:
        """The given loop, else the running one (each session may run on a loop of its own)."""
        return self._loop or asyncio.get_running_loop()

    def _client(self, spec: RemoteSpec) -> RemoteClient:
        if spec.id not in self._key_cache:
            try:
                self._key_cache[spec.id] = self._keys(spec)
            except KeyStoreError as exc:
                raise RemoteError(str(exc)) from exc
        return RemoteClient(spec, self._key_cache[spec.id])

    @staticmethod
    def _post(loop: asyncio.AbstractEventLoop, fn: Callable[..., None], *args: Any) -> None:
        if not loop.is_closed():
            loop.call_soon_threadsafe(fn, *args)

    def _spawn(self, member_id: str, fut: asyncio.Future[Any], work: Callable[[_Call], Any]) -> None:
        call = _Call()
        cancel = self._cancel
        loop = self.loop
        with self._lock:
            self._calls.add(call)

        def run() -> None:
            result: Any
            try:
                if cancel.cancelled:
                    raise Cancelled("stopped by the user")
                result = work(call)
            except Cancelled as exc:
                result = exc
            except RemoteError as exc:
                result = MemberError(member_id, str(exc))
                self.stats.setdefault(member_id, SeatStats()).error = str(exc)
            except Exception as exc:  # a bug must fail one seat, never the loop
                log.exception("remote call for %s failed", member_id)
                result = MemberError(member_id, f"remote call failed unexpectedly ({type(exc).__name__})")
            if call.aborted and not isinstance(result, Cancelled):
                result = Cancelled("stopped by the user")
            with self._lock:
                self._calls.discard(call)
            self._post(loop, _settle, fut, result)

        threading.Thread(target=run, name=f"council-remote-{member_id}", daemon=True).start()

    def submit(self, requests: Sequence[Request]) -> list[asyncio.Future[Completion]]:
        if self._cancel.cancelled:
            self._cancel = CancelToken()
        futures: list[asyncio.Future[Completion]] = []
        for req in requests:
            fut: asyncio.Future[Completion] = self.loop.create_future()
            futures.append(fut)
            spec = self.seats.get(req.member_id)
            if spec is None:
                fut.set_exception(MemberError(req.member_id, "no remote seat for this member"))
                continue
            self._spawn(req.member_id, fut, self._chat_work(spec, req))
        return futures

    def _chat_work(self, spec: RemoteSpec, req: Request) -> Callable[[_Call], Completion]:
        on_token = req.on_token
        messages = [{"role": m.role, "content": m.content} for m in req.messages]
        p = req.params
        params: dict[str, Any] = {"max_tokens": p.max_tokens, "temperature": p.temperature, "top_p": p.top_p,
                                  "seed": p.seed}
        if p.stop:
            params["stop"] = list(p.stop)[:4]

        loop = self.loop

        def on_delta(text: str) -> None:
            if on_token is not None:
                self._post(loop, on_token, text)

        def work(call: _Call) -> Completion:
            client = self._client(spec)
            if p.json_schema is not None:
                result = self._structured(spec, client, call, messages, params, p.json_schema)
            else:
                result = client.chat(call, messages, params, on_delta if on_token else None)
            stats = self.stats.setdefault(req.member_id, SeatStats())
            stats.latency_s = result.first_token_s
            stats.tokens_per_s = result.tokens / result.seconds if result.seconds > 0 else None
            stats.error = ""
            return Completion(result.text, result.tokens, result.seconds,
                              "length" if result.finish == "length" else "stop", result.prompt_tokens)
        return work

    def _structured(self, spec: RemoteSpec, client: RemoteClient, call: _Call, messages: list[dict[str, str]],
                    params: dict[str, Any], schema: dict[str, Any]) -> ChatResult:
        """A JSON ballot: OpenAI's ``json_schema`` response format, else the ``json_object``+schema form
        (llama-cpp-python), else plain text for the lenient parser. A format a server refuses (HTTP 400
        or 422) is remembered for the session."""
        refused = self._refused_formats.setdefault(spec.id, set())
        formats = {
            "json_schema": {"type": "json_schema", "json_schema": {"name": "ballot", "schema": schema, "strict": True}},
            "json_object": {"type": "json_object", "schema": schema},
        }
        for name, fmt in formats.items():
            if name in refused:
                continue
            try:
                return client.chat(call, messages, {**params, "response_format": fmt})
            except RemoteError as exc:
                if exc.status not in (400, 422):
                    raise
                log.info("%s refused response_format %s (HTTP %s)", spec.server, name, exc.status)
                refused.add(name)
        return client.chat(call, messages, params)

    def probe(self, probes: Sequence[Probe]) -> list[asyncio.Future[dict[str, float]]]:
        """Yes/No probabilities from the first token's ``top_logprobs``; {} (so the pipeline falls back to
        a structured ballot) when the server gives none or a probe needs a reply prefix."""
        if self._cancel.cancelled:
            self._cancel = CancelToken()
        futures: list[asyncio.Future[dict[str, float]]] = []
        for pr in probes:
            fut: asyncio.Future[dict[str, float]] = self.loop.create_future()
            futures.append(fut)
            spec = self.seats.get(pr.member_id)
            if spec is None:
                fut.set_exception(MemberError(pr.member_id, "no remote seat for this member"))
                continue
            if pr.prefix or pr.reply:  # a reply's likelihood needs the prompt's logprobs: not over this API
                fut.set_result({})
                continue
            self._spawn(pr.member_id, fut, self._probe_work(spec, pr))
        return futures

    def _probe_work(self, spec: RemoteSpec, pr: Probe) -> Callable[[_Call], dict[str, float]]:
        messages = [{"role": m.role, "content": m.content} for m in pr.messages]

        def work(call: _Call) -> dict[str, float]:
            client = self._client(spec)
            params = {"max_tokens": 1, "temperature": 0.0, "logprobs": True, "top_logprobs": TOP_LOGPROBS}
            try:
                result = client.chat(call, messages, params)
            except RemoteError as exc:
                # A server that takes no logprobs refuses them (400/422, or 500 from llama-cpp-python
                # without logits_all): judge with a structured ballot instead. A server that is really
                # broken fails that ballot too, with its own reason.
                if exc.status is not None and exc.status not in (401, 403, 404, 429):
                    return {}
                raise
            return yes_probabilities(result.logprobs, pr.choices)
        return work

    def cancel(self) -> None:
        """Stop every remote call at once: sockets are shut down, streams end mid-token."""
        self._cancel.cancel()
        with self._lock:
            calls = list(self._calls)
        for call in calls:
            call.abort()


def _settle(fut: asyncio.Future[Any], result: Any) -> None:
    if fut.done():
        return
    if isinstance(result, BaseException):
        fut.set_exception(result)
    else:
        fut.set_result(result)
