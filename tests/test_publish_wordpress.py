"""Publishing to a real WordPress (Debian packages, MariaDB, php -S on 127.0.0.1), read back over REST."""

from __future__ import annotations

import pytest

from desktop.publish.accounts import AccountStore
from desktop.publish.post import Image, PublishOptions
from tests.fixtures.publish_env import PNG

pytestmark = pytest.mark.slow


def _posts(wp, user, slug_part: str = "") -> list[dict]:
    posts = wp.get("/wp/v2/posts?status=publish,draft&context=edit&per_page=100", user)
    return [p for p in posts if slug_part in p["slug"]]


def test_post_with_title_featured_image_alt_text_categories_and_tags(wordpress_server, publish_profile):
    store, service = publish_profile
    user = wordpress_server.create_user("editor1")
    acc = AccountStore(store.db).add("wordpress", user.login, user.app_password, server=wordpress_server.url)
    draft = store.create("We opened the **new library** today.\n\nCome and see it.", title="Library opening")
    options = PublishOptions(
        images=(Image("library.png", "image/png", "The new library's entrance", PNG),),
        categories=("News",),
        tags=("library", "opening"),
    )

    [outcome] = service.publish_draft(draft.id, [acc.name], options=options)

    assert outcome.state == "published", outcome.message
    post = wordpress_server.get(f"/wp/v2/posts/{outcome.remote_id}?context=edit", user)
    assert post["title"]["raw"] == "Library opening"
    assert "<strong>new library</strong>" in post["content"]["raw"]
    assert post["status"] == "publish"
    assert outcome.url == post["link"]
    media = wordpress_server.get(f"/wp/v2/media/{post['featured_media']}?context=edit", user)
    assert media["alt_text"] == "The new library's entrance"
    assert media["mime_type"] == "image/png"
    cats = [wordpress_server.get(f"/wp/v2/categories/{c}", user)["name"] for c in post["categories"]]
    tags = sorted(wordpress_server.get(f"/wp/v2/tags/{t}", user)["name"] for t in post["tags"])
    assert cats == ["News"]
    assert tags == ["library", "opening"]


def test_publishing_again_does_not_duplicate(wordpress_server, publish_profile):
    store, service = publish_profile
    user = wordpress_server.create_user("editor2")
    acc = AccountStore(store.db).add("wordpress", user.login, user.app_password, server=wordpress_server.url)
    draft = store.create("Only once, please.", title="Once only")

    first = service.publish_draft(draft.id, [acc.name])[0]
    second = service.publish_draft(draft.id, [acc.name])[0]

    assert first.state == "published"
    assert second.state == "already_published"
    assert second.remote_id == first.remote_id
    assert len(_posts(wordpress_server, user, "once-only")) == 1


def test_lost_response_then_retry_leaves_exactly_one_post(wordpress_server, publish_profile, fault_proxy):
    store, service = publish_profile
    user = wordpress_server.create_user("editor3")
    proxy = fault_proxy(wordpress_server.url)
    acc = AccountStore(store.db).add("wordpress", user.login, user.app_password, server=proxy.url)
    draft = store.create("The answer to this one gets lost.", title="Lost answer")
    # The lookup before creating is a GET of /wp/v2/posts too; lose only the answer to the creating POST.
    proxy.mode, proxy.match, proxy.method = "lose_response", "/wp/v2/posts", "POST"
    first = service.publish_draft(draft.id, [acc.name])[0]
    assert first.state == "waiting", first.message
    assert "outbox" in first.message
    assert any("/wp/v2/posts" in p for p in proxy.dropped)

    proxy.mode = "pass"
    retried = service.retry(first.record_id)

    assert retried.state == "published", retried.message
    assert len(_posts(wordpress_server, user, "lost-answer")) == 1


def test_server_down_mid_publish_waits_in_outbox_then_publishes_once(
    wordpress_server, publish_profile, fault_proxy
):
    store, service = publish_profile
    user = wordpress_server.create_user("editor4")
    proxy = fault_proxy(wordpress_server.url)
    acc = AccountStore(store.db).add("wordpress", user.login, user.app_password, server=proxy.url)
    draft = store.create("Sent while the server went away.", title="Server gone")
    options = PublishOptions(images=(Image("a.png", "image/png", "A red square", PNG),))
    # The image uploads, then the server is gone when the post itself is created.
    proxy.mode, proxy.match, proxy.method = "down", "/wp/v2/posts", "POST"

    first = service.publish_draft(draft.id, [acc.name], options=options)[0]
    assert first.state == "waiting"
    assert service.outbox.get(first.record_id).progress["media"], "the uploaded image is remembered"

    proxy.mode = "pass"
    retried = service.retry(first.record_id)
    assert retried.state == "published", retried.message
    posts = _posts(wordpress_server, user, "server-gone")
    assert len(posts) == 1
    media = wordpress_server.get(f"/wp/v2/media?author={user.id}&context=edit", user)
    assert len(media) == 1, "the retry reused the uploaded image instead of uploading it again"
    assert media[0]["alt_text"] == "A red square"


def test_revoked_application_password_is_explained_and_nothing_is_posted(wordpress_server, publish_profile):
    store, service = publish_profile
    user = wordpress_server.create_user("editor5")
    accounts = AccountStore(store.db)
    acc = accounts.add("wordpress", user.login, user.app_password, server=wordpress_server.url)
    wordpress_server.revoke_app_passwords(user)
    draft = store.create("Credentials expired.", title="Expired credentials")

    outcome = service.publish_draft(draft.id, [acc.name])[0]

    assert outcome.state == "needs_attention"
    assert "application password" in outcome.message and "greenlight accounts add" in outcome.message
    assert service.outbox.get(outcome.record_id).state == "needs_attention"
    # The user makes a new application password, stores it over the old one, and retries.
    wordpress_server.new_app_password(user)
    accounts.add("wordpress", user.login, user.app_password, server=wordpress_server.url)
    retried = service.retry(outcome.record_id)
    assert retried.state == "published", retried.message
    assert len(_posts(wordpress_server, user, "expired-credentials")) == 1
