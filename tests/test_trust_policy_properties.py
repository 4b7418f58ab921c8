"""Property tests: no sequence of events lets a post that needs approval be published without it.

Each example builds a fresh profile database with a signed roster, then plays a random sequence of
writer actions (edit, submit, withdraw) and approver events, honest or hostile: self-approvals,
approvals by outsiders or by members below the required level, approvals of other content or of an
earlier submission, expired, forged or altered approvals, rejections, replays. After every step the
real gate (`check_publish`, over the real ledger and SQLite) is compared with a model of what
genuinely happened. The keys are in memory here (hundreds of identities per run); the keyring path
is covered by the profile tests.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from desktop.review.findings import Finding, Severity
from desktop.store import DraftStore
from desktop.store.database import open_database
from desktop.store.drafts import content_hash
from desktop.trust.events import Event, b64, canonical_json, public_key_text
from desktop.trust.gate import check_publish
from desktop.trust.ledger import Ledger
from desktop.trust.policy import load_policy
from desktop.trust.roster import Member, pin_root, roster_payload
from desktop.trust.workflow import submit, withdraw

TEXTS = ["Fair on Saturday.", "Fair on Sunday.", "Fair is cancelled."]
APPROVERS = {"lead": 4, "senior": 3, "contrib": 1, "outsider": None}
VARIANTS = ["genuine", "genuine", "wrong_hash", "old_submission", "expired", "forged", "altered", "self"]

approve = st.tuples(
    st.just("approve"), st.tuples(st.sampled_from(sorted(APPROVERS)), st.sampled_from(VARIANTS))
)
actions = st.lists(
    st.one_of(
        approve,
        approve,
        st.tuples(st.just("edit"), st.sampled_from(TEXTS)),
        st.tuples(st.just("submit"), st.just(None)),
        st.tuples(st.just("withdraw"), st.just(None)),
        st.tuples(st.just("reject"), st.sampled_from(sorted(APPROVERS))),
        st.tuples(st.just("replay"), st.integers(0, 20)),
    ),
    max_size=10,
)
findings_strategy = st.lists(
    st.tuples(st.sampled_from(list(Severity)), st.sampled_from([(), ("sensitive",), ("legal",), ("brand",)])),
    max_size=3,
)


@dataclass
class Actor:
    key: Ed25519PrivateKey
    level: int | None
    seq: int = 0
    prev: str | None = None

    @property
    def public(self) -> str:
        return public_key_text(self.key.public_key())

    def sign(self, kind: str, payload: dict, draft_id: str, created: str, *, advance: bool = True) -> Event:
        event = Event(kind, self.public, self.seq + 1, self.prev, created, payload, draft_id).signed(self.key)
        if advance:
            self.seq, self.prev = event.seq, event.id
        return event


@dataclass
class Model:
    """What genuinely happened, kept independently of events and the gate."""

    text: str
    submission: Event | None = None
    submitted_text: str | None = None
    withdrawn: bool = False
    rejected: bool = False
    genuine: set[str] = field(default_factory=set)  # names of approvers of the current submission


def iso(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def write_policy(outrank: bool, approver_min: int) -> None:
    """This profile's own policy: the shipped one with the approver rules varied."""
    from desktop.paths import config_dir, shipped_guidelines

    text = (shipped_guidelines() / "policy.yml").read_text(encoding="utf-8")
    text = re.sub(r"min_level: 3 #", f"min_level: {approver_min} #", text, count=1)
    text = text.replace("must_outrank_author: true", f"must_outrank_author: {str(outrank).lower()}")
    (config_dir() / "policy.yml").write_text(text, encoding="utf-8")


