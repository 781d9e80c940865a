"""The Settings page's model of remote models: add, edit, test and remove OpenAI-compatible endpoints.
Records go to settings.json without their keys; keys go to the OS keyring (llm/secrets.py). A test runs
on a worker thread and reports back through a queued signal: the window never waits on the network."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from ..llm import secrets
from ..llm.remote import REMOTE_KEY, RemoteClient, RemoteError, RemoteSpec, make_spec, remote_specs

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RemoteRow:
    """One remote model, plain data for the UI."""

    id: str
    model_id: str  # "remote:ID", what a seat stores
    name: str
    model: str
    url: str
    key: str  # where its key comes from: "environment variable X", "keyring", "none"
    verify_tls: bool
    connect_timeout: float
    read_timeout: float
    api_key_env: str
    testing: bool = False
    last_test: str = ""  # the last test's outcome (plain text)
    last_ok: bool | None = None


@dataclass(frozen=True)
class TestResult:
    ok: bool
    message: str
    models: tuple[str, ...] = ()


class RemoteModels(QObject):
    """Signals: ``changed()`` when the list changed; ``tested(str id, bool ok, str message)``."""

    changed = Signal()
    tested = Signal(str, bool, str)
    _done = Signal(str, object)

    def __init__(self, settings: dict[str, Any], save_settings: Callable[[dict[str, Any]], None],
                 parent: QObject | None = None, *, keys: Any = secrets) -> None:
        super().__init__(parent)
        self.settings = settings
        self._save_settings = save_settings
        self._keys = keys
        self._testing: set[str] = set()
        self._results: dict[str, TestResult] = {}
        self._done.connect(self._on_done, Qt.ConnectionType.QueuedConnection)

    def specs(self) -> list[RemoteSpec]:
        return remote_specs(self.settings)

    def spec(self, remote_id: str) -> RemoteSpec:
        for spec in self.specs():
            if spec.id == remote_id.removeprefix("remote:"):
                return spec
        raise KeyError(remote_id)

    def rows(self) -> list[RemoteRow]:
        out = []
        for s in self.specs():
            if s.api_key_env:
                key = f"environment variable {s.api_key_env}"
            else:
                key = "keyring" if self._keys.has_stored_key(s.id) else "none"
            result = self._results.get(s.id)
            out.append(RemoteRow(s.id, s.model_id, s.display_name, s.model, s.base_url, key, s.verify_tls,
                                 s.connect_timeout, s.read_timeout, s.api_key_env, s.id in self._testing,
                                 result.message if result else "", result.ok if result else None))
        return out

    def keyring_status(self) -> tuple[bool, str]:
        try:
            ok, why = self._keys.keyring_available()
            return bool(ok), str(why)
        except Exception as exc:
            return False, str(exc)

    def save(self, remote_id: str, url: str, model: str, *, name: str = "", api_key: str | None = None,
             api_key_env: str = "", connect_timeout: float = 5.0, read_timeout: float = 60.0,
             verify_tls: bool = True, replaces: str | None = None) -> RemoteSpec:
        """Add a remote (or edit ``replaces``). ``api_key``: a new key for the keyring ("" keeps the one
        stored, None too). ValueError / KeyStoreError with a one-line reason; nothing is saved then."""
        spec = make_spec(remote_id, url, model, name=name, api_key_env=api_key_env,
                         connect_timeout=connect_timeout, read_timeout=read_timeout, verify_tls=verify_tls)
        existing = {s.id for s in self.specs()}
        if spec.id in existing and spec.id != replaces:
            raise ValueError(f"a remote model called {spec.id!r} exists already")
        if api_key:
            self._keys.store_key(spec.id, api_key)  # first: a refused key saves nothing
        records = [r for r in self.settings.get(REMOTE_KEY) or [] if isinstance(r, Mapping)]
        out: list[dict[str, Any]] = []
        placed = False
        for r in records:
            if r.get("id") in (replaces, spec.id):
                if not placed:
                    out.append(spec.record())
                    placed = True
            else:
                out.append(dict(r))
        if not placed:
            out.append(spec.record())
        self.settings[REMOTE_KEY] = out
        if replaces and replaces != spec.id:
            old = f"remote:{replaces}"
            for seat in self.settings.get("seats") or []:
                if isinstance(seat, dict) and seat.get("model") == old:
                    seat["model"] = spec.model_id
            if not api_key and self._keys.has_stored_key(replaces):
                log.info("remote %s renamed to %s: its key stays under the old name until re-entered", replaces,
                         spec.id)
        self._results.pop(spec.id, None)
        self._save_settings(self.settings)
        self.changed.emit()
        return spec

    def remove(self, remote_id: str) -> None:
        spec = self.spec(remote_id)
        self.settings[REMOTE_KEY] = [r for r in self.settings.get(REMOTE_KEY) or []
                                     if isinstance(r, Mapping) and r.get("id") != spec.id]
        self.settings["seats"] = [s for s in self.settings.get("seats") or []
                                  if isinstance(s, dict) and s.get("model") != spec.model_id]
        self._keys.delete_key(spec.id)
        self._results.pop(spec.id, None)
        self._save_settings(self.settings)
        self.changed.emit()

    def test(self, remote_id: str, spec: RemoteSpec | None = None, api_key: str | None = None) -> None:
        """Ask the server for its health and its model list on a worker thread; ``tested`` reports."""
        spec = spec or self.spec(remote_id)
        if spec.id in self._testing:
            return
        self._testing.add(spec.id)
        keys = self._keys
        done = self._done

        def work() -> None:
            try:
                key = api_key or keys.load_key(spec)
                client = RemoteClient(spec, key)
                health = client.health()
                seconds, models = client.check()
                result = TestResult(True, f"Reachable: /v1/models answered in {seconds * 1000:.0f} ms and lists "
                                          f"{spec.model}; health: {health}.", tuple(models))
            except (RemoteError, secrets.KeyStoreError) as exc:
                result = TestResult(False, str(exc))
            except Exception as exc:  # a bug shows on the row, never takes the app down
                log.exception("testing remote %s failed", spec.id)
                result = TestResult(False, f"unexpected error: {type(exc).__name__}")
            with contextlib.suppress(RuntimeError):
                done.emit(spec.id, result)

        threading.Thread(target=work, name=f"council-remote-test-{spec.id}", daemon=True).start()
        self.changed.emit()

    def list_models(self, url: str, *, api_key: str | None = None, api_key_env: str = "",
                    connect_timeout: float = 5.0, read_timeout: float = 60.0, verify_tls: bool = True) -> list[str]:
        """The server's /v1/models (blocking, bounded by the timeouts; the dialog's "List models" button).
        ValueError / RemoteError / KeyStoreError with a one-line reason."""
        spec = make_spec("probe", url, "?", api_key_env=api_key_env, connect_timeout=connect_timeout,
                         read_timeout=read_timeout, verify_tls=verify_tls)
        return RemoteClient(spec, api_key or self._keys.load_key(spec)).models()

    def _on_done(self, remote_id: str, result: object) -> None:
        self._testing.discard(remote_id)
        if isinstance(result, TestResult):
            self._results[remote_id] = result
            self.changed.emit()
            self.tested.emit(remote_id, result.ok, result.message)
