"""`greenlight gui`: open the app; `--smoke-test` and `--screenshot` for CI and documentation.

Qt is imported inside the handler, so other commands never pay for it.
"""

from __future__ import annotations

import argparse

from desktop.errors import GreenlightError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "gui",
        help="open the Greenlight window (the default when no command is given)",
        description="Open the Greenlight window: drafts, editor with live guideline review, side panel.",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--smoke-test",
        action="store_true",
        help="open the main window (offscreen is fine), load drafts and guidelines, print one line, exit 0",
    )
    mode.add_argument(
        "--screenshot",
        metavar="OUT.png",
        help="render the main window to a PNG file and exit (after the review of the draft has finished)",
    )
    p.add_argument("--draft", metavar="ID", help="with --screenshot: the draft to show (default: the newest)")
    p.add_argument(
        "--size",
        metavar="WxH",
        default="1280x800",
        help="with --screenshot: window size in pixels (default 1280x800)",
    )
    p.add_argument(
        "--panel",
        metavar="NAME",
        help="with --screenshot: the side panel tab to show, e.g. findings or platforms (default: findings)",
    )
    p.add_argument(
        "--theme",
        choices=("system", "light", "dark"),
        help="with --screenshot: palette to render with (default: the saved preference)",
    )
    p.add_argument(
        "--timeout",
        type=float,
        default=60.0,
        metavar="SECONDS",
        help="with --smoke-test/--screenshot: give up after this long (default 60)",
    )
    p.add_argument(
        "--serve-child",
        metavar="TARGET",
        help="internal: run one of the app's checking helper processes (the app starts these itself)",
    )
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if args.serve_child:
        from desktop.ui.child_process import main as serve_child

        return serve_child([args.serve_child])
    for option in ("draft", "panel", "theme"):
        if getattr(args, option) and not args.screenshot:
            raise GreenlightError(f"--{option} only applies to --screenshot")
    if args.smoke_test:
        from desktop.ui.screenshot import smoke_test

        print(smoke_test(timeout=args.timeout))
        return 0
    if args.screenshot:
        from desktop.ui.screenshot import render_screenshot

        try:
            width, height = (int(v) for v in args.size.lower().split("x"))
        except ValueError:
            raise GreenlightError(f"--size {args.size!r}: expected WIDTHxHEIGHT, e.g. 1280x800") from None
        path = render_screenshot(
            args.screenshot,
            draft_id=args.draft,
            size=(width, height),
            theme=args.theme,
            panel=args.panel,
            timeout=args.timeout,
        )
        print(path)
        return 0
    from desktop.ui.launch import run_app

    return run_app()
