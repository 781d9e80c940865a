"""API keys of remote models: an environment variable the user names, or the operating system's keyring
(the ``keyring`` library: Secret Service / KWallet on Linux, Keychain on macOS, Credential Locker on
Windows). Never settings.json, the database, the log or an export; nothing here logs a key."""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING, Any

from ..core.types import CouncilError

if TYPE_CHECKING:
    from .remote import RemoteSpec

log = logging.getLogger(__name__)

SERVICE = "council-desktop"


class KeyStoreError(CouncilError):
    """A key could not be stored or read; the message says what to do instead."""


def _keyring() -> Any:
    try:
        import keyring
    except ImportError as exc:  # pragma: no cover - a declared dependency
        raise KeyStoreError("the keyring package is not installed; give the key in an environment variable "
                            "instead (--api-key-env VAR)") from exc
    return keyring


def _no_backend_message(why: str) -> str:
    return (f"no keyring is available on this system ({why}); keep the key in an environment variable instead "
            "and name it for this remote (`--api-key-env VAR`, or the 'Key from environment variable' field)")


def keyring_available() -> tuple[bool, str]:
    """(True, backend name) when a real keyring backend exists; (False, why) otherwise."""
    kr = _keyring()
    try:
        backend = kr.get_keyring()
    except Exception as exc:
        return False, type(exc).__name__
    name = f"{type(backend).__module__}.{type(backend).__name__}"
    priority = getattr(backend, "priority", 1)
    if "fail" in name.lower() or "null" in name.lower() or (isinstance(priority, int | float) and priority <= 0):
        return False, "no backend found"
    return True, type(backend).__name__


def store_key(remote_id: str, key: str) -> None:
    """Keep ``key`` in the OS keyring under this remote's id; KeyStoreError with what to do otherwise."""
    if not key:
        raise KeyStoreError("an empty API key was given")
    ok, why = keyring_available()
    if not ok:
        raise KeyStoreError(_no_backend_message(why))
    kr = _keyring()
    try:
        kr.set_password(SERVICE, remote_id, key)
    except Exception as exc:
        raise KeyStoreError(_no_backend_message(f"the keyring refused it: {type(exc).__name__}")) from exc


def delete_key(remote_id: str) -> bool:
    """Forget this remote's key in the keyring; False when there was none (or no keyring)."""
    try:
        kr = _keyring()
        if not keyring_available()[0]:
            return False
        kr.delete_password(SERVICE, remote_id)
        return True
    except Exception:
        return False


def has_stored_key(remote_id: str) -> bool:
    try:
        if not keyring_available()[0]:
            return False
        return _keyring().get_password(SERVICE, remote_id) is not None
    except Exception:
        return False


def load_key(spec: RemoteSpec) -> str | None:
    """The key for ``spec``: its environment variable when it names one (KeyStoreError when that is not
    set), else the keyring's entry, else None (a server without a key)."""
    if spec.api_key_env:
        value = os.environ.get(spec.api_key_env, "")
        if not value:
            raise KeyStoreError(f"the environment variable {spec.api_key_env}, which should hold the API key of "
                                f"remote {spec.id!r}, is not set; set it before starting the council")
        return value
    try:
        if not keyring_available()[0]:
            return None
        return _keyring().get_password(SERVICE, spec.id) or None
    except Exception as exc:
        log.warning("could not read the key of remote %s from the keyring: %s", spec.id, type(exc).__name__)
        return None
