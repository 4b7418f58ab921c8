"""`greenlight identity ...`: this profile's signing key (private half in the OS keyring only)."""

from __future__ import annotations

import argparse

from desktop.commands.io import print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("identity", help="your signing identity: create it, show your public key")
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    cmds = parser.add_subparsers(dest="identity_command", metavar="ACTION")

    p = cmds.add_parser("init", help="create your Ed25519 key pair; the private key goes to the OS keyring")
    p.add_argument("--name", required=True, help="your name as teammates will see it")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_init)

    p = cmds.add_parser("show", help="show your name, public key and fingerprint (give the key to your lead)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_show)


def _db():
    from desktop.paths import database_path
    from desktop.store.database import open_database

    return open_database(database_path())


def _print(identity, fmt: str) -> None:
    if fmt == "json":
        print_json(identity.as_json())
        return
    print(f"name:        {identity.name}")
    print(f"public key:  {identity.public_key}")
    print(f"fingerprint: {identity.fingerprint}")


def _init(args: argparse.Namespace) -> int:
    from desktop.trust.identity import create_identity

    identity = create_identity(_db(), args.name)
    _print(identity, args.format)
    if args.format == "text":
        print("The private key is in your OS keyring only. Send the public key to your team lead.")
    return 0


def _show(args: argparse.Namespace) -> int:
    from desktop.trust.identity import require_identity

    _print(require_identity(_db()), args.format)
    return 0
