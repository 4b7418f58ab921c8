"""Grammar and spelling: offline spelling of a 280- and a 3,000-character post (the keystroke path,
budget 50 ms like every warning update), the first suggestion for a word (computed on demand),
dictionary load, and the time from `GrammarService.start()` to the first result on the offline path.

LanguageTool itself is not measured here: it cannot run on the build machine (see README).
"""

from __future__ import annotations

import threading
import time

from benchmarks.harness import Report
from desktop.review.grammar import GrammarService, GrammarSettings
from desktop.review.grammar.spelling import HunspellChecker, find_dictionary, forget_loaded_dictionaries
from desktop.review.grammar.textspans import protected_spans
from desktop.review.grammar.vocabulary import vocabulary_of

POST = (
    "Big news from the Greenlight team! 🎉 Our spring festival opens on Saturday in the city park, "
    "with music, food and a recieve-the-volunteers lunch. Bring friends, tag @cityparks and share "
    "#SpringFest2025 photos. Tickets: https://example.org/festival. Questions? mail hello@example.org "
)
VOCABULARY = ["Greenlight", "SpringFest", "[Cc]ity[Pp]arks"]


def _post(length: int) -> str:
    """Exactly `length` characters; the last word may be cut, as while typing."""
    return (POST * (length // len(POST) + 1))[:length]


def run(report: Report) -> None:
    stem = find_dictionary("en-US")
    loaded: list[HunspellChecker] = []
    t0 = time.perf_counter()
    loader = threading.Thread(target=lambda: loaded.append(HunspellChecker(stem, "en-US")))
    loader.start()
    # What the UI thread feels while the dictionary loads on a worker: the longest gap between
    # 1 ms sleeps of this (main) thread.
    longest, last = 0.0, time.perf_counter()
    while loader.is_alive():
        time.sleep(0.001)
        now = time.perf_counter()
        longest, last = max(longest, now - last), now
    report.record(
        "load the en_US Hunspell dictionary (spylls, on a worker)", (time.perf_counter() - t0) * 1000
    )
    # No frame budget: the app loads the dictionary in its grammar helper process (desktop/ui/
    # grammar_host.py), so this stall never reaches the UI thread. It matters to in-process callers.
    report.record(
        "longest stall of another thread in the same process during the load",
        longest * 1000,
        note="the app loads it in a separate process; the UI thread is not affected",
    )
    speller = loaded[0]

    vocabulary = vocabulary_of(VOCABULARY)
    for length in (280, 3000):
        text = _post(length)

        def check(text: str = text) -> None:
            speller.findings(text, vocabulary, protected_spans(text))

        report.measure(f"offline spelling, {len(text)}-char post (cached words)", check, budget_ms=50)
        speller._known.cache_clear()
        report.measure(
            f"offline spelling, {len(text)}-char post (cold word cache)",
            check,
            budget_ms=50,
            setup=speller._known.cache_clear,
            warmup=0,
            runs=10,
        )

    words = iter(
        ["recieve", "definately", "tommorow", "acommodate", "Greenlite", "wierd", "occured", "seperate"]
    )
    report.measure(
        "first suggestion for a misspelled word (uncached)",
        lambda: speller.suggest(next(words)),
        runs=8,
        warmup=0,
    )
    report.measure("suggestion for a word asked before (cached)", lambda: speller.suggest("recieve"))

    # Time to first result on the offline path: start() -> status ready -> findings for a post.
    text = _post(280)

    def first_result() -> None:
        service = GrammarService(GrammarSettings(mode="spelling"))
        service.start()
        status = service.wait_ready(60)
        assert status.kind == "offline-spelling", status
        assert service.check(text, vocabulary=VOCABULARY)
        service.close()

    report.measure(
        "start() to first findings, offline spelling (cold: loads dictionary)",
        first_result,
        runs=5,
        warmup=1,
        setup=forget_loaded_dictionaries,
    )
    report.measure("start() to first findings, offline spelling (dictionary loaded)", first_result, runs=10)

    def start_returns() -> None:
        service = GrammarService(GrammarSettings(mode="spelling"))
        service.start()
        service.close()

    report.measure("start() returns to the caller", start_returns, runs=20, warmup=2, budget_ms=16)
