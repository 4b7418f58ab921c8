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


def _review_notes(db: sqlite_utils.Database) -> None:
    """Self-review acknowledgements (bound to a revision) and per-draft ignored matches (desktop.store.review_notes)."""
    db.execute(
        """
        CREATE TABLE acknowledgements (
            id INTEGER PRIMARY KEY,
            draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
            revision_number INTEGER NOT NULL,
            rule TEXT NOT NULL,
            severity TEXT NOT NULL,
            start_offset INTEGER NOT NULL,
            end_offset INTEGER NOT NULL,
            match TEXT NOT NULL DEFAULT '',
            message TEXT NOT NULL DEFAULT '',
            reason TEXT NOT NULL,
            created TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX acknowledgements_by_revision ON acknowledgements(draft_id, revision_number)")
    db.execute(
        """
        CREATE TABLE ignored_matches (
            draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
            rule TEXT NOT NULL,
            match TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '',
            created TEXT NOT NULL,
            PRIMARY KEY (draft_id, rule, match)
        )
        """
    )


def _events(db: sqlite_utils.Database) -> None:
    """Signed, hash-chained events (desktop.trust.ledger) and what is held back from them."""
    # `body` is the complete signed JSON, so every check can be re-run from what is stored.
    # `void` is set for an event that is validly signed and chained but does not count (e.g. a
    # self-approval): it stays so the author's chain stays whole, and the reason is shown.
    db.execute(
        """
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            author TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            draft_id TEXT,
            created TEXT NOT NULL,
            body TEXT NOT NULL,
            received TEXT NOT NULL,
            void TEXT,
            UNIQUE (author, seq)
        )
        """
    )
    db.execute("CREATE INDEX events_by_draft ON events(draft_id, kind)")
    db.execute("CREATE INDEX events_by_received ON events(received)")
    db.execute("CREATE INDEX events_by_kind ON events(kind)")
    # Events that cannot be applied yet: a gap in the author's chain, or an author the roster does
    # not list (yet). Re-tried whenever the ledger or roster changes; never silently dropped.
    db.execute(
        """
        CREATE TABLE events_held (
            id TEXT PRIMARY KEY,
            author TEXT NOT NULL,
            seq INTEGER NOT NULL,
            kind TEXT NOT NULL,
            body TEXT NOT NULL,
            received TEXT NOT NULL,
            status TEXT NOT NULL,
            reason TEXT NOT NULL
        )
        """
    )
    # This profile's identity: public parts only. The private key is in the OS keyring, under
    # (keyring_service, keyring_user), recorded here so a moved profile still finds it.
    db.execute(
        """
        CREATE TABLE identity (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            name TEXT NOT NULL,
            public_key TEXT NOT NULL,
            keyring_service TEXT NOT NULL,
            keyring_user TEXT NOT NULL,
            created TEXT NOT NULL
        )
        """
    )
    # The team's root key, pinned by `team init` / `team join` (or an installer), never by an event.
    db.execute(
        """
        CREATE TABLE team_pin (
            id INTEGER PRIMARY KEY CHECK (id = 1),
            root_key TEXT NOT NULL,
            pinned TEXT NOT NULL
        )
        """
    )


def _publishing(db: sqlite_utils.Database) -> None:
    """Publishing accounts (the secret stays in the OS keyring; only its keyring name is kept here),
    publish records (one per draft x account x content: the outbox and the history of results) and
    the images a publish carries, kept so a retry from the outbox does not depend on the original file."""
    db.execute(
        """
        CREATE TABLE accounts (
            id TEXT PRIMARY KEY,
            platform TEXT NOT NULL,
            handle TEXT NOT NULL,
            server TEXT NOT NULL,
            min_trust_level INTEGER NOT NULL DEFAULT 0,
            secret_service TEXT NOT NULL,
            secret_username TEXT NOT NULL,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            last_tested TEXT,
            last_test_ok INTEGER,
            last_test_message TEXT,
            UNIQUE (platform, handle, server)
        )
        """
    )
    db.execute(
        """
        CREATE TABLE publish_records (
            id TEXT PRIMARY KEY,
            draft_id TEXT NOT NULL,
            account_id TEXT NOT NULL,
            account_name TEXT NOT NULL,
            platform TEXT NOT NULL,
            content_hash TEXT NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt TEXT,
            error_kind TEXT,
            last_error TEXT,
            plan TEXT NOT NULL,
            progress TEXT NOT NULL DEFAULT '{}',
            remote_id TEXT,
            url TEXT,
            published_at TEXT,
            created TEXT NOT NULL,
            updated TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX publish_records_by_state ON publish_records(state, next_attempt)")
    db.execute("CREATE INDEX publish_records_by_draft ON publish_records(draft_id, account_id, content_hash)")
    db.execute(
        """
        CREATE TABLE publish_media (
            record_id TEXT NOT NULL REFERENCES publish_records(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            filename TEXT NOT NULL,
            mime TEXT NOT NULL,
            alt TEXT NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY (record_id, position)
        )
        """
    )


def _sync_state(db: sqlite_utils.Database) -> None:
    """Shared-folder sync (desktop/sync): what was seen in the folder, quarantine, shared drafts."""
    # Per-folder listing cache: a folder whose mtime has not moved is not listed again.
    db.execute(
        "CREATE TABLE sync_dirs (path TEXT PRIMARY KEY, mtime_ns INTEGER NOT NULL, stable INTEGER NOT NULL)"
    )
    # Every file name seen in the team folder and what became of it (imported, quarantined, ...).
    db.execute(
        """
        CREATE TABLE sync_files (
            folder TEXT NOT NULL,
            name TEXT NOT NULL,
            size INTEGER NOT NULL,
            mtime_ns INTEGER NOT NULL,
            status TEXT NOT NULL,
            event_id TEXT,
            reason TEXT,
            PRIMARY KEY (folder, name)
        ) WITHOUT ROWID
        """
    )
    db.execute("CREATE INDEX sync_files_by_status ON sync_files(status, folder)")
    db.execute(
        """
        CREATE TABLE sync_quarantine (
            id INTEGER PRIMARY KEY,
            folder TEXT NOT NULL,
            name TEXT NOT NULL,
            reason TEXT NOT NULL,
            size INTEGER NOT NULL,
            sha256 TEXT NOT NULL,
            copy TEXT,
            first_seen TEXT NOT NULL,
            last_seen TEXT NOT NULL,
            status TEXT NOT NULL DEFAULT 'open',
            UNIQUE (folder, name, sha256)
        )
        """
    )
    # The version of each shared draft last written into `drafts` by sync, to tell local edits apart.
    db.execute(
        """
        CREATE TABLE sync_drafts (
            draft_id TEXT PRIMARY KEY,
            head_event TEXT,
            content_hash TEXT NOT NULL,
            title TEXT NOT NULL,
            platforms TEXT NOT NULL,
            accounts TEXT NOT NULL,
            local_updated TEXT NOT NULL,
            conflicted INTEGER NOT NULL DEFAULT 0
        )
        """
    )
    db.execute("CREATE INDEX sync_drafts_conflicted ON sync_drafts(conflicted) WHERE conflicted = 1")
    db.execute("CREATE TABLE sync_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")


def _draft_media(db: sqlite_utils.Database) -> None:
    # Images attached to a draft. Only the path is kept (the file stays where the writer has it);
    # the alt text lives here so the editor can flag an image without one before publishing.
    db.execute(
        """
        CREATE TABLE draft_media (
            id INTEGER PRIMARY KEY,
            draft_id TEXT NOT NULL REFERENCES drafts(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            path TEXT NOT NULL,
            alt TEXT NOT NULL DEFAULT '',
            added TEXT NOT NULL
        )
        """
    )
    db.execute("CREATE INDEX draft_media_by_draft ON draft_media(draft_id, position)")


MIGRATIONS: list[Migration] = [
    ("0001_drafts_and_revisions", _drafts_and_revisions),
    ("0002_full_text_search", _full_text_search),
    ("0100_review_notes", _review_notes),
    ("0003_events", _events),
    ("0500_publishing", _publishing),
    ("0900_sync_state", _sync_state),
    ("1000_draft_media", _draft_media),
]
