"""Greenlight: draft, self-review, get approval for and publish social media posts.

The core packages (`review`, `store`, `trust`, `sync`, `publish`) never import Qt, so they can be
scripted, tested and benchmarked without a display; `ui` is the only Qt layer.
"""

__version__ = "0.1.0"
APP_NAME = "Greenlight"
APP_ID = "greenlight"
