"""ModelManager against the local fake hub: downloads with progress, cancel and resume, corrupt files,
verification, user files, seats and the council's RAM estimate. Signals only; no sleeps."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from council_desktop.downloads import install_path, load_registry
from council_desktop.downloads.files import part_paths
from council_desktop.llm.catalogue import CHAMPIONS, STARTER
from council_desktop.llm.seating import council_from_settings
from council_desktop.services.model_manager import ModelManager, SeatChoice
from tests.downloads.fakehub import FakeHub, Fault, make_gguf

pytestmark = [pytest.mark.gui, pytest.mark.usefixtures("local_network_only")]

REPO = "council-test/Tiny-GGUF"
FILE = "tiny-q4.gguf"
TIMEOUT_MS = 20_000
TINY = replace(CHAMPIONS[2], id="tiny-test", name="Tiny Test", repo=REPO, filename=FILE, revision="main",
               size_bytes=0, sha256=None)
OTHER = replace(CHAMPIONS[3], id="other-test", name="Other Test", repo="council-test/Other-GGUF",
                filename="other.gguf", revision="main", size_bytes=0, sha256=None)


@pytest.fixture(scope="module")
def data() -> bytes:
    return make_gguf(3 * 1024 * 1024 + 12_345)


@pytest.fixture
def hub(data: bytes) -> Iterator[FakeHub]:
    server = FakeHub()
    server.host(REPO, FILE, data)
    try:
        yield server
    finally:
        server.close()


class Saved:
    """The composition root's save_settings, recorded."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []

    def __call__(self, settings: dict[str, Any]) -> None:
        self.calls.append(dict(settings))


@pytest.fixture
def saved() -> Saved:
    return Saved()


@pytest.fixture
def make_manager(tmp_path: Path, hub: FakeHub, saved: Saved, qtbot: Any) -> Iterator[Any]:
    made: list[ModelManager] = []

    def make(settings: dict[str, Any] | None = None) -> ModelManager:
        options = {"endpoint": hub.url, "token": False, "retries": 2, "stall_seconds": 5.0, "backoff_s": 0.01,
                   "max_backoff_s": 0.05}
        manager = ModelManager(tmp_path / "models", {} if settings is None else settings, saved,
                               catalogue=(TINY, OTHER), download_options=options, probe_local_files=False)
        made.append(manager)
        return manager

    yield make
    for manager in made:
        assert manager.shutdown(10)


@pytest.fixture
def manager(make_manager: Any) -> ModelManager:
    m: ModelManager = make_manager()
    return m


def download(qtbot: Any, manager: ModelManager, model_id: str) -> tuple[bool, str]:
    with qtbot.wait_signal(manager.download_finished, timeout=TIMEOUT_MS) as blocker:
        manager.download(model_id)
    assert blocker.args[0] == model_id
    return blocker.args[1], blocker.args[2]


def test_rows_list_the_starter_and_the_catalogue(manager: ModelManager) -> None:
    rows = {r.id: r for r in manager.rows()}
    assert list(rows) == [STARTER.id, TINY.id, OTHER.id]
    assert rows[STARTER.id].state == "bundled" and rows[STARTER.id].kind == "starter"
    assert rows[STARTER.id].actions == {"verify"} and rows[STARTER.id].path is not None
    assert rows[TINY.id].state == "not installed" and rows[TINY.id].actions == {"download"}
    assert rows[TINY.id].ram_mb == TINY.ram_mb and rows[TINY.id].chat_format == "chatml"


def test_a_download_reports_progress_on_the_gui_thread_then_is_installed(
        qtbot: Any, manager: ModelManager, data: bytes) -> None:
    progress: list[tuple[str, Any, bool]] = []
    states: list[str] = []
    manager.download_progressed.connect(
        lambda mid, p: progress.append((mid, p, threading.current_thread() is threading.main_thread())))
    manager.rows_changed.connect(lambda: states.append(manager.row(TINY.id).state))
    ok, message = download(qtbot, manager, TINY.id)
    assert ok, message
    assert states[0] == "downloading" and states[-1] == "installed"
    phases = [p.phase for _mid, p, _main in progress]
    assert "downloading" in phases and phases[-1] == "done"
    assert all(mid == TINY.id and on_gui for mid, _p, on_gui in progress)
    assert progress[-1][1].done == len(data)
    row = manager.row(TINY.id)
    assert row.state == "installed" and row.actions == {"verify", "remove"}
    assert row.path == install_path(TINY, manager.models_dir) and row.path.read_bytes() == data
    assert row.size_bytes == len(data) and row.last_error == "" and "verified" in row.message


