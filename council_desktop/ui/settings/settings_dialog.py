"""SettingsDialog: the Models page (catalogue, downloads, your own files) and the Council page (seats)."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTabWidget, QVBoxLayout, QWidget

from ...services.model_manager import ModelManager
from .council_tab import CouncilTab
from .models_tab import ModelsTab
from .remote_tab import RemoteTab
from .style import STYLESHEET


class SettingsDialog(QDialog):
    """Settings, built on a ModelManager (which outlives the dialog: closing it never stops a download).

    Signals: none of its own (QDialog's finished)."""

    def __init__(self, manager: ModelManager, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.setObjectName("settingsDialog")
        self.setWindowTitle("Settings")
        self.setStyleSheet(STYLESHEET)
        self.resize(1160, 760)
        self.setMinimumSize(1060, 560)
        self.tabs = QTabWidget()
        self.tabs.setDocumentMode(True)
        self.tabs.tabBar().setDrawBase(False)
        self.models_tab = ModelsTab(manager)
        self.council_tab = CouncilTab(manager)
        self.remote_tab = RemoteTab(manager.remotes)
        self.tabs.addTab(self.models_tab, "&Models")
        self.tabs.addTab(self.remote_tab, "&Remote")
        self.tabs.addTab(self.council_tab, "&Council")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 12)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.buttons)
        self._connect_signals()

    def _connect_signals(self) -> None:
        self.buttons.rejected.connect(self.reject)
        self.council_tab.models_requested.connect(lambda: self.show_page("models"))

    def show_page(self, name: str) -> None:
        """"models" or "council"."""
        self.tabs.setCurrentWidget(self.council_tab if name == "council" else self.models_tab)
