"""The draft list: search box, newest first, status; pages of rows fetched as the list scrolls.

The model holds only what is visible so far (`DraftSummary` rows, no full text) and asks the store
worker for the next page when the view scrolls near the end, so 100,000 drafts open as fast as ten.
Search is debounced and runs on the store thread; an answer to an older search is dropped.
"""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    QRect,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QFont, QPainter
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from desktop.store.models import DraftSummary
from desktop.ui.operations import Worker

PAGE_SIZE = 200
ROLE_ID = Qt.ItemDataRole.UserRole + 1
ROLE_SUMMARY = Qt.ItemDataRole.UserRole + 2

_Index = QModelIndex | QPersistentModelIndex


def display_title(s: DraftSummary) -> str:
    if s.title.strip():
        return s.title.strip()
    first = next((line.strip() for line in s.snippet.splitlines() if line.strip()), "")
    return first[:80] or "Untitled draft"


def friendly_time(iso: str, now: datetime | None = None) -> str:
    """'14:05' today, 'Mon 14:05' this week, '2024-03-02' before."""
    try:
        when = datetime.strptime(iso, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=UTC).astimezone()
    except ValueError:
        return iso
    now = now or datetime.now().astimezone()
    if when.date() == now.date():
        return when.strftime("%H:%M")
    if 0 <= (now.date() - when.date()).days < 7:
        return when.strftime("%a %H:%M")
    return when.strftime("%Y-%m-%d")


