"""The profile's ledger of signed events: appending its own, importing others', exporting files.

Every event is stored whole (the signed JSON) in the `events` table, one chain per author with no
gaps, so any check can be re-run from what is stored and history cannot be rewritten silently.
Importing is idempotent and order-independent:

- a malformed, altered or forged event is **rejected** and not stored;
- an event whose author the roster does not list (yet) is **rejected** with that reason, but kept
  aside (`events_held`) and accepted automatically if a later roster adds the author;
- an event that skips ahead in its author's chain is **pending**: kept aside and applied when the
  missing events arrive;
- a *different* event at a position already filled is **rejected** as a fork or replay; the first
  one stays;
- an event that is validly signed and chained but does not count (a self-approval, an approval
  of other content, a roster signed by a non-lead) is stored marked void, so the author's later
  events still chain, and reported as **rejected** with the reason. The gate never trusts
  these verdicts anyway: it re-derives everything from the signed events.

Event kinds and their payloads (all bound to `draft_id` except roster.signed and trust.changed):

    roster.signed               see desktop.trust.roster
    trust.changed               {member: key, name, from: int | None, to: int, roster_version: int, note}
    draft.revised               {title, text, platforms: [str], accounts: [str], content_hash,
                                 base: id of the draft.revised event this was edited from, or None}
    approval.submitted          {revision: id of the draft.revised event with the content, content_hash,
                                 accounts: [str], acknowledgements: [{rule, match, reason}]}
    approval.approved           {submission: id of approval.submitted, content_hash, accounts, note}
    approval.rejected           {submission, content_hash, note (required, non-empty)}
    approval.withdrawn          {submission, note}
    approval.changes_requested  {submission, content_hash, note,
                                 comments: [{start: int, end: int, quote: str, comment: str}]}
    publish.recorded            {account, remote_id, url, content_hash} (written by the publish path)

Unknown kinds (from a newer Greenlight) are stored and chained but otherwise ignored.
"""

from __future__ import annotations

import json
import os
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.errors import GreenlightError
from desktop.store.database import write_transaction
from desktop.trust.events import (
    Event,
    EventError,
    event_file_name,
    fingerprint,
    folder_fingerprint,
    public_key_text,
)
from desktop.trust.roster import ROSTER_KIND, RosterState, authorize_roster_change, parse_roster, pinned_root

MAX_EVENT_BYTES = 32 * 1024 * 1024
IMPORT_CHUNK = 100
APPROVAL_KINDS = (
    "approval.submitted",
    "approval.approved",
    "approval.rejected",
    "approval.withdrawn",
    "approval.changes_requested",
)
KNOWN_KINDS = (ROSTER_KIND, "trust.changed", "draft.revised", *APPROVAL_KINDS, "publish.recorded")


@dataclass(frozen=True)
class ImportResult:
    status: str  # "accepted" | "duplicate" | "rejected" | "pending"
    reason: str = ""
    event_id: str | None = None
    kind: str | None = None

    @property
    def ok(self) -> bool:
        return self.status in ("accepted", "duplicate")


