"""WordPress through its REST API with an application password (HTTP Basic over the site's URL).

Idempotency: the post's slug is derived from the plan's key. Before creating anything we look the slug
up (in every status), so a retry after a lost response adopts the post it already made. Images are
uploaded under file names derived from the same key and looked up the same way, so a retry does not
leave duplicate media either. The first image becomes the featured image; all carry their alt text.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from desktop.publish.base import Limits, Publisher, PublishResult, SaveProgress
from desktop.publish.errors import PublishError
from desktop.publish.post import Image, Plan

ANY_STATUS = "publish,future,draft,pending,private"
_EXT = {"image/jpeg": "jpg", "image/png": "png", "image/gif": "gif", "image/webp": "webp"}


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60].strip("-")


def post_slug(plan: Plan) -> str:
    base = slugify(plan.title) or "post"
    return f"{base}-{plan.key[:10]}"


def render_html(text: str) -> str:
    """Drafts are Markdown; WordPress stores HTML."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"linkify": False}).render(text)


class WordPressPublisher(Publisher):
    platform = "wordpress"

    def __init__(self, account, secret, *, timeout: float = 30.0) -> None:
        super().__init__(account, secret, timeout=timeout)
        self._session = None
        self._root: str | None = None

    # -- HTTP ------------------------------------------------------------------------------------

    def _http(self):
        if self._session is None:
            import requests

            self._session = requests.Session()
            self._session.auth = (self.account.handle, self._secret)
            self._session.headers["User-Agent"] = "Greenlight"
        return self._session

    def _url(self, route: str) -> str:
        if self._root is None:
            self._root = self._discover()
        if self._root.endswith("rest_route="):
            return self._root + route.replace("?", "&", 1)
        return self._root + route

    def _discover(self) -> str:
        """`/wp-json` on sites with pretty permalinks, `?rest_route=` on sites without."""
        import requests

        base = self.account.server
        try:
            r = self._http().get(f"{base}/wp-json/", timeout=self.timeout)
            if r.ok and "namespaces" in r.text[:20000]:
                return f"{base}/wp-json"
        except requests.RequestException:
            pass  # fall through; the next request reports the failure in words
        return f"{base}/?rest_route="

    def _request(self, doing: str, method: str, route: str, **kwargs: Any) -> Any:
        import requests

        name = self.account.name
        try:
            r = self._http().request(method, self._url(route), timeout=self.timeout, **kwargs)
        except requests.ConnectionError as exc:
            raise PublishError(
                f"{name}: could not reach {self.account.server} to {doing} ({type(exc).__name__}); "
                "the post waits in the outbox and is retried",
                kind="offline",
            ) from None
        except requests.Timeout:
            raise PublishError(
                f"{name}: {self.account.server} did not answer in time while trying to {doing}; it will be retried",
                kind="server",
            ) from None
        if r.ok:
            return r.json()
        try:
            body = r.json()
            code, message = body.get("code", ""), body.get("message", "")
        except ValueError:
            code, message = "", r.text[:200]
        detail = f"{message} [{code}]" if code else (message or f"HTTP {r.status_code}")
        if r.status_code in (401, 403) or code in (
            "incorrect_password",
            "invalid_username",
            "rest_not_logged_in",
        ):
            raise PublishError(
                f"{name}: WordPress refused the application password while trying to {doing} ({detail}). It is "
                "wrong, revoked or lacks the rights: create a new one under Users > Profile > Application "
                f"Passwords and store it with `greenlight accounts add --platform wordpress --handle "
                f"{self.account.handle} --server {self.account.server}`",
                kind="auth",
            )
        if r.status_code == 429:
            after = r.headers.get("Retry-After")
            raise PublishError(
                f"{name}: WordPress is rate limiting; Greenlight will try again later",
                kind="rate_limited",
                retry_after=float(after) if after and after.isdigit() else None,
            )
        if r.status_code == 413 or code.startswith("rest_upload"):
            raise PublishError(f"{name}: WordPress rejected an image ({detail})", kind="media_rejected")
        if r.status_code >= 500:
            raise PublishError(
                f"{name}: WordPress failed while trying to {doing} ({detail}); it will be retried"
            )
        raise PublishError(f"{name}: WordPress refused to {doing}: {detail}", kind="rejected")

    # -- interface -------------------------------------------------------------------------------

    def verify(self) -> str:
        me = self._request("check the account", "GET", "/wp/v2/users/me?context=edit")
        return f"{me.get('username') or me.get('slug')} ({me.get('name', '')}) on {self.account.server}"

    def limits(self) -> Limits:
        # A blog post has no length limit; the upload limit is the server's PHP setting, which the
        # REST API does not expose, so oversize uploads are reported from its answer instead.
        return Limits(max_characters=1_000_000, max_images=20, max_image_bytes=64 * 1024 * 1024)

    def publish(self, plan: Plan, images: list[Image], progress: dict, save: SaveProgress) -> PublishResult:
        # Log in first: WordPress treats a revoked application password as "anonymous", which would
        # otherwise surface as a confusing parameter error on the next call.
        self.verify()
        slug = post_slug(plan)
        existing = self._request(
            "look for an earlier attempt", "GET", f"/wp/v2/posts?slug={slug}&status={ANY_STATUS}&context=edit"
        )
        if existing:
            post = existing[0]
            return PublishResult(remote_id=str(post["id"]), url=post.get("link", ""), extra={"slug": slug})
        media: list[dict] = progress.setdefault("media", [])
        for position, img in enumerate(images):
            if position < len(media):
                continue
            media.append(self._upload(plan, position, img))
            save(progress)
        content = render_html(plan.parts[0])
        for item in media[1:]:
            content += f'\n<figure class="wp-block-image"><img src="{item["url"]}" alt="{_attr(item["alt"])}"/></figure>'
        body: dict[str, Any] = {
            "title": plan.title,
            "content": content,
            "status": plan.wordpress_status,
            "slug": slug,
        }
        if media:
            body["featured_media"] = media[0]["id"]
        if plan.categories:
            body["categories"] = [self._term("categories", n) for n in plan.categories]
        if plan.tags:
            body["tags"] = [self._term("tags", n) for n in plan.tags]
        post = self._request("create the post", "POST", "/wp/v2/posts", json=body)
        return PublishResult(remote_id=str(post["id"]), url=post.get("link", ""), extra={"slug": slug})

    def _upload(self, plan: Plan, position: int, img: Image) -> dict:
        stem = f"gl-{plan.key[:12]}-{position}"
        found = self._request("look for an uploaded image", "GET", f"/wp/v2/media?slug={stem}&context=edit")
        if found:
            item = found[0]
        else:
            item = self._request(
                "upload an image",
                "POST",
                "/wp/v2/media",
                data=img.data,
                headers={
                    "Content-Type": img.mime,
                    "Content-Disposition": f'attachment; filename="{stem}.{_EXT.get(img.mime, "bin")}"',
                },
            )
        if item.get("alt_text") != img.alt:
            item = self._request(
                "set the image's alt text", "POST", f"/wp/v2/media/{item['id']}", json={"alt_text": img.alt}
            )
        return {"id": item["id"], "url": item.get("source_url", ""), "alt": img.alt}

    def _term(self, taxonomy: str, name: str) -> int:
        """The id of a category or tag by name, creating it when the site does not have it yet."""
        import urllib.parse

        q = urllib.parse.quote(name)
        for term in self._request(f"find {taxonomy}", "GET", f"/wp/v2/{taxonomy}?search={q}&per_page=100"):
            if term.get("name", "").lower() == name.lower():
                return int(term["id"])
        return int(
            self._request(f"create {taxonomy}", "POST", f"/wp/v2/{taxonomy}", json={"name": name})["id"]
        )


def _attr(text: str) -> str:
    import html

    return html.escape(text, quote=True)
