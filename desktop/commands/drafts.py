"""`greenlight drafts ...`: create, edit, list, search, show, history, export and import drafts."""

from __future__ import annotations

import argparse
import difflib
import sys
from pathlib import Path

from desktop.commands.io import print_json, read_text_arg
from desktop.errors import GreenlightError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("drafts", help="create, edit, list, search, export and import drafts")
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    cmds = parser.add_subparsers(dest="drafts_command", metavar="ACTION")

    p = cmds.add_parser("new", help="create a draft from FILE or stdin; prints only the new id")
    p.add_argument("--title", default="", help="the draft's title")
    p.add_argument("--platform", action="append", default=[], help="target platform (repeatable)")
    p.add_argument("--tag", action="append", default=[], help="tag (repeatable)")
    p.add_argument("file", nargs="?", help="text file to read, or - for stdin (default: empty draft)")
    p.set_defaults(func=_new)

    p = cmds.add_parser("edit", help="save FILE or stdin as a new revision of draft ID")
    p.add_argument("id", help="draft id (or a unique prefix of at least 6 characters)")
    p.add_argument("file", nargs="?", help="text file to read, or - for stdin")
    p.add_argument("--title", help="also rename the draft")
    p.set_defaults(func=_edit)

    p = cmds.add_parser("list", help="list drafts, newest first")
    p.add_argument("--search", default="", help="full-text search over titles and text")
    p.add_argument("--trash", action="store_true", help="list the drafts in the trash instead")
    p.add_argument("--limit", type=int, default=200, help="at most this many (default 200)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_list)

    p = cmds.add_parser("show", help="show a draft with its text")
    p.add_argument("id", help="draft id")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_show)

    p = cmds.add_parser("history", help="list every revision of a draft")
    p.add_argument("id", help="draft id")
    p.add_argument("--diff", action="store_true", help="show each revision as a diff against the one before")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_history)

    p = cmds.add_parser("restore", help="make an old revision the current text (kept as a new revision)")
    p.add_argument("id", help="draft id")
    p.add_argument("revision", type=int, help="revision number (see `drafts history`)")
    p.set_defaults(func=_restore)

    p = cmds.add_parser("rename", help="change a draft's title")
    p.add_argument("id", help="draft id")
    p.add_argument("title", help="the new title")
    p.set_defaults(func=_rename)

    p = cmds.add_parser("duplicate", help="copy a draft; prints the new id")
    p.add_argument("id", help="draft id")
    p.set_defaults(func=_duplicate)

    p = cmds.add_parser("delete", help="move a draft to the trash")
    p.add_argument("id", help="draft id")
    p.set_defaults(func=_delete)

    p = cmds.add_parser("undelete", help="take a draft out of the trash")
    p.add_argument("id", help="draft id")
    p.set_defaults(func=_undelete)

    p = cmds.add_parser("empty-trash", help="delete the drafts in the trash for good")
    p.set_defaults(func=_empty_trash)

    p = cmds.add_parser("export", help="export drafts as Markdown files with front matter")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("id", nargs="?", help="draft id")
    target.add_argument("--all", action="store_true", help="export every draft not in the trash")
    p.add_argument("--to", required=True, type=Path, metavar="DIR", help="folder to write <id>.md files to")
    p.set_defaults(func=_export)

    p = cmds.add_parser("import", help="import the *.md files of DIR (as written by `drafts export`)")
    p.add_argument("dir", type=Path, help="folder to import from")
    p.set_defaults(func=_import)

    _register_media(cmds)

    from desktop.commands.sync import register_draft_commands  # `drafts share` and `drafts resolve`

    register_draft_commands(cmds)