def event_from_body(body: str | dict) -> Event:
    """Rebuild an event from its stored JSON without re-verifying (the gate verifies what it uses)."""
    data = json.loads(body) if isinstance(body, str) else body
    return Event(
        kind=data["kind"],
        author=data["author"],
        seq=data["seq"],
        prev=data["prev"],
        created=data["created"],
        payload=data["payload"],
        draft_id=data.get("draft_id"),
        version=data.get("v", 1),
        signature=data.get("signature", ""),
    )


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def payload_problem(kind: str, payload: dict[str, Any]) -> str | None:
    """Why this payload is malformed for its kind, or None. Keeps bad events out at both ends."""
    from desktop.store.drafts import content_hash

    def need_str(*keys: str) -> str | None:
        for k in keys:
            if not isinstance(payload.get(k), str):
                return f"{kind} needs a text field {k!r}"
        return None

    if kind == "draft.revised":
        problem = need_str("title", "text", "content_hash")
        if problem:
            return problem
        if not _is_str_list(payload.get("platforms")) or not _is_str_list(payload.get("accounts")):
            return "draft.revised needs lists of platforms and accounts"
        if payload.get("base") is not None and not isinstance(payload.get("base"), str):
            return "draft.revised base must be an event id or null"
        if content_hash(payload["text"]) != payload["content_hash"]:
            return "draft.revised content_hash does not match its text"
    elif kind == "approval.submitted":
        problem = need_str("revision", "content_hash")
        if problem:
            return problem
        if not _is_str_list(payload.get("accounts")):
            return "approval.submitted needs a list of accounts"
        acks = payload.get("acknowledgements", [])
        if not isinstance(acks, list) or not all(isinstance(a, dict) for a in acks):
            return "approval.submitted acknowledgements must be a list of {rule, match, reason}"
    elif kind in ("approval.approved", "approval.rejected", "approval.changes_requested"):
        problem = need_str("submission", "content_hash")
        if problem:
            return problem
        if kind == "approval.approved" and not _is_str_list(payload.get("accounts")):
            return "approval.approved needs the list of accounts it covers"
        if kind == "approval.rejected" and not str(payload.get("note", "")).strip():
            return "a rejection needs a note saying why"
        if kind == "approval.changes_requested":
            comments = payload.get("comments", [])
            if not isinstance(comments, list) or not all(isinstance(c, dict) for c in comments):
                return "approval.changes_requested comments must be a list of {start, end, quote, comment}"
    elif kind == "approval.withdrawn":
        return need_str("submission")
    elif kind == "trust.changed":
        problem = need_str("member")
        if problem:
            return problem
        if not isinstance(payload.get("to"), int):
            return "trust.changed needs the new level `to`"
    return None


