"""Competing versions of one draft, side by side: keep one, or write a merge.

A conflict means two people edited the same version of a shared draft on different machines.
Both versions are kept by the sync core; this dialog shows them next to each other (lines that
differ are marked, with a symbol and not by colour alone) and a merge editor prefilled with the
version the draft shows now. The choice is emitted; the sync controller carries it out with the
core's `resolve`, so the resolution travels to everyone and no version is deleted.
"""

from __future__ import annotations

import difflib
import html
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.sync_status import _when


def version_title(v: dict[str, Any]) -> str:
    who = v.get("author_name") or v.get("author_fingerprint") or "someone"
    when = _when(str(v.get("created", "")))
    now = " · shown now" if v.get("current") else ""
    return f"{who} · {when}{now}"


def marked_html(text: str, other_texts: list[str]) -> str:
    """The version's lines, each one not in every other version marked with “▌” and a tint."""
    others = [set(t.splitlines()) for t in other_texts]
    rows = []
    for line in text.splitlines() or [""]:
        differs = any(line not in o for o in others)
        body = html.escape(line) or "&nbsp;"
        if differs:
            rows.append(f"<div style='background:rgba(255,200,0,0.25)'><b>▌</b> {body}</div>")
        else:
            rows.append(f"<div>&nbsp;&nbsp;{body}</div>")
    return "".join(rows)


def changed_words(a: str, b: str) -> int:
    """How many words differ between two texts (for the summary line)."""
    sm = difflib.SequenceMatcher(a=a.split(), b=b.split(), autojunk=False)
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in sm.get_opcodes() if tag != "equal")


class ConflictDialog(QDialog):
    picked = Signal(object)  # the version dict chosen
    merged = Signal(str)  # the merged text

    def __init__(
        self,
        versions: list[dict[str, Any]],
        parent: QWidget | None = None,
        *,
        title: str = "Competing versions",
        intro: str = "",
    ) -> None:
        super().__init__(parent)
        self.setObjectName("conflictDialog")
        self.setWindowTitle(f"{title} — Greenlight")
        self.setAccessibleName(title)
        self.resize(980, 640)
        self.versions = list(versions)
        texts = [str(v.get("text", "")) for v in self.versions]
        if not intro:
            diff = changed_words(texts[0], texts[1]) if len(texts) > 1 else 0
            intro = (
                f"This draft was edited on two machines at once; {len(texts)} versions are kept. "
                f"They differ in about {diff} word{'s' if diff != 1 else ''} (lines marked ▌). "
                "Keep one, or write the merged text below. Nothing is deleted: every version stays in "
                "the draft's history."
            )
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)

        columns = QWidget()
        row = QHBoxLayout(columns)
        row.setContentsMargins(0, 0, 0, 0)
        self.keep_buttons: list[QPushButton] = []
        self.views: list[QTextBrowser] = []
        for i, v in enumerate(self.versions):
            box = QFrame()
            box.setFrameShape(QFrame.Shape.StyledPanel)
            col = QVBoxLayout(box)
            head = QLabel(f"<b>Version {i + 1}</b>: {html.escape(version_title(v))}")
            head.setWordWrap(True)
            view = QTextBrowser()
            view.setObjectName(f"conflictVersion{i + 1}")
            view.setAccessibleName(f"Version {i + 1} by {version_title(v)}")
            view.setHtml(marked_html(texts[i], texts[:i] + texts[i + 1 :]))
            keep = QPushButton(f"Keep version {i + 1}")
            keep.setObjectName(f"keepVersion{i + 1}")
            keep.setAccessibleName(f"Keep version {i + 1} by {version_title(v)}")
            keep.clicked.connect(lambda _=False, chosen=v: self._pick(chosen))
            col.addWidget(head)
            col.addWidget(view, 1)
            col.addWidget(keep)
            row.addWidget(box, 1)
            self.keep_buttons.append(keep)
            self.views.append(view)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(columns)

        merge_box = QWidget()
        mb = QVBoxLayout(merge_box)
        mb.setContentsMargins(0, 0, 0, 0)
        mb.addWidget(QLabel("<b>Merged text</b> (starts as the version shown now; edit freely):"))
        self.merge_editor = QPlainTextEdit()
        self.merge_editor.setObjectName("mergeEditor")
        self.merge_editor.setAccessibleName("Merged text")
        self.merge_editor.setTabChangesFocus(True)
        current = next(
            (v for v in self.versions if v.get("current")), self.versions[0] if self.versions else {}
        )
        self.merge_editor.setPlainText(str(current.get("text", "")))
        self.use_merge = QPushButton("Use merged text")
        self.use_merge.setObjectName("useMerged")
        self.use_merge.setAccessibleName("Use merged text")
        self.use_merge.clicked.connect(self._merge)
        mb.addWidget(self.merge_editor, 1)
        mb.addWidget(self.use_merge, 0, Qt.AlignmentFlag.AlignRight)

        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(scroll)
        split.addWidget(merge_box)
        split.setSizes([380, 200])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("Decide later")
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(split, 1)
        layout.addWidget(buttons)

    def _pick(self, version: dict[str, Any]) -> None:
        self.picked.emit(version)
        self.accept()

    def _merge(self) -> None:
        self.merged.emit(self.merge_editor.toPlainText())
        self.accept()


class ConflictBanner(QFrame):
    """Above the editor while the open draft has competing versions (or changed while typing)."""

    resolve_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictBanner")
        self.setAccessibleName("Conflict")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet("#conflictBanner { background: rgba(255, 190, 0, 0.18); }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.label.setAccessibleName("Conflict message")
        self.button = QPushButton("Compare and choose…")
        self.button.setObjectName("resolveConflict")
        self.button.setAccessibleName("Compare the versions and choose")
        self.button.clicked.connect(self.resolve_requested.emit)
        row = QHBoxLayout(self)
        row.setContentsMargins(8, 4, 8, 4)
        row.addWidget(self.label, 1)
        row.addWidget(self.button)
        self.hide()

    def show_message(self, text: str) -> None:
        self.label.setText(f"⚠ {text}")
        self.show()
