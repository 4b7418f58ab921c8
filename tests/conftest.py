"""Shared fixtures: every test gets its own profile (GREENLIGHT_HOME), Qt runs offscreen.

Fixtures that start real services live in `tests/fixtures/` and are loaded as plugins here.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# A session-wide profile for anything built before a test's own profile exists (module-scoped
# engines and their rule cache), so no test ever writes into the real user's data folder.
os.environ["GREENLIGHT_HOME"] = tempfile.mkdtemp(prefix="greenlight-test-session-")

pytest_plugins = [
    "tests.fixtures.keyring_service",
    "tests.fixtures.bluesky_pds",
    "tests.fixtures.wordpress_server",
    "tests.fixtures.mastodon_standin",
    "tests.fixtures.fault_proxy",
    "tests.fixtures.publish_env",
    "tests.fixtures.trust_profiles",
]

REPO = Path(__file__).resolve().parent.parent
VALE_PACKS = REPO.parent / "shared" / "vale-packs"


@pytest.fixture(autouse=True)
def greenlight_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh, private profile for every test; nothing touches the real user's data."""
    home = tmp_path / "profile"
    home.mkdir()
    monkeypatch.setenv("GREENLIGHT_HOME", str(home))
    return home


@pytest.fixture
def store(greenlight_home: Path):
    from desktop.store import DraftStore

    s = DraftStore.open()
    yield s
    s.close()
