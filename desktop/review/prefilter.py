"""Which alternatives of which rules could match a block, decided once per block for all rules.

Each token of an existence/substitution rule has *required literals* (see `regexes`): text every
match contains. The index maps every literal to the (rule, token) pairs needing it and finds the
literals present in a block from the block's character trigrams, so the cost follows the length of
the block, not the thousands of tokens loaded. A rule then runs a pattern built from only the tokens
that can match, and not at all when none can.
"""

from __future__ import annotations

from collections import defaultdict


class LiteralIndex:
    def __init__(self, filters: list) -> None:
        self.filters = filters
        by_literal: dict[str, list[tuple[int, int]]] = defaultdict(list)
        self.always: dict[int, list[int]] = {}
        for fid, f in enumerate(filters):
            f.fid = fid
            self.always[fid] = list(f.always)
            for alt, lits in enumerate(f.literals):
                if lits is None:
                    continue
                for lit in lits:
                    by_literal[lit].append((fid, alt))
        self.by_literal = dict(by_literal)
        self.short = [lit for lit in self.by_literal if len(lit) < 3]
        self.by_trigram: dict[str, list[str]] = defaultdict(list)
        for lit in self.by_literal:
            if len(lit) >= 3:
                self.by_trigram[lit[:3]].append(lit)
        self.by_trigram = dict(self.by_trigram)

    def select(self, folded: str) -> dict[int, tuple[int, ...]]:
        """filter id -> sorted alternative indices that could match `folded` (absent: none)."""
        present = [lit for lit in self.short if lit in folded]
        by_tri = self.by_trigram
        for tri in {folded[i : i + 3] for i in range(len(folded) - 2)}:
            lits = by_tri.get(tri)
            if lits:
                present.extend(lit for lit in lits if len(lit) == 3 or lit in folded)
        chosen: dict[int, set[int]] = {fid: set(alts) for fid, alts in self.always.items() if alts}
        for lit in present:
            for fid, alt in self.by_literal[lit]:
                s = chosen.get(fid)
                if s is None:
                    chosen[fid] = {alt}
                else:
                    s.add(alt)
        return {fid: tuple(sorted(alts)) for fid, alts in chosen.items()}
