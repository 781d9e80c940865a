"""The Markdown transcript, with every piece of model or user text escaped so it renders as literal text.

The escaping rule (CommonMark + GFM): every character that can open inline syntax anywhere in a line
(backslash, backtick, ``* _ { } [ ] < > # | ~ & $``) is backslash-escaped, so no emphasis, code span,
link, image, raw HTML, entity, table cell, strikethrough or math can start; the first visible character
of each line is escaped too when it could open a block (``- + =`` or ``12.`` / ``12)``), so no list,
setext heading or thematic break can start; leading indentation becomes ``&#160;`` (no-break space)
references, so no indented code block can start and renderers that trim paragraphs keep it.
Line breaks inside a paragraph become hard breaks (a trailing backslash).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from ..core.text import visible_controls
from .view import AggregateRow, TranscriptView, TurnView, build_view

_INLINE_SPECIALS = frozenset("\\`*_{}[]<>#|~&$")
_BLOCK_OPENERS = frozenset("-+=")
_ORDERED_MARKER = re.compile(r"(\d{1,9})([.)])")
_NBSP = "&#160;"


def _escape_chars(text: str) -> str:
    return "".join("\\" + c if c in _INLINE_SPECIALS else c for c in text)


def escape_line(line: str) -> str:
    """One line of plain text as Markdown that renders to exactly that text (control characters, which no
    renderer shows and a terminal obeys, as their visible symbols)."""
    line = visible_controls(line, keep="\t")
    stripped = line.lstrip(" \t")
    indent = line[: len(line) - len(stripped)]
    lead = indent.replace("\t", _NBSP * 4).replace(" ", _NBSP)
    if stripped[:1] in _BLOCK_OPENERS:
        return lead + "\\" + stripped[0] + _escape_chars(stripped[1:])
    marker = _ORDERED_MARKER.match(stripped)
    if marker:
        return lead + marker.group(1) + "\\" + marker.group(2) + _escape_chars(stripped[marker.end():])
    return lead + _escape_chars(stripped)


def escape_inline(text: str) -> str:
    """Plain text as one line of Markdown (a table cell, a heading, a list item): newlines become spaces
    and ``|`` is escaped, so it can neither break a table row nor start a block."""
    return escape_line(" ".join(text.split()))


def escape_block(text: str) -> list[str]:
    """Plain, possibly multi-line text as Markdown paragraphs that keep every line break."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    out: list[str] = []
    for i, line in enumerate(lines):
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        escaped = escape_line(line)
        following = lines[i + 1] if i + 1 < len(lines) else ""
        out.append(escaped + "\\" if following.strip() else escaped)
    while out and out[-1] == "":
        out.pop()
    return out or ["*(no text)*"]


def _table(header: Iterable[str], rows: Iterable[Iterable[str]]) -> list[str]:
    """Cells are already escaped Markdown."""
    head = list(header)
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return [*lines, ""]


def _turn(turn: TurnView, level: str = "###") -> list[str]:
    kind = f" — {escape_inline(turn.kind)}" if turn.kind else ""
    failed = " (failed)" if turn.failed else ""
    lines = [f"{level} {escape_inline(turn.member)}{failed}{kind}", ""]
    if turn.stats:
        lines += [f"*{escape_inline(turn.stats)}*", ""]
    return [*lines, *escape_block(turn.text), ""]


def _final(turn: TurnView, mode: str) -> list[str]:
    what = "Synthesis" if mode == "debate" else "Chairman's answer"
    stats = f" · {escape_inline(turn.stats)}" if turn.stats else ""
    lines = [f"> **{what}** by {escape_inline(turn.member)}{stats}", ">"]
    lines += [f"> {line}" if line else ">" for line in escape_block(turn.text)]
    return [*lines, ""]


def _aggregate_row(view: TranscriptView, row: AggregateRow) -> list[str]:
    cells = [str(row.position), escape_inline(row.member.name) + (" (failed)" if row.member.failed else "")]
    if view.show_mean:
        cells.append(row.mean.text)
    if view.show_average_rank:
        cells.append(row.average_rank)
    if view.show_borda:
        cells.append(row.borda)
    if view.rebuttals:
        cells.append("yes" if row.rebutted else "")
    return cells