def _register_media(cmds: argparse._SubParsersAction) -> None:
    """`drafts media add|alt|remove|list`: the images a draft is published with, and their alt text."""
    parser = cmds.add_parser("media", help="attach images to a draft and write their alt text")
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    media = parser.add_subparsers(dest="media_command", metavar="ACTION")

    p = media.add_parser("add", help="attach the image FILE to draft ID; prints the new media id")
    p.add_argument("id", help="draft id (or a unique prefix of at least 6 characters)")
    p.add_argument("file", help="PNG, JPEG, GIF or WebP image (its path is kept; the file is not copied)")
    p.add_argument("--alt", default="", metavar="TEXT", help="alt text: what the image shows")
    p.set_defaults(func=_media_add)

    p = media.add_parser("alt", help="set (or, with an empty TEXT, clear) an image's alt text")
    p.add_argument("media_id", type=int, help="media id (see `drafts media list`)")
    p.add_argument("text", help="the alt text")
    p.set_defaults(func=_media_alt)

    p = media.add_parser("remove", help="detach an image from its draft (the file is left alone)")
    p.add_argument("media_id", type=int, help="media id (see `drafts media list`)")
    p.set_defaults(func=_media_remove)

    p = media.add_parser("list", help="list a draft's images in posting order")
    p.add_argument("id", help="draft id")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_media_list)


def _media():
    from desktop.store.media import DraftMedia

    return DraftMedia(_store().db)


def _media_add(args: argparse.Namespace) -> int:
    item = _media().add(args.id, args.file, args.alt)
    print(item.id)
    if not item.alt:
        print(
            f"{item.name} has no alt text yet: add it with `greenlight drafts media alt {item.id} TEXT`",
            file=sys.stderr,
        )
    return 0


def _media_alt(args: argparse.Namespace) -> int:
    item = _media().set_alt(args.media_id, args.text)
    print(f"{item.name}: alt text {'set' if item.alt else 'cleared'}", file=sys.stderr)
    return 0


def _media_remove(args: argparse.Namespace) -> int:
    item = _media().remove(args.media_id)
    print(f"{item.name}: removed from draft {item.draft_id}", file=sys.stderr)
    return 0


def _media_list(args: argparse.Namespace) -> int:
    from desktop.store.media import DraftMedia

    store = _store()
    items = DraftMedia(store.db).list(store.get(args.id).id)
    if args.format == "json":
        print_json([m.as_json() for m in items])
        return 0
    for m in items:
        print(f"{m.id}  {m.path}  alt: {m.alt or '(none)'}")
    return 0


def _store():
    from desktop.store import DraftStore

    return DraftStore.open()


def _new(args: argparse.Namespace) -> int:
    text = read_text_arg(args.file) if args.file else ""
    draft = _store().create(text or "", title=args.title, platforms=args.platform, tags=args.tag)
    print(draft.id)
    return 0


def _edit(args: argparse.Namespace) -> int:
    text = read_text_arg(args.file, required=True)
    store = _store()
    draft = store.get(args.id)
    rev = store.save(draft.id, text or "")
    if args.title is not None:
        store.rename(draft.id, args.title)
    if rev is None:
        print(f"{draft.id}: text unchanged, no new revision", file=sys.stderr)
    else:
        print(f"{draft.id}: saved revision {rev.number}", file=sys.stderr)
    return 0


def _list(args: argparse.Namespace) -> int:
    if args.limit < 1:
        raise GreenlightError("--limit must be at least 1")
    drafts = _store().list(search=args.search, trashed=args.trash, limit=args.limit)
    if args.format == "json":
        print_json([d.as_json() for d in drafts])
        return 0
    for d in drafts:
        title = d.title or d.snippet.split("\n", 1)[0][:50] or "(empty)"
        print(f"{d.id}  {d.updated[:16].replace('T', ' ')}  {d.status:<9}  {title}")
    return 0


