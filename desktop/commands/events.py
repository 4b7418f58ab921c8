"""`greenlight events ...`: signed event files in and out (the shared-folder sync builds on these)."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.commands.io import print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "events", help="export and import signed event files (approvals, rosters, drafts)"
    )
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    cmds = parser.add_subparsers(dest="events_command", metavar="ACTION")

    p = cmds.add_parser(
        "export", help="write every event as its own signed file under DIR (never overwrites)"
    )
    p.add_argument(
        "--to", required=True, type=Path, metavar="DIR", help="folder to write to (created if missing)"
    )
    p.set_defaults(func=_export)

    p = cmds.add_parser("import", help="verify and import the event files under DIR (idempotent)")
    p.add_argument("dir", type=Path, metavar="DIR", help="folder to read *.json event files from")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_import)

    p = cmds.add_parser("held", help="list events kept aside (waiting for earlier events or for a roster)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_held)


def _ledger():
    from desktop.paths import database_path
    from desktop.store.database import open_database
    from desktop.trust.ledger import Ledger

    return Ledger(open_database(database_path()))


def _export(args: argparse.Namespace) -> int:
    from desktop.errors import GreenlightError

    try:
        args.to.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise GreenlightError(f"{args.to}: cannot create the folder ({exc.strerror})") from None
    n = _ledger().export_to(args.to)
    print(f"wrote {n} new event file(s) to {args.to}")
    return 0


def _import(args: argparse.Namespace) -> int:
    results = _ledger().import_from(args.dir)
    if args.format == "json":
        print_json(
            [
                {"file": str(p), "status": r.status, "reason": r.reason, "id": r.event_id, "kind": r.kind}
                for p, r in results
            ]
        )
        return 0
    counts: dict[str, int] = {}
    for path, r in results:
        counts[r.status] = counts.get(r.status, 0) + 1
        if r.status in ("rejected", "pending"):
            print(f"{r.status}: {path}: {r.reason}")
    print(", ".join(f"{n} {s}" for s, n in sorted(counts.items())) or "no event files found")
    return 0


def _held(args: argparse.Namespace) -> int:
    from desktop.trust.events import fingerprint

    held = _ledger().held()
    if args.format == "json":
        print_json(
            [
                {"id": e.id, "author": e.author, "seq": e.seq, "kind": e.kind, "status": s, "reason": r}
                for e, s, r in held
            ]
        )
        return 0
    for e, status, reason in held:
        print(f"{status}: {e.kind} #{e.seq} by {fingerprint(e.author)}: {reason}")
    if not held:
        print("nothing held")
    return 0
