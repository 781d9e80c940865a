"""The Settings dialog's stylesheet: tabs, model rows, chips, progress bars and combo boxes on the dark theme."""

from __future__ import annotations

from ..theme import BACKGROUND, BLUE, BORDER, CYAN, GOLD, INK, MUTED, RED, SURFACE, SURFACE_RAISED, TEXT, TEXT_DIM


def chip_style(color: str) -> str:
    """A small rounded status label tinted with its colour."""
    return (f"QLabel {{ color: {color}; border: 1px solid {color}; border-radius: 11px; padding: 0 8px;"
            f" font-size: 12px; font-weight: 600; background: transparent; }}")


STYLESHEET = f"""
QDialog#settingsDialog {{ background: {BACKGROUND}; }}
QTabWidget::pane {{ border: none; border-top: 1px solid {SURFACE_RAISED}; top: -1px; }}
QTabBar::tab {{ background: transparent; color: {TEXT_DIM}; padding: 9px 20px; margin-right: 4px; border: none;
                border-bottom: 2px solid transparent; font-weight: 600; }}
QTabBar::tab:selected {{ color: {TEXT}; border-bottom: 2px solid {GOLD}; }}
QTabBar::tab:hover {{ color: {TEXT}; }}
QTabBar::tab:focus {{ color: {TEXT}; background: {SURFACE}; border-radius: 6px; }}
QWidget#modelList {{ background: transparent; }}
QLabel#pageIntro {{ color: {TEXT_DIM}; }}
QLabel#columnHeader {{ color: {MUTED}; font-size: 11px; font-weight: 700; letter-spacing: 1px; }}
QFrame#modelRow {{ background: {SURFACE}; border: 1px solid {SURFACE}; border-radius: 10px; }}
QFrame#modelRow[failed="true"] {{ border: 1px solid #6b3446; }}
QFrame#modelRow[active="true"] {{ border: 1px solid #2f5a74; }}
QLabel#modelName {{ color: {TEXT}; font-size: 14px; font-weight: 600; }}
QLabel#modelSub, QLabel#cell {{ color: {TEXT_DIM}; }}
QLabel#modelSub {{ font-size: 12px; }}
QLabel#progressText {{ color: {TEXT_DIM}; font-size: 12px; }}
QLabel#rowError {{ color: #ffc4cf; font-size: 12px; }}
QLabel#rowNote {{ color: {TEXT_DIM}; font-size: 12px; }}
QLabel#statusNote {{ color: {TEXT_DIM}; }}
QProgressBar {{ background: {BACKGROUND}; border: none; border-radius: 3px; }}
QProgressBar::chunk {{ background: {CYAN}; border-radius: 3px; }}
QProgressBar[paused="true"]::chunk {{ background: {GOLD}; }}
QPushButton {{ padding: 6px 14px; }}
QPushButton:focus {{ border: 1px solid {BLUE}; }}
QPushButton#rowButton {{ padding: 4px 10px; border-radius: 6px; min-height: 20px; }}
QPushButton#rowButton[danger="true"] {{ color: {RED}; border-color: {RED}; background: transparent; }}
QPushButton#rowButton[primary="true"] {{ background: {GOLD}; color: {INK}; border-color: {GOLD}; }}
QPushButton#rowButton[primary="true"]:focus {{ border: 2px solid {TEXT}; }}
QPushButton#rowButton[primary="true"]:hover {{ background: #ebc083; }}
QComboBox {{ background: {SURFACE}; color: {TEXT}; border: 1px solid {BORDER}; border-radius: 8px; padding: 6px 10px;
             min-height: 20px; }}
QComboBox:focus, QComboBox:hover {{ border: 1px solid {BLUE}; }}
QComboBox:disabled {{ color: {MUTED}; }}
QComboBox::drop-down {{ subcontrol-origin: padding; subcontrol-position: center right; width: 26px; border: none; }}
QComboBox::down-arrow {{ image: none; width: 0; height: 0; border: none; }}
QComboBox QAbstractItemView {{ background: {SURFACE}; color: {TEXT}; border: 1px solid {BORDER};
                               selection-background-color: {SURFACE_RAISED}; selection-color: {TEXT}; outline: 0; }}
QFrame#ramCard {{ background: {SURFACE}; border-radius: 10px; }}
QLabel#ramHeadline {{ color: {TEXT}; font-size: 17px; font-weight: 600; }}
QLabel#ramDetail {{ color: {TEXT_DIM}; }}
QLabel#tableTitle {{ color: {TEXT}; font-size: 15px; font-weight: 600; }}
QLabel#ramWarning {{ color: {GOLD}; }}
QLabel#seatNumber {{ color: {INK}; border-radius: 13px; font-weight: 700; }}
QLabel#formError {{ color: #ffc4cf; }}
"""
