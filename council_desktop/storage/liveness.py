"""Which ``running`` sessions still have a live recorder: one advisory file lock per session.

A recorder holds an exclusive ``flock`` on ``<db>.running/<session id>.lock`` from its first event to
``complete``. The kernel drops the lock when the process ends in any way (SIGKILL and power loss
included), so at start-up a session whose lock can be taken was abandoned, and one whose lock is held
belongs to another live process (the window while ``council-desktop history`` runs, say) and is left
alone. Where ``fcntl`` is missing (Windows), every running session counts as abandoned, as before.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path
from typing import IO

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

log = logging.getLogger(__name__)


def lock_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".running")


def _lock_file(db_path: Path, session_id: str) -> Path:
    safe = "".join(c for c in session_id if c.isalnum() or c in "-_") or "session"
    return lock_dir(db_path) / f"{safe}.lock"


class SessionClaim:
    """Held while a session is being recorded; ``release`` when it completes (idempotent)."""

    def __init__(self, db_path: Path, session_id: str) -> None:
        self.path = _lock_file(db_path, session_id)
        self._fh: IO[bytes] | None = None
        if fcntl is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fh = open(self.path, "ab")  # noqa: SIM115 - held until release
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
            self._fh = fh
        except OSError as exc:  # a read-only folder: the session still records, it is just not claimed
            log.warning("could not claim session %s (%s); a later start may mark it interrupted", session_id, exc)

    def __del__(self) -> None:
        # A recorder dropped without ``complete`` (the session ended in an error): its lock goes with it.
        if self._fh is not None:
            self._fh.close()

    def release(self) -> None:
        if self._fh is None:
            return
        with contextlib.suppress(OSError):
            self.path.unlink()
        self._fh.close()  # closing drops the lock
        self._fh = None


def is_live(db_path: Path, session_id: str) -> bool:
    """True when another open recorder (in any process) holds the session's lock."""
    if fcntl is None:
        return False
    path = _lock_file(db_path, session_id)
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        return False  # never claimed, or released
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    except OSError:
        return False
    else:
        with contextlib.suppress(OSError):
            path.unlink()  # abandoned: tidy up
        return False
    finally:
        os.close(fd)
