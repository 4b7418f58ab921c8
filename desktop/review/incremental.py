"""Re-checking on every keystroke: reuse the results of every paragraph that did not change.

Block-local rules (existence, substitution, capitalization, repetition, occurrence per sentence,
spelling ...) depend only on the text of their block, so their results are cached by the text of
each paragraph-like unit. A keystroke changes one unit; only that one is run again. Rules whose
answer depends on the whole document (consistency, conditional, readability, metric, `raw` and
`summary` scopes, occurrence over a whole plain text) are re-run every time, which keeps them
correct across paragraphs; they are few and cheap.
"""

from __future__ import annotations

from collections import OrderedDict

from desktop.review.engine import Engine
from desktop.review.findings import Finding


class _LRU(OrderedDict):
    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def get(self, key, default=None):  # type: ignore[override]
        if key in self:
            self.move_to_end(key)
            return self[key]
        return default

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        self.move_to_end(key)
        if len(self) > self.size:
            self.popitem(last=False)


class IncrementalChecker:
    """`IncrementalChecker(engine).check(text, syntax=...)`: same findings as `engine.check`."""

    def __init__(self, engine: Engine, *, max_units: int = 4096) -> None:
        self.engine = engine
        self._caches: dict[str, _LRU] = {}
        self.max_units = max_units
        self._quarantine_size = 0

    def check(self, text: str, *, syntax: str = "text") -> list[Finding]:
        if len(self.engine.quarantined) != self._quarantine_size:
            self._caches.clear()  # a rule was switched off: cached results may include it
            self._quarantine_size = len(self.engine.quarantined)
        cache = self._caches.get(syntax)
        if cache is None:
            cache = self._caches[syntax] = _LRU(self.max_units)
        return self.engine._check(text, syntax, cache)

    def clear(self) -> None:
        self._caches.clear()
