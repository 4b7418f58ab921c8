"""PyInstaller runtime hook: let the frozen `greenlight` stand in for `python -m desktop.<module>`.

Parts of the app run helpers in a fresh child process with `[sys.executable, "-m", module, ...]`
(e.g. the live review's checker, desktop.ui.child_process). In a frozen build `sys.executable` is
the `greenlight` binary, which would parse `-m` as a CLI option and fail, so the helper never
starts. This hook runs before the app's entry point and, for `-m desktop.<module>`, runs that
module as `__main__` instead, with the same arguments a real interpreter would give it. Only the
app's own modules are accepted.
"""

import runpy
import sys

if len(sys.argv) >= 3 and sys.argv[1] == "-m" and sys.argv[2].startswith("desktop."):
    _module = sys.argv[2]
    sys.argv = [sys.argv[0], *sys.argv[3:]]
    runpy.run_module(_module, run_name="__main__", alter_sys=True)
    raise SystemExit(0)
