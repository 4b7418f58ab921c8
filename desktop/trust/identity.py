"""This profile's signing identity: an Ed25519 key pair whose private half lives only in the OS keyring.

The public half (and the user's display name) is stored in the profile database, because every
event this profile writes names it and `identity show` must work without unlocking the keyring.
The private key never touches SQLite, files, logs or exports: it is read from the keyring at the
moment something is signed. Several profiles on one machine share one OS keyring, so entries are
namespaced per profile (service `greenlight:<profile id>`); the names used are recorded in the
database so a moved profile folder still finds its key.
"""

from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop.errors import GreenlightError
from desktop.trust.events import b64, fingerprint, public_key_text, unb64

KEYRING_USER = "signing-key"
NO_BACKEND_HELP = (
    "no usable OS keyring was found, and Greenlight keeps your private signing key only there. "
    "On Linux install and start a Secret Service (e.g. `sudo apt-get install gnome-keyring` and log in "
    "to a desktop session, or KeePassXC with Secret Service enabled); Windows Credential Manager and "
    "the macOS Keychain work out of the box."
)


class IdentityError(GreenlightError):
    """No identity yet, or its key cannot be reached in the keyring; the message says what to do."""


@dataclass(frozen=True)
class Identity:
    name: str
    public_key: str
    keyring_service: str
    keyring_user: str
    created: str

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    def as_json(self) -> dict:
        return {
            "name": self.name,
            "public_key": self.public_key,
            "fingerprint": self.fingerprint,
            "created": self.created,
            "keyring_service": self.keyring_service,
        }


def keyring_service() -> str:
    from desktop.paths import profile_id

    return f"greenlight:{profile_id()}"


def _backend():
    """The keyring backend, or an IdentityError naming what to install when there is none."""
    import keyring
    from keyring.backends import fail

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # keyring raises assorted errors while probing backends
        raise IdentityError(f"{NO_BACKEND_HELP} ({exc})") from None
    if (
        isinstance(backend, fail.Keyring)
        or type(backend).__name__ == "ChainerBackend"
        and not getattr(backend, "backends", None)
    ):
        raise IdentityError(NO_BACKEND_HELP)
    return backend


def load_identity(db: sqlite_utils.Database) -> Identity | None:
    if "identity" not in db.table_names():
        return None
    row = db.execute(
        "SELECT name, public_key, keyring_service, keyring_user, created FROM identity WHERE id = 1"
    ).fetchone()
    return Identity(*row) if row else None


def require_identity(db: sqlite_utils.Database) -> Identity:
    identity = load_identity(db)
    if identity is None:
        raise IdentityError("this profile has no identity yet: run `greenlight identity init --name NAME`")
    return identity


def create_identity(db: sqlite_utils.Database, name: str) -> Identity:
    """Generate a key pair, store the private key in the keyring first, then record the public key.

    The keyring write comes first so a failure leaves no half-made identity behind.
    """
    from desktop.store.database import utcnow

    name = name.strip()
    if not name:
        raise IdentityError("a name is required: `greenlight identity init --name 'Your Name'`")
    existing = load_identity(db)
    if existing is not None:
        raise IdentityError(
            f"this profile already has an identity ({existing.name}, {existing.fingerprint}). "
            "Replacing it would orphan every approval you signed; use another profile (GREENLIGHT_HOME) instead."
        )
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(
        serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption()
    )
    service = keyring_service()
    backend = _backend()
    try:
        backend.set_password(service, KEYRING_USER, b64(raw))
    except Exception as exc:
        raise IdentityError(
            f"could not store the signing key in the OS keyring ({exc}). {NO_BACKEND_HELP}"
        ) from None
    identity = Identity(name, public_key_text(key.public_key()), service, KEYRING_USER, utcnow())
    with db.conn:
        db.execute(
            "INSERT INTO identity (id, name, public_key, keyring_service, keyring_user, created) "
            "VALUES (1, ?, ?, ?, ?, ?)",
            [identity.name, identity.public_key, service, KEYRING_USER, identity.created],
        )
    return identity


def signing_key(identity: Identity) -> Ed25519PrivateKey:
    """Read the private key from the keyring and check it matches the recorded public key."""
    backend = _backend()
    try:
        secret = backend.get_password(identity.keyring_service, identity.keyring_user)
    except Exception as exc:
        raise IdentityError(
            f"could not read the signing key from the OS keyring ({exc}); is it unlocked?"
        ) from None
    if not secret:
        raise IdentityError(
            f"the signing key for {identity.name} ({identity.fingerprint}) is not in this OS keyring "
            f"(service {identity.keyring_service!r}). Without it this profile cannot sign; restore the keyring "
            "or use a new profile."
        )
    try:
        key = Ed25519PrivateKey.from_private_bytes(unb64(secret))
    except ValueError:
        raise IdentityError(
            f"the keyring entry {identity.keyring_service!r} does not hold an Ed25519 key"
        ) from None
    if public_key_text(key.public_key()) != identity.public_key:
        raise IdentityError(
            f"the key in the OS keyring (service {identity.keyring_service!r}) does not match this profile's "
            f"public key {identity.fingerprint}; it was replaced outside Greenlight"
        )
    return key
