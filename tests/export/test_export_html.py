"""The HTML writer: a standalone, script-free page where model text is only ever text."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from typing import Any

import pytest
from sample_transcripts import HOSTILE, debate_transcript, interrupted_debate

from council_desktop.export import to_html
from council_desktop.export.html_template import CSP

INTERRUPTED = "This session was interrupted; the transcript shows what was recorded"
# The only style attributes the template writes: a validated member colour or a computed bar width.
ALLOWED_STYLE = re.compile(r"--c: #[0-9a-fA-F]{6}|width: \d{1,3}%")


class _Page(HTMLParser):
    """Every element with its attributes, the visible text, and the text of elements with a class."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self._stack: list[tuple[str, str]] = []
        self.by_class: dict[str, list[str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, dict(attrs)))
        if tag not in ("meta", "br", "link"):
            self._stack.append((tag, dict(attrs).get("class") or ""))

    def handle_endtag(self, tag: str) -> None:
        while self._stack:
            if self._stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        self.text.append(data)
        for _, classes in self._stack:
            for cls in classes.split():
                self.by_class.setdefault(cls, []).append(data)

    def tags(self) -> list[str]:
        return [tag for tag, _ in self.elements]

    def with_class(self, cls: str) -> list[dict[str, str | None]]:
        return [attrs for _, attrs in self.elements if cls in (attrs.get("class") or "").split()]


def _parse(html: str) -> _Page:
    page = _Page()
    page.feed(html)
    page.close()
    return page


def test_page_has_no_script_no_handlers_no_external_resources(debate: dict[str, Any]) -> None:
    html = to_html(debate)
    page = _parse(html)
    assert not set(page.tags()) & {"script", "img", "svg", "iframe", "object", "embed", "link", "form",
                                   "input", "base", "video", "audio", "source", "noscript"}
    assert all((attrs.get("href") or "").startswith("#") for tag, attrs in page.elements if tag == "a")
    assert not [(tag, name) for tag, attrs in page.elements for name in attrs if name.startswith("on")]
    styles = [attrs["style"] for _, attrs in page.elements if "style" in attrs]
    assert styles and all(ALLOWED_STYLE.fullmatch(s or "") for s in styles)
    # "http" appears once, as the name of the CSP meta attribute; no URL of any kind anywhere.
    csp_meta = f'<meta http-equiv="Content-Security-Policy" content="{CSP.replace(chr(39), "&#39;")}">'
    assert html.count(csp_meta) == 1
    assert "http" not in html.replace(csp_meta, "").lower()
    assert "url(" not in html and "@import" not in html and "//" not in html.replace("<!DOCTYPE", "")
    assert page.tags().count("style") == 1


def test_hostile_model_text_is_escaped_text(debate: dict[str, Any]) -> None:
    html = to_html(debate)
    page = _parse(html)
    for raw in ("<script>", "<img src=x", "<svg", "<a href=\"javascript", "<b>bold?</b>", "</div></article>",
                "<style>body", "<!-- comment"):
        assert raw not in html, raw
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = "".join(page.text)
    assert HOSTILE in text  # whole and literal: line breaks, entities, braces and all
    assert "{{ 7 * 7 }}" in text and "49" not in text
    assert "document.title='pwned'" in text
    # Shown exactly once per place it was said: Cleo's opinion (the header shows nothing of it).
    assert text.count("I agree, but first:") == 1
    # A hostile badge name is escaped as well.
    assert "Contrarian <script>alert(1)</script>" in page.by_class["badge-name"]


def test_model_text_keeps_its_line_breaks(debate: dict[str, Any]) -> None:
    html = to_html(debate)
    assert ".text { white-space: pre-wrap;" in html
    page = _parse(html)
    texts = page.by_class["text"]
    assert any(t == debate["stages"][1]["turns"][0]["text"] for t in texts)
    assert re.search(r'<div class="text">Towns have done this before: [^<]*\n'
                     r"The lesson: communicate early", html)