class DraftListModel(QAbstractListModel):
    loaded = Signal()  # a fresh first page arrived (after reload)
    failed = Signal(str)

    def __init__(self, worker: Worker, parent=None) -> None:
        super().__init__(parent)
        self._worker = worker
        self._rows: list[DraftSummary] = []
        self._search = ""
        self._trashed = False
        self._exhausted = True
        self._loading = False
        self._generation = 0

    # -- queries ---------------------------------------------------------------------------------

    @property
    def search(self) -> str:
        return self._search

    @property
    def trashed(self) -> bool:
        return self._trashed

    def reload(self, *, search: str | None = None, trashed: bool | None = None) -> None:
        if search is not None:
            self._search = search
        if trashed is not None:
            self._trashed = trashed
        self._generation += 1
        generation = self._generation
        query, in_trash = self._search, self._trashed
        self._loading = True

        def done(rows: list[DraftSummary]) -> None:
            if generation != self._generation:
                return  # an answer to an older query
            self.beginResetModel()
            self._rows = list(rows)
            self._exhausted = len(rows) < PAGE_SIZE
            self._loading = False
            self.endResetModel()
            self.loaded.emit()

        self._worker.submit(
            lambda store: store.list(search=query, trashed=in_trash, limit=PAGE_SIZE, offset=0),
            done=done,
            failed=self._failed(generation),
        )

    def _failed(self, generation: int):
        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self._loading = False
                self.failed.emit(str(exc))

        return failed

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and not self._exhausted and not self._loading

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        self._loading = True
        generation = self._generation
        query, in_trash, offset = self._search, self._trashed, len(self._rows)

        def done(rows: list[DraftSummary]) -> None:
            if generation != self._generation:
                return
            self._loading = False
            self._exhausted = len(rows) < PAGE_SIZE
            known = {r.id for r in self._rows}
            fresh = [r for r in rows if r.id not in known]
            if fresh:
                self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(fresh) - 1)
                self._rows.extend(fresh)
                self.endInsertRows()

        self._worker.submit(
            lambda store: store.list(search=query, trashed=in_trash, limit=PAGE_SIZE, offset=offset),
            done=done,
            failed=self._failed(generation),
        )

    # -- local updates (after an operation, without a reload) ------------------------------------

    def row_of(self, draft_id: str) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == draft_id), -1)

    def summary(self, row: int) -> DraftSummary | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def upsert_top(self, summary: DraftSummary) -> None:
        """A draft was created or edited: it is now the newest, so it goes to the top."""
        row = self.row_of(summary.id)
        if row == 0:
            self._rows[0] = summary
            self.dataChanged.emit(self.index(0), self.index(0))
            return
        if row > 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        if self._search or self._trashed:
            return  # not necessarily part of this filtered view; the next reload decides
        self.beginInsertRows(QModelIndex(), 0, 0)
        self._rows.insert(0, summary)
        self.endInsertRows()

    def remove(self, draft_id: str) -> None:
        row = self.row_of(draft_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    # -- Qt model --------------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        s = self._rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return display_title(s)
        if role == ROLE_ID:
            return s.id
        if role == ROLE_SUMMARY:
            return s
        if role in (Qt.ItemDataRole.ToolTipRole, Qt.ItemDataRole.AccessibleTextRole):
            return f"{display_title(s)}, {s.status}, edited {friendly_time(s.updated)}"
        return None


class DraftDelegate(QStyledItemDelegate):
    """Two lines per draft: the title, then status, time and the start of the text."""

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        fm = option.fontMetrics
        return QSize(200, fm.height() * 2 + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        summary: DraftSummary | None = index.data(ROLE_SUMMARY)
        if summary is None:
            return super().paint(painter, option, index)
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        opt.text = ""
        style = opt.widget.style() if opt.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        pal = opt.palette
        text_color = pal.highlightedText().color() if selected else pal.text().color()
        muted = pal.highlightedText().color() if selected else pal.placeholderText().color()
        r = opt.rect.adjusted(8, 5, -8, -5)
        fm = opt.fontMetrics
        painter.save()
        bold = QFont(opt.font)
        bold.setBold(True)
        painter.setFont(bold)
        painter.setPen(text_color)
        title = painter.fontMetrics().elidedText(
            display_title(summary), Qt.TextElideMode.ElideRight, r.width()
        )
        painter.drawText(QRect(r.left(), r.top(), r.width(), fm.height()), Qt.AlignmentFlag.AlignLeft, title)
        painter.setFont(opt.font)
        painter.setPen(muted)
        snippet = " ".join(summary.snippet.split())
        second = f"{summary.status} · {friendly_time(summary.updated)}" + (f" — {snippet}" if snippet else "")
        second = fm.elidedText(second, Qt.TextElideMode.ElideRight, r.width())
        painter.drawText(
            QRect(r.left(), r.top() + fm.height() + 2, r.width(), fm.height()),
            Qt.AlignmentFlag.AlignLeft,
            second,
        )
        painter.restore()


class DraftList(QWidget):
    draft_selected = Signal(str)

    def __init__(self, worker: Worker, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftList")
        self.setAccessibleName("Drafts")
        self.search = QLineEdit()
        self.search.setObjectName("draftSearch")
        self.search.setPlaceholderText("Search drafts")
        self.search.setAccessibleName("Search drafts")
        self.search.setClearButtonEnabled(True)
        self.trash_toggle = QToolButton()
        self.trash_toggle.setText("Trash")
        self.trash_toggle.setCheckable(True)
        self.trash_toggle.setAccessibleName("Show the trash")
        self.trash_toggle.setToolTip("Show drafts in the trash (they can be restored or emptied)")
        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.trash_toggle)

        self.model = DraftListModel(worker, self)
        self.view = QListView()
        self.view.setObjectName("draftListView")
        self.view.setAccessibleName("Draft list")
        self.view.setModel(self.model)
        self.view.setItemDelegate(DraftDelegate(self.view))
        self.view.setUniformItemSizes(True)
        self.view.setSelectionMode(QListView.SelectionMode.SingleSelection)
        self.view.selectionModel().currentChanged.connect(self._current_changed)
        self.status = QLabel()
        self.status.setAccessibleName("Draft list status")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)

        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(lambda: self.model.reload(search=self.search.text().strip()))
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.trash_toggle.toggled.connect(lambda on: self.model.reload(trashed=on))
        self.model.loaded.connect(self._after_load)
        self.model.rowsInserted.connect(self._update_status)
        self.model.rowsRemoved.connect(self._update_status)
        self.model.failed.connect(lambda msg: self.status.setText(f"Cannot list drafts: {msg}"))
        self._want_selected: str | None = None
        self._suppress = False

    def reload(self) -> None:
        self.model.reload()

    def current_id(self) -> str | None:
        index = self.view.currentIndex()
        return index.data(ROLE_ID) if index.isValid() else None

    def select_id(self, draft_id: str | None, *, quiet: bool = True) -> None:
        """Highlight a draft in the list (after the next load if it is not listed yet)."""
        self._want_selected = draft_id
        row = self.model.row_of(draft_id) if draft_id else -1
        self._suppress = quiet
        try:
            if row >= 0:
                self.view.setCurrentIndex(self.model.index(row))
                self.view.scrollTo(self.model.index(row))
            else:
                self.view.selectionModel().clearCurrentIndex()
        finally:
            self._suppress = False

    def _after_load(self) -> None:
        if self._want_selected:
            self.select_id(self._want_selected)
        self._update_status()

    def _update_status(self, *_args) -> None:
        n = self.model.rowCount()
        more = "+" if self.model.canFetchMore() else ""
        what = "in the trash" if self.model.trashed else ("found" if self.model.search else "")
        noun = "draft" if n == 1 and not more else "drafts"
        self.status.setText(f"{n}{more} {noun} {what}".strip())

    def _current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._suppress or not current.isValid():
            return
        draft_id = current.data(ROLE_ID)
        self._want_selected = draft_id
        self.draft_selected.emit(draft_id)
