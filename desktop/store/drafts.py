"""Drafts and their revisions.

Every save keeps a revision, except when the text did not change; revision text is stored once per
distinct content (the `blobs` table), so autosaving every second costs little. Deleting moves a draft
to the trash; only emptying the trash removes it.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from collections.abc import Iterable
from pathlib import Path

import sqlite_utils

from desktop.errors import GreenlightError, NotFoundError
from desktop.store.database import open_database, utcnow, write_transaction
from desktop.store.ids import new_id
from desktop.store.models import STATUSES, Draft, DraftSummary, Revision

SNIPPET_CHARS = 120


def content_hash(text: str) -> str:
    """The hash approvals are bound to (trust issue): SHA-256 of the UTF-8 text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _fts_query(query: str) -> str:
    """Turn what a user types into a safe FTS5 query: every word must match, as a prefix."""
    words = [w.replace('"', '""') for w in query.split() if w.strip()]
    return " ".join(f'"{w}"*' for w in words)


class DraftStore:
    """All draft operations. One instance per thread: it owns its own SQLite connection."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    @classmethod
    def open(cls, path: Path | str | None = None) -> DraftStore:
        from desktop.paths import database_path

        return cls(open_database(path or database_path()))

    def close(self) -> None:
        self.db.conn.close()

    # -- reading ---------------------------------------------------------------------------------

    def get(self, draft_id: str, *, include_trashed: bool = True) -> Draft:
        row = self.db.execute("SELECT * FROM drafts WHERE id = ?", [draft_id]).fetchone()
        if row is None:
            row = self._get_by_prefix(draft_id)
        draft = self._draft_from_row(row)
        if draft.trashed and not include_trashed:
            raise NotFoundError(f"draft {draft_id} is in the trash")
        return draft

    def _get_by_prefix(self, prefix: str) -> tuple:
        """Accept a unique id prefix, as people type the first few characters of an id."""
        if len(prefix) >= 6:
            rows = self.db.execute(
                "SELECT * FROM drafts WHERE id >= ? AND id < ? LIMIT 2", [prefix, prefix + "\uffff"]
            ).fetchall()
            if len(rows) == 1:
                return rows[0]
            if len(rows) > 1:
                raise NotFoundError(f"draft id prefix {prefix!r} is ambiguous; give more characters")
        raise NotFoundError(f"no draft with id {prefix!r} (see `greenlight drafts list`)")

    def _draft_from_row(self, row: tuple) -> Draft:
        cols = self._columns()
        d = dict(zip(cols, row, strict=False))
        return Draft(
            id=d["id"],
            title=d["title"],
            text=d["text"],
            status=d["status"],
            tags=json.loads(d["tags"]),
            platforms=json.loads(d["platforms"]),
            accounts=json.loads(d["accounts"]),
            created=d["created"],
            updated=d["updated"],
            trashed=d["trashed"],
            revisions=d["revision_count"],
            shared=bool(d["shared"]),
        )

    def _columns(self) -> list[str]:
        if not hasattr(self, "_cols"):
            self._cols = [r[1] for r in self.db.execute("PRAGMA table_info(drafts)").fetchall()]
        return self._cols

    def list(
        self, *, search: str = "", trashed: bool = False, limit: int = 200, offset: int = 0
    ) -> list[DraftSummary]:
        """Newest first. With `search`, full-text matches over title and text, best first."""
        trash_clause = "d.trashed IS NOT NULL" if trashed else "d.trashed IS NULL"
        snippet = f"substr(d.text, 1, {SNIPPET_CHARS})"
        if search.strip():
            match = _fts_query(search)
            # Walk the drafts newest first and stop at the first page of matches; joining from the
            # FTS side instead would sort every match, which is slow for common words.
            sql = (
                f"SELECT d.id, d.title, d.status, d.updated, {snippet}, d.trashed FROM drafts d "
                f"INDEXED BY drafts_by_updated WHERE {trash_clause} AND d.rowid IN "
                "(SELECT rowid FROM drafts_fts WHERE drafts_fts MATCH ?) "
                "ORDER BY d.updated DESC LIMIT ? OFFSET ?"
            )
            params: list = [match, limit, offset]
        else:
            sql = (
                f"SELECT d.id, d.title, d.status, d.updated, {snippet}, d.trashed FROM drafts d "
                f"WHERE {trash_clause} ORDER BY d.updated DESC LIMIT ? OFFSET ?"
            )
            params = [limit, offset]
        try:
            rows = self.db.execute(sql, params).fetchall()
        except sqlite3.OperationalError as exc:
            raise GreenlightError(f"cannot search for {search!r}: {exc}") from None
        return [DraftSummary(*row) for row in rows]

    def count(self, *, trashed: bool = False) -> int:
        clause = "trashed IS NOT NULL" if trashed else "trashed IS NULL"
        return self.db.execute(f"SELECT count(*) FROM drafts WHERE {clause}").fetchone()[0]

    def history(self, draft_id: str) -> list[Revision]:
        """Every revision, oldest first."""
        draft = self.get(draft_id)
        rows = self.db.execute(
            "SELECT r.id, r.draft_id, r.number, r.created, b.text, r.content_hash, r.origin "
            "FROM revisions r JOIN blobs b ON b.hash = r.content_hash WHERE r.draft_id = ? ORDER BY r.number",
            [draft.id],
        ).fetchall()
        return [Revision(*row) for row in rows]

    def revision(self, draft_id: str, number: int) -> Revision:
        for rev in self.history(draft_id):
            if rev.number == number:
                return rev
        raise NotFoundError(f"draft {draft_id} has no revision {number}")

    # -- writing ---------------------------------------------------------------------------------

    def create(
        self,
        text: str = "",
        *,
        title: str = "",
        platforms: Iterable[str] = (),
        tags: Iterable[str] = (),
        accounts: Iterable[str] = (),
        draft_id: str | None = None,
        created: str | None = None,
        updated: str | None = None,
    ) -> Draft:
        """A new draft with its first revision (even when empty, so history starts at creation)."""
        now = utcnow()
        draft_id = draft_id or new_id()
        with write_transaction(self.db.conn):
            self.db.execute(
                "INSERT INTO drafts (id, title, text, status, tags, platforms, accounts, created, updated) "
                "VALUES (?, ?, ?, 'draft', ?, ?, ?, ?, ?)",
                [
                    draft_id,
                    title,
                    text,
                    json.dumps(list(tags)),
                    json.dumps(list(platforms)),
                    json.dumps(list(accounts)),
                    created or now,
                    updated or now,
                ],
            )
            self._add_revision(draft_id, text, now, origin="create")
        return self.get(draft_id)

    def save(self, draft_id: str, text: str, *, origin: str = "edit") -> Revision | None:
        """Save `text` as the draft's current text. Returns the new revision, or None if unchanged."""
        draft = self.get(draft_id)
        if draft.text == text and draft.revisions:
            return None
        now = utcnow()
        with write_transaction(self.db.conn):
            self.db.execute("UPDATE drafts SET text = ?, updated = ? WHERE id = ?", [text, now, draft.id])
            rev = self._add_revision(draft.id, text, now, origin=origin)
        return rev

    def _add_revision(self, draft_id: str, text: str, now: str, *, origin: str) -> Revision:
        digest = content_hash(text)
        self.db.execute("INSERT OR IGNORE INTO blobs (hash, text) VALUES (?, ?)", [digest, text])
        number = self.db.execute(
            "UPDATE drafts SET revision_count = revision_count + 1 WHERE id = ? RETURNING revision_count",
            [draft_id],
        ).fetchone()[0]
        cur = self.db.execute(
            "INSERT INTO revisions (draft_id, number, created, content_hash, origin) VALUES (?, ?, ?, ?, ?)",
            [draft_id, number, now, digest, origin],
        )
        return Revision(cur.lastrowid, draft_id, number, now, text, digest, origin)

    def update(
        self,
        draft_id: str,
        *,
        title: str | None = None,
        status: str | None = None,
        tags: Iterable[str] | None = None,
        platforms: Iterable[str] | None = None,
        accounts: Iterable[str] | None = None,
        shared: bool | None = None,
    ) -> Draft:
        """Change a draft's metadata (not its text: use `save`, which keeps a revision)."""
        draft = self.get(draft_id)
        changes: dict[str, object] = {}
        if title is not None:
            changes["title"] = title
        if status is not None:
            if status not in STATUSES:
                raise GreenlightError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
            changes["status"] = status
        for key, value in (("tags", tags), ("platforms", platforms), ("accounts", accounts)):
            if value is not None:
                changes[key] = json.dumps(list(value))
        if shared is not None:
            changes["shared"] = int(shared)
        if not changes:
            return draft
        changes["updated"] = utcnow()
        assignments = ", ".join(f"{k} = ?" for k in changes)
        with write_transaction(self.db.conn):
            self.db.execute(f"UPDATE drafts SET {assignments} WHERE id = ?", [*changes.values(), draft.id])
        return self.get(draft.id)

    def rename(self, draft_id: str, title: str) -> Draft:
        return self.update(draft_id, title=title)

    def duplicate(self, draft_id: str) -> Draft:
        src = self.get(draft_id)
        title = f"{src.title} (copy)" if src.title else "(copy)"
        return self.create(
            src.text, title=title, platforms=src.platforms, tags=src.tags, accounts=src.accounts
        )

    def restore_revision(self, draft_id: str, number: int) -> Revision | None:
        """Make an old revision current again; this is itself a new revision, so nothing is lost."""
        rev = self.revision(draft_id, number)
        return self.save(draft_id, rev.text, origin=f"restore:{number}")

    def trash(self, draft_id: str) -> Draft:
        draft = self.get(draft_id)
        with write_transaction(self.db.conn):
            self.db.execute("UPDATE drafts SET trashed = ? WHERE id = ?", [utcnow(), draft.id])
        return self.get(draft.id)

    def untrash(self, draft_id: str) -> Draft:
        draft = self.get(draft_id)
        with write_transaction(self.db.conn):
            self.db.execute("UPDATE drafts SET trashed = NULL WHERE id = ?", [draft.id])
        return self.get(draft.id)

    def empty_trash(self) -> int:
        """Delete trashed drafts for good, with their revisions; unreferenced blobs go too."""
        with write_transaction(self.db.conn):
            n = self.db.execute("DELETE FROM drafts WHERE trashed IS NOT NULL").rowcount
            self.db.execute("DELETE FROM blobs WHERE hash NOT IN (SELECT content_hash FROM revisions)")
        return n
