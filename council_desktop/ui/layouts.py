"""One call for the vertical stacks every page builds: margins, spacing and the items in order."""

from __future__ import annotations

from PySide6.QtWidgets import QLayout, QVBoxLayout, QWidget

Item = QWidget | QLayout | tuple[QWidget | QLayout, int] | int  # an int alone is a stretch


def vstack(parent: QWidget | None, *items: Item, margins: tuple[int, int, int, int] = (0, 0, 0, 0),
           spacing: int = 0) -> QVBoxLayout:
    """A QVBoxLayout on ``parent`` holding ``items`` top to bottom: a widget or a layout, ``(item,
    stretch)``, or a bare int for a stretch."""
    layout = QVBoxLayout(parent) if parent is not None else QVBoxLayout()
    layout.setContentsMargins(*margins)
    layout.setSpacing(spacing)
    for item in items:
        if isinstance(item, int):
            layout.addStretch(item)
            continue
        target, stretch = item if isinstance(item, tuple) else (item, 0)
        if isinstance(target, QLayout):
            layout.addLayout(target, stretch)
        else:
            layout.addWidget(target, stretch)
    return layout
