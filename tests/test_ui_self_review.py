"""Self-review on the real window: an unacknowledged error blocks "ready"; acknowledgements are saved
with the revision and shown in the history."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.ui_support import close_window, create_draft, open_window, ui_profile, wait_findings, write_pack  # noqa: F401

pytestmark = pytest.mark.usefixtures("ui_profile")


@pytest.fixture(autouse=True)
def house_pack(tmp_path: Path) -> Path:
    from desktop.review.settings import GuidelineSettings, save_settings

    root = write_pack(tmp_path / "packs")
    save_settings(GuidelineSettings(packs=[], extra_packs=[str(root / "TestHouse")]))
    return root


def _status(draft_id: str) -> str:
    from desktop.store import DraftStore

    store = DraftStore.open()
    try:
        return store.get(draft_id).status
    finally:
        store.close()


def _open_review(qtbot, window):
    with qtbot.waitSignal(window.review.review_opened, timeout=20000) as blocker:
        window.review.start_self_review()
    return blocker.args[0]


def test_unacknowledged_error_blocks_mark_ready(qtbot):
    draft_id = create_draft("Our synergy summit starts today.", title="Summit")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: any(f.rule == "TestHouse.Banned" for f in fs))
    dialog = _open_review(qtbot, window)
    assert not dialog.ready_button.isEnabled()
    assert "error-level" in dialog.blocker.text()
    dialog.reject()

    # The menu command cannot skip the review either: it refuses and reopens the checklist.
    with qtbot.waitSignal(window.review.review_opened, timeout=20000) as blocker:
        window.review.mark_ready()
    blocker.args[0].reject()
    assert _status(draft_id) == "draft"
    close_window(qtbot, window)


def test_acknowledging_with_a_reason_allows_ready_and_is_kept_with_the_revision(qtbot):
    draft_id = create_draft("Our synergy summit starts today.", title="Summit")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: any(f.rule == "TestHouse.Banned" for f in fs))
    dialog = _open_review(qtbot, window)
    # No reason, no acknowledgement.
    dialog.reason.setText("")
    assert not dialog.ack_button.isEnabled()
    dialog.reason.setText("The summit's official name, approved by legal")
    dialog.ack_button.click()
    assert dialog.ready_button.isEnabled()
    with qtbot.waitSignal(window.review.marked_ready, timeout=20000):
        dialog.ready_button.click()
    assert _status(draft_id) == "ready"

    from desktop.store import DraftStore
    from desktop.store.review_notes import ReviewNotes

    store = DraftStore.open()
    revision = store.get(draft_id).revisions
    acks = ReviewNotes(store.db).acknowledgements(draft_id, revision)
    store.close()
    assert [(a.rule, a.match, a.reason) for a in acks] == [
        ("TestHouse.Banned", "synergy", "The summit's official name, approved by legal")
    ]
    # The history shows it beside that revision.
    window._history()
    history = window.history_dialog
    qtbot.waitUntil(lambda: history.list.count() >= 1, timeout=5000)
    assert "1 acknowledged" in history.list.item(0).text()
    assert "approved by legal" in history.diff.toPlainText()
    history.reject()

    # Editing the reviewed text puts the draft back to "draft".
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    qtbot.keyClicks(window.editor, " Join us!")
    qtbot.waitUntil(lambda: _status(draft_id) == "draft", timeout=5000)
    close_window(qtbot, window)


def test_fixing_in_the_checklist_clears_the_block(qtbot):
    draft_id = create_draft("Our synergy summit starts today.", title="Summit")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: any(f.rule == "TestHouse.Banned" for f in fs))
    dialog = _open_review(qtbot, window)
    banned = next(i for i, item in enumerate(dialog.items) if item.finding.rule == "TestHouse.Banned")
    dialog.tree.setCurrentItem(dialog.tree.topLevelItem(banned))
    from PySide6.QtWidgets import QPushButton

    remove = next(b for b in dialog.findChildren(QPushButton) if b.text().startswith("Remove"))
    remove.click()
    assert window.editor.toPlainText() == "Our summit starts today."
    assert dialog.ready_button.isEnabled()
    with qtbot.waitSignal(window.review.marked_ready, timeout=20000):
        dialog.ready_button.click()
    assert _status(draft_id) == "ready"
    from tests.ui_support import stored_text

    assert stored_text(draft_id) == "Our summit starts today."
    close_window(qtbot, window)
