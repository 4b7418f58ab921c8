"""Live per-platform counters: how much room is left on each target platform.

The numbers come from the platform counters (X weighted length, Bluesky graphemes, ...) computed
on the review thread; this widget only paints them. Nearing the limit turns the count amber and
going over turns it red, and the words change too ("12 over the limit"), so colour is never the
only signal.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QMenu,
    QProgressBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.review.findings import Severity
from desktop.ui import severity_style
from desktop.ui.review_pipeline import PlatformStatus

NEAR_LIMIT = 0.9  # share of the limit at which the counter turns amber


def counter_text(status: PlatformStatus) -> str:
    if status.limit <= 0:
        return f"{status.length} characters"
    if not status.valid or status.remaining < 0:
        over = max(-status.remaining, 0)
        return f"{over} over the limit ({status.length}/{status.limit})" if over else "not postable as is"
    return f"{status.remaining} left ({status.length}/{status.limit})"


def counter_level(status: PlatformStatus) -> Severity | None:
    """None while comfortably within the limit; WARNING when near it; ERROR when over."""
    if not status.valid or status.remaining < 0:
        return Severity.ERROR
    if status.limit > 0 and status.length >= status.limit * NEAR_LIMIT:
        return Severity.WARNING
    return None


class PlatformCounters(QWidget):
    platforms_changed = Signal(list)  # the writer changed the draft's target platforms

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("platformCounters")
        self.setAccessibleName("Platform counters")
        self._available: tuple[str, ...] = ()
        self._selected: list[str] = []
        self.choose = QToolButton()
        self.choose.setText("Target platforms…")
        self.choose.setAccessibleName("Choose target platforms")
        self.choose.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.menu = QMenu(self.choose)
        self.choose.setMenu(self.menu)
        self.grid = QGridLayout()
        self.hint = QLabel("No target platform chosen: pick one to see its limit and preview.")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.choose)
        layout.addWidget(self.hint)
        layout.addLayout(self.grid)
        self.labels: dict[str, QLabel] = {}
        self.bars: dict[str, QProgressBar] = {}

    def set_available(self, platforms: tuple[str, ...]) -> None:
        self._available = tuple(platforms)
        self._rebuild_menu()

    def set_selected(self, platforms: list[str]) -> None:
        self._selected = list(platforms)
        self._rebuild_menu()
        self._rebuild_rows()

    def selected(self) -> list[str]:
        return list(self._selected)

    def _rebuild_menu(self) -> None:
        self.menu.clear()
        names = list(self._available) + [p for p in self._selected if p not in self._available]
        if not names:
            act = self.menu.addAction("Platform counters are not available")
            act.setEnabled(False)
        for name in names:
            act = self.menu.addAction(name)
            act.setCheckable(True)
            act.setChecked(name in self._selected)
            act.toggled.connect(lambda on, n=name: self._toggle(n, on))

    def _toggle(self, name: str, on: bool) -> None:
        chosen = [p for p in self._selected if p != name] + ([name] if on else [])
        order = {p: i for i, p in enumerate(self._available)}
        chosen.sort(key=lambda p: order.get(p, len(order)))
        self._selected = chosen
        self._rebuild_rows()
        self.platforms_changed.emit(chosen)

    def _rebuild_rows(self) -> None:
        while self.grid.count():
            w = self.grid.takeAt(0).widget()
            if w is not None:
                w.deleteLater()
        self.labels.clear()
        self.bars.clear()
        self.hint.setVisible(not self._selected)
        for row, name in enumerate(self._selected):
            title = QLabel(f"<b>{name}</b>")
            bar = QProgressBar()
            bar.setTextVisible(False)
            bar.setMaximumHeight(8)
            bar.setAccessibleName(f"{name} length")
            label = QLabel("…")
            label.setAccessibleName(f"{name} counter")
            self.grid.addWidget(title, row * 2, 0)
            self.grid.addWidget(label, row * 2, 1)
            self.grid.addWidget(bar, row * 2 + 1, 0, 1, 2)
            self.labels[name] = label
            self.bars[name] = bar

    def set_statuses(self, statuses: tuple[PlatformStatus, ...]) -> None:
        for status in statuses:
            label = self.labels.get(status.platform)
            bar = self.bars.get(status.platform)
            if label is None or bar is None:
                continue
            text = counter_text(status)
            level = counter_level(status)
            if level is None:
                label.setText(text)
                label.setStyleSheet("")
                bar.setStyleSheet("")
            else:
                mark = "✖" if level == Severity.ERROR else "⚠"
                label.setText(f"{mark} {text}")
                colour = severity_style.color(level).name()
                label.setStyleSheet(f"color: {colour}; font-weight: bold;")
                bar.setStyleSheet(f"QProgressBar::chunk {{ background: {colour}; }}")
            label.setAccessibleDescription(f"{status.platform}: {text}")
            label.setToolTip(f"{status.platform}: {text}")
            bar.setRange(0, max(status.limit, 1))
            bar.setValue(min(status.length, max(status.limit, 1)))
