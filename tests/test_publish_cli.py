"""`greenlight publish` and `greenlight outbox`: the trust gate first, exit codes, the outbox.

Publishing goes to the Mastodon STAND-IN (tests/fixtures/mastodon_standin.py) where a server is needed.
"""

from __future__ import annotations

import io
import json
from datetime import UTC, datetime, timedelta

from desktop.cli import main
from desktop.publish.accounts import AccountStore
from desktop.publish.outbox import Outbox, backoff


def _cli(monkeypatch, capsys, argv, stdin=""):
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_publish_is_refused_by_the_real_trust_policy_with_exit_3(
    os_keyring, store, mastodon_standin, monkeypatch, capsys
):
    AccountStore(store.db).add("mastodon", "alice", mastodon_standin.token, server=mastodon_standin.url)
    draft = store.create("Not approved yet.")

    code, out, err = _cli(monkeypatch, capsys, ["publish", draft.id, "--account", "mastodon:alice"])

    assert code == 3
    assert "may not be published" in err
    assert mastodon_standin.state.statuses == [] and mastodon_standin.state.requests == []
    assert Outbox(store.db).list() == []


def test_unreachable_server_queues_the_post_and_exits_4(publish_profile, monkeypatch, capsys):
    store, service = publish_profile
    AccountStore(store.db).add("mastodon", "alice", "tok", server="http://127.0.0.1:9")
    draft = store.create("Offline on the train.")
    monkeypatch.setattr("desktop.publish.service.default_gate", lambda: service._gate)

    code, out, err = _cli(monkeypatch, capsys, ["publish", draft.id, "--account", "mastodon:alice"])

    assert code == 4
    assert "could not reach http://127.0.0.1:9" in out and "outbox" in out
    code, out, _ = _cli(monkeypatch, capsys, ["outbox", "list", "--format", "json"])
    [entry] = json.loads(out)
    assert entry["state"] == "waiting" and entry["error_kind"] == "offline" and entry["attempts"] == 1
    code, out, _ = _cli(monkeypatch, capsys, ["outbox", "cancel", entry["id"]])
    assert code == 0 and "cancelled" in out
    code, out, _ = _cli(monkeypatch, capsys, ["outbox"])
    assert "the outbox is empty" in out


def test_outbox_retries_with_backoff_and_publishes_when_back_online(publish_profile, mastodon_standin):
    store, service = publish_profile
    accounts = AccountStore(store.db)
    accounts.add("mastodon", "alice", mastodon_standin.token, server="http://127.0.0.1:9")
    draft = store.create("Waits for the network.")
    [first] = service.publish_draft(draft.id, ["mastodon:alice"])
    assert first.state == "waiting"
    now = datetime.now(UTC)
    assert service.retry_due(now) == [], "not due before the backoff has passed"
    accounts.edit("mastodon:alice", server=mastodon_standin.url)  # the network is back

    [retried] = service.retry_due(now + timedelta(seconds=backoff(1) + 1))

    assert retried.state == "published", retried.message
    assert len(mastodon_standin.state.statuses) == 1
    assert backoff(1) < backoff(2) < backoff(3) and backoff(50) == 3600


def test_dry_run_sends_nothing_and_reports_problems(publish_profile, mastodon_standin, monkeypatch, capsys):
    store, service = publish_profile
    mastodon_standin.state.max_characters = 10
    AccountStore(store.db).add("mastodon", "alice", mastodon_standin.token, server=mastodon_standin.url)
    draft = store.create("Far too long for this server.")
    monkeypatch.setattr("desktop.publish.service.default_gate", lambda: service._gate)

    code, out, _ = _cli(
        monkeypatch, capsys, ["publish", draft.id, "--account", "mastodon:alice", "--dry-run"]
    )

    assert code == 4
    assert "would publish 1 post" in out and "allows 10" in out
    assert mastodon_standin.state.statuses == []
    assert Outbox(store.db).list() == []


def test_published_result_is_recorded_with_link_and_as_a_signed_event(publish_profile, mastodon_standin):
    store, service = publish_profile
    AccountStore(store.db).add("mastodon", "alice", mastodon_standin.token, server=mastodon_standin.url)
    draft = store.create("Recorded in history.")

    [outcome] = service.publish_draft(draft.id, ["mastodon:alice"])

    assert outcome.url == mastodon_standin.state.statuses[0]["url"]
    [record] = service.outbox.list(("published",))
    assert record.remote_id == outcome.remote_id and record.published_at
    from desktop.trust.ledger import Ledger

    [event] = Ledger(store.db).draft_events(draft.id, ("publish.recorded",))
    assert event.payload["url"] == outcome.url and event.payload["account"] == "mastodon:alice"


def test_image_without_alt_text_is_refused(publish_profile, tmp_path, monkeypatch, capsys):
    store, _ = publish_profile
    draft = store.create("Picture post.")
    (tmp_path / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    code, _, err = _cli(monkeypatch, capsys, ["publish", draft.id, "--image", str(tmp_path / "a.png")])
    assert code == 2 and "alt text" in err


def test_editing_the_draft_cancels_a_queued_retry(publish_profile):
    store, service = publish_profile
    AccountStore(store.db).add("mastodon", "alice", "tok", server="http://127.0.0.1:9")
    draft = store.create("Version one.")
    [first] = service.publish_draft(draft.id, ["mastodon:alice"])
    store.save(draft.id, "Version two, not approved.")

    outcome = service.retry(first.record_id)

    assert outcome.state == "refused" and "changed after this publish was queued" in outcome.message
    assert service.outbox.get(first.record_id).state == "cancelled"
