"""Approval workflow across profiles: separate GREENLIGHT_HOMEs, each with its own key in the real OS
keyring (gnome-keyring on a private D-Bus), exchanging signed event files through a folder."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fixtures.trust_profiles import Team


POST = "Our spring fair opens on Saturday at ten. Bring the family!"


def test_level1_writer_is_refused_until_a_lead_approves(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST)

    before = writer.status(draft)
    assert before["may_publish"] is False
    assert any("not submitted" in r for r in before["reasons"])
    assert "needs 1 approval" in before["requirement"]

    writer.ok("submit", draft)
    team.sync()
    # The lead's profile now has the draft under the same id, with the same text.
    assert lead.ok("drafts", "show", draft, "--format", "json").json()["text"] == POST
    assert lead.status(draft)["may_publish"] is True  # a lead may publish it herself
    assert writer.status(draft)["may_publish"] is False

    lead.ok("approve", draft, "--note", "lovely")
    team.sync()
    after = writer.status(draft)
    assert after["may_publish"] is True, after["reasons"]
    assert [a["name"] for a in after["approvals"]] == ["Lena"]


def test_an_edit_voids_the_approval_and_the_approver_sees_the_diff(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST)
    writer.ok("submit", draft)
    team.sync()
    lead.ok("approve", draft)
    team.sync()
    assert writer.status(draft)["may_publish"] is True

    writer.edit_draft(draft, POST + " Free entry.")
    voided = writer.status(draft)
    assert voided["may_publish"] is False
    assert any("edited after it was submitted" in r and "voids" in r for r in voided["reasons"])

    writer.ok("submit", draft)
    team.sync()
    # The lead's copy followed the edit; she sees what changed since she approved.
    review = lead.status(draft)["review"]
    assert "+" + POST + " Free entry." in review["diff_against_last_approved"]
    assert "-" + POST in review["diff_against_last_approved"]
    assert writer.status(draft)["may_publish"] is False
    lead.ok("approve", draft)
    team.sync()
    assert writer.status(draft)["may_publish"] is True


def test_level0_needs_two_distinct_approvers(team: Team) -> None:
    people = team.start("Lena", {"Sam": 3, "Tia": 0})
    lead, senior, trainee = people["Lena"], people["Sam"], people["Tia"]
    draft = trainee.new_draft(POST)
    trainee.ok("submit", draft)
    team.sync()

    lead.ok("approve", draft)
    again = lead.run("approve", draft)
    assert again.code == 2 and "already approved" in again.err
    team.sync()
    one = trainee.status(draft)
    assert one["may_publish"] is False
    assert one["required"] == 2
    assert any("has 1 of 2 approvals" in r for r in one["reasons"])

    senior.ok("approve", draft)
    team.sync()
    two = trainee.status(draft)
    assert two["may_publish"] is True, two["reasons"]
    assert sorted(a["name"] for a in two["approvals"]) == ["Lena", "Sam"]


def test_three_profiles_converge_whatever_the_import_order(team: Team) -> None:
    people = team.start("Lena", {"Sam": 3, "Tia": 0})
    lead, senior, trainee = people["Lena"], people["Sam"], people["Tia"]
    draft = trainee.new_draft(POST)
    trainee.ok("submit", draft)
    # Each approver gets the submission through a folder of their own, then the trainee reads both.
    for approver in (senior, lead):
        inbox = team.base / f"to-{approver.name}"
        trainee.export(inbox)
        approver.import_(inbox)
        approver.ok("approve", draft)
    for approver in (lead, senior):
        outbox = team.base / f"from-{approver.name}"
        approver.export(outbox)
        trainee.import_(outbox)
        trainee.import_(outbox)  # importing twice changes nothing
    assert trainee.status(draft)["may_publish"] is True
    team.sync()
    assert senior.ok("drafts", "show", draft, "--format", "json").json()["status"] == "approved"


def test_reject_needs_a_note_and_blocks_until_resubmitted(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST)
    writer.ok("submit", draft)
    team.sync()

    no_note = lead.run("reject", draft)
    assert no_note.code == 2 and "--note" in no_note.err
    blank = lead.run("reject", draft, "--note", "  ")
    assert blank.code == 2 and "note" in blank.err
    lead.ok("reject", draft, "--note", "wrong date: the fair is on Sunday")
    team.sync()
    status = writer.status(draft)
    assert status["may_publish"] is False
    assert "rejected by Lena: wrong date: the fair is on Sunday" in status["reasons"]
    assert writer.ok("drafts", "show", draft, "--format", "json").json()["status"] == "rejected"
    # A rejected submission cannot be approved any more; the writer fixes it and submits again.
    late = lead.run("approve", draft)
    assert late.code == 3 and "submit again" in late.err

    writer.edit_draft(draft, POST.replace("Saturday", "Sunday"))
    writer.ok("submit", draft)
    team.sync()
    lead.ok("approve", draft)
    team.sync()
    assert writer.status(draft)["may_publish"] is True


def test_withdraw_and_request_changes_with_span_comments(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST)
    writer.ok("submit", draft)
    team.sync()

    not_mine = lead.run("withdraw", draft)
    assert not_mine.code == 3 and "only the writer who submitted" in not_mine.err
    lead.ok("request-changes", draft, "--note", "nearly", "--comment", "33:39:say which Saturday")
    team.sync()
    status = writer.status(draft)
    assert status["may_publish"] is False
    assert any(r.startswith("changes requested by Lena") for r in status["reasons"])
    comments = [h for h in status["review"]["history"] if h["kind"] == "approval.changes_requested"][0][
        "comments"
    ]
    assert comments == [{"start": 33, "end": 39, "quote": POST[33:39], "comment": "say which Saturday"}]
    text = writer.ok("status", draft).out
    assert "say which Saturday" in text

    bad_span = lead.run("request-changes", draft, "--comment", "50:999:too far")
    assert bad_span.code in (2, 3)

    writer.edit_draft(draft, POST.replace("Saturday", "Saturday 4 May"))
    writer.ok("submit", draft)
    writer.ok("withdraw", draft)
    team.sync()
    status = writer.status(draft)
    assert any("withdrawn" in r for r in status["reasons"])
    nothing = lead.run("approve", draft)
    assert nothing.code == 3 and "not waiting for approval" in nothing.err


def test_submit_carries_acknowledgements_to_the_approver(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST)
    writer.ok("submit", draft, "--acknowledge", "Brand.Exclamation=the fair is genuinely exciting")
    team.sync()
    review = lead.status(draft)["review"]
    assert review["acknowledgements"] == [
        {"rule": "Brand.Exclamation", "match": "", "reason": "the fair is genuinely exciting"}
    ]
    assert lead.ok("pending", "--format", "json").json()[0]["id"] == draft
    bad = writer.run("submit", draft, "--acknowledge", "no-reason-given")
    assert bad.code == 2 and "RULE=REASON" in bad.err


def test_approval_is_bound_to_the_accounts(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    draft = writer.new_draft(POST, accounts=["bluesky:org"])
    writer.ok("submit", draft)
    team.sync()
    lead.ok("approve", draft)
    team.sync()
    assert writer.ok("status", draft, "--account", "bluesky:org", "--format", "json").json()["may_publish"]
    other = writer.ok("status", draft, "--account", "wordpress:blog", "--format", "json").json()
    assert other["may_publish"] is False
    assert any("not for wordpress:blog" in r for r in other["reasons"])


def test_an_account_that_demands_a_higher_level_needs_an_approval(team: Team) -> None:
    """`accounts add --min-trust 3` binds the gate: a Trusted writer's clean post to that account
    needs approval, while the same post to an undemanding account does not."""
    people = team.start("Lena", {"Tia": 2})
    lead, writer = people["Lena"], people["Tia"]
    for handle, level in (("news", "3"), ("events", "0")):
        writer.ok(
            "accounts", "add", "--platform", "mastodon", "--handle", handle,
            "--server", "http://127.0.0.1:9", "--min-trust", level, stdin="token-not-used\n",
        )  # fmt: skip
    clean = "Our spring fair opens on Saturday at ten."
    demanding = writer.new_draft(clean, accounts=["mastodon:news"])
    relaxed = writer.new_draft(clean, accounts=["mastodon:events"])

    assert writer.status(relaxed)["may_publish"] is True
    refused = writer.status(demanding)
    assert refused["may_publish"] is False
    assert any("mastodon:news" in r for r in refused["reasons"] + [refused["requirement"]])

    writer.ok("submit", demanding)
    team.sync()
    lead.ok("approve", demanding)
    team.sync()
    assert writer.status(demanding)["may_publish"] is True
