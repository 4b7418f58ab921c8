"""Start the interactive app: QApplication, main window, event loop."""

from __future__ import annotations

import os
import sys


def ensure_platform() -> None:
    """Without a display (CI, ssh), render offscreen instead of failing to connect to X."""
    if not os.environ.get("QT_QPA_PLATFORM") and sys.platform.startswith("linux"):
        if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ["QT_QPA_PLATFORM"] = "offscreen"


def run_app() -> int:
    from desktop.ui.app import create_app
    from desktop.ui.main_window import MainWindow

    app = create_app()
    from desktop.ui.first_run import run_first_start

    run_first_start()  # applies the installer's team setup; the welcome dialog on the first start only
    window = MainWindow()
    window.show()
    return app.exec()
