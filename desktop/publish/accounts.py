"""Publishing accounts: platform, handle, server and the trust level an account demands.

An account row never holds its secret: it names the keyring entry (`secret_service`,
`secret_username`) where the app password or access token lives. Adding an account stores the secret
in the keyring first and only then writes the row, so a keyring failure leaves nothing half-made.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlparse

import sqlite_utils

from desktop.errors import GreenlightError, NotFoundError
from desktop.publish import secrets
from desktop.store.database import utcnow
from desktop.store.ids import new_id

PLATFORMS = ("bluesky", "wordpress", "mastodon")
DEFAULT_SERVERS = {"bluesky": "https://bsky.social"}
_COLUMNS = (
    "id, platform, handle, server, min_trust_level, secret_service, secret_username, created, updated,"
    " last_tested, last_test_ok, last_test_message"
)


@dataclass(frozen=True)
class Account:
    id: str
    platform: str
    handle: str
    server: str
    min_trust_level: int
    secret_ref: secrets.SecretRef
    created: str = ""
    updated: str = ""
    last_tested: str | None = None
    last_test_ok: bool | None = None
    last_test_message: str | None = None

    @property
    def name(self) -> str:
        """What people type after `--account`: `platform:handle`."""
        return f"{self.platform}:{self.handle}"

    def as_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "platform": self.platform,
            "handle": self.handle,
            "server": self.server,
            "min_trust_level": self.min_trust_level,
            "last_tested": self.last_tested,
            "last_test_ok": self.last_test_ok,
            "last_test_message": self.last_test_message,
        }


def normalise_server(platform: str, server: str | None) -> str:
    """A server URL with scheme and without a trailing slash; a clear error for anything else."""
    if not server:
        if platform in DEFAULT_SERVERS:
            return DEFAULT_SERVERS[platform]
        raise GreenlightError(f"a {platform} account needs --server URL (for example https://example.org)")
    server = server.strip().rstrip("/")
    if "://" not in server:
        server = "https://" + server
    parsed = urlparse(server)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise GreenlightError(f"--server {server!r} is not an http(s) URL (for example https://example.org)")
    return server


def normalise_handle(platform: str, handle: str) -> str:
    handle = handle.strip()
    if platform in ("bluesky", "mastodon"):
        handle = handle.lstrip("@")
    if not handle or any(c.isspace() for c in handle):
        raise GreenlightError(f"--handle {handle!r} is not a valid {platform} handle (no spaces, not empty)")
    return handle


class AccountStore:
    """Accounts in the profile database; secrets through `desktop.publish.secrets`."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db = db

    # -- reading ---------------------------------------------------------------------------------

    def list(self) -> list[Account]:
        rows = self.db.execute(f"SELECT {_COLUMNS} FROM accounts ORDER BY platform, handle").fetchall()
        return [self._from_row(r) for r in rows]

    def get(self, key: str) -> Account:
        """Find an account by id, by `platform:handle`, or by a handle that only one account has."""
        key = key.strip()
        accounts = self.list()
        for acc in accounts:
            if key in (acc.id, acc.name):
                return acc
        bare = key.lstrip("@")
        matches = [a for a in accounts if a.handle == bare or (len(key) >= 6 and a.id.startswith(key))]
        if len(matches) == 1:
            return matches[0]
        if len(matches) > 1:
            names = ", ".join(a.name for a in matches)
            raise GreenlightError(f"account {key!r} is ambiguous ({names}); name it as platform:handle")
        known = ", ".join(a.name for a in accounts) or "none yet"
        raise NotFoundError(
            f"no publishing account {key!r} (known: {known}); add one with `greenlight accounts add`"
        )

    def secret(self, account: Account) -> str:
        value = secrets.load_secret(account.secret_ref)
        if not value:
            raise GreenlightError(
                f"the keyring has no secret for {account.name}: add it again with `greenlight accounts add "
                f"--platform {account.platform} --handle {account.handle} --server {account.server}`"
            )
        return value

    # -- writing ---------------------------------------------------------------------------------

    def add(
        self,
        platform: str,
        handle: str,
        secret: str,
        *,
        server: str | None = None,
        min_trust_level: int = 0,
    ) -> Account:
        """Add an account, or replace the secret (and settings) of an existing one with the same name."""
        platform = platform.strip().lower()
        if platform not in PLATFORMS:
            raise GreenlightError(f"unknown platform {platform!r}; choose one of {', '.join(PLATFORMS)}")
        handle = normalise_handle(platform, handle)
        server = normalise_server(platform, server)
        if not secret or not secret.strip():
            raise GreenlightError("the secret is empty: paste the app password or access token")
        if not 0 <= min_trust_level <= 4:
            raise GreenlightError(
                f"--min-trust {min_trust_level} is out of range: use 0 (Trainee) to 4 (Lead)"
            )
        existing = self.db.execute(
            "SELECT id FROM accounts WHERE platform = ? AND handle = ? AND server = ?",
            [platform, handle, server],
        ).fetchone()
        account_id = existing[0] if existing else new_id()
        ref = secrets.ref_for(account_id)
        secrets.store_secret(ref, secret.strip())  # raises KeyringUnavailable before any row exists
        now = utcnow()
        with self.db.conn:
            if existing:
                self.db.execute(
                    "UPDATE accounts SET min_trust_level = ?, secret_service = ?, secret_username = ?, updated = ?,"
                    " last_tested = NULL, last_test_ok = NULL, last_test_message = NULL WHERE id = ?",
                    [min_trust_level, ref.service, ref.username, now, account_id],
                )
            else:
                self.db.execute(
                    "INSERT INTO accounts (id, platform, handle, server, min_trust_level, secret_service,"
                    " secret_username, created, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    [
                        account_id,
                        platform,
                        handle,
                        server,
                        min_trust_level,
                        ref.service,
                        ref.username,
                        now,
                        now,
                    ],
                )
        return self.get(account_id)

    def edit(self, key: str, *, min_trust_level: int | None = None, server: str | None = None) -> Account:
        acc = self.get(key)
        if min_trust_level is not None:
            if not 0 <= min_trust_level <= 4:
                raise GreenlightError(
                    f"--min-trust {min_trust_level} is out of range: use 0 (Trainee) to 4 (Lead)"
                )
            self.db.execute(
                "UPDATE accounts SET min_trust_level = ?, updated = ? WHERE id = ?",
                [min_trust_level, utcnow(), acc.id],
            )
        if server is not None:
            self.db.execute(
                "UPDATE accounts SET server = ?, updated = ? WHERE id = ?",
                [normalise_server(acc.platform, server), utcnow(), acc.id],
            )
        return self.get(acc.id)

    def remove(self, key: str) -> Account:
        """Delete the keyring entry and the row. Publish records keep the account's name for history."""
        acc = self.get(key)
        secrets.delete_secret(acc.secret_ref)
        self.db.execute("DELETE FROM accounts WHERE id = ?", [acc.id])
        return acc

    def record_test(self, account: Account, ok: bool, message: str) -> None:
        self.db.execute(
            "UPDATE accounts SET last_tested = ?, last_test_ok = ?, last_test_message = ? WHERE id = ?",
            [utcnow(), int(ok), message, account.id],
        )

    @staticmethod
    def _from_row(row: tuple) -> Account:
        (
            id_,
            platform,
            handle,
            server,
            min_trust,
            service,
            username,
            created,
            updated,
            last_tested,
            last_ok,
            last_msg,
        ) = row
        return Account(
            id=id_,
            platform=platform,
            handle=handle,
            server=server,
            min_trust_level=min_trust,
            secret_ref=secrets.SecretRef(service, username),
            created=created,
            updated=updated,
            last_tested=last_tested,
            last_test_ok=None if last_ok is None else bool(last_ok),
            last_test_message=last_msg,
        )
