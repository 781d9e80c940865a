"""The downloader against a local hub: the happy paths and the fault matrix.

After every scenario either a verified file whose sha256 matches the source is installed, or nothing is
at the destination and the error names the file and the reason; never a corrupt file in place."""

from __future__ import annotations

import errno
import hashlib
import json
import os
import random
import socket
import subprocess
import sys
import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from fakehub import FakeHub, Fault, fetch, make_gguf, starter_file

from council_desktop.downloads import (
    ChecksumMismatchError,
    DiskFullError,
    DownloadCancelled,
    DownloadError,
    NetworkError,
    NotFoundError,
    NotGGUFError,
    Progress,
    SizeMismatchError,
    StalledError,
    UnsafeModelError,
    UpstreamChangedError,
    install_path,
    load_registry,
    transfer,
)
from council_desktop.downloads.files import part_paths
from council_desktop.llm.catalogue import STARTER, ModelSpec, custom_spec

REPO = "council-test/Tiny-GGUF"
FILE = "tiny-q4.gguf"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def spec() -> ModelSpec:
    return custom_spec(REPO, FILE, "chatml")


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def assert_installed(path: Path, data: bytes, models_dir: Path, spec: ModelSpec) -> None:
    assert path == install_path(spec, models_dir)
    assert sha(path.read_bytes()) == sha(data)
    part, sidecar = part_paths(path)
    assert not part.exists() and not sidecar.exists()
    entry = load_registry(models_dir)[spec.id]
    assert entry.sha256 == sha(data) and entry.size == len(data) and entry.path == path


def assert_nothing_installed(models_dir: Path, spec: ModelSpec, *, part_kept: bool) -> None:
    dest = install_path(spec, models_dir)
    assert not dest.exists()
    assert spec.id not in load_registry(models_dir)
    assert part_paths(dest)[0].exists() == part_kept


# -- happy paths -------------------------------------------------------------------------------------------

def test_starter_file_via_lfs_redirect_is_verified_and_registered(hub: FakeHub, models_dir: Path) -> None:
    data = starter_file().read_bytes()
    hub.host(STARTER.repo, STARTER.filename, data, revision=STARTER.revision)
    reports: list[Progress] = []
    started = time.monotonic()
    path = fetch(hub, STARTER, models_dir, progress=reports.append)
    elapsed = time.monotonic() - started
    assert_installed(path, data, models_dir, STARTER)
    entry = load_registry(models_dir)[STARTER.id]
    assert entry.sha256_source == "pinned" and entry.commit == "c0ffee" * 6 + "c0ff"
    # the hub's HEAD stopped at the redirect; the GET followed it to the CDN host, which served the bytes
    methods = [(e["method"], e["path"].split("/")[1], e["status"]) for e in hub.log]
    assert methods == [("HEAD", STARTER.repo.split("/")[0], 302), ("GET", STARTER.repo.split("/")[0], 302),
                       ("GET", "cdn", 200)]
    assert hub.bytes_sent == len(data)
    downloading = [r for r in reports if r.phase == "downloading"]
    assert downloading and len(downloading) <= elapsed * 10 + 2  # throttled to ten reports a second
    assert reports[-1].phase == "done" and reports[-1].percent == 100.0


def test_unpinned_spec_takes_size_and_sha_from_hub_metadata(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                            small_gguf: bytes) -> None:
    hub.redirect = False  # a plain 200 resolve with ETag, as for a file served without a CDN
    hub.host(REPO, FILE, small_gguf)
    path = fetch(hub, spec, models_dir)
    assert_installed(path, small_gguf, models_dir, spec)
    assert load_registry(models_dir)[spec.id].sha256_source == "hub"


