"""Team operations: start a team, add members and change their levels, the crisis switch, joining.

Each change is a new complete roster, signed by a lead as a `roster.signed` event (plus a
`trust.changed` event recording a level change, for the trust report). Refusals are
`PolicyRefusal`s with the reason, so the CLI exits with 3.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from desktop.errors import GreenlightError, PolicyRefusal
from desktop.trust.events import Event, fingerprint, load_public_key
from desktop.trust.identity import require_identity
from desktop.trust.ledger import ImportResult, Ledger
from desktop.trust.roster import (
    ROSTER_KIND,
    Member,
    Roster,
    RosterError,
    pin_root,
    pinned_root,
    roster_payload,
    unpin_root,
)


def current_roster(ledger: Ledger) -> Roster:
    roster = ledger.roster_state().roster
    if roster is None:
        if pinned_root(ledger.db) is None:
            raise RosterError(
                "this profile is not in a team yet: a lead runs `greenlight team init`; others run "
                "`greenlight team join --from DIR --root-key KEY`"
            )
        raise RosterError(
            "no signed roster from the team's root key has been imported yet (`greenlight events import`)"
        )
    return roster


def _require_lead(ledger: Ledger, roster: Roster) -> None:
    me = ledger.author
    level = roster.level_of(me)
    if me != ledger.roster_state().root_key and (level is None or level < ledger.policy.lead_level):
        raise PolicyRefusal(
            f"only a lead ({ledger.policy.level_name(ledger.policy.lead_level)}) may change the roster; "
            f"you are {ledger.policy.level_name(level)}"
        )


def init_team(db: sqlite_utils.Database, team: str, *, ledger: Ledger | None = None) -> Roster:
    """Start a team with this profile's key as its root and only lead."""
    ledger = ledger or Ledger(db)
    identity = require_identity(db)
    if pinned_root(db) is not None:
        raise RosterError(
            f"this profile already belongs to a team (root key {fingerprint(pinned_root(db) or '')}); "
            "use a new profile to start another"
        )
    pin_root(db, identity.public_key)
    try:
        me = Member(identity.name, identity.public_key, ledger.policy.lead_level)
        ledger.append(ROSTER_KIND, roster_payload(team.strip() or "Team", 1, [me]))
    except BaseException:
        unpin_root(db)
        raise
    ledger.invalidate()
    return current_roster(ledger)


def _publish_roster(ledger: Ledger, roster: Roster, members: list[Member], *, crisis: bool) -> Roster:
    ledger.append(ROSTER_KIND, roster_payload(roster.team, roster.version + 1, members, crisis=crisis))
    ledger.invalidate()
    return current_roster(ledger)


def _check_level(ledger: Ledger, level: int) -> None:
    if level not in ledger.policy.levels:
        names = ", ".join(f"{n} {name}" for n, name in sorted(ledger.policy.levels.items()))
        raise GreenlightError(f"unknown level {level}; the policy defines {names}")


def add_member(
    db: sqlite_utils.Database,
    name: str,
    key: str,
    level: int,
    *,
    note: str = "",
    ledger: Ledger | None = None,
) -> Roster:
    ledger = ledger or Ledger(db)
    roster = current_roster(ledger)
    _require_lead(ledger, roster)
    _check_level(ledger, level)
    name = name.strip()
    if not name:
        raise GreenlightError("a member needs a name")
    try:
        load_public_key(key)
    except ValueError as exc:
        raise GreenlightError(
            f"--key: {exc} (ask them for the output of `greenlight identity show`)"
        ) from None
    key = key.strip()
    existing = roster.member(key)
    if existing is not None:
        raise GreenlightError(
            f"that key already belongs to {existing.name} (level {existing.level}); use `greenlight team set-level`"
        )
    if roster.by_name(name) is not None:
        raise GreenlightError(f"the roster already has a member called {name!r}; pick a distinct name")
    new = _publish_roster(ledger, roster, [*roster.members, Member(name, key, level)], crisis=roster.crisis)
    _record_change(ledger, key, name, None, level, new.version, note)
    return new


def set_level(
    db: sqlite_utils.Database, who: str, level: int, *, note: str = "", ledger: Ledger | None = None
) -> Roster:
    ledger = ledger or Ledger(db)
    roster = current_roster(ledger)
    _require_lead(ledger, roster)
    _check_level(ledger, level)
    member = roster.by_name(who)
    if member is None:
        raise GreenlightError(f"no member {who!r} in the roster (see `greenlight team show`)")
    if member.key == ledger.roster_state().root_key and level < ledger.policy.lead_level:
        raise PolicyRefusal("the team's root key must stay a lead")
    if member.level == level:
        return roster
    members = [Member(m.name, m.key, level) if m.key == member.key else m for m in roster.members]
    new = _publish_roster(ledger, roster, members, crisis=roster.crisis)
    _record_change(ledger, member.key, member.name, member.level, level, new.version, note)
    return new


def remove_member(db: sqlite_utils.Database, who: str, *, ledger: Ledger | None = None) -> Roster:
    ledger = ledger or Ledger(db)
    roster = current_roster(ledger)
    _require_lead(ledger, roster)
    member = roster.by_name(who)
    if member is None:
        raise GreenlightError(f"no member {who!r} in the roster (see `greenlight team show`)")
    if member.key == ledger.roster_state().root_key:
        raise PolicyRefusal("the team's root key cannot be removed")
    members = [m for m in roster.members if m.key != member.key]
    return _publish_roster(ledger, roster, members, crisis=roster.crisis)


def set_crisis(db: sqlite_utils.Database, active: bool, *, ledger: Ledger | None = None) -> Roster:
    ledger = ledger or Ledger(db)
    roster = current_roster(ledger)
    _require_lead(ledger, roster)
    if roster.crisis == active:
        return roster
    return _publish_roster(ledger, roster, list(roster.members), crisis=active)


def _record_change(
    ledger: Ledger, key: str, name: str, old: int | None, new: int, version: int, note: str
) -> Event:
    payload = {"member": key, "name": name, "from": old, "to": new, "roster_version": version, "note": note}
    return ledger.append("trust.changed", payload)


@dataclass
class JoinResult:
    roster: Roster
    results: list[tuple[Path, ImportResult]]
    my_level: int | None


def join_team(
    db: sqlite_utils.Database, source: Path, root_key: str, *, ledger: Ledger | None = None
) -> JoinResult:
    """Pin the team's root key, then import the events in `source`; a roster from that root must be among them."""
    ledger = ledger or Ledger(db)
    identity = require_identity(db)
    try:
        load_public_key(root_key)
    except ValueError as exc:
        raise GreenlightError(f"--root-key: {exc}") from None
    root_key = root_key.strip()
    if not Path(source).is_dir():
        raise GreenlightError(f"{source}: no such folder; give the folder the lead exported events to")
    was_pinned = pinned_root(db)
    pin_root(db, root_key)
    ledger.invalidate()
    results = ledger.import_from(Path(source))
    ledger.invalidate()
    roster = ledger.roster_state().roster
    if roster is None:
        if was_pinned is None:
            unpin_root(db)
            ledger.invalidate()
        rejected = [r.reason for _, r in results if r.status == "rejected"][:3]
        detail = f" ({'; '.join(rejected)})" if rejected else ""
        raise RosterError(
            f"{source}: no roster signed by the root key {fingerprint(root_key)} was found among "
            f"{len(results)} event file(s){detail}. Check the folder and the key; nothing was pinned."
        )
    return JoinResult(roster, results, roster.level_of(identity.public_key))
