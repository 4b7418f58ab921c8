"""Helpers for the publishing and approval UI tests: which profile the app runs on, shown widgets,
and the accessibility check (every control named, every enabled control reachable with Tab)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from desktop.publish.accounts import AccountStore
from desktop.store import DraftStore

if TYPE_CHECKING:
    from tests.fixtures.trust_profiles import Profile

INTERACTIVE = (QAbstractButton, QLineEdit, QComboBox, QAbstractItemView, QTextEdit, QPlainTextEdit)


def use(monkeypatch, profile: Profile) -> None:
    """Point the app (and its background lanes) at this profile, as launching it there would."""
    monkeypatch.setenv("GREENLIGHT_HOME", str(profile.home))


def add_account(server: str, token: str, handle: str = "alice") -> str:
    store = DraftStore.open()
    try:
        return AccountStore(store.db).add("mastodon", handle, token, server=server).name
    finally:
        store.close()


def stored_accounts() -> list:
    store = DraftStore.open()
    try:
        return AccountStore(store.db).list()
    finally:
        store.close()


def shown(qtbot, widget: QWidget) -> QWidget:
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def click(qtbot, button) -> None:
    assert button.isEnabled(), f"{button.accessibleName()} is disabled"
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def database_bytes(home) -> bytes:
    return b"".join(p.read_bytes() for p in home.glob("greenlight.db*"))


def tab_cycle(qtbot, root: QWidget) -> set[QWidget]:
    """Widgets that Tab reaches from the first focusable one, going once round."""
    root.window().activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is root.window(), timeout=5000)
    root.focusNextChild()
    seen: set[QWidget] = set()
    for _ in range(80):
        w = QApplication.focusWidget()
        if w is not None:
            seen.add(w)
        root.focusNextChild()
    return seen


def check_accessible(qtbot, root: QWidget) -> None:
    controls = [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, INTERACTIVE) and w.window() is root.window() and not part_of_compound(w)
    ]
    assert controls
    unnamed = [type(w).__name__ + ":" + (w.objectName() or "?") for w in controls if not w.accessibleName()]
    assert unnamed == [], f"controls without an accessible name: {unnamed}"
    no_tab = [w.accessibleName() for w in controls if not w.focusPolicy() & Qt.FocusPolicy.TabFocus]
    assert no_tab == [], f"controls Tab skips by policy: {no_tab}"
    reached = tab_cycle(qtbot, root)
    usable = [
        w
        for w in controls
        if w.isVisibleTo(root) and w.isEnabled() and w.focusPolicy() != Qt.FocusPolicy.NoFocus
    ]
    missing = [w.accessibleName() for w in usable if w not in reached]
    assert missing == [], f"not reachable with Tab: {missing}"


def part_of_compound(w: QWidget) -> bool:
    """Headers and corner buttons of a table, the popup of a combo box: parts of one named control."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, (QComboBox, QAbstractItemView)):
            return True
        parent = parent.parentWidget()
    return False
