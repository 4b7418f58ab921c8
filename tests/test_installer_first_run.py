"""The first-run dialog: name, signing key into the real OS keyring, shared folder; skippable.

Runs the real dialog offscreen (pytest-qt), the real profile database and, where a key is made,
gnome-keyring on a private D-Bus (`os_keyring`).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QDialog

from desktop.paths import database_path
from desktop.provisioning import (
    AdoptStatus,
    adopt_bundled_team,
    first_run_needed,
    first_run_state,
    package_team,
)
from desktop.store.database import open_database
from desktop.trust.events import public_key_text
from desktop.trust.identity import load_identity, signing_key
from desktop.ui.app import create_app
from desktop.ui.first_run import FirstRunDialog, run_first_start

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def team_bundle(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    key = Ed25519PrivateKey.generate()
    pack = tmp_path / "packs" / "Acme"
    pack.mkdir(parents=True)
    (pack / "Competitors.yml").write_text("extends: existence\nmessage: no '%s'\ntokens: [Globex]\n")
    out = tmp_path / "team"
    package_team(
        out,
        guidelines=tmp_path / "packs",
        policy=REPO / "guidelines" / "policy.yml",
        root_key=public_key_text(key.public_key()),
        signing_key=key,
        team_name="Acme Comms",
        shared_folder_hint=str(tmp_path / "Shared Greenlight"),
    )
    monkeypatch.setenv("GREENLIGHT_TEAM_DIR", str(out))
    return out


def _identity():
    db = open_database(database_path())
    try:
        return load_identity(db)
    finally:
        db.conn.close()


def _dialog(qtbot, team=None) -> FirstRunDialog:
    create_app()
    dialog = FirstRunDialog(team)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_dialog_shows_the_team_and_prefills_the_admins_shared_folder(qtbot, team_bundle: Path) -> None:
    team = adopt_bundled_team()
    assert team.status is AdoptStatus.ADOPTED
    dialog = _dialog(qtbot, team)
    assert "Acme Comms" in dialog.team_label.text()
    assert dialog.folder_edit.text() == str(team_bundle.parent / "Shared Greenlight")


def test_start_creates_the_signing_key_in_the_keyring_and_remembers_the_answers(
    qtbot, os_keyring, tmp_path: Path
) -> None:
    shared = tmp_path / "share"
    shared.mkdir()
    dialog = _dialog(qtbot)
    dialog.name_edit.setText("Ana Writer")
    dialog.folder_edit.setText(str(shared))
    with qtbot.waitSignal(dialog.finished, timeout=20000):
        dialog.start_button.click()
    assert dialog.result() == QDialog.DialogCode.Accepted
    identity = _identity()
    assert identity is not None and identity.name == "Ana Writer"
    # The private key is in the OS keyring and matches the recorded public key.
    assert public_key_text(signing_key(identity).public_key()) == identity.public_key
    assert dialog.outcome is not None and dialog.outcome.identity_fingerprint == identity.fingerprint
    assert not first_run_needed()
    assert first_run_state()["shared_folder"] == str(shared)
    # The folder is the profile's sync folder now (`greenlight sync` needs no --folder).
    from desktop.sync.settings import folder

    db = open_database(database_path())
    try:
        assert folder(db) == shared
    finally:
        db.conn.close()


def test_start_without_a_name_explains_and_records_nothing(qtbot) -> None:
    dialog = _dialog(qtbot)
    dialog.start_button.click()
    assert dialog.isVisible()
    assert "Enter your name" in dialog.error_label.text()
    assert first_run_needed()
    assert _identity() is None


def test_skip_closes_makes_no_key_and_is_not_asked_again(qtbot) -> None:
    dialog = _dialog(qtbot)
    dialog.name_edit.setText("Bo")
    dialog.skip_button.click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert _identity() is None
    assert not first_run_needed()
    assert first_run_state()["skipped"] is True


def test_a_tampered_team_setup_is_named_in_the_dialog_and_not_applied(qtbot, team_bundle: Path) -> None:
    (team_bundle / "guidelines" / "Acme" / "Competitors.yml").write_text("extends: existence\ntokens: [x]\n")
    team = adopt_bundled_team()
    assert team.status is AdoptStatus.REFUSED
    dialog = _dialog(qtbot, team)
    assert "not applied" in dialog.team_label.text() and "Competitors.yml" in dialog.team_label.text()
    assert dialog.folder_edit.text() == ""  # nothing from an unverified setup is used


def test_app_start_applies_the_team_setup_and_shows_the_dialog_once(qtbot, team_bundle: Path) -> None:
    create_app()
    shown: list[str] = []

    def skip_when_shown() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, FirstRunDialog) and widget.isVisible():
                shown.append(widget.team_label.text())
                widget.skip_button.click()
                return
        QTimer.singleShot(20, skip_when_shown)

    QTimer.singleShot(0, skip_when_shown)
    run_first_start()
    assert shown and "Acme Comms" in shown[0]
    # Second start: already set up, no dialog (the call would block if one opened).
    assert run_first_start() is None
