"""Exit codes and the one exception type that carries a user-facing message.

Other tools script `greenlight`, so the exit codes are a contract (see DESIGN.md): keep them stable.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FINDINGS = 1  # `check`: at least one error-level finding
EXIT_USAGE = 2  # usage or input error, message on stderr
EXIT_REFUSED = 3  # refused by the trust policy
EXIT_NETWORK = 4  # network or publishing failure


class GreenlightError(Exception):
    """An error whose message is meant for the user, with the exit code the CLI should return.

    The message should say which file/line/thing is wrong and what to do about it.
    """

    exit_code = EXIT_USAGE

    def __init__(self, message: str, *, exit_code: int | None = None) -> None:
        super().__init__(message)
        if exit_code is not None:
            self.exit_code = exit_code


class NotFoundError(GreenlightError):
    """A draft, account, rule ... that the user named does not exist."""


class PolicyRefusal(GreenlightError):
    """The trust policy refuses the action; the message says why."""

    exit_code = EXIT_REFUSED


class NetworkError(GreenlightError):
    """A network or publishing failure."""

    exit_code = EXIT_NETWORK
