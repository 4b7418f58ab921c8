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


class VPattern:
    """A compiled rule pattern that pickles as its source and compiles again only when used.

    Rules keep these instead of `regex.Pattern`s so that the cache of loaded rules (`rulecache`)
    can restore a pack without compiling its hundreds of patterns: a document usually needs only a
    few of them. `cost` bounds the work of one match attempt (see `attempt_cost`); the engine uses
    it to skip the regex module's per-call timeout, which costs more than a short search itself,
    when even the worst case on the text at hand is small.
    """

    __slots__ = ("pattern", "flags", "_cost", "_compiled")

    def __init__(self, source: str, flags: int = FLAGS, compiled: regex.Pattern | None = None) -> None:
        self.pattern = source  # as the regex module reads it (after `translate`)
        self.flags = flags
        self._cost: tuple[int, int] | None | int = -1  # -1: not worked out yet
        self._compiled = compiled

    @property
    def compiled(self) -> regex.Pattern:
        c = self._compiled
        if c is None:
            c = self._compiled = regex.compile(self.pattern, self.flags)
        return c

    @property
    def cost(self) -> tuple[int, int] | None:
        """`attempt_cost` of the pattern (worked out on first use)."""
        c = self._cost
        if c == -1:
            c = self._cost = attempt_cost(self.pattern)
        return c

    def __getstate__(self) -> tuple:
        return (self.pattern, self.flags, self._cost)

    def __setstate__(self, state: tuple) -> None:
        self.pattern, self.flags, self._cost = state
        self._compiled = None

    def __repr__(self) -> str:
        return f"VPattern({self.pattern!r})"

    @property
    def groups(self) -> int:
        return self.compiled.groups

    def finditer(self, string: str, *args, **kwargs):
        return self.compiled.finditer(string, *args, **kwargs)

    def search(self, string: str, *args, **kwargs):
        return self.compiled.search(string, *args, **kwargs)

    def match(self, string: str, *args, **kwargs):
        return self.compiled.match(string, *args, **kwargs)

    def fullmatch(self, string: str, *args, **kwargs):
        return self.compiled.fullmatch(string, *args, **kwargs)

    def findall(self, string: str, *args, **kwargs):
        return self.compiled.findall(string, *args, **kwargs)

    def sub(self, repl, string: str, *args, **kwargs):
        return self.compiled.sub(repl, string, *args, **kwargs)


def compile_vale(pattern: str) -> VPattern:
    """Compile a pattern written in Vale's flavour; raise PatternError with the engine's reason."""
    try:
        source = translate(pattern)
        return VPattern(source, FLAGS, regex.compile(source, FLAGS))
    except PatternError:
        raise
    except (regex.error, ValueError, OverflowError, RecursionError) as exc:
        raise PatternError(str(exc)) from None


def compile_python(pattern: str, flags: int = 0) -> VPattern:
    """A pattern already in the regex module's syntax, wrapped like a rule pattern."""
    return VPattern(pattern, flags, regex.compile(pattern, flags))


# --------------------------------------------------------------------------------------------------
# How much work one match attempt can do


class _Unbounded(Exception):
    pass


_COST_CAP = 1 << 40
_BRACES = regex.compile(r"\{(\d*)(?:,(\d*))?\}")
# Only the flags that do not change how much matching can do (not POSIX, fuzzy or verbose).
_FLAG_SET = r"(?:[aimsuL\-]|V0)+"
_GROUP_PREFIX = regex.compile(r"\?(?::|>|\||=|!|<=|<!|P?<[A-Za-z_]\w*>|'[A-Za-z_]\w*'|" + _FLAG_SET + ":)")
_FLAGS_ONLY = regex.compile(r"\?" + _FLAG_SET + r"\)")


def attempt_cost(pattern: str) -> tuple[int, int] | None:
    """A bound on the steps of one match attempt of `pattern` (regex module syntax) at one position
    of a text of length n: `(c, d)` means at most c * n**d steps. None: no bound is known.

    The bound counts the paths backtracking can take through the pattern (alternatives add,
    sequences multiply, `x?` and `x{m,n}` multiply out; `x*` / `x+` over one character, or over a
    group with a single path, can stop at any of n places) times the pattern's length. A repeated
    group with several paths (`(a|ab)+`: exponential), back-references, recursion, fuzzy
    matching, verbose mode and every construct not recognised here give None: those patterns
    always run under a timeout. Over a whole text, a search costs at most c * n**(d+1) steps.
    """
    try:
        (c, d), i = _cost_alternation(pattern, 0)
    except (_Unbounded, IndexError, RecursionError, ValueError):
        return None
    if i != len(pattern):
        return None
    return c * (len(pattern) + 1), d


