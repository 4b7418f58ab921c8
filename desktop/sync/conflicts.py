"""Listing and resolving concurrent edits of a shared draft.

Two people edited the same version of a draft on different machines: both versions are kept (as
events, on every replica), the draft shows one of them (the same on every replica, see
`merge.merge`), and the writer is shown the competing versions side by side to pick one or write
a merge. The resolution is itself a `draft.revised` event that names every version it settles, so
the conflict closes everywhere once it has travelled, and no version is ever deleted.
"""

from __future__ import annotations

from typing import Any

import sqlite_utils

from desktop.errors import GreenlightError
from desktop.store.drafts import DraftStore
from desktop.sync import sharing
from desktop.sync.merge import Version
from desktop.trust.events import fingerprint


class ConflictError(GreenlightError):
    """A resolve that cannot be done as asked; the message says why and what to do."""


def _describe(v: Version, current: Version | None, names: dict[str, str]) -> dict[str, Any]:
    return {
        **v.as_json(),
        "author_fingerprint": fingerprint(v.author),
        "author_name": names.get(v.author, ""),
        "current": current is not None and v.event_id == current.event_id,
    }


def _names(db: sqlite_utils.Database) -> dict[str, str]:
    """Display names of keys, from this profile's identity (the roster adds others when present)."""
    out: dict[str, str] = {}
    try:
        from desktop.trust.identity import load_identity

        me = load_identity(db)
        if me is not None:
            out[me.public_key] = me.name
    except Exception:  # names are decoration; a missing trust module must not hide a conflict
        pass
    return out


def conflicts_for(db: sqlite_utils.Database, draft_id: str) -> list[dict[str, Any]]:
    """The competing versions of a draft (current one first), or [] when there is no conflict."""
    if "events" not in db.table_names():
        return []
    state = sharing.merge_state(db, draft_id)
    if not state.conflicted:
        return []
    names = _names(db)
    return [_describe(v, state.current, names) for v in state.heads]


def conflicted_drafts(db: sqlite_utils.Database) -> list[str]:
    """Ids of shared drafts with unresolved conflicts (for the status bar and `greenlight sync`).

    Read from the flag `sharing.project` keeps, so it costs nothing with 10,000 shared drafts."""
    return [
        r[0] for r in db.execute("SELECT draft_id FROM sync_drafts WHERE conflicted = 1 ORDER BY draft_id")
    ]


def resolve(
    db: sqlite_utils.Database,
    ledger: sharing.AppendsEvents,
    draft_id: str,
    *,
    pick: str | None = None,
    text: str | None = None,
    title: str | None = None,
) -> Any:
    """Close a draft's conflict by picking one version (event id or unique prefix) or giving merged text.

    Local edits not yet captured are captured first, so they are among the versions settled rather
    than silently overwritten.
    """
    store = DraftStore(db)
    draft = store.get(draft_id)
    if (pick is None) == (text is None):
        raise ConflictError("give exactly one of --pick VERSION or --text FILE")
    sharing.capture(db, ledger, draft.id)
    state = sharing.merge_state(db, draft.id)
    if not state.conflicted:
        raise ConflictError(f"draft {draft.id} has no conflicting versions to resolve")
    heads = list(state.heads)
    if pick is not None:
        matches = [h for h in heads if h.event_id.startswith(pick.strip().lower())]
        if len(matches) != 1:
            listing = ", ".join(h.event_id[:12] for h in heads)
            what = "matches no" if not matches else "matches more than one"
            raise ConflictError(
                f"{pick!r} {what} competing version of {draft.id}; the versions are: {listing}"
            )
        chosen = matches[0]
        new_text, new_title = chosen.text, chosen.title if title is None else title
        platforms, accounts = chosen.platforms, chosen.accounts
    else:
        new_text, new_title = text or "", draft.title if title is None else title
        platforms, accounts = tuple(draft.platforms), tuple(draft.accounts)
    store.save(draft.id, new_text, origin="resolve")
    store.update(draft.id, title=new_title, platforms=platforms, accounts=accounts)
    event = sharing.capture(db, ledger, draft.id, resolves=[h.event_id for h in heads])
    sharing.project(db, draft.id)  # the resolution is the only head now: clears the conflict flag
    return event
