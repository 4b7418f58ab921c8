"""Sync in the app: two real profiles (own SQLite file, own key in the real OS keyring) on one
shared folder. The window runs on the writer's profile and syncs by itself; the lead's machine is
driven through the sync core, as `greenlight sync` would on another computer."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from desktop.sync import sharing
from desktop.sync.conflicts import conflicts_for
from desktop.sync.layout import event_file_name
from tests.fixtures.sync_team import make_team
from tests.ui_support import close_window, offline_grammar, open_window


@pytest.fixture
def team(os_keyring, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """(lead, ana, folder); the window opened by the test is Ana's, with the folder remembered."""
    from desktop.sync import settings

    folder = tmp_path / "Team Folder"
    lead, ana = make_team(tmp_path, folder, [("lead", 4), ("ana", 1)])
    monkeypatch.setenv("GREENLIGHT_HOME", str(ana.home))
    offline_grammar()
    settings.remember_folder(ana.db, folder)  # as `greenlight sync --folder DIR` once did
    return lead, ana, folder


def open_synced(qtbot):
    window = open_window(qtbot, engine=False)
    qtbot.waitUntil(lambda: window.sync.syncs >= 1, timeout=30000)
    return window


def lead_shares(lead, text: str, title: str = "Garden") -> str:
    draft = lead.store.create(text, title=title, platforms=["bluesky"])
    sharing.share(lead.db, lead.ledger, draft.id)
    lead.sync()
    return draft.id


def test_status_bar_shows_the_sync_state(qtbot, team):
    _lead, _ana, folder = team
    window = open_synced(qtbot)
    button = window.sync.button
    assert button.text().startswith("✓ Synced")
    assert str(folder.resolve()) in button.toolTip()
    assert button.accessibleName() == "Sync status"
    close_window(qtbot, window)


def test_a_teammates_draft_arrives_when_the_folder_changes(qtbot, team):
    lead, _ana, _folder = team
    window = open_synced(qtbot)
    lead_dir = str(lead.team.events_dir(lead.identity.fingerprint))
    assert lead_dir in window.sync.fs_watcher.directories()
    window.sync.poll_timer.stop()  # only the change notification can start this sync
    draft_id = lead_shares(lead, "The community garden opens on Saturday.")
    qtbot.waitUntil(lambda: window.draft_list.model.row_of(draft_id) >= 0, timeout=20000)
    close_window(qtbot, window)


def test_polling_finds_changes_when_the_share_never_notifies(qtbot, team):
    lead, _ana, _folder = team
    window = open_synced(qtbot)
    # A network share that delivers no change notifications: only the polling fallback is left.
    window.sync.fs_watcher.directoryChanged.disconnect()
    window.sync.poll_timer.setInterval(200)
    draft_id = lead_shares(lead, "Poll me, please.")
    qtbot.waitUntil(lambda: window.draft_list.model.row_of(draft_id) >= 0, timeout=20000)
    close_window(qtbot, window)


def test_the_open_draft_follows_a_teammates_edit(qtbot, team):
    lead, _ana, _folder = team
    draft_id = lead_shares(lead, "Opening on Saturday.")
    window = open_synced(qtbot)
    qtbot.waitUntil(lambda: window.draft_list.model.row_of(draft_id) >= 0, timeout=20000)
    window.drafts.open(draft_id)
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "Opening on Saturday.", timeout=10000)
    lead.store.save(draft_id, "Opening on Sunday instead.")
    lead.sync()
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "Opening on Sunday instead.", timeout=20000)
    assert window.autosaver.state == "saved"
    assert not window.sync.banner.isVisible()
    close_window(qtbot, window)


