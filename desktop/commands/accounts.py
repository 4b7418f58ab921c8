"""`greenlight accounts ...`: add, list, test, edit and remove publishing accounts.

The secret is read from a hidden prompt, or from stdin when stdin is not a terminal (scripts,
password managers: `pass show blog | greenlight accounts add ...`). It never appears on the command
line, where other users could read it from the process list or the shell history.
"""

from __future__ import annotations

import argparse
import sys

from desktop.commands.io import print_json
from desktop.errors import GreenlightError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "accounts", help="add, list, test and remove publishing accounts (secrets in the OS keyring)"
    )
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    cmds = parser.add_subparsers(dest="accounts_command", metavar="ACTION")

    p = cmds.add_parser(
        "add",
        help="add an account (or replace its secret); the secret is read from a hidden prompt or stdin",
    )
    p.add_argument(
        "--platform", required=True, choices=("bluesky", "wordpress", "mastodon"), help="the platform"
    )
    p.add_argument(
        "--handle", required=True, help="Bluesky handle, WordPress user name, or Mastodon user name"
    )
    p.add_argument(
        "--server", help="server URL (Bluesky default https://bsky.social; required for the others)"
    )
    p.add_argument(
        "--min-trust",
        type=int,
        default=0,
        metavar="LEVEL",
        help="trust level (0-4) this account demands (default 0)",
    )
    p.set_defaults(func=_add)

    p = cmds.add_parser("list", help="list accounts (never their secrets)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_list)

    p = cmds.add_parser(
        "test", help="log in to the platform with the stored secret and report who it says we are"
    )
    p.add_argument("account", help="platform:handle, a unique handle, or the account id")
    p.set_defaults(func=_test)

    p = cmds.add_parser("edit", help="change an account's server or demanded trust level")
    p.add_argument("account", help="platform:handle, a unique handle, or the account id")
    p.add_argument("--server", help="new server URL")
    p.add_argument("--min-trust", type=int, metavar="LEVEL", help="trust level (0-4) this account demands")
    p.set_defaults(func=_edit)

    p = cmds.add_parser("remove", help="remove an account and delete its secret from the keyring")
    p.add_argument("account", help="platform:handle, a unique handle, or the account id")
    p.set_defaults(func=_remove)


def _store():
    from desktop.publish.accounts import AccountStore
    from desktop.store import DraftStore

    return AccountStore(DraftStore.open().db)


def read_secret(prompt: str) -> str:
    """Hidden prompt on a terminal; otherwise the first line of stdin."""
    if sys.stdin is not None and not sys.stdin.isatty():
        line = sys.stdin.readline()
        secret = line.rstrip("\r\n")
    else:
        import getpass

        secret = getpass.getpass(prompt)
    if not secret.strip():
        raise GreenlightError("no secret given: paste the app password or access token (input is hidden)")
    return secret


def _add(args: argparse.Namespace) -> int:
    from desktop.publish import secrets

    secrets.check_available()  # before asking for the secret: say what to install first
    kind = {"bluesky": "app password", "wordpress": "application password", "mastodon": "access token"}
    secret = read_secret(f"{kind[args.platform]} for {args.handle} (hidden): ")
    acc = _store().add(args.platform, args.handle, secret, server=args.server, min_trust_level=args.min_trust)
    print(
        f"added {acc.name} on {acc.server}; the secret is in the OS keyring. Check it with "
        f"`greenlight accounts test {acc.name}`"
    )
    return 0


def _list(args: argparse.Namespace) -> int:
    accounts = _store().list()
    if args.format == "json":
        print_json([a.as_json() for a in accounts])
        return 0
    if not accounts:
        print("no publishing accounts; add one with `greenlight accounts add --platform P --handle H`")
    for a in accounts:
        tested = "never tested"
        if a.last_tested:
            tested = ("ok " if a.last_test_ok else "FAILED ") + a.last_tested[:16].replace("T", " ")
        print(f"{a.name:<36} {a.server:<32} min trust {a.min_trust_level}  {tested}")
    return 0


def _test(args: argparse.Namespace) -> int:
    from desktop.publish.errors import PublishError
    from desktop.publish.service import publisher_for

    store = _store()
    acc = store.get(args.account)
    secret = store.secret(acc)
    publisher = publisher_for(acc, secret)
    try:
        who = publisher.verify()
        limits = publisher.limits()
    except PublishError as exc:
        store.record_test(acc, False, str(exc))
        raise
    message = (
        f"logged in as {who}; posts up to {limits.max_characters} {limits.counts}, {limits.max_images} images"
    )
    store.record_test(acc, True, message)
    print(f"{acc.name}: {message}")
    return 0


def _edit(args: argparse.Namespace) -> int:
    acc = _store().edit(args.account, min_trust_level=args.min_trust, server=args.server)
    print(f"{acc.name}: server {acc.server}, demands trust level {acc.min_trust_level}")
    return 0


def _remove(args: argparse.Namespace) -> int:
    acc = _store().remove(args.account)
    print(f"removed {acc.name} and its secret from the keyring")
    return 0
