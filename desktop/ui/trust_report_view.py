"""The lead's view of earned trust: per writer, how posts fare in review, over time, and who to promote.

Numbers come from `desktop.trust.report.build_report` (computed from the signed events, so every
profile with the team's events sees the same report). Two small charts are drawn with QPainter
(QtCharts is not part of PySide6-Essentials): grouped bars per writer, and the selected writer's
months. Every bar carries its number as text and each chart has an accessible description with
the same figures, so nothing is told by colour alone. A promotion the policy suggests can be
granted from here; the roster change is signed by the lead's key like any other.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPalette
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.publish_lanes import PublishLanes, describe_error, lanes_for
from desktop.ui.tables import row_table

# (attribute of trust.report.Counts, label, colour): colours chosen to differ in lightness too.
SERIES = (
    ("approved_unchanged", "approved unchanged", "#2da44e"),
    ("changes_requested", "changes requested", "#cf222e"),
    ("published", "published", "#0969da"),
)
COLUMNS = [
    "Writer",
    "Level",
    "Submitted",
    "Published",
    "Approved unchanged",
    "Changes requested",
    "Warnings acknowledged",
    "Median hours to approval",
]


@dataclass
class ReportData:
    writers: list = field(default_factory=list)  # trust.report.WriterReport
    levels: dict[int, str] = field(default_factory=dict)
    is_lead: bool = False


def load_report(store) -> ReportData:
    from desktop.trust.identity import load_identity
    from desktop.trust.ledger import Ledger
    from desktop.trust.report import build_report

    ledger = Ledger(store.db)
    policy = ledger.policy
    data = ReportData(writers=build_report(ledger, policy), levels=dict(policy.levels))
    identity = load_identity(store.db)
    roster = ledger.roster_state().roster
    if identity and roster:
        level = roster.level_of(identity.public_key)
        data.is_lead = level is not None and level >= policy.lead_level
    return data


@dataclass(frozen=True)
class Bar:
    group: str  # writer name, or month
    series: str  # label from SERIES
    value: float
    rect: QRectF


class _BarChart(QWidget):
    """Grouped bars; subclasses say what the groups are. `bars()` is exactly what is painted."""

    BAR = 12.0
    GAP = 3.0
    GROUP_GAP = 12.0
    LABEL_W = 110.0
    LEGEND_H = 22.0

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.groups: list[tuple[str, dict[str, float]]] = []
        self.setMinimumHeight(80)
        self.setFocusPolicy(Qt.FocusPolicy.TabFocus)  # screen readers reach its description

    def set_groups(self, groups: list[tuple[str, dict[str, float]]], description: str) -> None:
        self.groups = groups
        self.setAccessibleDescription(description)
        self.setToolTip(description)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:
        per_group = len(SERIES) * (self.BAR + self.GAP) + self.GROUP_GAP
        return QSize(360, int(self.LEGEND_H + max(1, len(self.groups)) * per_group + 8))

    def _scale(self) -> float:
        return max([1.0] + [v for _, values in self.groups for v in values.values()])

    def bars(self) -> list[Bar]:
        """Horizontal bars: one group per row block, one bar per series, length proportional to value."""
        out = []
        top = self.LEGEND_H + 4
        width = max(10.0, self.width() - self.LABEL_W - 48)
        scale = self._scale()
        for group, values in self.groups:
            y = top
            for _key, label, _colour in SERIES:
                value = float(values.get(label, 0))
                out.append(Bar(group, label, value, QRectF(self.LABEL_W, y, width * value / scale, self.BAR)))
                y += self.BAR + self.GAP
            top = y + self.GROUP_GAP
        return out

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        text = self.palette().color(QPalette.ColorRole.WindowText)
        colours = {label: QColor(c) for _, label, c in SERIES}
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.9))
        p.setFont(small)
        # legend
        x = 4.0
        for _, label, _ in SERIES:
            p.fillRect(QRectF(x, 6, 10, 10), colours[label])
            p.setPen(text)
            p.drawText(QRectF(x + 14, 2, 150, 18), Qt.AlignmentFlag.AlignVCenter, label)
            x += 24 + p.fontMetrics().horizontalAdvance(label)
        if not self.groups:
            p.setPen(text)
            p.drawText(self.rect(), Qt.AlignmentFlag.AlignCenter, "No data yet")
            return
        seen = set()
        for bar in self.bars():
            if bar.group not in seen:
                seen.add(bar.group)
                p.setPen(text)
                label_rect = QRectF(2, bar.rect.top(), self.LABEL_W - 8, self.BAR * 2)
                elided = p.fontMetrics().elidedText(
                    bar.group, Qt.TextElideMode.ElideRight, int(label_rect.width())
                )
                p.drawText(label_rect, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop, elided)
            if bar.rect.width() > 0:
                p.fillRect(bar.rect, colours[bar.series])
            p.setPen(text)
            value_rect = QRectF(bar.rect.right() + 4, bar.rect.top() - 2, 44, self.BAR + 4)
            p.drawText(value_rect, Qt.AlignmentFlag.AlignVCenter, f"{bar.value:g}")
        p.end()


class WritersChart(_BarChart):
    """Per writer: posts approved unchanged, changes requested, published."""

    def set_writers(self, writers: list) -> None:
        groups = [(w.name, {label: getattr(w.totals, key) for key, label, _ in SERIES}) for w in writers]
        parts = [
            f"{name}: " + ", ".join(f"{int(v)} {label}" for label, v in values.items())
            for name, values in groups
        ]
        self.set_groups(groups, "Per writer. " + "; ".join(parts) if parts else "No writers yet.")


class MonthsChart(_BarChart):
    """One writer over time: the same three figures per month."""

    def set_writer(self, writer) -> None:
        if writer is None:
            self.set_groups([], "No writer selected.")
            return
        groups = [
            (month, {label: getattr(counts, key) for key, label, _ in SERIES})
            for month, counts in sorted(writer.by_month.items())
        ]
        parts = [
            f"{month}: " + ", ".join(f"{int(v)} {label}" for label, v in values.items())
            for month, values in groups
        ]
        summary = f"{writer.name} by month. " + ("; ".join(parts) if parts else "No activity yet.")
        self.set_groups(groups, summary)


class TrustReportView(QWidget):
    """The trust report with charts and promotion suggestions. `reload()` reads it on the db lane."""

    loaded = Signal(object)  # ReportData painted
    promoted = Signal(str, int)  # writer name, new level
    failed = Signal(str)

    def __init__(self, lanes: PublishLanes | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("trustReportView")
        self.setAccessibleName("Trust report")
        self.lanes = lanes_for(self, lanes)
        self.data = ReportData()
        self.confirm_box: QMessageBox | None = None

        self.summary = QLabel("Loading the trust report…")
        self.summary.setObjectName("trustSummary")
        self.summary.setAccessibleName("Trust report summary")
        self.summary.setWordWrap(True)

        self.table = row_table(
            list(COLUMNS), object_name="trustTable", accessible_name="Writers and their review record"
        )
        # Sized once per load (resizeColumnsToContents): per-cell auto-sizing costs a frame per dozen cells.
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.writers_chart = WritersChart()
        self.writers_chart.setObjectName("writersChart")
        self.writers_chart.setAccessibleName("Chart: review record per writer")
        self.months_chart = MonthsChart()
        self.months_chart.setObjectName("monthsChart")
        self.months_chart.setAccessibleName("Chart: the selected writer by month")
        charts = QSplitter(Qt.Orientation.Horizontal)
        charts.addWidget(self.writers_chart)
        charts.addWidget(self.months_chart)

        self.suggestions = QLabel("")
        self.suggestions.setObjectName("promotionSuggestions")
        self.suggestions.setAccessibleName("Promotion suggestions")
        self.suggestions.setWordWrap(True)
        self.suggestions.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.promote_button = QPushButton("&Promote selected writer…")
        self.promote_button.setAccessibleName("Promote the selected writer as suggested")
        self.promote_button.clicked.connect(self.ask_promote)
        self.reload_button = QPushButton("Re&load")
        self.reload_button.setAccessibleName("Reload the trust report")
        self.reload_button.clicked.connect(self.reload)
        buttons = QHBoxLayout()
        buttons.addWidget(self.promote_button)
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)

        self.message = QLabel("")
        self.message.setAccessibleName("Trust report message")
        self.message.setWordWrap(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(charts, 1)
        layout.addWidget(self.suggestions)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self._update_buttons()
        self.reload()

    # -- data ------------------------------------------------------------------------------------

    def reload(self) -> None:
        self.lanes.db.submit(load_report, done=self._loaded, failed=self._failed, key="trust-report")

    def _loaded(self, data: ReportData) -> None:
        selected = self.selected_writer()
        selected_key = selected.key if selected else None
        self.data = data
        self.table.setUpdatesEnabled(False)
        self.table.blockSignals(True)
        self.table.setRowCount(len(data.writers))
        for row, w in enumerate(data.writers):
            t = w.totals
            level = (
                "not in roster" if w.level is None else f"{w.level} {data.levels.get(w.level, '')}".strip()
            )
            hours = w.median_hours_to_approval
            cells = [
                w.name,
                level,
                t.submitted,
                t.published,
                t.approved_unchanged,
                t.changes_requested,
                t.warnings_acknowledged,
                "—" if hours is None else f"{hours:g}",
            ]
            for col, value in enumerate(cells):
                item = QTableWidgetItem(str(value))
                item.setData(Qt.ItemDataRole.UserRole, w.key)
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, col, item)
        self.table.resizeColumnsToContents()
        self.table.blockSignals(False)
        self.table.setUpdatesEnabled(True)
        self.writers_chart.set_writers(data.writers)
        if not data.writers:
            self.summary.setText("No writers yet: start or join a team first.")
        else:
            total = sum(w.totals.published for w in data.writers)
            self.summary.setText(f"{len(data.writers)} writer(s), {total} post(s) published in all.")
        suggestions = [w.suggestion for w in data.writers if w.suggestion]
        if suggestions:
            self.suggestions.setText(
                "<b>Promotion suggestions</b><br>" + "<br>".join(f"• {html.escape(s)}" for s in suggestions)
            )
        else:
            self.suggestions.setText("No promotion is suggested by the policy yet.")
        row = next((i for i, w in enumerate(data.writers) if w.key == selected_key), 0)
        if data.writers:
            self.table.selectRow(row)
        else:
            self.months_chart.set_writer(None)
        self._update_buttons()
        self.loaded.emit(data)

    def selected_writer(self):
        rows = {i.row() for i in self.table.selectedItems()}
        if len(rows) != 1:
            return None
        item = self.table.item(rows.pop(), 0)
        key = item.data(Qt.ItemDataRole.UserRole) if item else None
        return next((w for w in self.data.writers if w.key == key), None)

    def select_writer(self, name: str) -> None:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).text() == name:
                self.table.selectRow(row)
                return

    def _selection_changed(self) -> None:
        self.months_chart.set_writer(self.selected_writer())
        self._update_buttons()

    def _update_buttons(self) -> None:
        w = self.selected_writer()
        can = bool(self.data.is_lead and w is not None and w.suggestion and w.level is not None)
        self.promote_button.setEnabled(can)
        if not self.data.is_lead:
            self.promote_button.setToolTip("Only a lead can change trust levels.")
        elif w is not None and not w.suggestion:
            self.promote_button.setToolTip("The policy does not suggest promoting this writer yet.")
        else:
            self.promote_button.setToolTip("")

    # -- promotion -------------------------------------------------------------------------------

    def ask_promote(self) -> None:
        w = self.selected_writer()
        if w is None or not w.suggestion or w.level is None:
            return
        new_level = w.level + 1
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Promote writer",
            f"{w.suggestion}.\n\nSign a roster change that sets {w.name} to level {new_level} "
            f"({self.data.levels.get(new_level, '')})?",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("promoteBox")
        box.setAccessibleName("Confirm the promotion")
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        key, name, note = w.key, w.name, w.suggestion
        box.accepted.connect(lambda: self.promote(key, name, new_level, note))
        box.finished.connect(box.deleteLater)
        self.confirm_box = box
        box.open()

    def promote(self, key: str, name: str, level: int, note: str = "") -> None:
        def run(store):
            from desktop.trust.events import fingerprint
            from desktop.trust.team import set_level

            set_level(store.db, fingerprint(key), level, note=note)

        def done(_r) -> None:
            self.message.setText(
                f"{name} is now level {level}. Share the roster change through the team folder."
            )
            self.promoted.emit(name, level)
            self.reload()

        self.lanes.db.submit(run, done=done, failed=self._failed)

    def _failed(self, exc: BaseException) -> None:
        message = describe_error(exc)
        self.message.setText(message)
        self.message.setStyleSheet("color: #b3261e;")
        self.failed.emit(message)
