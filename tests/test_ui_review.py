"""Live review on the real window: findings in the panel and the editor, fixes, ignore, vocabulary,
counters, F8 navigation, filters. The guideline pack is written by the test in Vale's format; the
engine, platform counters, spelling (Hunspell) and store are the real ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCharFormat
from PySide6.QtWidgets import QInputDialog, QPushButton

from desktop.review.findings import Severity
from tests.ui_support import (  # noqa: F401
    close_window,
    create_draft,
    open_window,
    type_text,
    ui_profile,
    wait_findings,
    write_pack,
)

pytestmark = pytest.mark.usefixtures("ui_profile")


@pytest.fixture
def house_pack(tmp_path: Path) -> Path:
    """Only the test's own pack is active, so the expected findings are exactly known."""
    from desktop.review.settings import GuidelineSettings, save_settings

    root = write_pack(tmp_path / "packs")
    save_settings(GuidelineSettings(packs=[], extra_packs=[str(root / "TestHouse")]))
    return root


def rules(findings) -> set[str]:
    return {f.rule for f in findings}


def test_typing_text_that_breaks_rules_shows_them_in_panel_and_editor(qtbot, house_pack):
    create_draft("", title="Post")
    window = open_window(qtbot)
    assert "2 rules" in window.engine_label.text()
    type_text(qtbot, window, "We utilize synergy every day.")
    found = wait_findings(qtbot, window, lambda fs: {"TestHouse.Banned", "TestHouse.Simpler"} <= rules(fs))
    banned = next(f for f in found if f.rule == "TestHouse.Banned")
    assert banned.severity == Severity.ERROR and banned.match == "synergy"
    # In the editor: an underline over exactly the matched characters.
    qtbot.waitUntil(lambda: len(window.editor.underline_spans()) >= 2)
    spans = window.editor.underline_spans()
    assert spans[(banned.start, banned.end)] == QTextCharFormat.UnderlineStyle.WaveUnderline
    simpler = next(f for f in found if f.rule == "TestHouse.Simpler")
    assert spans[(simpler.start, simpler.end)] == QTextCharFormat.UnderlineStyle.DashUnderline
    # Hover text names the severity and the message.
    from desktop.ui.editor import tooltip_html

    assert "Error" in tooltip_html(window.editor.findings_at(banned.start + 1))
    # In the panel: grouped by severity, with the counts in the status bar.
    qtbot.waitUntil(lambda: window.findings.tree.topLevelItemCount() >= 2)
    heads = [
        window.findings.tree.topLevelItem(i).text(0) for i in range(window.findings.tree.topLevelItemCount())
    ]
    assert heads[0].startswith("Errors (1)") and heads[1].startswith("Warnings (1)")
    assert "1 error" in window.counts_label.text() and "1 warning" in window.counts_label.text()
    close_window(qtbot, window)


def test_applying_a_fix_changes_the_text_and_clears_the_finding(qtbot, house_pack):
    draft_id = create_draft("Please utilize the form.", title="Form")
    window = open_window(qtbot)
    found = wait_findings(qtbot, window, lambda fs: "TestHouse.Simpler" in rules(fs))
    simpler = next(f for f in found if f.rule == "TestHouse.Simpler")
    window.findings.select(simpler)
    from PySide6.QtWidgets import QPushButton

    fix_button = next(
        b
        for b in window.findings.fix_box.findChildren(QPushButton)
        if b.accessibleName() == "Replace with “use”"
    )
    qtbot.mouseClick(fix_button, Qt.MouseButton.LeftButton)
    assert window.editor.toPlainText() == "Please use the form."
    wait_findings(qtbot, window, lambda fs: "TestHouse.Simpler" not in rules(fs))
    from tests.ui_support import stored_text

    qtbot.waitUntil(lambda: stored_text(draft_id) == "Please use the form.", timeout=5000)
    # One undo step brings the original back.
    window.editor.undo()
    assert window.editor.toPlainText() == "Please utilize the form."
    close_window(qtbot, window)


