"""Command groups of the `greenlight` CLI, one module each.

Each module defines `register(subparsers)`; the order here is the order in `--help`.
"""

COMMAND_MODULES: tuple[str, ...] = (
    "gui",
    "drafts",
    "check",
    "grammar",
    "count",
    "guidelines",
    "accounts",
    "publish",
    "identity",
    "team",
    "approvals",
    "events",
    "sync",
    "trust",
)
