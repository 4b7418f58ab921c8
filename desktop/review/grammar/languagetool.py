"""LanguageTool through language-tool-python: a team server (`remote_server`) or a local install.

Connecting can fail in many ways, and each one must end up as a sentence a writer understands in the
status bar, never as a traceback or a frozen editor:

- no Java, a too old Java, a `java` whose version cannot be read (the library then raises
  SystemExit, which would quit the app if not caught);
- LanguageTool not installed and no network to download it, a broken install that never starts;
- a server that is unreachable, never answers, answers garbage, or does not know the language.

`LanguageToolChecker.connect()` blocks and is meant to run on a worker thread (GrammarService does
that, with its own time limit); `abort()` may be called from another thread to give up.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import subprocess
import threading
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from desktop.review.findings import Finding, Fix, Severity, line_and_column
from desktop.review.grammar.offsets import Utf16Index
from desktop.review.grammar.settings import GrammarSettings
from desktop.review.grammar.textspans import overlaps
from desktop.review.grammar.vocabulary import Vocabulary

if TYPE_CHECKING:
    from desktop.review.grammar.languagetool_client import BoundedLanguageTool

RULE_PREFIX = "LanguageTool."
MAX_REPLACEMENTS = 8
# LanguageTool's issue types (the ITS 2.0 localization quality issue types it uses).
_SEVERITY_BY_ISSUE_TYPE = {
    "misspelling": Severity.WARNING,
    "grammar": Severity.WARNING,
    "duplication": Severity.WARNING,
    "inconsistency": Severity.WARNING,
    "typographical": Severity.SUGGESTION,
    "whitespace": Severity.SUGGESTION,
    "style": Severity.SUGGESTION,
    "register": Severity.SUGGESTION,
    "locale-violation": Severity.SUGGESTION,
}
_SPELLING_CATEGORIES = {"TYPOS"}


class LanguageToolUnavailable(Exception):
    """LanguageTool cannot be used; `reason` is short (status bar), `detail` says what to do."""

    def __init__(self, reason: str, detail: str) -> None:
        super().__init__(f"{reason}: {detail}")
        self.reason = reason
        self.detail = detail


def normalise_server_url(url: str) -> str:
    """The server's base URL as language-tool-python wants it (it appends "v2/" itself).

    People paste ".../v2" or ".../v2/check" from LanguageTool's docs, or forget the scheme; and a
    base without a trailing slash would lose its last path segment when the library joins "v2/".
    """
    url = url.strip()
    if "://" not in url:
        url = "http://" + url
    for suffix in ("/v2/check", "/v2/languages", "/v2/", "/v2"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
            break
    return url.rstrip("/") + "/"


def describe_failure(
    exc: BaseException, *, settings: GrammarSettings, local: bool, downloading: bool = False
) -> LanguageToolUnavailable:
    """Turn whatever language-tool-python (or requests, or Java) raised into words and advice.

    `downloading`: the local LanguageTool was not installed, so network errors are about the download.
    """
    import requests
    from language_tool_python.exceptions import JavaError, LanguageToolError, PathError, RateLimitError

    # The library wraps network errors (and JSON that is not JSON, a ValueError) in
    # LanguageToolError ("raise ... from e"): judge by the real cause.
    cause = exc.__cause__
    wrapped = ValueError | requests.RequestException | OSError | http.client.HTTPException
    if isinstance(exc, LanguageToolError) and isinstance(cause, wrapped):
        exc = cause
    text = str(exc).strip() or type(exc).__name__
    first_line = _network_summary(exc, text) or text.splitlines()[0][:300]
    lowered = text.lower()
    server_hint = "set a team LanguageTool server URL (server_url in grammar.json)"
    where = "the local LanguageTool" if local else f"the LanguageTool server {settings.server_url}"

    if isinstance(exc, ModuleNotFoundError | JavaError) and "java" in lowered:
        return LanguageToolUnavailable(
            "no Java", f"LanguageTool needs Java 17 or newer and none was found; install it or {server_hint}."
        )
    if isinstance(exc, SystemError) and "java" in lowered:
        return LanguageToolUnavailable(
            "Java too old", f"{first_line} Install Java 17 or newer, or {server_hint}."
        )
    if isinstance(exc, SystemExit | subprocess.SubprocessError):
        return LanguageToolUnavailable(
            "Java does not work", f"running `java -version` failed or printed nothing usable ({first_line})."
        )
    if downloading and isinstance(exc, requests.RequestException | OSError | PathError):
        return LanguageToolUnavailable(
            "not installed",
            f"LanguageTool is not installed on this computer and could not be downloaded ({first_line}); "
            f"connect to the internet once so it can be downloaded, place it in LTP_PATH, or {server_hint}.",
        )
    if isinstance(exc, RateLimitError):
        return LanguageToolUnavailable(
            "rate limited", f"{where} refuses more requests for now ({first_line})."
        )
    if isinstance(exc, ValueError) and "language" in lowered:
        return LanguageToolUnavailable(
            f"no {settings.language}",
            f"{where} does not offer the language {settings.language!r} ({first_line}); "
            "change language in grammar.json.",
        )
    if isinstance(exc, requests.Timeout | TimeoutError | socket.timeout):
        return LanguageToolUnavailable(
            "no answer", f"{where} did not answer within {settings.request_timeout:g} s ({first_line})."
        )
    if isinstance(exc, requests.ConnectionError | ConnectionError | http.client.HTTPException):
        return LanguageToolUnavailable("unreachable", f"cannot connect to {where} ({first_line}).")
    if isinstance(exc, FileNotFoundError | PathError):
        return LanguageToolUnavailable(
            "not installed", f"LanguageTool is not installed correctly ({first_line})."
        )
    if local and isinstance(exc, LanguageToolError):
        return LanguageToolUnavailable("did not start", f"the local LanguageTool failed ({first_line}).")
    if isinstance(
        exc,
        LanguageToolError | requests.RequestException | ValueError | LookupError | TypeError | AttributeError,
    ):
        return LanguageToolUnavailable(
            "unreadable answer", f"{where} sent a response that is not LanguageTool's API ({first_line})."
        )
    return LanguageToolUnavailable("failed", f"{where} failed: {type(exc).__name__}: {first_line}")


def _network_summary(exc: BaseException, text: str) -> str:
    """A short cause for a network error: urllib3's own messages run to several hundred characters."""
    import requests

    if not isinstance(exc, requests.RequestException | OSError):
        return ""
    request = getattr(exc, "request", None)
    host = urlsplit(getattr(request, "url", "") or "").netloc or "the server"
    if "Failed to resolve" in text or "Name or service not known" in text or "getaddrinfo" in text:
        return f"cannot look up {host}: no network, or no such host"
    if "Connection refused" in text:
        return f"{host} refused the connection"
    if isinstance(exc, requests.Timeout) or "timed out" in text:
        return f"{host} did not answer in time"
    if "RemoteDisconnected" in text or "Connection aborted" in text:
        return f"{host} closed the connection without answering"
    return ""


