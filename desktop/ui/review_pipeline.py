"""Everything the live review computes for one version of a draft, in one call, off the UI thread.

No Qt here: the pipeline runs on the review worker (see `operations`) and returns plain records,
so the UI only paints. The guideline engine, platform counters and grammar service are written
by other parts of the app; each is imported lazily and, while missing or broken, the pipeline
reports that plainly instead of failing, so the editor always works.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from desktop.review.findings import Finding, Severity

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReviewRequest:
    generation: int  # increases with every edit; results of an older generation are dropped
    draft_id: str
    text: str
    platforms: tuple[str, ...] = ()
    ignored: frozenset[tuple[str, str]] = frozenset()  # (rule, match) set aside for this draft
    content_warning: str = ""
    # The draft's images as (path, alt text), loaded with the draft off the UI thread: an image
    # without alt text is a platform finding.
    media: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class PlatformStatus:
    """The live counter and preview parts of one target platform."""

    platform: str
    length: int
    limit: int
    remaining: int
    valid: bool
    parts: tuple[str, ...] = ()  # filled in only for the preview (see ReviewPipeline.thread_parts)


@dataclass(frozen=True)
class ProblemInfo:
    """A rule that could not be loaded, as the settings dialog lists it."""

    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.rule + ': ' if self.rule else ''}{self.message}"


@dataclass(frozen=True)
class EngineInfo:
    """What is loaded: shown in the status bar and the guidelines settings."""

    ready: bool
    rules: int = 0
    packs: tuple[str, ...] = ()
    problems: tuple[ProblemInfo, ...] = ()
    error: str = ""
    load_ms: float = 0.0
    settings: Any = None  # a copy of the GuidelineSettings in force, for the settings dialog
    rule_ids: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        if self.error:
            return f"Guidelines: {self.error}"
        if not self.ready:
            return "Guidelines: loading…"
        broken = f", {len(self.problems)} broken" if self.problems else ""
        return f"Guidelines: {self.rules} rules in {len(self.packs)} packs{broken}"


@dataclass(frozen=True)
class ReviewResult:
    generation: int
    draft_id: str
    text: str
    findings: tuple[Finding, ...]
    platforms: tuple[PlatformStatus, ...] = ()
    elapsed_ms: float = 0.0
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. "platform counters unavailable"


def severity_counts(findings: tuple[Finding, ...] | list[Finding]) -> dict[Severity, int]:
    counts = dict.fromkeys(Severity, 0)
    for f in findings:
        counts[f.severity] += 1
    return counts


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Most severe first, then by position: the order of the panel and of self-review."""
    return sorted(findings, key=lambda f: (-int(f.severity), f.start, f.end, f.rule))


