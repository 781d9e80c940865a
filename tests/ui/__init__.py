"""Tests of council_desktop.ui (offscreen, qtbot)."""
