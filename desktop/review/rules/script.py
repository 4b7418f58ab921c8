"""`extends: script`: Vale runs a Tengo program per rule. Greenlight does not embed Tengo.

Running arbitrary scripts from a shared guideline folder inside the editor would also be a risk,
so the rule is loaded as *unsupported*: the loader reports it (file, line, reason) and skips it.
"""

from __future__ import annotations

UNSUPPORTED = (
    "script rules need Vale's Tengo interpreter, which Greenlight does not include; "
    "the rule is skipped (rewrite it as existence/occurrence/metric if you can)"
)