_Cost = tuple[int, int]  # (c, d): at most c * n**d paths


def _cost_alternation(p: str, i: int) -> tuple[_Cost, int]:
    (c, d), i = _cost_sequence(p, i)
    while i < len(p) and p[i] == "|":
        (c2, d2), i = _cost_sequence(p, i + 1)
        c, d = c + c2, max(d, d2)
    if c > _COST_CAP or d > 8:
        raise _Unbounded
    return (c, d), i


def _cost_sequence(p: str, i: int) -> tuple[_Cost, int]:
    c, d = 1, 0
    n = len(p)
    while i < n and p[i] not in "|)":
        (ac, ad), i, single = _cost_atom(p, i)
        (ac, ad), i = _cost_quantified(p, i, ac, ad, single)
        c, d = c * ac, d + ad
        if c > _COST_CAP or d > 8:
            raise _Unbounded
    return (c, d), i


def _cost_atom(p: str, i: int) -> tuple[_Cost, int, bool]:
    """(cost, end, whether the atom is one character wide)."""
    c = p[i]
    if c == "\\":
        e = p[i + 1]
        if e.isdigit() and e != "0" or e in "gkKR":  # back-references, recursion
            raise _Unbounded
        if e in "pPNx" and p[i + 2 : i + 3] == "{":
            return (1, 0), p.index("}", i + 2) + 1, True
        if e in "pP":
            return (1, 0), i + 3, True
        if e == "x":
            return (1, 0), i + 4, True
        if e == "u":
            return (1, 0), i + 6, True
        if e == "U":
            return (1, 0), i + 10, True
        if e == "0":
            j = i + 2
            while j < i + 4 and j < len(p) and p[j] in "01234567":
                j += 1
            return (1, 0), j, True
        return (1, 0), i + 2, True
    if c == "[":
        end = _skip_class(p, i)
        if end > len(p) or p[end - 1] != "]":
            raise _Unbounded
        return (1, 0), end, True
    if c == "(":
        if p.startswith("(?#", i):
            return (1, 0), p.index(")", i) + 1, False
        if p.startswith("(?", i):
            m = _FLAGS_ONLY.match(p, i + 1)
            if m:  # (?i) and friends: zero width
                return (1, 0), m.end(), False
            m = _GROUP_PREFIX.match(p, i + 1)
            if not m:
                raise _Unbounded
            start = m.end()
        else:
            start = i + 1
        inner, j = _cost_alternation(p, start)
        if j >= len(p) or p[j] != ")":
            raise _Unbounded
        return inner, j + 1, False
    if c == "{":  # a brace that is not a quantifier: refuse to guess how it is read
        raise _Unbounded
    return (1, 0), i + 1, True


def _cost_quantified(p: str, i: int, c: int, d: int, single: bool) -> tuple[_Cost, int]:
    if i >= len(p):
        return (c, d), i
    q = p[i]
    unbounded = False
    if q in "*+":
        unbounded, i = True, i + 1
    elif q == "?":
        c, i = 1 + c, i + 1
    elif q == "{":
        m = _BRACES.match(p, i)
        if not m:
            raise _Unbounded
        lo_text, hi_text = m.group(1), m.group(2)
        i = m.end()
        if "," not in m.group(0):
            lo = hi = int(lo_text or "0")
        elif not hi_text:
            unbounded = True  # {m,}
        else:
            lo, hi = int(lo_text or "0"), int(hi_text)
        if not unbounded:
            if hi > 1000:
                raise _Unbounded
            total, power = 0, 1
            for k in range(hi + 1):
                if k >= lo:
                    total += power
                power *= c
                if total > _COST_CAP or power > _COST_CAP:
                    raise _Unbounded
            c, d = max(total, 1), d * hi
    else:
        return (c, d), i
    if unbounded:
        # Only the number of repetitions varies (at most n + 1 choices) when each repetition has
        # one way to match; anything else can blow up exponentially.
        if not (single or (c == 1 and d == 0)):
            raise _Unbounded
        c, d = 1, d + 1
    if i < len(p) and p[i] in "?+":  # lazy or possessive: the same paths, in another order
        i += 1
    if i < len(p) and p[i] in "*+?{":  # a quantified quantifier: not something to reason about
        raise _Unbounded
    return (c, d), i


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
