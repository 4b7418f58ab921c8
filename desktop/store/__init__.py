"""Local storage: drafts, revisions and (later) events, in one SQLite file through sqlite-utils. No Qt."""

from desktop.store.database import open_database
from desktop.store.drafts import DraftStore
from desktop.store.models import Draft, Revision

__all__ = ["Draft", "DraftStore", "Revision", "open_database"]