def test_context_menu_offers_fixes_ignore_and_vocabulary(qtbot, house_pack):
    create_draft("Please utilize the form.", title="Form")
    window = open_window(qtbot)
    found = wait_findings(qtbot, window, lambda fs: "TestHouse.Simpler" in rules(fs))
    simpler = next(f for f in found if f.rule == "TestHouse.Simpler")
    rect = window.editor.cursorRect(_cursor_at(window.editor, simpler.start + 2))
    menu = window.editor.build_context_menu(rect.center())
    labels = [a.text() for a in menu.actions()]
    assert "Replace with “use”" in labels
    assert any(t.startswith("Ignore this match") for t in labels)
    assert "Add “utilize” to team vocabulary" in labels
    next(a for a in menu.actions() if a.text() == "Replace with “use”").trigger()
    assert window.editor.toPlainText() == "Please use the form."
    close_window(qtbot, window)


def test_spelling_suggestions_are_looked_up_when_the_menu_opens(qtbot, house_pack):
    create_draft("We recieve letters.", title="Mail")
    window = open_window(qtbot)
    qtbot.waitUntil(lambda: "starting" not in window.grammar_label.text().lower(), timeout=30000)
    found = wait_findings(qtbot, window, lambda fs: any(f.match == "recieve" for f in fs), timeout=30000)
    typo = next(f for f in found if f.match == "recieve")
    # Checks never compute suggestions (up to ~200 ms a word): the finding only says they exist.
    assert typo.fix.action == "suggest" and typo.fix.suggestions == ()
    rect = window.editor.cursorRect(_cursor_at(window.editor, typo.start + 2))
    menu = window.editor.build_context_menu(rect.center())
    # Looked up off the UI thread; they replace the placeholder in the open menu.
    qtbot.waitUntil(lambda: "Replace with “receive”" in [a.text() for a in menu.actions()], timeout=20000)
    assert "Looking up spelling suggestions…" not in [a.text() for a in menu.actions()]
    next(a for a in menu.actions() if a.text() == "Replace with “receive”").trigger()
    assert window.editor.toPlainText() == "We receive letters."
    # The panel's fix buttons use the same (now cached) lookup.
    window.editor.setPlainText("They recieve parcels.")
    found = wait_findings(qtbot, window, lambda fs: any(f.match == "recieve" for f in fs), timeout=30000)
    window.findings.select(next(f for f in found if f.match == "recieve"))
    qtbot.waitUntil(
        lambda: any(
            b.accessibleName() == "Replace with “receive”"
            for b in window.findings.fix_box.findChildren(QPushButton)
        ),
        timeout=10000,
    )
    close_window(qtbot, window)


def _cursor_at(editor, pos: int):
    cursor = editor.textCursor()
    cursor.setPosition(pos)
    return cursor


def test_ignored_match_with_reason_survives_restart(qtbot, house_pack):
    draft_id = create_draft("Our synergy day is back.", title="Event")
    window = open_window(qtbot)
    found = wait_findings(qtbot, window, lambda fs: "TestHouse.Banned" in rules(fs))
    banned = next(f for f in found if f.rule == "TestHouse.Banned")
    window.review.ignore(banned)
    dialog = window.findChild(QInputDialog, "reasonDialog")
    assert dialog is not None
    dialog.setTextValue("It is the event's official name")
    dialog.accept()
    wait_findings(qtbot, window, lambda fs: "TestHouse.Banned" not in rules(fs))
    close_window(qtbot, window)

    from desktop.store import DraftStore
    from desktop.store.review_notes import ReviewNotes

    store = DraftStore.open()
    ignored = ReviewNotes(store.db).ignored(draft_id)
    store.close()
    assert [(m.rule, m.match, m.reason) for m in ignored] == [
        ("TestHouse.Banned", "synergy", "It is the event's official name")
    ]
    again = open_window(qtbot)
    result = wait_findings(qtbot, again, lambda fs: True)
    assert "TestHouse.Banned" not in rules(result)
    # Only that draft: the same word elsewhere is still reported.
    again.drafts.new_draft()
    qtbot.waitUntil(
        lambda: again.drafts.draft is not None and again.drafts.draft.id != draft_id, timeout=5000
    )
    type_text(qtbot, again, "More synergy.")
    wait_findings(qtbot, again, lambda fs: "TestHouse.Banned" in rules(fs))
    close_window(qtbot, again)


