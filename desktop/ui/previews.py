"""A preview of how the post will look on each target platform, thread parts included.

Rendered as simple HTML cards in a read-only browser as wide as the panel: links,
hashtags and mentions styled as the platforms style them, and a long post split into the thread
parts the platform counters would post (with their "1/3" numbering).
"""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QTimer
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
        self._pending: tuple[PlatformStatus, ...] | None = None
        # Rendering HTML costs milliseconds: at most a few times a second while typing.
        self._timer = QTimer(self, singleShot=True, interval=250)
        self._timer.timeout.connect(self._apply)
        self._render()

    def set_statuses(self, statuses: tuple[PlatformStatus, ...]) -> None:
        """Take new counts; re-rendering waits until the preview is visible and typing pauses."""
        self._pending = statuses
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self._pending is not None:
            self._apply()

    def _apply(self) -> None:
        statuses, self._pending = self._pending, None
        if statuses is None:
            return
        if statuses == getattr(self, "_applied", None):
            return
        self._applied = statuses
        self._statuses = {s.platform: s for s in statuses}
        names = list(self._statuses)
        current = self.platform.currentText()
        existing = [self.platform.itemText(i) for i in range(self.platform.count())]
        if existing != names:
            self.platform.blockSignals(True)
            self.platform.clear()
            self.platform.addItems(names)
            if current in names:
                self.platform.setCurrentText(current)
            self.platform.blockSignals(False)
        self._render()

    def _render(self) -> None:
        status = self._statuses.get(self.platform.currentText())
        if status is None:
            self.summary.setText("Choose a target platform to see a preview.")
            self.view.setHtml("")
            return
        n = len(status.parts)
        self.summary.setText(f"{status.platform}: {'one post' if n <= 1 else f'a thread of {n} posts'}")
        pal = self.palette()
        self.view.setHtml(
            preview_html(
                status,
                link_color=pal.link().color().name(),
                border=pal.mid().color().name(),
                muted=pal.placeholderText().color().name(),
            )
        )
