"""The draft editor: plain text with findings underlined, explained on hover, fixable from the menu.

Underlines are drawn by `underlines.FindingUnderlines` as part of the text layout; their cursors
follow edits, so a marked word stays marked while the writer types until fresh results replace them. The editor does not decide anything: fixes,
ignores and vocabulary additions are emitted as signals for the window to carry out.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import shiboken6
from PySide6.QtCore import QEvent, QPoint, Signal
from PySide6.QtGui import QAction, QContextMenuEvent, QFont, QTextCursor, QTextOption
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QToolTip, QWidget

from desktop.review.findings import Finding, Severity
from desktop.ui import severity_style
from desktop.ui.live_review import needs_suggestions
from desktop.ui.text_offsets import OffsetMap
from desktop.ui.underlines import FindingUnderlines

MAX_MENU_SUGGESTIONS = 6

# (finding, callback) -> the finding with its replacements, or None while they are looked up.
SuggestionSource = Callable[[Finding, Callable[[Finding], None]], Finding | None]


def fix_choices(finding: Finding) -> list[tuple[str, str]]:
    """(menu label, replacement text) for each one-click fix a finding offers."""
    action = finding.fix.action
    match = finding.match
    if action in ("replace", "suggest", "edit", "convert") and finding.fix.suggestions:
        return [
            (f"Replace with “{s}”" if s else f"Remove “{match}”", s)
            for s in finding.fix.suggestions[:MAX_MENU_SUGGESTIONS]
        ]
    if action == "remove":
        return [(f"Remove “{match}”", "")]
    return []


def vocabulary_candidate(finding: Finding) -> str:
    """The word 'add to team vocabulary' would add: the matched text when it is one term."""
    word = finding.match.strip()
    if finding.pack == "Platform" or not word or len(word) > 60 or "\n" in word:
        return ""  # platform limits are not about words
    if len(word.split()) > 3 or not any(ch.isalpha() for ch in word):
        return ""
    return word


class DraftEditor(QPlainTextEdit):
    fix_requested = Signal(object, str)  # finding, replacement
    ignore_requested = Signal(object)  # finding
    vocabulary_requested = Signal(str)  # word

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftEditor")
        self.setAccessibleName("Draft text")
        self.setAccessibleDescription(
            "The post you are writing. Guideline findings are underlined: wavy for errors, dashed for "
            "warnings, dotted for suggestions. Press F8 for the next finding; the context menu offers fixes."
        )
        self.setPlaceholderText("Write your post here. Guideline findings appear as you type.")
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTabChangesFocus(True)  # Tab moves on, so every control stays keyboard reachable
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.5) * 1.15)
        self.setFont(font)
        self.document().setDocumentMargin(12)
        self._findings: list[Finding] = []
        self._map = OffsetMap("")
        self._active: Finding | None = None
        self.underlines = FindingUnderlines(self.document())
        # Set by the window: looks up replacements computed on demand (spelling); see
        # LiveReview.lookup_suggestions. `known_suggestions` only reads what is already known.
        self.suggestion_source: SuggestionSource | None = None
        self.known_suggestions: Callable[[Finding], Finding] | None = None

    # -- findings --------------------------------------------------------------------------------

    @property
    def findings(self) -> list[Finding]:
        return list(self._findings)

    def set_findings(self, findings: list[Finding] | tuple[Finding, ...], text: str) -> None:
        """Underline `findings`, which were computed for `text` (the current text, or dropped)."""
        if text != self.toPlainText():
            return  # stale: the writer typed since; fresher results are on their way
        self._findings = list(findings)
        self._map = OffsetMap(text)
        self._repaint_findings()

    def clear_findings(self) -> None:
        self._findings = []
        self._active = None
        self._repaint_findings()

    def refresh_style(self) -> None:
        """Re-colour after a palette change."""
        blocked = self.blockSignals(True)
        try:
            self.underlines.refresh_style()
        finally:
            self.blockSignals(blocked)

    def _repaint_findings(self) -> None:
        length = self.document().characterCount() - 1
        spans = []
        for f in self._findings:
            start, end = self._map.to_qt(f.start), self._map.to_qt(f.end)
            if start < end <= length:
                spans.append((start, end, f.severity))
        # Re-formatting a block makes the document report a change, and QPlainTextEdit passes that
        # on as textChanged; the text did not change, so nobody (autosave, live review) hears it.
        blocked = self.blockSignals(True)
        try:
            self.underlines.set_spans(spans)
        finally:
            self.blockSignals(blocked)

    def underline_spans(self) -> dict[tuple[int, int], object]:
        """{(start, end): underline style} as drawn now (Qt positions), for tests and tools."""
        return self.underlines.painted()

    def findings_at(self, position: int) -> list[Finding]:
        """Findings whose span contains the Qt `position` (most severe first)."""
        offset = OffsetMap(self.toPlainText()).from_qt(position)
        hits = [f for f in self._findings if f.start <= offset < f.end or (f.start == f.end == offset)]
        return sorted(hits, key=lambda f: (-int(f.severity), f.start))

    def select_finding(self, finding: Finding) -> bool:
        """Select the finding's match and scroll to it; False when the text moved on."""
        text = self.toPlainText()
        span = locate(text, finding)
        if span is None:
            return False
        omap = OffsetMap(text)
        cursor = self.textCursor()
        cursor.setPosition(omap.to_qt(span[0]))
        cursor.setPosition(omap.to_qt(span[1]), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self.centerCursor()
        self._active = finding
        return True

    def apply_replacement(self, finding: Finding, replacement: str) -> bool:
        """Replace the finding's match (one undo step). False when the text no longer matches."""
        text = self.toPlainText()
        span = locate(text, finding)
        if span is None:
            return False
        omap = OffsetMap(text)
        start, end = omap.to_qt(span[0]), omap.to_qt(span[1])
        if not replacement:
            start, end = _widen_removal(text, span[0], span[1], omap)
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        cursor.setPosition(start)
        cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(replacement)
        cursor.endEditBlock()
        self.setTextCursor(cursor)
        return True

    # -- hover and menu --------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip:
            pos = event.pos()  # type: ignore[attr-defined]
            viewport_pos = self.viewport().mapFromParent(pos)
            hits = self.findings_at(self.cursorForPosition(viewport_pos).position())
            if hits and self.known_suggestions is not None:
                hits = [self.known_suggestions(f) for f in hits]
            if hits:
                QToolTip.showText(event.globalPos(), tooltip_html(hits), self)  # type: ignore[attr-defined]
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        menu = self.build_context_menu(event.pos())
        menu.exec(event.globalPos())
        menu.deleteLater()

    def build_context_menu(self, pos: QPoint) -> QMenu:
        """The standard edit menu, with the fixes of the findings under `pos` on top."""
        menu = self.createStandardContextMenu(pos)
        hits = self.findings_at(self.cursorForPosition(pos).position())
        if not hits and self.textCursor().hasSelection():
            hits = self.findings_at(self.textCursor().selectionStart())
        if not hits:
            return menu
        first = menu.actions()[0] if menu.actions() else None
        for finding in hits:
            title = menu.addSection(f"{severity_style.TITLE[finding.severity]}: {finding.rule}")
            menu.insertAction(first, title)
            shown: Finding | None = finding
            if self.suggestion_source is not None and needs_suggestions(finding):
                placeholder = menu.addAction("Looking up spelling suggestions…")
                placeholder.setEnabled(False)
                menu.insertAction(first, placeholder)
                shown = self.suggestion_source(
                    finding, lambda f, m=menu, p=placeholder: self._suggestions_arrived(m, p, f)
                )
                if shown is not None:
                    menu.removeAction(placeholder)
            if shown is not None:
                self._add_fixes(menu, shown, first)
            ignore = menu.addAction(f"Ignore this match (“{_short(finding.match)}”)…")
            ignore.triggered.connect(lambda _=False, f=finding: self.ignore_requested.emit(f))
            menu.insertAction(first, ignore)
            word = vocabulary_candidate(finding)
            if word:
                vocab = menu.addAction(f"Add “{_short(word)}” to team vocabulary")
                vocab.triggered.connect(lambda _=False, w=word: self.vocabulary_requested.emit(w))
                menu.insertAction(first, vocab)
        if first is not None:
            menu.insertSeparator(first)
        return menu

    def _add_fixes(self, menu: QMenu, finding: Finding, before: QAction | None) -> None:
        for label, replacement in fix_choices(finding):
            act = menu.addAction(label)
            act.triggered.connect(lambda _=False, f=finding, r=replacement: self.fix_requested.emit(f, r))
            menu.insertAction(before, act)

    def _suggestions_arrived(self, menu: QMenu, placeholder: QAction, finding: Finding) -> None:
        """Suggestions computed while the menu is open: they take the placeholder's place."""
        if not (shiboken6.isValid(menu) and shiboken6.isValid(placeholder)):
            return  # the menu was closed meanwhile; the next one finds them cached
        if fix_choices(finding):
            self._add_fixes(menu, finding, placeholder)
            menu.removeAction(placeholder)
        else:
            placeholder.setText("No spelling suggestions")


def locate(text: str, finding: Finding) -> tuple[int, int] | None:
    """Where the finding's match is now: its own span, or (after other edits moved it) the nearest
    occurrence of the same text. None when the matched text is gone."""
    start, end, match = finding.start, finding.end, finding.match
    if end <= len(text) and text[start:end] == match:
        return start, end
    if not match:
        return None
    best: int | None = None
    i = text.find(match)
    while i != -1:
        if best is None or abs(i - start) < abs(best - start):
            best = i
        i = text.find(match, i + 1)
    return (best, best + len(match)) if best is not None else None


def tooltip_html(findings: list[Finding]) -> str:
    rows = []
    for f in findings:
        sev = severity_style.TITLE[f.severity]
        color = severity_style.color(f.severity).name()
        fixes = ", ".join(f"“{html.escape(s)}”" for s in f.fix.suggestions[:3])
        hint = f"<br><i>Suggested: {fixes}</i>" if fixes else ""
        rows.append(
            f"<p><b style='color:{color}'>{sev}</b> <code>{html.escape(f.rule)}</code><br>"
            f"{html.escape(f.message)}{hint}</p>"
        )
    return "".join(rows)


def _short(text: str, limit: int = 30) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _widen_removal(text: str, start: int, end: int, omap: OffsetMap) -> tuple[int, int]:
    """Removing a word also removes one adjacent space, so no double space is left behind."""
    if end < len(text) and text[end] == " " and (start == 0 or text[start - 1] in " \n"):
        end += 1
    elif start > 0 and text[start - 1] == " ":
        start -= 1
    return omap.to_qt(start), omap.to_qt(end)


__all__ = ["DraftEditor", "Severity", "fix_choices", "locate", "tooltip_html", "vocabulary_candidate"]
