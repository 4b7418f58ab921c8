"""Mastodon publishing against a local STAND-IN of the few Mastodon API calls used (no real Mastodon
server can be installed here; see tests/fixtures/mastodon_standin.py)."""

from __future__ import annotations

from desktop.publish.accounts import AccountStore
from desktop.publish.post import Image, PublishOptions
from tests.fixtures.publish_env import PNG


def _account(store, standin, server=None):
    return AccountStore(store.db).add("mastodon", "alice", standin.token, server=server or standin.url)


def test_status_with_content_warning_visibility_described_media_and_thread(mastodon_standin, publish_profile):
    store, service = publish_profile
    acc = _account(store, mastodon_standin)
    draft = store.create("Budget news, part one.\n---\nPart two.")
    options = PublishOptions(
        images=(Image("budget.png", "image/png", "Pie chart of the budget", PNG),),
        content_warning="Money talk",
        visibility="unlisted",
    )

    [outcome] = service.publish_draft(draft.id, [acc.name], options=options)

    assert outcome.state == "published", outcome.message
    first, second = mastodon_standin.state.statuses
    assert outcome.remote_id == first["id"]
    assert first["spoiler_text"] == "Money talk" and first["visibility"] == "unlisted"
    assert [m["description"] for m in first["media_attachments"]] == ["Pie chart of the budget"]
    assert second["in_reply_to_id"] == first["id"]
    assert "Part two." in second["content"]
    keys = [
        h.get("Idempotency-Key") for m, p, h in mastodon_standin.state.requests if p == "/api/v1/statuses"
    ]
    assert all(keys) and len(set(keys)) == 2


def test_limit_is_read_from_the_instance_api(mastodon_standin, publish_profile):
    store, service = publish_profile
    mastodon_standin.state.max_characters = 40
    acc = _account(store, mastodon_standin)
    draft = store.create("This text is certainly longer than forty characters in all.")

    [outcome] = service.publish_draft(draft.id, [acc.name])

    assert outcome.state == "needs_attention"
    assert "allows 40" in outcome.message
    assert mastodon_standin.state.statuses == []


def test_lost_response_is_retried_with_the_same_idempotency_key(
    mastodon_standin, publish_profile, fault_proxy
):
    store, service = publish_profile
    proxy = fault_proxy(mastodon_standin.url)
    acc = _account(store, mastodon_standin, server=proxy.url)
    draft = store.create("Answer lost, post kept.")
    proxy.mode, proxy.match, proxy.method = "lose_response", "/api/v1/statuses", "POST"

    first = service.publish_draft(draft.id, [acc.name])[0]
    assert first.state == "waiting", first.message
    assert len(mastodon_standin.state.statuses) == 1

    proxy.mode = "pass"
    assert service.retry(first.record_id).state == "published"
    assert len(mastodon_standin.state.statuses) == 1


def test_expired_token_is_explained_in_words(mastodon_standin, publish_profile):
    store, service = publish_profile
    acc = _account(store, mastodon_standin)
    mastodon_standin.state.tokens.clear()  # the token was revoked on the server
    draft = store.create("Will not go out with a dead token.")

    outcome = service.publish_draft(draft.id, [acc.name])[0]

    assert outcome.state == "needs_attention"
    assert "access token" in outcome.message and "greenlight accounts add" in outcome.message
    assert mastodon_standin.state.statuses == []