def test_cancel_keeps_the_partial_file_and_resume_finishes_it(
        qtbot: Any, make_manager: Any, hub: FakeHub, data: bytes) -> None:
    manager = make_manager()
    kept = 512 * 1024
    hub.faults.append(Fault("stall", after=kept, seconds=30))
    manager.download(TINY.id)
    qtbot.wait_until(hub.stalled.is_set, timeout=TIMEOUT_MS)
    part = part_paths(install_path(TINY, manager.models_dir))[0]
    qtbot.wait_until(lambda: part.is_file() and part.stat().st_size == kept, timeout=TIMEOUT_MS)  # all sent bytes in
    assert manager.row(TINY.id).actions == {"cancel"}
    with qtbot.wait_signal(manager.download_finished, timeout=TIMEOUT_MS) as blocker:
        manager.cancel(TINY.id)
    assert blocker.args[:2] == [TINY.id, False] and "kept for a resume" in blocker.args[2]
    row = manager.row(TINY.id)
    assert row.state == "partial" and row.last_error == ""
    assert (row.done_bytes, row.total_bytes) == (kept, len(data))
    assert row.percent == pytest.approx(100 * kept / len(data))
    assert row.actions == {"resume", "remove"}
    # An app restart sees the same partial download and resumes it with a Range request.
    restarted = make_manager()
    assert restarted.row(TINY.id).state == "partial" and restarted.row(TINY.id).done_bytes == kept
    ok, message = download(qtbot, restarted, TINY.id)
    assert ok, message
    assert hub.gets()[-1]["range"] == f"bytes={kept}-" and hub.gets()[-1]["sent"] == len(data) - kept
    assert restarted.row(TINY.id).state == "installed"
    assert install_path(TINY, restarted.models_dir).read_bytes() == data


def test_a_corrupted_download_fails_with_its_reason_and_installs_nothing(
        qtbot: Any, manager: ModelManager, hub: FakeHub) -> None:
    hub.corrupt_offsets = {100_000}
    ok, message = download(qtbot, manager, TINY.id)
    assert not ok and "sha256" in message and "nothing was installed" in message
    row = manager.row(TINY.id)
    assert row.state == "failed" and row.last_error == message
    assert row.actions == {"download"} and row.path is None
    assert TINY.id not in load_registry(manager.models_dir)
    dest = install_path(TINY, manager.models_dir)
    assert not dest.exists() and not part_paths(dest)[0].exists()
    assert TINY.id not in {r.id for r in manager.seat_models()}
    # A retry clears the reason once it works.
    hub.corrupt_offsets = set()
    assert download(qtbot, manager, TINY.id)[0]
    assert manager.row(TINY.id).state == "installed" and manager.row(TINY.id).last_error == ""


def test_a_network_failure_keeps_the_partial_file_for_a_resume(qtbot: Any, manager: ModelManager, hub: FakeHub,
                                                               data: bytes) -> None:
    hub.faults.extend(Fault("drop", after=200_000) for _ in range(3))  # retries=2: three drops give up
    ok, message = download(qtbot, manager, TINY.id)
    assert not ok and "gave up after 3 attempts" in message and "kept" in message
    row = manager.row(TINY.id)
    assert row.state == "failed" and row.last_error == message
    assert row.actions == {"resume", "remove"} and row.done_bytes == 600_000 and row.total_bytes == len(data)
    ok, message = download(qtbot, manager, TINY.id)
    assert ok, message
    assert hub.gets()[-1]["range"] == "bytes=600000-"
    assert manager.row(TINY.id).state == "installed"


def test_verify_passes_then_catches_a_damaged_file(qtbot: Any, manager: ModelManager) -> None:
    assert download(qtbot, manager, TINY.id)[0]
    with qtbot.wait_signal(manager.verify_finished, timeout=TIMEOUT_MS) as blocker:
        manager.verify(TINY.id)
    assert blocker.args[:2] == [TINY.id, True] and "fine" in blocker.args[2]
    path = install_path(TINY, manager.models_dir)
    raw = bytearray(path.read_bytes())
    raw[200_000] ^= 0xFF
    path.write_bytes(bytes(raw))
    with qtbot.wait_signal(manager.verify_finished, timeout=TIMEOUT_MS) as blocker:
        manager.verify(TINY.id)
    assert blocker.args[:2] == [TINY.id, False] and "damaged" in blocker.args[2]
    row = manager.row(TINY.id)
    assert row.state == "failed" and row.last_error == blocker.args[2]
    assert row.actions == {"download", "remove"}  # the bad file is still there to delete
    assert TINY.id not in {r.id for r in manager.seat_models()}
    with pytest.raises(ValueError, match="not installed"):
        manager.set_seats([SeatChoice(TINY.id, "sage")])


