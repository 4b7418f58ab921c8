"""The profile's sync settings: which team folder it syncs with (remembered after the first use).

Kept in the profile database (`sync_settings`), never in the shared folder: each member's folder
path differs (`C:\\Users\\ana\\OneDrive\\Comms` vs `/home/bo/Dropbox/Comms`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop.errors import GreenlightError


def get(db: sqlite_utils.Database, key: str) -> str | None:
    row = db.execute("SELECT value FROM sync_settings WHERE key = ?", [key]).fetchone()
    return row[0] if row else None


def put(db: sqlite_utils.Database, key: str, value: str) -> None:
    with db.conn:
        db.execute("INSERT OR REPLACE INTO sync_settings (key, value) VALUES (?, ?)", [key, value])


def folder(db: sqlite_utils.Database) -> Path | None:
    value = get(db, "folder")
    return Path(value) if value else None


def remember_folder(db: sqlite_utils.Database, path: Path) -> None:
    put(db, "folder", str(path))


def require_folder(db: sqlite_utils.Database, given: Path | None) -> Path:
    """The folder given now (and remember it), else the remembered one, else a clear error."""
    if given is not None:
        return given
    remembered = folder(db)
    if remembered is None:
        raise GreenlightError(
            "no sync folder set for this profile: run `greenlight sync --folder DIR` once with your team's "
            "shared folder (OneDrive, Dropbox, an SMB share); it is remembered after that"
        )
    return remembered


def last_sync(db: sqlite_utils.Database) -> dict[str, Any] | None:
    value = get(db, "last_sync")
    return json.loads(value) if value else None
