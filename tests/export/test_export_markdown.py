"""The Markdown writer: structure, and model text that renders as literal text whatever it contains."""

from __future__ import annotations

import random
from html.parser import HTMLParser
from typing import Any

import pytest
from sample_transcripts import HOSTILE, debate_transcript, interrupted_debate

from council_desktop.export import to_markdown
from council_desktop.export.markdown_writer import escape_block, escape_inline, escape_line

NBSP = "\u00a0"


class _Rendered(HTMLParser):
    """The elements and the visible text of rendered Markdown (br → newline, paragraphs → blank line)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag == "br":
            self.parts.append("\x01")

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self.parts.append("\x02")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    @property
    def text(self) -> str:
        # markdown-it writes "<br />\n" and "</p>\n": those newlines are source formatting, not text.
        joined = "".join(self.parts).replace("\x01\n", "\x01").replace("\x02\n", "\x02")
        return joined.replace("\x01", "\n").replace("\x02", "\n\n")


def _render(markdown: str) -> _Rendered:
    markdown_it = pytest.importorskip("markdown_it")
    # CommonMark with raw HTML allowed (its default), plus GitHub's tables and strikethrough.
    html = markdown_it.MarkdownIt("commonmark").enable(["table", "strikethrough"]).render(markdown)
    parsed = _Rendered()
    parsed.feed(html)
    parsed.close()
    return parsed


def _visible(text: str) -> str:
    """What a reader should see for plain ``text``: each line as written (indentation kept as no-break
    spaces, trailing spaces dropped), runs of blank lines as one paragraph break."""
    out: list[str] = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.rstrip()
        if not line.strip():
            if out and out[-1] != "":
                out.append("")
            continue
        body = line.lstrip(" \t")
        out.append(line[: len(line) - len(body)].replace("\t", NBSP * 4).replace(" ", NBSP) + body)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out).replace("\n\n\n", "\n\n")


def _unescaped(markdown: str, raw: str) -> list[int]:
    """Offsets where ``raw`` occurs with its first character not backslash-escaped."""
    found, start = [], markdown.find(raw)
    while start != -1:
        slashes = len(markdown[:start]) - len(markdown[:start].rstrip("\\"))
        if slashes % 2 == 0:
            found.append(start)
        start = markdown.find(raw, start + 1)
    return found


# ---- the escaping rule -------------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "# heading",
    "[link](javascript:alert(1))",
    "![img](javascript:alert(1))",
    "| a | b |\n|---|---|\n| c | d |",
    "``` and `code` and ````",
    "***",
    "---",
    "Title\n===",
    "Title\n---",
    "- item\n+ item\n* item",
    "1. one\n2) two\n10. ten",
    "    indented code?\n\tand a tab",
    "> quote",
    "&amp; &lt;b&gt; &#60;script&#62; &copy;",
    "*em* **strong** _em_ __strong__ ~~del~~",
    "<http://example.org> and <a@b.c>",
    "line ends with a backslash \\\nnext line",
    "\\*not emphasis\\* \\\\",
    "[ref]: /url\n[ref]",
    "$x^2$ and {curly} and <!-- c -->",
    "~~~\nfence\n~~~",
    "a  \nb\n\n\n\nc",
])
def test_escaped_block_renders_as_the_literal_text(text: str) -> None:
    rendered = _render("\n".join(escape_block(text)) + "\n")
    assert [tag for tag, _ in rendered.tags if tag not in ("p", "br")] == []
    assert rendered.text.strip("\n") == _visible(text)


def test_random_punctuation_soup_always_renders_literally() -> None:
    rng = random.Random(20260509)
    alphabet = [*"\\`*_{}[]()<>#+-.!|~&$:;=\"'/@^%? \t\n", "ab", "1.", "12)", "&lt;", "<b>", "x"]
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40)))
        if not text.strip():
            continue
        rendered = _render("\n".join(escape_block(text)) + "\n")
        assert [tag for tag, _ in rendered.tags if tag not in ("p", "br")] == [], repr(text)
        assert rendered.text.strip("\n") == _visible(text), repr(text)


def test_inline_escape_keeps_a_table_row_whole() -> None:
    cell = escape_inline("a | b\nc <i>d</i> `e`")
    assert "\n" not in cell
    rendered = _render(f"| h |\n| --- |\n| {cell} |\n")
    assert [tag for tag, _ in rendered.tags].count("td") == 1
    assert "a | b c <i>d</i> `e`" in rendered.text


def test_escape_line_only_escapes_block_openers_at_the_start() -> None:
    assert escape_line("- x - y") == "\\- x - y"
    assert escape_line("3. x 4. y") == "3\\. x 4. y"
    assert escape_line("  + x") == "&#160;&#160;\\+ x"


def test_escape_block_of_empty_text_says_so() -> None:
    assert escape_block("") == ["*(no text)*"]
    assert escape_block("\n  \n") == ["*(no text)*"]


# ---- the document ------------------------------------------------------------------------------------

def test_hostile_model_text_never_appears_raw(debate: dict[str, Any]) -> None:
    md = to_markdown(debate)
    for raw in ("<script", "</script", "<img", "<svg", "](javascript:", "```", "***", "<!--", "&lt;"):
        assert _unescaped(md, raw) == [], raw
    assert "\\<script\\>alert(1)\\</script\\>" in md
    assert "\\# Not a heading" in md


def test_rendered_document_has_no_html_or_links_from_model_text(debate: dict[str, Any]) -> None:
    rendered = _render(to_markdown(debate))
    tags = {tag for tag, _ in rendered.tags}
    assert not tags & {"script", "img", "a", "svg", "style", "b", "div", "pre", "del", "s"}
    assert [tag for tag, _ in rendered.tags].count("code") == 1  # the session id, nothing else
    assert [tag for tag, _ in rendered.tags].count("h1") == 1  # the title; "# Not a heading" is text
    assert not any(name.startswith("on") for _, attrs in rendered.tags for name in attrs)
    # Cleo's whole opinion survives as visible text, line for line.
    assert _visible(HOSTILE) in rendered.text
    assert "Contrarian <script>alert(1)</script>" in rendered.text


def test_debate_document_has_every_part(debate: dict[str, Any]) -> None:
    md = to_markdown(debate)
    for part in ("# Council debate", "**Mode:** debate", "**Date:** 2026-05-09 07:35 UTC (4 min 12 s)",
                 "**Status:** Finished", "**Proposer:** Ada", "**Chairman:** Basil",
                 "**Members:** 4 of 5 members: Eve failed (the model stopped answering",
                 "## Stage 0 · Topic", "## Stage 1 · Opinions", "## Stage 2 · Peer review",
                 "## Stage 3 · Rebuttals", "## Stage 4 · Alliances", "## Stage 5 · Synthesis",
                 "#### Peer reviews", "#### Aggregate", "#### Alliances", "## Achievements",
                 "called to rebut: Cleo and Basil", "### Eve (failed) — opinion",
                 "> **Synthesis** by Basil", "> 1\\. Keep main roads and crossings lit all night.\\",
                 "🏆 **Iron Wall** — Dmitri"):
        assert part in md, part
    assert "This session was" not in md
    # One table row per review; Dmitri's unreadable ballot is marked with its reason.
    assert "| Ada | Cleo | Response A | 3 | yes |  |" in md
    assert "| Dmitri | Ada | Response C | — | **no** | no score for Response D after retry |" in md
    assert "| 1 | Ada | 8.50 |  |" in md
    assert "| 5 | Cleo | 2.50 | yes |" in md
    assert "| Ada | **disagree** | Eve |" in md


def test_the_synthesis_is_a_blockquote(debate: dict[str, Any]) -> None:
    rendered = _render(to_markdown(debate))
    assert "blockquote" in {tag for tag, _ in rendered.tags}
    assert "Eve's call to switch the whole town at once found no support." in rendered.text


def test_ask_document_shows_rankings_and_the_chairmans_answer(ask: dict[str, Any]) -> None:
    md = to_markdown(ask)
    assert md.startswith("# Council question\n")
    assert "**Question:** What is the fastest way to learn to touch-type? \\<img src=x onerror=alert(1)\\>" in md
    assert "**Proposer:**" not in md
    assert "#### Rankings (best first)" in md
    assert "| Ada | 1\\. Basil › 2\\. Dmitri › 3\\. Cleo | yes |" in md
    assert "| Dmitri | — | **no** (ranked only one response) |" in md
    assert "| # | Member | Average rank | Borda |" in md  # no mean scores, no rebuttals in ask mode
    assert "> **Chairman's answer** by Dmitri" in md
    assert "Asked by you" in md


def test_interrupted_session_says_so() -> None:
    md = to_markdown(interrupted_debate())
    assert "This session was interrupted; the transcript shows what was recorded." in md
    assert "**Status:** Interrupted" in md
    assert "## Stage 4" not in md and "Synthesis" not in md
    assert "*The record ends here.*" in md
    without_status = debate_transcript(status=None)
    assert "**Status:** Finished" in to_markdown(without_status)


def test_results_without_their_stage_are_still_shown(debate: dict[str, Any]) -> None:
    # A producer that recorded the results but not every stage: nothing recorded is dropped.
    debate["stages"] = debate["stages"][:2]
    md = to_markdown(debate)
    results = md[md.index("## Results"):]
    for part in ("#### Peer reviews", "#### Aggregate", "Called to rebut: Cleo and Basil", "#### Alliances",
                 "> **Synthesis** by Basil", "> The council leans towards yes, with conditions."):
        assert part in results, part
