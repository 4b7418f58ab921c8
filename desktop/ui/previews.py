"""A preview of how the post will look on each target platform, thread parts included.

Rendered as simple HTML cards in a read-only browser as wide as the panel: links,
hashtags and mentions styled as the platforms style them, and a long post split into the thread
parts the platform counters would post (with their "1/3" numbering).
"""

from __future__ import annotations

import html
import re
from dataclasses import replace

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QLabel, QTextBrowser, QVBoxLayout, QWidget

from desktop.ui.review_pipeline import PlatformStatus

_TOKEN = re.compile(r"(https?://[^\s<>]+[^\s<>.,;:!?)\]'\"])|((?<![\w@#])[#@][\w.-]*\w)")


def render_text(text: str, link_color: str) -> str:
    """Escape text; turn links into anchors and colour hashtags and mentions; keep line breaks."""
    out: list[str] = []
    pos = 0
    for m in _TOKEN.finditer(text):
        out.append(html.escape(text[pos : m.start()]))
        token = html.escape(m.group(0))
        if m.group(1):
            shown = re.sub(r"^https?://(www\.)?", "", m.group(1))
            if len(shown) > 30:
                shown = shown[:29] + "…"
            out.append(f"<a style='color:{link_color}' href='{token}'>{html.escape(shown)}</a>")
        else:
            out.append(f"<span style='color:{link_color}'>{token}</span>")
        pos = m.end()
    out.append(html.escape(text[pos:]))
    return "".join(out).replace("\n", "<br>")


def preview_html(status: PlatformStatus, *, link_color: str, border: str, muted: str) -> str:
    parts = status.parts or ("",)
    cards = []
    for i, part in enumerate(parts, 1):
        # The thread numbering ("1/3") is part of the text the counters split off; not added here.
        label = (
            f"<span style='color:{muted}; font-size:small'>Post {i} of {len(parts)}</span><br>"
            if len(parts) > 1
            else ""
        )
        cards.append(
            f"<table width='100%' cellpadding='8' style='border:1px solid {border}; margin-bottom:8px'>"
            f"<tr><td>{label}{render_text(part, link_color) or '&nbsp;'}</td></tr></table>"
        )
    return "".join(cards)


class PostPreview(QWidget):
    """Counts arrive with every check; the thread parts (costly to split) are asked for with
    `parts_wanted` once typing pauses and the preview is visible, and painted by `set_parts`."""

    parts_wanted = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("postPreview")
        self.setAccessibleName("Post preview")
        self.platform = QComboBox()
        self.platform.setAccessibleName("Preview platform")
        self.platform.currentIndexChanged.connect(self._render)
        self.summary = QLabel()
        self.summary.setAccessibleName("Preview summary")
        self.view = QTextBrowser()
        self.view.setObjectName("previewView")
        self.view.setAccessibleName("Preview of the post")
        self.view.setOpenExternalLinks(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.platform)
        layout.addWidget(self.summary)
        layout.addWidget(self.view, 1)
        self._statuses: dict[str, PlatformStatus] = {}
        self._parts: dict[str, tuple[str, ...]] = {}
        self._stale = False  # counts changed since the parts shown were split
        self._rendered: tuple | None = None
        # Splitting and rendering HTML cost milliseconds: only after typing pauses, only if shown.
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self._want_parts)
        self._render()

    def set_statuses(self, statuses: tuple[PlatformStatus, ...]) -> None:
        """New counts for the current text: the parts are asked for again once typing pauses."""
        self._statuses = {s.platform: s for s in statuses}
        names = list(self._statuses)
        existing = [self.platform.itemText(i) for i in range(self.platform.count())]
        if existing != names:
            current = self.platform.currentText()
            self.platform.blockSignals(True)
            self.platform.clear()
            self.platform.addItems(names)
            if current in names:
                self.platform.setCurrentText(current)
            self.platform.blockSignals(False)
            self._render()
        self._stale = True
        if self.isVisible():
            self._timer.start()

    def set_parts(self, parts: dict[str, tuple[str, ...]]) -> None:
        """The thread parts of the current text, per platform."""
        self._parts = dict(parts)
        self._stale = False
        self._render()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._stale:
            self._want_parts()

    def _want_parts(self) -> None:
        if self._stale and self.isVisible() and self._statuses:
            self.parts_wanted.emit()

    def _render(self) -> None:
        name = self.platform.currentText()
        status = self._statuses.get(name)
        if status is None:
            self._rendered = None
            self.summary.setText("Choose a target platform to see a preview.")
            self.view.setHtml("")
            return
        parts = self._parts.get(name)
        if parts is None:
            self.summary.setText(f"{name}: preparing the preview…")
            return
        key = (name, parts, self.palette().cacheKey())
        if key == self._rendered:
            return
        self._rendered = key
        n = len(parts)
        self.summary.setText(f"{name}: {'one post' if n <= 1 else f'a thread of {n} posts'}")
        pal = self.palette()
        self.view.setHtml(
            preview_html(
                replace(status, parts=parts),
                link_color=pal.link().color().name(),
                border=pal.mid().color().name(),
                muted=pal.placeholderText().color().name(),
            )
        )
