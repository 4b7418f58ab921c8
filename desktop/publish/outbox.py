"""The outbox: publish records that have not gone out yet, with their state, attempts and next try.

One row per draft x account x content (table `publish_records`). States:

    queued           planned, not tried yet
    sending          an attempt is (or was, when the app died) in flight; its outcome is unknown, so
                     the next attempt first looks for what it may have created
    waiting          a retryable failure (offline, server error, rate limit); retried after backoff
    needs_attention  the user must act (new password, shorter text, other image); `retry` after that
    published        done: remote id, URL and time recorded
    cancelled        the user withdrew it

The row is written before any network call, so nothing is lost and nothing is sent without a record.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

from desktop.errors import GreenlightError, NotFoundError
from desktop.publish.errors import PublishError
from desktop.publish.post import Image, Plan
from desktop.store.database import utcnow
from desktop.store.ids import new_id

OPEN_STATES = ("queued", "sending", "waiting", "needs_attention")
BACKOFF_BASE = 60.0  # seconds; doubles per attempt
BACKOFF_CAP = 3600.0
STALE_SENDING = timedelta(minutes=2)  # a "sending" row older than this belongs to a crashed attempt

_COLUMNS = (
    "id, draft_id, account_id, account_name, platform, content_hash, state, attempts, next_attempt, error_kind,"
    " last_error, plan, progress, remote_id, url, published_at, created, updated"
)


@dataclass(frozen=True)
class Record:
    id: str
    draft_id: str
    account_id: str
    account_name: str
    platform: str
    content_hash: str
    state: str
    attempts: int
    next_attempt: str | None
    error_kind: str | None
    last_error: str | None
    plan: Plan
    progress: dict
    remote_id: str | None
    url: str | None
    published_at: str | None
    created: str
    updated: str

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "draft_id": self.draft_id,
            "account": self.account_name,
            "platform": self.platform,
            "state": self.state,
            "attempts": self.attempts,
            "next_attempt": self.next_attempt,
            "error_kind": self.error_kind,
            "error": self.last_error,
            "remote_id": self.remote_id,
            "url": self.url,
            "published_at": self.published_at,
            "content_hash": self.content_hash,
            "created": self.created,
        }


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def backoff(attempts: int) -> float:
    """Seconds to wait after the `attempts`-th failure: 1, 2, 4 ... minutes, at most an hour."""
    return min(BACKOFF_BASE * 2 ** max(attempts - 1, 0), BACKOFF_CAP)


class Outbox:
    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- creating --------------------------------------------------------------------------------

    def find_for(self, draft_id: str, account_id: str, content_hash: str) -> Record | None:
        """The live (not cancelled) record of this exact content for this account, if any."""
        row = self.db.execute(
            f"SELECT {_COLUMNS} FROM publish_records WHERE draft_id = ? AND account_id = ? AND content_hash = ?"
            " AND state != 'cancelled' ORDER BY created DESC LIMIT 1",
            [draft_id, account_id, content_hash],
        ).fetchone()
        return self._from_row(row) if row else None

    def create(
        self,
        *,
        draft_id: str,
        account_id: str,
        account_name: str,
        content_hash: str,
        plan: Plan,
        images: list[Image],
    ) -> Record:
        record_id = new_id()
        now = utcnow()
        with self.db.conn:
            self.db.execute("BEGIN IMMEDIATE")
            self.db.execute(
                f"INSERT INTO publish_records ({_COLUMNS}) VALUES "
                "(?, ?, ?, ?, ?, ?, 'queued', 0, ?, NULL, NULL, ?, '{}', NULL, NULL, NULL, ?, ?)",
                [
                    record_id,
                    draft_id,
                    account_id,
                    account_name,
                    plan.platform,
                    content_hash,
                    now,
                    json.dumps(plan.to_json()),
                    now,
                    now,
                ],
            )
            for position, img in enumerate(images):
                self.db.execute(
                    "INSERT INTO publish_media (record_id, position, filename, mime, alt, data) VALUES (?, ?, ?, ?, ?, ?)",
                    [record_id, position, img.filename, img.mime, img.alt, img.data],
                )
        return self.get(record_id)

    # -- reading ---------------------------------------------------------------------------------

    def get(self, record_id: str) -> Record:
        row = self.db.execute(f"SELECT {_COLUMNS} FROM publish_records WHERE id = ?", [record_id]).fetchone()
        if row is None and len(record_id) >= 6:
            rows = self.db.execute(
                f"SELECT {_COLUMNS} FROM publish_records WHERE id >= ? AND id < ? LIMIT 2",
                [record_id, record_id + "\uffff"],
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        if row is None:
            raise NotFoundError(f"no outbox entry {record_id!r} (see `greenlight outbox list`)")
        return self._from_row(row)

    def images(self, record_id: str) -> list[Image]:
        rows = self.db.execute(
            "SELECT filename, mime, alt, data FROM publish_media WHERE record_id = ? ORDER BY position",
            [record_id],
        ).fetchall()
        return [Image(filename=f, mime=m, alt=a, data=bytes(d)) for f, m, a, d in rows]

    def list(self, states: tuple[str, ...] = OPEN_STATES, draft_id: str | None = None) -> list[Record]:
        marks = ",".join("?" for _ in states)
        sql = f"SELECT {_COLUMNS} FROM publish_records WHERE state IN ({marks})"
        args: list = list(states)
        if draft_id:
            sql += " AND draft_id = ?"
            args.append(draft_id)
        rows = self.db.execute(sql + " ORDER BY created", args).fetchall()
        return [self._from_row(r) for r in rows]

    def due(self, now: datetime | None = None) -> list[Record]:
        """Records an automatic retry should send now: queued/waiting and due, or stale 'sending'."""
        now = now or datetime.now(UTC)
        out = []
        for rec in self.list(("queued", "waiting", "sending")):
            if rec.state == "sending":
                if now - _parse(rec.updated) >= STALE_SENDING:
                    out.append(rec)
            elif rec.next_attempt is None or _parse(rec.next_attempt) <= now:
                out.append(rec)
        return out

    # -- state changes ---------------------------------------------------------------------------

    def mark_sending(self, record_id: str) -> None:
        self.db.execute(
            "UPDATE publish_records SET state = 'sending', attempts = attempts + 1, updated = ? WHERE id = ?",
            [utcnow(), record_id],
        )

    def save_progress(self, record_id: str, progress: dict) -> None:
        self.db.execute(
            "UPDATE publish_records SET progress = ?, updated = ? WHERE id = ?",
            [json.dumps(progress), utcnow(), record_id],
        )

    def mark_published(self, record_id: str, remote_id: str, url: str) -> Record:
        now = utcnow()
        self.db.execute(
            "UPDATE publish_records SET state = 'published', remote_id = ?, url = ?, published_at = ?, updated = ?,"
            " error_kind = NULL, last_error = NULL, next_attempt = NULL WHERE id = ?",
            [remote_id, url, now, now, record_id],
        )
        self.db.execute("DELETE FROM publish_media WHERE record_id = ?", [record_id])  # no longer needed
        return self.get(record_id)

    def mark_failed(self, record_id: str, error: PublishError, now: datetime | None = None) -> Record:
        rec = self.get(record_id)
        now = now or datetime.now(UTC)
        if error.retryable:
            delay = error.retry_after if error.retry_after else backoff(rec.attempts)
            state, next_attempt = "waiting", _iso(now + timedelta(seconds=delay))
        else:
            state, next_attempt = "needs_attention", None
        self.db.execute(
            "UPDATE publish_records SET state = ?, next_attempt = ?, error_kind = ?, last_error = ?, updated = ?"
            " WHERE id = ?",
            [state, next_attempt, error.kind, str(error), utcnow(), record_id],
        )
        return self.get(record_id)

    def make_due(self, record_id: str) -> Record:
        """`outbox retry ID`: try now, whatever the backoff or the earlier failure said."""
        rec = self.get(record_id)
        if rec.state not in OPEN_STATES:
            raise GreenlightError(
                f"outbox entry {rec.id} is {rec.state}; only waiting entries can be retried"
            )
        self.db.execute(
            "UPDATE publish_records SET state = CASE WHEN state = 'sending' THEN state ELSE 'waiting' END,"
            " next_attempt = ?, updated = ? WHERE id = ?",
            [utcnow(), rec.updated if rec.state == "sending" else utcnow(), rec.id],
        )
        return self.get(rec.id)

    def cancel(self, record_id: str) -> Record:
        rec = self.get(record_id)
        if rec.state == "published":
            raise GreenlightError(
                f"outbox entry {rec.id} was already published ({rec.url or rec.remote_id}); delete it on the platform"
            )
        if rec.state == "cancelled":
            return rec
        self.db.execute(
            "UPDATE publish_records SET state = 'cancelled', next_attempt = NULL, updated = ? WHERE id = ?",
            [utcnow(), rec.id],
        )
        self.db.execute("DELETE FROM publish_media WHERE record_id = ?", [rec.id])
        return self.get(rec.id)

    @staticmethod
    def _from_row(row: tuple) -> Record:
        values = list(row)
        values[11] = Plan.from_json(json.loads(values[11]))
        values[12] = json.loads(values[12] or "{}")
        return Record(*values)
