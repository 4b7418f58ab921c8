"""`greenlight team ...`: the signed team roster (members, keys, trust levels) and joining a team."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.commands.io import print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("team", help="the team roster: start a team, add members, set levels, join")
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    cmds = parser.add_subparsers(dest="team_command", metavar="ACTION")

    p = cmds.add_parser("init", help="start a team with your key as its root and first lead")
    p.add_argument("--name", default="Team", help="the team's name (default: Team)")
    p.set_defaults(func=_init)

    p = cmds.add_parser("add", help="add a member with their public key and trust level (leads only)")
    p.add_argument("name", metavar="NAME", help="the member's name")
    p.add_argument(
        "--key", required=True, metavar="PUBKEY", help="their public key, from `greenlight identity show`"
    )
    p.add_argument("--level", required=True, type=int, metavar="N", help="trust level (0 Trainee ... 4 Lead)")
    p.add_argument("--note", default="", help="why (kept in the trust history)")
    p.set_defaults(func=_add)

    p = cmds.add_parser("set-level", help="change a member's trust level (leads only)")
    p.add_argument("name", metavar="NAME", help="the member's name or key fingerprint")
    p.add_argument("--level", required=True, type=int, metavar="N", help="the new trust level")
    p.add_argument("--note", default="", help="why (kept in the trust history)")
    p.set_defaults(func=_set_level)

    p = cmds.add_parser("remove", help="remove a member from the roster (leads only)")
    p.add_argument("name", metavar="NAME", help="the member's name or key fingerprint")
    p.set_defaults(func=_remove)

    p = cmds.add_parser("crisis", help="switch crisis mode on or off: every post then needs a lead")
    p.add_argument("state", choices=("on", "off"), help="on or off")
    p.set_defaults(func=_crisis)

    p = cmds.add_parser("show", help="show the roster in force and who signed it")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_show)

    p = cmds.add_parser("join", help="join a team: pin its root key and import its signed roster")
    p.add_argument(
        "--from",
        dest="source",
        required=True,
        type=Path,
        metavar="DIR",
        help="folder with the team's exported events (`greenlight events export`)",
    )
    p.add_argument(
        "--root-key",
        required=True,
        metavar="PUBKEY",
        help="the team's root public key, obtained from your lead through a trusted channel",
    )
    p.set_defaults(func=_join)

    from desktop.commands import team_package  # `team package` / `team setup`: the installer's team setup

    team_package.register(cmds)


def _db():
    from desktop.paths import database_path
    from desktop.store.database import open_database

    return open_database(database_path())


def _print_roster(roster, fmt: str) -> None:
    from desktop.trust.policy import load_policy

    policy = load_policy()
    if fmt == "json":
        print_json(
            {
                "team": roster.team,
                "version": roster.version,
                "crisis": roster.crisis,
                "signed_by": roster.signed_by,
                "signed_at": roster.signed_at,
                "members": [
                    {**m.as_json(), "level_name": policy.levels.get(m.level)} for m in roster.members
                ],
            }
        )
        return
    print(
        f"team {roster.team}, roster version {roster.version}, signed by {roster.name_of(roster.signed_by)}"
        f" at {roster.signed_at}"
    )
    if roster.crisis:
        print("CRISIS MODE is on: every post needs a lead's approval")
    for m in sorted(roster.members, key=lambda m: (-m.level, m.name.casefold())):
        print(f"  {m.name:<24} {policy.level_name(m.level):<18} {m.fingerprint}")


def _init(args: argparse.Namespace) -> int:
    from desktop.trust.team import init_team

    roster = init_team(_db(), args.name)
    _print_roster(roster, "text")
    print("Share your public key (`greenlight identity show`) with members: they join with it as --root-key.")
    return 0


def _add(args: argparse.Namespace) -> int:
    from desktop.trust.team import add_member

    _print_roster(add_member(_db(), args.name, args.key, args.level, note=args.note), "text")
    return 0


def _set_level(args: argparse.Namespace) -> int:
    from desktop.trust.team import set_level

    _print_roster(set_level(_db(), args.name, args.level, note=args.note), "text")
    return 0


def _remove(args: argparse.Namespace) -> int:
    from desktop.trust.team import remove_member

    _print_roster(remove_member(_db(), args.name), "text")
    return 0


def _crisis(args: argparse.Namespace) -> int:
    from desktop.trust.team import set_crisis

    _print_roster(set_crisis(_db(), args.state == "on"), "text")
    return 0


def _show(args: argparse.Namespace) -> int:
    from desktop.trust.ledger import Ledger
    from desktop.trust.team import current_roster

    _print_roster(current_roster(Ledger(_db())), args.format)
    return 0


def _join(args: argparse.Namespace) -> int:
    from desktop.trust.team import join_team

    result = join_team(_db(), args.source, args.root_key)
    counts: dict[str, int] = {}
    for _, r in result.results:
        counts[r.status] = counts.get(r.status, 0) + 1
    print(
        f"joined team {result.roster.team} (roster version {result.roster.version}); events: "
        + ", ".join(f"{n} {s}" for s, n in sorted(counts.items()))
    )
    if result.my_level is None:
        print(
            "You are not in the roster yet: send your public key (`greenlight identity show`) to a lead, "
            "then import the roster that adds you."
        )
    else:
        from desktop.trust.policy import load_policy

        print(f"You are {load_policy().level_name(result.my_level)}.")
    return 0
