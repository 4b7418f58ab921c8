"""Bluesky (AT Protocol) through the `atproto` SDK.

Each post of a thread is created with a record key derived from the plan (`desktop.publish.tid`):
before creating it we ask the PDS for that exact record, so a retry after a lost response finds the
post instead of making a second one. Only `com.atproto.*` is used, so any PDS works, including one
without a Bluesky AppView (hence `fetch_bsky_profile=False`).
"""

from __future__ import annotations

import html.parser
from typing import Any

import regex

from desktop.imagetypes import sniff_image_type
from desktop.publish import tid
from desktop.publish.base import Limits, Publisher, PublishResult, SaveProgress
from desktop.publish.errors import PublishError
from desktop.publish.facets import find_facets
from desktop.publish.post import IMAGE_TYPES, Image, Plan

POST = "app.bsky.feed.post"
# From the app.bsky.feed.post and app.bsky.embed.images lexicons (the PDS has no limits endpoint).
LIMITS = Limits(max_characters=300, max_images=4, max_image_bytes=1_000_000, counts="graphemes")
_GRAPHEME = regex.compile(r"\X")


def _client_class():
    from atproto import Client

    class PinnedClient(Client):
        """Keeps talking to the server the account names.

        The SDK switches to the PDS named in the DID document after login. An entryway such as
        bsky.social proxies every call anyway, and a team that names its own PDS (or a test that puts
        a fault-injecting proxy in front of one) means that server, so we stay on it.
        """

        def _update_pds_endpoint(self, pds_endpoint: str) -> None:
            return None

    return PinnedClient


