"""Named schema migrations, recorded in the database they were applied to.

Each migration runs once, in order, inside a transaction. A database that records a migration this
app does not know was written by a newer Greenlight: it is refused untouched rather than guessed at.
Append new migrations at the end; never rename or reorder shipped ones.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlite_utils

Migration = tuple[str, Callable[[sqlite_utils.Database], None]]


def _drafts_and_revisions(db: sqlite_utils.Database) -> None:
    db.execute(
        """
        CREATE TABLE drafts (
            id TEXT PRIMARY KEY,
            title TEXT NOT NULL DEFAULT '',
            text TEXT NOT NULL DEFAULT '',
            status TEXT NOT NULL DEFAULT 'draft',
            tags TEXT NOT NULL DEFAULT '[]',
            platforms TEXT NOT NULL DEFAULT '[]',
            accounts TEXT NOT NULL DEFAULT '[]',
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            trashed TEXT,
            shared INTEGER NOT NULL DEFAULT 0,
            revision_count INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX drafts_by_updated ON drafts(trashed, updated DESC)")
    # Revision text is content-addressed: identical text is stored once, however often it recurs.
    db.execute(
        """
        CREATE TABLE blobs (
            hash TEXT PRIMARY KEY,
            text TEXT NOT NULL
        )
        """
    )
    db.execute(
        """
        CREATE TABLE revisions (
            id INTEGER PRIMARY KEY,
            draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
            number INTEGER NOT NULL,
            created TEXT NOT NULL,
            content_hash TEXT NOT NULL REFERENCES blobs(hash),
            origin TEXT NOT NULL DEFAULT 'edit',
            UNIQUE (draft_id, number)
        )
        """
    )
    db.execute("CREATE INDEX revisions_by_hash ON revisions(content_hash)")


def _full_text_search(db: sqlite_utils.Database) -> None:
    # Written out rather than through `enable_fts`, whose executescript would commit mid-migration.
    db.execute(
        "CREATE VIRTUAL TABLE drafts_fts USING fts5(title, text, content='drafts', content_rowid='rowid',"
        " tokenize='unicode61 remove_diacritics 2')"
    )
    db.execute(
        "CREATE TRIGGER drafts_fts_ai AFTER INSERT ON drafts BEGIN "
        "INSERT INTO drafts_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
    )
    db.execute(
        "CREATE TRIGGER drafts_fts_ad AFTER DELETE ON drafts BEGIN "
        "INSERT INTO drafts_fts(drafts_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);"
        " END"
    )
    db.execute(
        "CREATE TRIGGER drafts_fts_au AFTER UPDATE OF title, text ON drafts BEGIN "
        "INSERT INTO drafts_fts(drafts_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);"
        " INSERT INTO drafts_fts(rowid, title, text) VALUES (new.rowid, new.title, new.text); END"
    )
    db.execute("INSERT INTO drafts_fts(drafts_fts) VALUES ('rebuild')")


MIGRATIONS: list[Migration] = [
    ("0001_drafts_and_revisions", _drafts_and_revisions),
    ("0002_full_text_search", _full_text_search),
]
