"""`greenlight publish ID` and `greenlight outbox [list|retry|cancel]`.

Exit codes (a contract): 0 published (or already was), 3 the trust policy refuses, 4 a network or
platform failure (the post waits in the outbox, or needs you: the message says which).
"""

from __future__ import annotations

import argparse

from desktop.commands.io import print_json
from desktop.errors import EXIT_NETWORK, EXIT_OK, EXIT_REFUSED, GreenlightError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("publish", help="publish a draft to its accounts, once the trust policy allows it")
    p.add_argument("id", help="draft id (or a unique prefix of at least 6 characters)")
    p.add_argument(
        "--account",
        action="append",
        default=[],
        metavar="A",
        help="target account, platform:handle (repeatable; default: the draft's accounts)",
    )
    p.add_argument("--dry-run", action="store_true", help="check the policy and the limits; send nothing")
    p.add_argument(
        "--image",
        action="append",
        default=[],
        metavar="FILE",
        help="attach an image (repeatable; default: the draft's own images, see `drafts media`)",
    )
    p.add_argument(
        "--alt",
        action="append",
        default=[],
        metavar="TEXT",
        help="alt text for each --image, in the same order",
    )
    p.add_argument("--content-warning", default="", metavar="TEXT", help="content warning (Mastodon)")
    p.add_argument(
        "--visibility",
        choices=("public", "unlisted", "private", "direct"),
        default="public",
        help="who sees the post (Mastodon; default public)",
    )
    p.add_argument("--category", action="append", default=[], help="WordPress category (repeatable)")
    p.add_argument("--wp-tag", action="append", default=[], metavar="TAG", help="WordPress tag (repeatable)")
    p.add_argument(
        "--wp-status",
        choices=("publish", "draft", "pending", "private"),
        default="publish",
        help="WordPress status",
    )
    p.add_argument("--language", default="", help="language code of the post, such as en or de")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_publish)

    parser = sub.add_parser("outbox", help="posts waiting to be published: list, retry or cancel them")
    parser.set_defaults(func=_list, format="text", all=False)
    cmds = parser.add_subparsers(dest="outbox_command", metavar="ACTION")
    p = cmds.add_parser("list", help="list waiting posts (default action)")
    p.add_argument("--all", action="store_true", help="also show published and cancelled entries")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_list)
    p = cmds.add_parser(
        "retry", help="send waiting posts now: one ID, or every entry whose backoff has passed"
    )
    p.add_argument("id", nargs="?", help="outbox entry id (or a unique prefix); default: all that are due")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_retry)
    p = cmds.add_parser("cancel", help="withdraw a waiting post so it is never sent")
    p.add_argument("id", help="outbox entry id (or a unique prefix)")
    p.set_defaults(func=_cancel)


def _service():
    from desktop.publish.service import PublishService
    from desktop.store import DraftStore

    return PublishService(DraftStore.open().db)


def _report(outcomes, fmt: str) -> int:
    if fmt == "json":
        print_json([o.as_json() for o in outcomes])
    else:
        for o in outcomes:
            print(f"{o.account}: {o.message or o.state}")
            for problem in o.problems:
                print(f"  problem: {problem}")
    if any(o.state == "refused" for o in outcomes):
        return EXIT_REFUSED
    if any(o.state in ("waiting", "needs_attention") or o.problems for o in outcomes):
        return EXIT_NETWORK
    return EXIT_OK


def _publish(args: argparse.Namespace) -> int:
    from desktop.publish.post import Image, PublishOptions

    if len(args.image) != len(args.alt):
        raise GreenlightError(
            f"{len(args.image)} --image but {len(args.alt)} --alt: give every image its alt text, in the same order"
        )
    # Without --image the service sends the draft's own images (`drafts media`).
    images = tuple(Image.from_file(path, alt) for path, alt in zip(args.image, args.alt, strict=True))
    options = PublishOptions(
        images=images,
        content_warning=args.content_warning,
        visibility=args.visibility,
        categories=tuple(args.category),
        tags=tuple(args.wp_tag),
        wordpress_status=args.wp_status,
        language=args.language,
    )
    outcomes = _service().publish_draft(args.id, args.account or None, options=options, dry_run=args.dry_run)
    return _report(outcomes, args.format)


def _list(args: argparse.Namespace) -> int:
    from desktop.publish.outbox import OPEN_STATES

    outbox = _service().outbox
    states = (*OPEN_STATES, "published", "cancelled") if args.all else OPEN_STATES
    records = outbox.list(states)
    if args.format == "json":
        print_json([r.as_json() for r in records])
        return 0
    if not records:
        print("the outbox is empty")
    for r in records:
        line = f"{r.id}  {r.state:<15} {r.account_name:<30} draft {r.draft_id}  attempts {r.attempts}"
        if r.state == "waiting" and r.next_attempt:
            line += f"  next {r.next_attempt[:19].replace('T', ' ')} UTC"
        if r.state == "published":
            line += f"  {r.url or r.remote_id}"
        print(line)
        if r.last_error and r.state != "published":
            print(f"    {r.last_error}")
    return 0


def _retry(args: argparse.Namespace) -> int:
    service = _service()
    outcomes = [service.retry(args.id)] if args.id else service.retry_due()
    if not outcomes and args.format == "text":
        print("nothing is due in the outbox")
    return _report(outcomes, args.format)


def _cancel(args: argparse.Namespace) -> int:
    rec = _service().outbox.cancel(args.id)
    note = ""
    if rec.attempts:
        note = " (an earlier attempt may have reached the platform: check the account before posting again)"
    print(f"cancelled {rec.id}: draft {rec.draft_id} will not be sent to {rec.account_name}{note}")
    return 0
