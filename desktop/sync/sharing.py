"""Shared drafts: turning local edits into `draft.revised` events, and events back into drafts.

A draft is private until it is shared (`greenlight drafts share ID`, or submitting it for
approval); private drafts produce no events at all, so nothing of them reaches the folder and the
author's event chain has no holes. Once shared, the local edits since the last sync are captured
as one `draft.revised` event naming the version they were edited from (`base`), and versions
imported from others are written into the local `drafts` table (a new revision each time the
current version changes), exactly as `merge.merge` chooses on every replica.

`sync_drafts` remembers which version was last written into each shared draft's row, which is how
a local edit (row differs from it) is told apart from a version that came in through sync.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Protocol

import sqlite_utils

from desktop.store.drafts import DraftStore, content_hash
from desktop.sync.merge import MergeState, Version, merge

REVISED = "draft.revised"

# While a sync imports a batch of files, drafts are projected once at the end rather than once per
# imported version (a draft with many versions would otherwise be merged over and over).
_deferred: ContextVar[set[str] | None] = ContextVar("greenlight_sync_deferred", default=None)


@contextmanager
def deferred_projection() -> Iterator[set[str]]:
    """Collect the drafts whose versions were imported; the caller projects them afterwards."""
    pending: set[str] = set()
    token = _deferred.set(pending)
    try:
        yield pending
    finally:
        _deferred.reset(token)


def revision_imported(db: sqlite_utils.Database, draft_id: str) -> None:
    """The ledger accepted a `draft.revised` from someone else: project it now, or after the batch."""
    pending = _deferred.get()
    if pending is not None:
        pending.add(draft_id)
    else:
        project(db, draft_id)


class AppendsEvents(Protocol):
    """The part of `desktop.trust.ledger.Ledger` sharing needs."""

    def append(self, kind: str, payload: dict[str, Any], *, draft_id: str | None = None) -> Any: ...


@dataclass(frozen=True)
class Recorded:
    head_event: str | None
    content_hash: str
    title: str
    platforms: str
    accounts: str
    local_updated: str


def _recorded(db: sqlite_utils.Database, draft_id: str) -> Recorded | None:
    row = db.execute(
        "SELECT head_event, content_hash, title, platforms, accounts, local_updated FROM sync_drafts "
        "WHERE draft_id = ?",
        [draft_id],
    ).fetchone()
    return Recorded(*row) if row else None


def _remember(db: sqlite_utils.Database, draft_id: str, head: str | None) -> None:
    """Record the draft row as it is now as the state that version `head` put there."""
    row = db.execute(
        "SELECT text, title, platforms, accounts, updated FROM drafts WHERE id = ?", [draft_id]
    ).fetchone()
    text, title, platforms, accounts, updated = row
    db.execute(
        "INSERT INTO sync_drafts (draft_id, head_event, content_hash, title, platforms, accounts, local_updated) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT(draft_id) DO UPDATE SET head_event = excluded.head_event, "
        "content_hash = excluded.content_hash, title = excluded.title, platforms = excluded.platforms, "
        "accounts = excluded.accounts, local_updated = excluded.local_updated",
        [draft_id, head, content_hash(text), title, platforms, accounts, updated],
    )


def _flag_conflict(db: sqlite_utils.Database, draft_id: str, state: MergeState) -> MergeState:
    """Keep `sync_drafts.conflicted` in step, so listing conflicted drafts needs no merging."""
    db.execute("UPDATE sync_drafts SET conflicted = ? WHERE draft_id = ?", [int(state.conflicted), draft_id])
    return state


def versions(db: sqlite_utils.Database, draft_id: str) -> list[Version]:
    """Every accepted `draft.revised` event of a draft, as merge versions."""
    rows = db.execute(
        "SELECT id, author, created, body FROM events WHERE draft_id = ? AND kind = ? AND void IS NULL",
        [draft_id, REVISED],
    ).fetchall()
    return [Version.from_event(i, a, c, json.loads(b).get("payload", {})) for i, a, c, b in rows]


def merge_state(db: sqlite_utils.Database, draft_id: str) -> MergeState:
    return merge(versions(db, draft_id))


def share(db: sqlite_utils.Database, ledger: AppendsEvents, draft_id: str) -> Any | None:
    """Mark a draft shared and record its current content as an event (None if already recorded)."""
    store = DraftStore(db)
    draft = store.get(draft_id)
    if not draft.shared:
        store.update(draft.id, shared=True)
    return capture(db, ledger, draft.id)


def capture(
    db: sqlite_utils.Database, ledger: AppendsEvents, draft_id: str, *, resolves: list[str] | None = None
):
    """Append a `draft.revised` event if the shared draft's row differs from its last recorded version."""
    row = db.execute(
        "SELECT text, title, platforms, accounts, updated, shared FROM drafts WHERE id = ?", [draft_id]
    ).fetchone()
    if row is None or not row[5]:
        return None
    text, title, platforms, accounts, _updated, _shared = row
    rec = _recorded(db, draft_id)
    digest = content_hash(text)
    if (
        rec is not None
        and not resolves
        and (digest, title, platforms, accounts)
        == (
            rec.content_hash,
            rec.title,
            rec.platforms,
            rec.accounts,
        )
    ):
        _remember(db, draft_id, rec.head_event)
        return None
    base = rec.head_event if rec else merge_state(db, draft_id).current
    if isinstance(base, Version):
        base = base.event_id
    payload = {
        "title": title,
        "text": text,
        "platforms": json.loads(platforms),
        "accounts": json.loads(accounts),
        "content_hash": digest,
        "base": base,
    }
    if resolves:
        payload["resolves"] = sorted(r for r in resolves if r != base)
    event = ledger.append(REVISED, payload, draft_id=draft_id)
    _remember(db, draft_id, event.id)
    return event


