"""Self-review: before a post goes anywhere, the writer goes through every remaining finding.

Each finding is either fixed (the fix is applied in the editor) or acknowledged with a reason.
Acknowledgements are saved with the revision they were made on (the approval flow shows them to
approvers). While an error-level finding is neither fixed nor acknowledged, "Mark ready" stays
disabled, and the window re-checks the final text before it really marks the draft ready.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.review.findings import Finding, Severity
from desktop.ui import severity_style
from desktop.ui.editor import fix_choices

OPEN, FIXED, ACKNOWLEDGED = "open", "fixed", "acknowledged"
STATE_TEXT = {OPEN: "To do", FIXED: "Fixed", ACKNOWLEDGED: "Acknowledged"}


@dataclass
class ReviewItem:
    finding: Finding
    state: str = OPEN
    reason: str = ""


def unacknowledged_errors(findings: list[Finding], acknowledged: set[tuple[str, str]]) -> list[Finding]:
    """Error-level findings with no acknowledgement (matched by rule and matched text)."""
    return [f for f in findings if f.severity == Severity.ERROR and (f.rule, f.match) not in acknowledged]


class SelfReviewDialog(QDialog):
    fix_requested = Signal(object, str)  # the window applies it and calls mark_fixed()

    def __init__(
        self,
        findings: list[Finding],
        previous_reasons: dict[tuple[str, str], str] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Self-review")
        self.setObjectName("selfReviewDialog")
        self.setAccessibleName("Self-review checklist")
        self.resize(760, 520)
        self.mark_ready_requested = False
        previous = previous_reasons or {}
        self.items = [ReviewItem(f) for f in findings]
        for item in self.items:
            reason = previous.get((item.finding.rule, item.finding.match), "")
            if reason:
                item.reason = reason  # offered again, but the writer still confirms it

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setObjectName("selfReviewList")
        self.tree.setAccessibleName("Findings to review")
        self.tree.setHeaderLabels(["Level", "Finding", "Matched", "Status"])
        self.tree.setRootIsDecorated(False)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.currentItemChanged.connect(self._show_current)

        self.detail = QLabel()
        self.detail.setWordWrap(True)
        self.detail.setAccessibleName("Selected finding")
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setOpenExternalLinks(True)
        self.fix_row = QHBoxLayout()
        self.reason = QLineEdit()
        self.reason.setObjectName("ackReason")
        self.reason.setPlaceholderText("Why is this fine as it is? (required to acknowledge)")
        self.reason.setAccessibleName("Reason for acknowledging")
        self.reason.textChanged.connect(self._reason_changed)
        self.reason.returnPressed.connect(self.acknowledge_current)
        self.ack_button = QPushButton("&Acknowledge")
        self.ack_button.setAccessibleName("Acknowledge this finding with the reason")
        self.ack_button.clicked.connect(self.acknowledge_current)
        ack_row = QHBoxLayout()
        ack_row.addWidget(self.reason, 1)
        ack_row.addWidget(self.ack_button)

        self.blocker = QLabel()
        self.blocker.setObjectName("selfReviewBlocker")
        self.blocker.setWordWrap(True)
        self.blocker.setAccessibleName("What blocks marking ready")

        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton("&Save review", QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setAccessibleName("Save acknowledgements")
        self.ready_button = self.buttons.addButton("Mark &ready", QDialogButtonBox.ButtonRole.AcceptRole)
        self.ready_button.setAccessibleName("Mark the draft ready")
        self.ready_button.setObjectName("markReadyButton")
        cancel = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        cancel.setAccessibleName("Cancel self-review")
        self.save_button.clicked.connect(self.accept)
        self.ready_button.clicked.connect(self._mark_ready)
        cancel.clicked.connect(self.reject)

        fixes = QWidget()
        fixes.setLayout(self.fix_row)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.detail)
        layout.addWidget(fixes)
        layout.addLayout(ack_row)
        layout.addWidget(self.blocker)
        layout.addWidget(self.buttons)
        self._populate()

    # -- state -----------------------------------------------------------------------------------

    def acknowledgements(self) -> list[tuple[Finding, str]]:
        return [(i.finding, i.reason) for i in self.items if i.state == ACKNOWLEDGED]

    def blocking(self) -> list[Finding]:
        return [i.finding for i in self.items if i.state == OPEN and i.finding.severity == Severity.ERROR]

    def mark_fixed(self, finding: Finding) -> None:
        for i, item in enumerate(self.items):
            if item.finding is finding:
                item.state = FIXED
                self._refresh_row(i)
        self._update_blocker()

    def acknowledge_current(self) -> None:
        row = self.tree.indexOfTopLevelItem(self.tree.currentItem()) if self.tree.currentItem() else -1
        reason = self.reason.text().strip()
        if row < 0 or not reason:
            if not reason:
                self.reason.setFocus()
            return
        item = self.items[row]
        item.state, item.reason = ACKNOWLEDGED, reason
        self._refresh_row(row)
        self._update_blocker()
        self._select_next_open(row)

    # -- painting --------------------------------------------------------------------------------

    def _populate(self) -> None:
        self.tree.clear()
        for item in self.items:
            f = item.finding
            row = QTreeWidgetItem(["", f"{f.message}  ({f.rule})", f.match, ""])
            row.setIcon(0, severity_style.icon(f.severity))
            row.setText(0, severity_style.TITLE[f.severity])
            self.tree.addTopLevelItem(row)
        for i in range(len(self.items)):
            self._refresh_row(i)
        n = len(self.items)
        self.intro.setText(
            "Nothing left to review: every finding is fixed or set aside."
            if not n
            else f"{n} finding{'s' if n != 1 else ''} remain. Fix each one, or acknowledge it with a reason "
            "(your reasons are saved with this revision and shown to approvers)."
        )
        self._update_blocker()
        if n:
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        else:
            self._show_current(None, None)

    def _refresh_row(self, i: int) -> None:
        item, row = self.items[i], self.tree.topLevelItem(i)
        label = STATE_TEXT[item.state]
        if item.state == ACKNOWLEDGED:
            label += f": {item.reason}"
        row.setText(3, label)
        font = row.font(1)
        font.setStrikeOut(item.state == FIXED)
        row.setFont(1, font)
        row.setData(
            0,
            Qt.ItemDataRole.AccessibleTextRole,
            f"{severity_style.TITLE[item.finding.severity]}: {item.finding.message}, {label}",
        )

    def _update_blocker(self) -> None:
        blocking = self.blocking()
        self.ready_button.setEnabled(not blocking)
        if blocking:
            n = len(blocking)
            self.blocker.setText(
                f"✖ {n} error-level finding{'s' if n != 1 else ''} still need a fix or an acknowledgement "
                "before the draft can be marked ready."
            )
            self.blocker.setStyleSheet(f"color: {severity_style.color(Severity.ERROR).name()};")
        else:
            self.blocker.setText("✓ Nothing blocks marking this draft ready.")
            self.blocker.setStyleSheet("")

    def _show_current(self, current: QTreeWidgetItem | None, _prev: QTreeWidgetItem | None) -> None:
        while self.fix_row.count():
            w = self.fix_row.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        row = self.tree.indexOfTopLevelItem(current) if current is not None else -1
        if row < 0:
            self.detail.setText("")
            self.reason.setEnabled(False)
            self.ack_button.setEnabled(False)
            return
        item = self.items[row]
        f = item.finding
        link = f" <a href='{html.escape(f.link, quote=True)}'>Guideline</a>" if f.link else ""
        self.detail.setText(
            f"<b>{severity_style.TITLE[f.severity]}</b> · <code>{html.escape(f.rule)}</code><br>"
            f"{html.escape(f.message)}<br>Matched: “{html.escape(f.match)}” (line {f.line}){link}"
        )
        for label, replacement in fix_choices(f)[:3]:
            button = QPushButton(label)
            button.setAccessibleName(label)
            button.setEnabled(item.state != FIXED)
            button.clicked.connect(lambda _=False, fd=f, r=replacement: self.fix_requested.emit(fd, r))
            self.fix_row.addWidget(button)
        self.fix_row.addStretch(1)
        self.reason.setEnabled(item.state != FIXED)
        self.reason.setText(item.reason)
        self._reason_changed(self.reason.text())

    def _reason_changed(self, text: str) -> None:
        current = self.tree.currentItem()
        row = self.tree.indexOfTopLevelItem(current) if current is not None else -1
        fixed = row >= 0 and self.items[row].state == FIXED
        self.ack_button.setEnabled(bool(text.strip()) and row >= 0 and not fixed)

    def _select_next_open(self, after: int) -> None:
        order = list(range(after + 1, len(self.items))) + list(range(0, after + 1))
        for i in order:
            if self.items[i].state == OPEN:
                self.tree.setCurrentItem(self.tree.topLevelItem(i))
                self.reason.setFocus()
                return

    def _mark_ready(self) -> None:
        if self.blocking():
            return
        self.mark_ready_requested = True
        self.accept()

    def keyPressEvent(self, event) -> None:  # Enter in the reason field must not close the dialog
        if event.matches(QKeySequence.StandardKey.InsertParagraphSeparator) and self.reason.hasFocus():
            self.acknowledge_current()
            return
        super().keyPressEvent(event)
