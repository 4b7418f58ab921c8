"""The publish flow: ask the trust policy, plan, send, record. The rule lives here, not in buttons.

`publish_draft` refuses (PolicyRefusal, exit 3) unless `desktop.trust.gate.check_publish` says the
draft may go to every named account. Each account then gets a publish record (see `outbox`) that is
written before any network call and sent at once; `send` asks the gate again before every attempt,
including retries from the outbox, so an approval voided by an edit also stops a queued retry.
Results go into the record and, as a signed `publish.recorded` event, into the draft's history.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import sqlite_utils

from desktop.errors import GreenlightError, PolicyRefusal
from desktop.publish.accounts import Account, AccountStore
from desktop.publish.base import Publisher
from desktop.publish.errors import PublishError
from desktop.publish.outbox import Outbox, Record
from desktop.publish.post import Image, PublishOptions, make_plan
from desktop.store.database import utcnow

log = logging.getLogger("greenlight.publish")

Gate = Callable[..., object]  # check_publish(db, draft_id, accounts, *, findings=None, now=None) -> Decision


def publisher_for(account: Account, secret: str, *, timeout: float = 30.0) -> Publisher:
    if account.platform == "bluesky":
        from desktop.publish.bluesky import BlueskyPublisher

        return BlueskyPublisher(account, secret, timeout=timeout)
    if account.platform == "wordpress":
        from desktop.publish.wordpress import WordPressPublisher

        return WordPressPublisher(account, secret, timeout=timeout)
    if account.platform == "mastodon":
        from desktop.publish.mastodon import MastodonPublisher

        return MastodonPublisher(account, secret, timeout=timeout)
    raise GreenlightError(f"no publisher for platform {account.platform!r}")


def draft_images(db: sqlite_utils.Database, draft_id: str) -> tuple[Image, ...]:
    """The images attached to the draft (`drafts media add`), in order, each with its alt text.

    Used whenever a publish names no images itself, so the CLI and the app send the same post.
    An image without alt text stops the publish: the message says how to describe it.
    """
    from desktop.store.media import DraftMedia

    items = DraftMedia(db).list(draft_id)
    missing = [m for m in items if not m.alt]
    if missing:
        first = missing[0]
        raise GreenlightError(
            f"{first.path}: image {first.id} of the draft has no alt text; describe it with "
            f"`greenlight drafts media alt {first.id} TEXT` (or detach it with `drafts media remove`)"
        )
    return tuple(Image.from_file(m.path, m.alt) for m in items)


def default_gate() -> Gate:
    """The trust policy's gate. Without it nothing is published: failing closed is the safe side."""
    try:
        from desktop.trust.gate import check_publish
    except ImportError as exc:
        raise PolicyRefusal(
            f"the trust policy cannot be consulted ({exc}), so nothing is published; reinstall Greenlight"
        ) from None
    return check_publish


@dataclass
class AccountOutcome:
    account: str
    state: str  # published | waiting | needs_attention | refused | planned | already_published
    message: str = ""
    url: str | None = None
    remote_id: str | None = None
    record_id: str | None = None
    problems: list[str] = field(default_factory=list)

    def as_json(self) -> dict:
        return {
            "account": self.account,
            "state": self.state,
            "message": self.message,
            "url": self.url,
            "remote_id": self.remote_id,
            "outbox_id": self.record_id,
            "problems": self.problems,
        }