def local_install_present() -> bool:
    """Whether language-tool-python would find LanguageTool without downloading it."""
    import os

    from language_tool_python.download_lt import LTP_DOWNLOAD_VERSION, LocalLanguageTool

    if os.environ.get("LTP_JAR_DIR_PATH"):
        return True
    try:
        wanted = LocalLanguageTool.from_version_name(LTP_DOWNLOAD_VERSION)
        return wanted in LocalLanguageTool.get_installed_versions()
    except Exception:
        return False


class LanguageToolChecker:
    """One connection to LanguageTool (server or local) that turns its matches into Findings."""

    def __init__(self, settings: GrammarSettings) -> None:
        self.settings = settings
        self.local = not settings.server_url
        self.url = normalise_server_url(settings.server_url) if settings.server_url else ""
        self._aborted = threading.Event()
        self.downloading = False  # True while connect() may be downloading LanguageTool (first use)
        self._tool: BoundedLanguageTool | None = None
        self._pending: BoundedLanguageTool | None = None
        self._lock = threading.Lock()  # the library's Match keeps per-class state: one check at a time

    @property
    def kind(self) -> str:
        return "languagetool-local" if self.local else "languagetool-server"

    def connect(self, start_timeout: float | None = None) -> None:
        """Start or reach LanguageTool; raises LanguageToolUnavailable. Blocks: call off the UI thread."""
        try:
            from desktop.review.grammar.languagetool_client import BoundedLanguageTool, StartAborted
        except Exception as exc:  # a broken install of the library itself
            raise LanguageToolUnavailable(
                "library missing", f"language-tool-python cannot be loaded ({exc})."
            ) from exc

        def remember(tool: BoundedLanguageTool) -> None:
            self._pending = tool

        kwargs: dict[str, Any] = {"language": self.settings.language}
        if self.local:
            if not self.settings.local_languagetool:
                raise LanguageToolUnavailable(
                    "no server set",
                    "no LanguageTool server URL is set and the local LanguageTool is turned off.",
                )
            self.downloading = not local_install_present()
        else:
            kwargs["remote_server"] = self.url
        try:
            tool = BoundedLanguageTool(
                request_timeout=self.settings.request_timeout,
                aborted=self._aborted,
                on_created=remember,
                **kwargs,
            )
        except StartAborted as exc:
            raise LanguageToolUnavailable(
                "too slow",
                f"LanguageTool did not start within {start_timeout or self.settings.start_timeout:g} s.",
            ) from exc
        except (Exception, SystemExit) as exc:  # SystemExit: the library's answer to an odd `java -version`
            self._stop_pending()
            raise describe_failure(
                exc, settings=self.settings, local=self.local, downloading=self.downloading
            ) from exc
        if self._aborted.is_set():
            tool.shut_down()
            raise LanguageToolUnavailable(
                "too slow", "LanguageTool started after Greenlight stopped waiting."
            )
        self._tool = tool
        self._pending = None
        if self.local:
            self.url = tool.url.removesuffix("v2/")

    def _stop_pending(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            with contextlib.suppress(Exception):
                pending.shut_down()

    @property
    def aborted(self) -> bool:
        return self._aborted.is_set()

    def abort(self) -> None:
        """Give up on a connect() running on another thread; kills a Java process it started."""
        self._aborted.set()
        pending = self._pending
        if pending is not None:
            pending.abort()

    def findings(self, text: str, vocabulary: Vocabulary, protected: list[tuple[int, int]]) -> list[Finding]:
        """LanguageTool's matches as Findings; raises LanguageToolUnavailable when the request fails."""
        tool = self._tool
        if tool is None:
            raise LanguageToolUnavailable("not connected", "LanguageTool is not connected.")
        try:
            with self._lock:
                matches = tool.check(text)
            return self._to_findings(text, matches, vocabulary, protected)
        except (Exception, SystemExit) as exc:
            raise describe_failure(exc, settings=self.settings, local=self.local) from exc

    def _to_findings(
        self, text: str, matches: Iterable[Any], vocabulary: Vocabulary, protected: list[tuple[int, int]]
    ) -> list[Finding]:
        index = Utf16Index(text)
        findings = []
        for m in matches:
            # language-tool-python already turned `offset` into code points (it subtracts the
            # emoji before it), but not `error_length`, which still counts UTF-16 units: convert
            # the end through UTF-16 so a span containing an emoji is right too.
            start = max(0, min(int(m.offset), len(text)))
            end = index.to_code_points(index.to_utf16(start) + int(m.error_length))
            end = max(start, end)
            matched = text[start:end]
            if overlaps(start, max(end, start + 1), protected):
                continue  # a hashtag, mention, link, e-mail address or emoji
            is_spelling = m.category in _SPELLING_CATEGORIES
            if is_spelling and vocabulary.accepts(matched.strip()):
                continue
            line, column = line_and_column(text, start)
            replacements = tuple(str(r) for r in m.replacements[:MAX_REPLACEMENTS])
            findings.append(
                Finding(
                    rule=f"{RULE_PREFIX}{m.rule_id}",
                    severity=_SEVERITY_BY_ISSUE_TYPE.get(m.rule_issue_type, Severity.SUGGESTION),
                    message=str(m.message),
                    start=start,
                    end=end,
                    line=line,
                    column=column,
                    match=matched,
                    fix=Fix(action="replace", suggestions=replacements) if replacements else Fix(),
                    link=f"https://community.languagetool.org/rule/show/{m.rule_id}?lang={self.settings.language}",
                    description=f"LanguageTool ({m.category})",
                    tags=("spelling",) if is_spelling else ("grammar",),
                )
            )
        return findings

    def display_url(self) -> str:
        """The server URL for the status line (no credentials, even if someone put them in the URL)."""
        parts = urlsplit(self.url)
        host = parts.hostname or ""
        if parts.port:
            host = f"{host}:{parts.port}"
        return f"{parts.scheme}://{host}{parts.path}".rstrip("/")

    def close(self) -> None:
        self.abort()
        tool, self._tool = self._tool, None
        if tool is not None:
            with contextlib.suppress(Exception):
                tool.shut_down()
