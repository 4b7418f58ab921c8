"""Vale's actions (`replace`, `remove`, `edit`, `convert`, `suggest`) turned into concrete fixes.

Vale computes these in `vale fix`; Greenlight computes the cheap ones with every finding so the
editor can offer a one-click fix, and leaves spelling suggestions (slow) to `Engine.suggestions`.
"""

from __future__ import annotations

import regex


def _go_replacement(repl: str) -> str:
    """Go's `$1` / `${name}` replacement syntax -> Python's `\\g<1>` / `\\g<name>`."""
    repl = repl.replace("\\", "\\\\")
    return regex.sub(r"\$\{(\w+)\}|\$(\d+)", lambda m: f"\\g<{m.group(1) or m.group(2)}>", repl)


def simple_case(s: str) -> str:
    """twine's strcase.Simple: words split at separators and case changes, joined by spaces."""
    s = regex.sub(r"([a-z0-9])([A-Z])", r"\1 \2", s)
    return " ".join(p for p in regex.split(r"[\s_\-]+", s) if p).lower()


def compute(action: str, params: tuple[str, ...], match: str) -> tuple[str, ...]:
    """The replacement texts an action offers for `match` (empty when none can be computed)."""
    if action == "replace":
        return tuple(params)
    if action == "remove":
        return ("",)
    if action == "convert":
        if params and params[0] == "simple":
            return (simple_case(match),)
        return (match,)
    if action == "edit" and params:
        name, args = params[0], params[1:]
        out = match
        try:
            if name == "regex" and len(args) == 2:
                out = regex.sub(args[0], _go_replacement(args[1]), match)
            elif name == "trim_right" and len(args) == 1:
                out = match.rstrip(args[0])
            elif name == "trim_left" and len(args) == 1:
                out = match.lstrip(args[0])
            elif name == "trim" and len(args) == 1:
                out = match.strip(args[0])
            elif name == "truncate" and len(args) == 1:
                out = match.split(args[0])[0]
            elif name == "split" and len(args) == 2:
                parts = match.split(args[0])
                index = int(args[1])
                if index >= len(parts):
                    return ()
                out = parts[index]
            else:
                return ()
        except (regex.error, ValueError, IndexError):
            return ()
        return (out.strip(),)
    return ()
