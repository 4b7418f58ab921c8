"""GrammarService: picks the grammar/spelling checker, keeps its status, and never blocks the caller.

The choice, in `auto` mode: a team LanguageTool server when one is set, else LanguageTool on this
computer (language-tool-python starts it, downloading it once if needed), else offline Hunspell
spelling. Starting LanguageTool can take seconds or fail in a dozen ways, so `start()` only
launches worker threads: one loads the Hunspell dictionary (so spelling works while LanguageTool
starts, and is ready as the fallback), one connects to LanguageTool under its own time limit. The
editor keeps typing meanwhile; `status` says what is active and why; `check()` uses whatever is
ready. When a LanguageTool server stops answering later, checks fall back to spelling and the
service tries the server again after `RETRY_SECONDS` (laptops move between networks).

Status listeners are called on worker threads: a Qt caller must hop to the UI thread (a signal).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable

from desktop.review.findings import Finding, Fix
from desktop.review.grammar import status as st
from desktop.review.grammar.languagetool import LanguageToolChecker, LanguageToolUnavailable
from desktop.review.grammar.settings import GrammarSettings, load_grammar_settings
from desktop.review.grammar.spelling import RULE as SPELLING_RULE
from desktop.review.grammar.spelling import HunspellChecker
from desktop.review.grammar.status import GrammarStatus
from desktop.review.grammar.textspans import protected_spans
from desktop.review.grammar.vocabulary import vocabulary_of

log = logging.getLogger(__name__)

RETRY_SECONDS = 60.0
StatusListener = Callable[[GrammarStatus], None]


class GrammarService:
    """Grammar and spelling for the editor and the CLI; see the module docstring."""

    def __init__(self, settings: GrammarSettings | None = None) -> None:
        self.settings = settings if settings is not None else load_grammar_settings()
        self._cond = threading.Condition()
        self._status = st.not_started(self.settings.language)
        self._listeners: list[StatusListener] = []
        self._notify_lock = threading.Lock()
        self._generation = 0  # bumped by start()/close(): late workers of an old run change nothing
        self._started = False
        self._languagetool: LanguageToolChecker | None = None  # connected and in use
        self._connecting: LanguageToolChecker | None = None
        self._speller: HunspellChecker | None = None
        self._speller_error = ""
        self._speller_loaded = threading.Event()
        self._speller_thread: threading.Thread | None = None
        self._last_failure: LanguageToolUnavailable | None = None
        self._retry_after = 0.0

    # -- status ------------------------------------------------------------------------------

    @property
    def status(self) -> GrammarStatus:
        return self._status

    @property
    def dictionary_error(self) -> str:
        """Why offline spelling is unavailable ("" when it works or has not been tried yet)."""
        return self._speller_error

    def add_listener(self, listener: StatusListener) -> Callable[[], None]:
        """Call `listener(status)` on every change (on a worker thread); returns an unsubscribe."""
        with self._cond:
            self._listeners.append(listener)

        def remove() -> None:
            with self._cond:
                if listener in self._listeners:
                    self._listeners.remove(listener)

        return remove

    def _set_status(self, status: GrammarStatus, generation: int | None = None) -> bool:
        with self._cond:
            if generation is not None and generation != self._generation:
                return False
            self._status = status
            self._cond.notify_all()
        log.info("grammar: %s (%s)", status.label, status.detail)
        # One notification at a time, each with the newest status: two workers changing the status
        # at once must not leave a listener (the status bar) showing the older one.
        with self._notify_lock:
            current = self._status
            with self._cond:
                listeners = list(self._listeners)
            for listener in listeners:
                try:
                    listener(current)
                except Exception:  # a broken listener must not take the checker down
                    log.exception("grammar status listener failed")
        return True

    def wait_ready(self, timeout: float | None = None) -> GrammarStatus:
        """Wait until the status is no longer "starting" (or `timeout` passes); for the CLI."""
        with self._cond:
            self._cond.wait_for(lambda: self._status.ready, timeout)
            return self._status

    # -- lifecycle ---------------------------------------------------------------------------

    def start(self, timeout: float | None = None) -> None:
        """Start checking in the background; returns at once. `timeout`: seconds LanguageTool may
        take to start or connect (default: start_timeout from the settings). Calling it again while
        running does nothing; use restart() after changing settings."""
        with self._cond:
            if self._started:
                return
            self._started = True
            self._generation += 1
            generation = self._generation
        if self.settings.mode != "off":
            # Say "starting" before returning, so a caller never reads a stale "not started".
            self._set_status(st.starting(self.settings.language, "choosing a checker"), generation)
        self._launch(generation, timeout if timeout is not None else self.settings.start_timeout, quiet=False)

    def restart(self, settings: GrammarSettings | None = None, timeout: float | None = None) -> None:
        """Apply new settings (or retry LanguageTool) without blocking."""
        self.close()
        if settings is not None:
            if (settings.language, settings.dictionary_dir) != (
                self.settings.language,
                self.settings.dictionary_dir,
            ):
                with self._cond:
                    self._speller, self._speller_error = None, ""
                    self._speller_loaded = threading.Event()
                    self._speller_thread = None
            self.settings = settings
        with self._cond:
            self._started = False
        self.start(timeout)

    def close(self) -> None:
        """Stop LanguageTool (a local one is shut down) and any start in progress."""
        with self._cond:
            self._generation += 1
            self._started = False
            languagetool, self._languagetool = self._languagetool, None
            connecting, self._connecting = self._connecting, None
        for checker in (connecting, languagetool):
            if checker is not None:
                checker.close()
        self._set_status(
            GrammarStatus("none", "grammar checking was stopped", "stopped", self.settings.language)
        )

    def __enter__(self) -> GrammarService:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _launch(self, generation: int, timeout: float, *, quiet: bool) -> None:
        threading.Thread(
            target=self._run, args=(generation, timeout, quiet), name="greenlight-grammar-start", daemon=True
        ).start()

    def _run(self, generation: int, timeout: float, quiet: bool) -> None:
        try:
            self._choose_checker(generation, timeout, quiet)
        except Exception as exc:  # last line of defence: never leave the status at "starting"
            log.exception("grammar service failed to start")
            self._set_status(
                st.nothing(
                    self.settings.language, "internal error", f"grammar checking failed to start: {exc}"
                ),
                generation,
            )

    def _choose_checker(self, generation: int, timeout: float, quiet: bool) -> None:
        s = self.settings
        if s.mode == "off":
            self._set_status(
                st.nothing(
                    s.language, "turned off", "Grammar and spelling checks are turned off (mode: off)."
                ),
                generation,
            )
            return
        if s.mode in ("auto", "spelling"):
            self._load_speller_in_background()
        if s.mode == "spelling":
            if not quiet:
                self._set_status(st.starting(s.language, f"loading the {s.language} dictionary"), generation)
            self._fall_back(
                generation,
                LanguageToolUnavailable(
                    "chosen in settings", "Offline spelling is chosen in settings (mode: spelling)."
                ),
                prefix="",
            )
            return
        if not quiet:
            what = (
                f"connecting to {s.server_url}" if s.server_url else "starting LanguageTool on this computer"
            )
            self._set_status(st.starting(s.language, what), generation)
        failure = self._connect_languagetool(generation, timeout)
        if failure is not None:
            self._fall_back(generation, failure)

    def _connect_languagetool(self, generation: int, timeout: float) -> LanguageToolUnavailable | None:
        """Connect on a helper thread, waiting at most `timeout`; None when connected (or superseded).

        A first-use download of LanguageTool is not abandoned at the time limit: the status says
        offline spelling meanwhile, and the helper switches to LanguageTool when it is ready.
        """
        checker = LanguageToolChecker(self.settings)
        with self._cond:
            if generation != self._generation:
                return None
            self._connecting = checker
        outcome: list[BaseException | None] = []
        handover = threading.Lock()
        state = {"done": False, "waiter_gone": False}

        def attempt() -> None:
            try:
                checker.connect(timeout)
                outcome.append(None)
            except BaseException as exc:  # reported to the waiting thread, as a status
                outcome.append(exc)
            with handover:
                state["done"] = True
                late = state["waiter_gone"]
            if late and outcome[0] is None:
                self._adopt(generation, checker)

        worker = threading.Thread(target=attempt, name="greenlight-languagetool-connect", daemon=True)
        worker.start()
        worker.join(timeout)
        with handover:
            timed_out = not state["done"]
            state["waiter_gone"] = timed_out
        if timed_out:
            if checker.downloading and not checker.aborted:
                return LanguageToolUnavailable(
                    "downloading LanguageTool",
                    "LanguageTool is being downloaded for its first use (about 250 MB, once); "
                    "Greenlight switches to it when it is ready.",
                )
            self._forget_connecting(checker)
            checker.abort()  # stops port attempts and kills a Java process it started
            return LanguageToolUnavailable(
                "too slow",
                f"LanguageTool did not {'answer' if self.settings.server_url else 'start'} within {timeout:g} s "
                "(raise start_timeout in grammar.json if it is just slow).",
            )
        self._forget_connecting(checker)
        error = outcome[0]
        if error is not None:
            checker.close()
            if isinstance(error, LanguageToolUnavailable):
                return error
            return LanguageToolUnavailable("failed", f"LanguageTool failed: {type(error).__name__}: {error}")
        self._adopt(generation, checker)
        return None

    def _forget_connecting(self, checker: LanguageToolChecker) -> None:
        with self._cond:
            if self._connecting is checker:
                self._connecting = None

    def _adopt(self, generation: int, checker: LanguageToolChecker) -> None:
        """Make a connected checker the active one, unless close()/restart() came in between."""
        with self._cond:
            current = generation == self._generation
            if current:
                self._languagetool = checker
                self._last_failure = None
                if self._connecting is checker:
                    self._connecting = None
        if not current:
            checker.close()
            return
        language = self.settings.language
        url = checker.display_url()
        self._set_status(
            st.languagetool_local(language, url) if checker.local else st.languagetool_server(language, url),
            generation,
        )

    def _fall_back(
        self, generation: int, failure: LanguageToolUnavailable, prefix: str = "LanguageTool not available: "
    ) -> None:
        s = self.settings
        with self._cond:
            if self._languagetool is not None:
                return  # LanguageTool came up meanwhile (a download finished): nothing to fall back from
            self._last_failure = failure if prefix else None
            self._retry_after = time.monotonic() + RETRY_SECONDS
        reason = f"{prefix}{failure.reason}"
        if s.mode == "languagetool":
            self._set_status(st.nothing(s.language, reason, failure.detail), generation)
            return
        speller = self._wait_for_speller()
        if speller is None:
            self._set_status(
                st.nothing(s.language, f"{reason}; no dictionary", f"{failure.detail} {self._speller_error}"),
                generation,
            )
            return
        self._set_status(
            st.offline_spelling(s.language, str(speller.path), reason, failure.detail), generation
        )

    # -- offline spelling --------------------------------------------------------------------

    def _load_speller_in_background(self) -> None:
        with self._cond:
            if self._speller_thread is not None:
                return
            loaded = self._speller_loaded
            self._speller_thread = threading.Thread(
                target=self._load_speller, args=(loaded,), name="greenlight-hunspell-load", daemon=True
            )
            self._speller_thread.start()

    def _load_speller(self, loaded: threading.Event) -> None:
        speller, error = None, ""
        try:
            speller = HunspellChecker.for_language(self.settings.language, self.settings.dictionary_dir)
        except Exception as exc:  # DictionaryNotFound, or a file spylls cannot parse
            error = (
                str(exc)
                if type(exc).__name__ == "DictionaryNotFound"
                else f"cannot read the dictionary: {exc}"
            )
        with self._cond:
            if loaded is self._speller_loaded:
                self._speller, self._speller_error = speller, error
        loaded.set()

    def _wait_for_speller(self) -> HunspellChecker | None:
        self._load_speller_in_background()
        self._speller_loaded.wait()
        return self._speller

    # -- checking ----------------------------------------------------------------------------

    def check(self, text: str, *, vocabulary: Iterable[str] = ()) -> list[Finding]:
        """Grammar/spelling findings for `text`, from whichever checker is ready (may be none yet).

        Talks to LanguageTool when it is active (up to request_timeout): call it off the UI thread.
        Spelling findings carry Fix(action="suggest"): get the corrections from suggest().
        """
        if not text.strip() or self.settings.mode == "off":
            return []
        vocab = vocabulary_of(vocabulary)
        protected = protected_spans(text)
        languagetool = self._languagetool
        if languagetool is not None:
            try:
                return languagetool.findings(text, vocab, protected)
            except LanguageToolUnavailable as failure:
                self._lost_languagetool(languagetool, failure)
        else:
            self._maybe_retry_server()
        if self.settings.mode == "languagetool":
            return []
        speller = self._speller
        return speller.findings(text, vocab, protected) if speller is not None else []

    def _lost_languagetool(self, checker: LanguageToolChecker, failure: LanguageToolUnavailable) -> None:
        with self._cond:
            if self._languagetool is not checker:
                return
            self._languagetool = None
            generation = self._generation
        checker.close()
        lost = LanguageToolUnavailable(
            f"LanguageTool stopped working ({failure.reason})",
            f"{failure.detail} Will try again in a minute.",
        )
        if self.settings.mode == "auto":
            self._load_speller_in_background()
        self._fall_back(generation, lost, prefix="")

    def _maybe_retry_server(self) -> None:
        """A team server that failed is tried again now and then, quietly, in the background."""
        s = self.settings
        if not s.server_url or s.mode not in ("auto", "languagetool"):
            return
        with self._cond:
            if (
                not self._started
                or self._connecting is not None
                or not self._status.ready
                or time.monotonic() < self._retry_after
            ):
                return
            self._retry_after = time.monotonic() + RETRY_SECONDS
            generation = self._generation
        self._launch(generation, s.start_timeout, quiet=True)

    def suggest(self, word: str, limit: int = 5) -> tuple[str, ...]:
        """Spelling corrections for `word`, best first; slow the first time (~10-200 ms), then cached.

        Loads the dictionary if needed (even when LanguageTool is active, whose findings already
        carry their replacements): call it off the UI thread.
        """
        if not word.strip() or self.settings.mode == "off":
            return ()
        speller = self._wait_for_speller()
        return speller.suggest(word, limit) if speller is not None else ()

    def with_suggestions(self, findings: Iterable[Finding], limit: int = 5) -> list[Finding]:
        """The findings with spelling suggestions filled in (Fix "replace"): for JSON output and fixes."""
        result = []
        for finding in findings:
            if finding.rule == SPELLING_RULE and finding.fix.action == "suggest":
                suggestions = self.suggest(finding.match, limit)
                fix = Fix(action="replace", suggestions=suggestions) if suggestions else Fix()
                finding = Finding(**{**finding.__dict__, "fix": fix})
            result.append(finding)
        return result
