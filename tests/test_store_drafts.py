"""The drafts store: every save is kept, nothing identical twice, search, trash, restore."""

from __future__ import annotations

import sqlite3

import pytest

from desktop.errors import GreenlightError, NotFoundError
from desktop.store import DraftStore


def test_every_save_keeps_a_revision_and_identical_text_is_not_stored_twice(store: DraftStore) -> None:
    draft = store.create("one", title="T")
    assert store.save(draft.id, "one") is None  # unchanged: no new revision
    store.save(draft.id, "one two")
    store.save(draft.id, "one")  # same text as revision 1 comes back
    history = store.history(draft.id)
    assert [r.text for r in history] == ["one", "one two", "one"]
    assert store.get(draft.id).revisions == 3
    blobs = store.db.execute("SELECT count(*) FROM blobs").fetchone()[0]
    assert blobs == 2  # "one" is stored once although it is revision 1 and 3


def test_list_is_newest_first_and_search_finds_words_and_prefixes(store: DraftStore) -> None:
    a = store.create("Our spring sale starts Monday", title="Sale")
    b = store.create("Conference keynote recap", title="Keynote")
    store.save(a.id, "Our spring sale starts Tuesday")  # a becomes the newest
    assert [d.id for d in store.list()] == [a.id, b.id]
    assert [d.id for d in store.list(search="keyn")] == [b.id]
    assert [d.id for d in store.list(search="tuesday")] == [a.id]
    assert store.list(search="monday") == []  # the old text is no longer the draft's text
    assert [d.id for d in store.list(search='spring "sale')] == [a.id]  # quotes cannot break the query


def test_search_ignores_accents(store: DraftStore) -> None:
    d = store.create("Café opening this weekend")
    assert [s.id for s in store.list(search="cafe")] == [d.id]


def test_trash_hides_draft_until_emptied(store: DraftStore) -> None:
    d = store.create("bye")
    store.trash(d.id)
    assert store.list() == []
    assert [s.id for s in store.list(trashed=True)] == [d.id]
    store.untrash(d.id)
    assert [s.id for s in store.list()] == [d.id]
    store.trash(d.id)
    assert store.empty_trash() == 1
    with pytest.raises(NotFoundError):
        store.get(d.id)
    assert store.db.execute("SELECT count(*) FROM revisions").fetchone()[0] == 0


def test_restore_is_a_new_revision_so_nothing_is_lost(store: DraftStore) -> None:
    d = store.create("first")
    store.save(d.id, "second")
    rev = store.restore_revision(d.id, 1)
    assert rev is not None and rev.number == 3 and rev.origin == "restore:1"
    assert store.get(d.id).text == "first"
    assert [r.text for r in store.history(d.id)] == ["first", "second", "first"]


def test_duplicate_and_rename(store: DraftStore) -> None:
    d = store.create("text", title="Launch", platforms=["x", "bluesky"])
    copy = store.duplicate(d.id)
    assert copy.id != d.id and copy.text == "text" and copy.platforms == ["x", "bluesky"]
    assert copy.title == "Launch (copy)"
    assert store.rename(d.id, "Launch v2").title == "Launch v2"


def test_unknown_id_and_unique_prefix(store: DraftStore) -> None:
    d = store.create("x")
    assert store.get(d.id[:10]).id == d.id
    with pytest.raises(NotFoundError, match="no draft"):
        store.get("NOPE")


def test_unknown_status_is_refused(store: DraftStore) -> None:
    d = store.create("x")
    with pytest.raises(GreenlightError, match="unknown status"):
        store.update(d.id, status="whatever")


def test_large_paste_is_kept_exactly(store: DraftStore) -> None:
    text = ("A line of a very long pasted press release. 🎉\n" * 110_000)[: 5 * 1024 * 1024]
    d = store.create(text)
    reopened = DraftStore.open()
    assert reopened.get(d.id).text == text


def test_wal_and_foreign_keys_are_on(store: DraftStore) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.db.execute(
            "INSERT INTO revisions (draft_id, number, created, content_hash) VALUES ('missing', 1, 'now', 'h')"
        )