class BlueskyPublisher(Publisher):
    platform = "bluesky"

    def __init__(self, account, secret, *, timeout: float = 30.0) -> None:
        super().__init__(account, secret, timeout=timeout)
        self._client = None
        self._did: str | None = None

    # -- session ---------------------------------------------------------------------------------

    def _login(self):
        if self._client is not None:
            return self._client
        from atproto_client.request import Request

        client = _client_class()(base_url=self.account.server, request=Request(timeout=self.timeout))
        self._call(
            "log in", lambda: client.login(self.account.handle, self._secret, fetch_bsky_profile=False)
        )
        self._client = client
        self._did = client.me.did if client.me else client._session.did
        return client

    def verify(self) -> str:
        client = self._login()
        return f"{client._session.handle} ({self._did})"

    def limits(self) -> Limits:
        return LIMITS

    def measure(self, text: str) -> int:
        return len(_GRAPHEME.findall(text))

    def problems(self, plan: Plan, images: list[Image]) -> list[str]:
        found = super().problems(plan, images)
        for i, part in enumerate(plan.parts, 1):
            if len(part.encode("utf-8")) > 3000:
                found.append(f"post {i} is over Bluesky's 3000-byte limit")
        return found

    # -- errors ----------------------------------------------------------------------------------

    def _call(self, doing: str, fn):
        """Run an SDK call and turn its exceptions into a PublishError that says what happened."""
        import httpx
        from atproto_client import exceptions as ex

        name = self.account.name
        try:
            return fn()
        except ex.RateLimitExceededError as exc:
            raise PublishError(
                f"{name}: Bluesky is rate limiting this account; Greenlight will try again later",
                kind="rate_limited",
                retry_after=exc.retry_after,
            ) from None
        except ex.UnauthorizedError as exc:
            raise PublishError(
                f"{name}: Bluesky refused the app password while trying to {doing} ({_detail(exc)}). It is "
                "wrong, revoked or expired: create a new app password in Bluesky's settings and store it with "
                f"`greenlight accounts add --platform bluesky --handle {self.account.handle} "
                f"--server {self.account.server}`",
                kind="auth",
            ) from None
        except ex.BadRequestError as exc:
            detail = _detail(exc)
            low = detail.lower()
            if "expiredtoken" in low or "invalidtoken" in low or "authenticationrequired" in low:
                raise PublishError(
                    f"{name}: the Bluesky session was refused while trying to {doing} ({detail}); the app "
                    "password may have been revoked: add it again with `greenlight accounts add`",
                    kind="auth",
                ) from None
            if "longer than" in low or "too long" in low:
                raise PublishError(
                    f"{name}: Bluesky says the post is too long ({detail})", kind="too_long"
                ) from None
            if "blob" in low or "image" in low or "mime" in low:
                raise PublishError(
                    f"{name}: Bluesky rejected an image ({detail})", kind="media_rejected"
                ) from None
            raise PublishError(f"{name}: Bluesky refused to {doing}: {detail}", kind="rejected") from None
        except ex.NetworkError as exc:
            if exc.response is not None and exc.response.status_code == 413:
                raise PublishError(
                    f"{name}: Bluesky rejected an image as too large", kind="media_rejected"
                ) from None
            kind = "offline" if exc.response is None else "server"
            raise PublishError(
                f"{name}: could not reach {self.account.server} to {doing} ({_detail(exc) or 'no answer'}); "
                "the post waits in the outbox and is retried",
                kind=kind,
            ) from None
        except httpx.TransportError as exc:  # e.g. the connection closed before the answer came
            raise PublishError(
                f"{name}: the connection to {self.account.server} broke while trying to {doing} "
                f"({type(exc).__name__}); the post waits in the outbox and is retried without duplicating",
                kind="server",
            ) from None
        except ex.RequestException as exc:
            raise PublishError(
                f"{name}: {self.account.server} failed while trying to {doing} ({_detail(exc)}); it will be retried",
                kind="server",
            ) from None

    # -- publishing ------------------------------------------------------------------------------

    def publish(self, plan: Plan, images: list[Image], progress: dict, save: SaveProgress) -> PublishResult:
        client = self._login()
        posts: list[dict] = progress.setdefault("posts", [])
        for position, text in enumerate(plan.parts):
            if position < len(posts):
                continue  # done by an earlier attempt
            rkey = tid.for_plan(plan.created_at, plan.key, position)
            ref = self._existing(client, rkey)
            if ref is None:
                record = self._record(client, plan, position, text, images if position == 0 else [], posts)
                ref = self._create(client, rkey, record)
            posts.append(ref)
            save(progress)
        root = posts[0]
        rkey = root["uri"].rsplit("/", 1)[-1]
        return PublishResult(
            remote_id=root["uri"],
            url=f"https://bsky.app/profile/{self._did}/post/{rkey}",
            extra={"cid": root["cid"], "thread": [p["uri"] for p in posts]},
        )

    def _existing(self, client, rkey: str) -> dict | None:
        from atproto_client import exceptions as ex

        def get():
            try:
                out = client.com.atproto.repo.get_record(
                    {"repo": self._did, "collection": POST, "rkey": rkey}
                )
            except ex.BadRequestError as exc:
                if "RecordNotFound" in _detail(exc) or "not found" in _detail(exc).lower():
                    return None
                raise
            return {"uri": out.uri, "cid": out.cid}

        return self._call("look for an earlier attempt", get)

    def _create(self, client, rkey: str, record: dict) -> dict:
        from atproto_client import exceptions as ex

        def create():
            try:
                out = client.com.atproto.repo.create_record(
                    {"repo": self._did, "collection": POST, "rkey": rkey, "record": record, "validate": True}
                )
                return {"uri": out.uri, "cid": out.cid}
            except ex.BadRequestError:
                # Created concurrently by an attempt whose answer we lost: the record is there.
                existing = self._existing(client, rkey)
                if existing is not None:
                    return existing
                raise

        return self._call("create the post", create)

    def _record(
        self, client, plan: Plan, position: int, text: str, images: list[Image], done: list[dict]
    ) -> dict:
        record: dict[str, Any] = {"$type": POST, "text": text, "createdAt": plan.created_at}
        facets = find_facets(text, lambda handle: self._resolve(client, handle))
        if facets:
            record["facets"] = [f.as_record() for f in facets]
        if plan.language:
            record["langs"] = [plan.language]
        if position > 0:
            record["reply"] = {"root": done[0], "parent": done[-1]}
        if images:
            embedded = []
            for img in images:
                blob = self._call("upload an image", lambda img=img: client.upload_blob(img.data))
                embedded.append({"image": _blob_json(blob.blob), "alt": img.alt})
            record["embed"] = {"$type": "app.bsky.embed.images", "images": embedded}
        else:
            links = [f for f in facets if f.kind == "link"]
            if links:
                card = self._link_card(client, links[0].value)
                if card:
                    record["embed"] = card
        return record

    def _resolve(self, client, handle: str) -> str | None:
        from atproto_client import exceptions as ex

        try:
            return client.com.atproto.identity.resolve_handle({"handle": handle}).did
        except ex.BadRequestError:
            return None  # not a known handle: leave it as plain text
        except ex.AtProtocolError:
            return None

    def _link_card(self, client, url: str) -> dict | None:
        """An external embed (title, description, thumbnail) when the page can be fetched quickly.

        A card is a nicety: any failure leaves the post without one rather than delaying it.
        """
        import httpx

        try:
            with httpx.Client(timeout=5, follow_redirects=True) as http:
                page = http.get(url, headers={"User-Agent": "Greenlight link preview"})
                if page.status_code != 200 or "html" not in page.headers.get("content-type", ""):
                    return None
                meta = _MetaParser.parse(page.text[:500_000])
                card: dict[str, Any] = {
                    "uri": url,
                    "title": meta.get("og:title") or meta.get("title") or url,
                    "description": meta.get("og:description") or meta.get("description") or "",
                }
                thumb_url = meta.get("og:image")
                if thumb_url:
                    thumb = http.get(httpx.URL(url).join(thumb_url))
                    data = thumb.content
                    if sniff_image_type(data) in IMAGE_TYPES and len(data) <= LIMITS.max_image_bytes:
                        card["thumb"] = _blob_json(client.upload_blob(data).blob)
        except Exception:
            return None
        return {"$type": "app.bsky.embed.external", "external": card}


def _blob_json(blob) -> dict:
    """The blob reference as the record needs it: {$type: blob, ref: {$link}, mimeType, size}."""
    link = blob.ref.link if hasattr(blob.ref, "link") else blob.ref["$link"]
    return {"$type": "blob", "ref": {"$link": str(link)}, "mimeType": blob.mime_type, "size": blob.size}


def _detail(exc) -> str:
    response = getattr(exc, "response", None)
    content = getattr(response, "content", None)
    if content is not None and hasattr(content, "error"):
        return f"{content.error}: {content.message}" if content.message else str(content.error)
    return str(exc) or type(exc).__name__


class _MetaParser(html.parser.HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.meta: dict[str, str] = {}
        self._in_title = False

    @classmethod
    def parse(cls, text: str) -> dict[str, str]:
        parser = cls()
        parser.feed(text)
        return parser.meta

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "meta":
            key = a.get("property") or a.get("name")
            if key and a.get("content"):
                self.meta.setdefault(key.lower(), a["content"])
        elif tag == "title":
            self._in_title = True

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title and data.strip():
            self.meta.setdefault("title", data.strip())
