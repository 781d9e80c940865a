"""Which ``running`` sessions still have a live recorder: one advisory file lock per session.

A recorder holds an exclusive ``flock`` on ``<db>.running/<session id>.lock`` from its first event to
``complete``. The kernel drops the lock when the process ends in any way (SIGKILL and power loss
included), so at start-up a session whose lock can be taken was abandoned, and one whose lock is held
belongs to another live process (the window while ``council-desktop history`` runs, say) and is left
alone. Where ``fcntl`` is missing (Windows), every running session counts as abandoned, as before.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..core.filelock import LOCKING, FileLock, held_elsewhere

log = logging.getLogger(__name__)


def lock_dir(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".running")


def _lock_file(db_path: Path, session_id: str) -> Path:
    safe = "".join(c for c in session_id if c.isalnum() or c in "-_") or "session"
    return lock_dir(db_path) / f"{safe}.lock"


class SessionClaim:
    """Held while a session is being recorded; ``release`` when it completes (idempotent)."""

    def __init__(self, db_path: Path, session_id: str) -> None:
        self._lock = FileLock(_lock_file(db_path, session_id))
        try:
            taken = self._lock.acquire()
        except OSError as exc:  # a read-only folder: the session still records, it is just not claimed
            taken, why = False, str(exc)
        else:
            why = "another recorder holds it"
        if not taken:
            log.warning("could not claim session %s (%s); a later start may mark it interrupted", session_id, why)

    def release(self) -> None:
        self._lock.release()


def is_live(db_path: Path, session_id: str) -> bool:
    """True when another open recorder (in any process) holds the session's lock."""
    return LOCKING and held_elsewhere(_lock_file(db_path, session_id))