class ReviewPipeline:
    """Holds the loaded engine and the incremental checker; used only on the review thread.

    `check` is what runs on every keystroke, so it does only what the warnings and counters need:
    the incremental engine check (only the edited paragraph is run again), the platform findings
    and counts of the draft's own target platforms. Splitting a long post into thread parts costs
    more than all of that together (~15 ms for 3,000 characters on X and Bluesky) and only the
    preview shows them, so `thread_parts` is a separate call the preview makes once typing pauses.
    """

    def __init__(self) -> None:
        self.settings: Any = None
        self.engine: Any = None
        self.checker: Any = None
        self.info = EngineInfo(ready=False)
        self._parts_cache: dict[tuple[str, str, str], tuple[str, ...]] = {}

    # -- loading ---------------------------------------------------------------------------------

    def load(self, settings: Any = None) -> EngineInfo:
        """Load settings (or use the given ones) and build the engine; never raises."""
        t0 = time.perf_counter()
        try:
            from desktop.review import settings as settings_mod
            from desktop.review.incremental import IncrementalChecker
        except ImportError as exc:
            log.warning("guideline engine unavailable: %s", exc)
            self.info = EngineInfo(
                ready=False, error="engine not installed (only platform limits are checked)"
            )
            return self.info
        try:
            self.settings = settings if settings is not None else settings_mod.load_settings()
            self.engine = settings_mod.build_engine(self.settings)
            self.checker = IncrementalChecker(self.engine)
        except Exception as exc:
            log.exception("loading guidelines failed")
            self.engine = self.checker = None
            self.info = EngineInfo(ready=False, error=f"could not load ({exc})", settings=self.settings)
            return self.info
        self.info = self._describe((time.perf_counter() - t0) * 1000)
        return self.info

    def _describe(self, load_ms: float) -> EngineInfo:
        rules = list(getattr(self.engine, "rules", ()) or ())
        rule_ids = tuple(sorted({_rule_id(r) for r in rules}))
        packs = tuple(sorted({rid.split(".", 1)[0] for rid in rule_ids if rid}))
        problems = tuple(
            ProblemInfo(
                str(getattr(p, "file", "") or ""),
                int(getattr(p, "line", 0) or 0),
                str(getattr(p, "rule", "") or ""),
                str(getattr(p, "message", p)),
            )
            for p in (getattr(self.engine, "problems", ()) or ())
        )
        return EngineInfo(
            ready=True,
            rules=len(rules),
            packs=packs,
            problems=problems,
            load_ms=load_ms,
            settings=self.settings,
            rule_ids=rule_ids,
        )

    def save_settings(self, settings: Any) -> EngineInfo:
        """Persist new guideline settings, then rebuild the engine with them."""
        from desktop.review import settings as settings_mod

        settings_mod.save_settings(settings)
        return self.load(settings)

    def add_vocabulary(self, word: str) -> EngineInfo:
        """Add a word to the team vocabulary (kept in the guideline settings) and reload."""
        from desktop.review import settings as settings_mod

        settings = self.settings if self.settings is not None else settings_mod.load_settings()
        settings.add_vocabulary(word)
        return self.save_settings(settings)

    def vocabulary(self) -> tuple[str, ...]:
        return team_vocabulary(self.settings)

    # -- checking --------------------------------------------------------------------------------

    def suggestions(self, finding: Finding) -> tuple[str, ...]:
        """Replacements for one finding whose rule computes them on demand (a pack's spelling rule)."""
        if self.engine is None or not hasattr(self.engine, "suggestions"):
            return tuple(finding.fix.suggestions)
        return tuple(self.engine.suggestions(finding))

    def thread_parts(
        self, text: str, platforms: tuple[str, ...], content_warning: str = ""
    ) -> dict[str, tuple[str, ...]]:
        """How each platform would split `text` into a thread (for the preview; never raises)."""
        out: dict[str, tuple[str, ...]] = {}
        try:
            from desktop.review import platforms as platforms_mod
        except ImportError:
            return {p: (text,) for p in platforms}
        cache = self._parts_cache
        for platform in platforms:
            key = (text, platform, content_warning)
            parts = cache.get(key)
            if parts is None:
                try:
                    parts = tuple(platforms_mod.split_thread(text, platform, content_warning=content_warning))
                except Exception:
                    log.debug("splitting for %s failed", platform, exc_info=True)
                    parts = (text,)
                if len(cache) >= 64:
                    cache.clear()  # the texts of one editing session; old ones are never asked again
                cache[key] = parts
            out[platform] = parts or (text,)
        return out

    def check(self, request: ReviewRequest) -> ReviewResult:
        t0 = time.perf_counter()
        findings: list[Finding] = []
        notes: list[str] = []
        if self.checker is not None:
            try:
                findings.extend(self.checker.check(request.text, syntax="text"))
            except Exception as exc:  # a broken rule must not take the editor down
                log.exception("guideline check failed")
                notes.append(f"guideline check failed: {exc}")
        statuses: list[PlatformStatus] = []
        if request.platforms or request.media:  # alt text matters whichever platform the post goes to
            try:
                from desktop.review import platforms as platforms_mod
            except ImportError:
                notes.append("platform counters are not installed")
            else:
                findings.extend(_platform_findings(platforms_mod, request, notes))
                statuses = _platform_statuses(platforms_mod, request, notes)
        if request.ignored:
            findings = [f for f in findings if (f.rule, f.match) not in request.ignored]
        return ReviewResult(
            generation=request.generation,
            draft_id=request.draft_id,
            text=request.text,
            findings=tuple(sort_findings(findings)),
            platforms=tuple(statuses),
            elapsed_ms=(time.perf_counter() - t0) * 1000,
            notes=tuple(notes),
        )


