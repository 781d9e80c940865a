"""export_transcript: the format follows the extension, and the file appears whole or not at all."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

import council_desktop.export as export
from council_desktop.export import export_transcript, to_html, to_json, to_markdown


@pytest.mark.parametrize(("name", "writer"), [
    ("t.md", to_markdown), ("t.markdown", to_markdown), ("T.MD", to_markdown),
    ("t.json", to_json), ("t.html", to_html), ("t.htm", to_html), ("t.HTML", to_html),
])
def test_format_follows_the_extension(tmp_path: Path, debate: dict[str, Any], name: str, writer: Any) -> None:
    written = export_transcript(debate, tmp_path / name)
    assert written == tmp_path / name
    assert written.read_bytes() == writer(debate).encode("utf-8")
    assert os.listdir(tmp_path) == [name]  # no temporary file left behind


def test_accepts_a_str_path_and_overwrites(tmp_path: Path, debate: dict[str, Any], ask: dict[str, Any]) -> None:
    target = tmp_path / "session.json"
    export_transcript(debate, str(target))
    export_transcript(ask, str(target))
    assert json.loads(target.read_text(encoding="utf-8")) == ask


@pytest.mark.parametrize("name", ["t.txt", "t.pdf", "transcript", "t.md.bak", "t.jsonl"])
def test_unknown_extension_is_refused(tmp_path: Path, debate: dict[str, Any], name: str) -> None:
    with pytest.raises(ValueError, match=r"use one of \.md, \.markdown, \.json, \.html, \.htm"):
        export_transcript(debate, tmp_path / name)
    assert os.listdir(tmp_path) == []


def test_failed_serialisation_leaves_no_file(tmp_path: Path, debate: dict[str, Any]) -> None:
    debate["aggregate"][0]["mean_score"] = {8.5}  # a set: JSON cannot hold it
    with pytest.raises(ValueError):
        export_transcript(debate, tmp_path / "t.json")
    del debate["stages"]
    with pytest.raises(ValueError):
        export_transcript(debate, tmp_path / "t.html")
    assert os.listdir(tmp_path) == []


def test_a_failure_while_writing_keeps_the_old_file_and_cleans_up(
        tmp_path: Path, debate: dict[str, Any], ask: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "t.md"
    export_transcript(ask, target)
    before = target.read_bytes()

    def full_disk(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export.os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"):
        export_transcript(debate, target)
    assert target.read_bytes() == before
    assert os.listdir(tmp_path) == ["t.md"]

    monkeypatch.undo()
    fresh = tmp_path / "new.md"

    def refuse(src: str, dst: str) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(export.os, "replace", refuse)
    with pytest.raises(PermissionError):
        export_transcript(debate, fresh)
    assert sorted(os.listdir(tmp_path)) == ["t.md"]  # neither the new file nor a temporary one


def test_missing_directory_is_an_os_error(tmp_path: Path, debate: dict[str, Any]) -> None:
    with pytest.raises(FileNotFoundError):
        export_transcript(debate, tmp_path / "nope" / "t.md")


def test_written_file_is_utf8(tmp_path: Path, debate: dict[str, Any]) -> None:
    debate["topic"] = "Straßenlaternen — 灯?"
    for name in ("t.md", "t.json", "t.html"):
        assert "Straßenlaternen — 灯?" in (export_transcript(debate, tmp_path / name)).read_text(encoding="utf-8")


def test_a_missing_folder_is_named_not_the_temporary_file(tmp_path: Path, debate: dict[str, Any]) -> None:
    target = tmp_path / "no" / "such" / "t.md"
    with pytest.raises(FileNotFoundError) as caught:
        export_transcript(debate, target)
    message = str(caught.value)
    assert str(target.parent) in message and ".tmp" not in message and ".t.md." not in message


def test_markdown_shows_control_characters_as_symbols(tmp_path: Path, debate: dict[str, Any]) -> None:
    hostile = dict(debate, topic="Is x?\x1b]0;PWNED\x07\x1b[2J\x9b31m")
    text = export_transcript(hostile, tmp_path / "t.md").read_text(encoding="utf-8")
    assert "PWNED" in text
    assert not any(c in text for c in "\x1b\x07\x9b")
    assert "PWNED␇␛" in text
