"""Choosing the current version of a shared draft and spotting conflicts, the same on every replica."""

from __future__ import annotations

import hashlib
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.sync.merge import Version, merge


def _v(name: str, base: str | None, text: str | None = None, resolves: tuple[str, ...] = ()) -> Version:
    text = name if text is None else text
    return Version(
        event_id=hashlib.sha256(name.encode()).hexdigest(),
        author="ed25519:x",
        created="2026-01-01T00:00:00Z",
        title="t",
        text=text,
        platforms=(),
        accounts=(),
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        base=hashlib.sha256(base.encode()).hexdigest() if base else None,
        resolves=tuple(hashlib.sha256(r.encode()).hexdigest() for r in resolves),
    )


def test_a_linear_history_has_one_head_and_no_conflict() -> None:
    state = merge([_v("a", None), _v("b", "a"), _v("c", "b")])
    assert state.current.text == "c" and not state.conflicted


def test_two_edits_from_the_same_base_are_a_conflict_keeping_both() -> None:
    state = merge([_v("a", None), _v("b", "a"), _v("c", "a")])
    assert state.conflicted
    assert {h.text for h in state.heads} == {"b", "c"}


def test_the_longer_history_wins_regardless_of_clocks() -> None:
    state = merge([_v("a", None), _v("b", "a"), _v("b2", "b"), _v("c", "a")])
    assert state.current.text == "b2" and {h.text for h in state.heads} == {"b2", "c"}


def test_identical_concurrent_edits_are_not_a_conflict() -> None:
    state = merge([_v("a", None), _v("b", "a", text="same"), _v("c", "a", text="same")])
    assert not state.conflicted and state.current.text == "same"


def test_a_resolution_closes_the_conflict() -> None:
    state = merge([_v("a", None), _v("b", "a"), _v("c", "a"), _v("m", "b", resolves=("c",))])
    assert not state.conflicted and state.current.text == "m"


def test_an_edit_whose_base_has_not_arrived_yet_is_still_shown() -> None:
    state = merge([_v("c", "b")])
    assert state.current.text == "c"


def test_a_long_history_does_not_hit_the_recursion_limit() -> None:
    versions = [_v("0", None)] + [_v(str(i), str(i - 1)) for i in range(1, 5000)]
    assert merge(versions).current.text == "4999"


@st.composite
def histories(draw) -> list[Version]:
    n = draw(st.integers(1, 25))
    out: list[Version] = []
    for i in range(n):
        base = draw(st.sampled_from([None] + [f"v{j}" for j in range(i)])) if i else None
        resolves = (
            tuple(draw(st.lists(st.sampled_from([f"v{j}" for j in range(i)]), max_size=2))) if i else ()
        )
        text = draw(st.sampled_from(["x", "y", "z", f"v{i}"]))
        out.append(_v(f"v{i}", base, text=text, resolves=resolves))
    return out


@settings(max_examples=200, deadline=None)
@given(histories(), st.randoms(use_true_random=False))
def test_every_arrival_order_gives_the_same_current_version_and_heads(history, rnd: random.Random) -> None:
    expected = merge(history)
    shuffled = list(history)
    rnd.shuffle(shuffled)
    got = merge(shuffled + shuffled[: len(shuffled) // 2])  # duplicates arrive too
    assert got == expected
    # Nothing is dropped: every version is either a head or an ancestor of one.
    referenced = {p for v in history for p in v.parents}
    head_ids = {h.event_id for h in expected.heads}
    for v in history:
        assert (
            v.event_id in referenced
            or v.event_id in head_ids
            or v.content in {h.content for h in expected.heads}
        )
