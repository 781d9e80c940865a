"""Layout helpers the pages share: vertical stacks, emptying a layout, read-only tables."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QLayout, QTableWidget, QVBoxLayout, QWidget

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


def clear_layout(layout: QLayout) -> None:
    """Take every widget out of ``layout`` and delete it (hidden first, so nothing flashes)."""
    while layout.count():
        item = layout.takeAt(0)
        widget = item.widget() if item is not None else None
        if widget is not None:
            widget.hide()
            widget.deleteLater()


def read_only_table(columns: tuple[str, ...] | list[str], *, selectable: bool) -> QTableWidget:
    """A table of plain rows under ``columns``: no editing, no grid, alternating rows; whole rows are
    selected one at a time when ``selectable``, else nothing is and it takes no focus."""
    table = QTableWidget(0, len(columns))
    table.setHorizontalHeaderLabels(list(columns))
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    if selectable:
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    else:
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    table.setAlternatingRowColors(True)
    table.setShowGrid(False)
    return table
