"""The trust report per writer, and the promotion the policy suggests."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tests.fixtures.trust_profiles import Team


SHIPPED = Path(__file__).resolve().parent.parent / "guidelines" / "policy.yml"


def test_report_counts_and_promotion_suggestion(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    lead, writer = people["Lena"], people["Wes"]
    # This team promotes to Trusted after 2 posts approved unchanged with at most half sent back.
    policy = SHIPPED.read_text().replace(
        "2: { approved_unchanged: 15, max_changes_requested_rate: 0.25 }",
        "2: { approved_unchanged: 2, max_changes_requested_rate: 0.5 }",
    )
    (lead.home / "policy.yml").write_text(policy)

    first, second, third = (writer.new_draft(f"Post number {n}.") for n in (1, 2, 3))
    writer.ok("submit", first, "--acknowledge", "Brand.Numbers=house style")
    writer.ok("submit", second)
    team.sync()
    lead.ok("approve", first)
    lead.ok("request-changes", second, "--note", "shorter please")
    team.sync()
    report = {w["name"]: w for w in lead.ok("trust", "report", "--format", "json").json()["writers"]}
    wes = report["Wes"]
    assert (wes["submitted"], wes["approved_unchanged"], wes["changes_requested"]) == (2, 1, 1)
    assert wes["warnings_acknowledged"] == 1
    assert wes["level"] == 1 and wes["median_hours_to_approval"] is not None
    assert wes["promotion_suggestion"] is None
    assert sum(m["submitted"] for m in wes["by_month"].values()) == 2

    # The sent-back post, fixed and approved, is not "unchanged"; a third clean one tips the balance.
    writer.edit_draft(second, "Post 2.")
    writer.ok("submit", second)
    writer.ok("submit", third)
    team.sync()
    lead.ok("approve", second)
    lead.ok("approve", third)
    team.sync()
    wes = {w["name"]: w for w in lead.ok("trust", "report", "--format", "json").json()["writers"]}["Wes"]
    assert (wes["submitted"], wes["approved_unchanged"], wes["changes_requested"]) == (4, 2, 1)
    assert wes["promotion_suggestion"].startswith("promote Wes to level 2 (Trusted)")
    text = lead.ok("trust", "report").out
    assert "suggestion: promote Wes" in text
