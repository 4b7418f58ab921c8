"""Guidelines settings: which packs are active, a .vale.ini, the minimum level, rules on/off.

Rules that could not be loaded are listed with their file, line and error, so a team editing its
own pack sees what is wrong. Applying saves the settings (`desktop.review.settings`) and rebuilds
the engine on the review thread; the lists refresh from the engine that results.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.ui.live_review import LiveReview
from desktop.ui.review_pipeline import EngineInfo

ROLE_PATH = Qt.ItemDataRole.UserRole + 1
ROLE_EXTRA = Qt.ItemDataRole.UserRole + 2
LEVELS = ("suggestion", "warning", "error")


def pack_folders_in(folder: Path) -> list[Path]:
    """A folder of rule files is one pack; a folder of such folders (a StylesPath) is several."""
    if any(folder.glob("*.yml")) or any(folder.glob("*.yaml")):
        return [folder]
    return sorted(
        d
        for d in folder.iterdir()
        if d.is_dir() and not d.name.startswith(".") and (any(d.glob("*.yml")) or any(d.glob("*.yaml")))
    )


class GuidelinesSettingsDialog(QDialog):
    def __init__(self, live: LiveReview, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Guidelines settings")
        self.setObjectName("guidelinesSettings")
        self.setAccessibleName("Guidelines settings")
        self.resize(760, 560)
        self.live = live
        self.settings = self._current_settings()

        tabs = QTabWidget()
        tabs.setAccessibleName("Guidelines settings sections")
        tabs.addTab(self._packs_tab(), "&Packs")
        tabs.addTab(self._rules_tab(), "R&ules")
        tabs.addTab(self._vocabulary_tab(), "&Vocabulary")
        tabs.addTab(self._problems_tab(), "Pro&blems")
        self.tabs = tabs
        self.status = QLabel()
        self.status.setAccessibleName("Guidelines status")
        self.status.setWordWrap(True)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok
            | QDialogButtonBox.StandardButton.Apply
            | QDialogButtonBox.StandardButton.Cancel
        )
        for b in buttons.buttons():
            b.setAccessibleName(b.text().replace("&", ""))
        buttons.button(QDialogButtonBox.StandardButton.Apply).clicked.connect(lambda: self.apply())
        buttons.accepted.connect(lambda: self.apply(close=True))
        buttons.rejected.connect(self.reject)
        self.buttons = buttons
        layout = QVBoxLayout(self)
        layout.addWidget(tabs, 1)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self._show_info(live.info)

    # -- reading the settings --------------------------------------------------------------------

    def _current_settings(self) -> Any:
        from desktop.review.settings import GuidelineSettings, load_settings

        if self.live.info.settings is not None:
            return copy.deepcopy(self.live.info.settings)
        try:
            return load_settings()
        except Exception:
            return GuidelineSettings()

    # -- tabs ------------------------------------------------------------------------------------

    def _packs_tab(self) -> QWidget:
        from desktop.review.settings import shipped_packs

        w = QWidget()
        self.pack_list = QListWidget()
        self.pack_list.setObjectName("packList")
        self.pack_list.setAccessibleName("Guideline packs (checked ones are active)")
        shipped = shipped_packs()
        active = {str(Path(p)) for p in self.settings.packs} if self.settings.packs is not None else None
        for folder in shipped:
            self._add_pack_item(folder, extra=False, checked=active is None or str(folder) in active)
        for p in self.settings.packs or []:
            if Path(p) not in shipped:
                self._add_pack_item(Path(p), extra=False, checked=True)
        for p in self.settings.extra_packs:
            self._add_pack_item(Path(p).expanduser(), extra=True, checked=True)
        add = QPushButton("&Add pack folder…")
        add.setAccessibleName("Add a pack folder")
        add.clicked.connect(self._browse_pack)
        self.vale_ini = QLineEdit(self.settings.vale_ini or "")
        self.vale_ini.setObjectName("valeIni")
        self.vale_ini.setPlaceholderText("none: the packs above are used")
        self.vale_ini.setAccessibleName(".vale.ini file")
        browse = QPushButton("B&rowse…")
        browse.setAccessibleName("Choose a .vale.ini file")
        browse.clicked.connect(self._browse_ini)
        ini_row = QHBoxLayout()
        ini_row.addWidget(self.vale_ini, 1)
        ini_row.addWidget(browse)
        self.min_level = QComboBox()
        self.min_level.setAccessibleName("Minimum level shown")
        self.min_level.addItems([lvl.capitalize() for lvl in LEVELS])
        self.min_level.setCurrentIndex(
            LEVELS.index(self.settings.min_level) if self.settings.min_level in LEVELS else 0
        )
        form = QFormLayout()
        form.addRow(".vale.ini:", ini_row)
        form.addRow("Show from level:", self.min_level)
        note = QLabel(
            "Shipped packs come with Greenlight; add your team's own folders (Vale's format: "
            "<Pack>/<Rule>.yml). A .vale.ini, when set, decides styles, levels and vocabularies itself."
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(w)
        layout.addWidget(note)
        layout.addWidget(self.pack_list, 1)
        layout.addWidget(add, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addLayout(form)
        return w

    def _add_pack_item(self, folder: Path, *, extra: bool, checked: bool) -> QListWidgetItem:
        for i in range(self.pack_list.count()):
            if self.pack_list.item(i).data(ROLE_PATH) == str(folder):
                self.pack_list.item(i).setCheckState(Qt.CheckState.Checked)
                return self.pack_list.item(i)
        kind = "your folder" if extra else "shipped"
        item = QListWidgetItem(f"{folder.name}  ({kind}: {folder})")
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        item.setData(ROLE_PATH, str(folder))
        item.setData(ROLE_EXTRA, extra)
        self.pack_list.addItem(item)
        return item

    def add_pack_folder(self, folder: str | Path) -> list[Path]:
        """Add one pack folder, or every pack in a styles folder; returns the packs added."""
        folder = Path(folder).expanduser()
        if not folder.is_dir():
            self.status.setText(f"{folder}: not a folder")
            return []
        packs = pack_folders_in(folder)
        if not packs:
            self.status.setText(f"{folder}: no rule files (*.yml) in it or in its sub-folders")
        for pack in packs:
            self._add_pack_item(pack, extra=True, checked=True)
        return packs

    def _browse_pack(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, "Add a guideline pack folder")
        if folder:
            self.add_pack_folder(folder)

    def _browse_ini(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a .vale.ini", "", "Vale config (*.ini);;All files (*)"
        )
        if path:
            self.vale_ini.setText(path)

    def _rules_tab(self) -> QWidget:
        w = QWidget()
        self.rule_filter = QLineEdit()
        self.rule_filter.setPlaceholderText("Filter rules")
        self.rule_filter.setAccessibleName("Filter rules")
        self.rule_filter.textChanged.connect(self._filter_rules)
        self.rule_tree = QTreeWidget()
        self.rule_tree.setObjectName("ruleTree")
        self.rule_tree.setAccessibleName("Rules (checked ones are on)")
        self.rule_tree.setHeaderLabels(["Rule"])
        layout = QVBoxLayout(w)
        layout.addWidget(self.rule_filter)
        layout.addWidget(self.rule_tree, 1)
        return w

    def _vocabulary_tab(self) -> QWidget:
        w = QWidget()
        self.accept_words = QPlainTextEdit("\n".join(self.settings.accept))
        self.accept_words.setObjectName("acceptWords")
        self.accept_words.setAccessibleName("Accepted words, one per line")
        self.accept_words.setTabChangesFocus(True)
        self.reject_words = QPlainTextEdit("\n".join(self.settings.reject))
        self.reject_words.setAccessibleName("Words to avoid, one per line")
        self.reject_words.setTabChangesFocus(True)
        form = QFormLayout(w)
        form.addRow("Team vocabulary (accepted):", self.accept_words)
        form.addRow("Words to avoid (rejected):", self.reject_words)
        return w

    def _problems_tab(self) -> QWidget:
        w = QWidget()
        self.problem_list = QListWidget()
        self.problem_list.setObjectName("problemList")
        self.problem_list.setAccessibleName("Rules that could not be loaded")
        self.problem_list.setWordWrap(True)
        layout = QVBoxLayout(w)
        layout.addWidget(QLabel("Rules that could not be loaded, with the reason:"))
        layout.addWidget(self.problem_list, 1)
        return w

    # -- engine info -----------------------------------------------------------------------------

    def _show_info(self, info: EngineInfo) -> None:
        self.status.setText(info.label)
        disabled = set(self.settings.disabled_rules)
        self.rule_tree.clear()
        packs: dict[str, QTreeWidgetItem] = {}
        for rule_id in sorted(set(info.rule_ids) | disabled):
            pack = rule_id.split(".", 1)[0]
            head = packs.get(pack)
            if head is None:
                head = QTreeWidgetItem([pack])
                head.setFlags(head.flags() | Qt.ItemFlag.ItemIsAutoTristate | Qt.ItemFlag.ItemIsUserCheckable)
                self.rule_tree.addTopLevelItem(head)
                packs[pack] = head
            item = QTreeWidgetItem([rule_id])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(0, Qt.CheckState.Unchecked if rule_id in disabled else Qt.CheckState.Checked)
            head.addChild(item)
        self.problem_list.clear()
        for problem in info.problems:
            self.problem_list.addItem(str(problem))
        n = len(info.problems)
        self.tabs.setTabText(3, f"Pro&blems ({n})" if n else "Pro&blems")
        if info.error:
            self.problem_list.addItem(info.error)

    def _filter_rules(self, text: str) -> None:
        needle = text.strip().lower()
        for i in range(self.rule_tree.topLevelItemCount()):
            head = self.rule_tree.topLevelItem(i)
            visible = 0
            for j in range(head.childCount()):
                child = head.child(j)
                hide = bool(needle) and needle not in child.text(0).lower()
                child.setHidden(hide)
                visible += not hide
            head.setHidden(visible == 0)
            head.setExpanded(bool(needle))

    # -- applying --------------------------------------------------------------------------------

    def collect(self) -> Any:
        """The settings as the dialog shows them."""
        from desktop.review.settings import shipped_packs

        s = copy.deepcopy(self.settings)
        shipped = {str(p) for p in shipped_packs()}
        checked_main, extras = [], []
        all_shipped_on = True
        for i in range(self.pack_list.count()):
            item = self.pack_list.item(i)
            on = item.checkState() == Qt.CheckState.Checked
            path = item.data(ROLE_PATH)
            if item.data(ROLE_EXTRA):
                if on:
                    extras.append(path)
            elif on:
                checked_main.append(path)
            elif path in shipped:
                all_shipped_on = False
        only_shipped = all(p in shipped for p in checked_main)
        s.packs = None if all_shipped_on and only_shipped else checked_main
        s.extra_packs = extras
        s.vale_ini = self.vale_ini.text().strip() or None
        s.min_level = LEVELS[self.min_level.currentIndex()]
        disabled = []
        for i in range(self.rule_tree.topLevelItemCount()):
            head = self.rule_tree.topLevelItem(i)
            for j in range(head.childCount()):
                child = head.child(j)
                if child.checkState(0) == Qt.CheckState.Unchecked:
                    disabled.append(child.text(0))
        s.disabled_rules = sorted(disabled)
        s.accept = _words(self.accept_words.toPlainText())
        s.reject = _words(self.reject_words.toPlainText())
        return s

    def apply(self, *, close: bool = False) -> None:
        ini = self.vale_ini.text().strip()
        if ini and not Path(ini).expanduser().is_file():
            self.status.setText(f"{ini}: no such file; choose an existing .vale.ini or clear the field")
            self.tabs.setCurrentIndex(0)
            return
        settings = self.collect()
        self.settings = settings
        self.status.setText("Loading guidelines…")

        def loaded(info: EngineInfo) -> None:
            self._show_info(info)
            if close and not info.error:
                self.accept()

        self.live.apply_settings(settings, done=loaded)


def _words(text: str) -> list[str]:
    seen: list[str] = []
    for line in text.splitlines():
        word = line.strip()
        if word and word not in seen:
            seen.append(word)
    return seen
