"""Opening the profile's SQLite file safely: WAL, foreign keys, migrations, clear refusals.

The store never overwrites or recreates a database it cannot read: a corrupt file or one from a
newer app is left exactly as it was, and the user is told what to do.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from desktop.errors import GreenlightError
from desktop.store.migrations import MIGRATIONS

MIGRATIONS_TABLE = "_greenlight_migrations"


class DatabaseError(GreenlightError):
    """The database cannot be used; the message says which file and what to do."""


@contextmanager
def write_transaction(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """BEGIN IMMEDIATE ... COMMIT, rolled back on any error, or join the transaction already open.

    IMMEDIATE takes the write lock up front, so two writers wait for each other instead of failing
    mid-way; a killed process leaves the last committed state intact.
    """
    outer = not conn.in_transaction
    if outer:
        conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        if outer:
            conn.execute("ROLLBACK")
        raise
    if outer:
        conn.execute("COMMIT")


def utcnow() -> str:
    """Timestamps are ISO 8601 UTC with microseconds, so they sort as text."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def open_database(path: Path | str, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if absent) the database at `path` and bring its schema up to date."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    existed = path.exists() and path.stat().st_size > 0
    try:
        conn = sqlite3.connect(str(path), timeout=30, check_same_thread=False, isolation_level=None)
    except sqlite3.Error as exc:
        raise DatabaseError(f"{path}: cannot open the database ({exc})") from None
    try:
        # Reading the schema is the cheapest thing that fails on a file that is not SQLite.
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        conn.execute("PRAGMA foreign_keys = ON")
        mode = _switch_to_wal(conn)
        # FULL: a committed autosave survives power loss, not only a killed process.
        conn.execute("PRAGMA synchronous = FULL")
        conn.execute("PRAGMA busy_timeout = 30000")
    except sqlite3.OperationalError as exc:
        conn.close()
        if _is_busy(exc):
            raise DatabaseError(
                f"{path}: is locked by another program for too long ({exc}); close other Greenlight "
                "windows or commands using this profile and try again"
            ) from None
        raise DatabaseError(f"{path}: is not a readable Greenlight database ({exc}). {_UNTOUCHED}") from None
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise DatabaseError(f"{path}: is not a readable Greenlight database ({exc}). {_UNTOUCHED}") from None
    if str(mode).lower() != "wal":
        conn.close()
        raise DatabaseError(f"{path}: could not switch to WAL mode (got {mode}); is the folder read-only?")
    db = sqlite_utils.Database(conn)
    try:
        _check_not_newer(db, path)
        if migrate:
            apply_migrations(db)
    except sqlite3.DatabaseError as exc:
        conn.close()
        state = "It was left untouched." if existed else ""
        raise DatabaseError(f"{path}: database error while opening ({exc}). {state}".strip()) from None
    return db


_UNTOUCHED = (
    "It was left untouched. Restore it from a backup, or move it aside and Greenlight will start a new one."
)


def _is_busy(exc: sqlite3.OperationalError) -> bool:
    return "locked" in str(exc) or "busy" in str(exc)


def _switch_to_wal(conn: sqlite3.Connection, attempts: int = 50) -> str:
    """Turn on WAL. Switching needs an exclusive lock, and SQLite answers "database is locked" at
    once (without waiting on the busy timeout) while another connection sets up a new profile, so
    retry briefly: the app's worker threads all open the store at start-up."""
    for attempt in range(attempts):
        try:
            return str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0])
        except sqlite3.OperationalError as exc:
            if not _is_busy(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def applied_migrations(db: sqlite_utils.Database) -> list[str]:
    if MIGRATIONS_TABLE not in db.table_names():
        return []
    return [row[0] for row in db.execute(f"SELECT name FROM [{MIGRATIONS_TABLE}] ORDER BY rowid")]


def _check_not_newer(db: sqlite_utils.Database, path: Path) -> None:
    known = {name for name, _ in MIGRATIONS}
    unknown = [name for name in applied_migrations(db) if name not in known]
    if unknown:
        raise DatabaseError(
            f"{path}: was written by a newer version of Greenlight (schema step {unknown[-1]!r} is unknown "
            "to this version). Nothing was changed; install the newer Greenlight to open it."
        )


def apply_migrations(db: sqlite_utils.Database) -> list[str]:
    """Apply pending migrations in order, each in its own transaction. Returns the names applied."""
    if MIGRATIONS_TABLE not in db.table_names():
        db.execute(
            f"CREATE TABLE IF NOT EXISTS [{MIGRATIONS_TABLE}] (name TEXT PRIMARY KEY, applied TEXT NOT NULL)"
        )
    done = set(applied_migrations(db))
    applied = []
    for name, migration in MIGRATIONS:
        if name in done:
            continue
        with db.conn:
            db.execute("BEGIN IMMEDIATE")
            # Another process may have migrated while we waited for the write lock.
            if db.execute(f"SELECT 1 FROM [{MIGRATIONS_TABLE}] WHERE name = ?", [name]).fetchone():
                continue
            migration(db)
            db.execute(f"INSERT INTO [{MIGRATIONS_TABLE}] (name, applied) VALUES (?, ?)", [name, utcnow()])
        applied.append(name)
    return applied