S = ("submit", None)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    writer_level=st.integers(0, 4),
    steps=actions,
    raw_findings=findings_strategy,
    crisis=st.booleans(),
    outrank=st.booleans(),
    approver_min=st.integers(0, 4),
)
@example(1, [S, ("approve", ("lead", "expired"))], [], False, True, 3)
@example(3, [S, ("approve", ("writer", "self"))], [(Severity.ERROR, ())], False, False, 3)
@example(1, [S, ("approve", ("lead", "wrong_hash"))], [], False, True, 3)
@example(1, [S, ("approve", ("lead", "forged"))], [], False, True, 3)
@example(1, [S, ("approve", ("lead", "altered"))], [], False, True, 3)
@example(1, [S, ("approve", ("outsider", "genuine"))], [], False, False, 0)
@example(1, [S, ("approve", ("contrib", "genuine"))], [], False, True, 0)
@example(0, [S, ("approve", ("lead", "genuine")), ("replay", 0)], [], False, True, 3)
@example(1, [S, ("edit", TEXTS[1]), S, ("approve", ("lead", "old_submission"))], [], False, True, 3)
@example(1, [S, ("approve", ("lead", "genuine")), ("edit", TEXTS[2])], [], False, True, 3)
@example(1, [S, ("approve", ("lead", "genuine")), ("reject", "senior")], [], False, True, 3)
@example(
    2, [S, ("approve", ("senior", "genuine")), ("withdraw", None)], [(Severity.WARNING, ())], False, True, 3
)
def test_no_event_sequence_publishes_without_the_required_approvals(
    writer_level, steps, raw_findings, crisis, outrank, approver_min
):
    write_policy(outrank, approver_min)
    steps = [S, *steps]
    policy = load_policy()
    findings = [
        Finding(f"Pack.R{i}", sev, "m", 0, 1, 1, 1, tags=tags) for i, (sev, tags) in enumerate(raw_findings)
    ]
    now = datetime.now(UTC) + timedelta(minutes=1)
    with tempfile.TemporaryDirectory() as tmp:
        db = open_database(Path(tmp) / "greenlight.db")
        writer = Actor(Ed25519PrivateKey.generate(), writer_level)
        people = {name: Actor(Ed25519PrivateKey.generate(), level) for name, level in APPROVERS.items()}
        people["writer"] = writer
        lead = people["lead"]
        # The writer's profile: identity (public half), pinned root, the lead's signed roster.
        db.execute(
            "INSERT INTO identity (id, name, public_key, keyring_service, keyring_user, created) "
            "VALUES (1, 'writer', ?, 'unused', 'unused', ?)",
            [writer.public, iso(now)],
        )
        pin_root(db, lead.public)
        members = [Member(n, a.public, a.level) for n, a in people.items() if a.level is not None]
        ledger = Ledger(db, key=writer.key)
        roster = lead.sign("roster.signed", roster_payload("T", 1, members, crisis=crisis), None, iso(now))
        assert ledger.import_event(roster.to_json()).status == "accepted"

        store = DraftStore(db)
        model = Model(TEXTS[0])
        draft_id = store.create(model.text).id
        sent: list[Event] = []
        submissions: list[Event] = []

        for action, arg in steps:
            if action == "edit":
                store.save(draft_id, arg)
                model.text = arg
            elif action == "submit":
                event, created = submit(db, draft_id, ledger=ledger)
                if created:
                    submissions.append(event)
                    model.submission, model.submitted_text = event, model.text
                    model.withdrawn = model.rejected = False
                    model.genuine = set()
            elif action == "withdraw":
                if model.submission is not None and not model.withdrawn:
                    withdraw(db, draft_id, ledger=ledger)
                    model.withdrawn = True
            elif action in ("approve", "reject"):
                name, variant = arg if action == "approve" else (arg, "genuine")
                actor = writer if variant == "self" else people[name]
                sub = model.submission
                if sub is None:
                    continue
                target, digest, created = sub, sub.payload["content_hash"], iso(datetime.now(UTC))
                if variant == "wrong_hash":
                    digest = content_hash("not what was submitted")
                elif variant == "old_submission":
                    if len(submissions) < 2:
                        continue
                    target = submissions[-2]
                    digest = target.payload["content_hash"]
                elif variant == "expired":
                    created = iso(now - timedelta(hours=policy.approval_expiry_hours + 1))
                if action == "reject":
                    payload = {"submission": target.id, "content_hash": digest, "note": "no"}
                    event = actor.sign("approval.rejected", payload, draft_id, created)
                else:
                    payload = {"submission": target.id, "content_hash": digest, "accounts": [], "note": ""}
                    if variant == "forged":  # claims to be by `actor`, signed with the outsider's key
                        event = actor.sign("approval.approved", payload, draft_id, created, advance=False)
                        forged = people["outsider"].key.sign(canonical_json(event.body()))
                        event = replace(event, signature=b64(forged))
                    elif variant == "altered":  # signed, then its payload changed in transit
                        event = actor.sign("approval.approved", payload, draft_id, created, advance=False)
                        event = replace(event, payload={**payload, "accounts": ["everything"]})
                    elif variant == "self":  # the writer's own key, next in the writer's own chain
                        event = ledger.append("approval.approved", payload, draft_id=draft_id)
                    else:
                        event = actor.sign("approval.approved", payload, draft_id, created)
                result = ledger.import_event(event.to_json())
                sent.append(event)
                in_roster = actor.level is not None
                if action == "reject" and in_roster and target is sub:
                    model.rejected = True
                if (
                    action == "approve"
                    and variant == "genuine"
                    and in_roster
                    and actor is not writer
                    and result.status == "accepted"
                ):
                    model.genuine.add(name)
            elif action == "replay" and sent:
                ledger.import_event(sent[arg % len(sent)].to_json())

            decision = check_publish(db, draft_id, [], findings=findings, now=now)
            requirement = policy.requirement(writer_level, findings, [], crisis=crisis)
            floor = policy.approver_floor(writer_level)
            valid_levels = [APPROVERS[n] for n in model.genuine if APPROVERS[n] >= floor]
            open_and_current = (
                model.submission is not None
                and not model.withdrawn
                and not model.rejected
                and model.submitted_text == model.text
            )
            enough = all(
                sum(1 for lv in valid_levels if lv >= n.min_level) >= n.count for n in requirement.needs
            )
            if not requirement.needs:
                assert decision.may_publish, decision.reasons
            else:
                # Safety: publishing is allowed only with the genuine approvals the policy asks for ...
                if decision.may_publish:
                    assert open_and_current and enough, (decision.reasons, model)
                # ... and liveness: those approvals are enough.
                if open_and_current and enough:
                    assert decision.may_publish, decision.reasons
        db.conn.close()