def test_theme_and_score_badges(debate: dict[str, Any]) -> None:
    html = to_html(debate)
    for colour in ("#1a1b26", "#c0caf5", "#e0af68", "#9ece6a", "#f7768e"):
        assert colour in html
    page = _parse(html)
    assert len(page.with_class("badge")) == 16 + 5  # sixteen review cells, five aggregate means
    # The review grid, row by row (Ada, Basil, Cleo, Dmitri), cells in roster order minus oneself.
    grid = re.findall(r'<span class="badge tone-(\w+)">([^<]+)</span>', html)[:16]
    assert grid[:4] == [("mid", "7"), ("bad", "3"), ("good", "8"), ("mid", "5")]
    assert grid[4:8] == [("good", "8"), ("bad", "2"), ("good", "9"), ("bad", "4")]
    assert grid[12:16] == [("none", "—")] * 4  # Dmitri's invalid ballot is grey
    assert len(page.with_class("invalid")) == 1
    assert "no score for Response D after retry" in page.by_class["label"]
    assert re.search(r'class="badge tone-good">8\.50<', html) and re.search(r'class="badge tone-bad">2\.50<', html)


def test_alliances_failed_members_and_synthesis(debate: dict[str, Any]) -> None:
    html = to_html(debate)
    page = _parse(html)
    assert page.by_class["tone-good"].count("agree") == 5
    assert page.by_class["tone-bad"].count("disagree") == 3
    # Eve is marked failed in the roster, in the header note, and wherever her name is shown.
    assert len(page.with_class("failed")) >= 1 and "4 of 5 members" in page.text
    assert "the model stopped answering (context window full) twice during review" in "".join(page.text)
    assert page.by_class["tag"].count("failed") >= 4
    synthesis = page.by_class["synthesis"]
    assert "Synthesis" in synthesis and "1. Keep main roads and crossings lit all night." in "".join(synthesis)
    assert len(page.with_class("synthesis")) == 1
    assert ".synthesis { position: relative; border: 2px solid #e0af68;" in html
    assert [a for a in page.by_class["badge-name"]] == ["Iron Wall", "Contrarian <script>alert(1)</script>"]
    assert INTERRUPTED not in html


@pytest.mark.parametrize("status", ["interrupted", "running"])
def test_interrupted_banner(status: str) -> None:
    t = interrupted_debate()
    t["status"] = status
    page = _parse(to_html(t))
    assert any(INTERRUPTED in b for b in page.by_class["banner"])
    assert "The record ends here." in page.text
    assert "Stage 4" not in "".join(page.text) and not page.with_class("synthesis")


def test_failed_and_finished_sessions() -> None:
    failed = debate_transcript("failed")
    page = _parse(to_html(failed))
    assert page.by_class["banner"] == ["⚠ This session failed; the transcript shows what was recorded."]
    assert not _parse(to_html(debate_transcript(None))).with_class("banner")  # missing status = finished


def test_ask_mode(ask: dict[str, Any]) -> None:
    html = to_html(ask)
    page = _parse(html)
    text = "".join(page.text)
    assert "Council question" in page.text and "Chairman's answer" in page.by_class["eyebrow"]
    assert ask["topic"] in page.by_class["topic"]  # the question, with its <img> as text
    assert not set(page.tags()) & {"img", "script"}
    assert "Rankings, best first" in text and "Average rank" in page.text and "Borda" in page.text
    assert "Mean score" not in page.text  # ask mode has no scores
    assert "ranked only one response" in page.by_class["label"]
    assert "Practise the home row daily" in "".join(page.by_class["synthesis"])
    assert "Asked by you" in page.by_class["note"]
    assert "Proposer" not in page.text


def test_member_colour_cannot_inject_css(debate: dict[str, Any]) -> None:
    debate["members"][0]["color"] = "red; background: url(javascript:alert(1))"
    debate["members"][1]["color"] = "#ABCDEF"
    html = to_html(debate)
    styles = [attrs["style"] or "" for _, attrs in _parse(html).elements if "style" in attrs]
    assert all(ALLOWED_STYLE.fullmatch(s) for s in styles)
    assert "url(" not in html
    assert 'style="--c: #ABCDEF"' in html and 'style="--c: #7aa2f7"' in html  # Ada falls back to her seat's


def test_empty_stage_and_unknown_member_ids(debate: dict[str, Any]) -> None:
    debate["stages"][3]["turns"], debate["rebuttals"] = [], []
    debate["alliances"].append({"from": "ghost", "to": "ada", "stance": "agree"})
    page = _parse(to_html(debate))
    assert page.by_class["note"].count("Nothing was recorded in this stage.") == 1  # only the rebuttals
    assert "ghost" in page.text  # an id the roster lacks is shown as itself, not dropped
