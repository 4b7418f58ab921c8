"""Live review: keeps the findings and counters in step with the text, without blocking typing.

Every edit bumps a generation number. Checks run on the review worker (guidelines, platform
limits; "latest wins" when the writer types faster than the checks) and on a separate grammar
worker (LanguageTool can take hundreds of milliseconds, so it runs after a longer pause). A result
is painted only when its generation is still current: results for outdated text are dropped.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal

from desktop.review.findings import Finding, Fix
from desktop.ui.operations import Worker
from desktop.ui.review_pipeline import (
    EngineInfo,
    RemotePipeline,
    ReviewRequest,
    ReviewResult,
    sort_findings,
    team_vocabulary,
)

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ThreadPreview:
    """The thread parts of one version of the text, per target platform (for the preview)."""

    generation: int
    draft_id: str
    text: str
    parts: dict[str, tuple[str, ...]]


SPELLING_RULE = "Spelling.Hunspell"  # the grammar service's offline spelling findings


def needs_suggestions(finding: Finding) -> bool:
    """A finding whose replacements are computed only when asked for (spelling, Vale `suggest`)."""
    return finding.fix.action == "suggest" and not finding.fix.suggestions


def with_suggestions(finding: Finding, suggestions: tuple[str, ...]) -> Finding:
    """The finding with its looked-up replacements as one-click fixes."""
    if not suggestions:
        return finding
    return replace(
        finding, fix=Fix(action="replace", suggestions=tuple(suggestions), params=finding.fix.params)
    )


class LiveReview(QObject):
    engine_changed = Signal(object)  # EngineInfo
    result_ready = Signal(object)  # ReviewResult for the current text
    preview_ready = Signal(object)  # ThreadPreview for the current text
    grammar_status = Signal(str)  # one line for the status bar
    failed = Signal(str)

    def __init__(
        self,
        worker: Worker,
        text_source: Callable[[], str],
        *,
        grammar_worker: Worker | None = None,
        debounce_ms: int = 0,
        grammar_debounce_ms: int = 600,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._worker = worker
        self._grammar_worker = grammar_worker
        self._text_source = text_source
        self._generation = 0
        self._draft_id = ""
        self._platforms: tuple[str, ...] = ()
        self._ignored: frozenset[tuple[str, str]] = frozenset()
        self._media: tuple[tuple[str, str], ...] = ()
        self._rules_result: ReviewResult | None = None
        self._grammar: tuple[int, tuple[Finding, ...]] = (-1, ())
        self._vocabulary: tuple[str, ...] = ()
        self.info = EngineInfo(ready=False)
        self.latest: ReviewResult | None = None
        # 0 ms still debounces: every edit delivered in one pass of the event loop (a paste, input
        # method text, an autorepeat burst) makes one check, and while a check runs the worker's
        # "latest wins" queue keeps only the newest text. A longer delay would only be added to
        # every keystroke's time to updated warnings.
        self._timer = QTimer(self, singleShot=True, interval=debounce_ms)
        self._timer.timeout.connect(self.check_now)
        self._grammar_timer = QTimer(self, singleShot=True, interval=grammar_debounce_ms)
        self._grammar_timer.timeout.connect(self._check_grammar)
        self._grammar_running = False
        self._grammar_ready = False
        self._shut = False
        # (rule, word) -> replacements; looked up when a menu or the fix buttons need them.
        self._suggestions: dict[tuple[str, str], tuple[str, ...]] = {}
        self._suggesting: dict[tuple[str, str], list[Callable[[Finding], None]]] = {}

    # -- lifecycle -------------------------------------------------------------------------------

    def start(self) -> None:
        """Load the engine (and start grammar) in the background; the editor works meanwhile."""
        self._worker.submit(
            lambda pipeline: pipeline.load(), done=self._engine_loaded, failed=self._load_failed
        )
        if self._grammar_worker is not None:
            self._grammar_worker.submit(
                lambda host: host.call("start"), done=self._grammar_state, failed=self._grammar_failed
            )

    def _engine_loaded(self, info: EngineInfo) -> None:
        self.info = info
        self._vocabulary = team_vocabulary(info.settings)
        self.engine_changed.emit(info)
        self.recheck()

    def _load_failed(self, exc: BaseException) -> None:
        self._engine_loaded(EngineInfo(ready=False, error=f"could not start the checker ({exc})"))

    def _grammar_state(self, state: tuple[str, bool]) -> None:
        label, ready = state
        self._grammar_running = True
        self.grammar_status.emit(f"Grammar: {label}")
        self._grammar_ready = ready
        if ready:
            self._grammar_timer.start()
        else:
            # Starting LanguageTool can take a while: ask again shortly (cheap, on the grammar worker).
            QTimer.singleShot(1500, self._poll_grammar)

    def _poll_grammar(self) -> None:
        if self._grammar_worker is not None and not self._shut:
            self._grammar_worker.submit(
                lambda host: host.call("status"), done=self._grammar_state, failed=self._grammar_failed
            )

    def _grammar_failed(self, exc: BaseException) -> None:
        self.grammar_status.emit(f"Grammar: not available ({exc})")

    def shutdown(self) -> None:
        self._shut = True

    # -- inputs ----------------------------------------------------------------------------------

    @property
    def generation(self) -> int:
        return self._generation

    @property
    def grammar_generation(self) -> int:
        """The generation grammar last checked (-1 before its first answer)."""
        return self._grammar[0]

    def set_context(
        self,
        draft_id: str,
        platforms: list[str] | tuple[str, ...],
        ignored: set[tuple[str, str]] | frozenset,
        *,
        media: tuple[tuple[str, str], ...] | None = None,
    ) -> None:
        """A different draft, or its platforms / ignored matches / images changed: check again at once.

        `media` is the draft's images as (path, alt text); None keeps the ones already given for the
        same draft (callers that change only platforms or ignored matches need not know them).
        """
        if media is not None:
            self._media = tuple(media)
        elif draft_id != self._draft_id:
            self._media = ()
        self._draft_id = draft_id
        self._platforms = tuple(platforms)
        self._ignored = frozenset(ignored)
        self.recheck()

    def text_changed(self) -> None:
        self._generation += 1
        self._timer.start()
        if self._grammar_running:
            self._grammar_timer.start()

    def recheck(self) -> None:
        self._generation += 1
        self.check_now()
        self._grammar_timer.start()

    def check_now(self) -> None:
        self._timer.stop()
        request = ReviewRequest(
            generation=self._generation,
            draft_id=self._draft_id,
            text=self._text_source(),
            platforms=self._platforms,
            ignored=self._ignored,
            media=self._media,
        )
        self._worker.submit(
            lambda pipeline: pipeline.check(request),
            done=self._rules_done,
            failed=self._check_failed,
            key="check",
        )

    def request_thread_parts(self) -> None:
        """Ask for the thread parts of the current text (the preview calls this when typing pauses).

        Keyed like checks, so only the newest request waits; a check queued meanwhile runs first
        only if it was queued first, which is why the preview asks after a pause, not per keystroke.
        """
        generation, draft_id, text, platforms = (
            self._generation,
            self._draft_id,
            self._text_source(),
            self._platforms,
        )
        if not platforms:
            return

        def run(pipeline: Any) -> ThreadPreview:
            return ThreadPreview(generation, draft_id, text, pipeline.thread_parts(text, platforms))

        self._worker.submit(run, done=self._parts_done, failed=self._check_failed, key="preview")

    def _parts_done(self, preview: ThreadPreview) -> None:
        if preview.generation == self._generation and preview.draft_id == self._draft_id:
            self.preview_ready.emit(preview)

    # -- results ---------------------------------------------------------------------------------

    def _rules_done(self, result: ReviewResult) -> None:
        if result.generation != self._generation or result.draft_id != self._draft_id:
            return  # stale: the text changed since this check started
        self._rules_result = result
        self._publish()

    def _check_failed(self, exc: BaseException) -> None:
        log.error("check failed", exc_info=exc)
        self.failed.emit(str(exc))

    def _check_grammar(self) -> None:
        if not self._grammar_running or self._grammar_worker is None:
            return
        generation, text, vocab, ignored = (
            self._generation,
            self._text_source(),
            self._vocabulary,
            self._ignored,
        )

        def run(host: Any) -> tuple[int, str, bool, tuple[Finding, ...]]:
            label, ready, found = host.call("check", text, vocab, ignored)
            return generation, label, ready, found

        self._grammar_worker.submit(run, done=self._grammar_done, failed=self._grammar_failed, key="grammar")

    def _grammar_done(self, payload: tuple[int, str, bool, tuple[Finding, ...]]) -> None:
        generation, label, ready, findings = payload
        self.grammar_status.emit(f"Grammar: {label}")
        if not ready and not self._grammar_ready:
            QTimer.singleShot(1500, self._poll_grammar)
        if generation != self._generation:
            return
        self._grammar = (generation, findings)
        self._publish()

    def _publish(self) -> None:
        result = self._rules_result
        if result is None or result.generation != self._generation:
            return
        grammar_gen, grammar = self._grammar
        if grammar_gen != self._generation:
            # Until grammar catches up, keep only its findings whose matched text is still in place.
            text = result.text
            grammar = tuple(f for f in grammar if f.end <= len(text) and text[f.start : f.end] == f.match)
        if grammar:
            result = replace(result, findings=tuple(sort_findings([*result.findings, *grammar])))
        self.latest = result
        self.result_ready.emit(result)

    def current(self) -> ReviewResult | None:
        """The latest result if it still describes the current text."""
        latest = self.latest
        if latest is None or latest.generation != self._generation:
            return None
        return latest

    # -- spelling suggestions, on demand -----------------------------------------------------------

    def lookup_suggestions(self, finding: Finding, done: Callable[[Finding], None]) -> Finding | None:
        """The finding with its replacements if they are known (or not needed); else None, and
        `done(finding with replacements)` is called once they have been computed off the UI thread.

        Suggestions for a misspelled word take tens to hundreds of milliseconds each, so checks
        never compute them; the writer's context menu and fix buttons ask here for one word.
        """
        if not needs_suggestions(finding):
            return finding
        key = (finding.rule, finding.match)
        if key in self._suggestions:
            return with_suggestions(finding, self._suggestions[key])
        waiting = self._suggesting.get(key)
        if waiting is not None:
            waiting.append(done)
            return None
        self._suggesting[key] = [done]

        def found(suggestions: tuple[str, ...]) -> None:
            self._suggestions[key] = tuple(suggestions)
            for callback in self._suggesting.pop(key, []):
                callback(with_suggestions(finding, self._suggestions[key]))

        def failed(exc: BaseException) -> None:
            log.warning("no suggestions for %r: %s", finding.match, exc)
            found(())

        word = finding.match
        if finding.rule == SPELLING_RULE and self._grammar_worker is not None:
            self._grammar_worker.submit(lambda host: host.call("suggest", word), done=found, failed=failed)
        else:
            self._worker.submit(lambda pipeline: pipeline.suggestions(finding), done=found, failed=failed)
        return None

    def known_suggestions(self, finding: Finding) -> Finding:
        """The finding with replacements already looked up (for tooltips: never starts a lookup)."""
        key = (finding.rule, finding.match)
        if needs_suggestions(finding) and key in self._suggestions:
            return with_suggestions(finding, self._suggestions[key])
        return finding

    # -- changing what is checked ----------------------------------------------------------------

    def apply_settings(self, settings: Any, done: Callable[[EngineInfo], None] | None = None) -> None:
        def loaded(info: EngineInfo) -> None:
            self._engine_loaded(info)
            if done:
                done(info)

        self._worker.submit(
            lambda pipeline: pipeline.save_settings(settings), done=loaded, failed=self._check_failed
        )

    def add_vocabulary(self, word: str, done: Callable[[EngineInfo], None] | None = None) -> None:
        def loaded(info: EngineInfo) -> None:
            self._engine_loaded(info)
            if done:
                done(info)

        self._worker.submit(
            lambda pipeline: pipeline.add_vocabulary(word), done=loaded, failed=self._check_failed
        )

    def reload_engine(self) -> None:
        self._worker.submit(lambda pipeline: pipeline.load(), done=self._engine_loaded)


def new_pipeline() -> RemotePipeline:
    """The review context: the pipeline in its own process (see `child_process` for why)."""
    return RemotePipeline()


def new_grammar_host() -> Any:
    import desktop.ui.grammar_host  # noqa: F401  (started by name in the child; imported so bundlers see it)
    from desktop.ui.child_process import RemoteObject

    return RemoteObject("desktop.ui.grammar_host:GrammarHost")
