"""Vale's regular-expression flavour, translated for Python's `regex` module.

Vale compiles rule patterns with a Go engine that allows things Python's `re` refuses: inline flags
such as `(?m)` in the middle of a pattern (Vale itself builds `raw + (?m)\\b(?:tokens)\\b`), and
variable-width look-behind. The `regex` module handles look-behind; this module rewrites mid-pattern
flag groups into scoped groups, which is what Go means by them: a flag set mid-group applies to the
rest of that group (every later alternative included).

It also extracts *required literals* from a pattern: text that every match must contain. The engine
uses them as a cheap prefilter, because almost every rule is asked about text it cannot match and a
substring search is far cheaper than running a 300-way alternation.
"""

from __future__ import annotations

import regex

# Compile options shared by every rule pattern: V0 keeps `re` semantics for character classes
# (Go's `[[]` is a class holding `[`, V1 would read a nested set).
FLAGS = regex.V0

_FLAG_GROUP = regex.compile(r"\(\?([imsxU-]+)\)")
_QUANT_START = "?*+{"


class PatternError(ValueError):
    """A pattern that neither Vale's syntax nor its translation can compile."""


def translate(pattern: str) -> str:
    """Rewrite Go/Vale regex syntax into what `regex` compiles with the same meaning.

    - `(?flags)` after the start of the pattern becomes `(?flags:...)` over the rest of its group,
      re-opened after every `|` of that group, so it keeps Go's scope.
    - `\\z` (Go's end of text) becomes `\\Z`; `\\Q...\\E` becomes an escaped literal.
    - Go's ungreedy flag `U` has no equivalent: it is reported as an error.
    """
    if "\\Q" in pattern:
        pattern = _expand_quote_meta(pattern)
    out: list[str] = []
    # One entry per open group: the flag strings opened mid-group that still need closing.
    pending: list[list[str]] = [[]]
    i, n = 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            nxt = pattern[i + 1]
            out.append("\\Z" if nxt == "z" and not in_class else c + nxt)
            i += 2
            continue
        if in_class:
            out.append(c)
            if c == "]":
                in_class = False
            i += 1
            continue
        if c == "[":
            in_class = True
            out.append(c)
            i += 1
            # A `]` (or `^]`) right after the opening bracket is a literal member.
            if i < n and pattern[i] == "^":
                out.append("^")
                i += 1
            if i < n and pattern[i] == "]":
                out.append("]")
                i += 1
            continue
        if c == "(":
            m = _FLAG_GROUP.match(pattern, i)
            if m:
                flags = m.group(1)
                if "U" in flags:
                    raise PatternError("the ungreedy flag (?U) has no equivalent here; use lazy quantifiers")
                if i == 0 or _only_flags_before(pattern, i):
                    out.append(m.group(0))
                else:
                    out.append(f"(?{flags}:")
                    pending[-1].append(flags)
                i = m.end()
                continue
            pending.append([])
            out.append(c)
            i += 1
            continue
        if c == ")":
            out.append(")" * len(pending[-1]))
            if len(pending) > 1:
                pending.pop()
            out.append(c)
            i += 1
            continue
        if c == "|" and pending[-1]:
            out.append(")" * len(pending[-1]))
            out.append("|")
            out.extend(f"(?{f}:" for f in pending[-1])
            i += 1
            continue
        out.append(c)
        i += 1
    out.append(")" * len(pending[0]))
    return "".join(out)


def _only_flags_before(pattern: str, pos: int) -> bool:
    """True when everything before `pos` is itself global flag groups (`(?i)(?m)`)."""
    j = 0
    while j < pos:
        m = _FLAG_GROUP.match(pattern, j)
        if not m:
            return False
        j = m.end()
    return j == pos


def _expand_quote_meta(pattern: str) -> str:
    out, i = [], 0
    while True:
        start = pattern.find("\\Q", i)
        if start < 0:
            out.append(pattern[i:])
            return "".join(out)
        out.append(pattern[i:start])
        end = pattern.find("\\E", start + 2)
        body = pattern[start + 2 : end if end >= 0 else len(pattern)]
        out.append(regex.escape(body))
        if end < 0:
            return "".join(out)
        i = end + 2


def compile_vale(pattern: str) -> regex.Pattern:
    """Compile a pattern written in Vale's flavour; raise PatternError with the engine's reason."""
    try:
        return regex.compile(translate(pattern), FLAGS)
    except PatternError:
        raise
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise PatternError(str(exc)) from None


def split_alternatives(pattern: str) -> list[str]:
    """Split a pattern at its top-level `|` (outside groups and classes)."""
    parts, depth, start, i, n = [], 0, 0, 0, len(pattern)
    in_class = False
    while i < n:
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if i + 1 < n and pattern[i + 1] == "^":
                i += 1
            if i + 1 < n and pattern[i + 1] == "]":
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == "|" and depth == 0:
            parts.append(pattern[start:i])
            start = i + 1
        i += 1
    parts.append(pattern[start:])
    return parts


# Escapes that stand for one literal character.
_LITERAL_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "f": "\f", "v": "\v"}
_ZERO_WIDTH_ESCAPES = set("bBAzZG")


