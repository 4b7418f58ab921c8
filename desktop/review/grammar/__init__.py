"""Grammar and spelling: LanguageTool when available, offline Hunspell spelling when not. No Qt.

from desktop.review.grammar import GrammarService, load_grammar_settings
service = GrammarService(load_grammar_settings())
service.start()                # returns at once; LanguageTool starts on a worker thread
service.status.label           # what is active, for the status bar
service.check(text, vocabulary=team_words)   # list[Finding], off the UI thread
service.suggest(word)          # spelling corrections, computed on demand and cached
service.close()
"""

from desktop.review.grammar.service import GrammarService
from desktop.review.grammar.settings import (
    MODES,
    GrammarSettings,
    load_grammar_settings,
    save_grammar_settings,
    settings_path,
)
from desktop.review.grammar.status import GrammarStatus

__all__ = [
    "MODES",
    "GrammarService",
    "GrammarSettings",
    "GrammarStatus",
    "load_grammar_settings",
    "save_grammar_settings",
    "settings_path",
]
