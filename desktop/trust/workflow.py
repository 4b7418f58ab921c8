"""The approval workflow: submit, approve, reject, withdraw, request changes. Used by the CLI and the UI.

Each step is one signed event bound to the draft, the exact content hash and the target accounts.
Steps the policy would not count are refused here already (with the reason, as `PolicyRefusal`,
exit code 3 on the CLI), so nobody signs an approval that the gate will then ignore; the gate
still re-checks everything at publish time.
"""

from __future__ import annotations

import difflib
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from desktop.errors import GreenlightError, PolicyRefusal
from desktop.store.drafts import DraftStore, content_hash
from desktop.store.models import Draft
from desktop.trust.events import Event
from desktop.trust.ledger import Ledger


@dataclass(frozen=True)
class SpanComment:
    start: int
    end: int
    comment: str
    quote: str = ""

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end, "quote": self.quote, "comment": self.comment}


def _draft(db: sqlite_utils.Database, draft_id: str) -> Draft:
    draft = DraftStore(db).get(draft_id)
    if draft.trashed:
        raise GreenlightError(f"draft {draft.id} is in the trash; restore it first")
    return draft


def latest_revision_event(ledger: Ledger, draft_id: str) -> Event | None:
    revisions = ledger.draft_events(draft_id, ("draft.revised",))
    return revisions[-1] if revisions else None


def record_revision(ledger: Ledger, draft: Draft) -> Event:
    """The draft.revised event carrying the draft's current content, appending one if needed.

    `base` names the revision it was edited from, so a replica can tell an edit from a conflict.
    Submitting shares the draft; desktop.sync.sharing keeps track of which version each shared
    draft was last synced at, so it records the revision (and later edits travel too).
    """
    from desktop.sync.sharing import current_revision

    return current_revision(ledger.db, ledger, draft.id)


def current_submission(ledger: Ledger, draft_id: str) -> Event | None:
    """The latest submission, unless it was withdrawn."""
    submissions = ledger.draft_events(draft_id, ("approval.submitted",))
    if not submissions:
        return None
    latest = submissions[-1]
    withdrawn = any(
        e.payload.get("submission") == latest.id and e.author == latest.author
        for e in ledger.draft_events(draft_id, ("approval.withdrawn",))
    )
    return None if withdrawn else latest


def stored_acknowledgements(db: sqlite_utils.Database, draft: Draft) -> list[dict[str, str]]:
    """The writer's self-review acknowledgements for the current revision (kept by the review layer)."""
    try:
        rows = db.execute(
            "SELECT rule, match, reason FROM acknowledgements WHERE draft_id = ? AND revision_number = ? ORDER BY id",
            [draft.id, draft.revisions],
        ).fetchall()
    except sqlite3.OperationalError:
        return []  # the review layer's table is not there (older database)
    return [{"rule": r, "match": m, "reason": why} for r, m, why in rows]


def submit(
    db: sqlite_utils.Database,
    draft_id: str,
    *,
    accounts: Sequence[str] | None = None,
    acknowledgements: Sequence[dict[str, str]] | None = None,
    ledger: Ledger | None = None,
) -> tuple[Event, bool]:
    """Submit the draft's current content for approval. Returns (submission, newly created)."""
    ledger = ledger or Ledger(db)
    draft = _draft(db, draft_id)
    if not draft.text.strip():
        raise GreenlightError(f"draft {draft.id} is empty; write something before submitting it")
    accounts = list(draft.accounts if accounts is None else accounts)
    digest = content_hash(draft.text)
    open_sub = current_submission(ledger, draft.id)
    if (
        open_sub is not None
        and open_sub.author == ledger.author
        and open_sub.payload.get("content_hash") == digest
        and open_sub.payload.get("accounts") == accounts
        and not _closed(ledger, open_sub)
    ):
        return open_sub, False
    revision = record_revision(ledger, draft)
    acks = list(acknowledgements) if acknowledgements is not None else stored_acknowledgements(db, draft)
    for ack in acks:
        if not str(ack.get("reason", "")).strip():
            raise GreenlightError(f"the acknowledgement of {ack.get('rule', '?')} needs a reason")
    payload = {
        "revision": revision.id,
        "content_hash": digest,
        "accounts": accounts,
        "acknowledgements": [
            {"rule": str(a.get("rule", "")), "match": str(a.get("match", "")), "reason": str(a["reason"])}
            for a in acks
        ],
    }
    return ledger.append("approval.submitted", payload, draft_id=draft.id), True


