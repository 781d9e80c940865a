"""Exports built from an orchestrator's own event log (not a hand-written transcript): a failed member's
reason and the closing note reach every format, and hostile model text stays text."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Sequence
from pathlib import Path

from council_desktop.core.events import EventLog
from council_desktop.core.pipeline import Orchestrator, SessionPlan
from council_desktop.core.transcript import build_transcript
from council_desktop.core.types import MemberError, Message, Request
from council_desktop.export import export_transcript
from tests.scripted import ScriptedBackend, default_script, members

HOSTILE = "<script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3))"


def script(member_id: str, messages: Sequence[Message], req: Request) -> str | BaseException:
    if member_id == "poet":
        return MemberError(member_id, "model file <b>poet.gguf</b> is corrupt")
    if member_id == "skeptic" and not req.params.json_schema:
        return HOSTILE
    return default_script(member_id, messages, req)


def test_failed_member_and_note_reach_markdown_html_and_json(tmp_path: Path) -> None:
    log = EventLog()
    outcome = asyncio.run(Orchestrator(SessionPlan("debate", members(), topic="T?", seed=4),
                                       ScriptedBackend(script), log).run())
    assert outcome.status == "finished" and outcome.members_ok == 4
    transcript = build_transcript(log.events, "s1")
    md = export_transcript(transcript, tmp_path / "t.md").read_text(encoding="utf-8")
    html = export_transcript(transcript, tmp_path / "t.html").read_text(encoding="utf-8")
    data = json.loads(export_transcript(transcript, tmp_path / "t.json").read_text(encoding="utf-8"))

    assert data["note"].startswith("4 of 5 members")
    assert next(m for m in data["members"] if m["id"] == "poet")["status"] == "failed"
    assert "4 of 5 members" in md and "4 of 5 members" in html
    assert "is corrupt" in md and "is corrupt" in html  # why it failed
    assert "<b>poet.gguf</b>" not in html and "&lt;b&gt;poet.gguf&lt;/b&gt;" in html
    assert "<script>" not in html and "&lt;script&gt;" in html and "<img src=x" not in html
    assert "\\<script\\>" in md and "<script>" not in md  # escaped: shown as text, never a tag
    assert "\\[click\\](javascript:" in md  # escaped brackets: not a link
