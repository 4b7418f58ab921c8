"""Publishing to a real Bluesky PDS (@atproto/pds + @did-plc/server on 127.0.0.1), read back and compared."""

from __future__ import annotations

import pytest

from desktop.publish.accounts import AccountStore
from desktop.publish.post import Image, PublishOptions
from tests.fixtures.publish_env import PNG

pytestmark = pytest.mark.slow


def _facet_text(text: str, facet: dict) -> str:
    raw = text.encode("utf-8")
    return raw[facet["index"]["byteStart"] : facet["index"]["byteEnd"]].decode("utf-8")


def test_post_with_facets_at_byte_offsets_and_image_with_alt_text(bluesky_pds, publish_profile):
    store, service = publish_profile
    alice, bob = bluesky_pds.create_account("alice"), bluesky_pds.create_account("bob")
    acc = AccountStore(store.db).add("bluesky", alice.handle, alice.app_password, server=bluesky_pds.url)
    text = "Grüße 🎉 from @bob.test: read https://example.org/report?id=7. #Greenlight"
    draft = store.create(text)
    options = PublishOptions(
        images=(Image("chart.png", "image/png", "A bar chart of visitors per month", PNG),)
    )

    [outcome] = service.publish_draft(draft.id, [acc.name], options=options)

    assert outcome.state == "published", outcome.message
    record = bluesky_pds.get_record(outcome.remote_id)["value"]
    assert record["text"] == text
    by_kind = {f["features"][0]["$type"].rsplit("#", 1)[1]: f for f in record["facets"]}
    assert _facet_text(text, by_kind["mention"]) == "@bob.test"
    assert by_kind["mention"]["features"][0]["did"] == bob.did
    assert _facet_text(text, by_kind["link"]) == "https://example.org/report?id=7"
    assert by_kind["link"]["features"][0]["uri"] == "https://example.org/report?id=7"
    assert _facet_text(text, by_kind["tag"]) == "#Greenlight"
    assert by_kind["tag"]["features"][0]["tag"] == "Greenlight"
    [image] = record["embed"]["images"]
    assert image["alt"] == "A bar chart of visitors per month"
    assert image["image"]["mimeType"] == "image/png"
    assert bluesky_pds.blob(alice.did, image["image"]["ref"]["$link"]) == PNG


def test_thread_is_posted_as_replies(bluesky_pds, publish_profile):
    store, service = publish_profile
    carol = bluesky_pds.create_account("carol")
    acc = AccountStore(store.db).add("bluesky", carol.handle, carol.app_password, server=bluesky_pds.url)
    draft = store.create("First part of the thread.\n---\nSecond part.\n---\nThird part.")

    [outcome] = service.publish_draft(draft.id, [acc.name])

    assert outcome.state == "published", outcome.message
    records = {r["uri"]: r for r in bluesky_pds.records(carol)}
    assert len(records) == 3
    root = records[outcome.remote_id]
    assert root["value"]["text"] == "First part of the thread."
    replies = sorted((r for r in records.values() if "reply" in r["value"]), key=lambda r: r["value"]["text"])
    second = next(r for r in replies if r["value"]["text"] == "Second part.")
    third = next(r for r in replies if r["value"]["text"] == "Third part.")
    assert second["value"]["reply"]["root"]["uri"] == outcome.remote_id
    assert second["value"]["reply"]["parent"]["uri"] == outcome.remote_id
    assert third["value"]["reply"]["root"]["uri"] == outcome.remote_id
    assert third["value"]["reply"]["parent"]["uri"] == second["uri"]


def test_lost_response_then_retry_leaves_exactly_one_post(bluesky_pds, publish_profile, fault_proxy):
    store, service = publish_profile
    dave = bluesky_pds.create_account("dave")
    proxy = fault_proxy(bluesky_pds.url)
    acc = AccountStore(store.db).add("bluesky", dave.handle, dave.app_password, server=proxy.url)
    draft = store.create("This answer is lost on the way back.")
    proxy.mode, proxy.match = "lose_response", "com.atproto.repo.createRecord"

    first = service.publish_draft(draft.id, [acc.name])[0]

    assert first.state == "waiting", first.message
    assert "outbox" in first.message
    assert len(bluesky_pds.records(dave)) == 1, "the PDS did create the post"
    proxy.mode = "pass"
    retried = service.retry(first.record_id)
    assert retried.state == "published", retried.message
    assert len(bluesky_pds.records(dave)) == 1
    assert retried.remote_id == bluesky_pds.records(dave)[0]["uri"]


def test_server_down_mid_thread_resumes_without_duplicates(bluesky_pds, publish_profile, fault_proxy):
    store, service = publish_profile
    erin = bluesky_pds.create_account("erin")
    proxy = fault_proxy(bluesky_pds.url)
    acc = AccountStore(store.db).add("bluesky", erin.handle, erin.app_password, server=proxy.url)
    draft = store.create("One.\n---\nTwo.")
    calls = {"n": 0}
    original = proxy.server.RequestHandlerClass._forward

    def second_create_hits_a_dead_server(handler):
        if "createRecord" in handler.path:
            calls["n"] += 1
            proxy.mode = "down" if calls["n"] == 2 else "pass"
        return original(handler)

    proxy.match = "createRecord"
    proxy.server.RequestHandlerClass.do_POST = second_create_hits_a_dead_server

    first = service.publish_draft(draft.id, [acc.name])[0]
    assert first.state == "waiting", first.message
    assert [r["value"]["text"] for r in bluesky_pds.records(erin)] == ["One."]

    proxy.mode = "pass"
    proxy.server.RequestHandlerClass.do_POST = original
    retried = service.retry(first.record_id)
    assert retried.state == "published", retried.message
    assert sorted(r["value"]["text"] for r in bluesky_pds.records(erin)) == ["One.", "Two."]


def test_revoked_app_password_is_explained_then_new_one_publishes_once(bluesky_pds, publish_profile):
    store, service = publish_profile
    frank = bluesky_pds.create_account("frank")
    accounts = AccountStore(store.db)
    acc = accounts.add("bluesky", frank.handle, frank.app_password, server=bluesky_pds.url)
    bluesky_pds.revoke_app_passwords(frank)
    draft = store.create("Posted after the password was renewed.")

    outcome = service.publish_draft(draft.id, [acc.name])[0]

    assert outcome.state == "needs_attention"
    assert "app password" in outcome.message and "greenlight accounts add" in outcome.message
    assert bluesky_pds.records(frank) == []
    renewed = bluesky_pds.create_account_app_password(frank)
    accounts.add("bluesky", frank.handle, renewed, server=bluesky_pds.url)
    assert service.retry(outcome.record_id).state == "published"
    assert len(bluesky_pds.records(frank)) == 1
