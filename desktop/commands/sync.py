"""`greenlight sync ...`: exchange events through the team's shared folder; `drafts share/resolve`.

`greenlight sync [--folder DIR]` syncs once (the folder is remembered for the next time);
`--status` shows the last sync and open problems without syncing; `--join ROOT_KEY` joins the
team published in the folder; `--publish-team` (a lead) shares the team's policy and guidelines.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.commands.io import print_json, read_text_arg
from desktop.errors import EXIT_NETWORK, GreenlightError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "sync",
        help="sync drafts and approvals with the team's shared folder",
        description="Export your new events to the team folder and import everyone else's. "
        "Bad files found there are quarantined locally with the reason, never applied.",
    )
    p.add_argument(
        "--folder",
        type=Path,
        metavar="DIR",
        help="the team's shared folder (OneDrive, Dropbox, SMB share); remembered for later syncs",
    )
    p.add_argument("--full", action="store_true", help="re-check every file, not only what changed")
    p.add_argument("--status", action="store_true", help="show the last sync and open problems; do not sync")
    p.add_argument(
        "--join",
        metavar="ROOT_KEY",
        help="join the team in --folder: pin its root key (from your lead) and install its policy and guidelines",
    )
    p.add_argument(
        "--publish-team",
        action="store_true",
        help="(leads) publish the team's policy and/or guidelines to the folder for every member",
    )
    p.add_argument(
        "--policy", type=Path, metavar="FILE", help="with --publish-team: the policy.yml to publish"
    )
    p.add_argument(
        "--guidelines", type=Path, metavar="DIR", help="with --publish-team: the guideline packs folder"
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_sync)


def register_draft_commands(cmds: argparse._SubParsersAction) -> None:
    """`drafts share` and `drafts resolve`, added to the `drafts` group by desktop.commands.drafts."""
    p = cmds.add_parser(
        "share", help="share a draft with the team through the sync folder (private until then)"
    )
    p.add_argument("id", help="draft id (or a unique prefix of at least 6 characters)")
    p.set_defaults(func=_share)

    p = cmds.add_parser(
        "resolve",
        help="resolve concurrent edits of a shared draft: pick one version or give merged text",
        description="The competing versions are listed by `greenlight drafts show ID --format json` under "
        "`conflicts`. The resolution travels to everyone at the next sync.",
    )
    p.add_argument("id", help="draft id")
    which = p.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--pick", metavar="VERSION", help="keep this version (its event_id, or a unique prefix)"
    )
    which.add_argument("--text", metavar="FILE", help="the merged text, from FILE or - for stdin")
    p.add_argument("--title", help="also set the title")
    p.set_defaults(func=_resolve)


def _db():
    from desktop.paths import database_path
    from desktop.store import open_database

    return open_database(database_path())


def _print_report(report: dict, fmt: str) -> None:
    if fmt == "json":
        print_json(report)
        return
    print(
        f"synced with {report['folder']}: {report['exported']} exported, {report['imported']} imported"
        + (f", {report['repaired']} repaired" if report["repaired"] else "")
        + (f", {report['held']} waiting" if report["held"] else "")
        + (f", {report['retries']} write retries" if report["retries"] else "")
    )
    for problem in report["problems"]:
        print(f"  quarantined {problem['file']}: {problem['reason']}")
    for draft_id in report["conflicts"]:
        print(f"  conflict: draft {draft_id} has competing versions (greenlight drafts show {draft_id})")
    if report.get("team_setup"):
        t = report["team_setup"]
        print(f"  team setup v{t['version']} from {t['signed_by']} installed")
    for error in report["errors"]:
        print(f"greenlight: {error}", file=sys.stderr)


def _sync(args: argparse.Namespace) -> int:
    db = _db()
    if args.status:
        return _status(db, args.format)
    if args.join:
        if args.folder is None:
            raise GreenlightError("--join needs --folder DIR: the team's shared folder")
        from desktop.sync.team_setup import join

        result = join(db, args.folder, args.join)
        if args.format == "json":
            print_json(result)
        else:
            print(f"joined team {result['team']!r} (roster v{result['roster_version']})")
            if result["installed"]:
                i = result["installed"]
                print(
                    f"installed the team's setup v{i['version']}: policy {'yes' if i['policy'] else 'no'}, "
                    f"{i['guideline_files']} guideline file(s)"
                )
            if result["note"]:
                print(f"note: {result['note']}")
        return 0
    from desktop.sync.engine import open_engine

    engine = open_engine(db, args.folder)
    if args.publish_team:
        from desktop.sync.team_setup import publish

        event = publish(db, engine.ledger, policy=args.policy, guidelines=args.guidelines)
        print(f"published the team's setup v{event.payload['version']}", file=sys.stderr)
    elif args.policy or args.guidelines:
        raise GreenlightError("--policy and --guidelines go with --publish-team")
    report = engine.sync(full=args.full).as_json()
    _print_report(report, args.format)
    return EXIT_NETWORK if report["errors"] else 0


def _status(db, fmt: str) -> int:
    from desktop.sync import settings
    from desktop.sync.conflicts import conflicted_drafts
    from desktop.sync.quarantine import Quarantine

    last = settings.last_sync(db)
    folder = settings.folder(db)
    problems = [q.as_json() for q in Quarantine(db, Path()).list()]
    pending = 0
    if "events" in db.table_names():
        from desktop.trust.identity import load_identity

        me = load_identity(db)
        if me is not None and folder is not None:
            exported = settings.get(db, f"exported_seq:{folder}") or "0"
            pending = db.execute(
                "SELECT count(*) FROM events WHERE author = ? AND seq > ?", [me.public_key, int(exported)]
            ).fetchone()[0]
    status = {
        "folder": str(folder) if folder else None,
        "last_sync": last["finished"] if last else None,
        "pending": pending,
        "problems": problems,
        "conflicts": conflicted_drafts(db) if "events" in db.table_names() else [],
        "last_errors": last["errors"] if last else [],
    }
    if fmt == "json":
        print_json(status)
        return 0
    print(f"folder:    {status['folder'] or '(none: run greenlight sync --folder DIR)'}")
    print(f"last sync: {status['last_sync'] or 'never'}")
    print(f"pending:   {pending} event(s) not yet in the folder")
    for p in problems:
        print(f"problem:   {p['file']}: {p['reason']}")
    for d in status["conflicts"]:
        print(f"conflict:  draft {d}")
    return 0


def _share(args: argparse.Namespace) -> int:
    from desktop.store import DraftStore
    from desktop.sync.sharing import share
    from desktop.trust.ledger import Ledger

    db = _db()
    draft = DraftStore(db).get(args.id)
    event = share(db, Ledger(db), draft.id)
    state = "recorded" if event is not None else "already recorded"
    print(f"{draft.id}: shared ({state}); it travels at the next `greenlight sync`", file=sys.stderr)
    return 0


def _resolve(args: argparse.Namespace) -> int:
    from desktop.store import DraftStore
    from desktop.sync.conflicts import resolve
    from desktop.trust.ledger import Ledger

    db = _db()
    draft = DraftStore(db).get(args.id)
    text = read_text_arg(args.text, required=True) if args.text is not None else None
    event = resolve(db, Ledger(db), draft.id, pick=args.pick, text=text, title=args.title)
    print(
        f"{draft.id}: conflict resolved (version {event.id[:12]}); it travels at the next sync",
        file=sys.stderr,
    )
    return 0
