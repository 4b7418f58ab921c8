"""Guideline engine budgets (DESIGN.md): all six Vale packs + the shipped guidelines loaded.

280-char post < 2 ms median; 20 KB Markdown < 100 ms; plus a 3,000-char post, a keystroke
re-check of a 3,000-char draft through IncrementalChecker, pack loading cold (YAML) and warm (from
the rule cache), and a whole-process `greenlight check` of one post with a cold and a warm cache.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.harness import Report

REPO = Path(__file__).resolve().parent.parent
VALE_PACKS = REPO.parent / "shared" / "vale-packs"
PACKS = ["Microsoft", "Google", "write-good", "proselint", "alex", "Joblint"]

POST = (
    "We are thrilled to announce our new community garden programme! It is very unique: volunteers "
    "can utilize the tools every Saturday. The WHO says gardening is good for you. "
    "Join us at 10 a.m. and bring a friend. #garden https://example.org/garden"
)
PARAGRAPHS = [
    "Our team has been working on the new release for several months, and we are excited to share it. "
    "The update was designed by a small group of engineers who listened to feedback from customers.",
    "In order to make the most of it, you should obviously read the documentation before you begin. "
    "There are a number of new features, and each one of them has been tested extensively.",
    "It is important to note that the colour scheme has changed; the old color palette is gone. "
    "If you cannot find a setting, please contact support and we will help you as soon as possible.",
]


def pack_dirs() -> list[Path]:
    from desktop.review.settings import shipped_packs

    return [VALE_PACKS / n / n for n in PACKS] + shipped_packs()


def _varied(i: int) -> str:
    """A paragraph that differs from every other one (no two blocks are identical)."""
    sentences = " ".join(PARAGRAPHS).split(". ")
    k = len(sentences)
    picked = [sentences[(i * 3 + j) % k] for j in range(3)]
    return f"In week {i}, " + ". ".join(picked) + f". Ticket {i * 37} is closed."


def markdown_20k() -> str:
    parts = []
    i = 0
    while sum(len(p) for p in parts) < 20_000:
        i += 1
        parts.append(f"## Section {i}: What We Learned\n\n")
        parts.append(_varied(i) + " See `config.yml` and [the guide](https://example.org/g).\n\n")
        parts.append(f"- item {i} is very important\n- another item that was written quickly\n\n")
        parts.append("```python\nprint('very unique code')\n```\n\n")
    return "".join(parts)


def _whole_process(report: Report, tmp: Path, dirs: list[Path], post: str) -> None:
    """`greenlight check` of one post as a new process: with an empty rule cache, then warm.

    Bytecode is cached (in a temporary PYTHONPYCACHEPREFIX) as it is in an installed app; without
    that, a process started with PYTHONDONTWRITEBYTECODE compiles every module first (~0.1 s).
    """
    styles = tmp / "styles"
    styles.mkdir()
    for d in dirs:
        (styles / d.name).symlink_to(d)
    post_file = tmp / "post.txt"
    post_file.write_text(post)
    home = tmp / "home"
    cmd = [
        sys.executable,
        "-m",
        "desktop",
        "check",
        "--styles",
        str(styles),
        "--format",
        "json",
        str(post_file),
    ]
    env = os.environ.copy()
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(tmp / "pycache")
    env["GREENLIGHT_HOME"] = str(home)
    subprocess.run(cmd, capture_output=True, env=env, check=False)  # writes the bytecode cache

    def timed() -> float:
        t0 = time.perf_counter()
        subprocess.run(cmd, capture_output=True, env=env, check=False)
        return (time.perf_counter() - t0) * 1000

    cold = []
    for _ in range(3):
        shutil.rmtree(home / "cache", ignore_errors=True)
        cold.append(timed())
    warm = sorted(timed() for _ in range(7))
    report.record(
        "whole-process `greenlight check`, one post (cold rule cache)",
        sorted(cold)[1],
        note="median of 3",
    )
    report.record(
        "whole-process `greenlight check`, one post (warm rule cache)",
        warm[len(warm) // 2],
        note="median of 7",
    )


def run(report: Report) -> None:
    import regex

    from desktop.review.engine import Engine
    from desktop.review.incremental import IncrementalChecker

    dirs = pack_dirs()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        cache = tmp / "rule-cache"
        # regex.purge(): without it the regex module's own cache makes every load after the first
        # skip compiling, which no new process gets.
        report.measure(
            "load all packs (cold: parse YAML + compile)",
            lambda: Engine.from_packs(dirs, cache_dir=None),
            setup=regex.purge,
            runs=5,
            warmup=1,
        )
        Engine.from_packs(dirs, cache_dir=cache)
        report.measure(
            "load all packs (warm: from the rule cache)",
            lambda: Engine.from_packs(dirs, cache_dir=cache),
            setup=regex.purge,
            runs=10,
            warmup=1,
        )
        post = POST[:280]
        report.measure(
            "warm load + first check of a post (patterns compiled on use)",
            lambda: Engine.from_packs(dirs, cache_dir=cache).check(post),
            setup=regex.purge,
            runs=10,
            warmup=1,
        )
        engine = Engine.from_packs(dirs, cache_dir=cache)
        print(f"  ({len(engine.rules)} rules, {len(engine.problems)} problems)")

        report.measure("check 280-char post (text)", lambda: engine.check(post), runs=200, budget_ms=2)
        long_post = "\n\n".join(_varied(i) for i in range(12))[:3000]
        report.measure("check 3,000-char post (text)", lambda: engine.check(long_post), runs=50)
        md = markdown_20k()
        report.measure(
            "check 20 KB Markdown", lambda: engine.check(md, syntax="markdown"), runs=20, budget_ms=100
        )

        inc = IncrementalChecker(engine)
        inc.check(long_post)
        state = {"n": 0}

        def keystroke() -> None:
            state["n"] += 1
            cut = len(long_post) // 2
            text = long_post[:cut] + "x" * (state["n"] % 7) + long_post[cut:]
            inc.check(text)

        report.measure(
            "keystroke re-check, 3,000-char draft (incremental)", keystroke, runs=100, budget_ms=50
        )
        if engine.quarantined:
            print(f"  (rules stopped for taking too long: {sorted(engine.quarantined)})")
        _whole_process(report, tmp, dirs, post)
