"""Joining a team from its shared folder, and a lead publishing the team's policy and guidelines there.

A lead publishes the team's trust policy and guideline packs as a signed `team.published` event
(payload: `version`, `policy` text, `guidelines` {relative path: text}); it travels like any
other event. A new member joins with only the folder and the team's root key (given to them by
the lead through a trusted channel, or pinned by the installer): the root key is pinned, the
folder is synced (the roster signed by that root says whose events count), and the newest
publication signed by the root or a lead of the roster is installed into the profile:
`policy.yml` and `guidelines/` under the profile's configuration folder. Anything not signed by
the team's leads, a policy that does not validate, or a file name that tries to leave the
guidelines folder is refused with the reason; nothing is installed half-way.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlite_utils

from desktop.errors import GreenlightError
from desktop.sync.layout import LayoutError, TeamFolder, safe_relative_name
from desktop.trust.events import Event, fingerprint

PUBLISHED = "team.published"
GUIDELINE_SUFFIXES = (".yml", ".yaml", ".txt", ".ini", ".md")
MAX_GUIDELINE_FILES = 5000


class TeamSetupError(GreenlightError):
    """Joining or publishing failed; the message says what and what to do."""


def guidelines_dir() -> Path:
    """Where the team's published guideline packs are installed in this profile."""
    from desktop.paths import config_dir

    return config_dir() / "guidelines"


def policy_file() -> Path:
    from desktop.paths import config_dir
    from desktop.trust.policy import POLICY_FILE

    return config_dir() / POLICY_FILE


def collect_guidelines(folder: Path) -> dict[str, str]:
    """Read a guideline folder (Vale style folders, .vale.ini, vocabularies) for publishing."""
    if not folder.is_dir():
        raise TeamSetupError(f"{folder}: no such folder of guidelines")
    out: dict[str, str] = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink() or not path.is_file() or not path.name.endswith(GUIDELINE_SUFFIXES):
            continue
        rel = path.relative_to(folder).as_posix()
        try:
            safe_relative_name(rel, allow_subdirs=True)
            out[rel] = path.read_text(encoding="utf-8")
        except (LayoutError, UnicodeDecodeError) as exc:
            raise TeamSetupError(f"{path}: cannot be published ({exc})") from None
    if len(out) > MAX_GUIDELINE_FILES:
        raise TeamSetupError(
            f"{folder}: {len(out)} files is more than a guideline set ({MAX_GUIDELINE_FILES})"
        )
    return out


def publish(
    db: sqlite_utils.Database, ledger: Any, *, policy: Path | None = None, guidelines: Path | None = None
) -> Event:
    """Sign and record the team's policy and/or guidelines (a lead only); the next sync shares it."""
    from desktop.trust.policy import parse_policy

    if policy is None and guidelines is None:
        raise TeamSetupError("give --policy FILE and/or --guidelines DIR to publish")
    state = ledger.roster_state()
    if not _may_publish(state, ledger.author, ledger.policy.lead_level):
        raise TeamSetupError("only the team's root key or a lead in the roster may publish the team's setup")
    previous = latest_publication(db, ledger)
    payload: dict[str, Any] = {"version": (previous.payload["version"] + 1) if previous else 1}
    if policy is not None:
        try:
            text = policy.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise TeamSetupError(f"{policy}: cannot read the policy ({exc})") from None
        parse_policy(text, str(policy))  # refuse to publish a policy that would not load
        payload["policy"] = text
    elif previous is not None and "policy" in previous.payload:
        payload["policy"] = previous.payload["policy"]
    if guidelines is not None:
        payload["guidelines"] = collect_guidelines(guidelines)
    elif previous is not None and "guidelines" in previous.payload:
        payload["guidelines"] = previous.payload["guidelines"]
    return ledger.append(PUBLISHED, payload)


def _may_publish(state: Any, author: str, lead_level: int) -> bool:
    if state.root_key is None:
        return False
    if author == state.root_key:
        return True
    level = state.roster.level_of(author) if state.roster else None
    return level is not None and level >= lead_level


def _payload_problem(payload: dict[str, Any]) -> str | None:
    version = payload.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        return "needs a version from 1"
    if "policy" in payload and not isinstance(payload["policy"], str):
        return "policy must be text"
    files = payload.get("guidelines", {})
    if not isinstance(files, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in files.items()
    ):
        return "guidelines must map file names to text"
    for name in files:
        try:
            safe_relative_name(name, allow_subdirs=True)
        except LayoutError as exc:
            return str(exc)
        if not name.endswith(GUIDELINE_SUFFIXES):
            return f"guideline file {name!r} is not a rule, vocabulary or configuration file"
    return None