def _closed(ledger: Ledger, submission: Event) -> bool:
    """A submission that was rejected or sent back cannot be approved; a new one is needed."""
    return any(
        e.payload.get("submission") == submission.id
        for e in ledger.draft_events(
            submission.draft_id or "", ("approval.rejected", "approval.changes_requested")
        )
    )


def _reviewable(db: sqlite_utils.Database, ledger: Ledger, draft_id: str) -> tuple[Draft, Event]:
    """The draft and its open submission, checked to match the content this reviewer sees."""
    draft = _draft(db, draft_id)
    submission = current_submission(ledger, draft.id)
    if submission is None:
        raise PolicyRefusal(f"draft {draft.id} is not waiting for approval (not submitted, or withdrawn)")
    if submission.payload.get("content_hash") != content_hash(draft.text):
        raise PolicyRefusal(
            f"your copy of draft {draft.id} differs from the submitted content (edited since, or the latest "
            "events are not imported yet); the writer must submit the current version"
        )
    return draft, submission


def approve(
    db: sqlite_utils.Database, draft_id: str, *, note: str = "", ledger: Ledger | None = None
) -> Event:
    ledger = ledger or Ledger(db)
    draft, submission = _reviewable(db, ledger, draft_id)
    me = ledger.author
    if me in ledger.content_authors(submission):
        raise PolicyRefusal("you cannot approve your own post; ask another approver")
    roster = ledger.roster_state().roster
    if roster is None:
        raise PolicyRefusal("no team roster is in force on this profile; join the team first")
    my_level = roster.level_of(me)
    writer_level = roster.level_of(submission.author)
    if my_level is None:
        raise PolicyRefusal("you are not in the team roster, so your approval would not count")
    policy = ledger.policy
    floor = policy.approver_floor(writer_level if writer_level is not None else 0)
    if my_level < floor:
        raise PolicyRefusal(
            f"approving {roster.name_of(submission.author)}'s posts needs {policy.level_name(floor)} or above; "
            f"you are {policy.level_name(my_level)}"
        )
    if _closed(ledger, submission):
        raise PolicyRefusal(
            "this submission was rejected or sent back for changes; the writer must submit again"
        )
    for e in ledger.draft_events(draft.id, ("approval.approved",)):
        if e.author == me and e.payload.get("submission") == submission.id:
            raise GreenlightError("you already approved this submission")
    payload = {
        "submission": submission.id,
        "content_hash": submission.payload["content_hash"],
        "accounts": list(submission.payload.get("accounts", [])),
        "note": note,
    }
    return ledger.append("approval.approved", payload, draft_id=draft.id)


def reject(db: sqlite_utils.Database, draft_id: str, *, note: str, ledger: Ledger | None = None) -> Event:
    if not note or not note.strip():
        raise GreenlightError("a rejection needs a note saying why (--note TEXT)")
    ledger = ledger or Ledger(db)
    draft, submission = _reviewable(db, ledger, draft_id)
    if ledger.author in ledger.content_authors(submission):
        raise PolicyRefusal("you cannot reject your own post; withdraw it instead (`greenlight withdraw`)")
    payload = {
        "submission": submission.id,
        "content_hash": submission.payload["content_hash"],
        "note": note.strip(),
    }
    return ledger.append("approval.rejected", payload, draft_id=draft.id)


