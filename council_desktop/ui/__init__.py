"""The desktop window: main window, arena scene, panels, theme (QtWidgets/QtGui; never llm/ or storage/)."""

from .pyside_fix import guard_none_refcount

# Before any widget paints: see pyside_fix (PySide6 6.12 on Python 3.11 spends None's references).
guard_none_refcount()
