"""The installed registry, "verify installed", removal and GGUF files the user adds from disk."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from fakehub import FakeHub, fetch

from council_desktop.downloads import (
    NotGGUFError,
    UnsafeModelError,
    add_local_gguf,
    install,
    install_path,
    load_registry,
    remove,
    verify_installed,
)
from council_desktop.downloads.files import part_paths
from council_desktop.downloads.probe import ProbeResult
from council_desktop.downloads.registry import REGISTRY_NAME
from council_desktop.llm.catalogue import ModelSpec, custom_spec, local_spec

REPO, FILE = "council-test/Tiny-GGUF", "tiny-q4.gguf"


@pytest.fixture
def spec() -> ModelSpec:
    return custom_spec(REPO, FILE, "chatml")


@pytest.fixture
def installed(hub: FakeHub, models_dir: Path, spec: ModelSpec, small_gguf: bytes) -> Path:
    hub.host(REPO, FILE, small_gguf)
    return fetch(hub, spec, models_dir)


def test_registry_is_json_with_relative_paths_and_no_temp_files(installed: Path, models_dir: Path,
                                                               spec: ModelSpec) -> None:
    raw = json.loads((models_dir / REGISTRY_NAME).read_text())
    assert raw["version"] == 1
    assert raw["models"][spec.id]["path"] == "council-test--Tiny-GGUF/tiny-q4.gguf"
    assert sorted(p.name for p in models_dir.iterdir()) == ["council-test--Tiny-GGUF", REGISTRY_NAME]


def test_an_unreadable_registry_reads_as_empty(models_dir: Path) -> None:
    models_dir.mkdir(parents=True)
    (models_dir / REGISTRY_NAME).write_text("{not json")
    assert load_registry(models_dir) == {}


def test_verify_installed_passes_a_good_file(installed: Path, models_dir: Path, spec: ModelSpec) -> None:
    before = load_registry(models_dir)[spec.id]
    result = verify_installed(installed, spec, models_dir=models_dir)
    assert result.ok, result.reason
    assert result.sha256 == before.sha256 and "sha256" in result.reason
    assert load_registry(models_dir)[spec.id].sha256 == before.sha256


def test_verify_installed_catches_a_damaged_file_and_unregisters_it(installed: Path, models_dir: Path,
                                                                    spec: ModelSpec) -> None:
    data = bytearray(installed.read_bytes())
    data[2_000_000] ^= 0x01
    installed.write_bytes(bytes(data))
    result = verify_installed(installed, spec, models_dir=models_dir)
    assert not result.ok
    assert FILE in result.reason and "damaged" in result.reason and "sha256" in result.reason
    assert spec.id not in load_registry(models_dir)  # never offered to the council again


def test_verify_installed_reports_a_missing_file(installed: Path, models_dir: Path, spec: ModelSpec) -> None:
    installed.unlink()
    result = verify_installed(installed, spec, models_dir=models_dir)
    assert not result.ok and "missing" in result.reason


def test_remove_deletes_the_file_the_part_and_the_entry(installed: Path, models_dir: Path, spec: ModelSpec) -> None:
    part, sidecar = part_paths(installed)
    part.write_bytes(b"x")
    sidecar.write_text("{}")
    assert remove(spec, models_dir)
    assert not installed.exists() and not part.exists() and not sidecar.exists()
    assert not installed.parent.exists()
    assert spec.id not in load_registry(models_dir)
    assert not remove(spec, models_dir)


def test_install_path_refuses_names_that_escape_the_folder(models_dir: Path, spec: ModelSpec) -> None:
    assert install_path(spec, models_dir) == models_dir / "council-test--Tiny-GGUF" / FILE
    with pytest.raises(ValueError):
        install_path(replace(spec, repo="../evil"), models_dir)
    with pytest.raises(ValueError):
        install_path(replace(spec, filename=".."), models_dir)


def test_adding_a_local_file_copies_verifies_and_registers_it(tmp_path: Path, models_dir: Path,
                                                             small_gguf: bytes) -> None:
    src = tmp_path / "My Model.gguf"
    src.write_bytes(small_gguf)
    entry = add_local_gguf(src, models_dir, probe=False)
    assert entry.source == "local-copy" and entry.path.parent == models_dir / "local"
    assert entry.path.name == "My_Model.gguf" and entry.path.read_bytes() == small_gguf
    assert entry.id == f"local:{entry.sha256[:16]}"
    again = add_local_gguf(src, models_dir, probe=False)
    assert again.id == entry.id and list(load_registry(models_dir)) == [entry.id]  # idempotent
    assert not [p for p in (models_dir / "local").iterdir() if p.name.endswith(".part")]


def test_a_referenced_local_file_is_forgotten_but_never_deleted(tmp_path: Path, models_dir: Path,
                                                                small_gguf: bytes) -> None:
    src = tmp_path / "mine.gguf"
    src.write_bytes(small_gguf)
    entry = add_local_gguf(src, models_dir, copy=False, probe=False)
    assert entry.source == "local-ref" and entry.path == src.resolve()
    assert remove(local_spec(entry.path, "chatml", model_id=entry.id), models_dir)
    assert src.exists() and entry.id not in load_registry(models_dir)


def test_a_non_gguf_local_file_is_refused(tmp_path: Path, models_dir: Path) -> None:
    src = tmp_path / "notes.gguf"
    src.write_bytes(b"just some text, not a model" * 10)
    with pytest.raises(NotGGUFError, match=r"notes\.gguf"):
        add_local_gguf(src, models_dir, probe=False)
    assert load_registry(models_dir) == {}


def test_a_local_file_that_fails_the_probe_is_not_registered(tmp_path: Path, models_dir: Path, small_gguf: bytes,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "evil.gguf"
    src.write_bytes(small_gguf)
    monkeypatch.setattr(install, "probe_gguf_in_subprocess",
                        lambda path, timeout: ProbeResult(False, "the file crashed the loader (signal SIGSEGV)"))
    with pytest.raises(UnsafeModelError, match=r"evil\.gguf: the file crashed the loader"):
        add_local_gguf(src, models_dir)
    assert load_registry(models_dir) == {}
    assert not (models_dir / "local").exists()


def test_a_symlink_loop_is_refused_with_a_reason(tmp_path: Path, models_dir: Path) -> None:
    loop_a, loop_b = tmp_path / "a.gguf", tmp_path / "b.gguf"
    loop_a.symlink_to(loop_b)
    loop_b.symlink_to(loop_a)
    with pytest.raises(NotGGUFError, match="loop of symbolic links"):
        add_local_gguf(loop_a, models_dir, probe=False)