def test_the_bundled_starter_verifies_against_its_pinned_hash(qtbot: Any, manager: ModelManager) -> None:
    with qtbot.wait_signal(manager.verify_finished, timeout=TIMEOUT_MS) as blocker:
        manager.verify(STARTER.id)
    assert blocker.args[:2] == [STARTER.id, True]
    assert manager.row(STARTER.id).state == "bundled"
    with pytest.raises(ValueError):
        manager.remove(STARTER.id)


def test_seats_are_saved_through_the_callback_and_only_take_installed_models(
        qtbot: Any, make_manager: Any, saved: Saved) -> None:
    settings: dict[str, Any] = {"theme": "dark"}
    manager = make_manager(settings)
    assert manager.seats() == manager.default_seats()
    assert [s.persona_id for s in manager.seats()] == [p.id for p in manager.personas()]
    assert {r.id for r in manager.seat_models()} == {STARTER.id}
    with pytest.raises(ValueError, match="not installed"):
        manager.set_seats([SeatChoice(TINY.id, "sage")])
    with pytest.raises(ValueError, match="persona"):
        manager.set_seats([SeatChoice(STARTER.id, "nobody")])
    assert saved.calls == []
    assert download(qtbot, manager, TINY.id)[0]
    assert {r.id for r in manager.seat_models()} == {STARTER.id, TINY.id}
    chosen = [SeatChoice(TINY.id, "sage"), SeatChoice(STARTER.id, "skeptic"), SeatChoice(TINY.id, "poet"),
              SeatChoice(STARTER.id, "optimist"), SeatChoice(STARTER.id, "pragmatist")]
    with qtbot.wait_signal(manager.seats_changed, timeout=1000) as blocker:
        manager.set_seats(chosen)
    assert blocker.args == [chosen]
    assert saved.calls[-1] == {"theme": "dark", "seats": [{"model": s.model_id, "persona": s.persona_id}
                                                          for s in chosen]}
    assert settings["seats"] == saved.calls[-1]["seats"]  # the caller's dict is kept up to date
    assert make_manager(dict(saved.calls[-1])).seats() == chosen
    # When a seated model goes away, its seat shows the starter instead.
    manager.remove(TINY.id)
    assert [s.model_id for s in manager.seats()] == [STARTER.id] * 5


def test_the_ram_estimate_grows_with_distinct_models(manager: ModelManager) -> None:
    personas = [p.id for p in manager.personas()]
    one = manager.ram_estimate_mb([SeatChoice(STARTER.id, personas[0])])
    five_shared = manager.ram_estimate_mb([SeatChoice(STARTER.id, p) for p in personas])
    two_files = manager.ram_estimate_mb([SeatChoice(TINY.id, personas[0])]
                                        + [SeatChoice(STARTER.id, p) for p in personas[1:]])
    three_files = manager.ram_estimate_mb([SeatChoice(TINY.id, personas[0]), SeatChoice(OTHER.id, personas[1])]
                                          + [SeatChoice(STARTER.id, p) for p in personas[2:]])
    assert 0 < one < five_shared < two_files < three_files
    assert five_shared < 5 * one  # the five starter seats share one copy of the weights
    assert manager.ram_estimate_mb([SeatChoice(STARTER.id, "sage")], n_ctx=8192) > one


