"""How each severity looks: colour, underline style, icon shape and words.

Colour is never the only signal: each severity also has its own underline style (wave, dashes,
dots), its own icon shape (octagon, triangle, circle) and its name in text, so the panel and the
editor work for colour-blind writers and in both palettes.
"""

from __future__ import annotations

from functools import cache

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QIcon, QPainter, QPen, QPixmap, QPolygonF, QTextCharFormat

from desktop.review.findings import Severity

_LIGHT = {Severity.ERROR: "#c62828", Severity.WARNING: "#b35c00", Severity.SUGGESTION: "#1565c0"}
_DARK = {Severity.ERROR: "#ff7b72", Severity.WARNING: "#f0a04b", Severity.SUGGESTION: "#79c0ff"}

UNDERLINE = {
    Severity.ERROR: QTextCharFormat.UnderlineStyle.WaveUnderline,
    Severity.WARNING: QTextCharFormat.UnderlineStyle.DashUnderline,
    Severity.SUGGESTION: QTextCharFormat.UnderlineStyle.DotLine,
}

TITLE = {Severity.ERROR: "Error", Severity.WARNING: "Warning", Severity.SUGGESTION: "Suggestion"}
PLURAL = {Severity.ERROR: "errors", Severity.WARNING: "warnings", Severity.SUGGESTION: "suggestions"}


def color(severity: Severity, dark: bool | None = None) -> QColor:
    if dark is None:
        from desktop.ui.app import is_dark

        dark = is_dark()
    return QColor((_DARK if dark else _LIGHT)[severity])


def underline_format(severity: Severity, dark: bool | None = None) -> QTextCharFormat:
    fmt = QTextCharFormat()
    fmt.setUnderlineStyle(UNDERLINE[severity])
    fmt.setUnderlineColor(color(severity, dark))
    if severity == Severity.ERROR:
        # A faint background as well: the wave alone is thin on high-DPI screens.
        bg = color(severity, dark)
        bg.setAlpha(40)
        fmt.setBackground(QBrush(bg))
    return fmt


@cache
def _icon(severity: Severity, dark: bool) -> QIcon:
    size = 16
    pix = QPixmap(size, size)
    pix.fill(Qt.GlobalColor.transparent)
    p = QPainter(pix)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    c = color(severity, dark)
    p.setPen(QPen(c.darker(130), 1))
    p.setBrush(c)
    if severity == Severity.ERROR:  # octagon with a bar: "stop"
        pts = [(5, 1), (11, 1), (15, 5), (15, 11), (11, 15), (5, 15), (1, 11), (1, 5)]
        p.drawPolygon(QPolygonF([QPointF(x, y) for x, y in pts]))
        p.setPen(QPen(QColor("white"), 2))
        p.drawLine(5, 8, 11, 8)
    elif severity == Severity.WARNING:  # triangle with "!"
        p.drawPolygon(QPolygonF([QPointF(8, 1), QPointF(15, 15), QPointF(1, 15)]))
        p.setPen(QPen(QColor("white"), 2))
        p.drawLine(8, 6, 8, 10)
        p.drawPoint(8, 13)
    else:  # circle with "i"
        p.drawEllipse(1, 1, 14, 14)
        p.setPen(QPen(QColor("white"), 2))
        p.drawPoint(8, 5)
        p.drawLine(8, 8, 8, 12)
    p.end()
    return QIcon(pix)


def icon(severity: Severity) -> QIcon:
    from desktop.ui.app import is_dark

    return _icon(severity, is_dark())


def counts_text(counts: dict[Severity, int]) -> str:
    """'2 errors, 1 warning, 0 suggestions' with singulars right."""
    parts = []
    for sev in (Severity.ERROR, Severity.WARNING, Severity.SUGGESTION):
        n = counts.get(sev, 0)
        word = PLURAL[sev] if n != 1 else TITLE[sev].lower()
        parts.append(f"{n} {word}")
    return ", ".join(parts)