def test_an_installed_file_is_returned_without_asking_the_hub(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                             small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    first = fetch(hub, spec, models_dir)
    requests = len(hub.log)
    assert fetch(hub, spec, models_dir) == first
    assert len(hub.log) == requests


def test_a_verified_file_already_in_place_is_registered_not_downloaded(hub: FakeHub, models_dir: Path,
                                                                      spec: ModelSpec, small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    dest = install_path(spec, models_dir)
    dest.parent.mkdir(parents=True)
    dest.write_bytes(small_gguf)  # e.g. installed.json was lost
    assert fetch(hub, spec, models_dir) == dest
    assert hub.gets() == [] and load_registry(models_dir)[spec.id].sha256 == sha(small_gguf)
    (models_dir / "installed.json").unlink()  # a damaged file in place is not adopted: it is fetched again
    dest.write_bytes(small_gguf[:-1] + b"x")
    assert_installed(fetch(hub, spec, models_dir), small_gguf, models_dir, spec)
    assert len(hub.gets()) == 1


def test_an_unreachable_hub_is_a_network_error(models_dir: Path, spec: ModelSpec) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]  # nothing listens here once the socket is closed
    with pytest.raises(NetworkError, match="could not reach the hub") as err:
        transfer.download(spec, models_dir, endpoint=f"http://127.0.0.1:{port}", token=False, retries=1,
                          backoff_s=0.01)
    assert "gave up after 2 attempts" in str(err.value)
    assert not install_path(spec, models_dir).exists()


def test_requests_go_through_the_environment_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("http_proxy", "http://user:pw@127.0.0.1:3128")
    monkeypatch.setenv("https_proxy", "http://127.0.0.1:3129")
    monkeypatch.setenv("no_proxy", "internal.example")
    conn, target = transfer._connection("http://hub.example/a/resolve/main/f.gguf?x=1", 5)
    assert (conn.host, conn.port, target) == ("127.0.0.1", 3128, "http://hub.example/a/resolve/main/f.gguf?x=1")
    conn, target = transfer._connection("https://cdn.example/blob", 5)
    assert (conn.host, conn.port, target) == ("127.0.0.1", 3129, "/blob")
    assert conn._tunnel_host == "cdn.example" and conn._tunnel_port == 443  # type: ignore[attr-defined]
    conn, target = transfer._connection("http://internal.example:8080/x", 5)
    assert (conn.host, conn.port, target) == ("internal.example", 8080, "/x")


def test_the_token_goes_to_the_hub_and_never_to_the_cdn(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                       small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    fetch(hub, spec, models_dir, token="hf_test_secret")
    resolve_gets = [e for e in hub.log if e["method"] == "GET" and "/resolve/" in e["path"]]
    cdn_gets = [e for e in hub.log if e["path"].startswith("/cdn/")]
    assert [e["auth"] for e in resolve_gets] == ["Bearer hf_test_secret"]
    assert cdn_gets and all(e["auth"] is None for e in cdn_gets)
    assert all(e["host"].startswith("localhost:") for e in cdn_gets)


# -- connection faults -----------------------------------------------------------------------------------

def test_drops_at_random_offsets_resume_where_they_stopped(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                          small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    rng = random.Random(7)
    offsets, pos = [], 0
    for _ in range(5):
        after = rng.randrange(1, (len(small_gguf) - pos) // 3)
        hub.faults.append(Fault("drop", after=after))
        pos += after
        offsets.append(pos)
    reports: list[Progress] = []
    path = fetch(hub, spec, models_dir, retries=5, progress=reports.append)
    assert_installed(path, small_gguf, models_dir, spec)
    ranges = [e["range"] for e in hub.gets()]
    assert ranges == [None] + [f"bytes={o}-" for o in offsets]
    assert hub.bytes_sent == len(small_gguf)  # no byte was fetched twice
    assert sum(r.phase == "retrying" for r in reports) == 5


def test_drops_after_real_progress_do_not_use_up_the_retries(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                             small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults += [Fault("drop", after=1_100_000), Fault("drop", after=1_100_000)]
    path = fetch(hub, spec, models_dir, retries=1)  # two drops, one retry allowed: each moved over 1 MiB
    assert_installed(path, small_gguf, models_dir, spec)


def test_connection_resets_are_retried(hub: FakeHub, models_dir: Path, spec: ModelSpec, small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults += [Fault("reset", after=after) for after in (300_000, 5_000, 800_000)]
    path = fetch(hub, spec, models_dir, retries=3)
    assert_installed(path, small_gguf, models_dir, spec)
    starts = [0 if e["range"] is None else int(e["range"][6:-1]) for e in hub.gets()]
    assert len(starts) == 4 and starts == sorted(starts) and starts[0] == 0
    # an RST may discard bytes still in flight, but every resume starts exactly where the part file ends
    assert starts[1] <= 300_000


def test_a_stall_is_detected_and_the_download_resumes(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                     small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults.append(Fault("stall", after=1_000_000, seconds=30))
    reports: list[Progress] = []
    started = time.monotonic()
    path = fetch(hub, spec, models_dir, stall_seconds=0.4, progress=reports.append)
    assert time.monotonic() - started < 5
    assert_installed(path, small_gguf, models_dir, spec)
    assert [e["range"] for e in hub.gets()] == [None, "bytes=1000000-"]
    assert any(r.phase == "retrying" and "stalled" in r.message for r in reports)


def test_endless_stalls_give_up_with_the_part_kept(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                  small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults += [Fault("stall", after=100_000, seconds=30) for _ in range(3)]
    with pytest.raises(StalledError) as err:
        fetch(hub, spec, models_dir, retries=2, stall_seconds=0.3)
    assert FILE in str(err.value) and "stalled" in err.value.reason and "gave up after 3 attempts" in err.value.reason
    assert err.value.keeps_partial
    assert_nothing_installed(models_dir, spec, part_kept=True)
    assert part_paths(install_path(spec, models_dir))[0].stat().st_size == 300_000


def test_server_errors_then_recovery(hub: FakeHub, models_dir: Path, spec: ModelSpec, small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults += [Fault("status", status=500), Fault("status", status=503, headers={"Retry-After": "0"}),
                   Fault("status", status=429)]
    path = fetch(hub, spec, models_dir)
    assert_installed(path, small_gguf, models_dir, spec)
    assert [e["status"] for e in hub.gets()] == [500, 503, 429, 200]


def test_persistent_server_errors_give_up_with_a_clear_reason(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                              small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults += [Fault("status", status=500) for _ in range(10)]
    with pytest.raises(NetworkError) as err:
        fetch(hub, spec, models_dir, retries=2)
    assert str(err.value).startswith(f"{FILE}: ") and "HTTP 500" in str(err.value)
    assert "gave up after 3 attempts" in str(err.value)
    assert len(hub.gets()) == 3
    assert not install_path(spec, models_dir).exists()


def test_a_file_missing_on_the_hub_is_not_found(hub: FakeHub, models_dir: Path, small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    missing = custom_spec(REPO, "absent.gguf", "chatml")
    with pytest.raises(NotFoundError) as err:
        fetch(hub, missing, models_dir)
    assert "absent.gguf" in str(err.value) and REPO in str(err.value)
    assert [e["method"] for e in hub.log] == ["HEAD"]
    assert not models_dir.exists()  # nothing was created for a file that does not exist
    with pytest.raises(NotFoundError, match="repository council-test/Nope was not found"):
        fetch(hub, custom_spec("council-test/Nope", FILE, "chatml"), models_dir)


def test_a_file_that_vanishes_after_the_head_is_not_found(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                          small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults.append(Fault("status", status=404))
    with pytest.raises(NotFoundError, match="404"):
        fetch(hub, spec, models_dir)
    assert len(hub.gets()) == 1
    assert not install_path(spec, models_dir).exists()


# -- wrong bytes -----------------------------------------------------------------------------------------

def test_a_corrupted_byte_installs_nothing_and_deletes_the_part(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                               small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.corrupt_offsets = {1_234_567}
    with pytest.raises(ChecksumMismatchError) as err:
        fetch(hub, spec, models_dir)
    assert FILE in str(err.value) and "sha256" in str(err.value) and "nothing was installed" in str(err.value)
    assert not err.value.keeps_partial
    assert_nothing_installed(models_dir, spec, part_kept=False)
    assert not part_paths(install_path(spec, models_dir))[1].exists()


def test_a_wrong_size_installs_nothing(hub: FakeHub, models_dir: Path, spec: ModelSpec, small_gguf: bytes) -> None:
    hosted = hub.host(REPO, FILE, small_gguf)
    hosted.listed_size = len(small_gguf) + 100
    with pytest.raises(SizeMismatchError, match="hub lists"):
        fetch(hub, spec, models_dir)
    assert_nothing_installed(models_dir, spec, part_kept=False)


def test_a_pinned_file_that_changed_upstream_is_not_downloaded(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                               small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    pinned = replace(spec, sha256="ab" * 32, size_bytes=len(small_gguf))
    with pytest.raises(UpstreamChangedError, match="different file"):
        fetch(hub, pinned, models_dir)
    assert hub.gets() == []
    assert_nothing_installed(models_dir, pinned, part_kept=False)


def test_a_file_that_is_not_gguf_is_rejected(hub: FakeHub, models_dir: Path, spec: ModelSpec) -> None:
    hub.host(REPO, FILE, random.Random(1).randbytes(200_000))
    with pytest.raises(NotGGUFError, match="not a usable GGUF model"):
        fetch(hub, spec, models_dir)
    assert_nothing_installed(models_dir, spec, part_kept=False)


# -- full disk -------------------------------------------------------------------------------------------

def test_the_disk_space_precheck_fails_before_any_byte(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                      small_gguf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    hub.host(REPO, FILE, small_gguf)
    monkeypatch.setattr(transfer, "_free_bytes", lambda _path: 1000)
    with pytest.raises(DiskFullError, match="not enough free space") as err:
        fetch(hub, spec, models_dir)
    assert FILE in str(err.value)
    assert hub.gets() == []
    assert_nothing_installed(models_dir, spec, part_kept=False)


def test_the_disk_filling_up_midway_keeps_the_part_for_a_resume(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                               small_gguf: bytes,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    hub.host(REPO, FILE, small_gguf)
    calls = []

    def free(_path: Path) -> int:
        calls.append(1)
        return 10**12 if len(calls) == 1 else 100  # plenty at the pre-check, then another program fills it

    with monkeypatch.context() as patched, pytest.raises(DiskFullError) as err:
        patched.setattr(transfer, "_free_bytes", free)
        patched.setattr(transfer, "_DISK_CHECK_EVERY", 512 * 1024)
        fetch(hub, spec, models_dir)
    assert err.value.keeps_partial and "kept for a resume" in str(err.value)
    assert_nothing_installed(models_dir, spec, part_kept=True)
    kept = part_paths(install_path(spec, models_dir))[0].stat().st_size
    assert 512 * 1024 <= kept < len(small_gguf)
    path = fetch(hub, spec, models_dir)
    assert_installed(path, small_gguf, models_dir, spec)
    assert hub.gets()[-1]["sent"] == len(small_gguf) - kept  # only the rest was fetched


def test_enospc_on_write_is_a_clear_disk_full_error(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                   small_gguf: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    hub.host(REPO, FILE, small_gguf)
    real_write = transfer._write_all
    budget = [1_000_000]

    def write(fh: object, data: bytes) -> None:
        if budget[0] < len(data):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        budget[0] -= len(data)
        real_write(fh, data)  # type: ignore[arg-type]

    with monkeypatch.context() as patched, pytest.raises(DiskFullError) as err:
        patched.setattr(transfer, "_write_all", write)
        fetch(hub, spec, models_dir)
    assert FILE in str(err.value) and os.strerror(errno.ENOSPC) in str(err.value)
    assert_nothing_installed(models_dir, spec, part_kept=True)
    assert_installed(fetch(hub, spec, models_dir), small_gguf, models_dir, spec)


# -- cancel and resume -----------------------------------------------------------------------------------

def test_cancel_midway_then_resume_fetches_only_the_rest(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                        small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    cancel = threading.Event()

    def on_progress(p: Progress) -> None:
        if p.phase == "downloading":
            cancel.set()

    with pytest.raises(DownloadCancelled) as err:
        fetch(hub, spec, models_dir, cancel=cancel, progress=on_progress)
    assert err.value.keeps_partial and "kept for a resume" in str(err.value)
    part = part_paths(install_path(spec, models_dir))[0]
    kept = part.stat().st_size
    assert 0 < kept < len(small_gguf)
    assert_nothing_installed(models_dir, spec, part_kept=True)
    path = fetch(hub, spec, models_dir)
    assert_installed(path, small_gguf, models_dir, spec)
    assert hub.gets()[-1]["range"] == f"bytes={kept}-"
    assert hub.gets()[-1]["sent"] == len(small_gguf) - kept  # only the rest was fetched


def test_cancel_during_a_stall_returns_at_once(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                              small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults.append(Fault("stall", after=524_288, seconds=30))
    cancel = threading.Event()
    cancelled_at: list[float] = []

    def cancel_when_stalled() -> None:
        if hub.stalled.wait(10):
            time.sleep(0.2)
            cancelled_at.append(time.monotonic())
            cancel.set()

    helper = threading.Thread(target=cancel_when_stalled)
    helper.start()
    with pytest.raises(DownloadCancelled):
        fetch(hub, spec, models_dir, cancel=cancel, stall_seconds=20)
    returned = time.monotonic()
    helper.join()
    assert returned - cancelled_at[0] < 1.0  # not the 20 s stall timeout
    assert part_paths(install_path(spec, models_dir))[0].stat().st_size == 524_288


def test_resume_after_the_process_was_killed(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                            small_gguf: bytes) -> None:
    """A real restart: a child process downloads, is SIGKILLed mid-way, and a new call resumes its .part."""
    hub.host(REPO, FILE, small_gguf)
    hub.faults.append(Fault("stall", after=1_500_000, seconds=30))
    code = ("import sys; from pathlib import Path; from council_desktop.downloads import download; "
            "from council_desktop.llm.catalogue import custom_spec; "
            f"download(custom_spec({REPO!r}, {FILE!r}, 'chatml'), Path(sys.argv[1]), endpoint=sys.argv[2], "
            "token=False, stall_seconds=60)")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    child = subprocess.Popen([sys.executable, "-c", code, str(models_dir), hub.url], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    part = part_paths(install_path(spec, models_dir))[0]
    try:
        assert hub.stalled.wait(30), "the child never reached the stall"
        deadline = time.monotonic() + 10
        while (not part.exists() or part.stat().st_size < 1_500_000) and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        child.kill()
        _, stderr = child.communicate(timeout=10)
    assert child.returncode != 0, stderr
    assert part.stat().st_size == 1_500_000
    sidecar = json.loads(part_paths(install_path(spec, models_dir))[1].read_text())
    assert sidecar["sha256"] == sha(small_gguf) and sidecar["size"] == len(small_gguf)
    hub.release.set()
    path = fetch(hub, spec, models_dir)
    assert_installed(path, small_gguf, models_dir, spec)
    assert hub.gets()[-1]["range"] == "bytes=1500000-"
    assert hub.gets()[-1]["sent"] == len(small_gguf) - 1_500_000


def _leave_a_part(hub: FakeHub, models_dir: Path, spec: ModelSpec, after: int) -> int:
    hub.faults.append(Fault("drop", after=after))
    with pytest.raises(NetworkError) as err:
        fetch(hub, spec, models_dir, retries=0)
    assert err.value.keeps_partial and "download again to resume" in str(err.value)
    return part_paths(install_path(spec, models_dir))[0].stat().st_size


def test_a_server_that_ignores_range_restarts_from_zero(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                       small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    assert _leave_a_part(hub, models_dir, spec, 700_000) == 700_000
    hub.faults.append(Fault("ignore_range"))
    path = fetch(hub, spec, models_dir)
    assert_installed(path, small_gguf, models_dir, spec)
    assert hub.gets()[-1]["range"] == "bytes=700000-" and hub.gets()[-1]["status"] == 200
    assert hub.gets()[-1]["sent"] == len(small_gguf)


@pytest.mark.parametrize("fault", [Fault("status", status=416), Fault("bad_start")])
def test_an_unusable_resume_answer_starts_over(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                              small_gguf: bytes, fault: Fault) -> None:
    hub.host(REPO, FILE, small_gguf)
    _leave_a_part(hub, models_dir, spec, 400_000)
    hub.faults.append(fault)
    path = fetch(hub, spec, models_dir)
    assert_installed(path, small_gguf, models_dir, spec)
    assert [e["range"] for e in hub.gets()[-2:]] == ["bytes=400000-", None]


def test_a_file_changed_upstream_between_runs_is_fetched_afresh(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                               small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    _leave_a_part(hub, models_dir, spec, 900_000)
    newer = make_gguf(2_000_000, seed=99, name="newer")
    hub.host(REPO, FILE, newer, commit="beef" * 10)
    path = fetch(hub, spec, models_dir)
    assert_installed(path, newer, models_dir, spec)
    assert hub.gets()[-1]["range"] is None  # the old part (another sha256) was not continued


def test_two_downloads_of_one_file_at_once_are_refused(hub: FakeHub, models_dir: Path, spec: ModelSpec,
                                                      small_gguf: bytes) -> None:
    hub.host(REPO, FILE, small_gguf)
    hub.faults.append(Fault("stall", after=100_000, seconds=30))
    errors: list[BaseException] = []
    cancel = threading.Event()

    def first() -> None:
        try:
            fetch(hub, spec, models_dir, cancel=cancel, stall_seconds=20)
        except BaseException as exc:
            errors.append(exc)

    worker = threading.Thread(target=first)
    worker.start()
    assert hub.stalled.wait(10)
    with pytest.raises(DownloadError, match="already running"):
        fetch(hub, spec, models_dir)
    cancel.set()
    worker.join(5)
    assert len(errors) == 1 and isinstance(errors[0], DownloadCancelled)


def test_a_users_hub_file_is_loaded_in_a_throwaway_process_before_it_is_installed(
        hub: FakeHub, models_dir: Path, small_gguf: bytes) -> None:
    # A well-formed header over weights llama.cpp cannot use: it passes size, sha256 and header checks.
    spec = custom_spec(REPO, FILE, "chatml")
    hub.host(REPO, FILE, small_gguf)
    with pytest.raises(UnsafeModelError) as err:
        fetch(hub, spec, models_dir, probe=True)
    assert FILE in str(err.value) and "llama.cpp cannot use it" in str(err.value)
    dest = install_path(spec, models_dir)
    assert not dest.exists() and not any(p.name.endswith(".part") for p in dest.parent.iterdir())
    assert spec.id not in load_registry(models_dir)  # never offered to a seat


def test_a_real_model_passes_the_load_probe_and_is_installed(hub: FakeHub, models_dir: Path) -> None:
    data = starter_file().read_bytes()
    spec = custom_spec(STARTER.repo, STARTER.filename, "chatml")
    hub.host(STARTER.repo, STARTER.filename, data)
    path = fetch(hub, spec, models_dir, probe=True)
    assert path.read_bytes() == data and spec.id in load_registry(models_dir)


def test_a_second_process_downloading_the_same_file_is_refused_plainly(hub: FakeHub, models_dir: Path,
                                                                       spec: ModelSpec, small_gguf: bytes) -> None:
    import subprocess
    import sys
    import textwrap

    hub.host(REPO, FILE, small_gguf)
    dest = install_path(spec, models_dir)
    lock = transfer.lock_path(dest, models_dir)
    lock.parent.mkdir(parents=True, exist_ok=True)
    holder = subprocess.Popen([sys.executable, "-c", textwrap.dedent(f"""
        import fcntl, sys, time
        fh = open({str(lock)!r}, "ab")
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        print("locked", flush=True)
        sys.stdin.read()
    """)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "locked"
        with pytest.raises(DownloadError) as err:
            fetch(hub, spec, models_dir)
        assert "already running in another" in str(err.value)
        assert hub.bytes_sent == 0 and not dest.exists()
    finally:
        holder.communicate("", timeout=10)
    assert fetch(hub, spec, models_dir) == dest  # once the other one is done
