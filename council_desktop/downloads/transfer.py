"""The resumable downloader: plain HTTP Range requests on the hub's URLs, verified before installing.

Why not ``hf_hub_download``: it deletes partial files on failure, cannot be cancelled, and its Xet
path cannot be resumed by us. So the hub gives us the URL, the size, the sha256 and the token
(``hub.py``) and this module owns the bytes:

- ``<dest>.part`` grows by appending; ``<dest>.part.json`` records url, size, sha256 and etag. A later
  call (even after the app was killed) resumes with ``Range: bytes=N-`` when the sidecar still matches
  the hub's metadata, and starts over when the file changed upstream.
- 206 must start exactly at N and report the expected total; a 200 means the server ignored the
  Range, so the part is truncated and the body taken from byte 0; 416 restarts from zero.
- Drops, timeouts, stalls (no byte for ``stall_seconds``) and 429/5xx are retried with exponential
  backoff and jitter. An attempt that moved at least 1 MiB does not count against ``retries``, so a
  flaky line that keeps delivering still finishes.
- Cancel is checked per chunk; a watchdog thread also shuts the socket down so a cancel during a
  stall returns at once rather than after the stall timeout.
- Free space is checked before (size + a reserve) and every 16 MiB; ENOSPC keeps the part file.
- Size, sha256 and the GGUF header are checked on the part file; only then is it ``os.replace``d into
  place and entered in ``installed.json``. A wrong sha256 deletes the part file.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import hashlib
import http.client
import json
import os
import random
import re
import socket
import ssl
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, NoReturn, TypeVar
from urllib.parse import urljoin, urlsplit, urlunsplit
from urllib.request import getproxies, proxy_bypass

from .. import __version__
from ..core.filelock import FileLock
from ..core.gguf import GGUFError, read_gguf
from .errors import (
    ChecksumMismatchError,
    DiskFullError,
    DownloadCancelled,
    DownloadError,
    NetworkError,
    NotGGUFError,
    SizeMismatchError,
    StalledError,
    UnsafeModelError,
    UpstreamChangedError,
)
from .files import fmt_bytes, free_bytes, fsync_dir, part_paths, sha256_file, unlink_quietly
from .hub import RemoteFile, fetch_metadata, resolve_token, status_error
from .probe import probe_gguf_in_subprocess
from .progress import Cancel, ProgressCallback, ProgressReporter, is_cancelled, wait_cancellable
from .registry import DownloadSpec, InstalledModel, ShaSource, find_installed, install_path, now_iso, register
from .registry import atomic_write_text as _atomic_write_text

DEFAULT_RETRIES = 6
DEFAULT_STALL_SECONDS = 30.0
DEFAULT_BACKOFF_S = 1.0
DEFAULT_MAX_BACKOFF_S = 60.0
CHUNK_BYTES = 256 * 1024
DISK_RESERVE_BYTES = 64 * 1024 * 1024  # keep this much free beyond the file itself
PROGRESS_RESETS_RETRIES_BYTES = 1024 * 1024
_DISK_CHECK_EVERY = 16 * 1024 * 1024
_MAX_REDIRECTS = 8
_MAX_RESTARTS = 3
_SIDECAR_VERSION = 1
_USER_AGENT = f"council-desktop/{__version__}"
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$")

T = TypeVar("T")

_active: set[Path] = set()
_active_lock = threading.Lock()


class _Retry(NetworkError):
    """A transient failure inside one attempt (drop, stall, 5xx): back off and try again."""

    def __init__(self, reason: str, *, filename: str = "", stalled: bool = False,
                 retry_after: float | None = None) -> None:
        super().__init__(reason, filename=filename)
        self.stalled = stalled
        self.retry_after = retry_after


class _Restart(Exception):
    """The part file cannot be continued (wrong resume offset, 416): it was truncated; go again."""


# Seams for tests (a full disk cannot be made on demand); production code calls them directly.
def _free_bytes(path: Path) -> int:
    return free_bytes(path)


def _write_all(fh: IO[bytes], data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = fh.write(view)
        if written is None:  # only non-blocking files return None
            raise OSError(errno.EAGAIN, "write would block")
        view = view[written:]


def download(spec: DownloadSpec, models_dir: Path, *, endpoint: str | None = None,
             token: str | bool | None = None, progress: ProgressCallback | None = None,
             cancel: Cancel | None = None, retries: int = DEFAULT_RETRIES,
             stall_seconds: float = DEFAULT_STALL_SECONDS, backoff_s: float = DEFAULT_BACKOFF_S,
             max_backoff_s: float = DEFAULT_MAX_BACKOFF_S, probe: bool = False) -> Path:
    """Download ``spec`` into ``models_dir`` (blocking; run it off the GUI thread) and return the path of
    the verified, registered file. Returns at once if it is already installed.

    ``endpoint`` overrides ``HF_ENDPOINT``; ``token`` None uses the token saved with the hub, False none.
    ``cancel`` is a ``threading.Event`` or ``CancelToken``. Raises a ``DownloadError`` subclass whose
    message names the file and the reason; ``err.keeps_partial`` tells whether a resume is possible.
    ``probe``: before it is moved into place, the verified file is also loaded by llama.cpp in a
    throwaway process (for files the user chose, which no catalogue vouches for).
    """
    models_dir = Path(models_dir)
    dest = install_path(spec, models_dir)
    report = ProgressReporter(dest.name, progress)
    installed = _installed_copy(spec, models_dir)
    if installed is not None:
        report.update("done", installed.size, installed.size, message="already installed", force=True)
        return installed.path
    with _claim(dest):
        job = _Download(spec, models_dir, dest, endpoint=endpoint, token=token, report=report, cancel=cancel,
                        retries=retries, stall_seconds=stall_seconds, backoff_s=backoff_s,
                        max_backoff_s=max_backoff_s, probe=probe)
        return job.run()


def _installed_copy(spec: DownloadSpec, models_dir: Path) -> InstalledModel | None:
    entry = find_installed(spec.id, models_dir)
    if entry is None or not entry.path.is_file() or entry.path.stat().st_size != entry.size:
        return None
    if spec.sha256 and entry.sha256 != spec.sha256:
        return None
    return entry


@contextlib.contextmanager
def _claim(dest: Path) -> Iterator[None]:
    """One download per destination at a time in this process (two writers on one .part would corrupt
    it); ``_Download.run`` holds a ``FileLock`` for the same between processes."""
    with _active_lock:
        if dest in _active:
            raise DownloadError("a download of this file is already running", filename=dest.name)
        _active.add(dest)
    try:
        yield
    finally:
        with _active_lock:
            _active.discard(dest)


def lock_path(dest: Path, models_dir: Path) -> Path:
    """The advisory lock a download of ``dest`` holds, kept apart so model folders empty out cleanly."""
    key = hashlib.sha1(str(dest.resolve()).encode(), usedforsecurity=False).hexdigest()[:16]
    return models_dir / f".download-{key}.lock"


class _Watchdog:
    """Shuts the connection's socket down when cancel is set, so a read blocked in a stall returns now."""

    def __init__(self, cancel: Cancel, conn: http.client.HTTPConnection) -> None:
        self._cancel = cancel
        self._conn = conn
        # http.client drops conn.sock once a response that closes the connection begins (it hands the
        # socket to the response), so the socket is also kept here as soon as the request was sent
        self.sock: socket.socket | None = None
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="download-watchdog", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._done.wait(0.05):
            if is_cancelled(self._cancel):
                sock = self.sock or self._conn.sock
                if sock is not None:
                    with contextlib.suppress(OSError):
                        # the plain-socket shutdown, also for TLS sockets: it wakes a blocked recv
                        socket.socket.shutdown(sock, socket.SHUT_RDWR)
                return

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


