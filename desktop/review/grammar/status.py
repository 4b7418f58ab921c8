"""What the status bar and `greenlight check --grammar` say about the grammar checker.

A writer who sees no grammar warnings must be able to tell "your text is fine" from "nothing is
checking": so the status always names the active checker and, when it is not LanguageTool, why.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

StatusKind = Literal["languagetool-local", "languagetool-server", "offline-spelling", "none", "starting"]


@dataclass(frozen=True)
class GrammarStatus:
    kind: StatusKind
    detail: str  # why, in words, with what to do when something is missing
    label: str  # one line for the status bar / CLI
    language: str = ""
    server_url: str = ""  # the LanguageTool in use (server or local), when there is one
    dictionary: str = ""  # the Hunspell .dic in use, when offline spelling is active

    @property
    def ready(self) -> bool:
        return self.kind != "starting"

    @property
    def grammar(self) -> bool:
        """True when LanguageTool (grammar and spelling) is active, not only spelling."""
        return self.kind in ("languagetool-local", "languagetool-server")

    def as_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "label": self.label,
            "detail": self.detail,
            "language": self.language,
            "server_url": self.server_url,
            "dictionary": self.dictionary,
        }


def not_started(language: str) -> GrammarStatus:
    return GrammarStatus("none", "grammar checking has not been started", "Not started", language)


def starting(language: str, what: str) -> GrammarStatus:
    return GrammarStatus("starting", what, f"Starting: {what}…", language)


def languagetool_local(language: str, url: str) -> GrammarStatus:
    return GrammarStatus(
        "languagetool-local",
        f"LanguageTool runs on this computer ({url}); grammar and spelling in {language}",
        f"LanguageTool (local, {language})",
        language,
        server_url=url,
    )


def languagetool_server(language: str, url: str) -> GrammarStatus:
    return GrammarStatus(
        "languagetool-server",
        f"LanguageTool server {url}; grammar and spelling in {language}",
        f"LanguageTool server {url} ({language})",
        language,
        server_url=url,
    )


def offline_spelling(language: str, dictionary: str, reason: str, detail: str) -> GrammarStatus:
    return GrammarStatus(
        "offline-spelling",
        f"{detail} Spelling is checked offline with the Hunspell dictionary {dictionary}; "
        "grammar is not checked.",
        f"offline spelling only ({reason})",
        language,
        dictionary=dictionary,
    )


def nothing(language: str, reason: str, detail: str) -> GrammarStatus:
    return GrammarStatus("none", detail, f"no grammar or spelling check ({reason})", language)
