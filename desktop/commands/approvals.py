"""`greenlight submit|approve|reject|withdraw|request-changes|status|pending`: the approval workflow.

Exit codes: 3 when the trust policy refuses the step (e.g. approving your own post), 2 for input
errors. `status` exits 0 whether or not the draft may be published: read `may_publish`.
"""

from __future__ import annotations

import argparse

from desktop.commands.io import print_json
from desktop.errors import GreenlightError

ID_HELP = "draft id (or a unique prefix of at least 6 characters)"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("submit", help="submit a draft's current text for approval")
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument(
        "--account",
        action="append",
        default=None,
        metavar="ACCOUNT",
        help="target account (repeatable; default: the draft's accounts)",
    )
    p.add_argument(
        "--acknowledge",
        action="append",
        default=[],
        metavar="RULE=REASON",
        help="acknowledge a remaining finding with a reason (repeatable; default: the "
        "acknowledgements recorded in self-review)",
    )
    p.set_defaults(func=_submit)

    p = sub.add_parser("approve", help="approve a submitted draft (bound to its exact text and accounts)")
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument("--note", default="", metavar="T", help="a note for the writer")
    p.set_defaults(func=_approve)

    p = sub.add_parser("reject", help="reject a submitted draft; a note saying why is required")
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument("--note", required=True, metavar="T", help="why it is rejected")
    p.set_defaults(func=_reject)

    p = sub.add_parser("withdraw", help="withdraw your own submission")
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument("--note", default="", metavar="T", help="why (optional)")
    p.set_defaults(func=_withdraw)

    p = sub.add_parser(
        "request-changes", help="send a submitted draft back with comments on spans of its text"
    )
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument("--note", default="", metavar="T", help="a general note")
    p.add_argument(
        "--comment",
        action="append",
        default=[],
        metavar="START:END:TEXT",
        help="a comment on characters START to END (0-based, end exclusive; repeatable)",
    )
    p.set_defaults(func=_request_changes)

    p = sub.add_parser("status", help="may this draft be published now, and if not, why not")
    p.add_argument("id", metavar="ID", help=ID_HELP)
    p.add_argument(
        "--account",
        action="append",
        default=None,
        metavar="ACCOUNT",
        help="check for this account (repeatable; default: the draft's accounts)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_status)

    p = sub.add_parser("pending", help="list drafts waiting for approval")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_pending)


def _db():
    from desktop.paths import database_path
    from desktop.store.database import open_database

    return open_database(database_path())


def _parse_acks(values: list[str]) -> list[dict[str, str]] | None:
    if not values:
        return None
    acks = []
    for value in values:
        rule, sep, reason = value.partition("=")
        if not sep or not rule.strip() or not reason.strip():
            raise GreenlightError(
                f"--acknowledge {value!r}: expected RULE=REASON, e.g. Brand.Tone='quoting a customer'"
            )
        acks.append({"rule": rule.strip(), "match": "", "reason": reason.strip()})
    return acks


def _submit(args: argparse.Namespace) -> int:
    from desktop.trust.gate import check_publish
    from desktop.trust.workflow import submit

    db = _db()
    event, created = submit(
        db, args.id, accounts=args.account, acknowledgements=_parse_acks(args.acknowledge)
    )
    decision = check_publish(db, event.draft_id or args.id, args.account)
    verb = "submitted" if created else "already submitted (unchanged since)"
    print(f"{verb}: draft {event.draft_id}, content {event.payload['content_hash'][:12]}")
    print(decision.requirement or "; ".join(decision.reasons))
    return 0


def _approve(args: argparse.Namespace) -> int:
    from desktop.trust.workflow import approve

    event = approve(_db(), args.id, note=args.note)
    print(f"approved draft {event.draft_id} (content {event.payload['content_hash'][:12]})")
    return 0


def _reject(args: argparse.Namespace) -> int:
    from desktop.trust.workflow import reject

    event = reject(_db(), args.id, note=args.note)
    print(f"rejected draft {event.draft_id}: {event.payload['note']}")
    return 0


def _withdraw(args: argparse.Namespace) -> int:
    from desktop.trust.workflow import withdraw

    event = withdraw(_db(), args.id, note=args.note)
    print(f"withdrew draft {event.draft_id}")
    return 0


def _request_changes(args: argparse.Namespace) -> int:
    from desktop.trust.workflow import SpanComment, request_changes

    comments = []
    for value in args.comment:
        parts = value.split(":", 2)
        try:
            start, end, text = int(parts[0]), int(parts[1]), parts[2]
        except (IndexError, ValueError):
            raise GreenlightError(
                f"--comment {value!r}: expected START:END:TEXT, e.g. 0:12:'too casual'"
            ) from None
        comments.append(SpanComment(start, end, text.strip()))
    event = request_changes(_db(), args.id, note=args.note, comments=comments)
    print(f"requested changes on draft {event.draft_id} ({len(comments)} comment(s))")
    return 0


def _status(args: argparse.Namespace) -> int:
    from desktop.trust.gate import check_publish
    from desktop.trust.workflow import review_packet

    db = _db()
    decision = check_publish(db, args.id, args.account)
    packet = review_packet(db, args.id)
    if args.format == "json":
        print_json({"draft_id": packet.draft.id, **decision.as_json(), "review": packet.as_json()})
        return 0
    state = "may be published now" if decision.may_publish else "may NOT be published yet"
    print(f"draft {packet.draft.id}: {state}")
    for reason in decision.reasons:
        print(f"  - {reason}")
    if packet.acknowledgements:
        print("acknowledged by the writer:")
        for ack in packet.acknowledgements:
            print(f"  - {ack['rule']}: {ack['reason']}")
    if packet.diff:
        print("changes since the last approved version:")
        for line in packet.diff:
            print(f"  {line}")
    for entry in packet.history:
        note = f": {entry['note']}" if entry.get("note") else ""
        print(f"  {entry['at']} {entry['kind']} by {entry['by']}{note}")
        for c in entry.get("comments", []):
            print(f"      [{c['start']}-{c['end']}] {c['quote']!r}: {c['comment']}")
    return 0


def _pending(args: argparse.Namespace) -> int:
    from desktop.trust.ledger import Ledger
    from desktop.trust.workflow import current_submission

    db = _db()
    ledger = Ledger(db)
    roster = ledger.roster_state().roster
    rows = db.execute(
        "SELECT id, title FROM drafts WHERE status IN ('submitted', 'approved') AND trashed IS NULL ORDER BY updated"
    ).fetchall()
    waiting = []
    for draft_id, title in rows:
        sub = current_submission(ledger, draft_id)
        if sub is None:
            continue
        waiting.append(
            {
                "id": draft_id,
                "title": title,
                "submitted_by": roster.name_of(sub.author) if roster else sub.author,
                "submitted_at": sub.created,
                "acknowledgements": len(sub.payload.get("acknowledgements", [])),
            }
        )
    if args.format == "json":
        print_json(waiting)
    else:
        for w in waiting:
            print(f"{w['id']}  {w['title'] or '(untitled)'}  by {w['submitted_by']} at {w['submitted_at']}")
    return 0