def test_add_to_vocabulary_survives_restart(qtbot, house_pack):
    create_draft("Meet Greenlightly at the fair.", title="Fair")
    window = open_window(qtbot)
    qtbot.waitUntil(lambda: "starting" not in window.grammar_label.text().lower(), timeout=30000)
    found = wait_findings(qtbot, window, lambda fs: any(f.match == "Greenlightly" for f in fs), timeout=30000)
    spelling = next(f for f in found if f.match == "Greenlightly")
    assert spelling.severity >= Severity.SUGGESTION
    window.review.add_vocabulary("Greenlightly")
    qtbot.waitUntil(lambda: "Greenlightly" in window.live.info.settings.accept, timeout=20000)
    window.live.recheck()
    wait_findings(qtbot, window, lambda fs: not any(f.match == "Greenlightly" for f in fs), timeout=30000)
    close_window(qtbot, window)

    from desktop.review.settings import load_settings

    assert "Greenlightly" in load_settings().accept
    again = open_window(qtbot)
    qtbot.waitUntil(lambda: "starting" not in again.grammar_label.text().lower(), timeout=30000)
    again.live.recheck()
    # Grammar runs after a pause: wait until it has answered for exactly this text.
    qtbot.waitUntil(lambda: again.live.grammar_generation == again.live.generation, timeout=30000)
    result = wait_findings(qtbot, again, lambda fs: True)
    assert not any(f.match == "Greenlightly" for f in result)
    close_window(qtbot, again)


def test_counters_change_as_the_text_changes(qtbot, house_pack):
    create_draft("Short post.", title="Counted", platforms=["x", "bluesky"])
    window = open_window(qtbot)
    qtbot.waitUntil(lambda: "x" in window.counters.labels and "left" in window.counters.labels["x"].text())
    before = window.counters.labels["x"].text()
    assert before.startswith("269 left")
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window, " More words")
    qtbot.waitUntil(lambda: window.counters.labels["x"].text().startswith("258 left"), timeout=10000)
    # Over the limit: the words say so (not only the colour), and a finding appears.
    window.editor.setPlainText("word " * 70)
    qtbot.waitUntil(lambda: "over the limit" in window.counters.labels["x"].text(), timeout=10000)
    assert "✖" in window.counters.labels["x"].text()
    wait_findings(qtbot, window, lambda fs: "Platform.XLength" in rules(fs))
    # The preview shows the thread parts.
    window.side.setCurrentIndex(1)
    qtbot.waitUntil(lambda: "thread of 2" in window.preview.summary.text(), timeout=5000)
    close_window(qtbot, window)


def test_choosing_platforms_is_saved_with_the_draft(qtbot, house_pack):
    draft_id = create_draft("Hello", title="P")
    window = open_window(qtbot)
    action = next(a for a in window.counters.menu.actions() if a.text() == "mastodon")
    action.trigger()
    qtbot.waitUntil(lambda: "mastodon" in window.counters.labels, timeout=5000)
    from desktop.store import DraftStore

    def stored_platforms():
        store = DraftStore.open()
        try:
            return store.get(draft_id).platforms
        finally:
            store.close()

    qtbot.waitUntil(lambda: stored_platforms() == ["mastodon"], timeout=5000)
    close_window(qtbot, window)


def test_f8_steps_through_findings_and_selects_the_match(qtbot, house_pack):
    create_draft("synergy first, then utilize, then synergy again", title="Nav")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: len([f for f in fs if f.pack == "TestHouse"]) == 3)
    qtbot.waitUntil(lambda: len(window.findings.visible_findings()) >= 3)
    window.findings.pack_filter.setCurrentText("TestHouse")
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.Start)
    window.editor.setFocus()
    seen = []
    for _ in range(3):
        qtbot.keyClick(window.editor, Qt.Key.Key_F8)
        cursor = window.editor.textCursor()
        seen.append((cursor.selectionStart(), cursor.selectedText()))
    # From the start: the next findings in text order, then around to the first one again.
    assert seen == [(20, "utilize"), (34, "synergy"), (0, "synergy")]
    qtbot.keyClick(window.editor, Qt.Key.Key_F8, Qt.KeyboardModifier.ShiftModifier)
    assert window.editor.textCursor().selectionStart() == 34  # before the first: around to the last
    assert window.findings.current_finding().start == 34  # the panel follows
    close_window(qtbot, window)