class PublishService:
    def __init__(
        self,
        db: sqlite_utils.Database,
        *,
        gate: Gate | None = None,
        timeout: float = 30.0,
        findings=None,
    ) -> None:
        self.db = db
        self.accounts = AccountStore(db)
        self.outbox = Outbox(db)
        self._gate = gate
        self.timeout = timeout
        self.findings = findings

    # -- the gate --------------------------------------------------------------------------------

    def check_gate(self, draft_id: str, accounts: list[Account], now: datetime | None = None) -> None:
        gate = self._gate or default_gate()
        decision = gate(self.db, draft_id, [a.name for a in accounts], findings=self.findings, now=now)
        if not getattr(decision, "may_publish", False):
            reasons = list(getattr(decision, "reasons", []) or []) or [
                "the trust policy did not give a reason"
            ]
            targets = ", ".join(a.name for a in accounts)
            raise PolicyRefusal(
                f"draft {draft_id} may not be published to {targets} yet: " + "; ".join(reasons)
            )

    # -- publishing a draft ----------------------------------------------------------------------

    def publish_draft(
        self,
        draft_id: str,
        account_keys: list[str] | None = None,
        *,
        options: PublishOptions | None = None,
        dry_run: bool = False,
        now: datetime | None = None,
    ) -> list[AccountOutcome]:
        from desktop.store.drafts import DraftStore, content_hash

        options = options or PublishOptions()
        draft = DraftStore(self.db).get(draft_id, include_trashed=False)
        keys = list(account_keys or draft.accounts)
        if not keys:
            raise GreenlightError(
                f"draft {draft.id} has no target accounts: name them with --account (see `greenlight accounts list`)"
            )
        accounts = []
        for key in keys:
            acc = self.accounts.get(key)
            if acc.id not in {a.id for a in accounts}:
                accounts.append(acc)
        self.check_gate(draft.id, accounts, now=now)  # first, before anything else happens
        if not options.images:
            options = replace(options, images=draft_images(self.db, draft.id))
        digest = content_hash(draft.text)
        outcomes = []
        for acc in accounts:
            existing = self.outbox.find_for(draft.id, acc.id, digest)
            if existing and existing.state == "published":
                outcomes.append(
                    AccountOutcome(
                        acc.name,
                        "already_published",
                        f"already published to {acc.name} on {existing.published_at}",
                        url=existing.url,
                        remote_id=existing.remote_id,
                        record_id=existing.id,
                    )
                )
                continue
            plan = (
                existing.plan
                if existing
                else make_plan(
                    platform=acc.platform,
                    draft_id=draft.id,
                    account_id=acc.id,
                    title=draft.title,
                    text=draft.text,
                    content_hash=digest,
                    created_at=utcnow(),
                    options=options,
                )
            )
            if dry_run:
                outcomes.append(self._dry_run(acc, plan, list(options.images)))
                continue
            record = existing or self.outbox.create(
                draft_id=draft.id,
                account_id=acc.id,
                account_name=acc.name,
                content_hash=digest,
                plan=plan,
                images=list(options.images),
            )
            outcomes.append(self.send(record.id, gate_checked=True))
        return outcomes

    def _dry_run(self, acc: Account, plan, images) -> AccountOutcome:
        parts = len(plan.parts)
        what = f"{parts} posts as a thread" if parts > 1 else "1 post"
        message = f"would publish {what} to {acc.name}" + (f" with {len(images)} image(s)" if images else "")
        problems: list[str] = []
        try:
            secret = self.accounts.secret(acc)
            problems = publisher_for(acc, secret, timeout=self.timeout).problems(plan, images)
        except GreenlightError as exc:
            problems = [f"could not check the platform's limits: {exc}"]
        return AccountOutcome(acc.name, "planned", message, problems=problems)

    # -- sending one record ----------------------------------------------------------------------

    def send(
        self, record_id: str, *, gate_checked: bool = False, now: datetime | None = None
    ) -> AccountOutcome:
        from desktop.store.drafts import DraftStore, content_hash

        rec = self.outbox.get(record_id)
        if rec.state in ("published", "cancelled"):
            return AccountOutcome(
                rec.account_name, rec.state, url=rec.url, remote_id=rec.remote_id, record_id=rec.id
            )
        try:
            acc = self.accounts.get(rec.account_id)
        except GreenlightError:
            err = PublishError(
                f"the account {rec.account_name} was removed; add it again or cancel this outbox entry",
                kind="auth",
            )
            return self._failed(rec, err, now)
        if not gate_checked:
            draft = DraftStore(self.db).get(rec.draft_id)
            if content_hash(draft.text) != rec.content_hash:
                self.outbox.cancel(rec.id)
                raise PolicyRefusal(
                    f"draft {rec.draft_id} changed after this publish was queued, so its approval no longer "
                    f"covers it; the queued publish to {rec.account_name} was cancelled. Publish the draft again."
                )
            self.check_gate(rec.draft_id, [acc], now=now)
        try:
            secret = self.accounts.secret(acc)
        except GreenlightError as exc:
            return self._failed(rec, PublishError(str(exc), kind="auth"), now)
        publisher = publisher_for(acc, secret, timeout=self.timeout)
        images = self.outbox.images(rec.id)
        self.outbox.mark_sending(rec.id)
        log.info("publishing draft %s to %s (attempt %d)", rec.draft_id, rec.account_name, rec.attempts + 1)
        try:
            problems = publisher.problems(rec.plan, images)
            if problems:
                kind = "media_rejected" if any("image" in p for p in problems) else "too_long"
                raise PublishError(f"{acc.name}: " + "; ".join(problems), kind=kind)
            progress = dict(rec.progress)
            result = publisher.publish(
                rec.plan, images, progress, lambda p: self.outbox.save_progress(rec.id, p)
            )
        except PublishError as exc:
            return self._failed(rec, exc, now)
        done = self.outbox.mark_published(rec.id, result.remote_id, result.url)
        log.info(
            "published draft %s to %s: %s", rec.draft_id, rec.account_name, result.url or result.remote_id
        )
        message = f"published to {acc.name}: {result.url or result.remote_id}"
        warning = self._record_event(done)
        if warning:
            message += f" ({warning})"
        return AccountOutcome(
            acc.name, "published", message, url=result.url, remote_id=result.remote_id, record_id=rec.id
        )

    def _failed(self, rec: Record, error: PublishError, now: datetime | None) -> AccountOutcome:
        updated = self.outbox.mark_failed(rec.id, error, now)
        log.warning(
            "publishing draft %s to %s failed (%s): %s", rec.draft_id, rec.account_name, error.kind, error
        )
        if updated.state == "waiting":
            message = f"{error} (queued in the outbox as {rec.id[:10]}; next try at {updated.next_attempt})"
        else:
            message = f"{error} (outbox entry {rec.id[:10]} waits for you: fix this, then `greenlight outbox retry`)"
        return AccountOutcome(rec.account_name, updated.state, message, record_id=rec.id)

    def _record_event(self, rec: Record) -> str | None:
        """The signed history entry. A missing identity must not undo a publish that already happened."""
        payload = {
            "account": rec.account_name,
            "platform": rec.platform,
            "remote_id": rec.remote_id or "",
            "url": rec.url or "",
            "content_hash": rec.content_hash,
            "published_at": rec.published_at or "",
        }
        try:
            from desktop.trust.ledger import Ledger

            Ledger(self.db).append("publish.recorded", payload, draft_id=rec.draft_id)
        except (ImportError, GreenlightError) as exc:
            log.warning("published, but the history event could not be signed: %s", exc)
            return f"not added to the signed history: {exc}"
        return None

    # -- the outbox ------------------------------------------------------------------------------

    def retry_due(self, now: datetime | None = None) -> list[AccountOutcome]:
        """Send everything whose backoff has passed (and attempts that died mid-flight)."""
        now = now or datetime.now(UTC)
        outcomes = []
        for rec in self.outbox.due(now):
            try:
                outcomes.append(self.send(rec.id, now=now))
            except PolicyRefusal as exc:
                outcomes.append(AccountOutcome(rec.account_name, "refused", str(exc), record_id=rec.id))
        return outcomes

    def retry(self, record_id: str, now: datetime | None = None) -> AccountOutcome:
        rec = self.outbox.make_due(record_id)
        try:
            return self.send(rec.id, now=now)
        except PolicyRefusal as exc:
            return AccountOutcome(rec.account_name, "refused", str(exc), record_id=rec.id)