def test_typing_during_a_sync_is_never_overwritten(qtbot, team):
    lead, _ana, _folder = team
    draft_id = lead_shares(lead, "Opening on Saturday.")
    window = open_synced(qtbot)
    qtbot.waitUntil(lambda: window.draft_list.model.row_of(draft_id) >= 0, timeout=20000)
    window.drafts.open(draft_id)
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "Opening on Saturday.", timeout=10000)
    window.sync.poll_timer.stop()
    window.sync.fs_watcher.directoryChanged.disconnect()
    lead.store.save(draft_id, "Opening on Sunday.")
    lead.sync()
    # The writer keeps typing while the sync that brings the lead's edit runs.
    window.sync.sync_now()
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " Bring gloves.")
    typed = "Opening on Saturday. Bring gloves."
    qtbot.waitUntil(lambda: not window.sync.busy, timeout=20000)
    assert window.editor.toPlainText() == typed
    assert window.sync.banner.isVisible() and "while you were typing" in window.sync.banner.label.text()
    # Their version is offered side by side; the writer keeps their own.
    with qtbot.waitSignal(window.sync.conflict_shown, timeout=5000) as shown:
        window.sync.banner.button.click()
    dialog = shown.args[0]
    assert dialog.versions[1]["text"] == "Opening on Sunday."
    dialog.keep_buttons[0].click()
    assert window.editor.toPlainText() == typed
    qtbot.waitUntil(lambda: window.autosaver.state == "saved", timeout=10000)
    from tests.ui_support import stored_text

    assert stored_text(draft_id) == typed
    close_window(qtbot, window)


def test_a_conflict_shows_a_banner_and_is_resolved_side_by_side(qtbot, team):
    lead, ana, _folder = team
    draft_id = lead_shares(lead, "Launch day is Monday.")
    window = open_synced(qtbot)
    qtbot.waitUntil(lambda: window.draft_list.model.row_of(draft_id) >= 0, timeout=20000)
    window.drafts.open(draft_id)
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "Launch day is Monday.", timeout=10000)
    window.sync.poll_timer.stop()
    window.sync.fs_watcher.directoryChanged.disconnect()
    # Both edit the same version: Ana in the window, the lead on their machine.
    window.editor.selectAll()
    qtbot.keyClicks(window.editor, "Launch day is Tuesday.")
    lead.store.save(draft_id, "Launch day is Wednesday.")
    lead.sync()
    window.sync.sync_now()
    qtbot.waitUntil(lambda: window.sync.banner.isVisible(), timeout=20000)
    assert "two machines" in window.sync.banner.label.text()
    assert "⚠" in window.sync.button.text() and "conflict" in window.sync.button.text()
    with qtbot.waitSignal(window.sync.conflict_shown, timeout=5000) as shown:
        qtbot.mouseClick(window.sync.banner.button, Qt.MouseButton.LeftButton)
    dialog = shown.args[0]
    assert sorted(v["text"] for v in dialog.versions) == [
        "Launch day is Tuesday.",
        "Launch day is Wednesday.",
    ]
    dialog.merge_editor.setPlainText("Launch day is Tuesday or Wednesday.")
    dialog.use_merge.click()
    qtbot.waitUntil(
        lambda: window.editor.toPlainText() == "Launch day is Tuesday or Wednesday.", timeout=20000
    )
    qtbot.waitUntil(lambda: not window.sync.busy and not window.sync.banner.isVisible(), timeout=20000)
    assert conflicts_for(ana.db, draft_id) == []
    # The resolution travelled: the lead's machine has the merged text and no conflict.
    lead.sync()
    assert lead.store.get(draft_id).text == "Launch day is Tuesday or Wednesday."
    assert conflicts_for(lead.db, draft_id) == []
    close_window(qtbot, window)


def test_quarantined_files_are_listed_with_their_reason(qtbot, team):
    lead, _ana, _folder = team
    window = open_synced(qtbot)
    events = lead.team.events_dir(lead.identity.fingerprint)
    name = event_file_name(7, "ab" * 32)
    (events / name).write_bytes(b'{"v": 1, "author": "')  # a partial download
    window.sync.sync_now()
    qtbot.waitUntil(lambda: "problem" in window.sync.button.text(), timeout=20000)
    assert "⚠" in window.sync.button.text()
    tip = window.sync.button.toolTip()
    assert name in tip and "incomplete or damaged JSON" in tip
    window.sync.button.click()
    rows = window.sync.details.problems
    texts = [
        (rows.topLevelItem(i).text(0), rows.topLevelItem(i).text(1)) for i in range(rows.topLevelItemCount())
    ]
    assert any(name in what and "partial download" in why for what, why in texts)
    close_window(qtbot, window)


def test_sync_is_off_with_a_reason_when_no_folder_is_set(qtbot, greenlight_home):
    offline_grammar()
    window = open_window(qtbot, engine=False)
    qtbot.waitUntil(lambda: window.sync.status is not None, timeout=10000)
    assert window.sync.button.text() == "Sync: off"
    assert "no team folder" in window.sync.button.toolTip()
    close_window(qtbot, window)