_ssl_ctx: ssl.SSLContext | None = None


def _ssl_context() -> ssl.SSLContext:
    """The OS trust store through truststore (a hub dependency) when available, as the hub itself does."""
    global _ssl_ctx
    if _ssl_ctx is None:
        try:
            import truststore

            _ssl_ctx = truststore.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        except Exception:
            _ssl_ctx = ssl.create_default_context()
    return _ssl_ctx


def _connection(url: str, timeout: float) -> tuple[http.client.HTTPConnection, str]:
    """A connection for ``url`` (through the environment's proxy if any) and the request target."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DownloadError(f"cannot download from {url!r} (only http and https URLs)")
    host, port = parts.hostname, parts.port
    target = urlunsplit(("", "", parts.path or "/", parts.query, ""))
    proxy = None if proxy_bypass(host) else getproxies().get(parts.scheme)
    conn: http.client.HTTPConnection
    if proxy:
        p = urlsplit(proxy if "://" in proxy else f"http://{proxy}")
        headers = {}
        if p.username:
            creds = f"{p.username}:{p.password or ''}".encode()
            headers["Proxy-Authorization"] = "Basic " + base64.b64encode(creds).decode()
        if parts.scheme == "https":
            conn = http.client.HTTPSConnection(p.hostname or "", p.port or 8080, timeout=timeout,
                                               context=_ssl_context())
            conn.set_tunnel(host, port or 443, headers=headers)
        else:
            conn = http.client.HTTPConnection(p.hostname or "", p.port or 8080, timeout=timeout)
            target = url  # a plain-HTTP proxy takes the absolute URL
    elif parts.scheme == "https":
        conn = http.client.HTTPSConnection(host, port, timeout=timeout, context=_ssl_context())
    else:
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
    return conn, target


def _origin(url: str) -> tuple[str, str, int | None]:
    p = urlsplit(url)
    return p.scheme, (p.hostname or "").lower(), p.port


def _describe(exc: BaseException) -> str:
    text = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(text)


def _parse_content_range(value: str | None) -> tuple[int, int | None] | None:
    m = _CONTENT_RANGE.match(value or "")
    if not m:
        return None
    return int(m.group(1)), None if m.group(3) == "*" else int(m.group(3))


def _retry_after(resp: http.client.HTTPResponse) -> float | None:
    try:
        return max(0.0, float(resp.getheader("Retry-After") or ""))
    except ValueError:
        return None


class _Download:
    def __init__(self, spec: DownloadSpec, models_dir: Path, dest: Path, *, endpoint: str | None,
                 token: str | bool | None, report: ProgressReporter, cancel: Cancel | None, retries: int,
                 stall_seconds: float, backoff_s: float, max_backoff_s: float, probe: bool = False) -> None:
        self.spec = spec
        self.probe = probe
        self.models_dir = models_dir
        self.dest = dest
        self.name = dest.name
        self.endpoint = endpoint
        self.token_arg = token
        self.token: str | None = None
        self.report = report
        self.cancel = cancel
        self.retries = max(0, retries)
        self.stall_seconds = max(0.05, stall_seconds)
        self.backoff_s = max(0.0, backoff_s)
        self.max_backoff_s = max(self.backoff_s, max_backoff_s)
        self.part, self.sidecar = part_paths(dest)
        self.offset = 0
        self.remote = RemoteFile(url="", size=None, sha256=None, etag=None, commit=None)
        self.expected_size: int | None = None
        self.expected_sha: str | None = None
        self.sha_source: ShaSource = "computed"

    # -- the steps -------------------------------------------------------------------------------

    def run(self) -> Path:
        self.report.update("checking", 0, self.spec.size_bytes, force=True,
                           message="asking the hub for the file's size and checksum")
        self.token = resolve_token(self.token_arg)
        self.remote = self._retrying(lambda: fetch_metadata(self.spec, endpoint=self.endpoint,
                                                            token=self.token_arg))
        self._set_expectations()
        # The window and a terminal downloading one file at once would interleave writes to its part.
        lock = FileLock(lock_path(self.dest, self.models_dir))
        try:
            if not lock.acquire():
                raise DownloadError("a download of this file is already running in another Council Desktop "
                                    "window or terminal", filename=self.name)
            return self._fetch_and_install()
        except OSError as exc:  # writing the sidecar, the registry, a truncate: said as plainly as the rest
            raise self._write_failed(exc) from None
        finally:
            lock.release()

    def _fetch_and_install(self) -> Path:
        adopted = self._adopt_existing()
        if adopted is not None:
            return adopted
        self._prepare_part()
        try:
            self._check_disk(reserve=DISK_RESERVE_BYTES)
        except DiskFullError:
            if self.offset == 0:
                self._discard()
                with contextlib.suppress(OSError):
                    self.dest.parent.rmdir()  # only if empty
            raise
        self._retrying(self._attempt)
        return self._verify_and_install()

    def _set_expectations(self) -> None:
        pinned, remote = self.spec.sha256, self.remote
        if pinned:
            pinned = pinned.lower()
            if remote.sha256 and remote.sha256 != pinned:
                raise UpstreamChangedError(
                    f"the hub now serves a different file (sha256 {remote.sha256[:12]}…, the catalogue pins "
                    f"{pinned[:12]}…) at revision {self.spec.revision}; nothing was downloaded",
                    filename=self.name)
            if remote.size is not None and self.spec.size_bytes and remote.size != self.spec.size_bytes:
                raise UpstreamChangedError(
                    f"the hub lists {fmt_bytes(remote.size)} but the catalogue pins "
                    f"{fmt_bytes(self.spec.size_bytes)}; nothing was downloaded", filename=self.name)
            self.expected_sha, self.sha_source = pinned, "pinned"
            self.expected_size = self.spec.size_bytes or remote.size
        else:
            self.expected_sha = remote.sha256
            self.sha_source = "hub" if remote.sha256 else "computed"
            self.expected_size = remote.size

    def _adopt_existing(self) -> Path | None:
        """A file already at the destination but not registered (registry lost, copied in by hand) is
        checked against the hub's size and sha256 and registered instead of downloaded again."""
        if not self.expected_sha or not self.dest.is_file():
            return None
        size = self.dest.stat().st_size
        if size != self.expected_size:
            return None
        sha = sha256_file(self.dest, report=self.report, cancel=self.cancel,
                          message="checking the file already in the models folder")
        if sha != self.expected_sha:
            return None
        try:
            read_gguf(self.dest, keys=False)
        except GGUFError:
            return None
        self._register(size, sha)
        return self.dest

    def _register(self, size: int, sha: str) -> None:
        register(self.models_dir, InstalledModel(
            id=self.spec.id, path=self.dest, filename=self.dest.name, size=size, sha256=sha,
            sha256_source=self.sha_source, source="hub", repo=self.spec.repo, revision=self.spec.revision,
            commit=self.remote.commit or "", verified_at=now_iso()))
        self.report.update("done", size, size, force=True)

    def _sidecar_identity(self) -> dict[str, Any]:
        return {"version": _SIDECAR_VERSION, "id": self.spec.id, "url": self.remote.url,
                "size": self.expected_size, "sha256": self.expected_sha, "etag": self.remote.etag}

    def _prepare_part(self) -> None:
        """Resume only a part file whose sidecar matches today's metadata; otherwise start from zero."""
        self.dest.parent.mkdir(parents=True, exist_ok=True)
        want = self._sidecar_identity()
        try:
            have = json.loads(self.sidecar.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            have = None
        if self.part.exists() and isinstance(have, dict) and all(have.get(k) == v for k, v in want.items()):
            size = self.part.stat().st_size
            if self.expected_size is not None and size > self.expected_size:
                self._truncate(0)
            else:
                self.offset = size
        else:
            self._truncate(0)
        _atomic_write_text(self.sidecar, json.dumps({**want, "commit": self.remote.commit,
                                                     "started_at": now_iso()}, indent=2) + "\n")

    def _attempt(self) -> None:
        if self._complete():
            return
        headers = {"User-Agent": _USER_AGENT, "Accept-Encoding": "identity"}
        if self.offset:
            headers["Range"] = f"bytes={self.offset}-"
        with self._request(self.remote.url, headers) as resp:
            status = resp.status
            if status == 416:
                if self._complete():
                    return
                self._restart(f"the server refused to resume at {fmt_bytes(self.offset)} (HTTP 416)")
            if status == 429 or status >= 500:
                raise _Retry(f"the server answered HTTP {status}", filename=self.name,
                             retry_after=_retry_after(resp))
            if status >= 400:
                raise status_error(status, self.name, "the server")
            if status == 200:
                if self.offset:
                    self._truncate(0)  # the server ignored our Range: take the whole body from byte 0
                length = resp.getheader("Content-Length")
                if length is not None and length.isdigit():
                    self._check_total(int(length))
            elif status == 206:
                parsed = _parse_content_range(resp.getheader("Content-Range"))
                if parsed is None or parsed[0] != self.offset:
                    got = resp.getheader("Content-Range")
                    self._restart(f"the server resumed at the wrong place ({got!r} for byte {self.offset})")
                if parsed[1] is not None:
                    self._check_total(parsed[1])
            else:
                raise DownloadError(f"the server answered HTTP {status} {resp.reason}", filename=self.name)
            self._read_body(resp)

    def _read_body(self, resp: http.client.HTTPResponse) -> None:
        fd = os.open(self.part, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        with os.fdopen(fd, "r+b", buffering=0) as fh:
            fh.seek(self.offset)
            fh.truncate(self.offset)
            since_check = 0
            while True:
                self._raise_if_cancelled()
                try:
                    data = resp.read1(CHUNK_BYTES)
                except TimeoutError:
                    self._raise_if_cancelled()
                    raise _Retry(f"no data for {self.stall_seconds:g} s (the download stalled)",
                                 filename=self.name, stalled=True) from None
                except (OSError, http.client.HTTPException, ValueError, AttributeError) as exc:
                    self._raise_if_cancelled()
                    raise _Retry(f"the connection dropped ({_describe(exc)})", filename=self.name) from None
                if not data:
                    break
                if self.expected_size is not None and self.offset + len(data) > self.expected_size:
                    self._discard()
                    raise SizeMismatchError(f"the server sent more than the {fmt_bytes(self.expected_size)} "
                                            "the hub lists; nothing was installed", filename=self.name)
                try:
                    _write_all(fh, data)
                except OSError as exc:
                    raise self._write_failed(exc) from None
                self.offset += len(data)
                since_check += len(data)
                if since_check >= _DISK_CHECK_EVERY:
                    since_check = 0
                    self._check_disk(reserve=0)
                self.report.update("downloading", self.offset, self.expected_size or 0)
            try:
                os.fsync(fh.fileno())
            except OSError as exc:
                raise self._write_failed(exc) from None
        self._raise_if_cancelled()
        if self.expected_size is None:
            self.expected_size = self.offset  # no size from the hub or the server: take what came
        if self.offset < self.expected_size:
            raise _Retry(f"the connection dropped at {fmt_bytes(self.offset)} of "
                         f"{fmt_bytes(self.expected_size)}", filename=self.name)

    def _verify_and_install(self) -> Path:
        size = self.part.stat().st_size
        if self.expected_size is not None and size != self.expected_size:
            self._discard()
            raise SizeMismatchError(f"the download has {fmt_bytes(size)} instead of "
                                    f"{fmt_bytes(self.expected_size)}; it was deleted", filename=self.name)
        sha = sha256_file(self.part, report=self.report, cancel=self.cancel)
        if self.expected_sha and sha != self.expected_sha:
            self._discard()
            raise ChecksumMismatchError(
                f"the sha256 is {sha[:12]}… but should be {self.expected_sha[:12]}… (damaged in transit or "
                "tampered with); the download was deleted and nothing was installed", filename=self.name)
        try:
            read_gguf(self.part, keys=False)
        except GGUFError as exc:
            self._discard()
            raise NotGGUFError(f"not a usable GGUF model ({str(exc).split(': ', 1)[-1]}); it was deleted",
                               filename=self.name) from None
        if self.probe:
            self.report.update("verifying", size, size, message="loading it in a separate process", force=True)
            result = probe_gguf_in_subprocess(self.part)
            if not result.ok:
                self._discard()
                raise UnsafeModelError(f"llama.cpp cannot use it: {result.reason}; it was deleted",
                                       filename=self.name)
        self.report.update("installing", size, size, force=True)
        os.replace(self.part, self.dest)
        fsync_dir(self.dest.parent)
        unlink_quietly(self.sidecar)
        self._register(size, sha)
        return self.dest

    # -- HTTP --------------------------------------------------------------------------------------

    @contextlib.contextmanager
    def _request(self, url: str, headers: dict[str, str]) -> Iterator[http.client.HTTPResponse]:
        """GET ``url`` following redirects; the token goes only to the hub's own origin, never to a CDN."""
        origin = _origin(url)
        conn: http.client.HTTPConnection | None = None
        resp: http.client.HTTPResponse | None = None
        dog: _Watchdog | None = None
        try:
            for _ in range(_MAX_REDIRECTS + 1):
                conn, target = _connection(url, self.stall_seconds)
                dog = _Watchdog(self.cancel, conn) if self.cancel is not None else None
                sent = dict(headers)
                if self.token and _origin(url) == origin:
                    sent["Authorization"] = f"Bearer {self.token}"
                host = urlsplit(url).hostname
                try:
                    conn.request("GET", target, headers=sent)
                    if dog is not None:
                        dog.sock = conn.sock
                    resp = conn.getresponse()
                except TimeoutError:
                    self._raise_if_cancelled()
                    raise _Retry(f"{host} did not answer within {self.stall_seconds:g} s", filename=self.name,
                                 stalled=True) from None
                except (OSError, http.client.HTTPException) as exc:
                    self._raise_if_cancelled()
                    raise _Retry(f"could not connect to {host} ({_describe(exc)})",
                                 filename=self.name) from None
                location = resp.getheader("Location")
                if resp.status in (301, 302, 303, 307, 308) and location:
                    _close(resp, conn, dog)
                    resp, conn, dog = None, None, None
                    url = urljoin(url, location)
                    continue
                yield resp
                return
            raise DownloadError("the server redirected too many times", filename=self.name)
        finally:
            _close(resp, conn, dog)

    # -- helpers -----------------------------------------------------------------------------------

    def _retrying(self, attempt: Callable[[], T]) -> T:
        failures = 0
        restarts = 0
        while True:
            self._raise_if_cancelled()
            before = self.offset
            try:
                return attempt()
            except _Restart as exc:
                restarts += 1
                if restarts > _MAX_RESTARTS:
                    raise NetworkError(f"{exc}; gave up after {restarts} fresh starts",
                                       filename=self.name) from None
            except NetworkError as exc:
                if self.offset - before >= PROGRESS_RESETS_RETRIES_BYTES:
                    failures = 0
                failures += 1
                stalled = isinstance(exc, _Retry) and exc.stalled
                if failures > self.retries:
                    kept = (f"; {fmt_bytes(self.offset)} are kept: download again to resume"
                            if self.offset > 0 else "")
                    cls = StalledError if stalled else NetworkError
                    raise cls(f"{exc.reason}; gave up after {failures} attempts{kept}",
                              filename=self.name) from None
                retry_after = exc.retry_after if isinstance(exc, _Retry) else None
                delay = self._delay(failures, retry_after)
                self.report.update("retrying", self.offset, self.expected_size or 0, force=True,
                                   message=f"{exc.reason}; retrying in {delay:.1f} s "
                                           f"(attempt {failures + 1} of {self.retries + 1})")
                if wait_cancellable(self.cancel, delay):
                    raise self._cancelled() from None

    def _delay(self, failures: int, retry_after: float | None) -> float:
        base = min(self.max_backoff_s, self.backoff_s * 2 ** (failures - 1))
        delay = base * (0.5 + random.random() / 2)  # jitter: many clients do not retry in lockstep
        if retry_after is not None:
            delay = max(delay, min(retry_after, self.max_backoff_s))
        return delay

    def _complete(self) -> bool:
        return self.expected_size is not None and self.offset >= self.expected_size

    def _check_total(self, total: int) -> None:
        if self.expected_size is None:
            self.expected_size = total
        elif total != self.expected_size:
            self._discard()
            raise SizeMismatchError(f"the server sends {fmt_bytes(total)} but the hub lists "
                                    f"{fmt_bytes(self.expected_size)}; nothing was installed",
                                    filename=self.name)

    def _check_disk(self, *, reserve: int) -> None:
        remaining = max(0, (self.expected_size or self.spec.size_bytes or 0) - self.offset)
        free = _free_bytes(self.part.parent)
        if free < remaining + reserve:
            kept = f"; {fmt_bytes(self.offset)} are kept for a resume" if self.offset else ""
            raise DiskFullError(f"not enough free space: {fmt_bytes(remaining + reserve)} needed in "
                                f"{self.part.parent}, {fmt_bytes(free)} free{kept}", filename=self.name)

    def _write_failed(self, exc: OSError) -> DownloadError:
        if exc.errno in (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC)):
            return DiskFullError(f"the disk is full ({_describe(exc)}); {fmt_bytes(self.offset)} are kept in "
                                 f"{self.part.name}: free some space and download again to resume",
                                 filename=self.name)
        return DownloadError(f"cannot write {self.part} ({_describe(exc)})", filename=self.name)

    def _truncate(self, size: int) -> None:
        fd = os.open(self.part, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o644)
        try:
            os.ftruncate(fd, size)
        finally:
            os.close(fd)
        self.offset = size
        self.report.reset_speed()

    def _restart(self, reason: str) -> NoReturn:
        self._truncate(0)
        raise _Restart(reason)

    def _discard(self) -> None:
        unlink_quietly(self.part, self.sidecar)
        self.offset = 0

    def _cancelled(self) -> DownloadCancelled:
        total = self.expected_size or self.spec.size_bytes
        kept = (f"{fmt_bytes(self.offset)} of {fmt_bytes(total)} kept for a resume" if self.offset
                else "nothing kept")
        return DownloadCancelled(f"cancelled ({kept})", filename=self.name)

    def _raise_if_cancelled(self) -> None:
        if is_cancelled(self.cancel):
            raise self._cancelled()


def _close(resp: http.client.HTTPResponse | None, conn: http.client.HTTPConnection | None,
           dog: _Watchdog | None) -> None:
    if dog is not None:
        dog.stop()
    if resp is not None:
        with contextlib.suppress(Exception):
            resp.close()
    if conn is not None:
        with contextlib.suppress(Exception):
            conn.close()