class Ledger:
    """One profile's events. Signing uses this profile's identity key, read from the OS keyring.

    `key` may be passed instead (benchmarks and in-memory property tests create many identities);
    the application itself always signs with the keyring-held key.
    """

    def __init__(self, db: sqlite_utils.Database, *, key: Ed25519PrivateKey | None = None) -> None:
        self.db = db
        self._key = key
        self._policy = None
        self._roster_state: RosterState | None = None

    # -- identity, policy, roster -------------------------------------------------------------------

    def _signing_key(self) -> Ed25519PrivateKey:
        if self._key is None:
            from desktop.trust.identity import require_identity, signing_key

            self._key = signing_key(require_identity(self.db))
        return self._key

    @property
    def author(self) -> str:
        """This profile's public key (without touching the keyring when an identity is recorded)."""
        if self._key is not None:
            return public_key_text(self._key.public_key())
        from desktop.trust.identity import require_identity

        return require_identity(self.db).public_key

    @property
    def policy(self):
        if self._policy is None:
            from desktop.trust.policy import load_policy

            self._policy = load_policy()
        return self._policy

    def roster_state(self) -> RosterState:
        """The roster in force, derived from the pinned root and the stored roster events."""
        if self._roster_state is None:
            from desktop.trust.roster import resolve_roster

            events = [
                event_from_body(b)
                for (b,) in self.db.execute("SELECT body FROM events WHERE kind = ?", [ROSTER_KIND])
            ]
            self._roster_state = resolve_roster(
                pinned_root(self.db),
                events,
                lead_level=self.policy.lead_level,
                max_level=self.policy.max_level,
            )
        return self._roster_state

    def invalidate(self) -> None:
        self._roster_state = None

    # -- reading ------------------------------------------------------------------------------------

    def get(self, event_id: str) -> Event | None:
        row = self.db.execute("SELECT body FROM events WHERE id = ?", [event_id]).fetchone()
        return event_from_body(row[0]) if row else None

    def void_reason(self, event_id: str) -> str | None:
        row = self.db.execute("SELECT void FROM events WHERE id = ?", [event_id]).fetchone()
        return row[0] if row else None

    def events(self, since_received: str | None = None) -> list[Event]:
        """Every stored event (or those received after `since_received`), ordered by (author, seq)."""
        if since_received is None:
            rows = self.db.execute("SELECT body FROM events ORDER BY author, seq")
        else:
            rows = self.db.execute(
                "SELECT body FROM events WHERE received > ? ORDER BY author, seq", [since_received]
            )
        return [event_from_body(b) for (b,) in rows]

    def own_events(self) -> list[Event]:
        rows = self.db.execute("SELECT body FROM events WHERE author = ? ORDER BY seq", [self.author])
        return [event_from_body(b) for (b,) in rows]

    def draft_events(self, draft_id: str, kinds: tuple[str, ...] | None = None) -> list[Event]:
        """A draft's events, oldest first by the authors' clocks (ties by author and position)."""
        if kinds:
            marks = ",".join("?" * len(kinds))
            rows = self.db.execute(
                f"SELECT body FROM events WHERE draft_id = ? AND kind IN ({marks}) ORDER BY created, author, seq",
                [draft_id, *kinds],
            )
        else:
            rows = self.db.execute(
                "SELECT body FROM events WHERE draft_id = ? ORDER BY created, author, seq", [draft_id]
            )
        return [event_from_body(b) for (b,) in rows]

    def held(self) -> list[tuple[Event, str, str]]:
        """Events kept aside: (event, status, reason)."""
        rows = self.db.execute("SELECT body, status, reason FROM events_held ORDER BY author, seq")
        return [(event_from_body(b), s, r) for b, s, r in rows]

    def _last(self, author: str) -> tuple[int, str | None]:
        row = self.db.execute(
            "SELECT seq, id FROM events WHERE author = ? ORDER BY seq DESC LIMIT 1", [author]
        ).fetchone()
        return (row[0], row[1]) if row else (0, None)

    # -- writing our own ----------------------------------------------------------------------------

    def append(self, kind: str, payload: dict[str, Any], *, draft_id: str | None = None) -> Event:
        """Sign and store a new event as the next link of this profile's chain."""
        from desktop.store.database import utcnow

        problem = payload_problem(kind, payload)
        if problem:
            raise GreenlightError(f"cannot record {kind}: {problem}")
        key = self._signing_key()
        author = public_key_text(key.public_key())
        with write_transaction(self.db.conn):
            seq, prev = self._last(author)
            event = Event(kind, author, seq + 1, prev, utcnow(), payload, draft_id).signed(key)
            self._store(event, void=None)
            self._apply(event, own=True)
        if kind == ROSTER_KIND:
            self.invalidate()
            self._drain()
        return event

    def _store(self, event: Event, *, void: str | None) -> None:
        from desktop.store.database import utcnow

        self.db.execute(
            "INSERT INTO events (id, author, seq, kind, draft_id, created, body, received, void) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                event.id,
                event.author,
                event.seq,
                event.kind,
                event.draft_id,
                event.created,
                json.dumps(event.to_json(), ensure_ascii=False, sort_keys=True),
                utcnow(),
                void,
            ],
        )
        self.db.execute("DELETE FROM events_held WHERE id = ?", [event.id])

    # -- importing ----------------------------------------------------------------------------------

    def import_event(self, event_json: dict) -> ImportResult:
        """Verify and apply one event from another profile (or our own, re-read); see module doc."""
        try:
            event = Event.from_json(event_json)
        except EventError as exc:
            kind = event_json.get("kind") if isinstance(event_json, dict) else None
            return ImportResult("rejected", str(exc), None, kind if isinstance(kind, str) else None)
        result = self._import(event)
        if result.status == "accepted":
            self._drain(event)
        return result

    def _import(self, event: Event) -> ImportResult:
        who = fingerprint(event.author)
        if self.db.execute("SELECT 1 FROM events WHERE id = ?", [event.id]).fetchone():
            void = self.void_reason(event.id)
            note = f"already recorded (it does not count: {void})" if void else "already recorded"
            return ImportResult("duplicate", note, event.id, event.kind)
        clash = self.db.execute(
            "SELECT id FROM events WHERE author = ? AND seq = ?", [event.author, event.seq]
        ).fetchone()
        if clash:
            return ImportResult(
                "rejected",
                f"a different event #{event.seq} by {who} is already recorded ({clash[0][:12]}): this one is a "
                "replay or a rewritten history (fork); the recorded one is kept",
                event.id,
                event.kind,
            )
        state = self.roster_state()
        known = state.roster is not None and state.roster.member(event.author) is not None
        if not known and not (event.kind == ROSTER_KIND and event.author == state.root_key):
            if state.root_key is None:
                reason = (
                    "this profile has not joined a team yet, so it cannot tell whose events to trust: "
                    "run `greenlight team join --from DIR --root-key KEY`; the event is kept aside until then"
                )
            else:
                reason = (
                    f"signed by a key not in the team roster ({who}); kept aside in case a later roster "
                    "adds it, and it counts for nothing until then"
                )
            self._hold(event, "rejected", reason)
            return ImportResult("rejected", reason, event.id, event.kind)
        last_seq, last_id = self._last(event.author)
        if event.seq > last_seq + 1:
            reason = (
                f"waiting for earlier events of {who} (has #{last_seq}, this is #{event.seq}); "
                "it is kept and applied when they arrive"
            )
            self._hold(event, "pending", reason)
            return ImportResult("pending", reason, event.id, event.kind)
        if event.prev != last_id:
            return ImportResult(
                "rejected",
                f"event #{event.seq} of {who} does not follow the recorded #{last_seq} (its 'prev' differs): "
                "a forked or rewritten history; the recorded chain is kept",
                event.id,
                event.kind,
            )
        void = self._void_reason(event, state)
        with write_transaction(self.db.conn):
            self._store(event, void=void)
            if void is None:
                self._apply(event, own=False)
        if event.kind == ROSTER_KIND:
            self.invalidate()
        if void:
            return ImportResult(
                "rejected",
                f"{void} (kept in {who}'s history so their later events still chain; it counts for nothing)",
                event.id,
                event.kind,
            )
        return ImportResult("accepted", "", event.id, event.kind)

    def _hold(self, event: Event, status: str, reason: str) -> None:
        from desktop.store.database import utcnow

        with write_transaction(self.db.conn):
            self.db.execute(
                "INSERT INTO events_held (id, author, seq, kind, body, received, status, reason) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(id) DO UPDATE SET status = excluded.status, "
                "reason = excluded.reason",
                [
                    event.id,
                    event.author,
                    event.seq,
                    event.kind,
                    json.dumps(event.to_json(), ensure_ascii=False, sort_keys=True),
                    utcnow(),
                    status,
                    reason,
                ],
            )

    def _drain(self, trigger: Event | None = None) -> None:
        """Retry held events that `trigger` may unblock: the same author's next ones, or all of them
        after a roster change (or with no trigger). Repeats while anything is accepted."""
        everyone = trigger is None or trigger.kind == ROSTER_KIND
        authors = set() if trigger is None else {trigger.author}
        while everyone or authors:
            if everyone:
                rows = self.db.execute("SELECT body FROM events_held ORDER BY author, seq").fetchall()
            else:
                marks = ",".join("?" * len(authors))
                rows = self.db.execute(
                    f"SELECT body FROM events_held WHERE author IN ({marks}) ORDER BY author, seq",
                    sorted(authors),
                ).fetchall()
            everyone, authors = False, set()
            for (body,) in rows:
                event = event_from_body(body)
                if self._import(event).status == "accepted":
                    authors.add(event.author)
                    everyone = everyone or event.kind == ROSTER_KIND

    def _void_reason(self, event: Event, state: RosterState) -> str | None:
        """Why a well-signed, well-chained event does not count; None if it does."""
        if event.kind not in KNOWN_KINDS:
            return None
        problem = payload_problem(event.kind, event.payload)
        if problem:
            return problem
        if event.kind == ROSTER_KIND:
            try:
                roster = parse_roster(event, self.policy.max_level)
            except EventError as exc:
                return f"invalid roster: {exc}"
            if state.root_key is None:
                return "this profile has not joined a team (no root key is pinned)"
            return authorize_roster_change(
                state.roster, event.author, roster, root_key=state.root_key, lead_level=self.policy.lead_level
            )
        if event.kind == "trust.changed":
            level = state.roster.level_of(event.author) if state.roster else None
            if event.author != state.root_key and (level is None or level < self.policy.lead_level):
                return f"trust changed by {fingerprint(event.author)}, who is not a lead"
            return None
        if event.kind in APPROVAL_KINDS and event.kind != "approval.submitted":
            if not event.draft_id:
                return f"{event.kind} is not bound to a draft"
            sub = self.get(event.payload["submission"])
            if sub is None:
                return None  # the submission may still be on its way; the gate decides later
            if sub.kind != "approval.submitted" or sub.draft_id != event.draft_id:
                return f"{event.kind} refers to {event.payload['submission'][:12]}, which is not a submission of this draft"
            if event.kind == "approval.withdrawn":
                if event.author != sub.author:
                    return "only the writer who submitted a draft may withdraw it"
                return None
            if event.payload.get("content_hash") != sub.payload.get("content_hash"):
                return "approval for other content: its content hash differs from the submitted draft's"
            if event.kind == "approval.approved" and event.author in self.content_authors(sub):
                return "self-approval: nobody approves their own post"
        if event.kind == "approval.submitted":
            if not event.draft_id:
                return "approval.submitted is not bound to a draft"
            revision = self.get(event.payload["revision"])
            if revision is not None and revision.payload.get("content_hash") != event.payload["content_hash"]:
                return "the submission's content hash differs from the revision it names"
        return None

    def content_authors(self, submission: Event) -> set[str]:
        """Who wrote the submitted words: the submitter and the author of the submitted revision."""
        authors = {submission.author}
        revision = self.get(str(submission.payload.get("revision", "")))
        if revision is not None:
            authors.add(revision.author)
        return authors

    # -- projections --------------------------------------------------------------------------------

    def _apply(self, event: Event, *, own: bool) -> None:
        """Bring local tables (drafts, their status) in line with an accepted event. Idempotent."""
        if event.kind == "draft.revised" and not own and event.draft_id:
            self._apply_revision(event)
        elif event.draft_id and (event.kind in APPROVAL_KINDS or event.kind == "publish.recorded"):
            self.refresh_status(event.draft_id)

    def _apply_revision(self, event: Event) -> None:
        # Shared drafts are projected by desktop.sync.sharing: the current version is chosen from
        # every draft.revised event the same way on every replica, whatever order they arrived in,
        # concurrent edits are kept as a conflict, and uncaptured local edits are never overwritten.
        # During a sync the projection runs once per draft after the batch (which then refreshes
        # the status too); a draft not created yet makes refresh_status a no-op here.
        from desktop.sync.sharing import revision_imported

        revision_imported(self.db, event.draft_id)
        self.refresh_status(event.draft_id)

    def refresh_status(self, draft_id: str) -> None:
        """Set the draft's status from its latest submission and what followed it."""
        row = self.db.execute("SELECT status FROM drafts WHERE id = ?", [draft_id]).fetchone()
        if row is None:
            return
        status = derive_status(self.draft_events(draft_id))
        if status and status != row[0]:
            from desktop.store.drafts import DraftStore

            DraftStore(self.db).update(draft_id, status=status)

    # -- files --------------------------------------------------------------------------------------

    def export_to(self, directory: Path) -> int:
        """Write each event as its own file `<fingerprint-dashed>/<seq:08d>-<id>.json`; return how many
        were new. Files are written atomically and never overwritten, so exporting is idempotent."""
        directory = Path(directory)
        written = 0
        for event in self.events():
            folder = directory / folder_fingerprint(event.author)
            target = folder / event_file_name(event)
            if target.exists():
                continue
            folder.mkdir(parents=True, exist_ok=True)
            data = (json.dumps(event.to_json(), ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode()
            if write_new_file(target, data):
                written += 1
        return written

    def import_from(self, directory: Path) -> list[tuple[Path, ImportResult]]:
        """Import every `*.json` event file under `directory` (rosters first, then by chain position)."""
        directory = Path(directory)
        if not directory.is_dir():
            raise GreenlightError(f"{directory}: no such folder to import events from")
        results: dict[Path, ImportResult] = {}
        parsed: list[tuple[tuple, Path, dict]] = []
        for path in sorted(directory.rglob("*.json")):
            if path.name.startswith(".") or path.is_symlink() or not path.is_file():
                continue
            try:
                if path.stat().st_size > MAX_EVENT_BYTES:
                    raise ValueError("too large to be an event")
                data = json.loads(path.read_bytes().decode("utf-8"))
            except (OSError, ValueError) as exc:
                results[path] = ImportResult(
                    "rejected", f"not a readable event file ({exc}); partial or damaged"
                )
                continue
            if not isinstance(data, dict):
                results[path] = ImportResult("rejected", "not an event (expected a JSON object)")
                continue
            order = (data.get("kind") != ROSTER_KIND, str(data.get("author")), _int_or_zero(data.get("seq")))
            parsed.append((order, path, data))
        ordered = sorted(parsed, key=lambda item: item[0])
        # Commit in chunks: one durable commit per event costs an fsync each; a crash mid-chunk only
        # means those files are imported again next time (import is idempotent).
        for start in range(0, len(ordered), IMPORT_CHUNK):
            with write_transaction(self.db.conn):
                for _, path, data in ordered[start : start + IMPORT_CHUNK]:
                    results[path] = self.import_event(data)
        # Some held events were accepted later in the same run, once what they waited for arrived.
        for path, result in results.items():
            if result.status in ("pending", "rejected") and result.event_id and self.get(result.event_id):
                void = self.void_reason(result.event_id)
                if void is None:
                    results[path] = ImportResult("accepted", "", result.event_id, result.kind)
        return sorted(results.items())


def _int_or_zero(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def write_new_file(target: Path, data: bytes) -> bool:
    """Atomically create `target` with `data` (temp file, fsync, link into place); never overwrite.

    Returns False when a file of that name already exists.
    """
    tmp = target.with_name(f".gl-tmp-{os.getpid()}-{os.urandom(4).hex()}-{target.name}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o644)
    try:
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(fd, view) :]
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(tmp, target)  # fails if the name exists: no overwrite, even in a race
        except FileExistsError:
            return False
        except OSError:
            if target.exists():  # a file system without hard links: check, then rename
                return False
            os.replace(tmp, target)
        return True
    finally:
        with suppress(FileNotFoundError):
            os.unlink(tmp)


def derive_status(events: list[Event]) -> str | None:
    """The draft status implied by its events (None: leave the local status alone)."""
    if any(e.kind == "publish.recorded" for e in events):
        return "published"
    submissions = [e for e in events if e.kind == "approval.submitted"]
    if not submissions:
        return None
    latest = submissions[-1]
    after = [e for e in events if e.payload.get("submission") == latest.id]
    kinds = {e.kind for e in after}
    if "approval.withdrawn" in kinds:
        return "draft"
    if "approval.rejected" in kinds:
        return "rejected"
    if "approval.changes_requested" in kinds:
        return "draft"
    if "approval.approved" in kinds:
        return "approved"
    return "submitted"