def request_changes(
    db: sqlite_utils.Database,
    draft_id: str,
    *,
    note: str = "",
    comments: Sequence[SpanComment] = (),
    ledger: Ledger | None = None,
) -> Event:
    """Send the draft back with comments on spans of its text (code-point offsets, end exclusive)."""
    if not note.strip() and not comments:
        raise GreenlightError("say what to change: give a --note or at least one --comment")
    ledger = ledger or Ledger(db)
    draft, submission = _reviewable(db, ledger, draft_id)
    if ledger.author in ledger.content_authors(submission):
        raise PolicyRefusal("you cannot request changes on your own post; edit it and submit again")
    checked = []
    for c in comments:
        if not 0 <= c.start <= c.end <= len(draft.text):
            raise GreenlightError(
                f"comment span {c.start}-{c.end} is outside the draft (it has {len(draft.text)} characters)"
            )
        checked.append(SpanComment(c.start, c.end, c.comment, draft.text[c.start : c.end]).as_json())
    payload = {
        "submission": submission.id,
        "content_hash": submission.payload["content_hash"],
        "note": note.strip(),
        "comments": checked,
    }
    return ledger.append("approval.changes_requested", payload, draft_id=draft.id)


def withdraw(
    db: sqlite_utils.Database, draft_id: str, *, note: str = "", ledger: Ledger | None = None
) -> Event:
    ledger = ledger or Ledger(db)
    draft = _draft(db, draft_id)
    submission = current_submission(ledger, draft.id)
    if submission is None:
        raise GreenlightError(f"draft {draft.id} has no open submission to withdraw")
    if submission.author != ledger.author:
        raise PolicyRefusal("only the writer who submitted a draft may withdraw it; reject it instead")
    return ledger.append("approval.withdrawn", {"submission": submission.id, "note": note}, draft_id=draft.id)


@dataclass
class ReviewPacket:
    """What an approver sees: the draft, its findings, the writer's acknowledgements and the diff
    against the last approved version, plus the discussion so far."""

    draft: Draft
    submission: Event | None
    acknowledgements: list[dict[str, str]]
    diff: list[str]
    history: list[dict[str, Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "draft_id": self.draft.id,
            "title": self.draft.title,
            "text": self.draft.text,
            "submitted_by": self.submission.author if self.submission else None,
            "acknowledgements": self.acknowledgements,
            "diff_against_last_approved": self.diff,
            "history": self.history,
        }


def review_packet(db: sqlite_utils.Database, draft_id: str, *, ledger: Ledger | None = None) -> ReviewPacket:
    ledger = ledger or Ledger(db)
    draft = DraftStore(db).get(draft_id)
    events = ledger.draft_events(draft.id)
    submission = current_submission(ledger, draft.id)
    roster = ledger.roster_state().roster
    approved_hashes = [e.payload.get("content_hash") for e in events if e.kind == "approval.approved"]
    previous_text = None
    current = content_hash(draft.text)
    for digest in reversed(approved_hashes):
        if digest != current:
            for e in events:
                if e.kind == "draft.revised" and e.payload.get("content_hash") == digest:
                    previous_text = e.payload["text"]
            break
    diff = []
    if previous_text is not None:
        diff = list(
            difflib.unified_diff(
                previous_text.splitlines(), draft.text.splitlines(), "last approved", "now", lineterm=""
            )
        )
    history = []
    for e in events:
        if e.kind == "draft.revised":
            continue
        who = roster.name_of(e.author) if roster else e.author
        entry = {"kind": e.kind, "by": who, "at": e.created, "note": e.payload.get("note", "")}
        if e.kind == "approval.changes_requested":
            entry["comments"] = e.payload.get("comments", [])
        history.append(entry)
    acks = list(submission.payload.get("acknowledgements", [])) if submission else []
    return ReviewPacket(draft, submission, acks, diff, history)
