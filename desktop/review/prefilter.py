"""Which alternatives of which rules could match a block, decided once per block for all rules.

Each token of an existence/substitution rule has *required literals* (see `regexes`): text every
match contains. The index maps every literal to the (rule, token) pairs needing it and finds the
literals present in a block from the block's character trigrams, so the cost follows the length of
the block, not the thousands of tokens loaded. A rule then runs a pattern built from only the tokens
that can match, and not at all when none can.

Finding the present literals is the expensive half, so it is done once per paragraph: a sentence is
a slice of its paragraph, so its literals are those of the paragraph that it contains (a short
list to test). A `Gate` then turns present literals into the selection for one set of rules (those
scoped to one kind of block), and a gate with only a few literals (the rules of `raw` or `sentence`
scope, say) tests them directly instead of scanning trigrams.
"""

from __future__ import annotations

from collections import defaultdict

# Up to this many literals, testing each one (`lit in text`) beats building the trigram set.
DIRECT_MAX = 48

# Characters from the most to the least common in English prose; anything else (digits,
# punctuation, other scripts) counts as rare.
_COMMON = " etaoinshrdlcumwfgypbvkjxqz"
_RANK = {ch: i for i, ch in enumerate(_COMMON)}


def rare_trigram(literal: str) -> str:
    """The trigram of `literal` (3+ characters) least likely to occur in ordinary prose."""
    best, best_score = literal[:3], -1
    for i in range(len(literal) - 2):
        tri = literal[i : i + 3]
        score = _RANK.get(tri[0], 30) + _RANK.get(tri[1], 30) + _RANK.get(tri[2], 30)
        if score > best_score:
            best, best_score = tri, score
    return best


Selection = dict[int, tuple[int, ...]]


class LiteralIndex:
    """Every literal of every filter, findable in a text by trigrams."""

    def __init__(self, filters: list) -> None:
        self.filters = filters
        by_literal: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.always: dict[int, tuple[int, ...]] = {}
        for fid, f in enumerate(filters):
            f.fid = fid
            self.always[fid] = tuple(f.always)
            for alt, lits in enumerate(f.literals):
                if lits is None:
                    continue
                for lit in lits:
                    by_literal[lit].append((fid, alt))
        self.by_literal = dict(by_literal)
        self.short = [lit for lit in self.by_literal if len(lit) < 3]
        # Each longer literal is filed under its rarest trigram (`rare_trigram`, worked out when
        # the rule was loaded), so the trigrams of ordinary prose bring few candidates to test;
        # a literal that is just the trigram needs no test at all.
        keys: dict[str, str] = {}
        for f in filters:
            keys.update(getattr(f, "keys", None) or {})
        buckets: dict[str, tuple[list[str], list[str]]] = {}
        for lit in self.by_literal:
            if len(lit) >= 3:
                key = keys.get(lit) or rare_trigram(lit)
                exact, others = buckets.setdefault(key, ([], []))
                (exact if lit == key else others).append(lit)
        self.by_trigram = buckets
        self._gates: dict[frozenset[int], Gate] = {}

    def present(self, folded: str) -> list[str]:
        """Every indexed literal that occurs in `folded` (exactly: no false positives)."""
        present = [lit for lit in self.short if lit in folded]
        by_tri = self.by_trigram
        for tri in {folded[i : i + 3] for i in range(len(folded) - 2)}:
            bucket = by_tri.get(tri)
            if bucket is not None:
                exact, others = bucket
                if exact:
                    present.extend(exact)
                for lit in others:
                    if lit in folded:
                        present.append(lit)
        return present

    def select(self, folded: str) -> Selection:
        """filter id -> sorted alternative indices that could match `folded` (absent: none)."""
        return self.gate(range(len(self.filters))).select(folded)

    def gate(self, fids) -> Gate:
        """The (memoised) gate for the filters `fids`."""
        key = frozenset(fids)
        g = self._gates.get(key)
        if g is None:
            g = self._gates[key] = Gate(self, key)
        return g


class Gate:
    """Selections for one set of filters: the rules that run on one kind of block.

    Built when a kind of block is first checked, so it must be cheap: a gate over many literals
    reads the index's tables and skips other filters' entries as it goes; only a gate with a few
    literals (tested directly) gets tables of its own.
    """

    def __init__(self, index: LiteralIndex, fids: frozenset[int]) -> None:
        self.index = index
        self.fids = fids
        self.always = {fid: index.always[fid] for fid in sorted(fids) if index.always[fid]}
        filters = index.filters
        count = 0
        for fid in fids:
            for lits in filters[fid].literals:
                if lits is not None:
                    count += len(lits)
            if count > DIRECT_MAX:
                break
        self.direct: list[str] | None = None
        self.by_literal: dict[str, list[tuple[int, int]]] | None = None
        if count <= DIRECT_MAX:
            mine: dict[str, list[tuple[int, int]]] = defaultdict(list)
            for fid in sorted(fids):
                for alt, lits in enumerate(filters[fid].literals):
                    for lit in lits or ():
                        mine[lit].append((fid, alt))
            self.by_literal = dict(mine)
            self.direct = list(mine)

    def present(self, folded: str) -> list[str]:
        if self.direct is not None:
            return [lit for lit in self.direct if lit in folded]
        return self.index.present(folded)

    def present_within(self, folded: str, outer_present: list[str]) -> list[str]:
        """The literals in `folded`, a substring of a text whose present literals are known."""
        mine = self.by_literal
        if mine is None:
            return [lit for lit in outer_present if lit in folded]
        return [lit for lit in outer_present if lit in mine and lit in folded]

    def select(self, folded: str, present: list[str] | None = None) -> Selection:
        """filter id -> sorted alternatives that could match (from `present` when already known)."""
        if present is None:
            present = self.present(folded)
        chosen: dict[int, set[int]] = {fid: set(alts) for fid, alts in self.always.items()}
        mine = self.by_literal
        table = mine if mine is not None else self.index.by_literal
        fids = self.fids
        for lit in present:
            pairs = table.get(lit)
            if pairs is None:
                continue
            for fid, alt in pairs:
                if mine is None and fid not in fids:
                    continue
                s = chosen.get(fid)
                if s is None:
                    chosen[fid] = {alt}
                else:
                    s.add(alt)
        return {fid: tuple(sorted(alts)) for fid, alts in chosen.items()}
