"""The one dark palette, fonts and the application style (Fusion + QPalette + a small stylesheet)."""

from __future__ import annotations

from PySide6.QtGui import QColor, QFont, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication

BACKGROUND = "#1a1b26"
SURFACE = "#24283b"
SURFACE_RAISED = "#2a2f45"
BORDER = "#3b4261"
TEXT = "#c0caf5"
TEXT_DIM = "#9aa5ce"  # secondary text that must stay readable on the background
MUTED = "#565f89"
GOLD = "#e0af68"
GREEN = "#9ece6a"
YELLOW = "#f2d16b"  # the score band 5–7: brighter and yellower than the gold of auras
RED = "#f7768e"
BLUE = "#7aa2f7"
CYAN = "#7dcfff"
GREY = "#737aa2"  # an invalid ballot
INK = "#16161e"  # dark text on bright fills

FONT_FAMILIES = ["Inter", "Segoe UI", "SF Pro Text", "Cantarell", "Noto Sans", "DejaVu Sans", "sans-serif"]
MONO_FAMILIES = ["JetBrains Mono", "Cascadia Mono", "Menlo", "DejaVu Sans Mono", "monospace"]


def ui_font(pixel_size: int = 13, *, bold: bool = False, weight: QFont.Weight | None = None) -> QFont:
    """The UI font at a pixel size (pixels keep the arena's layout independent of the screen's DPI)."""
    font = QFont()
    font.setFamilies(FONT_FAMILIES)
    font.setPixelSize(pixel_size)
    if weight is not None:
        font.setWeight(weight)
    elif bold:
        font.setWeight(QFont.Weight.DemiBold)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


def mono_font(pixel_size: int = 12) -> QFont:
    font = QFont()
    font.setFamilies(MONO_FAMILIES)
    font.setPixelSize(pixel_size)
    return font


def qcolor(value: str | None, fallback: str = BLUE) -> QColor:
    """A colour from untrusted configuration text; an invalid one falls back instead of painting black."""
    color = QColor(value) if value else QColor()
    return color if color.isValid() else QColor(fallback)


def with_alpha(value: str | QColor, alpha: float) -> QColor:
    color = QColor(value)
    color.setAlphaF(max(0.0, min(1.0, alpha)))
    return color


def palette() -> QPalette:
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: BACKGROUND,
        QPalette.ColorRole.WindowText: TEXT,
        QPalette.ColorRole.Base: SURFACE,
        QPalette.ColorRole.AlternateBase: SURFACE_RAISED,
        QPalette.ColorRole.ToolTipBase: SURFACE_RAISED,
        QPalette.ColorRole.ToolTipText: TEXT,
        QPalette.ColorRole.PlaceholderText: MUTED,
        QPalette.ColorRole.Text: TEXT,
        QPalette.ColorRole.Button: SURFACE,
        QPalette.ColorRole.ButtonText: TEXT,
        QPalette.ColorRole.BrightText: RED,
        QPalette.ColorRole.Highlight: BLUE,
        QPalette.ColorRole.HighlightedText: INK,
        QPalette.ColorRole.Link: BLUE,
        QPalette.ColorRole.Light: SURFACE_RAISED,
        QPalette.ColorRole.Midlight: BORDER,
        QPalette.ColorRole.Mid: BORDER,
        QPalette.ColorRole.Dark: BACKGROUND,
        QPalette.ColorRole.Shadow: "#0f0f14",
    }
    for role, value in roles.items():
        pal.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        pal.setColor(QPalette.ColorGroup.Disabled, role, QColor(MUTED))
    return pal


