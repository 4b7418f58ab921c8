"""The publish gate: may this draft be published now, by this profile, to these accounts? And why not.

The publish path calls `check_publish` itself, so the rule holds however publishing is started
(CLI, UI, a script). Nothing stored is taken on trust: the roster is re-derived from the pinned
root key and its signed events, and every approval is re-verified (signature, id), then checked
against the policy: bound to the current submission, the exact content hash and the accounts;
not expired, not self-given, from a roster member at the required level. Import-time verdicts
are for display only.

`evaluate` is the pure core (no database), so property tests can throw arbitrary event sequences
at it; `check_publish` gathers its inputs from the profile.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from desktop.review.findings import Finding, Severity
from desktop.trust.events import Event, EventError, fingerprint
from desktop.trust.policy import Policy, Requirement
from desktop.trust.roster import ROSTER_KIND, Roster, RosterState, resolve_roster


@dataclass
class Decision:
    may_publish: bool
    reasons: list[str]
    required: int = 0
    approvals: list[dict[str, Any]] = field(default_factory=list)
    requirement: str = ""
    level: int | None = None
    not_counted: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "may_publish": self.may_publish,
            "reasons": self.reasons,
            "required": self.required,
            "approvals": self.approvals,
            "requirement": self.requirement,
            "level": self.level,
            "not_counted": self.not_counted,
        }


def _refuse(reason: str, **kw: Any) -> Decision:
    return Decision(False, [reason], **kw)


def parse_time(text: str) -> datetime | None:
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def evaluate(
    policy: Policy,
    roster: Roster | None,
    publisher: str,
    content_hash: str,
    accounts: Sequence[str],
    findings: Sequence[Finding],
    draft_events: Sequence[Event],
    *,
    content_authors: Callable[[Event], set[str]],
    now: datetime,
    problems: Sequence[str] = (),
) -> Decision:
    """Decide from the policy, the roster in force and the draft's (signature-checked) events."""
    if roster is None:
        return _refuse(
            "no team roster is in force: a lead runs `greenlight team init`, others `greenlight team join`"
        )
    level = roster.level_of(publisher)
    if level is None:
        return _refuse(
            f"you ({fingerprint(publisher)}) are not in the team roster: send your public key to a lead "
            "(`greenlight identity show`) and import the roster that adds you"
        )
    requirement: Requirement = policy.requirement(level, findings, accounts, crisis=roster.crisis)
    base = {"required": requirement.approvals, "requirement": requirement.explain(), "level": level}
    if not requirement.needs:
        return Decision(True, [requirement.explain()], **base)

    reasons: list[str] = [requirement.explain(), *problems]
    submissions = [e for e in draft_events if e.kind == "approval.submitted" and roster.member(e.author)]
    if not submissions:
        return Decision(False, [*reasons, "not submitted for approval yet: run `greenlight submit`"], **base)
    submission = submissions[-1]
    related = [e for e in draft_events if e.payload.get("submission") == submission.id]
    if any(e.kind == "approval.withdrawn" and e.author == submission.author for e in related):
        return Decision(False, [*reasons, "the submission was withdrawn; submit again"], **base)
    if submission.payload.get("content_hash") != content_hash:
        return Decision(
            False,
            [
                *reasons,
                "the draft was edited after it was submitted, which voids its approvals: submit it again",
            ],
            **base,
        )
    missing = [a for a in accounts if a not in submission.payload.get("accounts", [])]
    if missing:
        return Decision(
            False,
            [*reasons, f"submitted for other accounts; not for {', '.join(missing)}: submit again"],
            **base,
        )
    blocked = False
    for e in related:
        if not roster.member(e.author) or e.payload.get("content_hash") != content_hash:
            continue
        note = str(e.payload.get("note", "")).strip()
        if e.kind == "approval.rejected":
            reasons.append(f"rejected by {roster.name_of(e.author)}: {note}")
            blocked = True
        elif e.kind == "approval.changes_requested":
            reasons.append(f"changes requested by {roster.name_of(e.author)}" + (f": {note}" if note else ""))
            blocked = True

    authors = content_authors(submission) | {publisher}
    floor = policy.approver_floor(level)
    expiry = timedelta(hours=policy.approval_expiry_hours) if policy.approval_expiry_hours else None
    valid: dict[str, tuple[int, Event]] = {}
    not_counted: list[str] = []
    for e in related:
        if e.kind != "approval.approved":
            continue
        who = roster.name_of(e.author)
        approver_level = roster.level_of(e.author)
        created = parse_time(e.created)
        if approver_level is None:
            why = f"approval signed by a key not in the roster ({fingerprint(e.author)})"
        elif e.author in authors:
            why = f"self-approval by {who} does not count"
        elif e.payload.get("content_hash") != content_hash or e.draft_id != submission.draft_id:
            why = f"approval by {who} is for other content"
        elif any(a not in e.payload.get("accounts", []) for a in accounts):
            why = f"approval by {who} does not cover {', '.join(accounts)}"
        elif created is None:
            why = f"approval by {who} has no readable time"
        elif expiry is not None and now - created > expiry:
            why = f"approval by {who} expired (given {e.created}; approvals last {policy.approval_expiry_hours:g} h)"
        elif approver_level < floor:
            why = f"approval by {who} ({policy.level_name(approver_level)}) is below the required {policy.level_name(floor)}"
        else:
            valid.setdefault(e.author, (approver_level, e))
            continue
        not_counted.append(why)
    earlier = {e.id for e in submissions[:-1]}
    for e in draft_events:
        if e.kind == "approval.approved" and e.payload.get("submission") in earlier:
            not_counted.append(
                f"approval by {roster.name_of(e.author)} was for an earlier submission (the draft was "
                "resubmitted since), so it does not count now"
            )
    reasons.extend(not_counted)

    satisfied = True
    for need in requirement.needs:
        have = sum(1 for lvl, _ in valid.values() if lvl >= need.min_level)
        if have < need.count:
            satisfied = False
            noun = "approval" if need.count == 1 else "approvals"
            reasons.append(
                f"has {have} of {need.count} {noun} from {policy.level_name(need.min_level)} or above"
                if need.min_level <= policy.max_level
                else f"no level may approve this (the policy asks for level {need.min_level})"
            )
    approvals = [
        {
            "approver": key,
            "name": roster.name_of(key),
            "level": lvl,
            "event_id": e.id,
            "created": e.created,
            "note": e.payload.get("note", ""),
        }
        for key, (lvl, e) in valid.items()
    ]
    may = satisfied and not blocked and not problems
    if may:
        names = ", ".join(f"{a['name']} ({policy.level_name(a['level'])})" for a in approvals)
        reasons.append(f"approved by {names}")
    return Decision(may, reasons, approvals=approvals, not_counted=not_counted, **base)


