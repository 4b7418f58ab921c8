"""Start the interactive app: QApplication, main window, event loop."""

from __future__ import annotations

import os
import sys


def ensure_platform() -> None:
    """Without a display (CI, ssh), render offscreen instead of failing to connect to X."""
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"


def no_display_problem() -> str | None:
    """Why an interactive window cannot be shown here, or None. Without this check the app would
    open on the offscreen platform and sit there invisible, which looks like a hang."""
    if sys.platform.startswith("linux") and os.environ.get("QT_QPA_PLATFORM", "") in ("", "offscreen"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            return (
                "no display to open the window on (DISPLAY and WAYLAND_DISPLAY are not set). Run it in a "
                "desktop session; without one, use `greenlight gui --screenshot OUT.png`, "
                "`greenlight gui --smoke-test` or the other commands (`greenlight --help`)"
            )
    return None


def run_app() -> int:
    from desktop.errors import GreenlightError

    problem = no_display_problem()
    if problem:
        raise GreenlightError(problem)
    from desktop.ui.app import create_app
    from desktop.ui.main_window import MainWindow

    app = create_app()
    from desktop.ui.first_run import run_first_start

    run_first_start()  # applies the installer's team setup; the welcome dialog on the first start only
    window = MainWindow()
    window.show()
    return app.exec()
