"""The arena: the council as a live scene, one module per element (STYLE.md rule 4)."""

from .scene import ArenaScene
from .view import ArenaView

__all__ = ["ArenaScene", "ArenaView"]