def _block(view: TranscriptView, name: str) -> list[str]:
    if name == "reviews":
        with_reason = any(r.reason for r in view.reviews)
        header = ["Reviewer", "Target", "Label", "Score", "Valid"] + (["Note"] if with_reason else [])
        rows = [[escape_inline(r.reviewer), escape_inline(r.target), escape_inline(r.label) or "—",
                 r.score.text, "yes" if r.valid else "**no**"] + ([escape_inline(r.reason)] if with_reason else [])
                for r in view.reviews]
        return ["#### Peer reviews", "", *_table(header, rows)]
    if name == "rankings":
        rows = [[escape_inline(r.reviewer),
                 " › ".join(f"{i}\\. {escape_inline(n)}" for i, n in enumerate(r.order, 1)) or "—",
                 "yes" if r.valid else "**no**" + (f" ({escape_inline(r.reason)})" if r.reason else "")]
                for r in view.rankings]
        return ["#### Rankings (best first)", "", *_table(["Reviewer", "Ranking", "Valid"], rows)]
    if name == "aggregate":
        header = ["#", "Member"] + (["Mean score"] if view.show_mean else []) \
            + (["Average rank"] if view.show_average_rank else []) + (["Borda"] if view.show_borda else []) \
            + (["Rebuttal"] if view.rebuttals else [])
        return ["#### Aggregate", "", *_table(header, (_aggregate_row(view, r) for r in view.aggregate))]
    if name == "rebuttals":
        names = " and ".join(escape_inline(m.name) for m in view.rebuttals)
        return [f"Called to rebut: {names}", ""]
    if name == "alliances":
        rows = [[escape_inline(a.source), f"**{escape_inline(a.stance)}**" if a.tone == "bad"
                 else escape_inline(a.stance), escape_inline(a.target)] for a in view.alliances]
        return ["#### Alliances", "", *_table(["From", "Stance", "To"], rows)]
    raise AssertionError(f"unknown block {name}")


def _metadata(view: TranscriptView) -> list[str]:
    def who(member: Any) -> str:
        return "—" if member is None else escape_inline(member.name) + (" (failed)" if member.failed else "")

    when = (escape_inline(view.started) or "—") + (f" ({escape_inline(view.duration)})" if view.duration else "")
    members = escape_inline(view.members_line)
    if view.failed:
        members += ": " + "; ".join(
            f"{escape_inline(m.name)} failed" + (f" ({escape_inline(m.reason)})" if m.reason else "")
            for m in view.failed)
    lines = [
        f"- **Mode:** {view.mode}",
        f"- **Date:** {when}",
        f"- **Status:** {escape_inline(view.status_label)}",
        f"- **{view.topic_label}:** {escape_inline(view.topic) or '—'}",
    ]
    if view.mode == "debate" or view.proposer is not None:
        lines.append(f"- **Proposer:** {who(view.proposer)}")
    if view.parent:
        lines.append(f"- **Forked from:** {escape_inline(view.parent)}")
    lines += [f"- **Chairman:** {who(view.chairman)}", f"- **Members:** {members}",
              f"- **Session:** `{view.session_id}`" if "`" not in view.session_id
              else f"- **Session:** {escape_inline(view.session_id)}", ""]
    return lines


def render_markdown(view: TranscriptView) -> str:
    out = [f"# {view.title}", ""]
    if view.banner:
        out += [f"> **⚠ {escape_inline(view.banner)}**", ""]
    out += _metadata(view)
    if view.note:
        out += [f"*{escape_inline(view.note)}*", ""]
    if view.viewer:
        out += ["## Your ballots", "", *(f"- {escape_inline(line)}" for line in view.viewer), ""]

    out += ["## Members", ""]
    out += _table(["Member", "Model", "Persona", "Status"], [
        [escape_inline(m.name) + "".join(f" *({r})*" for r in m.roles), escape_inline(m.model) or "—",
         escape_inline(m.persona) or "—",
         ("**failed**" + (f": {escape_inline(m.reason)}" if m.reason else "")) if m.failed else "ok"]
        for m in view.members])

    for stage in view.stages:
        out += [f"## Stage {stage.index} · {escape_inline(stage.title)}", ""]
        out += [line for note in stage.notes for line in (f"*{escape_inline(note)}*", "")]
        for turn in stage.turns:
            out += _turn(turn)
        for block in stage.blocks:
            out += _block(view, block)
        if stage.ballots:
            out += ["#### Ballots as written", ""]
            for turn in stage.ballots:
                out += _turn(turn, "#####")
        for turn in stage.final:
            out += _final(turn, view.mode)
    if view.banner:
        out += ["*The record ends here.*", ""]
    if view.orphan_blocks or view.orphan_final:
        out += ["## Results", ""]
        for block in view.orphan_blocks:
            out += _block(view, block)
        for turn in view.orphan_final:
            out += _final(turn, view.mode)

    if view.achievements:
        out += ["## Achievements", ""]
        out += [f"- 🏆 **{escape_inline(a.badge)}** — {escape_inline(a.member.name)}"
                + (f": {escape_inline(a.reason)}" if a.reason else "") for a in view.achievements]
        out.append("")
    out += ["---", "", f"*Exported by Council Desktop · {view.mode} transcript · council-transcript/1*", ""]
    # Every piece of text went through escape_line; this also covers the few written verbatim (ids, mode).
    return visible_controls("\n".join(out), keep="\n\t")


def to_markdown(t: Mapping[str, Any]) -> str:
    """The transcript as a Markdown document (raises ValueError when ``t`` is not a valid transcript)."""
    return render_markdown(build_view(t))
