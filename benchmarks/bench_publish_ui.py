"""UI-thread cost of the publishing and approval widgets (budget: one frame, 16 ms, per DESIGN.md).

The gate checks, signed workflow steps and network calls run on background lanes; what the UI
thread does is paint their results. This measures that painting with generous data: a verdict
with ten reasons, an approval history of 30 replies, a trust report of 30 writers over 12
months (table, both QPainter charts rendered to an image), and an outbox of 200 entries.
"""

from __future__ import annotations

from benchmarks.harness import Report


def run(report: Report) -> None:
    from desktop.trust.report import Counts, WriterReport
    from desktop.ui.app import create_app
    from desktop.ui.approvals_panel import ApprovalsPanel, ApprovalState, Entry
    from desktop.ui.outbox_view import OutboxView
    from desktop.ui.publish_panel import PublishPanel, PublishStatus
    from desktop.ui.trust_report_view import ReportData, TrustReportView

    create_app()

    panel = PublishPanel()
    panel.resize(380, 800)
    panel.show()
    panel.draft_id = "D1"
    status = PublishStatus(
        draft_id="D1",
        title="Spring fair",
        content_hash="x" * 64,
        targets=["mastodon:fair", "bluesky:fair.example"],
        accounts=[(f"mastodon:acct{i}", "https://m.example") for i in range(12)],
        may_publish=False,
        reasons=[f"reason number {i}: has 0 of 1 approvals from Senior or above" for i in range(10)],
        requirement="needs 1 approval: 2 warnings remain, 1 tagged sensitive",
    )
    report.measure(
        "publish panel: paint a verdict (10 reasons, 12 accounts)",
        lambda: panel._paint(status, panel._generation),
        budget_ms=16,
    )

    approvals = ApprovalsPanel()
    approvals.resize(380, 800)
    approvals.show()
    approvals.draft_id = "D1"
    entries = [
        Entry("approval.approved", f"Approver {i}", "2026-03-01T10:00:00Z", "fine", i % 2 == 0, "")
        for i in range(30)
    ]
    state = ApprovalState(
        draft_id="D1",
        title="Spring fair",
        me="me",
        my_name="Wes",
        submitted=True,
        submitted_by="Wes",
        submitted_at="2026-03-01T09:00:00Z",
        mine=True,
        entries=entries,
        acknowledgements=[{"rule": "House.Tone", "match": "thrilled", "reason": "quote"}] * 5,
        diff=["--- last approved", "+++ now", "-old line", "+new line"] * 10,
        reasons=["needs 1 approval: 1 warning remains"],
        waiting=[
            {"id": f"D{i}", "title": f"Draft {i}", "by": "Tia", "at": "2026-03-01T09:00:00Z"}
            for i in range(20)
        ],
    )
    report.measure(
        "approvals panel: paint 30 replies, diff, 20 waiting drafts",
        lambda: approvals._paint(state, approvals._generation),
        budget_ms=16,
    )

    writers = []
    for i in range(30):
        w = WriterReport(f"key{i}", f"Writer {i}", i % 5, Counts(20, 12, 3, 7, 15), [1.5, 2.0, 30.0])
        for m in range(1, 13):
            w.by_month[f"2025-{m:02d}"] = Counts(2, 1, 1, 0, 1)
        writers.append(w)
    data = ReportData(
        writers=writers, levels={0: "Trainee", 1: "Contributor", 2: "Trusted", 3: "Senior", 4: "Lead"}
    )
    view = TrustReportView()
    view.resize(1000, 700)
    view.show()
    report.measure(
        "trust report: fill table and charts (30 writers x 12 months)",
        lambda: view._loaded(data),
        budget_ms=16,
    )
    report.measure(
        "trust report: render both charts",
        lambda: (view.writers_chart.grab(), view.months_chart.grab()),
        budget_ms=16,
    )

    outbox = OutboxView()
    outbox.resize(900, 500)
    outbox.show()
    records = _records(200)
    report.measure("outbox: fill 200 entries", lambda: outbox._loaded(records), budget_ms=16)
    for w in (panel, approvals, view, outbox):
        w.close()


def _records(n: int) -> list:
    """Outbox records as the core returns them (the view never reads the plan, so none is built)."""
    from desktop.publish.outbox import Record

    return [
        Record(
            f"R{i:05d}",
            f"D{i}",
            "A1",
            "mastodon:fair",
            "mastodon",
            "h" * 64,
            "waiting",
            2,
            "2026-03-01T10:00:00Z",
            "offline",
            "could not reach https://m.example (connection refused)",
            None,
            {},
            None,
            None,
            None,
            "2026-03-01T09:00:00Z",
            "2026-03-01T09:30:00Z",
        )
        for i in range(n)
    ]
