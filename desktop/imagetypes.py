"""Recognising the image formats the platforms accept, from the file's first bytes.

Shared by the store (attaching images to drafts) and the publishers, which sit above it.
"""

from __future__ import annotations

# Enough leading bytes for every signature below.
SNIFF_BYTES = 12


def sniff_image_type(data: bytes) -> str | None:
    """Trust the bytes, not the file name: platforms reject a PNG labelled as JPEG."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    return None
