"""Publishing in the app: the accounts dialog, the publish panel and the outbox view (real widgets, offscreen).

Real parts throughout: the profile's SQLite store, the OS keyring (gnome-keyring's Secret Service on
a private D-Bus, `os_keyring`), the real trust gate with signed events between two profiles. The
platform is the Mastodon STAND-IN (tests/fixtures/mastodon_standin.py): no Mastodon server can be
installed here, so a small local server answers the few API calls the publisher makes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import keyring
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLineEdit, QMessageBox

from desktop.publish.accounts import AccountStore
from desktop.store import DraftStore
from tests.ui_publish_support import (
    add_account,
    check_accessible,
    click,
    database_bytes,
    shown,
    stored_accounts,
    use,
)

if TYPE_CHECKING:
    from tests.fixtures.trust_profiles import Team


POST = "Our spring fair opens on Saturday at ten. Bring the family!"


# -- accounts ----------------------------------------------------------------------------------------


def test_accounts_dialog_keeps_the_secret_only_in_the_keyring_and_tests_edits_removes(
    qtbot, os_keyring, mastodon_standin, greenlight_home
):
    from desktop.ui.accounts_dialog import AccountsDialog

    dialog = shown(qtbot, AccountsDialog())
    qtbot.waitUntil(lambda: dialog.snapshot.keyring_ok, timeout=10000)
    assert "OS keyring" in dialog.keyring_status.text()
    dialog.platform.setCurrentIndex(dialog.platform.findData("mastodon"))
    assert dialog.secret.echoMode() == QLineEdit.EchoMode.Password
    qtbot.keyClicks(dialog.handle, "alice")
    qtbot.keyClicks(dialog.server, mastodon_standin.url)
    qtbot.keyClicks(dialog.secret, mastodon_standin.token)

    with qtbot.waitSignal(dialog.changed, timeout=10000):
        click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 1, timeout=5000)

    assert dialog.secret.text() == "", "the secret is typed once and not kept in the form"
    [acc] = stored_accounts()
    assert acc.name == "mastodon:alice" and acc.server == mastodon_standin.url
    assert keyring.get_password(acc.secret_ref.service, acc.secret_ref.username) == mastodon_standin.token
    assert mastodon_standin.token.encode() not in database_bytes(greenlight_home)

    dialog.select_account("mastodon:alice")
    with qtbot.waitSignal(dialog.tested, timeout=20000) as ok:
        click(qtbot, dialog.test_button)
    assert ok.args[0] is True and "logged in as @alice" in ok.args[1]
    qtbot.waitUntil(lambda: dialog.table.item(0, 3).text().startswith("OK"), timeout=5000)

    dialog.level.setCurrentIndex(dialog.level.findData(3))
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        click(qtbot, dialog.save_button)
    assert stored_accounts()[0].min_trust_level == 3
    assert keyring.get_password(acc.secret_ref.service, acc.secret_ref.username) == mastodon_standin.token

    mastodon_standin.state.tokens.clear()  # the token was revoked on the server
    dialog.select_account("mastodon:alice")
    with qtbot.waitSignal(dialog.tested, timeout=20000) as bad:
        click(qtbot, dialog.test_button)
    assert bad.args[0] is False and "access token" in bad.args[1]
    assert "access token" in dialog.message.text()

    dialog.select_account("mastodon:alice")
    click(qtbot, dialog.remove_button)
    assert dialog.confirm_box is not None and "keyring" in dialog.confirm_box.text()
    with qtbot.waitSignal(dialog.changed, timeout=10000):
        dialog.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: dialog.table.rowCount() == 0, timeout=5000)
    assert stored_accounts() == []
    assert keyring.get_password(acc.secret_ref.service, acc.secret_ref.username) is None


def test_a_new_account_without_a_secret_is_refused_in_words(qtbot, os_keyring, greenlight_home):
    from desktop.ui.accounts_dialog import AccountsDialog

    dialog = shown(qtbot, AccountsDialog())
    qtbot.waitUntil(lambda: dialog.snapshot.keyring_ok, timeout=10000)
    dialog.platform.setCurrentIndex(dialog.platform.findData("wordpress"))
    qtbot.keyClicks(dialog.handle, "editor")
    qtbot.keyClicks(dialog.server, "https://blog.example.org")
    click(qtbot, dialog.save_button)
    assert "Enter the application password" in dialog.message.text()
    qtbot.keyClicks(dialog.secret, "abcd efgh ijkl")
    dialog.server.setText("ftp://nope")
    with qtbot.waitSignal(dialog.failed, timeout=10000) as err:
        click(qtbot, dialog.save_button)
    assert "not an http(s) URL" in err.args[0]
    assert dialog.secret.text() == "abcd efgh ijkl", "a refused form keeps what was typed"
    assert stored_accounts() == []


def test_without_an_os_keyring_the_dialog_says_what_to_install_and_stores_nothing(
    qtbot, greenlight_home, monkeypatch
):
    import keyring.core
    from keyring.backends import fail

    from desktop.ui.accounts_dialog import AccountsDialog

    monkeypatch.setattr(keyring.core, "_keyring_backend", fail.Keyring())  # what a bare system has
    dialog = shown(qtbot, AccountsDialog())
    qtbot.waitUntil(lambda: "No OS keyring" in dialog.keyring_status.text(), timeout=10000)

    text = dialog.keyring_status.text()
    assert "gnome-keyring" in text and "not stored anywhere" in text
    assert not dialog.secret.isEnabled()
    assert not dialog.save_button.isEnabled()
    dialog.handle.setText("alice")
    dialog.server.setText("https://mastodon.example")
    dialog.save()  # even if reached some other way, nothing is written
    assert "gnome-keyring" in dialog.message.text()
    assert stored_accounts() == []


# -- the publish panel against the real trust gate ------------------------------------------------------


def test_publish_panel_explains_the_gate_and_publishes_once_approved(
    qtbot, team: Team, mastodon_standin, monkeypatch
):
    from desktop.ui.publish_panel import PublishPanel

    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    use(monkeypatch, writer)
    name = add_account(mastodon_standin.url, mastodon_standin.token)
    draft = writer.new_draft(POST, accounts=[name])

    panel = shown(qtbot, PublishPanel())
    with qtbot.waitSignal(panel.status_changed, timeout=30000):
        panel.set_draft(draft)
    assert panel.status.may_publish is False
    assert not panel.publish_button.isEnabled()
    assert "Cannot be published yet" in panel.verdict.text()
    assert "needs 1 approval" in panel.reasons.text()
    assert "not submitted for approval yet" in panel.reasons.text()
    assert panel.checked_targets() == [name]

    writer.ok("submit", draft)
    team.sync()
    lead.ok("approve", draft, "--note", "lovely")
    team.sync()
    with qtbot.waitSignal(panel.status_changed, timeout=30000):
        click(qtbot, panel.check_button)
    assert panel.status.may_publish is True, panel.status.reasons
    assert "approved by Lena" in panel.reasons.text()

    with qtbot.waitSignal(panel.published, timeout=30000) as sent:
        click(qtbot, panel.publish_button)
    [outcome] = sent.args[0]
    assert outcome.state == "published", outcome.message
    [status] = mastodon_standin.state.statuses
    assert "spring fair" in status["content"]
    assert f'href="{status["url"]}"' in panel.results.toHtml()

    # Never twice: pressing Publish again reports the earlier post and sends nothing new.
    qtbot.waitUntil(lambda: panel.publish_button.isEnabled(), timeout=30000)
    with qtbot.waitSignal(panel.published, timeout=30000) as again:
        click(qtbot, panel.publish_button)
    assert [o.state for o in again.args[0]] == ["already_published"]
    assert len(mastodon_standin.state.statuses) == 1

    # An edit voids the approval: the button goes grey at once and the gate says why.
    writer.edit_draft(draft, POST + " Free entry.")
    panel.content_changed()
    assert not panel.publish_button.isEnabled()
    with qtbot.waitSignal(panel.status_changed, timeout=30000):
        panel.refresh()
    assert panel.status.may_publish is False
    assert "edited after it was submitted" in panel.reasons.text()
    assert not panel.publish_button.isEnabled()


def test_choosing_targets_is_saved_and_rechecked(qtbot, team: Team, mastodon_standin, monkeypatch):
    from desktop.ui.publish_panel import PublishPanel

    lead = team.start("Lena", {})["Lena"]
    use(monkeypatch, lead)
    first = add_account(mastodon_standin.url, mastodon_standin.token, "alice")
    second = add_account(mastodon_standin.url, mastodon_standin.token, "bob")
    draft = lead.new_draft(POST)

    panel = shown(qtbot, PublishPanel())
    with qtbot.waitSignal(panel.status_changed, timeout=30000):
        panel.set_draft(draft)
    assert panel.status.may_publish is False
    assert "choose at least one account" in panel.reasons.text()
    assert panel.targets.count() == 2

    with qtbot.waitSignal(panel.status_changed, timeout=30000):
        panel.targets.item(1).setCheckState(Qt.CheckState.Checked)  # as a click or Space would
    assert panel.status.targets == [second]
    assert panel.status.may_publish is True  # a lead publishes freely under the default policy
    with qtbot.waitSignal(panel.status_changed, timeout=30000):
        panel.set_targets([first, second])
    store = DraftStore.open()
    try:
        assert store.get(draft).accounts == [first, second]
    finally:
        store.close()


def test_offline_publish_waits_in_the_outbox_then_retry_and_cancel(
    qtbot, team: Team, mastodon_standin, monkeypatch
):
    from desktop.ui.outbox_view import OutboxView
    from desktop.ui.publish_panel import PublishPanel

    lead = team.start("Lena", {})["Lena"]
    use(monkeypatch, lead)
    name = add_account("http://127.0.0.1:9", mastodon_standin.token)  # nothing listens there
    first = lead.new_draft(POST, accounts=[name])
    second = lead.new_draft("A second post for the outbox.", accounts=[name])

    panel = shown(qtbot, PublishPanel())
    for draft in (first, second):
        with qtbot.waitSignal(panel.status_changed, timeout=30000):
            panel.set_draft(draft)
        with qtbot.waitSignal(panel.published, timeout=30000) as sent:
            click(qtbot, panel.publish_button)
        [outcome] = sent.args[0]
        assert outcome.state == "waiting"
        assert "could not reach" in panel.results.toPlainText()
        assert "Waiting in the outbox" in panel.results.toPlainText()

    outbox = shown(qtbot, OutboxView())
    qtbot.waitUntil(lambda: len(outbox.records) == 2, timeout=10000)
    assert "2 post(s) waiting" in outbox.summary.text()
    assert outbox.table.item(0, 0).text() == "Waiting to retry"
    assert "could not reach" in outbox.table.item(0, 5).text()

    store = DraftStore.open()
    try:
        AccountStore(store.db).edit(name, server=mastodon_standin.url)  # the network is back
    finally:
        store.close()
    first_record = next(r for r in outbox.records if r.draft_id == first)
    outbox.select_record(first_record.id)
    with qtbot.waitSignal(outbox.retried, timeout=30000) as retried:
        click(qtbot, outbox.retry_button)
    assert retried.args[0].state == "published", retried.args[0].message
    assert len(mastodon_standin.state.statuses) == 1
    assert f'href="{mastodon_standin.state.statuses[0]["url"]}"' in outbox.details.toHtml()
    qtbot.waitUntil(lambda: len(outbox.records) == 1, timeout=10000)

    second_record = outbox.records[0]
    outbox.select_record(second_record.id)
    click(qtbot, outbox.cancel_button)
    assert "earlier attempt may have reached" in outbox.confirm_box.text()
    with qtbot.waitSignal(outbox.cancelled, timeout=10000):
        outbox.confirm_box.button(QMessageBox.StandardButton.Yes).click()
    qtbot.waitUntil(lambda: outbox.records == [], timeout=10000)
    assert "The outbox is empty" in outbox.summary.text()
    outbox.send_due()  # the auto-retry timer's work: nothing cancelled is sent (queued at once)
    qtbot.waitUntil(lambda: outbox.lanes.net.pending() == 0, timeout=10000)
    assert len(mastodon_standin.state.statuses) == 1

    outbox.show_all.setChecked(True)
    qtbot.waitUntil(lambda: len(outbox.records) == 2, timeout=10000)
    assert {outbox.table.item(r, 0).text() for r in range(2)} == {"Published", "Cancelled"}


# -- keyboard and screen readers ------------------------------------------------------------------------


def test_publishing_widgets_are_named_and_keyboard_reachable(qtbot, os_keyring, greenlight_home):
    from desktop.ui.accounts_dialog import AccountsDialog
    from desktop.ui.outbox_view import OutboxView
    from desktop.ui.publish_panel import PublishPanel

    dialog = shown(qtbot, AccountsDialog())
    qtbot.waitUntil(lambda: dialog.snapshot.keyring_ok, timeout=10000)
    check_accessible(qtbot, dialog)
    for widget in (PublishPanel(), OutboxView()):
        shown(qtbot, widget)
        # Whatever the widget loads when shown has arrived (its lanes are idle) before Tab is tried.
        qtbot.waitUntil(lambda w=widget: w.lanes.db.pending() == 0 and w.lanes.net.pending() == 0)
        check_accessible(qtbot, widget)


@pytest.mark.parametrize("state", ["published", "waiting"])
def test_outcome_lines_link_only_web_addresses_and_escape_server_text(state):
    from desktop.publish.service import AccountOutcome
    from desktop.ui.publish_panel import outcome_html

    bad = outcome_html(
        [AccountOutcome("mastodon:alice", state, "server said <b>no</b>", url="javascript:alert(1)")]
    )
    assert "href" not in bad and "<b>no</b>" not in bad
    if state == "waiting":
        assert "server said &lt;b&gt;no&lt;/b&gt;" in bad
    good = outcome_html([AccountOutcome("mastodon:alice", state, "", url="https://m.example/@a/1")])
    assert 'href="https://m.example/@a/1"' in good


# -- in the main window ---------------------------------------------------------------------------------


def test_main_window_publish_tab_follows_the_open_draft_and_its_edits(
    qtbot, team: Team, mastodon_standin, monkeypatch
):
    from desktop.store.drafts import content_hash
    from tests.ui_support import close_window, offline_grammar, open_window, type_text

    lead = team.start("Lena", {})["Lena"]
    use(monkeypatch, lead)
    offline_grammar()
    name = add_account(mastodon_standin.url, mastodon_standin.token)
    draft = lead.new_draft(POST, accounts=[name])

    window = open_window(qtbot, engine=False)
    titles = [window.side.tabText(i) for i in range(window.side.count())]
    assert "Publish" in titles and "Approvals" in titles
    menu_actions = {a.objectName() for a in window.findChildren(QAction)}
    assert {"focusPublish", "focusApprovals", "publishingAccounts", "outbox", "trustReport"} <= menu_actions
    panel = window.publishing.publish
    assert window.drafts.draft.id == draft

    with qtbot.waitSignal(panel.status_changed, timeout=30000):
        window.findChild(QAction, "focusPublish").trigger()  # the tab is shown: checked now
    assert panel.status.may_publish and panel.publish_button.isEnabled()

    window.editor.moveCursor(window.editor.textCursor().MoveOperation.End)
    type_text(qtbot, window, " Free entry.")
    assert not panel.publish_button.isEnabled(), "an edit greys Publish out at once"
    qtbot.waitUntil(
        lambda: panel.status is not None and panel.status.content_hash == content_hash(POST + " Free entry."),
        timeout=30000,
    )
    assert panel.publish_button.isEnabled()
    with qtbot.waitSignal(panel.published, timeout=30000):
        click(qtbot, panel.publish_button)
    [status] = mastodon_standin.state.statuses
    assert "Free entry." in status["content"]
    close_window(qtbot, window)
