"""First start: apply the installer's team setup, then a short, skippable welcome dialog.

The dialog asks for three things only: the member's name, whether to create their signing key now
(it goes into the OS keyring), and the shared folder (pre-filled with the admin's hint). Publishing
accounts come later. Everything it does is in `desktop.provisioning`; the keyring write runs on a
worker thread, because unlocking a keyring may show the system's own prompt and wait for the user.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.provisioning import (
    AdoptResult,
    AdoptStatus,
    FirstRunAnswers,
    FirstRunOutcome,
    adopt_bundled_team,
    complete_first_run,
    first_run_needed,
    skip_first_run,
    suggested_shared_folder,
)

log = logging.getLogger(__name__)


def _has_identity() -> bool:
    from desktop.paths import database_path
    from desktop.store.database import open_database
    from desktop.trust.identity import load_identity

    db = open_database(database_path())
    try:
        return load_identity(db) is not None
    finally:
        db.conn.close()


class FirstRunDialog(QDialog):
    """Welcome: name, signing key, shared folder. "Skip for now" is always available."""

    def __init__(self, team: AdoptResult | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Welcome to Greenlight")
        self.setObjectName("firstRunDialog")
        self.outcome: FirstRunOutcome | None = None
        self._worker = None
        layout = QVBoxLayout(self)

        intro = QLabel(
            "<b>Welcome.</b> Three quick things and you can start writing. You can skip this and do it later."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        if team is not None and team.status is not AdoptStatus.NONE:
            self.team_label = QLabel(self._team_text(team))
            self.team_label.setWordWrap(True)
            self.team_label.setObjectName("teamStatus")
            layout.addWidget(self.team_label)

        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("Your name, as your approvers know you")
        form.addRow("&Name", self.name_edit)

        self.key_check = QCheckBox("Create my signing key (kept in this computer's keyring)")
        self.key_check.setChecked(True)
        self.key_check.setToolTip(
            "Your approvals and submissions are signed with it; it never leaves the keyring."
        )
        if _has_identity():
            self.key_check.setChecked(False)
            self.key_check.setEnabled(False)
            self.key_check.setText("This profile already has a signing key")
        form.addRow("", self.key_check)

        folder_row = QHBoxLayout()
        self.folder_edit = QLineEdit(suggested_shared_folder())
        self.folder_edit.setPlaceholderText("OneDrive, Dropbox or network folder your team shares (optional)")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(browse)
        form.addRow("Shared &folder", folder_row)
        layout.addLayout(form)

        later = QLabel(
            "Publishing accounts (Bluesky, WordPress, Mastodon) can be added later, under Accounts."
        )
        later.setWordWrap(True)
        later.setEnabled(False)
        layout.addWidget(later)

        self.error_label = QLabel()
        self.error_label.setObjectName("firstRunError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #cf222e;")
        self.error_label.hide()
        layout.addWidget(self.error_label)

        self.buttons = QDialogButtonBox()
        self.start_button = self.buttons.addButton("Start", QDialogButtonBox.ButtonRole.AcceptRole)
        self.skip_button = self.buttons.addButton("Skip for now", QDialogButtonBox.ButtonRole.RejectRole)
        self.start_button.setDefault(True)
        self.buttons.accepted.connect(self._start)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)

    @staticmethod
    def _team_text(team: AdoptResult) -> str:
        if team.status is AdoptStatus.REFUSED:
            return f"⚠ The team setup in this installation was not applied: {team.message}"
        if team.profile is not None:
            return (
                f"Set up for <b>{team.profile.team_name}</b>: your team's guidelines and approval rules are "
                f"in place (verified, root key {team.profile.root_fingerprint})."
            )
        return team.message

    def _browse(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Your team's shared folder", self.folder_edit.text())
        if folder:
            self.folder_edit.setText(folder)

    def answers(self) -> FirstRunAnswers:
        return FirstRunAnswers(
            name=self.name_edit.text(),
            create_identity=self.key_check.isChecked() and self.key_check.isEnabled(),
            shared_folder=self.folder_edit.text(),
        )

    def _start(self) -> None:
        from desktop.ui.operations import Worker

        answers = self.answers()
        if answers.create_identity and not answers.name.strip():
            self._show_error("Enter your name: it is shown to your approvers beside everything you sign.")
            self.name_edit.setFocus()
            return
        self.buttons.setEnabled(False)
        self.error_label.hide()
        if self._worker is None:
            self._worker = Worker("first-run", parent=self)
        self._worker.submit(
            lambda _context: complete_first_run(answers), done=self._finished, failed=self._failed
        )

    def _finished(self, outcome: FirstRunOutcome) -> None:
        self.outcome = outcome
        self.buttons.setEnabled(True)
        if outcome.notes:
            log.info("first run: %s", "; ".join(outcome.notes))
        self.accept()

    def _failed(self, error: BaseException) -> None:
        self.buttons.setEnabled(True)
        self._show_error(str(error))

    def _show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def reject(self) -> None:
        if not self.buttons.isEnabled():  # the key is being written; closing now would hide the outcome
            return
        skip_first_run()
        super().reject()

    def done(self, result: int) -> None:
        if self._worker is not None:
            self._worker.stop()
            self._worker = None
        super().done(result)


def run_first_start(parent: QWidget | None = None) -> FirstRunOutcome | None:
    """At app start: apply the installer's team setup; on the first start show the welcome dialog.

    A team setup that fails verification is reported (and not applied) but does not stop the app.
    """
    team = adopt_bundled_team()
    if team.status is AdoptStatus.REFUSED:
        log.warning("team setup refused: %s", team.message)
    if not first_run_needed():
        if team.status is AdoptStatus.REFUSED:
            QMessageBox.warning(parent, "Team setup not applied", team.message)
        return None
    dialog = FirstRunDialog(team, parent)
    dialog.exec()
    return dialog.outcome
