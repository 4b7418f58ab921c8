"""`python -m desktop` behaves like the `greenlight` command (used by the frozen build too)."""

from desktop.cli import main

raise SystemExit(main())
