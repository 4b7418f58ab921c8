"""The trust report: how each writer's posts fare in review, over time, and who has earned a promotion.

Computed from the signed events alone (so every profile that has the team's events sees the same
report): per writer, submissions, posts approved exactly as first submitted, changes requested
(rejections included), warnings acknowledged in self-review, time from submission to approval,
posts published; the same per month; and the promotion the policy's thresholds suggest.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from desktop.trust.events import Event, fingerprint
from desktop.trust.gate import parse_time
from desktop.trust.ledger import Ledger
from desktop.trust.policy import Policy
from desktop.trust.roster import Roster


@dataclass
class Counts:
    submitted: int = 0
    approved_unchanged: int = 0
    changes_requested: int = 0
    warnings_acknowledged: int = 0
    published: int = 0

    def as_json(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class WriterReport:
    key: str
    name: str
    level: int | None
    totals: Counts = field(default_factory=Counts)
    hours_to_approval: list[float] = field(default_factory=list)
    by_month: dict[str, Counts] = field(default_factory=lambda: defaultdict(Counts))
    suggestion: str | None = None

    @property
    def change_rate(self) -> float:
        return self.totals.changes_requested / self.totals.submitted if self.totals.submitted else 0.0

    @property
    def median_hours_to_approval(self) -> float | None:
        return round(statistics.median(self.hours_to_approval), 2) if self.hours_to_approval else None

    def as_json(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "fingerprint": fingerprint(self.key),
            "name": self.name,
            "level": self.level,
            **self.totals.as_json(),
            "changes_requested_rate": round(self.change_rate, 3),
            "median_hours_to_approval": self.median_hours_to_approval,
            "by_month": {m: c.as_json() for m, c in sorted(self.by_month.items())},
            "promotion_suggestion": self.suggestion,
        }


def _month(event: Event) -> str:
    return event.created[:7]


def build_report(ledger: Ledger, policy: Policy | None = None) -> list[WriterReport]:
    policy = policy or ledger.policy
    roster: Roster | None = ledger.roster_state().roster
    writers: dict[str, WriterReport] = {}

    def writer(key: str) -> WriterReport:
        if key not in writers:
            member = roster.member(key) if roster else None
            writers[key] = WriterReport(
                key, member.name if member else fingerprint(key), member.level if member else None
            )
        return writers[key]

    if roster:
        for m in roster.members:
            writer(m.key)
    rows = ledger.db.execute("SELECT body FROM events WHERE void IS NULL ORDER BY created, author, seq")
    from desktop.trust.ledger import event_from_body

    events = [event_from_body(b) for (b,) in rows]
    by_submission: dict[str, list[Event]] = defaultdict(list)
    first_submission: dict[str, str] = {}
    for e in events:
        if e.kind == "approval.submitted" and e.draft_id:
            first_submission.setdefault(e.draft_id, e.id)
        elif "submission" in e.payload:
            by_submission[e.payload["submission"]].append(e)
    for e in events:
        if e.kind == "approval.submitted":
            w = writer(e.author)
            acks = len(e.payload.get("acknowledgements", []))
            for counts in (w.totals, w.by_month[_month(e)]):
                counts.submitted += 1
                counts.warnings_acknowledged += acks
            replies = by_submission.get(e.id, [])
            approvals = [r for r in replies if r.kind == "approval.approved" and r.author != e.author]
            sent_back = [r for r in replies if r.kind in ("approval.changes_requested", "approval.rejected")]
            for counts in (w.totals, w.by_month[_month(e)]):
                counts.changes_requested += len(sent_back)
            if approvals:
                start, end = parse_time(e.created), parse_time(approvals[0].created)
                if start and end:
                    w.hours_to_approval.append(max(0.0, (end - start).total_seconds() / 3600))
                if not sent_back and first_submission.get(e.draft_id or "") == e.id:
                    for counts in (w.totals, w.by_month[_month(e)]):
                        counts.approved_unchanged += 1
        elif e.kind == "publish.recorded":
            w = writer(e.author)
            w.totals.published += 1
            w.by_month[_month(e)].published += 1
    for w in writers.values():
        w.suggestion = promotion_suggestion(policy, w)
    return sorted(writers.values(), key=lambda w: (-(w.level or 0), w.name.casefold()))


def promotion_suggestion(policy: Policy, w: WriterReport) -> str | None:
    if w.level is None:
        return None
    target = policy.promotion.get(w.level + 1)
    if target is None:
        return None
    if (
        w.totals.approved_unchanged >= target.approved_unchanged
        and w.change_rate <= target.max_changes_requested_rate
    ):
        return (
            f"promote {w.name} to {policy.level_name(w.level + 1)}: {w.totals.approved_unchanged} posts approved "
            f"unchanged (needs {target.approved_unchanged}), changes requested on {w.change_rate:.0%} "
            f"(at most {target.max_changes_requested_rate:.0%})"
        )
    return None