def capture_all(db: sqlite_utils.Database, ledger: AppendsEvents) -> list[Any]:
    """Capture every shared draft edited since it was last recorded (cheap: compares timestamps)."""
    ids = [
        r[0]
        for r in db.execute(
            "SELECT d.id FROM drafts d LEFT JOIN sync_drafts s ON s.draft_id = d.id "
            "WHERE d.shared = 1 AND d.trashed IS NULL AND (s.draft_id IS NULL OR s.local_updated != d.updated)"
        ).fetchall()
    ]
    out = []
    for draft_id in ids:
        event = capture(db, ledger, draft_id)
        if event is not None:
            out.append(event)
    return out


def has_local_edits(db: sqlite_utils.Database, draft_id: str) -> bool:
    """True when the draft row holds edits not yet captured as an event (so sync must not overwrite)."""
    rec = _recorded(db, draft_id)
    row = db.execute(
        "SELECT text, title, platforms, accounts, updated FROM drafts WHERE id = ?", [draft_id]
    ).fetchone()
    if row is None or rec is None:
        return False
    if row[4] == rec.local_updated:
        return False
    return (content_hash(row[0]), row[1], row[2], row[3]) != (
        rec.content_hash,
        rec.title,
        rec.platforms,
        rec.accounts,
    )


def project(db: sqlite_utils.Database, draft_id: str) -> MergeState:
    """Write the current version of a shared draft into the local `drafts` row (creating it).

    A row with local edits not yet captured is left alone: the next sync captures them as an edit
    from the version they started from, so they show up as a conflict instead of being lost.
    """
    state = merge_state(db, draft_id)
    current = state.current
    if current is None:
        return state
    store = DraftStore(db)
    exists = db.execute("SELECT 1 FROM drafts WHERE id = ?", [draft_id]).fetchone() is not None
    if not exists:
        first_created = min(v.created for v in versions(db, draft_id))
        store.create(
            current.text,
            title=current.title,
            platforms=current.platforms,
            accounts=current.accounts,
            draft_id=draft_id,
            created=first_created,
        )
        store.update(draft_id, shared=True)
        _remember(db, draft_id, current.event_id)
        return _flag_conflict(db, draft_id, state)
    rec = _recorded(db, draft_id)
    if rec is not None and rec.head_event == current.event_id:
        return _flag_conflict(db, draft_id, state)
    if has_local_edits(db, draft_id):
        return _flag_conflict(db, draft_id, state)
    draft = store.get(draft_id)
    if draft.text != current.text:
        store.save(draft_id, current.text, origin=f"sync:{current.event_id[:12]}")
    store.update(
        draft_id,
        title=current.title,
        platforms=current.platforms,
        accounts=current.accounts,
        shared=True,
    )
    _remember(db, draft_id, current.event_id)
    return _flag_conflict(db, draft_id, state)


def current_revision(db: sqlite_utils.Database, ledger: Any, draft_id: str) -> Any:
    """The `draft.revised` event holding the draft's current content, sharing the draft if needed.

    Submitting for approval calls this: a submitted draft is a shared draft, and the submission
    names this event, so approvals are bound to exactly the content that travelled.
    """
    share(db, ledger, draft_id)
    rec = _recorded(db, draft_id)
    event = ledger.get(rec.head_event) if rec and rec.head_event else None
    if event is None:  # recorded head missing (should not happen): record the content afresh
        _remember(db, draft_id, None)
        db.execute("UPDATE sync_drafts SET content_hash = '' WHERE draft_id = ?", [draft_id])
        event = capture(db, ledger, draft_id)
    return event