# -- gathering the inputs from a profile -------------------------------------------------------------


def reverified_events(
    db: sqlite_utils.Database, where: str, params: list[Any]
) -> tuple[list[Event], list[tuple[str, str]]]:
    """Stored events matching `where`, each re-verified (signature and id) rather than trusted because
    it is in the database; returns the good ones and (id, reason) for the rest."""
    events: list[Event] = []
    bad: list[tuple[str, str]] = []
    for event_id, body in db.execute(f"SELECT id, body FROM events WHERE {where}", params):
        try:
            event = Event.from_json(json.loads(body))
            if event.id != event_id:
                raise EventError("stored under another id")
            events.append(event)
        except (EventError, ValueError) as exc:
            bad.append((event_id, str(exc)))
    return events, bad


def verified_roster(db: sqlite_utils.Database, policy: Policy) -> tuple[RosterState, list[str]]:
    """Re-verify every stored roster event and derive the roster in force from the pinned root."""
    from desktop.trust.roster import pinned_root

    events, bad = reverified_events(db, "kind = ?", [ROSTER_KIND])
    problems = [f"the team roster's signature does not verify (event {eid[:12]}: {why})" for eid, why in bad]
    state = resolve_roster(pinned_root(db), events, lead_level=policy.lead_level, max_level=policy.max_level)
    return state, problems


