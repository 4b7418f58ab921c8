"""Publishing accounts: add, test, edit and remove them; the secret goes to the OS keyring only.

The secret is typed once into a password field and handed to `AccountStore.add`, which writes it
to the keyring before it writes the account row (the row only names the keyring entry). The field
is cleared as soon as the keyring has it. When no usable keyring backend exists, the dialog says
what to install (the publish core's own words) and does not offer to store a secret at all:
there is no fallback file.

All keyring, database and network work runs on the publishing lanes; the dialog only paints.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.publish_lanes import PublishLanes, describe_error, lanes_for
from desktop.ui.tables import row_table

PLATFORM_LABELS = {"bluesky": "Bluesky", "wordpress": "WordPress", "mastodon": "Mastodon"}
SECRET_LABELS = {
    "bluesky": "App password",
    "wordpress": "Application password",
    "mastodon": "Access token",
}
SERVER_HINTS = {
    "bluesky": "https://bsky.social (default)",
    "wordpress": "https://blog.example.org",
    "mastodon": "https://mastodon.example",
}
HANDLE_HINTS = {
    "bluesky": "name.bsky.social",
    "wordpress": "WordPress user name",
    "mastodon": "user name on that server",
}
DEFAULT_LEVELS = {0: "Trainee", 1: "Contributor", 2: "Trusted", 3: "Senior", 4: "Lead"}


@dataclass
class AccountsSnapshot:
    """What the dialog shows, read on the db lane."""

    accounts: list = field(default_factory=list)
    keyring_ok: bool = False
    keyring_message: str = ""
    levels: dict[int, str] = field(default_factory=lambda: dict(DEFAULT_LEVELS))


def _load_snapshot(store) -> AccountsSnapshot:
    from desktop.publish import secrets
    from desktop.publish.accounts import AccountStore

    snap = AccountsSnapshot(accounts=AccountStore(store.db).list())
    try:
        backend = secrets.check_available()
        snap.keyring_ok = True
        snap.keyring_message = f"Secrets are kept in the OS keyring ({backend.rsplit('.', 2)[-2]})."
    except secrets.KeyringUnavailable as exc:
        snap.keyring_message = str(exc)
    try:
        from desktop.trust.policy import load_policy

        snap.levels = dict(load_policy().levels)
    except Exception:  # the names are a nicety here; the numbers still mean the same
        pass
    return snap


def _test_account(store, account_id: str) -> tuple[bool, str]:
    """Log in with the stored secret; record and return what the platform said."""
    from desktop.publish.accounts import AccountStore
    from desktop.publish.errors import PublishError
    from desktop.publish.service import publisher_for

    accounts = AccountStore(store.db)
    acc = accounts.get(account_id)
    publisher = publisher_for(acc, accounts.secret(acc), timeout=20.0)
    try:
        who = publisher.verify()
        limits = publisher.limits()
    except PublishError as exc:
        accounts.record_test(acc, False, str(exc))
        return False, f"{acc.name}: {exc}"
    message = (
        f"logged in as {who}; posts up to {limits.max_characters} {limits.counts}, {limits.max_images} images"
    )
    accounts.record_test(acc, True, message)
    return True, f"{acc.name}: {message}"


class AccountsDialog(QDialog):
    """Manage publishing accounts. Emits `changed` after an add, edit or remove."""

    changed = Signal()
    loaded = Signal(object)  # AccountsSnapshot painted
    tested = Signal(bool, str)  # ok, message
    failed = Signal(str)  # an error shown to the user

    def __init__(self, lanes: PublishLanes | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("accountsDialog")
        self.setWindowTitle("Publishing accounts")
        self.setAccessibleName("Publishing accounts")
        self.lanes = lanes_for(self, lanes)
        self.snapshot = AccountsSnapshot()
        self._editing: str | None = None  # id of the account in the form, None for a new one
        self._busy = False
        self.confirm_box: QMessageBox | None = None

        self.keyring_status = QLabel("Checking the OS keyring…")
        self.keyring_status.setObjectName("keyringStatus")
        self.keyring_status.setAccessibleName("Keyring status")
        self.keyring_status.setWordWrap(True)
        self.keyring_status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.table = row_table(
            ["Account", "Server", "Demands", "Last test"],
            object_name="accountsTable",
            accessible_name="Publishing accounts",
        )
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        form_box = QGroupBox("Account details")
        form = QFormLayout(form_box)
        self.platform = QComboBox()
        self.platform.setAccessibleName("Platform")
        for key, label in PLATFORM_LABELS.items():
            self.platform.addItem(label, key)
        self.platform.currentIndexChanged.connect(self._platform_changed)
        self.handle = QLineEdit()
        self.handle.setAccessibleName("Handle")
        self.server = QLineEdit()
        self.server.setAccessibleName("Server URL")
        self.level = QComboBox()
        self.level.setAccessibleName("Trust level this account demands")
        self.secret = QLineEdit()
        self.secret.setObjectName("secretField")
        self.secret.setEchoMode(QLineEdit.EchoMode.Password)
        self.secret.setAccessibleName("Secret (stored only in the OS keyring)")
        self.secret.setAccessibleDescription(
            "Typed once; Greenlight stores it in the operating system's keyring and nowhere else."
        )
        self.secret_label = QLabel("Access &token:")
        self.secret_label.setBuddy(self.secret)
        for text, widget in (
            ("&Platform:", self.platform),
            ("&Handle:", self.handle),
            ("Ser&ver:", self.server),
            ("&Demands level:", self.level),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        form.addRow(self.secret_label, self.secret)

        self.message = QLabel()
        self.message.setObjectName("accountsMessage")
        self.message.setAccessibleName("Account message")
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.new_button = QPushButton("&New account")
        self.new_button.setAccessibleName("New account")
        self.new_button.clicked.connect(self.start_new)
        self.save_button = QPushButton("&Save")
        self.save_button.setAccessibleName("Save account")
        self.save_button.clicked.connect(self.save)
        self.test_button = QPushButton("&Test")
        self.test_button.setAccessibleName("Test the selected account")
        self.test_button.clicked.connect(self.test_selected)
        self.remove_button = QPushButton("&Remove…")
        self.remove_button.setAccessibleName("Remove the selected account")
        self.remove_button.clicked.connect(self.ask_remove)
        self.close_button = QPushButton("Close")
        self.close_button.setAccessibleName("Close accounts")
        self.close_button.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        for b in (self.new_button, self.save_button, self.test_button, self.remove_button):
            buttons.addWidget(b)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.keyring_status)
        layout.addWidget(self.table, 1)
        layout.addWidget(form_box)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(720, 520)

        self._fill_levels(DEFAULT_LEVELS)
        self._platform_changed()
        self._update_buttons()
        self.reload()

    # -- loading ---------------------------------------------------------------------------------

    def reload(self) -> None:
        self.lanes.db.submit(_load_snapshot, done=self._loaded, failed=self._failed, key="accounts-load")

    def _loaded(self, snap: AccountsSnapshot) -> None:
        self.snapshot = snap
        self._fill_levels(snap.levels)
        if snap.keyring_ok:
            self.keyring_status.setText(html.escape(snap.keyring_message))
            self.keyring_status.setStyleSheet("")
        else:
            self.keyring_status.setText(
                "<b>No OS keyring is available, so no secret can be stored.</b><br>"
                + html.escape(snap.keyring_message)
            )
            self.keyring_status.setStyleSheet("color: #b3261e;")
        self.secret.setEnabled(snap.keyring_ok)
        self.secret.setPlaceholderText(
            "stored only in the OS keyring" if snap.keyring_ok else "unavailable: no OS keyring"
        )
        selected = self._editing
        self.table.blockSignals(True)
        self.table.setRowCount(len(snap.accounts))
        for row, acc in enumerate(snap.accounts):
            tested = "never tested"
            if acc.last_tested:
                when = acc.last_tested[:16].replace("T", " ")
                tested = f"{'OK' if acc.last_test_ok else 'FAILED'} {when}: {acc.last_test_message or ''}"
            cells = [
                acc.name,
                acc.server,
                f"{acc.min_trust_level} {snap.levels.get(acc.min_trust_level, '')}".strip(),
                tested,
            ]
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, acc.id)
                item.setToolTip(text)
                self.table.setItem(row, col, item)
            if acc.id == selected:
                self.table.selectRow(row)
        self.table.blockSignals(False)
        if selected and not any(a.id == selected for a in snap.accounts):
            self.start_new()
        self._update_buttons()
        self.loaded.emit(snap)

    def _fill_levels(self, levels: dict[int, str]) -> None:
        current = self.level.currentData()
        self.level.clear()
        for number, name in sorted(levels.items()):
            self.level.addItem(f"{number} {name}", number)
        index = self.level.findData(current if current is not None else 0)
        self.level.setCurrentIndex(max(index, 0))

    # -- the form --------------------------------------------------------------------------------

    def account_ids(self) -> list[str]:
        return [a.id for a in self.snapshot.accounts]

    def selected_account(self):
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        item = self.table.item(rows.pop(), 0)
        account_id = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((a for a in self.snapshot.accounts if a.id == account_id), None)

    def select_account(self, name: str) -> None:
        """Select the row of `platform:handle` (keyboard users can also arrow to it)."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == name:
                self.table.selectRow(row)
                return

    def _selection_changed(self) -> None:
        acc = self.selected_account()
        if acc is None:
            self._update_buttons()
            return
        self._editing = acc.id
        self.platform.setCurrentIndex(self.platform.findData(acc.platform))
        self.handle.setText(acc.handle)
        self.server.setText(acc.server)
        self.level.setCurrentIndex(max(self.level.findData(acc.min_trust_level), 0))
        self.secret.clear()
        self.secret.setPlaceholderText("leave empty to keep the stored secret")
        self.platform.setEnabled(False)  # platform and handle name the account; add a new one instead
        self.handle.setEnabled(False)
        self._update_buttons()

    def start_new(self) -> None:
        self._editing = None
        self.table.clearSelection()
        self.platform.setEnabled(True)
        self.handle.setEnabled(True)
        self.handle.clear()
        self.server.clear()
        self.secret.clear()
        self.level.setCurrentIndex(max(self.level.findData(0), 0))
        if self.snapshot.keyring_ok:
            self.secret.setPlaceholderText("stored only in the OS keyring")
        self._update_buttons()
        self.handle.setFocus()

    def _platform_changed(self) -> None:
        key = self.platform.currentData() or "mastodon"
        self.handle.setPlaceholderText(HANDLE_HINTS[key])
        self.server.setPlaceholderText(SERVER_HINTS[key])
        self.secret_label.setText(f"{SECRET_LABELS[key]}:")
        self.secret.setAccessibleName(f"{SECRET_LABELS[key]} (stored only in the OS keyring)")

    def _update_buttons(self) -> None:
        selected = self.selected_account() is not None
        editing = self._editing is not None
        self.save_button.setEnabled(not self._busy and (editing or self.snapshot.keyring_ok))
        self.test_button.setEnabled(not self._busy and selected)
        self.remove_button.setEnabled(not self._busy and selected)

    def _set_busy(self, busy: bool, message: str = "") -> None:
        self._busy = busy
        if message:
            self.show_message(message)
        self._update_buttons()

    def show_message(self, text: str, *, error: bool = False) -> None:
        self.message.setText(text)
        self.message.setStyleSheet("color: #b3261e;" if error else "")

    # -- actions ---------------------------------------------------------------------------------

    def save(self) -> None:
        """Add a new account (secret required) or save changes to the selected one."""
        platform = self.platform.currentData()
        handle = self.handle.text()
        server = self.server.text().strip() or None
        level = int(self.level.currentData() or 0)
        secret = self.secret.text()
        editing = self._editing
        if editing is None and not self.snapshot.keyring_ok:
            self.show_message(self.snapshot.keyring_message or "No OS keyring is available.", error=True)
            return
        if editing is None and not secret.strip():
            self.show_message(
                f"Enter the {SECRET_LABELS[platform].lower()}: it is stored in the OS keyring only.",
                error=True,
            )
            self.secret.setFocus()
            return

        def run(store):
            from desktop.publish.accounts import AccountStore

            accounts = AccountStore(store.db)
            if editing is None:
                return "added", accounts.add(platform, handle, secret, server=server, min_trust_level=level)
            acc = accounts.edit(editing, min_trust_level=level, server=server)  # empty: keep the server
            if secret.strip():
                acc = accounts.add(acc.platform, acc.handle, secret, server=acc.server, min_trust_level=level)
                return "replaced", acc
            return "saved", acc

        def done(result) -> None:
            what, acc = result
            self.secret.clear()  # the keyring has it now; it is never shown again
            self._editing = acc.id
            self._set_busy(False)
            words = {
                "added": f"Added {acc.name}; its secret is in the OS keyring. Use Test to check it.",
                "replaced": f"Saved {acc.name} with its new secret (in the OS keyring).",
                "saved": f"Saved {acc.name}: server {acc.server}, demands level {acc.min_trust_level}.",
            }
            self.show_message(words[what])
            self.changed.emit()
            self.reload()

        self._set_busy(True, "Saving…")
        self.lanes.db.submit(run, done=done, failed=self._failed)

    def test_selected(self) -> None:
        acc = self.selected_account()
        if acc is None:
            return

        def done(result: tuple[bool, str]) -> None:
            ok, message = result
            self._set_busy(False)
            self.show_message(("Test passed: " if ok else "Test failed: ") + message, error=not ok)
            self.tested.emit(ok, message)
            self.reload()

        self._set_busy(True, f"Logging in to {acc.server} as {acc.handle}…")
        self.lanes.net.submit(lambda store: _test_account(store, acc.id), done=done, failed=self._failed)

    def ask_remove(self) -> None:
        acc = self.selected_account()
        if acc is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Remove account",
            f"Remove {acc.name} and delete its secret from the OS keyring? Posts already published stay "
            "where they are; waiting posts for this account cannot be sent any more.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("removeAccountBox")
        box.setAccessibleName("Confirm removing the account")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(lambda: self.remove(acc.id))
        box.finished.connect(box.deleteLater)
        self.confirm_box = box
        box.open()

    def remove(self, account_id: str) -> None:
        def run(store):
            from desktop.publish.accounts import AccountStore

            return AccountStore(store.db).remove(account_id)

        def done(acc) -> None:
            self._set_busy(False)
            self.show_message(f"Removed {acc.name} and deleted its secret from the OS keyring.")
            self.start_new()
            self.changed.emit()
            self.reload()

        self._set_busy(True, "Removing…")
        self.lanes.db.submit(run, done=done, failed=self._failed)

    def _failed(self, exc: BaseException) -> None:
        message = describe_error(exc)
        self._set_busy(False)
        self.show_message(message, error=True)
        self.failed.emit(message)
