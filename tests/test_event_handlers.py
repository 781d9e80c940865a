"""Every ``on_event_<kind>`` handler (the window's views and the CLI's progress) names a real kind and
takes that kind's payload, and the consumers that must follow a whole session handle every kind."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import typing

import pytest

import council_desktop.cli as cli
import council_desktop.ui as ui
from council_desktop.core.events import EVENT_KINDS, PAYLOADS


def handlers() -> list[tuple[str, str, object]]:
    found = []
    names = [info.name for info in pkgutil.walk_packages(ui.__path__, ui.__name__ + ".")] + [cli.__name__]
    for name in names:
        module = importlib.import_module(name)
        for cls_name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ != module.__name__:
                continue
            for name, fn in vars(cls).items():
                if name.startswith("on_event_"):
                    found.append((f"{module.__name__}.{cls_name}", name.removeprefix("on_event_"), fn))
    return found


def test_the_views_have_handlers() -> None:
    owners = {owner for owner, _, _ in handlers()}
    assert {"council_desktop.ui.arena.scene.ArenaScene",
            "council_desktop.ui.transcript_panel.TranscriptPanel"} <= owners


@pytest.mark.parametrize(("owner", "kind", "fn"), handlers(), ids=lambda v: v if isinstance(v, str) else "")
def test_each_handler_names_a_kind_and_takes_its_payload(owner: str, kind: str, fn: object) -> None:
    assert kind in EVENT_KINDS, f"{owner}.on_event_{kind} handles no event kind"
    hints = typing.get_type_hints(fn)
    assert hints.get("d") is PAYLOADS[kind], f"{owner}.on_event_{kind} should take {PAYLOADS[kind].__name__}"


@pytest.mark.parametrize("owner", ["council_desktop.ui.arena.scene.ArenaScene",
                                   "council_desktop.ui.transcript_panel.TranscriptPanel",
                                   "council_desktop.cli.TerminalProgress"])
def test_the_arena_the_transcript_and_the_terminal_handle_every_kind(owner: str) -> None:
    handled = {kind for o, kind, _ in handlers() if o == owner}
    assert handled == set(EVENT_KINDS), set(EVENT_KINDS) - handled