def compute_findings(
    text: str, platforms: Sequence[str] = (), media: Sequence[dict] = ()
) -> tuple[list[Finding], str | None]:
    """Run the guideline engine, plus the alt-text check of the draft's images (`media`: dicts
    with "path" and "alt"); if the engine cannot run, assume the worst and say so."""
    try:
        from desktop.review.settings import build_engine, load_settings

        engine = build_engine(load_settings())
        return list(engine.check(text)) + media_findings(text, platforms, media), None
    except Exception as exc:  # the engine is optional here; its absence must not let posts through
        placeholder = Finding(
            rule="Greenlight.ReviewUnavailable",
            severity=Severity.ERROR,
            message="the guideline check could not run",
            start=0,
            end=0,
            line=1,
            column=1,
            tags=("sensitive",),
        )
        note = (
            f"the guideline check could not run ({type(exc).__name__}: {exc}), so the draft is treated as "
            "having an error and a sensitive finding"
        )
        return [placeholder], note


def media_findings(text: str, platforms: Sequence[str], media: Sequence[dict]) -> list[Finding]:
    """Only the image findings (missing or too long alt text) of the platform checks: the gate
    judges the draft's content, and an image nobody described is content an approver must see."""
    if not media:
        return []
    from desktop.review.platforms import PLATFORMS, platform_findings

    known = [p for p in platforms if p in PLATFORMS]  # an unknown platform is the publisher's to report
    return [
        f
        for f in platform_findings(text, known, media=media)
        if f.rule == "Platform.AltText" or f.rule.endswith("AltTextLength")
    ]


def with_account_minimums(db: sqlite_utils.Database, policy: Policy, accounts: list[str]) -> Policy:
    """Add the minimum trust level each publishing account demands (set with `accounts add
    --min-trust`) to the policy's own per-account minimums; the stricter of the two wins."""
    if "accounts" not in db.table_names() or not accounts:
        return policy
    merged = dict(policy.account_min_levels)
    for name in accounts:
        row = db.execute(
            "SELECT min_trust_level FROM accounts WHERE platform || ':' || handle = ?", [name]
        ).fetchone()
        if row and row[0]:
            merged[name] = max(merged.get(name, 0), int(row[0]))
    return replace(policy, account_min_levels=merged)


def check_publish(
    db: sqlite_utils.Database,
    draft_id: str,
    accounts: list[str] | None = None,
    *,
    findings: list[Finding] | None = None,
    now: datetime | None = None,
) -> Decision:
    """May this profile publish `draft_id` to `accounts` (default: the draft's accounts) now?"""
    from desktop.store.drafts import DraftStore, content_hash
    from desktop.trust.identity import load_identity
    from desktop.trust.ledger import Ledger
    from desktop.trust.policy_in_force import policy_in_force

    draft = DraftStore(db).get(draft_id)
    if draft.trashed:
        return _refuse(f"draft {draft.id} is in the trash")
    identity = load_identity(db)
    if identity is None:
        return _refuse("this profile has no identity: run `greenlight identity init --name NAME`")
    in_force = policy_in_force(db)
    policy = in_force.policy
    state, problems = verified_roster(db, policy)
    if problems:
        return _refuse("; ".join(problems))
    accounts = list(draft.accounts if accounts is None else accounts)
    policy = with_account_minimums(db, policy, accounts)
    note = None
    if findings is None:
        from desktop.store.media import DraftMedia

        media = [m.as_review_input() for m in DraftMedia(db).list(draft.id)]
        findings, note = compute_findings(draft.text, draft.platforms, media)

    ledger = Ledger(db)
    events, bad = reverified_events(db, "draft_id = ? ORDER BY created, author, seq", [draft.id])
    forged = [f"event {eid[:12]} of this draft does not verify and is ignored ({why})" for eid, why in bad]
    decision = evaluate(
        policy,
        state.roster,
        identity.public_key,
        content_hash(draft.text),
        accounts,
        findings,
        events,
        content_authors=ledger.content_authors,
        now=now or datetime.now(UTC),
    )
    decision.reasons.extend(forged)
    decision.not_counted.extend(forged)
    if note:
        decision.reasons.append(note)
    if in_force.note:
        decision.reasons.append(in_force.note)
    return decision
