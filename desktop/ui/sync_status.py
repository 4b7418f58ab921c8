"""The sync indicator in the status bar, and the details dialog it opens.

One button: what the last sync did and when, how many of the writer's changes still wait to
travel, and anything that needs attention (quarantined files with the reason, drafts with
competing versions, a folder that could not be reached). Words and a symbol carry the state,
never colour alone. The details dialog lists every problem with its reason.
"""

from __future__ import annotations

import html
from datetime import UTC, datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.sync_host import SyncOutcome, SyncStatus


def _when(iso: str) -> str:
    """A UTC ISO time as local clock time (date too when not today)."""
    if not iso:
        return "never"
    try:
        t = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    except ValueError:
        return iso
    if t.tzinfo is None:
        t = t.replace(tzinfo=UTC)
    local = t.astimezone()
    now = datetime.now().astimezone()
    return local.strftime("%H:%M") if local.date() == now.date() else local.strftime("%d %b %H:%M")


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def status_text(status: SyncStatus | None, *, busy: bool = False, error: str = "") -> str:
    """The button's text: short, with a symbol so the state never depends on colour."""
    if status is None:
        return "Sync: …"
    if not status.configured:
        return "Sync: off"
    if busy:
        return "⟳ Syncing…"
    if error or status.errors:
        return "⚠ Sync failed"
    attention = []
    if status.conflicts:
        attention.append(_plural(len(status.conflicts), "conflict"))
    if status.problems:
        attention.append(_plural(len(status.problems), "problem"))
    if attention:
        return "⚠ Sync: " + ", ".join(attention)
    pending = f" · {status.pending} pending" if status.pending else ""
    return f"✓ Synced {_when(status.last_sync)}{pending}" if status.last_sync else f"Sync: not yet{pending}"


def status_details(status: SyncStatus | None, *, error: str = "", limit: int = 10) -> str:
    """Plain-text summary for the tooltip: folder, last sync, pending, problems with reasons."""
    if status is None:
        return "Reading the sync state…"
    if not status.configured:
        return f"Sync is off: {status.not_configured}"
    lines = [
        f"Team folder: {status.folder}",
        f"Last sync: {_when(status.last_sync)}",
        f"Waiting to travel: {_plural(status.pending, 'change')}",
    ]
    for message in ([error] if error else []) + list(status.errors):
        lines.append(f"Failed: {message}")
    if status.conflicts:
        lines.append(f"Drafts with competing versions: {', '.join(status.conflicts)}")
    if status.problems:
        lines.append(f"Quarantined files ({len(status.problems)}), never applied:")
        for p in status.problems[:limit]:
            lines.append(f"  {p['file']}: {p['reason']}")
        if len(status.problems) > limit:
            lines.append(f"  … and {len(status.problems) - limit} more (click for the list)")
    return "\n".join(lines)


class SyncStatusButton(QToolButton):
    """The status-bar indicator; click for details."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncStatus")
        self.setAccessibleName("Sync status")
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.status: SyncStatus | None = None
        self.busy = False
        self.error = ""
        self._refresh()

    def set_status(self, status: SyncStatus, *, error: str | None = None) -> None:
        self.status = status
        if error is not None:
            self.error = error
        self._refresh()

    def set_busy(self, busy: bool) -> None:
        self.busy = busy
        self._refresh()

    def _refresh(self) -> None:
        text = status_text(self.status, busy=self.busy, error=self.error)
        details = status_details(self.status, error=self.error)
        self.setText(text)
        self.setToolTip(details)
        self.setAccessibleDescription(f"{text}. {details}")


class SyncDetailsDialog(QDialog):
    """Everything about sync in one place: the summary, each problem with its reason, conflicts."""

    sync_requested = Signal()
    folder_requested = Signal()
    open_draft = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("syncDetails")
        self.setWindowTitle("Sync — Greenlight")
        self.setAccessibleName("Sync details")
        self.resize(720, 420)
        self.summary = QLabel()
        self.summary.setObjectName("syncSummary")
        self.summary.setAccessibleName("Sync summary")
        self.summary.setWordWrap(True)
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problems = QTreeWidget()
        self.problems.setObjectName("syncProblems")
        self.problems.setAccessibleName("Sync problems")
        self.problems.setColumnCount(3)
        self.problems.setHeaderLabels(["What", "Reason", "Last seen"])
        self.problems.setRootIsDecorated(False)
        self.problems.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.problems.itemActivated.connect(self._activated)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.sync_button = QPushButton("Sync now")
        self.sync_button.setAccessibleName("Sync now")
        self.folder_button = QPushButton("Choose team folder…")
        self.folder_button.setAccessibleName("Choose team folder")
        buttons.addButton(self.sync_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.folder_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.sync_button.clicked.connect(self.sync_requested.emit)
        self.folder_button.clicked.connect(self.folder_requested.emit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.problems, 1)
        layout.addWidget(buttons)

    def show_status(self, status: SyncStatus, outcome: SyncOutcome | None = None, *, error: str = "") -> None:
        if not status.configured:
            self.summary.setText(f"Sync is off: {html.escape(status.not_configured)}")
        else:
            report = outcome.report if outcome is not None else {}
            last = (
                f"{report.get('exported', 0)} sent, {report.get('imported', 0)} received"
                + (f", {report['held']} waiting for what they build on" if report.get("held") else "")
                if report
                else ""
            )
            self.summary.setText(
                f"<b>Team folder:</b> {html.escape(status.folder)}<br>"
                f"<b>Last sync:</b> {_when(status.last_sync)}{' (' + last + ')' if last else ''}<br>"
                f"<b>Waiting to travel:</b> {_plural(status.pending, 'change')}"
            )
        self.problems.clear()
        for message in ([error] if error else []) + list(status.errors):
            self._row("Sync failed", message, "", None)
        for draft_id in status.conflicts:
            self._row(
                f"Draft {draft_id}",
                "edited on two machines at once: both versions are kept; open it to compare and choose",
                "",
                draft_id,
            )
        for p in status.problems:
            self._row(p["file"], p["reason"], _when(p.get("last_seen", "")), None)
        if not self.problems.topLevelItemCount():
            self._row("No problems", "every file in the team folder was read", "", None)
        self.problems.resizeColumnToContents(0)

    def _row(self, what: str, why: str, when: str, draft_id: str | None) -> None:
        item = QTreeWidgetItem([what, why, when])
        item.setToolTip(1, why)
        item.setData(0, Qt.ItemDataRole.UserRole, draft_id)
        item.setData(0, Qt.ItemDataRole.AccessibleTextRole, f"{what}: {why}")
        self.problems.addTopLevelItem(item)

    def _activated(self, item: QTreeWidgetItem, _column: int) -> None:
        draft_id = item.data(0, Qt.ItemDataRole.UserRole)
        if draft_id:
            self.open_draft.emit(draft_id)