def latest_publication(db: sqlite_utils.Database, ledger: Any) -> Event | None:
    """The newest well-formed `team.published` signed by the team's root or one of its leads."""
    from desktop.trust.ledger import event_from_body

    state = ledger.roster_state()
    best: Event | None = None
    for (body,) in db.execute("SELECT body FROM events WHERE kind = ? AND void IS NULL", [PUBLISHED]):
        event = event_from_body(body)
        if not _may_publish(state, event.author, ledger.policy.lead_level) or _payload_problem(event.payload):
            continue
        if best is None or (event.payload["version"], event.id) > (best.payload["version"], best.id):
            best = event
    return best


@dataclass
class Installed:
    event_id: str
    version: int
    signed_by: str
    policy: bool
    guideline_files: int

    def as_json(self) -> dict[str, Any]:
        return {
            "event_id": self.event_id,
            "version": self.version,
            "signed_by": self.signed_by,
            "policy": self.policy,
            "guideline_files": self.guideline_files,
        }


def install_latest(db: sqlite_utils.Database, ledger: Any) -> Installed | None:
    """Install the newest team publication if it is not installed yet (idempotent)."""
    from desktop.sync import settings
    from desktop.trust.policy import parse_policy

    event = latest_publication(db, ledger)
    if event is None:
        return None
    p = event.payload
    result = Installed(
        event.id, p["version"], fingerprint(event.author), "policy" in p, len(p.get("guidelines", {}))
    )
    if settings.get(db, "team_published") == event.id:
        return result
    if "policy" in p:
        parse_policy(p["policy"], f"team policy v{p['version']} from {fingerprint(event.author)}")
    if "guidelines" in p:
        _install_guidelines(p["guidelines"])
    if "policy" in p:
        target = policy_file()
        target.parent.mkdir(parents=True, exist_ok=True)
        from desktop.sync.atomic import write_atomic

        write_atomic(target, p["policy"].encode("utf-8"), overwrite=True)
        ledger.invalidate()
        ledger._policy = None  # the ledger caches the policy it loaded
    settings.put(db, "team_published", event.id)
    return result


def _install_guidelines(files: dict[str, str]) -> None:
    """Write the whole set into a new folder, then swap it in: never a half-installed set."""
    target = guidelines_dir()
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".guidelines-new-", dir=target.parent))
    try:
        for name, text in files.items():
            rel = safe_relative_name(name, allow_subdirs=True)
            path = staging.joinpath(*rel.parts)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        old = None
        if target.exists():
            old = target.with_name(f".guidelines-old-{staging.name[-8:]}")
            target.rename(old)
        staging.rename(target)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def join(db: sqlite_utils.Database, folder: Path, root_key: str) -> dict[str, Any]:
    """Join the team whose shared folder is `folder`, trusting only `root_key`."""
    from desktop.sync.engine import open_engine
    from desktop.trust.events import load_public_key
    from desktop.trust.identity import require_identity
    from desktop.trust.roster import pin_root, pinned_root, unpin_root

    identity = require_identity(db)
    load_public_key(root_key)
    root_key = root_key.strip()
    TeamFolder(folder).check_usable()
    was_pinned = pinned_root(db)
    pin_root(db, root_key)
    engine = open_engine(db, folder)
    engine.ledger.invalidate()
    report = engine.sync()
    engine.ledger.invalidate()
    roster = engine.ledger.roster_state().roster
    if roster is None:
        if was_pinned is None:
            unpin_root(db)
        raise TeamSetupError(
            f"{folder}: no roster signed by the root key {fingerprint(root_key)} is in this folder. "
            "Check the folder and the key (ask your lead); nothing was pinned."
        )
    installed = install_latest(db, engine.ledger)
    member = roster.member(identity.public_key)
    return {
        "team": roster.team,
        "roster_version": roster.version,
        "root_key": root_key,
        "member": member.as_json() if member else None,
        "installed": installed.as_json() if installed else None,
        "sync": report.as_json(),
        "note": None
        if member
        else "you are not in the roster yet: send your lead the output of `greenlight identity show`",
    }
