"""Headless runs of the real window: `gui --smoke-test` and `gui --screenshot`.

Both drive the same MainWindow the writer uses (offscreen when there is no display), wait until the
drafts are listed, the guidelines loaded and the draft reviewed, then report or render it.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from desktop.errors import GreenlightError


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    """Run the event loop until `predicate()` holds or `timeout` seconds pass."""
    from PySide6.QtCore import QCoreApplication, QEventLoop, QThread

    deadline = time.monotonic() + timeout
    app = QCoreApplication.instance()
    while not predicate():
        if time.monotonic() > deadline:
            return False
        app.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 20)
        QThread.msleep(5)
    return True


def _open_window(size: tuple[int, int] | None = None, theme: str | None = None, timeout: float = 60.0):
    from desktop.ui.launch import ensure_platform

    ensure_platform()
    from desktop.ui.app import apply_theme, create_app
    from desktop.ui.main_window import MainWindow

    app = create_app()
    if theme:
        apply_theme(theme)
    window = MainWindow()
    failures: list[str] = []
    window.draft_list.model.failed.connect(failures.append)
    ready: list[bool] = []
    window.ready.connect(lambda: ready.append(True))
    if size:
        window.resize(*size)
    window.show()
    if not wait_until(lambda: bool(ready or failures), timeout):
        raise GreenlightError(f"the window did not become ready within {timeout:g} s")
    if failures:
        window.close()
        raise GreenlightError(f"cannot open the drafts: {failures[0]}")
    return app, window


def _wait_reviewed(window, timeout: float) -> None:
    """Wait for the engine to load (or report why it cannot) and the open draft to be reviewed."""
    wait_until(lambda: window.live.info.ready or bool(window.live.info.error), timeout)
    if window.drafts.draft is not None:
        wait_until(lambda: window.live.current() is not None, timeout)
        # Grammar runs after a pause in typing; give it the chance to paint too.
        wait_until(lambda: "starting" not in window.grammar_label.text().lower(), min(timeout, 30.0))
        window.live.recheck()
        wait_until(lambda: window.live.current() is not None, timeout)
        end = time.monotonic() + 1.0
        wait_until(lambda: time.monotonic() > end, 2.0)


def smoke_test(timeout: float = 60.0) -> str:
    t0 = time.perf_counter()
    app, window = _open_window(timeout=timeout)
    ready_ms = (time.perf_counter() - t0) * 1000
    _wait_reviewed(window, timeout)
    info = window.live.info
    drafts = window.draft_list.model.rowCount()
    line = (
        f"greenlight gui: ok, window ready in {ready_ms:.0f} ms, {drafts} draft(s) listed, "
        f"{info.label.removeprefix('Guidelines: ')}, {window.grammar_label.text()}"
    )
    window.close()
    app.processEvents()
    return line


def render_screenshot(
    out: str | Path,
    *,
    draft_id: str | None = None,
    size: tuple[int, int] = (1280, 800),
    theme: str | None = None,
    panel: str | None = None,
    timeout: float = 60.0,
) -> Path:
    out = Path(out)
    if out.suffix.lower() != ".png":
        raise GreenlightError(f"{out}: the screenshot is written as PNG; name the file *.png")
    if not out.parent.exists():
        raise GreenlightError(f"{out.parent}: no such folder for the screenshot")
    app, window = _open_window(size, theme, timeout)
    if panel:
        names = [window.side.tabText(i).replace("&", "").lower() for i in range(window.side.count())]
        if panel.lower() not in names:
            window.close()
            raise GreenlightError(f"--panel {panel!r}: the side panel has {', '.join(names)}")
        window.side.setCurrentIndex(names.index(panel.lower()))
    if draft_id:
        opened: list[object] = []
        errors: list[str] = []
        window.drafts.error.connect(errors.append)
        window.drafts.open(draft_id, done=opened.append)
        wait_until(lambda: bool(opened or errors), timeout)
        if errors or not opened:
            window.close()
            raise GreenlightError(errors[0] if errors else f"draft {draft_id} did not open in time")
    _wait_reviewed(window, timeout)
    window.editor.moveCursor(window.editor.textCursor().MoveOperation.Start)
    first = window.findings.visible_findings()
    if first:
        window.findings.select(min(first, key=lambda f: (-int(f.severity), f.start)))
    app.processEvents()
    image = window.grab()
    if not image.save(str(out), "PNG"):
        window.close()
        raise GreenlightError(f"{out}: could not write the PNG")
    window.close()
    app.processEvents()
    return out
