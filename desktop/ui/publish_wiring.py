"""Puts publishing and approvals into the main window through its hooks, and nowhere else.

The main window calls `install_publishing(self)` once. This adds the Publish and Approvals tabs
(`add_side_panel`), a Publish menu (accounts, outbox, trust report), and connects the panels to
the open draft: they follow the draft that is opened, go stale the moment its text changes, and
ask the gate again after each autosave, so the Publish button never speaks for text that is not
saved. The outbox's automatic retry runs while the window is open.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QScrollArea, QWidget

from desktop.ui.approvals_panel import ApprovalsPanel
from desktop.ui.menus import add_action
from desktop.ui.outbox_view import OutboxView
from desktop.ui.publish_lanes import PublishLanes
from desktop.ui.publish_panel import PublishPanel

OUTBOX_RETRY_MS = 60_000  # how often the outbox looks for entries whose backoff has passed


@dataclass
class PublishingUi:
    lanes: PublishLanes
    publish: PublishPanel
    approvals: ApprovalsPanel
    outbox: OutboxView
    accounts_dialog: object = None
    trust_report: object = None


def _scrolling(panel: QWidget) -> QScrollArea:
    """The panel in a scroll area, so its height never forces a taller window (small screens)."""
    area = QScrollArea()
    area.setObjectName(panel.objectName() + "Scroll")
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes straight to the panel's controls
    area.setWidget(panel)
    return area


def editor_selection(editor) -> tuple[int, int, str] | None:
    """The editor's selected passage as (start, end, quote) in code points, or None."""
    from desktop.ui.text_offsets import OffsetMap

    cursor = editor.textCursor()
    if not cursor.hasSelection():
        return None
    offsets = OffsetMap(editor.toPlainText())
    start, end = offsets.from_qt(cursor.selectionStart()), offsets.from_qt(cursor.selectionEnd())
    return start, end, offsets.text[start:end]


def install_publishing(window) -> PublishingUi:
    """Add the publishing and approval UI to `window` (a desktop.ui.main_window.MainWindow)."""
    lanes = PublishLanes(window)
    lanes.watch(window)
    publish = PublishPanel(lanes)
    approvals = ApprovalsPanel(lanes)
    outbox = OutboxView(lanes, window, auto_retry_ms=OUTBOX_RETRY_MS)
    outbox.setWindowFlag(Qt.WindowType.Window)
    outbox.setWindowTitle("Outbox — Greenlight")
    ui = PublishingUi(lanes, publish, approvals, outbox)
    tabs = {publish: _scrolling(publish), approvals: _scrolling(approvals)}
    window.add_side_panel(tabs[publish], "Publish")
    window.add_side_panel(tabs[approvals], "Approvals")

    def follow(draft) -> None:
        draft_id = draft.id if draft is not None else None
        publish.set_draft(draft_id)
        approvals.set_draft(draft_id)

    def edited(state: str) -> None:
        if state == "unsaved":
            publish.content_changed()
            approvals.content_changed()

    def saved(draft_id: str, _revision) -> None:
        if draft_id == publish.draft_id:
            publish.refresh()
        if draft_id == approvals.draft_id:
            approvals.refresh()

    approvals.selection_source = lambda: editor_selection(window.editor)
    window.drafts.opened.connect(follow)
    window.autosaver.state_changed.connect(edited)
    window.autosaver.saved.connect(saved)
    approvals.step_done.connect(lambda _d, _w: publish.refresh())
    approvals.open_requested.connect(lambda draft_id: window.drafts.open(draft_id))
    publish.published.connect(lambda _o: approvals.refresh())
    publish.outbox_changed.connect(outbox.reload)
    outbox.changed.connect(publish.refresh)

    def open_accounts() -> None:
        from desktop.ui.accounts_dialog import AccountsDialog

        if ui.accounts_dialog is None:
            dialog = AccountsDialog(lanes, window)
            dialog.changed.connect(publish.refresh)
            ui.accounts_dialog = dialog
        ui.accounts_dialog.reload()
        ui.accounts_dialog.show()
        ui.accounts_dialog.raise_()

    def open_outbox() -> None:
        outbox.reload()
        outbox.show()
        outbox.raise_()

    def open_report() -> None:
        from desktop.ui.trust_report_view import TrustReportView

        if ui.trust_report is None:
            view = TrustReportView(lanes, window)
            view.setWindowFlag(Qt.WindowType.Window)
            view.setWindowTitle("Trust report — Greenlight")
            view.resize(900, 640)
            ui.trust_report = view
        else:
            ui.trust_report.reload()
        ui.trust_report.show()
        ui.trust_report.raise_()

    def show_tab(widget) -> None:
        window.side.setCurrentWidget(tabs[widget])
        widget.focusNextChild()

    publish.accounts_requested.connect(open_accounts)
    menu = window.menuBar().addMenu("&Publish")
    for text, slot, shortcut, name in (
        ("&Publish draft", lambda: show_tab(publish), "Ctrl+5", "focusPublish"),
        ("&Approvals", lambda: show_tab(approvals), "Ctrl+6", "focusApprovals"),
        (None, None, None, None),
        ("Publishing &accounts…", open_accounts, None, "publishingAccounts"),
        ("&Outbox…", open_outbox, None, "outbox"),
        ("&Trust report…", open_report, None, "trustReport"),
    ):
        if text is None:
            menu.addSeparator()
            continue
        add_action(menu, window, text, slot, shortcut, name)
    window.publishing = ui
    return ui
