"""Draft ▸ Attach image… and Describe images…: the dialogs around the draft controller's images.

The images themselves are stored by the draft controller off the UI thread; these only ask the
writer for a file and for alt text. A missing description shows up as a finding, like any other.
"""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QInputDialog, QWidget

IMAGE_FILTER = "Images (*.png *.jpg *.jpeg *.gif *.webp);;All files (*)"


def ask_alt_text(parent: QWidget, file_name: str, current: str = "") -> str | None:
    """The writer's description of an image (None when they cancel)."""
    text, ok = QInputDialog.getMultiLineText(
        parent,
        "Describe the image",
        f"Alt text for {file_name}: what a person who cannot see it needs to know.",
        current,
    )
    return text.strip() if ok else None


def attach_image(window) -> None:
    path, _ = QFileDialog.getOpenFileName(window, "Attach an image to the draft", "", IMAGE_FILTER)
    if not path:
        return
    from pathlib import Path

    alt = ask_alt_text(window, Path(path).name)
    window.drafts.attach_image(path, alt or "")


def describe_images(window) -> None:
    """Ask for the alt text of each image of the open draft, those without one first."""
    from pathlib import Path

    items = sorted(window.drafts.media_items, key=lambda m: bool(m.alt))
    if not items:
        window.statusBar().showMessage("This draft has no images: Draft ▸ Attach image… adds one.", 5000)
        return
    for item in items:
        alt = ask_alt_text(window, Path(item.path).name, item.alt)
        if alt is None:
            return
        if alt != item.alt:
            window.drafts.describe_image(item.id, alt)
