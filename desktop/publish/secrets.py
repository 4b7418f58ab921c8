"""Publishing secrets (app passwords, access tokens) in the OS keyring, and nowhere else.

The database only records *which* keyring entry holds an account's secret (service + user name). The
service name carries the profile id, because several Greenlight profiles on one machine share one OS
keyring and must not read each other's tokens. Backends that are not a real OS keyring (the plaintext
and "encrypted file" backends of keyrings.alt, the null and fail backends) are refused: writing a
token to a file next to the database is exactly what this module exists to prevent.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass

from desktop.errors import GreenlightError

# Backends that store secrets in the operating system's own protected store.
_OS_BACKENDS = {
    "keyring.backends.SecretService.Keyring",
    "keyring.backends.libsecret.Keyring",
    "keyring.backends.kwallet.DBusKeyring",
    "keyring.backends.kwallet.DBusKeyringKWallet4",
    "keyring.backends.macOS.Keyring",
    "keyring.backends.Windows.WinVaultKeyring",
}

INSTALL_HINT = (
    "Greenlight keeps publishing passwords and tokens only in the operating system's keyring, and none "
    "is available here. On Debian/Ubuntu install and unlock GNOME Keyring: `sudo apt-get install "
    "gnome-keyring libsecret-1-0 dbus-user-session`, then log out and in (a D-Bus session must be "
    "running). On KDE use KWallet (`sudo apt-get install kwalletmanager`). On macOS and Windows the "
    "system keychain / Credential Manager is used automatically. The secret was not stored anywhere."
)


class KeyringUnavailable(GreenlightError):
    """No usable OS keyring: the message says exactly what to install."""


@dataclass(frozen=True)
class SecretRef:
    """Where a secret lives in the keyring. This, not the secret, is what the database stores."""

    service: str
    username: str


def service_name() -> str:
    """`greenlight:<profile id>`: one keyring namespace per profile."""
    from desktop.paths import profile_id

    return f"greenlight:{profile_id()}"


def ref_for(account_id: str) -> SecretRef:
    return SecretRef(service=service_name(), username=f"account:{account_id}")


def _backend():
    """The active keyring backend, refusing anything that is not an OS keyring."""
    import keyring
    from keyring.backends import chainer

    try:
        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring configuration must not crash `accounts add`
        raise KeyringUnavailable(f"{INSTALL_HINT} (keyring said: {exc})") from None
    candidates = backend.backends if isinstance(backend, chainer.ChainerBackend) else [backend]
    names = [f"{type(b).__module__}.{type(b).__name__}" for b in candidates]
    if not any(name in _OS_BACKENDS for name in names):
        found = ", ".join(names) or "none"
        raise KeyringUnavailable(f"{INSTALL_HINT} (backend found: {found})")
    return backend


def _call(action: str, fn, *args):
    from keyring.errors import KeyringError

    try:
        return fn(*args)
    except KeyringError as exc:
        locked = "locked" in type(exc).__name__.lower() or "locked" in str(exc).lower()
        if locked:
            raise KeyringUnavailable(
                f"the OS keyring is locked, so the secret could not be {action}: unlock it (log in to your "
                "desktop session or open your keyring manager) and try again"
            ) from None
        raise KeyringUnavailable(
            f"{INSTALL_HINT} (keyring error while it was being {action}: {exc})"
        ) from None
    except Exception as exc:  # D-Bus failures surface as library-specific exceptions
        raise KeyringUnavailable(
            f"{INSTALL_HINT} (keyring error while it was being {action}: {exc})"
        ) from None


def store_secret(ref: SecretRef, secret: str) -> None:
    backend = _backend()
    _call("stored", backend.set_password, ref.service, ref.username, secret)


def load_secret(ref: SecretRef) -> str | None:
    backend = _backend()
    return _call("read", backend.get_password, ref.service, ref.username)


def delete_secret(ref: SecretRef) -> None:
    """Remove the entry; an entry that is already gone is not an error (removal must still succeed)."""
    from keyring.errors import PasswordDeleteError

    backend = _backend()

    def _delete() -> None:
        with contextlib.suppress(PasswordDeleteError):
            backend.delete_password(ref.service, ref.username)

    _call("deleted", _delete)


def check_available() -> str:
    """Name the keyring backend in use, or raise KeyringUnavailable with the install hint."""
    backend = _backend()
    return f"{type(backend).__module__}.{type(backend).__name__}"
