"""A killed app loses nothing it saved: SIGKILL a process in the middle of autosaving, many times."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from desktop.store import DraftStore

# The child autosaves a growing draft as fast as it can and reports each committed revision number.
CHILD = r"""
import sys
from desktop.store import DraftStore
store = DraftStore.open()
draft_id = sys.argv[1]
text = store.get(draft_id).text
i = 0
while True:
    i += 1
    text += f" word{i}"
    rev = store.save(draft_id, text)
    print(rev.number, len(text), flush=True)
"""


def test_sigkill_mid_autosave_never_loses_a_saved_revision(greenlight_home: Path) -> None:
    store = DraftStore.open()
    draft = store.create("Start:")
    store.close()
    reported: dict[int, int] = {}
    for round_no in range(25):
        proc = subprocess.Popen(
            [sys.executable, "-c", CHILD, draft.id], stdout=subprocess.PIPE, text=True, env=os.environ.copy()
        )
        time.sleep(0.05 + (round_no % 5) * 0.03)  # kill at varying points of the save cycle
        proc.send_signal(signal.SIGKILL)
        out, _ = proc.communicate()
        for line in out.splitlines():
            parts = line.split()
            if len(parts) == 2:  # a torn last line means the print, not the commit, was cut
                reported[int(parts[0])] = int(parts[1])
    assert len(reported) > 25, "the child never got to save; the test proves nothing"

    store = DraftStore.open()
    assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    history = {rev.number: rev for rev in store.history(draft.id)}
    for number, length in reported.items():
        assert number in history, f"revision {number} was reported saved but is missing"
        assert len(history[number].text) == length
    # The draft's current text is its newest revision: no torn state between the two tables.
    newest = max(history)
    assert store.get(draft.id).text == history[newest].text
    assert store.get(draft.id).revisions == newest
