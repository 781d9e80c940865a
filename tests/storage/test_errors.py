"""A locked, read-only, corrupt, foreign, newer or full database gives a clear StorageError, never a hang."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from council_desktop.storage import SessionRecorder, StorageError, Store


@pytest.fixture
def existing(db_path: Path) -> Path:
    Store.open(db_path).close()
    return db_path


@pytest.fixture
def locker(existing: Path) -> Iterator[sqlite3.Connection]:
    """Another program holding an exclusive lock on the database."""
    conn = sqlite3.connect(existing, isolation_level=None)
    conn.execute("BEGIN EXCLUSIVE")
    yield conn
    conn.rollback()
    conn.close()


def test_a_locked_database_fails_to_open_after_the_busy_timeout(existing: Path,
                                                                 locker: sqlite3.Connection) -> None:
    start = time.monotonic()
    with pytest.raises(StorageError) as err:
        Store.open(existing, busy_timeout_ms=300)
    elapsed = time.monotonic() - start
    assert err.value.kind == "locked"
    assert "locked by another program" in str(err.value) and str(existing) in str(err.value)
    assert 0.25 <= elapsed < 3.0


def test_a_lock_taken_during_a_session_fails_the_write_and_loses_nothing(
        existing: Path, council: ModuleType) -> None:
    store = Store.open(existing, busy_timeout_ms=200)
    events = council.run_debate()
    now = [0.0]
    rec = SessionRecorder(store, "s1", clock=lambda: now[0])
    for e in events[:10]:
        rec(e)
    other = sqlite3.connect(existing, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    start = time.monotonic()
    with pytest.raises(StorageError) as err:
        rec(events[10])
    assert err.value.kind == "locked" and time.monotonic() - start < 3.0
    # The next events queue without waiting on the lock again (the orchestrator does not stall).
    start = time.monotonic()
    rec(events[11])
    assert rec.pending == 2 and time.monotonic() - start < 0.1
    other.rollback()
    other.close()
    rec(events[12])
    assert rec.pending == 3  # still inside the retry pause
    now[0] += SessionRecorder.RETRY_S
    for e in events[13:]:
        rec(e)
    assert rec.pending == 0
    assert [e.to_dict() for e in store.load_events("s1")] == [e.to_dict() for e in events]
    assert store.session("s1").status == "finished"  # type: ignore[union-attr]
    store.close()


def test_a_corrupt_file_is_named_as_such(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(random.Random(7).randbytes(8192))
    with pytest.raises(StorageError) as err:
        Store.open(db_path)
    assert err.value.kind == "corrupt"
    assert "not a Council Desktop history database" in str(err.value)
    assert "file is not a database" in str(err.value)


def test_a_damaged_page_is_reported_as_corrupt(existing: Path, council: ModuleType) -> None:
    with Store.open(existing) as store:
        council.record(store)
        store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(existing.read_bytes())
    page = 4096
    data[page:page * 3] = random.Random(1).randbytes(page * 2)  # overwrite the first table pages
    existing.write_bytes(bytes(data))
    with pytest.raises(StorageError) as err:
        store = Store.open(existing)
        store.sessions()
        store.leaderboard()
    assert err.value.kind == "corrupt"


def test_another_programs_sqlite_file_is_refused(db_path: Path) -> None:
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE photos (id INTEGER)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError) as err:
        Store.open(db_path)
    assert err.value.kind == "foreign"
    conn = sqlite3.connect(db_path)
    assert conn.execute("SELECT name FROM sqlite_master").fetchall() == [("photos",)]  # untouched
    conn.close()


def test_a_file_from_a_newer_version_is_refused(existing: Path) -> None:
    conn = sqlite3.connect(existing)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError) as err:
        Store.open(existing)
    assert err.value.kind == "newer" and "newer Council Desktop" in str(err.value)


def test_a_folder_is_not_a_database(tmp_path: Path) -> None:
    with pytest.raises(StorageError) as err:
        Store.open(tmp_path)
    assert err.value.kind == "unavailable"


def test_a_full_disk_fails_the_write_clearly_and_keeps_finished_sessions(
        existing: Path, council: ModuleType) -> None:
    store = Store.open(existing)
    done, done_events = council.record(store)
    pages = int(store.db.execute_sql("PRAGMA page_count").fetchone()[0])
    store.db.execute_sql(f"PRAGMA max_page_count = {pages + 1}")  # the disk fills up a page later
    big = council.DebateScript(topic="x" * 3000)
    events = council.run_debate(big)
    rec = store.recorder("s2")
    failure = None
    for e in events:
        try:
            rec(e)
        except StorageError as exc:
            failure = exc
            break
    assert failure is not None and failure.kind == "full"
    assert "full" in str(failure) and "sessions already saved are safe" in str(failure)
    assert [e.to_dict() for e in store.load_events(done)] == [e.to_dict() for e in done_events]
    assert store.session(done).status == "finished"  # type: ignore[union-attr]
    # Space comes back: the queued events are written in order and the session completes.
    store.db.execute_sql("PRAGMA max_page_count = 1073741823")
    rec.flush()
    for e in events[len(store.load_events("s2")):]:
        rec(e)
    assert [e.to_dict() for e in store.load_events("s2")] == [e.to_dict() for e in events]
    assert store.db.execute_sql("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()


def _open_unprivileged(path: Path) -> tuple[str, str] | None:
    """Open ``path`` as an unprivileged user: (kind, message) of the StorageError, or None if it opened.
    Root ignores file modes, so as root this forks and drops to 'nobody' (no new imports after that)."""
    if os.geteuid() != 0:
        try:
            Store.open(path, busy_timeout_ms=200).close()
        except StorageError as exc:
            return exc.kind, str(exc)
        return None
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: drop privileges, try, report through the pipe
        code = 0
        try:
            os.close(read_fd)
            os.setgid(65534)
            os.setuid(65534)
            try:
                Store.open(path, busy_timeout_ms=200).close()
                os.write(write_fd, b"opened")
            except StorageError as exc:
                os.write(write_fd, f"{exc.kind}\n{exc}".encode())
        except BaseException:
            code = 1
        finally:
            os._exit(code)
    os.close(write_fd)
    with os.fdopen(read_fd, "rb") as pipe:
        out = pipe.read().decode()
    os.waitpid(pid, 0)
    assert out, "the unprivileged child reported nothing"
    if out == "opened":
        return None
    kind, message = out.split("\n", 1)
    return kind, message


@pytest.fixture
def shared_dir() -> Iterator[Path]:
    """A folder under /tmp that an unprivileged user can reach (pytest's tmp_path is private)."""
    d = Path(tempfile.mkdtemp(prefix="council-ro-"))
    os.chmod(d, 0o755)
    yield d
    os.chmod(d, 0o755)
    shutil.rmtree(d)


def test_a_read_only_file_gives_a_clear_error(shared_dir: Path, council: ModuleType) -> None:
    path = shared_dir / "council.db"
    with Store.open(path) as store:
        council.record(store)
        store.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    for extra in shared_dir.glob("council.db-*"):
        extra.unlink()
    os.chmod(path, 0o444)
    os.chmod(shared_dir, 0o777)  # the folder is writable: only the file is read-only
    got = _open_unprivileged(path)
    assert got is not None and got[0] == "read_only", got
    assert "read-only" in got[1] and str(path) in got[1]


def test_a_read_only_folder_gives_a_clear_error(shared_dir: Path) -> None:
    path = shared_dir / "council.db"
    Store.open(path).close()
    for extra in shared_dir.glob("council.db-*"):
        extra.unlink()
    os.chmod(path, 0o644)
    os.chmod(shared_dir, 0o755)  # nobody may not create the -wal/-shm files here
    got = _open_unprivileged(path)
    assert got is not None and got[0] in ("read_only", "unavailable"), got


def test_storage_errors_are_council_errors() -> None:
    from council_desktop.core.types import CouncilError

    assert issubclass(StorageError, CouncilError)
