"""The ledger: hash-chained events, import verdicts (accepted, duplicate, pending, rejected), event files.

These exercise the ledger's own rules with in-memory keys (`Ledger(db, key=...)`); signing through
the OS keyring is covered by the profile tests.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.store.database import open_database
from desktop.trust.events import Event, EventError, public_key_text
from desktop.trust.ledger import Ledger
from desktop.trust.roster import Member, pin_root, roster_payload


def key_text(key: Ed25519PrivateKey) -> str:
    return public_key_text(key.public_key())


@pytest.fixture
def pair(tmp_path: Path):
    """A lead's ledger and a member's ledger, both knowing the roster (lead 4, member 1)."""
    lead_key, member_key = Ed25519PrivateKey.generate(), Ed25519PrivateKey.generate()
    lead = Ledger(open_database(tmp_path / "lead.db"), key=lead_key)
    member = Ledger(open_database(tmp_path / "member.db"), key=member_key)
    for ledger in (lead, member):
        pin_root(ledger.db, key_text(lead_key))
    roster = lead.append(
        "roster.signed",
        roster_payload(
            "T", 1, [Member("Lead", key_text(lead_key), 4), Member("Mo", key_text(member_key), 1)]
        ),
    )
    assert member.import_event(roster.to_json()).status == "accepted"
    return lead, member


def revision(ledger: Ledger, text: str, draft_id: str = "01DRAFT") -> Event:
    from desktop.store.drafts import content_hash

    payload = {"title": "", "text": text, "platforms": [], "accounts": [], "content_hash": content_hash(text)}
    earlier = ledger.draft_events(draft_id, ("draft.revised",))
    base = earlier[-1].id if earlier else None  # edited from the previous revision, as the workflow does
    return ledger.append("draft.revised", {**payload, "base": base}, draft_id=draft_id)


def test_events_chain_by_author(pair) -> None:
    lead, _ = pair
    first, second = revision(lead, "a"), revision(lead, "b")
    assert second.seq == first.seq + 1 and second.prev == first.id
    assert [e.id for e in lead.own_events()][-2:] == [first.id, second.id]


def test_strict_event_parsing() -> None:
    key = Ed25519PrivateKey.generate()
    event = Event("draft.revised", key_text(key), 1, None, "2024-01-01T00:00:00Z", {"x": 1}).signed(key)
    data = event.to_json()
    assert Event.from_json(data).id == event.id
    for field, value, words in [
        ("seq", "1", "whole number"),
        ("seq", 0, "whole number"),
        ("prev", 5, "must be a str"),
        ("payload", [], "must be a dict"),
        ("prev", "abc", "only an author's first event"),
    ]:
        with pytest.raises(EventError, match=words):
            Event.from_json({**data, field: value})
    with pytest.raises(EventError, match="missing field"):
        Event.from_json({k: v for k, v in data.items() if k != "author"})
    with pytest.raises(EventError, match="altered or forged"):
        Event.from_json({**data, "payload": {"x": 2}, "id": None})


def test_gap_is_pending_then_applied_and_duplicates_are_idempotent(pair) -> None:
    lead, member = pair
    events = [revision(lead, t) for t in ("one", "two", "three")]
    assert member.import_event(events[2].to_json()).status == "pending"
    assert member.import_event(events[1].to_json()).status == "pending"
    assert "waiting for earlier events" in member.held()[0][2]
    assert member.import_event(events[0].to_json()).status == "accepted"
    assert member.held() == []
    assert [e.id for e in member.events() if e.kind == "draft.revised"] == [e.id for e in events]
    assert member.import_event(events[1].to_json()).status == "duplicate"
    # The draft arrived under its own id, with the latest text.
    assert member.db.execute("SELECT text FROM drafts WHERE id = '01DRAFT'").fetchone()[0] == "three"


def test_fork_is_rejected_and_the_first_event_kept(pair, tmp_path: Path) -> None:
    lead, member = pair
    original = revision(lead, "original")
    member.import_event(original.to_json())
    # Same author and position, different content: what a rewritten history looks like.
    fork = Event(
        original.kind,
        original.author,
        original.seq,
        original.prev,
        original.created,
        {**original.payload, "title": "rewritten"},
        original.draft_id,
    ).signed(lead._key)
    result = member.import_event(fork.to_json())
    assert result.status == "rejected" and "replay or a rewritten history" in result.reason
    assert member.get(original.id) is not None and member.get(fork.id) is None


def test_export_writes_one_file_per_event_atomically_and_never_overwrites(pair, tmp_path: Path) -> None:
    lead, member = pair
    revision(lead, "hello")
    folder = tmp_path / "out"
    n = lead.export_to(folder)
    files = sorted(folder.rglob("*.json"))
    assert n == len(lead.events()) == len(files)
    for path in files:
        data = json.loads(path.read_text())
        assert path.name == f"{data['seq']:08d}-{data['id']}.json"
        assert path.parent.name.count("-") == 3 and len(path.parent.name) == 19
    assert not [p for p in folder.rglob("*") if p.name.startswith(".gl-tmp-")]
    assert lead.export_to(folder) == 0
    # A damaged file with a taken name is left alone (its owner repairs it), not overwritten.
    files[0].write_text("damaged")
    assert lead.export_to(folder) == 0 and files[0].read_text() == "damaged"


def test_import_from_skips_partial_files_and_loses_nothing_valid(pair, tmp_path: Path) -> None:
    lead, member = pair
    for text in ("a", "b", "c"):
        revision(lead, text)
    folder = tmp_path / "shared"
    lead.export_to(folder)
    partial = folder / "partial.json"
    partial.write_text(next(folder.rglob("0000000*.json")).read_text()[:40])
    (folder / ".gl-tmp-123-x.json").write_text("{")
    results = dict(member.import_from(folder))
    assert results[partial].status == "rejected" and "partial or damaged" in results[partial].reason
    assert all(r.status in ("accepted", "duplicate") for p, r in results.items() if p != partial)
    assert len(member.events()) == len(lead.events())


def test_events_since_received(pair) -> None:
    lead, member = pair
    mark = member.db.execute("SELECT max(received) FROM events").fetchone()[0]
    new = revision(lead, "later")
    member.import_event(new.to_json())
    assert [e.id for e in member.events(since_received=mark)] == [new.id]


def test_write_new_file_refuses_an_existing_name(tmp_path: Path) -> None:
    from desktop.trust.ledger import write_new_file

    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "x.json"
    assert write_new_file(target, b"one") is True
    assert write_new_file(target, b"two") is False
    assert target.read_bytes() == b"one"
    assert os.listdir(tmp_path / "out") == ["x.json"]  # no temp files left behind


def test_concurrent_edit_keeps_the_local_text_and_both_versions(pair) -> None:
    from desktop.store import DraftStore

    lead, member = pair
    first = revision(lead, "first")
    member.import_event(first.to_json())
    DraftStore(member.db).save("01DRAFT", "member's own edit")
    theirs = revision(lead, "lead's edit")  # edited from `first` too
    assert member.import_event(theirs.to_json()).status == "accepted"
    assert DraftStore(member.db).get("01DRAFT").text == "member's own edit"
    assert member.get(theirs.id).payload["base"] == first.id  # the sync layer shows this conflict
