"""Files from the team folder that could not be applied: kept locally, with the reason, never applied.

The file in the shared folder is left where it is: it may be a download still in progress that
becomes valid a minute later, or evidence a lead wants to see, and deleting it would delete it for
the whole team. What this profile keeps is a copy (under `<profile>/sync-quarantine/`, unless it is
too big to be an event) and a row saying which file, why, and when it was first and last seen.
When the same file later turns out valid (a partial download completed), its row is marked
`recovered`, so the status bar stops reporting it.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from desktop.store.database import utcnow

COPY_LIMIT = 4 * 1024 * 1024  # larger bad files are recorded but not copied


@dataclass(frozen=True)
class QuarantinedFile:
    id: int
    folder: str
    name: str
    reason: str
    size: int
    sha256: str
    copy: str | None
    first_seen: str
    last_seen: str
    status: str

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "file": f"users/{self.folder}/events/{self.name}",
            "reason": self.reason,
            "size": self.size,
            "sha256": self.sha256,
            "copy": self.copy,
            "first_seen": self.first_seen,
            "last_seen": self.last_seen,
            "status": self.status,
        }


class Quarantine:
    """The `sync_quarantine` table plus the local copies folder."""

    def __init__(self, db: sqlite_utils.Database, folder: Path) -> None:
        self.db = db
        self.folder = folder

    def add(self, folder: str, name: str, reason: str, data: bytes | None, size: int) -> None:
        """Record a bad file (idempotent for the same bytes); copy it aside when small enough."""
        digest = hashlib.sha256(data).hexdigest() if data is not None else "unread"
        now = utcnow()
        row = self.db.execute(
            "SELECT id FROM sync_quarantine WHERE folder = ? AND name = ? AND sha256 = ?",
            [folder, name, digest],
        ).fetchone()
        if row:
            self.db.execute(
                "UPDATE sync_quarantine SET last_seen = ?, reason = ?, status = 'open' WHERE id = ?",
                [now, reason, row[0]],
            )
            return
        copy = None
        if data is not None and len(data) <= COPY_LIMIT:
            self.folder.mkdir(parents=True, exist_ok=True)
            # The local copy's name is ours: digest plus a sanitised hint of the original name.
            hint = re.sub(r"[^A-Za-z0-9._()-]+", "_", name)[:80]
            target = self.folder / f"{digest[:16]}-{hint}"
            if not target.exists():
                target.write_bytes(data)
            copy = str(target)
        self.db.execute(
            "INSERT INTO sync_quarantine (folder, name, reason, size, sha256, copy, first_seen, last_seen) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [folder, name, reason, size, digest, copy, now, now],
        )

    def recovered(self, folder: str, name: str) -> None:
        """The file now reads as a valid event: its earlier problems are history, not open issues."""
        self.db.execute(
            "UPDATE sync_quarantine SET status = 'recovered' WHERE folder = ? AND name = ? AND status = 'open'",
            [folder, name],
        )

    def vanished(self, folder: str, names: list[str]) -> None:
        """Someone removed bad files from the folder: keep the record and copy, mark them gone."""
        self.db.conn.executemany(
            "UPDATE sync_quarantine SET status = 'gone' WHERE folder = ? AND name = ? AND status = 'open'",
            [(folder, n) for n in names],
        )

    def list(self, *, include_closed: bool = False) -> list[QuarantinedFile]:
        where = "" if include_closed else "WHERE status = 'open'"
        rows = self.db.execute(
            "SELECT id, folder, name, reason, size, sha256, copy, first_seen, last_seen, status "
            f"FROM sync_quarantine {where} ORDER BY id"
        ).fetchall()
        return [QuarantinedFile(*r) for r in rows]

    def open_count(self) -> int:
        return self.db.execute("SELECT count(*) FROM sync_quarantine WHERE status = 'open'").fetchone()[0]
