"""Adding named, keyboard-reachable actions to the window's menus (main window, Publish, Sync)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu


def add_action(
    menu: QMenu, parent: QObject, text: str, slot: Callable[[], object], shortcut=None, name: str = ""
) -> QAction:
    """An action calling `slot()`; the object name (used by tests and accessibility checks) defaults
    to the text without its mnemonic and ellipsis."""
    action = QAction(text, parent)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    action.triggered.connect(lambda _=False: slot())
    action.setObjectName(name or text.replace("&", "").replace("…", "").strip())
    menu.addAction(action)
    return action
