"""The main window: puts the parts together and wires their signals. Nothing else.

Drafts on the left, the editor in the middle, a tabbed side panel on the right (findings,
platforms; other features add tabs through `add_side_panel`), a status bar with room for other
features' indicators (`add_status_widget`). Behaviour lives in the controllers and widgets.
"""

from __future__ import annotations

import time

from PySide6.QtCore import QByteArray, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QActionGroup, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.review.findings import Finding
from desktop.ui import app as app_mod
from desktop.ui import gc_pauses, image_actions, severity_style
from desktop.ui.autosave import FAILED, SAVED, SAVING, Autosaver
from desktop.ui.counters import PlatformCounters
from desktop.ui.draft_controller import DraftController
from desktop.ui.draft_list import DraftList
from desktop.ui.editor import DraftEditor
from desktop.ui.findings_panel import FindingsPanel
from desktop.ui.live_review import LiveReview, new_grammar_host, new_pipeline
from desktop.ui.menus import add_action
from desktop.ui.operations import Operations, Worker
from desktop.ui.previews import PostPreview
from desktop.ui.review_controller import ReviewController, ask_reason
from desktop.ui.review_pipeline import EngineInfo, ReviewResult, available_platforms, severity_counts

SAVE_TEXT = {
    SAVED: "All changes saved",
    "unsaved": "Unsaved changes…",
    SAVING: "Saving…",
    FAILED: "Save failed",
}


