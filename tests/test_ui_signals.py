"""Guards the Qt binding itself: PySide6 6.12.0 dropped a reference to True on every Python
Signal.emit(), which aborts Python 3.11 after a few hundred signals (the app emits thousands).
pyproject.toml pins below it; this fails loudly if a future upgrade brings the bug back."""

from __future__ import annotations

import sys


def test_emitting_signals_does_not_leak_references_to_true():
    from PySide6.QtCore import QCoreApplication, QObject, Signal

    QCoreApplication.instance() or QCoreApplication([])

    class Source(QObject):
        fired = Signal(object)

    source = Source()
    received = []
    source.fired.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(50):
        source.fired.emit(i)
    assert len(received) == 50
    assert sys.getrefcount(True) - before > -10
