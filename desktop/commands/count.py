"""`greenlight count`: a post's length as a platform counts it, as JSON for scripts and the editor.

Kept light on purpose: it imports only the platform counters, never Qt or the rule engine, so it
starts fast enough to run on every save from another tool.
"""

from __future__ import annotations

import argparse

from desktop.commands.io import print_json, read_text_arg
from desktop.errors import GreenlightError
from desktop.review.platforms.limits import PLATFORMS


def register(sub: argparse._SubParsersAction) -> None:
    names = ", ".join(PLATFORMS)
    parser = sub.add_parser(
        "count",
        help="count a post as a platform counts it (X weighting, Bluesky graphemes, ...) and print JSON",
        description="Print the post's length, the platform's limit and whether the platform accepts it, "
        "as JSON. An empty post is not valid.",
    )
    parser.add_argument(
        "--platform",
        required=True,
        metavar="P",
        help=f"platform: {names}; several separated by commas print a JSON list",
    )
    parser.add_argument(
        "--content-warning",
        default="",
        metavar="TEXT",
        help="content warning (Mastodon counts it together with the text)",
    )
    parser.add_argument(
        "--limit",
        type=int,
        default=None,
        metavar="N",
        help="use this limit instead of the platform's default (e.g. your Mastodon server's)",
    )
    parser.add_argument(
        "--thread",
        action="store_true",
        help="also split the post into a numbered thread and show each part with its length",
    )
    parser.add_argument("file", nargs="?", metavar="FILE", help="text file to count, or - for stdin")
    parser.set_defaults(func=_count)


def _count(args: argparse.Namespace) -> int:
    from desktop.review.platforms import count, split_thread

    platforms = [p.strip() for p in args.platform.split(",") if p.strip()]
    if not platforms:
        raise GreenlightError(f"--platform needs a platform name: {', '.join(PLATFORMS)}")
    text = read_text_arg(args.file, required=True) or ""
    results = []
    for platform in platforms:
        try:
            counted = count(
                text, platform, content_warning=args.content_warning, limit=args.limit, with_parts=True
            )
            data = counted.as_json()
            if args.thread:
                parts = split_thread(text, platform, limit=args.limit, content_warning=args.content_warning)
                data["thread"] = [{"text": part, **_part_counts(part, platform, args)} for part in parts]
        except ValueError as exc:
            raise GreenlightError(str(exc)) from None
        results.append(data)
    print_json(results[0] if len(results) == 1 else results)
    return 0


def _part_counts(part: str, platform: str, args: argparse.Namespace) -> dict:
    from desktop.review.platforms import count

    counted = count(part, platform, content_warning=args.content_warning, limit=args.limit)
    return {"length": counted.length, "valid": counted.valid}