class MainWindow(QMainWindow):
    ready = Signal()  # the window is shown and the draft list has loaded: editable
    review_painted = Signal(object)  # a ReviewResult was painted (tests and benchmarks wait on it)

    def __init__(self, *, start_engine: bool = True) -> None:
        super().__init__()
        self.setObjectName("mainWindow")
        self.setWindowTitle("Greenlight")
        self.setAccessibleName("Greenlight")
        self.created_at = time.perf_counter()
        self.ops = Operations(self, review_context=new_pipeline)
        self.ops.review.set_context_closer(lambda pipeline: pipeline.close())
        self.grammar_worker = Worker("greenlight-grammar", new_grammar_host, self)
        self.grammar_worker.set_context_closer(lambda host: host.close())

        # -- widgets -----------------------------------------------------------------------------
        self.draft_list = DraftList(self.ops.store)
        self.editor = DraftEditor()
        self.title_label = QLabel()
        self.title_label.setObjectName("draftTitle")
        self.title_label.setAccessibleName("Draft title and status")
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        centre = QWidget()
        cl = QVBoxLayout(centre)
        cl.setContentsMargins(6, 6, 6, 6)
        cl.addWidget(self.title_label)
        cl.addWidget(self.editor, 1)
        self._centre_layout = cl

        self.findings = FindingsPanel()
        self.counters = PlatformCounters()
        self.preview = PostPreview()
        platforms = QSplitter(Qt.Orientation.Vertical)
        platforms.setObjectName("platformsPanel")
        platforms.addWidget(self.counters)
        platforms.addWidget(self.preview)
        platforms.setSizes([160, 400])
        self.side = QTabWidget()
        self.side.setObjectName("sidePanel")
        self.side.setAccessibleName("Side panel")
        self.side.addTab(self.findings, "Findings")
        self.side.addTab(platforms, "Platforms")

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("mainSplitter")
        self.splitter.addWidget(self.draft_list)
        self.splitter.addWidget(centre)
        self.splitter.addWidget(self.side)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([260, 620, 380])
        self.setCentralWidget(self.splitter)

        # -- status bar --------------------------------------------------------------------------
        self.save_status = QLabel(SAVE_TEXT[SAVED])
        self.save_status.setAccessibleName("Save status")
        self.counts_label = QLabel(severity_style.counts_text({}))
        self.counts_label.setObjectName("findingCounts")
        self.counts_label.setAccessibleName("Finding counts")
        self.engine_label = QLabel(EngineInfo(ready=False).label)
        self.engine_label.setAccessibleName("Guidelines status")
        self.grammar_label = QLabel("Grammar: starting…")
        self.grammar_label.setAccessibleName("Grammar status")
        bar = self.statusBar()
        bar.addWidget(self.save_status)
        bar.addWidget(self.counts_label)
        bar.addPermanentWidget(self.engine_label)
        bar.addPermanentWidget(self.grammar_label)

        # -- behaviour ---------------------------------------------------------------------------
        self.autosaver = Autosaver(self.ops.store, self.editor.toPlainText, parent=self)
        self.live = LiveReview(
            self.ops.review, self.editor.toPlainText, grammar_worker=self.grammar_worker, parent=self
        )
        self.drafts = DraftController(self.ops, self.editor, self.draft_list, self.autosaver, self.live, self)
        self.review = ReviewController(self.ops, self.drafts, self.editor, self.live, self, self)
        self._wire()
        self._build_menus()
        from desktop.ui.publish_wiring import install_publishing

        install_publishing(self)  # Publish / Approvals tabs, Publish menu (desktop/ui/publish_wiring.py)
        from desktop.ui.sync_controller import install_sync

        install_sync(self)  # sync status, conflict banner, Sync menu (desktop/ui/sync_controller.py)
        self.counters.set_available(available_platforms())
        self._restore_state()
        self._start_engine = start_engine
        self._pending_panel: ReviewResult | None = None
        self._shown = False
        self._closing = False

    # -- wiring ----------------------------------------------------------------------------------

    def _wire(self) -> None:
        d, r = self.drafts, self.review
        self.autosaver.state_changed.connect(lambda s: self.save_status.setText(SAVE_TEXT.get(s, s)))
        self.live.result_ready.connect(self._paint_review)
        self.live.engine_changed.connect(self._engine_changed)
        self.live.grammar_status.connect(self.grammar_label.setText)
        self.live.failed.connect(lambda msg: self.statusBar().showMessage(f"Check failed: {msg}", 8000))
        d.opened.connect(self._draft_opened)
        d.changed.connect(self._draft_changed)
        for source in (d, r):
            source.message.connect(lambda msg: self.statusBar().showMessage(msg, 5000))
            source.error.connect(self._show_error)
        for source in (self.editor, self.findings):
            source.fix_requested.connect(r.fix)
            source.ignore_requested.connect(r.ignore)
            source.vocabulary_requested.connect(r.add_vocabulary)
        self.findings.finding_activated.connect(self._select_finding)
        self.editor.suggestion_source = self.findings.suggestion_source = self.live.lookup_suggestions
        self.editor.known_suggestions = self.live.known_suggestions
        self.counters.platforms_changed.connect(d.set_platforms)
        self.preview.parts_wanted.connect(self.live.request_thread_parts)
        self.live.preview_ready.connect(self._paint_preview)
        self.draft_list.model.loaded.connect(self._list_loaded)
        self.draft_list.model.failed.connect(self._store_failed)

    def _build_menus(self) -> None:
        bar = self.menuBar()
        d, r = self.drafts, self.review

        def act(menu, text: str, slot, shortcut=None, name: str = "") -> QAction:
            return add_action(menu, self, text, slot, shortcut, name)

        m = bar.addMenu("&Draft")
        self.new_action = act(m, "&New draft", d.new_draft, QKeySequence.StandardKey.New, "newDraft")
        act(m, "D&uplicate", d.duplicate, "Ctrl+Shift+D", "duplicateDraft")
        act(m, "&Rename…", self._rename, "F2", "renameDraft")
        act(m, "&History…", self._history, "Ctrl+Shift+H", "draftHistory")
        act(m, "Attach &image…", lambda: image_actions.attach_image(self), "Ctrl+Shift+I", "attachImage")
        act(m, "Describe ima&ges…", lambda: image_actions.describe_images(self), None, "describeImages")
        m.addSeparator()
        act(m, "Move to &trash", d.trash, "Ctrl+Shift+Backspace", "trashDraft")
        act(m, "Restore from trash", d.untrash, None, "untrashDraft")
        act(m, "&Show trash", lambda: self.draft_list.trash_toggle.toggle(), "Ctrl+Shift+T", "showTrash")
        act(m, "&Empty trash…", self._empty_trash, None, "emptyTrash")
        m.addSeparator()
        act(m, "&Quit", self.close, QKeySequence.StandardKey.Quit, "quit")

        m = bar.addMenu("&Edit")
        act(m, "&Undo", self.editor.undo, None, "undo")
        act(m, "&Redo", self.editor.redo, None, "redo")
        m.addSeparator()
        act(m, "&Find drafts", self._focus_search, QKeySequence.StandardKey.Find, "findDrafts")

        m = bar.addMenu("&Review")
        act(m, "&Next finding", lambda: self.step_finding(True), "F8", "nextFinding")
        act(m, "&Previous finding", lambda: self.step_finding(False), "Shift+F8", "previousFinding")
        m.addSeparator()
        act(m, "&Self-review…", r.start_self_review, "Ctrl+Shift+R", "selfReview")
        act(m, "Mark &ready", r.mark_ready, "Ctrl+Shift+Return", "markReady")
        m.addSeparator()
        act(m, "&Guidelines settings…", self._guidelines_settings, "Ctrl+,", "guidelinesSettings")

        m = bar.addMenu("&View")
        act(m, "Go to &drafts", lambda: self.draft_list.view.setFocus(), "Ctrl+1", "focusDrafts")
        act(m, "Go to &editor", lambda: self.editor.setFocus(), "Ctrl+2", "focusEditor")
        act(m, "Go to &findings", self._focus_findings, "Ctrl+3", "focusFindings")
        act(m, "Go to &platforms", lambda: self.side.setCurrentIndex(1), "Ctrl+4", "focusPlatforms")
        m.addSeparator()
        themes = m.addMenu("&Theme")
        group = QActionGroup(self)
        current = str(app_mod.ui_settings().value("view/theme", "system"))
        for theme in app_mod.THEMES:
            a = QAction(theme.capitalize(), self, checkable=True)
            a.setChecked(theme == current)
            a.triggered.connect(lambda _=False, t=theme: self.set_theme(t))
            group.addAction(a)
            themes.addAction(a)

    # -- startup ---------------------------------------------------------------------------------

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            self.draft_list.reload()
            QTimer.singleShot(0, self.sync.start)
            if self._start_engine:
                # After the first paint: the window is usable while the engine loads on its thread.
                QTimer.singleShot(0, self.live.start)

    def _list_loaded(self) -> None:
        if self.drafts.draft is None and not self.drafts._wanted:
            last = str(app_mod.ui_settings().value("drafts/last", "") or "")
            first = self.draft_list.model.summary(0)
            wanted = last if last and self.draft_list.model.row_of(last) >= 0 else (first.id if first else "")
            if wanted and not self.draft_list.model.trashed:
                self.drafts.open(wanted, done=lambda _d: self._became_ready())
                return
            self._became_ready()

    def _store_failed(self, message: str) -> None:
        """The database cannot be used: say so plainly, and keep the writer from typing into nothing."""
        if getattr(self, "_store_error_shown", False):
            return
        self._store_error_shown = True
        self.editor.setReadOnly(True)
        self.editor.setPlaceholderText("Drafts cannot be opened: " + message)
        box = QMessageBox(
            QMessageBox.Icon.Critical,
            "Greenlight cannot open your drafts",
            message,
            QMessageBox.StandardButton.Ok,
            self,
        )
        box.setObjectName("storeErrorBox")
        box.finished.connect(box.deleteLater)
        box.open()
        self._became_ready()

    def _became_ready(self) -> None:
        if not getattr(self, "_ready_sent", False):
            self._ready_sent = True
            self.editor.setFocus()
            gc_pauses.settle()
            self.ready.emit()

    def add_side_panel(self, widget: QWidget, title: str) -> int:
        """Hook for other features (approvals, trust, sync): a tab in the side panel."""
        return self.side.addTab(widget, title)

    def add_editor_banner(self, widget: QWidget) -> None:
        """Hook for other features (sync conflicts ...): a strip between the title and the editor."""
        self._centre_layout.insertWidget(self._centre_layout.indexOf(self.editor), widget)

    def add_status_widget(self, widget: QWidget, *, permanent: bool = True) -> None:
        """Hook for other features (sync status ...): a place in the status bar."""
        if permanent:
            self.statusBar().addPermanentWidget(widget)
        else:
            self.statusBar().addWidget(widget)

    # -- painting --------------------------------------------------------------------------------

    def _paint_review(self, result: ReviewResult) -> None:
        if self.drafts.draft is not None and result.draft_id != self.drafts.draft.id:
            return
        # The underlines first, in this event; the side panel in the next one, so neither step
        # alone keeps the UI thread from the next keystroke for long.
        self.editor.set_findings(result.findings, result.text)
        counts = severity_counts(result.findings)
        self.counts_label.setText(severity_style.counts_text(counts))
        self._pending_panel = result
        QTimer.singleShot(0, self._paint_panel)

    def _paint_panel(self) -> None:
        result, self._pending_panel = self._pending_panel, None
        if result is None or result.text != self.editor.toPlainText():
            return  # a newer result (or newer text) is on its way
        self.findings.set_findings(result.findings)
        self.counters.set_statuses(result.platforms)
        self.preview.set_statuses(result.platforms)
        self.review_painted.emit(result)

    def _paint_preview(self, preview) -> None:
        if preview.text == self.editor.toPlainText():
            self.preview.set_parts(preview.parts)

    def _engine_changed(self, info: EngineInfo) -> None:
        gc_pauses.settle()
        self.engine_label.setText(info.label)
        tip = "\n".join(str(p) for p in info.problems[:20])
        self.engine_label.setToolTip(tip or info.label)

    def _draft_opened(self, draft) -> None:
        if draft is not None:
            app_mod.ui_settings().setValue("drafts/last", draft.id)
        self._draft_changed(draft)
        if draft is None:
            self.findings.set_findings(())
            self.counts_label.setText(severity_style.counts_text({}))

    def _draft_changed(self, draft) -> None:
        if draft is None:
            self.title_label.setText("<i>No draft open: start typing to create one</i>")
            self.counters.set_selected([])
            return
        title = draft.title or "Untitled draft"
        trashed = " · in the trash" if draft.trashed else ""
        self.title_label.setText(f"<b>{_esc(title)}</b> · {draft.status}{trashed}")
        self.setWindowTitle(f"{title} — Greenlight")
        if self.counters.selected() != list(draft.platforms):
            self.counters.set_selected(list(draft.platforms))

    def _show_error(self, message: str) -> None:
        self.statusBar().showMessage(message, 10000)

    # -- commands --------------------------------------------------------------------------------

    def step_finding(self, forward: bool) -> Finding | None:
        """F8 / Shift+F8: select the next / previous finding after the cursor."""
        from desktop.ui.text_offsets import OffsetMap

        cursor = self.editor.textCursor()
        pos = cursor.selectionStart() if forward else cursor.selectionStart()
        offset = OffsetMap(self.editor.toPlainText()).from_qt(pos)
        finding = self.findings.neighbour(offset, forward=forward)
        if finding is not None:
            self._select_finding(finding)
            self.findings.select(finding)
            self.statusBar().showMessage(f"{severity_style.TITLE[finding.severity]}: {finding.message}", 8000)
        return finding

    def _select_finding(self, finding: Finding) -> None:
        if self.editor.select_finding(finding):
            self.editor.setFocus()

    def _focus_findings(self) -> None:
        self.side.setCurrentWidget(self.findings)
        (self.findings.tree if self.findings.tree.isVisible() else self.findings.level_filter).setFocus()

    def _focus_search(self) -> None:
        self.draft_list.search.setFocus()
        self.draft_list.search.selectAll()

    def _rename(self) -> None:
        draft = self.drafts.draft
        if draft is None:
            return
        dialog = ask_reason(self, "Rename draft", "Title:", self.drafts.rename)
        dialog.setTextValue(draft.title)

    def _history(self) -> None:
        from desktop.ui.history_dialog import HistoryDialog

        draft = self.drafts.draft
        if draft is None:
            return
        self.autosaver.flush()
        dialog = HistoryDialog(self.ops.store, draft.id, self.editor.toPlainText(), self)
        dialog.restore_requested.connect(self.drafts.restore_revision)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.history_dialog = dialog

    def _empty_trash(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Empty trash",
            "Delete every draft in the trash for good, with its history? This cannot be undone.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        box.accepted.connect(self.drafts.empty_trash)
        box.finished.connect(box.deleteLater)
        box.open()

    def _guidelines_settings(self) -> None:
        from desktop.ui.guidelines_settings import GuidelinesSettingsDialog

        dialog = GuidelinesSettingsDialog(self.live, self)
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()
        self.settings_dialog = dialog

    def set_theme(self, theme: str) -> None:
        app_mod.ui_settings().setValue("view/theme", theme)
        app_mod.apply_theme(theme)
        self.editor.refresh_style()
        self.findings._rebuild()

    # -- state and closing -----------------------------------------------------------------------

    def _restore_state(self) -> None:
        s = app_mod.ui_settings()
        geometry = s.value("window/geometry")
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = s.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        split = s.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)

    def save_state(self) -> None:
        s = app_mod.ui_settings()
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closing:
            event.accept()
            return
        self._closing = True
        self.save_state()
        self.sync.shutdown()  # releases held saves first, so the flush below writes everything
        self.autosaver.flush()
        # Saving is quick; waiting here (at most a few seconds) is what makes closing lose nothing.
        if not self.ops.store.wait_idle(10.0):
            QMessageBox.warning(self, "Greenlight", "The last changes could not be saved in time.")
        self.live.shutdown()
        self.ops.shutdown(5.0)
        self.grammar_worker.stop(2.0)
        event.accept()


def _esc(text: str) -> str:
    import html

    return html.escape(text)


__all__ = ["MainWindow"]
