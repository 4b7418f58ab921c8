"""`greenlight gui --smoke-test` and `--screenshot`, run as real processes on the test's profile."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.ui_support import create_draft, offline_grammar


def greenlight(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    return subprocess.run(
        [sys.executable, "-m", "desktop", *args], capture_output=True, text=True, env=env, timeout=timeout
    )


@pytest.fixture(autouse=True)
def _offline(greenlight_home: Path) -> None:
    offline_grammar()


def test_smoke_test_prints_one_line_and_exits_0():
    create_draft("A first post", title="Hello")
    out = greenlight("gui", "--smoke-test")
    assert out.returncode == 0, out.stderr
    lines = out.stdout.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("greenlight gui: ok") and "1 draft(s) listed" in lines[0]


def test_screenshot_renders_the_chosen_draft_to_png(tmp_path: Path):
    from PySide6.QtGui import QImage

    draft_id = create_draft("Pick me for the picture", title="Chosen")
    create_draft("A newer draft", title="Newer")
    target = tmp_path / "window.png"
    out = greenlight("gui", "--screenshot", str(target), "--draft", draft_id, "--size", "900x600")
    assert out.returncode == 0, out.stderr
    image = QImage(str(target))
    assert (image.width(), image.height()) == (900, 600)
    # Not a blank image: a rendered window has many distinct colours.
    colours = {image.pixel(x, y) for x in range(0, 900, 7) for y in range(0, 600, 7)}
    assert len(colours) > 20


def test_screenshot_of_an_unknown_draft_is_a_clear_error(tmp_path: Path):
    out = greenlight("gui", "--screenshot", str(tmp_path / "x.png"), "--draft", "NOSUCHDRAFT000")
    assert out.returncode == 2
    assert "NOSUCHDRAFT000" in out.stderr
    assert not (tmp_path / "x.png").exists()


def test_screenshot_needs_a_png_name(tmp_path: Path):
    out = greenlight("gui", "--screenshot", str(tmp_path / "x.jpg"))
    assert out.returncode == 2 and "PNG" in out.stderr


def test_opening_the_window_without_a_display_says_so_instead_of_hanging(monkeypatch, capsys) -> None:
    """With no display the window would open invisibly offscreen and look like a hang."""
    from desktop.cli import main

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    assert main(["gui"]) == 2
    assert "no display to open the window on" in capsys.readouterr().err
