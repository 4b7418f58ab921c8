"""Accessibility: every control is named for screen readers and reachable with the keyboard, and
severity is never shown by colour alone."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTabBar,
    QTextEdit,
    QWidget,
)

from desktop.review.findings import Severity
from tests.ui_support import close_window, create_draft, open_window, ui_profile, wait_findings, write_pack  # noqa: F401

pytestmark = pytest.mark.usefixtures("ui_profile")

CONTROLS = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QAbstractItemView,
    QPlainTextEdit,
    QTextEdit,
    QAbstractSpinBox,
)


@pytest.fixture(autouse=True)
def house_pack(tmp_path: Path) -> Path:
    from desktop.review.settings import GuidelineSettings, save_settings

    root = write_pack(tmp_path / "packs")
    save_settings(GuidelineSettings(packs=[], extra_packs=[str(root / "TestHouse")]))
    return root


def controls_of(root: QWidget) -> list[QWidget]:
    return [
        w
        for w in root.findChildren(QWidget)
        if isinstance(w, CONTROLS) and w.isVisibleTo(root) and w.isEnabled() and not _internal(w)
    ]


def _internal(w: QWidget) -> bool:
    """Parts of composite widgets (a combo box's popup list, scroll bar buttons) are named by their owner."""
    parent = w.parentWidget()
    while parent is not None:
        if isinstance(parent, QComboBox | QAbstractSpinBox):
            return True
        parent = parent.parentWidget()
    # A view's header is part of the view (the view carries the name, the header is not focusable).
    return type(w).__name__ in ("QScrollBar", "QHeaderView")


def accessible_name(w: QWidget) -> str:
    iface = QAccessible.queryAccessibleInterface(w)
    return iface.text(QAccessible.Text.Name).strip() if iface is not None else ""


def test_every_control_of_the_main_window_has_an_accessible_name(qtbot):
    create_draft("We utilize synergy.", title="A11y", platforms=["x"])
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: any(f.rule == "TestHouse.Banned" for f in fs))
    for index in range(window.side.count()):
        window.side.setCurrentIndex(index)
        unnamed = [
            f"{type(w).__name__}({w.objectName()})" for w in controls_of(window) if not accessible_name(w)
        ]
        assert not unnamed, f"controls without an accessible name on tab {index}: {unnamed}"
    close_window(qtbot, window)


def test_dialogs_name_their_controls(qtbot):
    create_draft("We utilize synergy.", title="A11y")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: any(f.rule == "TestHouse.Banned" for f in fs))
    with qtbot.waitSignal(window.review.review_opened, timeout=20000) as blocker:
        window.review.start_self_review()
    review = blocker.args[0]
    window._guidelines_settings()
    window._history()
    history = window.history_dialog
    qtbot.waitUntil(lambda: history.list.count() > 0, timeout=5000)
    for dialog in (review, window.settings_dialog, history):
        unnamed = [
            f"{type(w).__name__}({w.objectName()})" for w in controls_of(dialog) if not accessible_name(w)
        ]
        assert not unnamed, f"{dialog.windowTitle()}: controls without an accessible name: {unnamed}"
        dialog.reject()
    close_window(qtbot, window)


def test_every_control_is_reachable_with_tab(qtbot):
    create_draft("We utilize synergy.", title="Keys", platforms=["x"])
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: any(f.rule == "TestHouse.Banned" for f in fs))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    focusable = {
        w
        for w in controls_of(window)
        if w.focusPolicy() & w.focusPolicy().TabFocus and not isinstance(w, QTabBar)
    }
    reached: set[QWidget] = set()
    window.editor.setFocus()
    for _ in range(200):
        w = QApplication.focusWidget()
        if w is not None:
            reached.add(w)
        window.focusNextChild()
        QApplication.processEvents()
    missed = [f"{type(w).__name__}({w.objectName() or accessible_name(w)})" for w in focusable - reached]
    assert not missed, f"not reachable with Tab: {missed}"
    close_window(qtbot, window)


def test_shortcuts_jump_between_the_panes(qtbot):
    create_draft("We utilize synergy.", title="Keys")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: any(f.rule == "TestHouse.Banned" for f in fs))
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    from PySide6.QtCore import Qt

    qtbot.keyClick(window, Qt.Key.Key_1, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.draft_list.view
    qtbot.keyClick(window, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.findings.tree
    qtbot.keyClick(window, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.editor
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.focusWidget() is window.draft_list.search
    close_window(qtbot, window)


def test_severity_is_never_shown_by_colour_alone(qtbot):
    from desktop.ui import severity_style
    from desktop.ui.app import create_app

    create_app()
    styles = {severity_style.UNDERLINE[s] for s in Severity}
    assert len(styles) == 3, "each severity needs its own underline style"
    images = [severity_style.icon(s).pixmap(16, 16).toImage() for s in Severity]
    # Same size, different shapes: compare the alpha masks, which ignore colour.
    masks = {bytes(img.convertToFormat(img.Format.Format_Alpha8).constBits()) for img in images}
    assert len(masks) == 3, "each severity needs its own icon shape"
    assert len({severity_style.TITLE[s] for s in Severity}) == 3

    create_draft("We utilize synergy.", title="Words")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: any(f.rule == "TestHouse.Banned" for f in fs))
    heads = [
        window.findings.tree.topLevelItem(i).text(0) for i in range(window.findings.tree.topLevelItemCount())
    ]
    assert any(h.startswith("Errors") for h in heads) and any(h.startswith("Warnings") for h in heads)
    assert "1 error" in window.counts_label.text()
    close_window(qtbot, window)


def test_dark_palette_keeps_severities_readable(qtbot):
    from desktop.ui import severity_style
    from desktop.ui.app import apply_theme, create_app

    app = create_app()
    apply_theme("dark")
    try:
        base = app.palette().base().color()
        for sev in Severity:
            c = severity_style.color(sev)
            assert abs(c.lightness() - base.lightness()) > 90, f"{sev.label} too close to the dark background"
    finally:
        apply_theme("light")
    base = app.palette().base().color()
    for sev in Severity:
        assert abs(severity_style.color(sev).lightness() - base.lightness()) > 90