class RemotePipeline:
    """A ReviewPipeline in a child process (see `child_process`), with the same methods.

    If the child dies (a crashing rule, the OOM killer), the next check starts a new one and
    loads the same settings again before checking.
    """

    def __init__(self) -> None:
        from desktop.ui.child_process import RemoteObject

        self.remote = RemoteObject("desktop.ui.review_pipeline:ReviewPipeline")
        self._settings: Any = None

    def _remember(self, info: EngineInfo) -> EngineInfo:
        self._settings = info.settings
        return info

    def load(self, settings: Any = None) -> EngineInfo:
        return self._remember(self.remote.call("load", settings))

    def save_settings(self, settings: Any) -> EngineInfo:
        return self._remember(self.remote.call("save_settings", settings))

    def thread_parts(
        self, text: str, platforms: tuple[str, ...], content_warning: str = ""
    ) -> dict[str, tuple[str, ...]]:
        from desktop.ui.child_process import ChildDied

        try:
            return self.remote.call("thread_parts", text, platforms, content_warning)
        except ChildDied:
            return {p: (text,) for p in platforms}  # the next check restarts the process

    def add_vocabulary(self, word: str) -> EngineInfo:
        return self._remember(self.remote.call("add_vocabulary", word))

    def suggestions(self, finding: Finding) -> tuple[str, ...]:
        return self.remote.call("suggestions", finding)

    def check(self, request: ReviewRequest) -> ReviewResult:
        from desktop.ui.child_process import ChildDied

        try:
            return self.remote.call("check", request)
        except ChildDied:
            log.warning("review process died; restarting it")
            self.load(self._settings)
            return self.remote.call("check", request)

    def close(self) -> None:
        self.remote.close()


def team_vocabulary(settings: Any) -> tuple[str, ...]:
    """The accepted words of the guideline settings (Vale's accept list), also given to spelling."""
    return tuple(getattr(settings, "accept", ()) or ())


def _rule_id(rule: Any) -> str:
    for attr in ("id", "name", "rule"):
        value = getattr(rule, attr, None)
        if isinstance(value, str) and value:
            return value
    return str(rule)


def _platform_findings(mod: Any, request: ReviewRequest, notes: list[str]) -> list[Finding]:
    try:
        return list(
            mod.platform_findings(
                request.text,
                list(request.platforms),
                media=[{"path": path, "alt": alt} for path, alt in request.media],
                content_warning=request.content_warning,
            )
        )
    except Exception as exc:
        log.exception("platform findings failed")
        notes.append(f"platform checks failed: {exc}")
        return []


def _platform_statuses(mod: Any, request: ReviewRequest, notes: list[str]) -> list[PlatformStatus]:
    out = []
    for platform in request.platforms:
        try:
            c = mod.count(request.text, platform, content_warning=request.content_warning)
            out.append(
                PlatformStatus(
                    platform=platform,
                    length=int(c.length),
                    limit=int(c.limit),
                    remaining=int(c.remaining),
                    valid=bool(c.valid),
                )
            )
        except Exception as exc:
            log.exception("counting for %s failed", platform)
            notes.append(f"{platform}: cannot count ({exc})")
    return out


def available_platforms() -> tuple[str, ...]:
    """Platform names the counters know, for the target-platform menu."""
    try:
        from desktop.review.platforms import PLATFORMS
    except ImportError:
        return ()
    if isinstance(PLATFORMS, dict):
        return tuple(PLATFORMS)
    return tuple(getattr(p, "name", p) for p in PLATFORMS)
