"""Which trust policy the publish gate applies: the team's signed one, not whatever file is on disk.

A profile's `policy.yml` is an ordinary file its user can edit, so on its own it cannot decide what
that user may publish. When the team has a signed policy, that is the one in force:

1. the newest policy a lead published through the shared folder (a `team.published` event, its
   signature re-verified here, signed by the pinned root key or a roster member at lead level), else
2. the policy the installer baked in (the team profile whose manifest verifies against the pinned
   root key), else
3. the profile's own or the shipped policy file (a profile that is not in a team).

Whether a publisher counts as a lead is judged with the policy shipped inside the app, never the
editable local file, so the local file cannot promote anyone.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from desktop.trust.events import fingerprint
from desktop.trust.policy import POLICY_FILE, Policy, PolicyError, load_policy, parse_policy

PUBLISHED_KIND = "team.published"


@dataclass(frozen=True)
class PolicyInForce:
    policy: Policy
    source: str  # "team-published", "installer", "local" (words for the status)
    note: str | None = None  # e.g. the local file differs from the team's and is not used


def policy_in_force(db: sqlite_utils.Database) -> PolicyInForce:
    from desktop.paths import config_dir, shipped_guidelines
    from desktop.trust.gate import reverified_events, verified_roster
    from desktop.trust.roster import pinned_root

    local = load_policy()
    root = pinned_root(db)
    if root is None:
        return PolicyInForce(local, "local")
    baseline = load_policy(shipped_guidelines() / POLICY_FILE)
    state, _problems = verified_roster(db, baseline)

    def is_lead(key: str) -> bool:
        if key == root:
            return True
        level = state.roster.level_of(key) if state.roster else None
        return level is not None and level >= baseline.lead_level

    published, _bad = reverified_events(db, "kind = ?", [PUBLISHED_KIND])
    candidates = [
        e
        for e in published
        if is_lead(e.author)
        and isinstance(e.payload.get("policy"), str)
        and isinstance(e.payload.get("version"), int)
    ]
    text, source, label = None, "", ""
    if candidates:
        newest = max(candidates, key=lambda e: (e.payload["version"], e.id))
        text = newest.payload["policy"]
        source = "team-published"
        label = f"team policy v{newest.payload['version']} signed by {fingerprint(newest.author)}"
    else:
        text, label = _installer_policy(root)
        source = "installer" if text is not None else ""
    if text is None:
        return PolicyInForce(local, "local")
    try:
        signed = parse_policy(text, label)
    except PolicyError as exc:
        return PolicyInForce(
            local, "local", f"the team's signed policy does not load ({exc}); using {POLICY_FILE}"
        )
    own = config_dir() / POLICY_FILE
    note = None
    if own.is_file() and own.read_text(encoding="utf-8", errors="replace") != text:
        note = f"{own} differs from the team's signed policy and is not used for publishing"
    return PolicyInForce(signed, source, note)


def _installer_policy(root: str) -> tuple[str | None, str]:
    """The installer's team policy, if its manifest verifies against the pinned root key."""
    try:
        from desktop.provisioning import TeamProfileError, team_home, verify_team_dir

        team = verify_team_dir(team_home() / "current", pinned_root_key=root)
        return team.policy_path.read_text(
            encoding="utf-8"
        ), f"team policy from the installer ({team.team_name})"
    except (ImportError, OSError, TeamProfileError, UnicodeDecodeError):
        return None, ""
