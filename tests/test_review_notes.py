"""Self-review acknowledgements and ignored matches in the real SQLite store (no Qt)."""

from __future__ import annotations

import pytest

from desktop.errors import GreenlightError
from desktop.store.review_notes import Acknowledgement, ReviewNotes


def ack(draft_id: str, number: int, reason: str = "official name", match: str = "synergy") -> Acknowledgement:
    return Acknowledgement(draft_id, number, "House.Banned", "error", 4, 11, match, "Don't", reason)


def test_acknowledgements_are_bound_to_a_revision(store):
    draft = store.create("Our synergy day")
    notes = ReviewNotes(store.db)
    notes.acknowledge(draft.id, 1, [ack(draft.id, 1)])
    store.save(draft.id, "Our synergy day is back")
    assert [a.reason for a in notes.acknowledgements(draft.id, 1)] == ["official name"]
    assert notes.acknowledgements(draft.id, 2) == []


def test_acknowledging_again_replaces_that_revisions_acknowledgements(store):
    draft = store.create("Our synergy day")
    notes = ReviewNotes(store.db)
    notes.acknowledge(draft.id, 1, [ack(draft.id, 1, "first")])
    notes.acknowledge(draft.id, 1, [ack(draft.id, 1, "second")])
    assert [a.reason for a in notes.acknowledgements(draft.id)] == ["second"]


def test_an_acknowledgement_needs_a_reason_and_an_existing_revision(store):
    draft = store.create("text")
    notes = ReviewNotes(store.db)
    with pytest.raises(GreenlightError, match="needs a reason"):
        notes.acknowledge(draft.id, 1, [ack(draft.id, 1, "  ")])
    with pytest.raises(GreenlightError, match="no revision 7"):
        notes.acknowledge(draft.id, 7, [ack(draft.id, 7)])
    assert notes.acknowledgements(draft.id) == []


def test_ignored_matches_are_per_draft_and_update_their_reason(store):
    a = store.create("synergy")
    b = store.create("synergy too")
    notes = ReviewNotes(store.db)
    notes.ignore(a.id, "House.Banned", "synergy", "name of the event")
    notes.ignore(a.id, "House.Banned", "synergy", "event name")
    assert [(m.rule, m.match, m.reason) for m in notes.ignored(a.id)] == [
        ("House.Banned", "synergy", "event name")
    ]
    assert notes.ignored(b.id) == []
    assert notes.unignore(a.id, "House.Banned", "synergy")
    assert notes.ignored(a.id) == []
    with pytest.raises(GreenlightError, match="no draft"):
        notes.ignore("NOPE", "House.Banned", "x")


def test_notes_go_with_the_draft_when_the_trash_is_emptied(store):
    draft = store.create("synergy")
    notes = ReviewNotes(store.db)
    notes.ignore(draft.id, "House.Banned", "synergy")
    notes.acknowledge(draft.id, 1, [ack(draft.id, 1)])
    store.trash(draft.id)
    store.empty_trash()
    assert notes.ignored(draft.id) == [] and notes.acknowledgements(draft.id) == []
