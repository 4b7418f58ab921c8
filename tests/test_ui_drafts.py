"""The editor shell on the real window (offscreen): typing, autosave, switching, search, trash, history."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap

import pytest

from tests.ui_support import close_window, create_draft, open_window, stored_text, type_text, ui_profile  # noqa: F401

pytestmark = pytest.mark.usefixtures("ui_profile")


def test_typing_with_no_draft_creates_one_and_autosaves(qtbot):
    window = open_window(qtbot, engine=False)
    assert window.drafts.draft is None
    type_text(qtbot, window, "First words of a post")
    qtbot.waitUntil(lambda: window.drafts.draft is not None, timeout=5000)
    draft_id = window.drafts.draft.id
    # The row is committed on the store thread a moment before the UI hears back: wait for both.
    qtbot.waitUntil(
        lambda: stored_text(draft_id) == "First words of a post" and window.autosaver.state == "saved",
        timeout=5000,
    )
    assert window.draft_list.model.rowCount() == 1
    close_window(qtbot, window)


def test_autosave_keeps_a_revision_and_survives_restart(qtbot):
    draft_id = create_draft("Hello", title="Greeting")
    window = open_window(qtbot, engine=False)
    assert window.drafts.draft.id == draft_id
    assert window.editor.toPlainText() == "Hello"
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window, " world")
    qtbot.waitUntil(lambda: stored_text(draft_id) == "Hello world", timeout=5000)
    close_window(qtbot, window)

    again = open_window(qtbot, engine=False)
    assert again.drafts.draft.id == draft_id
    assert again.editor.toPlainText() == "Hello world"
    close_window(qtbot, again)


def test_closing_saves_text_typed_just_before(qtbot):
    draft_id = create_draft("", title="Quick")
    window = open_window(qtbot, engine=False)
    type_text(qtbot, window, "typed right before closing")
    window.close()  # no wait for the autosave timer: closing must flush it
    assert stored_text(draft_id) == "typed right before closing"


def test_switching_drafts_saves_the_one_left_and_shows_the_other(qtbot):
    first = create_draft("first draft text", title="One")
    second = create_draft("second draft text", title="Two")
    window = open_window(qtbot, engine=False)
    assert window.drafts.draft.id == second  # newest first
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window, " edited")
    row = window.draft_list.model.row_of(first)
    window.draft_list.view.setCurrentIndex(window.draft_list.model.index(row))
    qtbot.waitUntil(lambda: window.drafts.draft is not None and window.drafts.draft.id == first, timeout=5000)
    assert window.editor.toPlainText() == "first draft text"
    qtbot.waitUntil(lambda: stored_text(second) == "second draft text edited", timeout=5000)
    close_window(qtbot, window)


def test_search_filters_the_list_and_clearing_restores_it(qtbot):
    create_draft("Our summer festival starts Friday", title="Festival")
    create_draft("Quarterly report is out", title="Report")
    create_draft("Volunteers wanted", title="Volunteers")
    window = open_window(qtbot, engine=False)
    assert window.draft_list.model.rowCount() == 3
    qtbot.keyClicks(window.draft_list.search, "festiv")
    qtbot.waitUntil(lambda: window.draft_list.model.rowCount() == 1, timeout=5000)
    assert window.draft_list.model.summary(0).title == "Festival"
    window.draft_list.search.clear()
    qtbot.waitUntil(lambda: window.draft_list.model.rowCount() == 3, timeout=5000)
    close_window(qtbot, window)


def test_new_duplicate_rename_and_trash(qtbot):
    original = create_draft("Original text", title="Original")
    window = open_window(qtbot, engine=False)
    window.drafts.duplicate()
    qtbot.waitUntil(
        lambda: window.drafts.draft is not None and window.drafts.draft.id != original, timeout=5000
    )
    copy = window.drafts.draft
    assert copy.title == "Original (copy)" and window.editor.toPlainText() == "Original text"

    window.drafts.rename("Renamed copy")
    qtbot.waitUntil(lambda: window.drafts.draft.title == "Renamed copy", timeout=5000)
    assert "Renamed copy" in window.title_label.text()

    window.drafts.trash()
    qtbot.waitUntil(lambda: window.draft_list.model.row_of(copy.id) == -1, timeout=5000)
    window.draft_list.trash_toggle.setChecked(True)
    qtbot.waitUntil(lambda: window.draft_list.model.row_of(copy.id) == 0, timeout=5000)
    window.drafts.empty_trash()
    qtbot.waitUntil(lambda: window.draft_list.model.rowCount() == 0, timeout=5000)
    window.draft_list.trash_toggle.setChecked(False)
    qtbot.waitUntil(lambda: window.draft_list.model.rowCount() == 1, timeout=5000)
    assert window.draft_list.model.summary(0).id == original

    window.drafts.new_draft()
    qtbot.waitUntil(lambda: window.draft_list.model.rowCount() == 2, timeout=5000)
    qtbot.waitUntil(
        lambda: window.drafts.draft.id != original and window.editor.toPlainText() == "", timeout=5000
    )
    close_window(qtbot, window)


def test_history_shows_diff_and_restore_keeps_every_revision(qtbot):
    from desktop.store import DraftStore

    draft_id = create_draft("The launch is on Monday.", title="Launch")
    store = DraftStore.open()
    store.save(draft_id, "The launch is on Tuesday.")
    store.close()
    window = open_window(qtbot, engine=False)
    window._history()
    dialog = window.history_dialog
    qtbot.waitUntil(lambda: dialog.list.count() == 2, timeout=5000)
    dialog.list.setCurrentRow(1)  # the oldest revision
    diff = dialog.diff.toPlainText()
    assert "Monday" in diff and "Tuesday" in diff
    assert dialog.restore_button.isEnabled()
    dialog.restore_button.click()
    qtbot.waitUntil(lambda: window.editor.toPlainText() == "The launch is on Monday.", timeout=5000)
    qtbot.waitUntil(lambda: stored_text(draft_id) == "The launch is on Monday.", timeout=5000)
    store = DraftStore.open()
    history = store.history(draft_id)
    store.close()
    assert [r.text for r in history] == [
        "The launch is on Monday.",
        "The launch is on Tuesday.",
        "The launch is on Monday.",
    ]
    assert history[-1].origin == "restore:1"
    # Undo in the editor brings back the text that was replaced.
    window.editor.undo()
    assert window.editor.toPlainText() == "The launch is on Tuesday."
    close_window(qtbot, window)


def test_window_geometry_is_kept(qtbot):
    window = open_window(qtbot, engine=False)
    window.resize(720, 520)  # within the offscreen screen (800x600), which restoreGeometry clamps to
    window.splitter.setSizes([150, 350, 200])
    sizes = window.splitter.sizes()
    close_window(qtbot, window)
    again = open_window(qtbot, engine=False)
    assert (again.size().width(), again.size().height()) == (720, 520)
    assert again.splitter.sizes() == sizes
    close_window(qtbot, again)


def test_large_paste_is_saved_whole(qtbot):
    draft_id = create_draft("", title="Paste")
    window = open_window(qtbot, engine=False)
    big = ("A long line of pasted text with some words in it. " * 20 + "\n") * 5000  # ~5 MB
    window.editor.insertPlainText(big)
    window.close()
    assert stored_text(draft_id) == big


def test_unreadable_database_is_reported_and_left_untouched(qtbot, greenlight_home):
    db = greenlight_home / "greenlight.db"
    db.write_bytes(b"this is not a database" * 100)
    before = db.read_bytes()
    from desktop.ui.app import create_app
    from desktop.ui.main_window import MainWindow

    create_app()
    window = MainWindow(start_engine=False)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.draft_list.model.failed, timeout=10000) as blocker:
        window.show()
    assert "not a readable Greenlight database" in blocker.args[0]
    assert "not a readable" in window.draft_list.status.text()
    window.close()
    assert db.read_bytes() == before


def test_killed_app_loses_at_most_the_last_second(tmp_path, greenlight_home):
    """A real app process typing steadily is SIGKILLed; what was typed over a second before is stored."""
    script = tmp_path / "typist.py"
    script.write_text(
        textwrap.dedent(
            """
            import sys, time
            from PySide6.QtCore import QTimer
            from desktop.ui.app import create_app
            from desktop.ui.main_window import MainWindow
            app = create_app()
            w = MainWindow(start_engine=False)
            w.show()
            count = 0
            def tick():
                global count
                count += 1
                w.editor.insertPlainText(f"w{count} ")
                print(count, time.monotonic(), flush=True)
            timer = QTimer(interval=50)
            timer.timeout.connect(tick)
            w.ready.connect(timer.start)
            app.exec()
            """
        )
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    proc = subprocess.Popen([sys.executable, str(script)], stdout=subprocess.PIPE, text=True, env=env)
    lines = []
    import time

    while len(lines) < 60:  # about three seconds of typing
        lines.append(proc.stdout.readline().split())
    proc.send_signal(signal.SIGKILL)
    killed_at = time.monotonic()
    proc.wait()
    typed = {int(n): float(t) for n, t in lines}
    from desktop.store import DraftStore

    store = DraftStore.open()
    summaries = store.list()
    assert len(summaries) == 1
    text = store.get(summaries[0].id).text
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    store.close()
    saved_words = {int(w[1:]) for w in text.split()}
    lost = [n for n, t in typed.items() if n not in saved_words and killed_at - t > 1.5]
    assert not lost, f"words typed more than 1.5 s before the kill were lost: {lost}"