def _show(args: argparse.Namespace) -> int:
    store = _store()
    draft = store.get(args.id)
    from desktop.sync.conflicts import conflicts_for  # competing versions of a shared draft

    conflicts = conflicts_for(store.db, draft.id)
    from desktop.store.media import DraftMedia

    media = DraftMedia(store.db).list(draft.id)
    if args.format == "json":
        print_json({**draft.as_json(), "conflicts": conflicts, "media": [m.as_json() for m in media]})
        return 0
    print(f"id:        {draft.id}")
    print(f"title:     {draft.title}")
    print(f"status:    {draft.status}{'  (in trash)' if draft.trashed else ''}")
    if draft.platforms:
        print(f"platforms: {', '.join(draft.platforms)}")
    if draft.tags:
        print(f"tags:      {', '.join(draft.tags)}")
    print(f"revisions: {draft.revisions}   updated: {draft.updated}")
    for m in media:
        print(f"image {m.id}:  {m.path}  alt: {m.alt or '(none)'}")
    print()
    print(draft.text)
    for version in conflicts:
        mark = "shown above" if version["current"] else "competing"
        who = version["author_name"] or version["author_fingerprint"]
        print(f"\n--- conflict: version {version['event_id'][:12]} by {who} ({mark}) ---\n{version['text']}")
    if conflicts:
        print(f"\nresolve with: greenlight drafts resolve {draft.id} --pick VERSION  (or --text FILE)")
    return 0


def _history(args: argparse.Namespace) -> int:
    revisions = _store().history(args.id)
    if args.format == "json":
        print_json([r.as_json() for r in revisions])
        return 0
    previous = ""
    for rev in revisions:
        print(
            f"revision {rev.number}  {rev.created}  {rev.origin}  {len(rev.text)} chars  {rev.content_hash[:12]}"
        )
        if args.diff:
            diff = difflib.unified_diff(
                previous.splitlines(), rev.text.splitlines(), "before", f"revision {rev.number}", lineterm=""
            )
            for line in diff:
                print(f"    {line}")
        previous = rev.text
    return 0


def _restore(args: argparse.Namespace) -> int:
    rev = _store().restore_revision(args.id, args.revision)
    if rev is None:
        print(f"revision {args.revision} is already the current text", file=sys.stderr)
    else:
        print(f"restored revision {args.revision} as revision {rev.number}", file=sys.stderr)
    return 0


def _rename(args: argparse.Namespace) -> int:
    _store().rename(args.id, args.title)
    return 0


def _duplicate(args: argparse.Namespace) -> int:
    print(_store().duplicate(args.id).id)
    return 0


def _delete(args: argparse.Namespace) -> int:
    draft = _store().trash(args.id)
    print(
        f"{draft.id}: moved to the trash (undo with `greenlight drafts undelete {draft.id}`)", file=sys.stderr
    )
    return 0


def _undelete(args: argparse.Namespace) -> int:
    _store().untrash(args.id)
    return 0


def _empty_trash(args: argparse.Namespace) -> int:
    n = _store().empty_trash()
    print(f"deleted {n} draft(s) for good", file=sys.stderr)
    return 0


def _export(args: argparse.Namespace) -> int:
    from desktop.store.exchange import export_drafts

    store = _store()
    drafts = [store.get(s.id) for s in _all_summaries(store)] if args.all else [store.get(args.id)]
    written = export_drafts(drafts, args.to)
    print(f"exported {len(written)} draft(s) to {args.to}", file=sys.stderr)
    return 0


def _all_summaries(store):
    offset, page = 0, 1000
    while True:
        batch = store.list(limit=page, offset=offset)
        yield from batch
        if len(batch) < page:
            return
        offset += page


def _import(args: argparse.Namespace) -> int:
    from desktop.store.exchange import import_drafts

    outcomes = import_drafts(_store(), args.dir)
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome.action] = counts.get(outcome.action, 0) + 1
        print(f"{outcome.action:<9} {outcome.draft_id}  {outcome.path.name}")
    summary = ", ".join(f"{n} {action}" for action, n in sorted(counts.items())) or "nothing to import"
    print(summary, file=sys.stderr)
    return 0
