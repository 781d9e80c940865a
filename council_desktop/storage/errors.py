"""StorageError and the translation of SQLite failures into messages a user can act on."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

import peewee

from ..core.types import CouncilError

ErrorKind = Literal["locked", "read_only", "corrupt", "foreign", "full", "newer", "unavailable", "missing",
                    "error"]


class StorageError(CouncilError):
    """The history database cannot do what was asked; ``str()`` is meant for the user."""

    def __init__(self, message: str, kind: ErrorKind = "error", path: Path | None = None) -> None:
        super().__init__(message)
        self.kind: ErrorKind = kind
        self.path = path


def translate(exc: BaseException, path: Path, action: str) -> StorageError:
    """A StorageError for a SQLite/peewee/OS error raised while ``action`` (e.g. "saving the session")."""
    text = str(exc)
    low = text.lower()
    where = f"the history database {path}"
    if "locked" in low or "busy" in low:
        return StorageError(
            f"Could not finish {action}: {where} is locked by another program (perhaps another copy "
            f"of Council Desktop). Close it and try again.", "locked", path)
    if "readonly" in low or "read-only" in low or isinstance(exc, PermissionError):
        return StorageError(
            f"Could not finish {action}: {where} is read-only. Check the permissions of the file and "
            f"its folder, or choose another data folder.", "read_only", path)
    if "not a database" in low or "malformed" in low or "encrypted" in low:
        return StorageError(
            f"Could not finish {action}: {path} is not a Council Desktop history database or it is "
            f"damaged (SQLite: {text}). Move the file aside to start a new history.", "corrupt", path)
    if "disk is full" in low or "database or disk is full" in low or getattr(exc, "errno", None) == 28:
        return StorageError(
            f"Could not finish {action}: the disk holding {where} is full. Free some space; sessions "
            f"already saved are safe.", "full", path)
    if "unable to open" in low or isinstance(exc, OSError):
        return StorageError(
            f"Could not finish {action}: cannot open {where} ({text}). Check that the folder exists "
            f"and is writable.", "unavailable", path)
    return StorageError(f"Could not finish {action} in {where}: {text}", "error", path)


@contextmanager
def guarded(path: Path, action: str) -> Iterator[None]:
    """Re-raise database and file-system errors as StorageError (StorageError passes through)."""
    try:
        yield
    except StorageError:
        raise
    except _DB_ERRORS as exc:
        raise translate(root_cause(exc), path, action) from exc


_DB_ERRORS = (peewee.DatabaseError, sqlite3.Error, OSError)


def root_cause(exc: BaseException) -> BaseException:
    """The first database error of a chain. After SQLITE_FULL or SQLITE_IOERR, SQLite has already rolled
    the transaction back, so the ROLLBACK that follows fails too ("no transaction is active") and would
    hide the error that matters."""
    cause = exc
    while isinstance(cause.__context__, _DB_ERRORS):
        cause = cause.__context__
    return cause
