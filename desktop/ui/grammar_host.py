"""The grammar service as the UI's grammar process hosts it (see `child_process`). No Qt.

Spelling (spylls) and LanguageTool answers are parsed in pure Python; in the child process that
work never competes with the UI thread. Status changes are polled by the UI instead of pushed.
"""

from __future__ import annotations

from typing import Any

from desktop.review.findings import Finding


class GrammarHost:
    def __init__(self) -> None:
        self.service: Any = None
        self.error = ""

    def start(self) -> tuple[str, bool]:
        try:
            from desktop.review.grammar import GrammarService, load_grammar_settings

            self.service = GrammarService(load_grammar_settings())
            self.service.start()
        except Exception as exc:  # a broken grammar.json or a missing module: say so, keep going
            self.error = str(exc)
        return self.status()

    def status(self) -> tuple[str, bool]:
        """(one line for the status bar, whether the checker has finished starting)."""
        if self.service is None:
            return (f"not available ({self.error})" if self.error else "not available"), True
        status = self.service.status
        return status.label, bool(status.ready)

    def check(
        self, text: str, vocabulary: tuple[str, ...], ignored: frozenset[tuple[str, str]]
    ) -> tuple[str, bool, tuple[Finding, ...]]:
        label, ready = self.status()
        if self.service is None:
            return label, ready, ()
        # No suggestions here: computing them costs up to ~200 ms per misspelled word, and the
        # writer needs them only for the word whose menu or fix buttons they open (`suggest`).
        found = self.service.check(text, vocabulary=vocabulary)
        return label, ready, tuple(f for f in found if (f.rule, f.match) not in ignored)

    def suggest(self, word: str) -> tuple[str, ...]:
        """Spelling corrections for one word, best first (the service caches them)."""
        if self.service is None:
            return ()
        return tuple(self.service.suggest(word))

    def close(self) -> None:
        if self.service is not None:
            self.service.close()
