"""`greenlight grammar ...`: which grammar/spelling checker is active, and checking with it alone.

`grammar status` is what support asks for first ("why do I see no grammar warnings?"): it starts
the checker exactly as the app does and says what is active and why.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.commands.io import print_json, read_text_arg
from desktop.errors import EXIT_FINDINGS, GreenlightError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("grammar", help="grammar and spelling: status, check a text, suggest spellings")
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    cmds = parser.add_subparsers(dest="grammar_command", metavar="ACTION")

    p = cmds.add_parser(
        "status", help="start the grammar checker as the app does and say which one is active"
    )
    _add_timeout(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_status)

    p = cmds.add_parser("check", help="check FILE (or stdin) for grammar and spelling only")
    _add_timeout(p)
    p.add_argument(
        "--vocabulary",
        type=Path,
        metavar="FILE",
        help="team vocabulary: one accepted word (or Vale-style regex) per line",
    )
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.add_argument("file", nargs="?", help="text file to check, or - for stdin")
    p.set_defaults(func=_check)

    p = cmds.add_parser("suggest", help="spelling suggestions for WORD from the offline dictionary")
    p.add_argument("word", help="the word to correct")
    p.add_argument("--limit", type=int, default=5, help="at most this many suggestions (default 5)")
    p.set_defaults(func=_suggest)


def _add_timeout(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--timeout",
        type=float,
        default=None,
        metavar="SECONDS",
        help="how long LanguageTool may take to start or answer (default: start_timeout in grammar.json)",
    )


def _started(args: argparse.Namespace):
    from desktop.review.grammar import GrammarService, load_grammar_settings

    settings = load_grammar_settings()
    if args.timeout is not None and args.timeout <= 0:
        raise GreenlightError(f"--timeout must be a positive number of seconds, not {args.timeout:g}")
    timeout = args.timeout if args.timeout is not None else settings.start_timeout
    service = GrammarService(settings)
    service.start(timeout)
    # The service gives up on LanguageTool after `timeout` itself; the margin covers the dictionary.
    service.wait_ready(timeout + 30)
    return service


def _status(args: argparse.Namespace) -> int:
    service = _started(args)
    try:
        status = service.status
        if args.format == "json":
            print_json(status.as_json())
        else:
            print(status.label)
            print(status.detail)
    finally:
        service.close()
    return 0


def _check(args: argparse.Namespace) -> int:
    text = read_text_arg(args.file, required=True) or ""
    vocabulary = _read_vocabulary(args.vocabulary) if args.vocabulary else []
    service = _started(args)
    try:
        print(f"grammar: {service.status.label}", file=sys.stderr)
        findings = service.with_suggestions(service.check(text, vocabulary=vocabulary))
    finally:
        service.close()
    if args.format == "json":
        print_json([f.as_json() for f in findings])
    else:
        label = args.file if args.file and args.file != "-" else "<stdin>"
        for f in findings:
            fix = f" (did you mean: {', '.join(f.fix.suggestions)})" if f.fix.suggestions else ""
            print(f"{label}:{f.line}:{f.column}: {f.severity.label}: {f.message}{fix} [{f.rule}]")
    return EXIT_FINDINGS if any(f.severity.name == "ERROR" for f in findings) else 0


def _suggest(args: argparse.Namespace) -> int:
    from desktop.review.grammar import GrammarService, load_grammar_settings

    service = GrammarService(load_grammar_settings())
    suggestions = service.suggest(args.word, args.limit)
    if not suggestions and service.dictionary_error:
        raise GreenlightError(service.dictionary_error)
    for word in suggestions:
        print(word)
    return 0


def _read_vocabulary(path: Path) -> list[str]:
    text = read_text_arg(str(path), required=True) or ""
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
