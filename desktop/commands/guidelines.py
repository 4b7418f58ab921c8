"""`greenlight guidelines`: list the rules of guideline packs and run their examples as tests.

`guidelines test` is how a team checks its own pack after editing it: each rule's `examples`
(texts that must and must not trigger it) are run through the same engine the editor uses, and the
result is reported like a test run, with an exit code CI can use.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.commands.io import print_json
from desktop.errors import EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, GreenlightError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("guidelines", help="list guideline rules and test them against their examples")
    parser.set_defaults(func=lambda args: parser.print_help() or EXIT_USAGE)
    cmds = parser.add_subparsers(dest="guidelines_command", metavar="ACTION")

    p = cmds.add_parser(
        "test",
        help="run every rule's examples (must fire / must pass) in every pack in DIR",
        description="Exit 0 when all examples behave, 1 when any fails, 2 when a rule file cannot be loaded.",
    )
    _add_dir(p)
    p.add_argument("--strict", action="store_true", help="count a rule without examples as a failure")
    p.add_argument("-q", "--quiet", action="store_true", help="print only failures and the summary")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_test)

    p = cmds.add_parser("list", help="list the rules of every pack in DIR with level, tags and examples")
    _add_dir(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_list)


def _add_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "dir",
        nargs="?",
        type=Path,
        metavar="DIR",
        help="a styles folder (one sub-folder per pack) or a single pack folder; "
        "default: the guidelines shipped with Greenlight",
    )


def _directory(args: argparse.Namespace) -> Path:
    from desktop.paths import shipped_guidelines

    directory = args.dir if args.dir is not None else shipped_guidelines()
    if not directory.exists():
        raise GreenlightError(f"{directory}: no such folder")
    if not directory.is_dir():
        raise GreenlightError(f"{directory}: is a file; name the folder that holds the pack(s)")
    return directory


def _print_problems(problems: list) -> None:
    for p in problems:
        where = str(getattr(p, "file", "") or "")
        line = getattr(p, "line", None)
        if line:
            where += f":{line}"
        rule = getattr(p, "rule", "") or ""
        label = f"{where}: {rule}: " if rule else f"{where}: "
        print(f"greenlight: {label}{getattr(p, 'message', p)}", file=sys.stderr)


def _test(args: argparse.Namespace) -> int:
    from desktop.review.examples import find_packs, run_examples

    directory = _directory(args)
    if not find_packs(directory):
        raise GreenlightError(f"{directory}: no guideline packs (folders of .yml rules) found")
    run = run_examples(directory)
    failed = len(run.failed) + (len(run.without_examples) if args.strict else 0)
    if args.format == "json":
        print_json(
            {
                "packs": [str(p) for p in run.packs],
                "rules": run.rules,
                "passed": run.passed,
                "failed": len(run.failed),
                "without_examples": run.without_examples,
                "problems": [
                    {
                        "file": str(getattr(p, "file", "")),
                        "line": getattr(p, "line", None),
                        "rule": getattr(p, "rule", ""),
                        "message": getattr(p, "message", str(p)),
                    }
                    for p in run.problems
                ],
                "results": [r.as_json() for r in run.results],
            }
        )
    else:
        for result in run.results:
            if result.ok and args.quiet:
                continue
            status = "ok  " if result.ok else "FAIL"
            detail = "" if result.ok else f"  <- {result.detail}"
            print(f"{status} {result.rule} {result.kind}[{result.number}] {result.text!r}{detail}")
        if not args.quiet or args.strict:
            for rule in run.without_examples:
                print(f"{'FAIL' if args.strict else 'skip'} {rule}: no examples")
        print(("FAILED: " if failed or run.problems else "OK: ") + run.summary())
    if run.problems:
        _print_problems(run.problems)
        return EXIT_USAGE
    return EXIT_FINDINGS if failed else EXIT_OK


def _list(args: argparse.Namespace) -> int:
    from desktop.review.engine import Engine
    from desktop.review.examples import find_packs

    directory = _directory(args)
    packs = find_packs(directory)
    if not packs:
        raise GreenlightError(f"{directory}: no guideline packs (folders of .yml rules) found")
    engine = Engine.from_packs(packs)
    rows = []
    for rule in sorted(engine.rules, key=lambda r: r.id):
        examples = getattr(rule, "examples", None)
        fire = len(getattr(examples, "fire", ()) or ())
        passes = len(getattr(examples, "passes", getattr(examples, "pass_", ())) or ())
        level = getattr(rule, "level", "")
        rows.append(
            {
                "rule": rule.id,
                "level": getattr(level, "label", str(level)),
                "tags": list(getattr(rule, "tags", ()) or ()),
                "fire_examples": fire,
                "pass_examples": passes,
            }
        )
    if args.format == "json":
        print_json(rows)
    else:
        width = max((len(r["rule"]) for r in rows), default=4)
        for r in rows:
            tags = ",".join(r["tags"]) or "-"
            print(
                f"{r['rule']:<{width}}  {r['level']:<10}  tags: {tags:<22}  "
                f"examples: {r['fire_examples']} fire / {r['pass_examples']} pass"
            )
        print(f"{len(rows)} rules in {len(packs)} pack(s)")
    if engine.problems:
        _print_problems(list(engine.problems))
        return EXIT_USAGE
    return EXIT_OK
