"""Run every benchmark module (or the ones named): `python -m benchmarks [store review ...]`."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Report


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    here = Path(__file__).resolve().parent
    names = argv or sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
    if len(names) > 1:
        # One process per module: memory and start-up figures must not include what an earlier
        # module loaded (a 100,000-event sync inflated the UI's RSS six-fold that way).
        failed = 0
        for name in names:
            failed += subprocess.run([sys.executable, "-m", "benchmarks", name]).returncode != 0
        return 1 if failed else 0
    over = 0
    for name in names:
        module = importlib.import_module(f"benchmarks.bench_{name}")
        print(f"\n== {name} ==")
        report = Report(name)
        with tempfile.TemporaryDirectory(prefix=f"greenlight-bench-{name}-") as home:
            os.environ["GREENLIGHT_HOME"] = home
            module.run(report)
        path = report.save()
        over += sum(1 for r in report.results if r.verdict == "OVER BUDGET")
        print(f"  -> {path.relative_to(here.parent)}")
    print(f"\n{over} result(s) over budget in {', '.join(names)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