STYLESHEET = f"""
QMainWindow, QDialog {{ background: {BACKGROUND}; }}
QToolTip {{ background: {SURFACE_RAISED}; color: {TEXT}; border: 1px solid {BORDER}; padding: 6px 8px;
            border-radius: 6px; }}
QMenuBar {{ background: {BACKGROUND}; color: {TEXT_DIM}; border-bottom: 1px solid {SURFACE}; }}
QMenuBar::item {{ padding: 4px 10px; background: transparent; }}
QMenuBar::item:selected {{ background: {SURFACE}; color: {TEXT}; border-radius: 4px; }}
QMenu {{ background: {SURFACE}; color: {TEXT}; border: 1px solid {BORDER}; padding: 4px; }}
QMenu::item {{ padding: 6px 24px 6px 12px; border-radius: 4px; }}
QMenu::item:selected {{ background: {SURFACE_RAISED}; }}
QMenu::item:disabled {{ color: {MUTED}; }}
QMenu::separator {{ height: 1px; background: {BORDER}; margin: 4px 8px; }}
QLineEdit {{ background: {SURFACE}; color: {TEXT}; border: 1px solid {BORDER}; border-radius: 8px;
             padding: 7px 12px; selection-background-color: {BLUE}; selection-color: {INK}; }}
QLineEdit:focus {{ border: 1px solid {BLUE}; }}
QPushButton {{ background: {SURFACE_RAISED}; color: {TEXT}; border: 1px solid {BORDER}; border-radius: 8px;
               padding: 7px 16px; font-weight: 600; }}
QPushButton:hover {{ border-color: {BLUE}; }}
QPushButton:pressed {{ background: {SURFACE}; }}
QPushButton:disabled {{ color: {MUTED}; border-color: {SURFACE_RAISED}; background: {SURFACE}; }}
QPushButton#primaryButton {{ background: {GOLD}; color: {INK}; border: 1px solid {GOLD}; }}
QPushButton#primaryButton:hover {{ background: #ebc083; }}
QPushButton#primaryButton:disabled {{ background: #4a4538; color: #8a8170; border-color: #4a4538; }}
QPushButton#stopButton {{ color: {RED}; border-color: {RED}; background: transparent; }}
QPushButton#stopButton:disabled {{ color: {MUTED}; border-color: {SURFACE_RAISED}; }}
QPushButton#flatButton {{ background: transparent; border: none; color: {TEXT_DIM}; padding: 2px 6px; }}
QFrame#topBar {{ background: {BACKGROUND}; }}
QToolBar {{ background: {BACKGROUND}; border: none; border-bottom: 1px solid {SURFACE}; padding: 0; spacing: 0; }}
QFrame#errorBanner {{ background: #3b2230; border: 1px solid {RED}; border-radius: 8px; }}
QLabel#errorText {{ color: #ffc4cf; }}
QDockWidget {{ color: {TEXT_DIM}; font-weight: 600; }}
QDockWidget::title {{ background: {BACKGROUND}; padding: 8px 10px; border-bottom: 1px solid {SURFACE}; }}
QPlainTextEdit {{ background: {BACKGROUND}; color: {TEXT}; border: none; selection-background-color: {BLUE};
                  selection-color: {INK}; }}
QScrollArea {{ background: transparent; border: none; }}
QStatusBar {{ background: {BACKGROUND}; color: {TEXT_DIM}; border-top: 1px solid {SURFACE}; }}
QStatusBar QLabel {{ color: {TEXT_DIM}; padding: 0 10px; }}
QStatusBar::item {{ border: none; }}
QScrollBar:vertical {{ background: transparent; width: 10px; margin: 2px; }}
QScrollBar::handle:vertical {{ background: {BORDER}; border-radius: 3px; min-height: 24px; }}
QScrollBar::handle:vertical:hover {{ background: {MUTED}; }}
QScrollBar::add-line, QScrollBar::sub-line {{ height: 0; width: 0; }}
QScrollBar::add-page, QScrollBar::sub-page {{ background: transparent; }}
QScrollBar:horizontal {{ background: transparent; height: 10px; margin: 2px; }}
QScrollBar::handle:horizontal {{ background: {BORDER}; border-radius: 3px; min-width: 24px; }}
QMainWindow::separator {{ background: {SURFACE}; width: 1px; height: 1px; }}
"""


def apply_theme(app: QApplication | QGuiApplication) -> None:
    """Fusion, the dark palette, the UI font and the stylesheet, once per application."""
    if isinstance(app, QApplication):
        app.setStyle("Fusion")
        app.setStyleSheet(STYLESHEET)
    app.setPalette(palette())
    app.setFont(ui_font(13))
    app.setProperty("council_theme", True)
