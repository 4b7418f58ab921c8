"""What a writer decided about findings: acknowledgements from self-review, and ignored matches.

An acknowledgement is bound to one revision (the exact text the writer reviewed): the approval
flow reads them beside that revision, and an edit makes a new revision that must be reviewed
again. An ignored match is remembered per draft by rule and matched text, so it stays ignored
while the writer keeps typing around it. No Qt: the UI reaches this through its store worker.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import sqlite_utils

from desktop.errors import GreenlightError
from desktop.store.database import utcnow, write_transaction


@dataclass(frozen=True)
class Acknowledgement:
    """A finding the writer consciously accepted for one revision, with their reason."""

    draft_id: str
    revision_number: int
    rule: str
    severity: str
    start: int
    end: int
    match: str
    message: str
    reason: str
    created: str = ""

    def as_json(self) -> dict:
        return {
            "draft_id": self.draft_id,
            "revision": self.revision_number,
            "rule": self.rule,
            "severity": self.severity,
            "start": self.start,
            "end": self.end,
            "match": self.match,
            "message": self.message,
            "reason": self.reason,
            "created": self.created,
        }


@dataclass(frozen=True)
class IgnoredMatch:
    """One matched text of one rule that the writer set aside for this draft."""

    draft_id: str
    rule: str
    match: str
    reason: str = ""
    created: str = ""


class ReviewNotes:
    """Acknowledgements and ignored matches of drafts, in the profile database.

    Shares the caller's connection (one per thread, like `DraftStore`), so it can join the
    caller's transaction.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- acknowledgements ------------------------------------------------------------------------

    def acknowledge(self, draft_id: str, revision_number: int, items: Iterable[Acknowledgement]) -> int:
        """Record acknowledgements for one revision, replacing earlier ones for that revision.

        Replacing (not appending) keeps a re-run of self-review on the same text from piling up
        duplicates. Every acknowledgement needs a reason: an empty one is refused.
        """
        rows = list(items)
        for ack in rows:
            if not ack.reason.strip():
                raise GreenlightError(f"acknowledging {ack.rule} ({ack.match!r}) needs a reason")
        self._require_revision(draft_id, revision_number)
        now = utcnow()
        with write_transaction(self.db.conn) as conn:
            conn.execute(
                "DELETE FROM acknowledgements WHERE draft_id = ? AND revision_number = ?",
                [draft_id, revision_number],
            )
            conn.executemany(
                "INSERT INTO acknowledgements (draft_id, revision_number, rule, severity, start_offset, "
                "end_offset, match, message, reason, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    (
                        draft_id,
                        revision_number,
                        a.rule,
                        a.severity,
                        a.start,
                        a.end,
                        a.match,
                        a.message,
                        a.reason.strip(),
                        now,
                    )
                    for a in rows
                ],
            )
        return len(rows)

    def acknowledgements(self, draft_id: str, revision_number: int | None = None) -> list[Acknowledgement]:
        """A draft's acknowledgements, oldest revision first (or only those of one revision)."""
        sql = (
            "SELECT draft_id, revision_number, rule, severity, start_offset, end_offset, match, message, "
            "reason, created FROM acknowledgements WHERE draft_id = ?"
        )
        params: list = [draft_id]
        if revision_number is not None:
            sql += " AND revision_number = ?"
            params.append(revision_number)
        sql += " ORDER BY revision_number, start_offset, id"
        return [Acknowledgement(*row) for row in self.db.execute(sql, params).fetchall()]

    def _require_revision(self, draft_id: str, revision_number: int) -> None:
        row = self.db.execute(
            "SELECT 1 FROM revisions WHERE draft_id = ? AND number = ?", [draft_id, revision_number]
        ).fetchone()
        if row is None:
            raise GreenlightError(
                f"draft {draft_id} has no revision {revision_number} to acknowledge findings on"
            )

    # -- ignored matches -------------------------------------------------------------------------

    def ignore(self, draft_id: str, rule: str, match: str, reason: str = "") -> IgnoredMatch:
        """Ignore `match` for `rule` in this draft from now on (a second call updates the reason)."""
        exists = self.db.execute("SELECT 1 FROM drafts WHERE id = ?", [draft_id]).fetchone()
        if exists is None:
            raise GreenlightError(f"no draft with id {draft_id!r}")
        now = utcnow()
        self.db.execute(
            "INSERT INTO ignored_matches (draft_id, rule, match, reason, created) VALUES (?, ?, ?, ?, ?) "
            "ON CONFLICT (draft_id, rule, match) DO UPDATE SET reason = excluded.reason",
            [draft_id, rule, match, reason.strip(), now],
        )
        return IgnoredMatch(draft_id, rule, match, reason.strip(), now)

    def unignore(self, draft_id: str, rule: str, match: str) -> bool:
        cur = self.db.execute(
            "DELETE FROM ignored_matches WHERE draft_id = ? AND rule = ? AND match = ?",
            [draft_id, rule, match],
        )
        return cur.rowcount > 0

    def ignored(self, draft_id: str) -> list[IgnoredMatch]:
        rows = self.db.execute(
            "SELECT draft_id, rule, match, reason, created FROM ignored_matches WHERE draft_id = ? "
            "ORDER BY created",
            [draft_id],
        ).fetchall()
        return [IgnoredMatch(*row) for row in rows]
