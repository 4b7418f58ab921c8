"""`greenlight team package` and `greenlight team setup`: baking the team's setup into the installer.

Registered under the `team` group by `desktop.commands.team`; the work is in `desktop.provisioning`.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.commands.io import print_json

DEFAULT_OUT = Path("build") / "team"


def register(cmds: argparse._SubParsersAction) -> None:
    """Add `package` and `setup` to the `team` sub-commands."""
    p = cmds.add_parser(
        "package",
        help="write the team's guidelines, policy and root key into the installer build (admins)",
        description=(
            "Copy the team's guideline packs and policy into a team profile folder, with a manifest "
            "signed by the team's root key from this profile's keyring. `make dist` bakes build/team/ "
            "(or GREENLIGHT_TEAM_DIR) into the app; each member's first start verifies and applies it."
        ),
    )
    p.add_argument(
        "--guidelines",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder holding the team's style folders (<Style>/<Rule>.yml, Vale's format)",
    )
    p.add_argument(
        "--policy",
        required=True,
        type=Path,
        metavar="FILE",
        help="the team's trust policy (YAML, as policy.yml)",
    )
    p.add_argument(
        "--root-key",
        required=True,
        metavar="KEY",
        help="the team's root public key (ed25519:..., or a file holding it); its private half must be "
        "this profile's signing key",
    )
    p.add_argument(
        "--shared-folder-hint",
        metavar="PATH",
        default=None,
        help="the shared folder members should use, pre-filled in their first-run dialog (~ and $VARS allowed)",
    )
    p.add_argument(
        "--team-name",
        metavar="NAME",
        default=None,
        help="the team's name shown to members (default: the name from `team init`, else 'Team')",
    )
    p.add_argument(
        "--out",
        type=Path,
        metavar="DIR",
        default=DEFAULT_OUT,
        help=f"where to write the team profile (default: {DEFAULT_OUT}, which `make dist` picks up)",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_package)

    p = cmds.add_parser(
        "setup",
        help="show the team setup this installation carries and whether it verifies; apply it",
        description=(
            "Verify the team setup baked into this installation against its root key and apply it to "
            "this profile (the app does this at start). Exit 2 when it fails verification."
        ),
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_setup)


def _team_name_from_roster() -> str | None:
    from desktop.paths import database_path
    from desktop.store.database import open_database
    from desktop.trust.ledger import Ledger

    db = open_database(database_path())
    try:
        roster = Ledger(db).roster_state().roster
        return roster.team if roster else None
    except Exception:  # no team yet, or a roster that does not verify: the name is only cosmetic
        return None
    finally:
        db.conn.close()


def _package(args: argparse.Namespace) -> int:
    from desktop.paths import database_path
    from desktop.provisioning import package_team
    from desktop.store.database import open_database
    from desktop.trust.identity import require_identity, signing_key

    db = open_database(database_path())
    try:
        key = signing_key(require_identity(db))
    finally:
        db.conn.close()
    profile = package_team(
        args.out,
        guidelines=args.guidelines,
        policy=args.policy,
        root_key=args.root_key,
        signing_key=key,
        team_name=args.team_name or _team_name_from_roster() or "Team",
        shared_folder_hint=args.shared_folder_hint,
    )
    if args.format == "json":
        print_json(profile.as_json() | {"directory": str(profile.directory)})
        return 0
    print(
        f"wrote the team setup of {profile.team_name} to {profile.directory} "
        f"({len(profile.files) - 1} guideline file(s) and the policy), signed by root key {profile.root_fingerprint}"
    )
    default = DEFAULT_OUT.resolve() == profile.directory.resolve()
    env = "" if default else f"GREENLIGHT_TEAM_DIR={profile.directory} "
    print(f"Build the installer with it: {env}make deb   (or {env}make dist)")
    return 0


def _setup(args: argparse.Namespace) -> int:
    from desktop.errors import GreenlightError
    from desktop.provisioning import AdoptStatus, adopt_bundled_team

    result = adopt_bundled_team()
    if args.format == "json":
        print_json(result.as_json())
        return 2 if result.status is AdoptStatus.REFUSED else 0
    if result.status is AdoptStatus.REFUSED:
        raise GreenlightError(result.message)
    print(result.message)
    return 0
