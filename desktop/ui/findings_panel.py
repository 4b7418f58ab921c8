"""The findings panel: every finding of the draft, grouped by severity, then by position.

A row shows the matched text and message; the details below show the rule, the guideline link and
one button per fix. Selecting a row (click or Enter) selects the match in the editor. Filters by
severity and by pack only change what the panel lists.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.review.findings import Finding, Severity
from desktop.ui import severity_style
from desktop.ui.editor import SuggestionSource, fix_choices, vocabulary_candidate
from desktop.ui.live_review import needs_suggestions

# A row holds the index of its finding in `FindingsPanel._rows`, not the finding itself: when only
# offsets moved (typing elsewhere), the rows are updated by swapping that Python list, with no call
# into Qt per row (setData with an object per row cost ~2.5 ms per check on a long draft).
ROLE_INDEX = Qt.ItemDataRole.UserRole + 1
ALL_PACKS = "All packs"
LEVEL_FILTERS = (
    ("All levels", Severity.SUGGESTION),
    ("Warnings and errors", Severity.WARNING),
    ("Errors only", Severity.ERROR),
)


def finding_key(f: Finding) -> tuple:
    return (f.rule, f.start, f.end, f.match)


class FindingsPanel(QWidget):
    finding_activated = Signal(object)  # the writer chose a finding: select it in the editor
    fix_requested = Signal(object, str)
    ignore_requested = Signal(object)
    vocabulary_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("findingsPanel")
        self.setAccessibleName("Findings")
        self._all: tuple[Finding, ...] = ()
        self._visible: list[Finding] = []
        self._rows: list[Finding] = []  # the findings shown, in row order (see ROLE_INDEX)
        self.suggestion_source: SuggestionSource | None = None  # set by the window (spelling fixes)

        self.level_filter = QComboBox()
        self.level_filter.setAccessibleName("Show findings of level")
        for label, _sev in LEVEL_FILTERS:
            self.level_filter.addItem(label)
        self.level_filter.currentIndexChanged.connect(self._rebuild)
        self.pack_filter = QComboBox()
        self.pack_filter.setAccessibleName("Show findings of pack")
        self.pack_filter.addItem(ALL_PACKS)
        self.pack_filter.currentIndexChanged.connect(self._rebuild)
        filters = QHBoxLayout()
        filters.addWidget(self.level_filter, 1)
        filters.addWidget(self.pack_filter, 1)

        self.tree = QTreeWidget()
        self.tree.setObjectName("findingsTree")
        self.tree.setAccessibleName("Findings list")
        self.tree.setAccessibleDescription("Grouped by severity. Enter selects the match in the draft.")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["Finding", "Line"])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.setUniformRowHeights(True)
        self.tree.setRootIsDecorated(True)
        self.tree.currentItemChanged.connect(self._show_details)
        self.tree.itemClicked.connect(self._activate)
        self.tree.itemActivated.connect(self._activate)

        self.empty = QLabel("No findings. Nice.")
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.empty.setAccessibleName("No findings")

        self.details = QLabel()
        self.details.setObjectName("findingDetails")
        self.details.setAccessibleName("Finding details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setOpenExternalLinks(True)
        self.details.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextBrowserInteraction | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.details.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        self.fix_row = QHBoxLayout()
        self.fix_row.setContentsMargins(0, 0, 0, 0)
        self.action_row = QHBoxLayout()
        self.action_row.setContentsMargins(0, 0, 0, 0)
        self.fix_box = QWidget()
        box = QVBoxLayout(self.fix_box)
        box.setContentsMargins(0, 0, 0, 0)
        box.addLayout(self.fix_row)
        box.addLayout(self.action_row)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.tree, 3)
        layout.addWidget(self.empty, 3)
        layout.addWidget(self.details)
        layout.addWidget(self.fix_box)
        self._show_details(None, None)
        self._rebuild()

    # -- content ---------------------------------------------------------------------------------

    def set_findings(self, findings: tuple[Finding, ...] | list[Finding]) -> None:
        findings = tuple(findings)
        if findings == self._all:
            return
        self._all = findings
        self._update_pack_filter()
        self._rebuild()

    def visible_findings(self) -> list[Finding]:
        return list(self._visible)

    def current_finding(self) -> Finding | None:
        return self.finding_of(self.tree.currentItem())

    def finding_of(self, item: QTreeWidgetItem | None) -> Finding | None:
        """The finding a row shows (None for a group heading)."""
        index = item.data(0, ROLE_INDEX) if item is not None else None
        return self._rows[index] if isinstance(index, int) and 0 <= index < len(self._rows) else None

    def _update_pack_filter(self) -> None:
        packs = sorted({f.pack for f in self._all})
        current = self.pack_filter.currentText()
        existing = [self.pack_filter.itemText(i) for i in range(1, self.pack_filter.count())]
        if existing == packs:
            return
        self.pack_filter.blockSignals(True)
        self.pack_filter.clear()
        self.pack_filter.addItem(ALL_PACKS)
        self.pack_filter.addItems(packs)
        index = self.pack_filter.findText(current)
        self.pack_filter.setCurrentIndex(max(0, index))
        self.pack_filter.blockSignals(False)

    def _filtered(self) -> list[Finding]:
        min_level = LEVEL_FILTERS[max(0, self.level_filter.currentIndex())][1]
        pack = self.pack_filter.currentText()
        return [
            f for f in self._all if f.severity >= min_level and (pack in ("", ALL_PACKS) or f.pack == pack)
        ]

    def _shape(self, findings: list[Finding]) -> list[tuple]:
        """What the rows show; when only offsets moved (typing elsewhere), rows are updated in place."""
        return [(f.severity, f.rule, f.match, f.message, f.line) for f in findings]

    def _update_in_place(self, visible: list[Finding]) -> bool:
        ordered = [
            f
            for sev in (Severity.ERROR, Severity.WARNING, Severity.SUGGESTION)
            for f in sorted((f for f in visible if f.severity == sev), key=lambda f: (f.start, f.end))
        ]
        if self._shape(ordered) != getattr(self, "_shown_shape", None):
            return False
        self._rows = ordered
        self._visible = visible
        return True

    def _rebuild(self) -> None:
        visible = self._filtered()
        if self._update_in_place(visible):
            return
        current = self.current_finding()
        keep = finding_key(current) if current is not None else None
        self._visible = visible
        shown: list[Finding] = []
        self.tree.setUpdatesEnabled(False)
        self.tree.blockSignals(True)
        self.tree.clear()
        self._rows = []
        restore: QTreeWidgetItem | None = None
        for sev in (Severity.ERROR, Severity.WARNING, Severity.SUGGESTION):
            group = sorted((f for f in self._visible if f.severity == sev), key=lambda f: (f.start, f.end))
            if not group:
                continue
            head = QTreeWidgetItem([f"{severity_style.TITLE[sev]}s ({len(group)})", ""])
            head.setIcon(0, severity_style.icon(sev))
            head.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
            font = head.font(0)
            font.setBold(True)
            head.setFont(0, font)
            self.tree.addTopLevelItem(head)
            for f in group:
                label = f"“{_short(f.match)}” — {f.message}" if f.match else f.message
                item = QTreeWidgetItem([label, str(f.line)])
                item.setIcon(0, severity_style.icon(sev))
                item.setData(0, ROLE_INDEX, len(self._rows))
                self._rows.append(f)
                item.setToolTip(0, f"{severity_style.TITLE[sev]} · {f.rule}\n{f.message}")
                item.setData(
                    0,
                    Qt.ItemDataRole.AccessibleTextRole,
                    f"{severity_style.TITLE[sev]}: {f.message} (“{f.match}”, line {f.line}, rule {f.rule})",
                )
                head.addChild(item)
                shown.append(f)
                if keep is not None and finding_key(f) == keep:
                    restore = item
            head.setExpanded(True)
        self.tree.blockSignals(False)
        self.tree.setUpdatesEnabled(True)
        self._shown_shape = self._shape(shown)
        if restore is not None:
            self.tree.setCurrentItem(restore)
        else:
            self._show_details(None, None)
        has_any = bool(self._visible)
        self.tree.setVisible(has_any)
        self.empty.setVisible(not has_any)
        if not has_any:
            hidden = len(self._all)
            self.empty.setText(
                f"No findings shown ({hidden} hidden by the filters)." if hidden else "No findings."
            )

    # -- selection and details -------------------------------------------------------------------

    def select(self, finding: Finding) -> None:
        """Make `finding` the current row (without re-emitting activation)."""
        key = finding_key(finding)
        for i in range(self.tree.topLevelItemCount()):
            head = self.tree.topLevelItem(i)
            for j in range(head.childCount()):
                item = head.child(j)
                shown = self.finding_of(item)
                if shown is not None and finding_key(shown) == key:
                    self.tree.setCurrentItem(item)
                    self.tree.scrollToItem(item)
                    return

    def neighbour(self, offset: int, *, forward: bool) -> Finding | None:
        """The next (or previous) shown finding after (before) `offset` in the text, wrapping around."""
        ordered = sorted(self._visible, key=lambda f: (f.start, f.end, -int(f.severity)))
        if not ordered:
            return None
        if forward:
            return next((f for f in ordered if f.start > offset), ordered[0])
        return next((f for f in reversed(ordered) if f.start < offset), ordered[-1])

    def _activate(self, item: QTreeWidgetItem, _column: int = 0) -> None:
        finding = self.finding_of(item)
        if finding is not None:
            self.finding_activated.emit(finding)

    def _show_details(self, item: QTreeWidgetItem | None, _previous: QTreeWidgetItem | None) -> None:
        for row in (self.fix_row, self.action_row):
            while row.count():
                w = row.takeAt(0).widget()
                if w is not None:
                    w.deleteLater()
        finding = self.finding_of(item)
        if finding is None:
            self.details.setText(
                "<span>Select a finding to see its rule and fixes. F8 / Shift+F8 step through them.</span>"
            )
            self.fix_box.setVisible(False)
            return
        self.details.setText(details_html(finding))
        if self.suggestion_source is not None and needs_suggestions(finding):
            key = finding_key(finding)

            def arrived(_with: Finding) -> None:
                current = self.current_finding()
                if current is not None and finding_key(current) == key:
                    self._show_details(self.tree.currentItem(), None)

            known = self.suggestion_source(finding, arrived)
            if known is None:
                self.fix_row.addWidget(QLabel("Looking up spelling suggestions…"))
            else:
                finding = known
        choices = fix_choices(finding)[:4]
        if choices:
            self.fix_row.addWidget(QLabel("Fix:"))
        for label, replacement in choices:
            button = QPushButton(f"“{_short(replacement, 18)}”" if replacement else "Remove")
            button.setAccessibleName(label)
            button.setToolTip(label)
            button.clicked.connect(lambda _=False, f=finding, r=replacement: self.fix_requested.emit(f, r))
            self.fix_row.addWidget(button)
        self.fix_row.addStretch(1)
        ignore = QPushButton("Ignore…")
        ignore.setAccessibleName("Ignore this match")
        ignore.setToolTip("Set this match aside for this draft, with an optional reason")
        ignore.clicked.connect(lambda _=False, f=finding: self.ignore_requested.emit(f))
        self.action_row.addWidget(ignore)
        word = vocabulary_candidate(finding)
        if word:
            vocab = QPushButton("Add to vocabulary")
            vocab.setAccessibleName(f"Add {word} to team vocabulary")
            vocab.setToolTip(f"Accept “{word}” in every draft from now on")
            vocab.clicked.connect(lambda _=False, w=word: self.vocabulary_requested.emit(w))
            self.action_row.addWidget(vocab)
        self.action_row.addStretch(1)
        self.fix_box.setVisible(True)


def details_html(f: Finding) -> str:
    sev = severity_style.TITLE[f.severity]
    color = severity_style.color(f.severity).name()
    parts = [
        f"<b style='color:{color}'>{sev}</b> · <code>{html.escape(f.rule)}</code>",
        f"<br>{html.escape(f.message)}",
    ]
    if f.match:
        parts.append(f"<br>Matched: “{html.escape(f.match)}” (line {f.line}, column {f.column})")
    if f.link:
        parts.append(f"<br><a href='{html.escape(f.link, quote=True)}'>Read the guideline</a>")
    if f.tags:
        parts.append(f"<br>Tags: {html.escape(', '.join(f.tags))}")
    return "".join(parts)


def _short(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
