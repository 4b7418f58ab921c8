"""`greenlight check`: lint files against the guidelines, as `vale` would.

`--styles DIR` loads every style folder in DIR and nothing else; `--config` reads a `.vale.ini`;
otherwise the app's configured guidelines are used (see desktop.review.settings). Exit 1 when an
error-level finding exists, 2 on usage or configuration errors.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from desktop.errors import EXIT_FINDINGS, EXIT_OK, GreenlightError

MARKDOWN_SUFFIXES = {".md", ".markdown", ".mdown", ".mkd"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "check",
        help="check files against the guidelines (Vale-compatible rule packs)",
        description=(
            "Check plain text (.txt) and Markdown (.md) files against guideline packs in Vale's format. "
            "Exit status: 0 no error-level findings, 1 error-level findings, 2 usage or configuration error."
        ),
    )
    p.add_argument("files", nargs="+", metavar="FILE", help="files to check; - reads standard input")
    p.add_argument(
        "--styles", metavar="DIR", help="load every style folder in DIR (<Style>/<Rule>.yml) and only those"
    )
    p.add_argument(
        "--config", metavar="FILE", help="use this .vale.ini (StylesPath, BasedOnStyles, levels, Vocab)"
    )
    p.add_argument(
        "--min-level",
        choices=("suggestion", "warning", "error"),
        help="report only findings at this level or above (default: the configured level)",
    )
    p.add_argument(
        "--format",
        choices=("text", "json", "vale-json"),
        default="text",
        help="text: readable report; json: Greenlight's findings; vale-json: exactly vale --output JSON",
    )
    p.add_argument(
        "--syntax",
        choices=("auto", "text", "markdown"),
        default="auto",
        help="how to read the input: by file extension (auto; stdin is plain text), text or markdown",
    )
    p.add_argument(
        "--grammar",
        action="store_true",
        help="also check grammar and spelling (LanguageTool when available, else offline Hunspell spelling); "
        "the active checker is named on stderr",
    )
    p.set_defaults(func=run)


def _syntax(path: str, choice: str) -> str:
    if choice != "auto":
        return choice
    return "markdown" if Path(path).suffix.lower() in MARKDOWN_SUFFIXES else "text"


def _engine(args: argparse.Namespace):
    from desktop.review.config import ConfigError
    from desktop.review.engine import Engine
    from desktop.review.settings import build_engine, load_settings

    if args.styles and args.config:
        raise GreenlightError("use either --styles or --config, not both")
    if args.styles:
        styles = Path(args.styles)
        if not styles.is_dir():
            raise GreenlightError(f"--styles {styles}: no such folder")
        return Engine.from_styles_dir(styles)
    if args.config:
        try:
            return Engine.from_config(Path(args.config))
        except ConfigError as exc:
            raise GreenlightError(str(exc)) from None
    return build_engine(load_settings())


def run(args: argparse.Namespace) -> int:
    from desktop.commands.io import read_text_arg
    from desktop.review.findings import Severity
    from desktop.review.report import greenlight_json, text_report, vale_json

    if args.files.count("-") > 1:
        raise GreenlightError("standard input (-) can be named only once")
    inputs = []
    for name in args.files:
        text = read_text_arg(name, required=True) or ""
        syntax = _syntax(name, args.syntax)
        label = ("stdin.md" if syntax == "markdown" else "stdin.txt") if name == "-" else name
        inputs.append((label, syntax, text))

    engine = _engine(args)
    for problem in engine.problems:
        print(f"greenlight: guideline problem: {problem}", file=sys.stderr)

    floor = Severity.parse(args.min_level) if args.min_level else Severity.SUGGESTION
    results = []
    for label, syntax, text in inputs:
        findings = [f for f in engine.check(text, syntax=syntax) if f.severity >= floor]
        results.append((label, syntax, findings))

    if getattr(args, "grammar", False):
        results = _with_grammar(results, [text for _, _, text in inputs], floor)

    if args.format == "vale-json":
        json.dump(vale_json([(p, f) for p, _, f in results]), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    elif args.format == "json":
        json.dump(greenlight_json(results, engine.problems), sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")
    else:
        colour = sys.stdout.isatty()
        print(text_report([(p, f) for p, _, f in results], colour=colour))
    has_error = any(f.severity == Severity.ERROR for _, _, fs in results for f in fs)
    return EXIT_FINDINGS if has_error else EXIT_OK


def _with_grammar(results: list, texts: list[str], floor) -> list:
    """`--grammar`: add grammar/spelling findings and say on stderr which checker produced them."""
    from desktop.review.grammar import GrammarService, load_grammar_settings
    from desktop.review.settings import load_settings

    settings = load_grammar_settings()
    vocabulary = load_settings().accept  # the team vocabulary: never flagged as misspelled
    service = GrammarService(settings)
    service.start()
    try:
        status = service.wait_ready(settings.start_timeout + 30)
        print(f"grammar: {status.label}", file=sys.stderr)
        merged = []
        for (label, syntax, findings), text in zip(results, texts, strict=True):
            extra = service.with_suggestions(service.check(text, vocabulary=vocabulary))
            combined = [*findings, *(f for f in extra if f.severity >= floor)]
            merged.append((label, syntax, sorted(combined, key=lambda f: (f.start, f.end, f.rule))))
        if service.status != status:  # e.g. the server stopped answering during the check
            print(f"grammar: {service.status.label}", file=sys.stderr)
        return merged
    finally:
        service.close()
