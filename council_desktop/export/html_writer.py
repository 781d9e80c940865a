"""The standalone HTML transcript: one dark-themed page, every piece of text escaped by jinja2."""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

from jinja2 import Environment, StrictUndefined, Template
from markupsafe import Markup

from .html_template import CSP, CSS, TEMPLATE
from .view import TranscriptView, build_view

_STATUS_TONES = {"finished": "good", "interrupted": "mid", "running": "mid", "cancelled": "mid",
                 "failed": "bad"}


@lru_cache(maxsize=1)
def _template() -> Template:
    # autoescape=True: model text is data, never markup. StrictUndefined: a template typo fails loudly.
    env = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    return env.from_string(TEMPLATE)


def _short(text: str, limit: int = 80) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= limit else flat[: limit - 1].rstrip() + "…"


def render_html(view: TranscriptView) -> str:
    return _template().render(
        view=view,
        # Our own constant stylesheet: escaping it would turn its quotes into entities inside <style>.
        css=Markup(CSS),
        csp=CSP,
        short_topic=_short(view.topic) or view.title,
        status_tone=_STATUS_TONES.get(view.status, "none"),
    )


def to_html(t: Mapping[str, Any]) -> str:
    """The transcript as a standalone HTML page (raises ValueError when ``t`` is not a valid transcript)."""
    return render_html(build_view(t))