def required_literals(pattern: str) -> tuple[str, ...] | None:
    """Casefolded strings of which every match of `pattern` contains at least one.

    None means "no usable literal": the pattern must always be run. The answer errs on the safe
    side: it may say a pattern could match when it cannot, never the reverse.
    """
    options: list[str] = []
    for alt in split_alternatives(pattern):
        lits = _sequence_literals(alt)
        if not lits:
            return None
        options.extend(lits)
    return tuple(dict.fromkeys(options)) if options else None


def _score(options: tuple[str, ...]) -> int:
    return min(len(o) for o in options) if options else 0


def _sequence_literals(seq: str) -> tuple[str, ...]:
    """The best set of literals (any one of them is in every match) of an alternation-free sequence.

    Candidates are runs of literal characters and mandatory groups whose every branch has literals;
    the candidate whose shortest literal is longest wins (it filters best).
    """
    best: tuple[str, ...] = ()
    run: list[str] = []
    i, n = 0, len(seq)

    def consider(options: tuple[str, ...]) -> None:
        nonlocal best
        if options and _score(options) > _score(best):
            best = options

    def flush() -> None:
        nonlocal run
        if run:
            consider(("".join(run),))
        run = []

    while i < n:
        c = seq[i]
        char: str | None = None
        if c == "\\" and i + 1 < n:
            e = seq[i + 1]
            if e in _ZERO_WIDTH_ESCAPES:
                i += 2
                continue
            if e in _LITERAL_ESCAPES:
                char = _LITERAL_ESCAPES[e]
            elif not e.isalnum():
                char = e
            else:  # \w \s \d \p{..} and friends: not literal
                flush()
                i = _skip_escape(seq, i)
                i = _skip_quantifier(seq, i)
                continue
            i += 2
        elif c == "[":
            flush()
            i = _skip_class(seq, i)
            i = _skip_quantifier(seq, i)
            continue
        elif c == "(":
            end = _group_end(seq, i)
            body = seq[i + 1 : end]
            if body.startswith(("?=", "?!", "?<=", "?<!")) or _FLAG_GROUP.fullmatch(seq[i : end + 1]):
                i = end + 1  # zero-width: consumes nothing, the run stays contiguous
                continue
            flush()
            after = _skip_quantifier(seq, end + 1)
            quant = seq[end + 1 : after]
            mandatory = (
                not quant or quant[0] == "+" or (quant[0] == "{" and not regex.match(r"\{0*,|\{0+\}", quant))
            )
            if mandatory:
                inner = body
                m = regex.match(r"\?(?:[imsx\-]*:|P?<[A-Za-z_]\w*>|'[A-Za-z_]\w*'|>)", inner)
                if m and inner.startswith("?"):
                    inner = inner[m.end() :]
                elif inner.startswith("?"):
                    inner = ""
                lits = required_literals(inner) if inner else None
                if lits:
                    consider(lits)
            i = after
            continue
        elif c in "^$":
            i += 1
            continue
        elif c in ".|)":
            flush()
            i += 1
            i = _skip_quantifier(seq, i)
            continue
        else:
            char = c
            i += 1
        # A quantifier after the character decides whether it is required.
        if i < n and seq[i] in _QUANT_START:
            q = seq[i]
            optional = q in "?*" or (q == "{" and regex.match(r"\{0*,|\{0+\}", seq[i:]) is not None)
            if not optional and char is not None:
                run.append(char.casefold())
            flush()
            i = _skip_quantifier(seq, i)
            continue
        if char is not None:
            run.append(char.casefold())
    flush()
    return best


def _skip_escape(seq: str, i: int) -> int:
    if i + 2 < len(seq) and seq[i + 1] in "pP" and seq[i + 2] == "{":
        end = seq.find("}", i)
        return end + 1 if end > 0 else len(seq)
    return i + 2 if seq[i + 1 : i + 2] not in ("p", "P") else i + 3


def _skip_class(seq: str, i: int) -> int:
    i += 1
    if i < len(seq) and seq[i] == "^":
        i += 1
    if i < len(seq) and seq[i] == "]":
        i += 1
    while i < len(seq):
        if seq[i] == "\\":
            i += 2
            continue
        if seq[i] == "[" and seq[i + 1 : i + 2] == ":":
            end = seq.find(":]", i + 2)
            if end > 0:
                i = end + 2
                continue
        if seq[i] == "]":
            return i + 1
        i += 1
    return i


def _group_end(seq: str, i: int) -> int:
    depth, n = 0, len(seq)
    while i < n:
        c = seq[i]
        if c == "\\":
            i += 2
            continue
        if c == "[":
            i = _skip_class(seq, i)
            continue
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if depth == 0:
                return i
        i += 1
    return n - 1


def _skip_quantifier(seq: str, i: int) -> int:
    n = len(seq)
    if i < n and seq[i] in "?*+":
        i += 1
    elif i < n and seq[i] == "{":
        m = regex.match(r"\{\d*(?:,\d*)?\}", seq[i:])
        if m:
            i += m.end()
        else:
            return i
    else:
        return i
    if i < n and seq[i] in "?+":  # lazy or possessive
        i += 1
    return i
