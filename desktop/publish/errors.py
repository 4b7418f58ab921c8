"""What can go wrong when publishing, in words a writer understands, and whether waiting helps.

Publishers translate their library's exceptions into `PublishError` with a `kind`; the outbox uses
`retryable` to decide between "wait and try again" and "needs you" (a new password, a shorter text).
"""

from __future__ import annotations

from desktop.errors import EXIT_NETWORK, GreenlightError

# kind -> retry on its own?  (network trouble and rate limits pass; the others need the user)
KINDS = {
    "offline": True,  # could not reach the server at all
    "server": True,  # the server failed (5xx) or the answer was lost
    "rate_limited": True,
    "auth": False,  # app password / token wrong, revoked or expired
    "too_long": False,
    "media_rejected": False,
    "rejected": False,  # the platform refused the post for another stated reason
}


class PublishError(GreenlightError):
    """A publishing failure with a plain-language message, a kind and an optional retry delay."""

    exit_code = EXIT_NETWORK

    def __init__(self, message: str, *, kind: str = "server", retry_after: float | None = None) -> None:
        super().__init__(message)
        if kind not in KINDS:
            raise ValueError(f"unknown publish error kind {kind!r}")
        self.kind = kind
        self.retry_after = retry_after

    @property
    def retryable(self) -> bool:
        return KINDS[self.kind]
