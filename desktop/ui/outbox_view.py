"""The outbox: publishes that have not gone out yet. See them, retry one now, or cancel it.

Entries are the publish core's records (`desktop.publish.outbox`): waiting after a retryable
failure (offline, server error, rate limit), or needing the writer (expired password, text too
long). A timer sends what is due (the core's backoff decides when) while the app runs, the way
`greenlight outbox retry` does from the command line. A retry goes through the trust gate again,
so an entry whose draft was edited since is refused rather than sent.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.publish_lanes import PublishLanes, describe_error, lanes_for
from desktop.ui.publish_panel import outcome_html
from desktop.ui.tables import row_table

STATE_WORDS = {
    "queued": "Queued",
    "sending": "Sending (or interrupted)",
    "waiting": "Waiting to retry",
    "needs_attention": "Needs you",
    "published": "Published",
    "cancelled": "Cancelled",
}
COLUMNS = ["State", "Account", "Draft", "Attempts", "Next try (UTC)", "Problem"]


def _when(stamp: str | None) -> str:
    return (stamp or "")[:16].replace("T", " ")


class OutboxView(QWidget):
    """A table of outbox entries with Retry now / Cancel; `reload()` reads them on the db lane."""

    loaded = Signal(list)  # Records painted
    retried = Signal(object)  # AccountOutcome of a retry
    cancelled = Signal(str)  # record id
    failed = Signal(str)  # an error shown to the user
    changed = Signal()  # something was sent or cancelled: other views may want to reload

    def __init__(
        self,
        lanes: PublishLanes | None = None,
        parent: QWidget | None = None,
        *,
        auto_retry_ms: int = 0,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("outboxView")
        self.setAccessibleName("Outbox")
        self.lanes = lanes_for(self, lanes)
        self.records: list = []
        self.confirm_box: QMessageBox | None = None

        self.summary = QLabel("Loading the outbox…")
        self.summary.setObjectName("outboxSummary")
        self.summary.setAccessibleName("Outbox summary")
        self.summary.setWordWrap(True)
        self.show_all = QCheckBox("Show &published and cancelled")
        self.show_all.setAccessibleName("Show published and cancelled entries")
        self.show_all.toggled.connect(self.reload)

        self.table = row_table(list(COLUMNS), object_name="outboxTable", accessible_name="Outbox entries")
        self.table.horizontalHeader().setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._update_buttons)

        self.retry_button = QPushButton("&Retry now")
        self.retry_button.setAccessibleName("Retry the selected entry now")
        self.retry_button.clicked.connect(self.retry_selected)
        self.cancel_button = QPushButton("&Cancel entry…")
        self.cancel_button.setAccessibleName("Cancel the selected entry")
        self.cancel_button.clicked.connect(self.ask_cancel)
        self.reload_button = QPushButton("Re&load")
        self.reload_button.setAccessibleName("Reload the outbox")
        self.reload_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        for b in (self.retry_button, self.cancel_button, self.reload_button):
            buttons.addWidget(b)
        buttons.addStretch(1)

        self.details = QTextBrowser()
        self.details.setObjectName("outboxDetails")
        self.details.setAccessibleName("Outbox entry details and results")
        self.details.setOpenExternalLinks(True)
        self.details.setMaximumHeight(140)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.show_all)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.details)

        self.timer = QTimer(self)
        self.timer.setObjectName("outboxAutoRetry")
        self.timer.timeout.connect(self.send_due)
        if auto_retry_ms > 0:
            self.timer.start(auto_retry_ms)
        self._update_buttons()
        self._loaded_once = False  # read when first shown, not while the window is still starting

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._loaded_once:
            self._loaded_once = True
            self.reload()

    # -- reading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        show_all = self.show_all.isChecked()

        def run(store):
            from desktop.publish.outbox import OPEN_STATES, Outbox

            states = (*OPEN_STATES, "published", "cancelled") if show_all else OPEN_STATES
            return Outbox(store.db).list(states)

        self.lanes.db.submit(run, done=self._loaded, failed=self._failed, key="outbox-load")

    def _loaded(self, records: list) -> None:
        selected = self.selected_record()
        selected_id = selected.id if selected else None
        self.records = list(records)
        self.table.setRowCount(len(self.records))
        for row, r in enumerate(self.records):
            problem = r.last_error or ""
            if r.state == "published":
                problem = r.url or r.remote_id or ""
            cells = [
                STATE_WORDS.get(r.state, r.state),
                r.account_name,
                r.draft_id[:10],
                str(r.attempts),
                _when(r.next_attempt) if r.state == "waiting" else "",
                problem,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, r.id)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
            if r.id == selected_id:
                self.table.selectRow(row)
        open_count = sum(1 for r in self.records if r.state not in ("published", "cancelled"))
        attention = sum(1 for r in self.records if r.state == "needs_attention")
        if open_count == 0:
            self.summary.setText("The outbox is empty: nothing is waiting to be published.")
        else:
            text = f"{open_count} post(s) waiting to be published"
            if attention:
                text += f", {attention} need you (see the problem, fix it, then Retry now)"
            self.summary.setText(text + ".")
        self._update_buttons()
        self.loaded.emit(self.records)

    def selected_record(self):
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        item = self.table.item(rows.pop(), 0)
        record_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((r for r in self.records if r.id == record_id), None)

    def select_record(self, record_id: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(Qt.ItemDataRole.UserRole) == record_id:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        r = self.selected_record()
        live = r is not None and r.state not in ("published", "cancelled")
        self.retry_button.setEnabled(live)
        self.cancel_button.setEnabled(live)
        if r is not None:
            lines = [
                f"<b>{html.escape(r.account_name)}</b>: {html.escape(STATE_WORDS.get(r.state, r.state))}",
                f"draft {html.escape(r.draft_id)}, {r.attempts} attempt(s), queued {html.escape(_when(r.created))} UTC",
            ]
            if r.last_error and r.state != "published":
                lines.append(html.escape(r.last_error))
            if r.url:
                lines.append(f'<a href="{html.escape(r.url, quote=True)}">{html.escape(r.url)}</a>')
            self.details.setHtml("<p>" + "<br>".join(lines) + "</p>")

    # -- actions ---------------------------------------------------------------------------------

    def retry_selected(self) -> None:
        r = self.selected_record()
        if r is None:
            return
        record_id = r.id

        def run(store):
            from desktop.publish.service import PublishService

            return PublishService(store.db).retry(record_id)

        def done(outcome) -> None:
            self.details.setHtml(outcome_html([outcome]))
            self.retried.emit(outcome)
            self.changed.emit()
            self.reload()

        self.retry_button.setEnabled(False)
        self.details.setHtml(f"<p>Sending to {html.escape(r.account_name)}…</p>")
        self.lanes.net.submit(run, done=done, failed=self._failed)

    def send_due(self) -> None:
        """Send every entry whose backoff has passed (the auto-retry timer calls this)."""

        def run(store):
            from desktop.publish.service import PublishService

            return PublishService(store.db).retry_due()

        def done(outcomes: list) -> None:
            if outcomes:
                self.details.setHtml(outcome_html(outcomes))
                self.changed.emit()
            self.reload()

        self.lanes.net.submit(run, done=done, failed=self._failed, key="outbox-due")

    def ask_cancel(self) -> None:
        r = self.selected_record()
        if r is None:
            return
        warning = ""
        if r.attempts:
            warning = (
                " An earlier attempt may have reached the platform: check the account before posting again."
            )
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Cancel outbox entry",
            f"Never send draft {r.draft_id[:10]} to {r.account_name}?{warning}",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("cancelOutboxBox")
        box.setAccessibleName("Confirm cancelling the outbox entry")
        box.setDefaultButton(QMessageBox.StandardButton.No)
        record_id = r.id
        box.accepted.connect(lambda: self.cancel(record_id))
        box.finished.connect(box.deleteLater)
        self.confirm_box = box
        box.open()

    def cancel(self, record_id: str) -> None:
        def run(store):
            from desktop.publish.outbox import Outbox

            return Outbox(store.db).cancel(record_id)

        def done(rec) -> None:
            self.details.setHtml(
                f"<p>Cancelled: draft {html.escape(rec.draft_id[:10])} will not be sent to "
                f"{html.escape(rec.account_name)}.</p>"
            )
            self.cancelled.emit(rec.id)
            self.changed.emit()
            self.reload()

        self.lanes.db.submit(run, done=done, failed=self._failed)

    def _failed(self, exc: BaseException) -> None:
        message = describe_error(exc)
        self.details.setHtml(f"<p>✗ {html.escape(message)}</p>")
        self.failed.emit(message)
        self._update_buttons()
