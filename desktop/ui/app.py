"""QApplication setup: identity, style, light and dark palettes, and where UI settings live.

Window geometry and view preferences go to an INI file in the profile's config folder, not the
system registry, so a `GREENLIGHT_HOME` profile (and every test) keeps its own.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QGuiApplication, QIcon, QPalette
from PySide6.QtWidgets import QApplication

THEMES = ("system", "light", "dark")


def ui_settings() -> QSettings:
    from desktop.paths import config_dir

    return QSettings(str(config_dir() / "window.ini"), QSettings.Format.IniFormat)


def create_app(argv: list[str] | None = None) -> QApplication:
    """Return the running QApplication, creating and styling it on first call."""
    app = QApplication.instance()
    if app is None:
        QGuiApplication.setHighDpiScaleFactorRoundingPolicy(Qt.HighDpiScaleFactorRoundingPolicy.PassThrough)
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("Greenlight")
    app.setOrganizationName("Greenlight")
    app.setApplicationDisplayName("Greenlight")
    # The desktop file name lets Wayland/X11 docks match the window to greenlight.desktop's icon.
    app.setDesktopFileName("greenlight")
    from desktop.paths import resources

    icon = resources() / "icons" / "greenlight-256.png"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    app.setStyle("Fusion")
    apply_theme(str(ui_settings().value("view/theme", "system")))
    return app  # type: ignore[return-value]


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(theme: str) -> bool:
    """Apply 'light', 'dark' or 'system'; returns True when the result is dark."""
    app = QApplication.instance()
    dark = theme == "dark" or (theme == "system" and system_prefers_dark())
    app.setPalette(dark_palette() if dark else light_palette())
    app.setProperty("greenlight_dark", dark)
    return dark


def is_dark() -> bool:
    app = QApplication.instance()
    return bool(app and app.property("greenlight_dark"))


def light_palette() -> QPalette:
    colors = {
        QPalette.ColorRole.Window: "#f3f4f6",
        QPalette.ColorRole.WindowText: "#1f2328",
        QPalette.ColorRole.Base: "#ffffff",
        QPalette.ColorRole.AlternateBase: "#f6f8fa",
        QPalette.ColorRole.ToolTipBase: "#ffffe8",
        QPalette.ColorRole.ToolTipText: "#1f2328",
        QPalette.ColorRole.PlaceholderText: "#6e7781",
        QPalette.ColorRole.Text: "#1f2328",
        QPalette.ColorRole.Button: "#eceef1",
        QPalette.ColorRole.ButtonText: "#1f2328",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: "#1f6feb",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#0550ae",
        QPalette.ColorRole.LinkVisited: "#6639ba",
    }
    return _palette(colors, disabled="#8c959f")


def _palette(colors: dict, *, disabled: str) -> QPalette:
    """A palette from role colours, with greyed text for disabled controls."""
    p = QPalette()
    for role, value in colors.items():
        p.setColor(role, QColor(value))
    for role in (QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText, QPalette.ColorRole.WindowText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor(disabled))
    return p


def dark_palette() -> QPalette:
    colors = {
        QPalette.ColorRole.Window: "#1e2127",
        QPalette.ColorRole.WindowText: "#e6edf3",
        QPalette.ColorRole.Base: "#16181d",
        QPalette.ColorRole.AlternateBase: "#22262e",
        QPalette.ColorRole.ToolTipBase: "#2d333b",
        QPalette.ColorRole.ToolTipText: "#e6edf3",
        QPalette.ColorRole.PlaceholderText: "#8b949e",
        QPalette.ColorRole.Text: "#e6edf3",
        QPalette.ColorRole.Button: "#2d333b",
        QPalette.ColorRole.ButtonText: "#e6edf3",
        QPalette.ColorRole.BrightText: "#ffffff",
        QPalette.ColorRole.Highlight: "#2f81f7",
        QPalette.ColorRole.HighlightedText: "#ffffff",
        QPalette.ColorRole.Link: "#58a6ff",
        QPalette.ColorRole.LinkVisited: "#bc8cff",
    }
    return _palette(colors, disabled="#6e7681")
