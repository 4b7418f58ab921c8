"""The `greenlight` command: every feature of the app, scriptable.

Each command group lives in its own module under `desktop.commands` and registers its sub-parsers;
this module only builds the parser, dispatches, and turns `GreenlightError` into a message on
stderr with the right exit code. Heavy imports (Qt, the rule engine) happen inside the handlers so
that `greenlight count` stays fast.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Sequence

from desktop import __version__
from desktop.commands import COMMAND_MODULES
from desktop.errors import EXIT_USAGE, GreenlightError


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="greenlight",
        description="Draft, review against your guidelines, get approval for and publish social posts.",
    )
    parser.add_argument("--version", action="version", version=f"greenlight {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(f"desktop.commands.{name}").register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    if not args_list:
        args_list = ["gui"]
    args = parser.parse_args(args_list)
    handler = getattr(args, "func", None)
    if handler is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(handler(args) or 0)
    except GreenlightError as exc:
        print(f"greenlight: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("greenlight: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    raise SystemExit(main())
