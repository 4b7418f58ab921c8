"""Mastodon through `Mastodon.py`: status, content warning, visibility, described media, threads.

Idempotency: every status is sent with an `Idempotency-Key` derived from the plan, which Mastodon
honours for about an hour. For a retry later than that, the account's recent statuses are searched for
one carrying the same text posted since the plan was made, before anything is sent again.
Limits (characters, media count and size) are read from the server's instance API.
"""

from __future__ import annotations

import html
import re
from datetime import datetime

from desktop.publish.base import Limits, Publisher, PublishResult, SaveProgress
from desktop.publish.errors import PublishError
from desktop.publish.post import Image, Plan

_TAG = re.compile(r"<[^>]+>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_PARA = re.compile(r"</p>\s*<p>", re.IGNORECASE)


def _plain(content: str) -> str:
    """Status HTML back to the text we sent, for the late-retry duplicate check."""
    return html.unescape(_TAG.sub("", _BR.sub("\n", _PARA.sub("\n\n", content or "")))).strip()


class MastodonPublisher(Publisher):
    platform = "mastodon"

    def __init__(self, account, secret, *, timeout: float = 30.0) -> None:
        super().__init__(account, secret, timeout=timeout)
        self._api = None
        self._limits: Limits | None = None
        self._me = None

    def _client(self):
        if self._api is None:
            from mastodon import Mastodon

            self._api = Mastodon(
                access_token=self._secret,
                api_base_url=self.account.server,
                request_timeout=self.timeout,
                ratelimit_method="throw",
                version_check_mode="none",
            )
        return self._api

    def _call(self, doing: str, fn):
        import mastodon as m

        name = self.account.name
        try:
            return fn()
        except m.MastodonRatelimitError:
            raise PublishError(
                f"{name}: the server is rate limiting this account; Greenlight will try again later",
                kind="rate_limited",
            ) from None
        except m.MastodonUnauthorizedError:
            raise PublishError(
                f"{name}: {self.account.server} refused the access token while trying to {doing}: it is wrong, "
                "revoked or expired. Create a new token (Preferences > Development) and store it with "
                f"`greenlight accounts add --platform mastodon --handle {self.account.handle} "
                f"--server {self.account.server}`",
                kind="auth",
            ) from None
        except m.MastodonNetworkError as exc:
            raise PublishError(
                f"{name}: could not reach {self.account.server} to {doing} ({_first_line(exc)}); "
                "the post waits in the outbox and is retried",
                kind="offline",
            ) from None
        except m.MastodonServerError as exc:
            raise PublishError(
                f"{name}: {self.account.server} failed while trying to {doing} ({_first_line(exc)}); it will be retried",
                kind="server",
            ) from None
        except m.MastodonAPIError as exc:
            text = _first_line(exc)
            low = text.lower()
            if "too long" in low or "character limit" in low:
                raise PublishError(
                    f"{name}: the server says the post is too long ({text})", kind="too_long"
                ) from None
            if "media" in low or "file" in low or "413" in low:
                raise PublishError(
                    f"{name}: the server rejected an image ({text})", kind="media_rejected"
                ) from None
            if "403" in low or "forbidden" in low:
                raise PublishError(
                    f"{name}: the token may not {doing} ({text}); it needs the write:statuses and write:media scopes",
                    kind="auth",
                ) from None
            raise PublishError(f"{name}: the server refused to {doing}: {text}", kind="rejected") from None

    def verify(self) -> str:
        me = self._call("check the account", lambda: self._client().account_verify_credentials())
        self._me = me
        return f"@{me['acct']} on {self.account.server}"

    def limits(self) -> Limits:
        if self._limits is None:
            info = self._call("read the server's limits", lambda: self._client().instance_v2())
            conf = info.get("configuration") or {}
            statuses = conf.get("statuses") or {}
            media = conf.get("media_attachments") or {}
            self._limits = Limits(
                max_characters=int(statuses.get("max_characters") or 500),
                max_images=int(statuses.get("max_media_attachments") or 4),
                max_image_bytes=int(media.get("image_size_limit") or 16 * 1024 * 1024),
            )
        return self._limits

    def measure(self, text: str) -> int:
        """Mastodon counts every URL as 23 characters and a mention by its local part only."""
        counted = re.sub(r"https?://\S+", "x" * 23, text)
        counted = re.sub(r"@(\w+)@[\w.-]+\w", r"@\1", counted)
        return len(counted)

    def problems(self, plan: Plan, images: list[Image]) -> list[str]:
        found = super().problems(plan, images)
        if plan.content_warning:
            lim = self.limits()
            for i, part in enumerate(plan.parts, 1):
                total = self.measure(part) + len(plan.content_warning)
                if total > lim.max_characters:
                    found.append(
                        f"post {i} with its content warning is {total} characters; "
                        f"{self.account.name} allows {lim.max_characters}"
                    )
        return found

    def publish(self, plan: Plan, images: list[Image], progress: dict, save: SaveProgress) -> PublishResult:
        api = self._client()
        statuses: list[dict] = progress.setdefault("statuses", [])
        for position, text in enumerate(plan.parts):
            if position < len(statuses):
                continue
            found = self._already_posted(plan, text, statuses)
            if found is None:
                media_ids = progress.get("media_ids") if position == 0 else None
                if position == 0 and images and not media_ids:
                    media_ids = [
                        self._call(
                            "upload an image",
                            lambda img=img: api.media_post(
                                img.data, mime_type=img.mime, description=img.alt, file_name=img.filename
                            ),
                        )["id"]
                        for img in images
                    ]
                    progress["media_ids"] = [str(m) for m in media_ids]
                    save(progress)
                status = self._call(
                    "post the status",
                    lambda text=text, media_ids=media_ids, position=position: api.status_post(
                        text,
                        in_reply_to_id=statuses[-1]["id"] if statuses else None,
                        media_ids=media_ids or None,
                        sensitive=bool(plan.content_warning),
                        spoiler_text=plan.content_warning or None,
                        visibility=plan.visibility,
                        language=plan.language or None,
                        idempotency_key=f"{plan.key}-{position}",
                    ),
                )
                found = {"id": str(status["id"]), "url": status.get("url") or status.get("uri") or ""}
            statuses.append(found)
            save(progress)
        return PublishResult(
            remote_id=statuses[0]["id"],
            url=statuses[0]["url"],
            extra={"thread": [s["id"] for s in statuses]},
        )

    def _already_posted(self, plan: Plan, text: str, done: list[dict]) -> dict | None:
        """A status with this text, posted since the plan was made (the Idempotency-Key may have expired)."""
        api = self._client()
        if self._me is None:
            self._me = self._call("check the account", api.account_verify_credentials)
        since = datetime.fromisoformat(plan.created_at.replace("Z", "+00:00"))
        recent = self._call(
            "look for an earlier attempt", lambda: api.account_statuses(self._me["id"], limit=40)
        )
        parent = done[-1]["id"] if done else None
        for status in recent:
            created = status.get("created_at")
            if isinstance(created, datetime) and created.tzinfo and created < since:
                continue
            reply_to = status.get("in_reply_to_id")
            if (
                _plain(status.get("content", "")) == text.strip()
                and (str(reply_to) if reply_to else None) == parent
            ):
                return {"id": str(status["id"]), "url": status.get("url") or status.get("uri") or ""}
        return None


def _first_line(exc: Exception) -> str:
    args = [str(a) for a in getattr(exc, "args", ()) if a]
    return ", ".join(args)[:300] or type(exc).__name__
