"""The draft editor: plain text with findings underlined, explained on hover, fixable from the menu.

Underlines are ExtraSelections, whose cursors follow edits, so a marked word stays marked while
the writer types until fresh results replace them. The editor does not decide anything: fixes,
ignores and vocabulary additions are emitted as signals for the window to carry out.
"""

from __future__ import annotations

import html

from PySide6.QtCore import QEvent, QPoint, Signal
from PySide6.QtGui import QContextMenuEvent, QFont, QTextCursor, QTextOption
from PySide6.QtWidgets import QMenu, QPlainTextEdit, QTextEdit, QToolTip, QWidget

from desktop.review.findings import Finding, Severity
from desktop.ui import severity_style
from desktop.ui.text_offsets import OffsetMap

MAX_MENU_SUGGESTIONS = 6


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
        self.setExtraSelections([])

    def refresh_style(self) -> None:
        """Re-colour after a palette change."""
        self._repaint_findings()

    def _repaint_findings(self) -> None:
        selections = []
        doc = self.document()
        length = doc.characterCount() - 1
        # Least severe first, so an error drawn later wins where spans overlap.
        for f in sorted(self._findings, key=lambda f: int(f.severity)):
            start, end = self._map.to_qt(f.start), self._map.to_qt(f.end)
            if start >= end or end > length:
                continue
            sel = QTextEdit.ExtraSelection()
            cursor = QTextCursor(doc)
            cursor.setPosition(start)
            cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
            sel.cursor = cursor
            sel.format = severity_style.underline_format(f.severity)
            selections.append(sel)
        self.setExtraSelections(selections)

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
            for label, replacement in fix_choices(finding):
                act = menu.addAction(label)
                act.triggered.connect(lambda _=False, f=finding, r=replacement: self.fix_requested.emit(f, r))
                menu.insertAction(first, act)
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
