"""Forged, altered, replayed and out-of-roster events: each rejected with a clear reason, nothing valid lost.

The crafted events are signed with the real keys of the profiles (in the real OS keyring), through
the ledger's own `append`, i.e. exactly what a modified client of a team member could produce.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fixtures.trust_profiles import Profile, Team


POST = "Join us at the harbour clean-up on Sunday morning."


def craft(profile: Profile, kind: str, payload: dict, draft_id: str | None = None):
    """Sign an arbitrary event with `profile`'s key, bypassing the workflow's own refusals."""
    from desktop.trust.ledger import Ledger

    with profile.active():
        return Ledger(profile.db()).append(kind, payload, draft_id=draft_id)


def submission_of(profile: Profile, draft_id: str):
    from desktop.trust.ledger import Ledger
    from desktop.trust.workflow import current_submission

    with profile.active():
        return current_submission(Ledger(profile.db()), draft_id)


def results_by_id(results: list[dict]) -> dict[str, dict]:
    return {r["id"]: r for r in results if r["id"]}


def event_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.json"))


def submitted_draft(team: Team) -> tuple[Profile, Profile, str]:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST)
    writer.ok("submit", draft)
    team.sync()
    return lead, writer, draft


def test_self_approval_is_refused_and_a_crafted_one_does_not_count(team: Team) -> None:
    lead, writer, draft = submitted_draft(team)
    refused = writer.run("approve", draft)
    assert refused.code == 3 and "your own post" in refused.err

    sub = submission_of(writer, draft)
    forged = craft(
        writer,
        "approval.approved",
        {"submission": sub.id, "content_hash": sub.payload["content_hash"], "accounts": [], "note": ""},
        draft,
    )
    writer.export(team.folder)
    result = results_by_id(lead.import_(team.folder))[forged.id]
    assert result["status"] == "rejected"
    assert "self-approval" in result["reason"]
    status = writer.status(draft)
    assert status["may_publish"] is False
    assert "self-approval by Wes does not count" in status["reasons"]

    # The writer's chain stays whole: a later, valid event of theirs is still accepted by the lead.
    writer.ok("withdraw", draft)
    writer.export(team.folder)
    lead.import_(team.folder)
    assert lead.ok("drafts", "show", draft, "--format", "json").json()["status"] == "draft"


def test_approval_for_other_content_is_rejected(team: Team) -> None:
    from desktop.store.drafts import content_hash

    lead, writer, draft = submitted_draft(team)
    sub = submission_of(lead, draft)
    other = craft(
        lead,
        "approval.approved",
        {
            "submission": sub.id,
            "content_hash": content_hash("something else entirely"),
            "accounts": [],
            "note": "",
        },
        draft,
    )
    lead.export(team.folder)
    result = results_by_id(writer.import_(team.folder))[other.id]
    assert result["status"] == "rejected"
    assert "approval for other content" in result["reason"]
    status = writer.status(draft)
    assert status["may_publish"] is False
    assert "approval by Lena is for other content" in status["reasons"]


def test_replayed_approval_does_not_carry_over_to_a_new_submission(team: Team) -> None:
    lead, writer, draft = submitted_draft(team)
    lead.ok("approve", draft)
    team.sync()
    assert writer.status(draft)["may_publish"] is True
    approval_files = [
        p for p in event_files(team.folder) if json.loads(p.read_text())["kind"] == "approval.approved"
    ]
    assert len(approval_files) == 1

    # The writer edits, then puts the approved text back and submits again: same content hash as the
    # approval, but the approval was given to an earlier submission.
    writer.edit_draft(draft, POST + " Gloves provided.")
    writer.edit_draft(draft, POST)
    writer.ok("withdraw", draft)
    writer.ok("submit", draft)
    # Replaying the old approval file (a copy under another name) changes nothing.
    replay = team.folder / "replayed" / "approval.json"
    replay.parent.mkdir()
    replay.write_bytes(approval_files[0].read_bytes())
    results = writer.import_(team.folder)
    assert {r["status"] for r in results if r["file"] == str(replay)} == {"duplicate"}
    status = writer.status(draft)
    assert status["may_publish"] is False
    assert any("was for an earlier submission" in r for r in status["reasons"])

    # A replay moved to a new position in the lead's chain breaks the signature.
    moved = json.loads(approval_files[0].read_text())
    moved["seq"] += 50
    moved["prev"] = moved["id"]
    moved.pop("id")
    altered = team.folder / "replayed" / "moved.json"
    altered.write_text(json.dumps(moved))
    result = [r for r in writer.import_(team.folder) if r["file"] == str(altered)][0]
    assert result["status"] == "rejected" and "signature does not match" in result["reason"]
    assert writer.status(draft)["may_publish"] is False


def test_altered_event_file_is_rejected_and_valid_files_still_import(team: Team) -> None:
    lead, writer, draft = submitted_draft(team)
    lead.ok("approve", draft, "--note", "fine")
    lead.export(team.folder)
    approval = [
        p for p in event_files(team.folder) if json.loads(p.read_text())["kind"] == "approval.approved"
    ][0]
    data = json.loads(approval.read_text())
    data["payload"]["accounts"] = ["wordpress:blog"]  # widen what the approval covers
    approval.write_text(json.dumps(data))

    results = writer.import_(team.folder)
    bad = [r for r in results if r["file"] == str(approval)][0]
    assert bad["status"] == "rejected"
    assert "event id does not match its content" in bad["reason"] or "signature" in bad["reason"]
    assert all(r["status"] in ("accepted", "duplicate") for r in results if r["file"] != str(approval))
    assert writer.status(draft)["may_publish"] is False

    # The lead re-exports her untouched event under its proper name; nothing valid was lost.
    approval.unlink()
    lead.export(team.folder)
    writer.import_(team.folder)
    assert writer.status(draft)["may_publish"] is True


def test_event_signed_by_a_key_not_in_the_roster_is_held_not_counted(team: Team) -> None:
    lead, writer, draft = submitted_draft(team)
    outsider = team.profile("Olga")
    outsider.init_identity()
    sub = submission_of(writer, draft)
    stranger = craft(
        outsider,
        "approval.approved",
        {
            "submission": sub.id,
            "content_hash": sub.payload["content_hash"],
            "accounts": [],
            "note": "trust me",
        },
        draft,
    )
    outsider.export(team.folder)
    result = results_by_id(writer.import_(team.folder))[stranger.id]
    assert result["status"] == "rejected"
    assert "not in the team roster" in result["reason"]
    assert writer.status(draft)["may_publish"] is False
    held = writer.ok("events", "held", "--format", "json").json()
    assert [h["id"] for h in held] == [stranger.id]

    # Kept aside, not lost: once the lead adds Olga as a Senior, her approval is applied and counts.
    lead.ok("team", "add", "Olga", "--key", outsider.public_key, "--level", "3")
    lead.export(team.folder)
    writer.import_(team.folder)
    assert writer.ok("events", "held", "--format", "json").json() == []
    status = writer.status(draft)
    assert status["may_publish"] is True
    assert [a["name"] for a in status["approvals"]] == ["Olga"]


def test_roster_edited_by_a_non_lead_is_rejected(team: Team) -> None:
    from desktop.trust.roster import roster_payload

    lead, writer, draft = submitted_draft(team)
    shown = writer.ok("team", "show", "--format", "json").json()
    members = [
        {"name": m["name"], "key": m["key"], "level": 4 if m["name"] == "Wes" else m["level"]}
        for m in shown["members"]
    ]
    from desktop.trust.roster import Member

    promoted = craft(
        writer,
        "roster.signed",
        roster_payload(
            "Comms", shown["version"] + 1, [Member(m["name"], m["key"], m["level"]) for m in members]
        ),
    )
    # Not even on the writer's own profile does the self-signed roster take effect.
    assert {m["name"]: m["level"] for m in writer.ok("team", "show", "--format", "json").json()["members"]}[
        "Wes"
    ] == 1
    writer.ok("withdraw", draft)  # a valid event after the bad one
    writer.export(team.folder)
    results = results_by_id(lead.import_(team.folder))
    assert results[promoted.id]["status"] == "rejected"
    assert "roster edited by a non-lead" in results[promoted.id]["reason"]
    roster = lead.ok("team", "show", "--format", "json").json()
    assert {m["name"]: m["level"] for m in roster["members"]} == {"Lena": 4, "Wes": 1}
    assert roster["version"] == shown["version"]
    # Nothing valid lost: the writer's later withdrawal is applied on the lead's profile.
    assert lead.ok("drafts", "show", draft, "--format", "json").json()["status"] == "draft"


def test_team_add_by_a_non_lead_is_refused(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    result = people["Wes"].run("team", "add", "Mallory", "--key", people["Lena"].public_key, "--level", "4")
    assert result.code == 3 and "only a lead" in result.err


def test_forged_author_and_tampered_database_are_caught_by_the_gate(team: Team) -> None:
    lead, writer, draft = submitted_draft(team)
    lead.ok("approve", draft)
    team.sync()
    assert writer.status(draft)["may_publish"] is True

    # An event claiming the lead as author but signed by the writer's key.
    approval = [
        p for p in event_files(team.folder) if json.loads(p.read_text())["kind"] == "approval.approved"
    ][0]
    forged = json.loads(approval.read_text())
    writer_event = [
        p for p in event_files(team.folder) if json.loads(p.read_text())["author"] == writer.public_key
    ][0]
    forged["signature"] = json.loads(writer_event.read_text())["signature"]
    forged.pop("id")
    forged["seq"] = 99
    (team.folder / "forged.json").write_text(json.dumps(forged))
    result = [r for r in writer.import_(team.folder) if r["file"].endswith("forged.json")][0]
    assert result["status"] == "rejected" and "altered or forged" in result["reason"]

    # Editing the approval inside the writer's own database: the gate re-verifies and ignores it.
    db = writer.db()
    row = db.execute("SELECT id, body FROM events WHERE kind = 'approval.approved'").fetchone()
    body = json.loads(row[1])
    body["payload"]["note"] = "edited in SQLite"
    with db.conn:
        db.execute("UPDATE events SET body = ? WHERE id = ?", [json.dumps(body), row[0]])
    status = writer.status(draft)
    assert status["may_publish"] is False
    assert any("does not verify" in r for r in status["reasons"])

    # Raising one's own level in the stored roster: the roster's signature no longer verifies.
    row = db.execute("SELECT id, body FROM events WHERE kind = 'roster.signed' ORDER BY seq DESC").fetchone()
    body = json.loads(row[1])
    for m in body["payload"]["members"]:
        m["level"] = 4
    with db.conn:
        db.execute("UPDATE events SET body = ? WHERE id = ?", [json.dumps(body), row[0]])
    status = writer.status(draft)
    assert status["may_publish"] is False
    assert any("roster's signature does not verify" in r for r in status["reasons"])


def test_editing_the_local_policy_file_does_not_loosen_the_teams_signed_policy(team: Team, tmp_path) -> None:
    """A Contributor rewrites their own policy.yml so level 1 needs no approval. The lead has
    published the team's policy through the shared folder, signed; the gate applies that one."""
    shipped = Path(__file__).resolve().parent.parent / "guidelines" / "policy.yml"
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    (tmp_path / "share").mkdir()
    lead.ok("sync", "--folder", tmp_path / "share", "--publish-team", "--policy", shipped)
    team.sync()

    loosened = shipped.read_text().replace("  1:\n    - approvals: 1\n", "  1: []\n")
    assert loosened != shipped.read_text()
    (writer.home / "policy.yml").write_text(loosened)
    draft = writer.new_draft("Our spring fair opens on Saturday at ten.")

    status = writer.status(draft)
    assert status["may_publish"] is False
    assert "needs 1 approval" in status["requirement"]
    assert any("differs from the team's signed policy" in r for r in status["reasons"])


def test_without_a_signed_team_policy_the_profiles_own_policy_applies(team: Team) -> None:
    """A team that never published a policy keeps using each profile's policy.yml (the documented
    way to set a team policy without the shared folder)."""
    shipped = Path(__file__).resolve().parent.parent / "guidelines" / "policy.yml"
    people = team.start("Lena", {"Wes": 1})
    writer = people["Wes"]
    (writer.home / "policy.yml").write_text(
        shipped.read_text().replace("  1:\n    - approvals: 1\n", "  1: []\n")
    )
    draft = writer.new_draft("Our spring fair opens on Saturday at ten.")
    assert writer.status(draft)["may_publish"] is True