def test_filters_by_severity_and_pack(qtbot, house_pack):
    create_draft("We utilize synergy.", title="Filters")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: {"TestHouse.Banned", "TestHouse.Simpler"} <= rules(fs))
    qtbot.waitUntil(lambda: window.findings.pack_filter.findText("TestHouse") >= 0)
    window.findings.level_filter.setCurrentIndex(2)  # errors only
    assert {f.rule for f in window.findings.visible_findings()} == {"TestHouse.Banned"}
    window.findings.level_filter.setCurrentIndex(0)
    window.findings.pack_filter.setCurrentText("TestHouse")
    assert {f.pack for f in window.findings.visible_findings()} == {"TestHouse"}
    close_window(qtbot, window)


def test_clicking_a_finding_selects_its_match(qtbot, house_pack):
    create_draft("Some text. We utilize it.", title="Click")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: "TestHouse.Simpler" in rules(fs))
    qtbot.waitUntil(lambda: window.findings.tree.topLevelItemCount() > 0)
    tree = window.findings.tree
    item = next(
        tree.topLevelItem(i).child(j)
        for i in range(tree.topLevelItemCount())
        for j in range(tree.topLevelItem(i).childCount())
        if window.findings.finding_of(tree.topLevelItem(i).child(j)).rule == "TestHouse.Simpler"
    )
    rect = tree.visualItemRect(item)
    qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.editor.textCursor().selectedText() == "utilize"
    close_window(qtbot, window)


def test_results_for_outdated_text_are_never_painted(qtbot, house_pack):
    from desktop.ui.review_pipeline import ReviewResult

    create_draft("We utilize synergy.", title="Stale")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: "TestHouse.Banned" in rules(fs))
    old = window.live.current()
    window.editor.setPlainText("Nothing wrong here.")
    wait_findings(qtbot, window, lambda fs: "TestHouse.Banned" not in rules(fs))
    # An answer computed for the old text arrives late: it must be dropped, not painted.
    window.live._rules_done(ReviewResult(old.generation, old.draft_id, old.text, old.findings))
    window._paint_review(ReviewResult(window.live.generation, old.draft_id, old.text, old.findings))
    qtbot.waitUntil(lambda: window._pending_panel is None)  # the panel step has run (and dropped it)
    assert all(f.rule != "TestHouse.Banned" for f in window.editor.findings)
    assert all(f.rule != "TestHouse.Banned" for f in window.findings.visible_findings())
    assert window.live.current() is not None and window.live.current().text == "Nothing wrong here."
    close_window(qtbot, window)


def test_guidelines_settings_list_broken_rules_and_turn_rules_off(qtbot, house_pack):
    (house_pack / "TestHouse" / "Broken.yml").write_text("extends: existence\nmessage: x\ntokens: [\n")
    create_draft("We utilize synergy.", title="Settings")
    window = open_window(qtbot)
    wait_findings(qtbot, window, lambda fs: "TestHouse.Banned" in rules(fs))
    window._guidelines_settings()
    dialog = window.settings_dialog
    problems = [dialog.problem_list.item(i).text() for i in range(dialog.problem_list.count())]
    assert any("Broken.yml" in p for p in problems), problems
    head = dialog.rule_tree.topLevelItem(0)
    banned = next(
        head.child(j) for j in range(head.childCount()) if head.child(j).text(0) == "TestHouse.Banned"
    )
    banned.setCheckState(0, Qt.CheckState.Unchecked)
    with qtbot.waitSignal(dialog.finished, timeout=20000):
        dialog.apply(close=True)
    wait_findings(
        qtbot, window, lambda fs: "TestHouse.Banned" not in rules(fs) and "TestHouse.Simpler" in rules(fs)
    )
    from desktop.review.settings import load_settings

    assert "TestHouse.Banned" in load_settings().disabled_rules
    close_window(qtbot, window)
