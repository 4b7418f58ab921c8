"""Helpers for the UI tests: open the real main window offscreen on the test's own profile.

Grammar is set to offline Hunspell spelling (never starts Java or touches the network), so the
spelling findings the tests rely on are deterministic. The guideline engine, platform counters
and store are the real ones.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from desktop.paths import config_dir


def offline_grammar() -> None:
    (config_dir() / "grammar.json").write_text(json.dumps({"mode": "spelling"}), encoding="utf-8")


def open_window(qtbot, *, engine: bool = True):
    """A MainWindow on the current GREENLIGHT_HOME, shown and ready to type into."""
    from desktop.ui.app import create_app
    from desktop.ui.main_window import MainWindow

    create_app()
    window = MainWindow(start_engine=engine)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.ready, timeout=10000):
        window.show()
    if engine:
        qtbot.waitUntil(lambda: window.live.info.ready or bool(window.live.info.error), timeout=60000)
    return window


def close_window(qtbot, window) -> None:
    window.close()
    qtbot.wait(10)


def wait_current_review(qtbot, window, timeout: int = 20000):
    """Wait until the findings painted describe exactly the editor's current text."""
    qtbot.waitUntil(lambda: window.live.current() is not None, timeout=timeout)
    return window.live.current()


def wait_findings(qtbot, window, predicate: Callable[[list], bool], timeout: int = 20000) -> list:
    def ok() -> bool:
        current = window.live.current()
        # Painted everywhere: the editor at once, the side panel one event later.
        return (
            current is not None
            and predicate(list(current.findings))
            and window.findings._all == tuple(current.findings)
        )

    qtbot.waitUntil(ok, timeout=timeout)
    return list(window.live.current().findings)


def type_text(qtbot, window, text: str) -> None:
    window.editor.setFocus()
    qtbot.keyClicks(window.editor, text)


def stored_text(draft_id: str) -> str:
    from desktop.store import DraftStore

    store = DraftStore.open()
    try:
        return store.get(draft_id).text
    finally:
        store.close()


def create_draft(text: str, **kw) -> str:
    from desktop.store import DraftStore

    store = DraftStore.open()
    try:
        return store.create(text, **kw).id
    finally:
        store.close()


def write_pack(root: Path) -> Path:
    """A small guideline pack in Vale's format, written by the test (not copied from anywhere)."""
    pack = root / "TestHouse"
    pack.mkdir(parents=True)
    (pack / "Banned.yml").write_text(
        "extends: existence\n"
        "message: \"Don't use '%s' in posts.\"\n"
        "level: error\n"
        "ignorecase: true\n"
        "link: https://example.org/house-style#banned\n"
        "action:\n  name: remove\n"
        "tokens:\n  - synergy\n",
        encoding="utf-8",
    )
    (pack / "Simpler.yml").write_text(
        "extends: substitution\n"
        "message: \"Use '%s' instead of '%s'.\"\n"
        "level: warning\n"
        "ignorecase: true\n"
        "action:\n  name: replace\n"
        "swap:\n  utilize: use\n",
        encoding="utf-8",
    )
    return root


@pytest.fixture
def ui_profile(greenlight_home: Path) -> Path:
    offline_grammar()
    return greenlight_home
