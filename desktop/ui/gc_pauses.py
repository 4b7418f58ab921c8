"""Keep Python's cyclic garbage collector from pausing the UI thread while the writer types.

A full (generation 2) collection walks every tracked object of the process; with Qt, PySide6 and
the app loaded that is hundreds of thousands of objects and takes 10-25 ms, on whichever thread
happened to allocate: often the UI thread, in the middle of typing (measured by the
`longest UI-thread block` benchmark). Almost all of those objects live as long as the app, so
once the window is up they are moved to the permanent generation (`gc.freeze()`), which the
collector never walks again; collections then only look at what was allocated since. Garbage
is still collected as before: nothing is disabled.
"""

from __future__ import annotations

import gc


def settle() -> None:
    """The long-lived objects are in place (window built, drafts listed, engine info received):
    exclude them from future collections. Cheap (no collection runs), safe to call repeatedly."""
    gc.freeze()
