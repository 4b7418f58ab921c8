"""The team roster: members, their public keys and trust levels, signed by a lead.

A roster is the payload of a `roster.signed` event: a complete snapshot with a version number.
Which snapshot is in force is decided from the pinned root key alone (pinned by `team init`,
`team join` or the installer; never taken from an event): version 1 must be signed by the root,
and each later version by the root or by a lead of the roster in force before it. Anything else,
such as a member raising their own level, is ignored with the reason kept. Because the whole chain
is re-derived from the signed events, editing the database cannot promote anyone either.

Payload of `roster.signed`:
    team: str          the team's name
    version: int       1, 2, 3 ... (a higher version replaces a lower one)
    members: list of {name: str, key: "ed25519:...", level: int}
    crisis: bool       the team-wide crisis switch (see policy.yml `crisis`)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from desktop.errors import GreenlightError
from desktop.trust.events import Event, EventError, fingerprint, load_public_key

ROSTER_KIND = "roster.signed"


class RosterError(GreenlightError):
    """The roster cannot be used or changed as asked; the message says why."""


@dataclass(frozen=True)
class Member:
    name: str
    key: str
    level: int

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.key)

    def as_json(self) -> dict[str, Any]:
        return {"name": self.name, "key": self.key, "level": self.level, "fingerprint": self.fingerprint}


@dataclass(frozen=True)
class Roster:
    team: str
    version: int
    members: tuple[Member, ...]
    crisis: bool
    signed_by: str
    event_id: str
    signed_at: str

    def member(self, key: str) -> Member | None:
        for m in self.members:
            if m.key == key:
                return m
        return None

    def level_of(self, key: str) -> int | None:
        m = self.member(key)
        return m.level if m else None

    def by_name(self, name: str) -> Member | None:
        wanted = name.strip().casefold()
        for m in self.members:
            if m.name.casefold() == wanted or m.fingerprint == name.strip():
                return m
        return None

    def name_of(self, key: str) -> str:
        m = self.member(key)
        return m.name if m else f"unknown key {fingerprint(key)}"

    def payload(self) -> dict[str, Any]:
        return roster_payload(self.team, self.version, self.members, crisis=self.crisis)


@dataclass
class RosterState:
    """The roster in force (or None) and why each other roster event was not taken."""

    root_key: str | None
    roster: Roster | None
    ignored: dict[str, str] = field(default_factory=dict)  # event id -> reason


def roster_payload(
    team: str, version: int, members: Iterable[Member], *, crisis: bool = False
) -> dict[str, Any]:
    return {
        "team": team,
        "version": version,
        "members": [{"name": m.name, "key": m.key, "level": m.level} for m in members],
        "crisis": bool(crisis),
    }


def parse_roster(event: Event, max_level: int) -> Roster:
    """Check a roster payload's shape; raise EventError naming the problem."""
    p = event.payload
    team, version, members, crisis = p.get("team"), p.get("version"), p.get("members"), p.get("crisis", False)
    if not isinstance(team, str) or not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise EventError("roster payload needs a team name and a version from 1")
    if not isinstance(members, list) or not isinstance(crisis, bool):
        raise EventError("roster payload needs a list of members and a true/false crisis switch")
    parsed: list[Member] = []
    seen: set[str] = set()
    for i, m in enumerate(members):
        if not isinstance(m, dict):
            raise EventError(f"roster member {i + 1} is not an object")
        name, key, level = m.get("name"), m.get("key"), m.get("level")
        if not isinstance(name, str) or not name.strip() or not isinstance(key, str):
            raise EventError(f"roster member {i + 1} needs a name and a key")
        load_public_key(key)
        if not isinstance(level, int) or isinstance(level, bool) or not 0 <= level <= max_level:
            raise EventError(f"roster member {name!r} has level {level!r}; levels are 0 to {max_level}")
        if key in seen:
            raise EventError(f"roster lists the key of {name!r} twice")
        seen.add(key)
        parsed.append(Member(name.strip(), key, level))
    return Roster(team, version, tuple(parsed), crisis, event.author, event.id, event.created)


def resolve_roster(
    root_key: str | None, events: Iterable[Event], *, lead_level: int, max_level: int
) -> RosterState:
    """Walk roster events by version and keep those signed by the root or a lead of the one before."""
    state = RosterState(root_key, None)
    candidates = sorted((e for e in events if e.kind == ROSTER_KIND), key=lambda e: (_version(e), e.id))
    for event in candidates:
        if root_key is None:
            state.ignored[event.id] = "this profile has not joined a team (no root key is pinned)"
            continue
        try:
            roster = parse_roster(event, max_level)
        except EventError as exc:
            state.ignored[event.id] = f"invalid roster: {exc}"
            continue
        current = state.roster
        reason = authorize_roster_change(
            current, event.author, roster, root_key=root_key, lead_level=lead_level
        )
        if reason:
            state.ignored[event.id] = reason
            continue
        state.roster = roster
    return state


def authorize_roster_change(
    current: Roster | None, signer: str, new: Roster, *, root_key: str, lead_level: int
) -> str | None:
    """None when `signer` may put `new` in force after `current`; otherwise the reason in words."""
    if current is not None and new.version <= current.version:
        return f"roster version {new.version} is not newer than the one in force (version {current.version})"
    if signer != root_key:
        if current is None:
            return f"the first roster must be signed by the team's root key, not {fingerprint(signer)}"
        level = current.level_of(signer)
        if level is None:
            return f"roster signed by {fingerprint(signer)}, who is not in the team roster"
        if level < lead_level:
            return (
                f"roster edited by a non-lead: {current.name_of(signer)} is level {level}; "
                f"only level {lead_level} or the root key may sign the roster"
            )
    if not any(m.key == root_key and m.level >= lead_level for m in new.members):
        return "a roster must keep the team's root key as a lead"
    return None


def _version(event: Event) -> int:
    v = event.payload.get("version")
    return v if isinstance(v, int) and not isinstance(v, bool) else 0


# -- the pinned root key -----------------------------------------------------------------------------


def pinned_root(db: sqlite_utils.Database) -> str | None:
    if "team_pin" not in db.table_names():
        return None
    row = db.execute("SELECT root_key FROM team_pin WHERE id = 1").fetchone()
    return row[0] if row else None


def pin_root(db: sqlite_utils.Database, root_key: str) -> None:
    """Pin the team's root key; refuse to silently replace a different one."""
    from desktop.store.database import utcnow

    load_public_key(root_key)
    current = pinned_root(db)
    if current == root_key:
        return
    if current is not None:
        raise RosterError(
            f"this profile already belongs to a team with root key {fingerprint(current)}; "
            "use a new profile (GREENLIGHT_HOME) to join another team"
        )
    with db.conn:
        db.execute("INSERT INTO team_pin (id, root_key, pinned) VALUES (1, ?, ?)", [root_key, utcnow()])


def unpin_root(db: sqlite_utils.Database) -> None:
    with db.conn:
        db.execute("DELETE FROM team_pin WHERE id = 1")
