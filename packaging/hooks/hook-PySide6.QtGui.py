"""PySide6.QtGui for a desktop app: PyInstaller's own hook, minus Qt plugins the app never uses.

The GTK 3 platform theme would bundle the build machine's whole GTK stack (gtk, gdk, cairo, pango, atk:
about 20 MB) only to copy the desktop's widget style, and the app draws its own theme; the file dialogs
still go native through the XDG desktop portal plugin. The framebuffer, VNC, EGLFS and Vulkan-display
platforms and the evdev/TUIO input plugins serve embedded devices without a window system. Kept: xcb,
wayland, offscreen (the self-test), minimal, the portal theme, input methods and image formats.
"""

from __future__ import annotations

from pathlib import PurePath

from PyInstaller.utils.hooks.qt import add_qt6_dependencies

UNUSED_PLUGINS = (
    ("platformthemes", "libqgtk3"),
    ("platforms", "libqlinuxfb"),
    ("platforms", "libqvnc"),
    ("platforms", "libqvkkhrdisplay"),
    ("platforms", "libqeglfs"),
    ("platforms", "libqminimalegl"),
    ("egldeviceintegrations", ""),
    ("generic", ""),
)


def _unused(src: str) -> bool:
    path = PurePath(src)
    return any(path.parent.name == kind and path.name.startswith(prefix) for kind, prefix in UNUSED_PLUGINS)


hiddenimports, binaries, datas = add_qt6_dependencies(__file__)
binaries = [(src, dest) for src, dest in binaries if not _unused(src)]
