"""Where Greenlight keeps its files.

`GREENLIGHT_HOME` overrides everything (tests always set it, and several profiles can live on one
machine that way); otherwise the platform's user data/config directories are used.
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

from desktop import APP_ID

SHIPPED_ROOT = Path(__file__).resolve().parent.parent


def home() -> Path:
    """The profile folder: database, settings, logs. Created on first use."""
    override = os.environ.get("GREENLIGHT_HOME")
    path = Path(override).expanduser() if override else user_data_path(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def config_dir() -> Path:
    """Configuration lives in the profile when GREENLIGHT_HOME is set, else in the user config dir."""
    override = os.environ.get("GREENLIGHT_HOME")
    path = Path(override).expanduser() if override else user_config_path(APP_ID, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def database_path() -> Path:
    return home() / "greenlight.db"


def profile_id() -> str:
    """A stable name for this profile, used to namespace keyring entries.

    Several profiles on one machine share one OS keyring, so entries must not collide.
    """
    import hashlib

    return hashlib.sha256(str(home().resolve()).encode()).hexdigest()[:12]


def _bundle_root() -> Path:
    """The folder holding `guidelines/` and `resources/`: the repo, or the PyInstaller bundle."""
    import sys

    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) if frozen else SHIPPED_ROOT


def shipped_guidelines() -> Path:
    return _bundle_root() / "guidelines"


def resources() -> Path:
    return _bundle_root() / "resources"
