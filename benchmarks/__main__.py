"""Run every benchmark module (or the ones named): `python -m benchmarks [store review ...]`."""

from __future__ import annotations

import importlib
import os
import sys
import tempfile
from pathlib import Path

from benchmarks.harness import Report


def main(argv: list[str]) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    here = Path(__file__).resolve().parent
    names = argv or sorted(p.stem.removeprefix("bench_") for p in here.glob("bench_*.py"))
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
    print(f"\n{over} result(s) over budget")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
