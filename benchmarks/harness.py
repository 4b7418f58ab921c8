"""A tiny benchmark harness: time a callable, print a table row, keep every result as JSON.

Each `benchmarks/bench_*.py` module defines `run(report: Report) -> None`. Results go to
`benchmarks/results/<module>.json` so changes over time can be compared.
"""

from __future__ import annotations

import json
import platform
import statistics
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"


@dataclass
class Result:
    name: str
    median_ms: float
    p95_ms: float
    min_ms: float
    runs: int
    budget_ms: float | None = None
    unit: str = "ms"
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.budget_ms is None:
            return ""
        return "ok" if self.median_ms <= self.budget_ms else "OVER BUDGET"


@dataclass
class Report:
    module: str
    results: list[Result] = field(default_factory=list)

    def measure(
        self,
        name: str,
        fn: Callable[[], object],
        *,
        runs: int = 30,
        warmup: int = 2,
        budget_ms: float | None = None,
        setup: Callable[[], object] | None = None,
    ) -> Result:
        """Median and p95 wall time of `fn` over `runs` calls (`setup` runs untimed before each)."""
        for _ in range(warmup):
            if setup:
                setup()
            fn()
        times = []
        for _ in range(runs):
            if setup:
                setup()
            t0 = time.perf_counter()
            fn()
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        result = Result(
            name,
            round(statistics.median(times), 3),
            round(times[min(len(times) - 1, int(len(times) * 0.95))], 3),
            round(times[0], 3),
            runs,
            budget_ms,
        )
        self.add(result)
        return result

    def record(
        self, name: str, value: float, *, unit: str = "ms", budget: float | None = None, note: str = ""
    ) -> None:
        """A measured value that is not a simple timing (a size, a peak, a whole-process time)."""
        self.add(Result(name, round(value, 3), round(value, 3), round(value, 3), 1, budget, unit, note))

    def add(self, result: Result) -> None:
        self.results.append(result)
        budget = f"{result.budget_ms:g}" if result.budget_ms is not None else "-"
        print(
            f"  {result.name:<58} {result.median_ms:>10.3f} {result.unit:<3} p95 {result.p95_ms:>10.3f}"
            f"  budget {budget:>6}  {result.verdict}",
            flush=True,
        )

    def save(self) -> Path:
        RESULTS.mkdir(exist_ok=True)
        path = RESULTS / f"{self.module}.json"
        payload = {
            "module": self.module,
            "when": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "machine": {
                "python": platform.python_version(),
                "cpu": platform.processor() or platform.machine(),
            },
            "results": [asdict(r) | {"verdict": r.verdict} for r in self.results],
        }
        path.write_text(json.dumps(payload, indent=2) + "\n")
        return path
