"""The Settings dialog: models (catalogue, downloads, your own files) and the council's seats."""

from .council_tab import CouncilTab
from .models_tab import ModelRowWidget, ModelsTab
from .settings_dialog import SettingsDialog

__all__ = ["CouncilTab", "ModelRowWidget", "ModelsTab", "SettingsDialog"]
