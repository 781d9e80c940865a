"""Helpers that keep model text plain wherever Qt might otherwise read it as rich text."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel


def plain_label(text: str = "", name: str = "", wrap: bool = False) -> QLabel:
    """A label that shows ``text`` literally (never as rich text), with ``name`` as its object name."""
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(wrap)
    if name:
        label.setObjectName(name)
    return label


def plain_tooltip(text: str) -> str:
    """Tooltip markup that shows ``text`` literally: Qt guesses rich text for tooltips, so escape it."""
    return "<p style='white-space:pre-wrap'>" + html.escape(text, quote=False) + "</p>"


def short_model(model: str) -> str:
    """The last part of a model label (a file name rather than a whole repo path)."""
    tail = model.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
    return tail or model


def initials(name: str) -> str:
    words = [w for w in name.replace("-", " ").replace("_", " ").split() if w]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    if words:
        return words[0][0].upper()
    return "?"
