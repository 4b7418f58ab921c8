"""Approvals in the app: the approvals panel and the lead's trust report (real widgets, offscreen).

Each person is a separate profile (own GREENLIGHT_HOME, own signing key in the real OS keyring:
gnome-keyring's Secret Service on a private D-Bus). Signed events travel between them through a
folder, as they do between colleagues; the widgets run against the profile they are pointed at.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QWidget

from tests.ui_publish_support import check_accessible, click, shown, use

if TYPE_CHECKING:
    from tests.fixtures.trust_profiles import Team


POST = "Our spring fair opens on Saturday at ten. Bring the family!"


def _open(qtbot, panel, draft_id: str):
    with qtbot.waitSignal(panel.state_changed, timeout=30000):
        panel.set_draft(draft_id)
    return panel.state


def _refreshed(qtbot, panel):
    with qtbot.waitSignal(panel.state_changed, timeout=30000):
        panel.refresh()
    return panel.state


def _step(qtbot, panel, button) -> str:
    with qtbot.waitSignal(panel.step_done, timeout=30000) as done:
        click(qtbot, button)
    qtbot.waitSignal(panel.state_changed, timeout=30000).wait()
    return done.args[1]


def _entries(panel) -> list[str]:
    return [panel.entries.item(i).text() for i in range(panel.entries.count())]


def test_writer_submits_and_the_lead_rejects_with_a_required_note(qtbot, team: Team, monkeypatch):
    from desktop.ui.approvals_panel import ApprovalsPanel

    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST, accounts=["mastodon:fair"])

    use(monkeypatch, writer)
    mine = shown(qtbot, ApprovalsPanel())
    state = _open(qtbot, mine, draft)
    assert not state.submitted and "not submitted for approval" in mine.summary.text()
    assert "needs 1 approval" in mine.summary.text()
    assert mine.submit_button.isEnabled() and not mine.approve_button.isEnabled()

    assert _step(qtbot, mine, mine.submit_button) == "submitted"
    assert mine.state.submitted and mine.state.mine
    assert "submitted by you" in mine.summary.text() and "mastodon:fair" in mine.summary.text()
    assert mine.withdraw_button.isEnabled()
    assert not mine.approve_button.isEnabled(), "nobody approves their own post"
    assert not mine.submit_button.isEnabled(), "already submitted, unchanged"
    team.sync()

    use(monkeypatch, lead)
    theirs = shown(qtbot, ApprovalsPanel())
    with qtbot.waitSignal(theirs.waiting_changed, timeout=30000) as waiting:
        theirs.refresh()
    assert [w["id"] for w in waiting.args[0]] == [draft]
    with qtbot.waitSignal(theirs.open_requested) as chosen:
        theirs.waiting.itemActivated.emit(theirs.waiting.item(0))
    assert chosen.args[0] == draft
    state = _open(qtbot, theirs, draft)
    assert state.can_review and "submitted by Wes" in theirs.summary.text()
    assert theirs.approve_button.isEnabled()
    assert not theirs.reject_button.isEnabled(), "a rejection needs a note first"
    assert not theirs.submit_button.isEnabled() and not theirs.withdraw_button.isEnabled()

    theirs.note.setFocus()
    qtbot.keyClicks(theirs.note, "Please add the opening hours for Sunday too")
    assert theirs.reject_button.isEnabled()
    assert _step(qtbot, theirs, theirs.reject_button) == "rejected"
    assert theirs.note.toPlainText() == ""
    assert not theirs.approve_button.isEnabled(), "a rejected submission cannot be approved"
    team.sync()

    use(monkeypatch, writer)
    state = _refreshed(qtbot, mine)
    assert state.closed == "rejected"
    assert "Sent back: rejected" in mine.summary.text()
    assert any("Lena rejected: Please add the opening hours for Sunday too" in e for e in _entries(mine))
    assert mine.submit_button.isEnabled(), "the writer can submit a new version"


def test_an_approval_counts_until_an_edit_voids_it_and_self_approval_is_refused(
    qtbot, team: Team, monkeypatch
):
    from desktop.ui.approvals_panel import ApprovalsPanel

    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST, accounts=["mastodon:fair"])
    writer.ok("submit", draft)
    team.sync()

    use(monkeypatch, lead)
    theirs = shown(qtbot, ApprovalsPanel())
    _open(qtbot, theirs, draft)
    qtbot.keyClicks(theirs.note, "lovely")
    assert _step(qtbot, theirs, theirs.approve_button) == "approved"
    assert not theirs.approve_button.isEnabled(), "approved once is enough"
    team.sync()

    use(monkeypatch, writer)
    mine = shown(qtbot, ApprovalsPanel())
    state = _open(qtbot, mine, draft)
    assert state.may_publish and "may be published now" in mine.summary.text()
    assert any("Lena approved: lovely  [counts]" in e for e in _entries(mine))
    assert mine.void_banner.isHidden()

    with qtbot.waitSignal(mine.failed, timeout=30000) as refused:
        mine.approve()  # the button is disabled; the workflow itself refuses as well
    assert "cannot approve your own post" in refused.args[0]
    assert "cannot approve your own post" in mine.message.text()

    writer.edit_draft(draft, POST + " Free entry.")
    mine.content_changed()
    assert not mine.withdraw_button.isEnabled()
    state = _refreshed(qtbot, mine)
    assert state.voided and not state.may_publish
    assert mine.void_banner.isVisibleTo(mine) and "Approvals void" in mine.void_banner.text()
    assert any("Lena approved: lovely  [void: the draft was edited" in e for e in _entries(mine))
    assert "edited after it was submitted" in mine.details.toPlainText()
    assert mine.submit_button.isEnabled()

    assert _step(qtbot, mine, mine.submit_button) == "submitted"
    assert not mine.state.voided and mine.void_banner.isHidden()
    assert any("[void: the draft was edited and submitted again since]" in e for e in _entries(mine))
    assert not mine.state.may_publish

    team.sync()
    use(monkeypatch, lead)
    state = _refreshed(qtbot, theirs)
    assert "+" + POST + " Free entry." in state.diff, "the approver sees what changed since approving"
    assert "Changes since the last approved version" in theirs.details.toPlainText()
    assert theirs.approve_button.isEnabled()


def _write_policy(home, *, approved_unchanged: int, rate: float) -> None:
    from desktop.paths import shipped_guidelines

    text = (shipped_guidelines() / "policy.yml").read_text(encoding="utf-8")
    old = "  2: { approved_unchanged: 15, max_changes_requested_rate: 0.25 }"
    assert old in text
    new = f"  2: {{ approved_unchanged: {approved_unchanged}, max_changes_requested_rate: {rate} }}"
    (home / "policy.yml").write_text(text.replace(old, new), encoding="utf-8")


def _colour_at(widget: QWidget, x: float, y: float) -> QColor:
    return widget.grab().toImage().pixelColor(int(x), int(y))


def test_trust_report_charts_the_record_and_the_lead_grants_the_suggested_promotion(
    qtbot, team: Team, monkeypatch
):
    from desktop.ui.trust_report_view import SERIES, TrustReportView

    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    _write_policy(lead.home, approved_unchanged=1, rate=0.5)
    first = writer.new_draft(POST)
    second = writer.new_draft("A second post that goes back for changes.")
    writer.ok("submit", first, "--acknowledge", "Greenlight.Tone=quoting the organiser")
    writer.ok("submit", second)
    team.sync()
    lead.ok("approve", first)
    lead.ok("reject", second, "--note", "needs the date")
    team.sync()

    use(monkeypatch, lead)
    view = shown(qtbot, TrustReportView())
    qtbot.waitUntil(lambda: len(view.data.writers) == 2, timeout=30000)
    rows = {view.table.item(r, 0).text(): r for r in range(view.table.rowCount())}
    wes = rows["Wes"]
    cells = [view.table.item(wes, c).text() for c in range(view.table.columnCount())]
    assert cells[1:7] == ["1 Contributor", "2", "0", "1", "1", "1"]
    assert cells[7] != "—", "time to approval is shown"
    assert "promote Wes to" in view.suggestions.text() and "Trusted" in view.suggestions.text()

    view.resize(900, 700)

    def chart_bars():
        return {(b.group, b.series): b for b in view.writers_chart.bars()}

    # The chart lays itself out on the resize event: wait for the bars to have their size.
    qtbot.waitUntil(lambda: chart_bars()[("Wes", "approved unchanged")].rect.width() > 20)
    bars = chart_bars()
    approved = bars[("Wes", "approved unchanged")]
    assert approved.value == 1
    assert bars[("Wes", "changes requested")].rect.width() == approved.rect.width()
    assert bars[("Wes", "published")].rect.width() == 0
    assert bars[("Lena", "approved unchanged")].rect.width() == 0
    green = QColor(dict((label, colour) for _, label, colour in SERIES)["approved unchanged"])
    centre = approved.rect.center()
    assert _colour_at(view.writers_chart, centre.x(), centre.y()) == green
    assert "Wes: 1 approved unchanged, 1 changes requested, 0 published" in (
        view.writers_chart.accessibleDescription()
    )

    view.select_writer("Wes")
    months = view.months_chart.bars()
    assert months and {b.group for b in months} == set(view.selected_writer().by_month)
    assert "Wes by month" in view.months_chart.accessibleDescription()

    assert view.promote_button.isEnabled()
    click(qtbot, view.promote_button)
    assert "level 2" in view.confirm_box.text()
    with qtbot.waitSignal(view.promoted, timeout=30000) as promoted:
        view.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    assert promoted.args == ["Wes", 2]
    qtbot.waitUntil(
        lambda: view.selected_writer() is not None and view.selected_writer().level == 2, timeout=30000
    )
    roster = lead.ok("team", "show", "--format", "json").json()
    assert any(m["name"] == "Wes" and m["level"] == 2 for m in roster["members"])

    team.sync()
    use(monkeypatch, writer)
    theirs = shown(qtbot, TrustReportView())
    qtbot.waitUntil(lambda: len(theirs.data.writers) == 2, timeout=30000)
    assert not theirs.data.is_lead
    theirs.select_writer("Wes")
    assert not theirs.promote_button.isEnabled(), "only a lead changes trust levels"


def test_approval_widgets_are_named_and_keyboard_reachable(qtbot, team: Team, monkeypatch):
    from desktop.ui.approvals_panel import ApprovalsPanel
    from desktop.ui.trust_report_view import TrustReportView

    people = team.start("Lena", {"Wes": 1})
    writer = people["Wes"]
    draft = writer.new_draft(POST)
    writer.ok("submit", draft)
    team.sync()
    use(monkeypatch, people["Lena"])
    panel = shown(qtbot, ApprovalsPanel())
    _open(qtbot, panel, draft)
    qtbot.keyClicks(panel.note, "a note makes every button usable")
    check_accessible(qtbot, panel)
    report = shown(qtbot, TrustReportView())
    qtbot.waitUntil(lambda: len(report.data.writers) == 2, timeout=30000)
    check_accessible(qtbot, report)
    for chart in (report.writers_chart, report.months_chart):
        assert chart.accessibleName() and chart.accessibleDescription()
        assert chart.focusPolicy() & Qt.FocusPolicy.TabFocus


def test_request_changes_attaches_the_note_to_the_passage_selected_in_the_editor(
    qtbot, team: Team, monkeypatch
):
    """The approver selects words in the draft (after an emoji, so Qt's UTF-16 positions differ
    from code points) and requests changes: the writer sees the note on exactly that passage."""
    from PySide6.QtGui import QTextCursor
    from PySide6.QtWidgets import QPlainTextEdit

    from desktop.ui.approvals_panel import ApprovalsPanel
    from desktop.ui.publish_wiring import editor_selection

    text = "🎉 " + POST
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(text, accounts=["mastodon:fair"])
    writer.ok("submit", draft)
    team.sync()

    use(monkeypatch, lead)
    editor = QPlainTextEdit()
    qtbot.addWidget(editor)
    editor.setPlainText(text)
    start = text.index("Saturday")
    cursor = editor.textCursor()
    cursor.setPosition(start + 1)  # the emoji takes two UTF-16 units in Qt
    cursor.setPosition(start + 1 + len("Saturday"), QTextCursor.MoveMode.KeepAnchor)
    editor.setTextCursor(cursor)
    assert editor_selection(editor) == (start, start + len("Saturday"), "Saturday")

    theirs = shown(qtbot, ApprovalsPanel())
    theirs.selection_source = lambda: editor_selection(editor)
    _open(qtbot, theirs, draft)
    theirs.note.setFocus()
    qtbot.keyClicks(theirs.note, "Which Saturday? Give the date")
    assert _step(qtbot, theirs, theirs.changes_button) == "changes requested"
    team.sync()

    use(monkeypatch, writer)
    mine = shown(qtbot, ApprovalsPanel())
    assert _open(qtbot, mine, draft).closed == "changes requested"
    assert any("“Saturday”: Which Saturday? Give the date" in e for e in _entries(mine))