def test_a_local_file_is_added_and_can_take_a_seat(qtbot: Any, manager: ModelManager, tmp_path: Path,
                                                   saved: Saved) -> None:
    src = tmp_path / "mine.gguf"
    src.write_bytes(make_gguf(1024 * 1024, seed=3, name="My Model"))
    with qtbot.wait_signal(manager.model_added, timeout=TIMEOUT_MS) as blocker:
        job = manager.add_local_file(src, "chatml")
        assert manager.row(job).state == "verifying" and manager.row(job).actions == {"cancel"}
    model_id, ok, message = blocker.args
    assert ok, message
    assert model_id.startswith("local:") and job not in {r.id for r in manager.rows()}
    row = manager.row(model_id)
    assert (row.kind, row.state, row.name, row.chat_format) == ("local", "installed", "My Model", "chatml")
    assert row.path is not None and row.path.is_relative_to(manager.models_dir) and row.ram_mb > 0
    assert saved.calls[-1]["custom_models"][0]["id"] == model_id
    assert model_id in {r.id for r in manager.seat_models()}
    manager.set_seats([SeatChoice(model_id, "sage")])
    # The app seats it from the same saved settings (llm.seating), on its file and chat format.
    seats = council_from_settings(manager.settings, {model_id: row.path})
    assert [(s.member.name, s.spec.model_path, s.spec.chat_format) for s in seats] == [("Sage", row.path, "chatml")]
    manager.remove(model_id)
    assert model_id not in {r.id for r in manager.rows()} and not row.path.exists()
    assert src.exists()  # the user's own file is never touched


def test_a_local_file_without_a_known_chat_format_fails_in_its_row(qtbot: Any, manager: ModelManager,
                                                                   tmp_path: Path) -> None:
    src = tmp_path / "mystery.gguf"
    src.write_bytes(make_gguf(256 * 1024))
    with qtbot.wait_signal(manager.model_added, timeout=TIMEOUT_MS) as blocker:
        job = manager.add_local_file(src)
    assert blocker.args[:2] == ["", False] and "chat format" in blocker.args[2]
    row = manager.row(job)
    assert row.state == "failed" and row.last_error == blocker.args[2] and row.actions == {"remove"}
    manager.remove(job)
    assert job not in {r.id for r in manager.rows()}
    assert not any(r.kind == "local" for r in manager.rows())


def test_a_hub_file_is_added_downloaded_and_removed(qtbot: Any, manager: ModelManager, hub: FakeHub,
                                                    saved: Saved) -> None:
    with pytest.raises(ValueError, match="owner/name"):
        manager.add_hub_file("not a repo", "x.gguf", "chatml")
    assert manager.check_hub_file(REPO, FILE, "chatml").startswith("already in the list")
    assert manager.check_hub_file("someone/Else-GGUF", "else.gguf", "chatml") == ""
    data = make_gguf(600 * 1024, seed=5)
    hub.host("someone/Else-GGUF", "else.gguf", data)
    with qtbot.wait_signal(manager.download_finished, timeout=TIMEOUT_MS) as blocker:
        model_id = manager.add_hub_file("someone/Else-GGUF", "else.gguf", "chatml")
    assert blocker.args[:2] == [model_id, True]
    row = manager.row(model_id)
    assert (row.kind, row.state, row.size_bytes) == ("hub", "installed", len(data))
    assert row.ram_mb > 0 and row.repo == "someone/Else-GGUF"
    assert saved.calls[-1]["custom_models"][0]["size_bytes"] == len(data)
    manager.remove(model_id)
    assert model_id not in {r.id for r in manager.rows()}
    assert saved.calls[-1]["custom_models"] == []


def test_shutdown_cancels_a_running_download_and_keeps_the_part(qtbot: Any, manager: ModelManager,
                                                                 hub: FakeHub) -> None:
    hub.faults.append(Fault("stall", after=256 * 1024, seconds=30))
    manager.download(TINY.id)
    part = part_paths(install_path(TINY, manager.models_dir))[0]
    qtbot.wait_until(lambda: hub.stalled.is_set() and part.is_file() and part.stat().st_size == 256 * 1024,
                     timeout=TIMEOUT_MS)
    assert manager.is_busy(TINY.id)
    assert manager.shutdown(5)
    assert part.stat().st_size == 256 * 1024


def test_remove_deletes_a_partial_download(qtbot: Any, manager: ModelManager, hub: FakeHub) -> None:
    hub.faults.append(Fault("stall", after=256 * 1024, seconds=30))
    manager.download(TINY.id)
    part = part_paths(install_path(TINY, manager.models_dir))[0]
    qtbot.wait_until(lambda: part.is_file() and part.stat().st_size == 256 * 1024, timeout=TIMEOUT_MS)
    with qtbot.wait_signal(manager.download_finished, timeout=TIMEOUT_MS):
        manager.cancel(TINY.id)
    assert manager.row(TINY.id).state == "partial"
    manager.remove(TINY.id)
    assert manager.row(TINY.id).state == "not installed"
    assert not part_paths(install_path(TINY, manager.models_dir))[0].exists()
