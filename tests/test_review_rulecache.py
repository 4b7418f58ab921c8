"""The cache of loaded rule packs: a warm start gives the same findings as a cold one, and the
cache is used only while everything it was built from is unchanged."""

from __future__ import annotations

import os
import pickle
import shutil
from pathlib import Path

import pytest

from desktop.paths import shipped_guidelines
from desktop.review import loader, rulecache
from desktop.review.engine import Engine
from tests.conftest import VALE_PACKS

PACKS = ["Microsoft", "Google", "write-good", "proselint", "alex", "Joblint"]
TEXT = (
    "We are thrilled! It is very unique, and obviously you can utilize it. The WHO agreed.\n\n"
    "The the colour and the color. Use my code SAVE10 today. Call 555-123-4567 NOW!!!"
)
MARKDOWN = (
    "# A very unique Heading\n\n- utilize this list item\n\n> obviously a quote\n\nWe are here. " + TEXT
)


@pytest.fixture
def house(tmp_path: Path) -> Path:
    """A small pack of our own, to edit between loads."""
    folder = tmp_path / "House"
    folder.mkdir()
    (folder / "Banned.yml").write_text(
        "extends: existence\nmessage: \"Don't use '%s'.\"\nlevel: error\ntokens: [synergy, leverage]\n",
        encoding="utf-8",
    )
    (folder / "Swap.yml").write_text(
        "extends: substitution\nmessage: \"Use '%s' instead of '%s'.\"\nswap:\n  utilise: use\n",
        encoding="utf-8",
    )
    return folder


class LoadCounter:
    """Counts rule files parsed from YAML (a cache hit parses none)."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.files: list[str] = []
        original = loader.load_rule_file

        def counting(path, pack, **kw):
            self.files.append(Path(path).name)
            return original(path, pack, **kw)

        monkeypatch.setattr(rulecache, "load_rule_file", counting)


def rules_of(findings) -> list[tuple[str, int, str]]:
    return [(f.rule, f.start, f.message) for f in findings]


def test_a_warm_start_reads_no_yaml_and_finds_the_same(tmp_path, monkeypatch):
    dirs = [VALE_PACKS / n / n for n in PACKS] + [shipped_guidelines() / "Greenlight"]
    cache = tmp_path / "cache"
    cold = Engine.from_packs(dirs, cache_dir=cache)
    assert len(list(cache.glob("*.pickle"))) == len(dirs)
    counter = LoadCounter(monkeypatch)
    warm = Engine.from_packs(dirs, cache_dir=cache)
    assert counter.files == []
    assert [r.id for r in warm.rules] == [r.id for r in cold.rules]
    assert warm.problems == cold.problems
    for text, syntax in ((TEXT, "text"), (MARKDOWN, "markdown")):
        found = warm.check(text, syntax=syntax)
        assert len(found) > 10
        assert found == cold.check(text, syntax=syntax)


def test_the_app_keeps_its_cache_in_the_profile(greenlight_home, house):
    Engine.from_packs([house])
    assert [p.name.split("-")[0] for p in (greenlight_home / "cache" / "rules").glob("*.pickle")] == ["House"]


def test_an_edited_rule_file_is_loaded_again(house, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    Engine.from_packs([house], cache_dir=cache)
    (house / "Banned.yml").write_text(
        "extends: existence\nmessage: \"Don't use '%s'.\"\nlevel: error\ntokens: [synergy, paradigm]\n",
        encoding="utf-8",
    )
    counter = LoadCounter(monkeypatch)
    engine = Engine.from_packs([house], cache_dir=cache)
    assert counter.files == ["Banned.yml"]  # the unchanged file still comes from the cache
    assert [f.match for f in engine.check("Our paradigm and our leverage. Please utilise it.")] == [
        "paradigm",
        "utilise",
    ]


def test_a_file_touched_without_changing_size_is_loaded_again(house, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    Engine.from_packs([house], cache_dir=cache)
    path = house / "Swap.yml"
    path.write_text(path.read_text(encoding="utf-8").replace("use\n", "try\n"), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    counter = LoadCounter(monkeypatch)
    engine = Engine.from_packs([house], cache_dir=cache)
    assert counter.files == ["Swap.yml"]
    assert [f.message for f in engine.check("Please utilise it.")] == ["Use 'try' instead of 'utilise'."]


def test_added_and_removed_rule_files_are_noticed(house, tmp_path):
    cache = tmp_path / "cache"
    Engine.from_packs([house], cache_dir=cache)
    (house / "Swap.yml").unlink()
    (house / "Hype.yml").write_text(
        "extends: existence\nmessage: hype\ntokens: [rockstar]\n", encoding="utf-8"
    )
    engine = Engine.from_packs([house], cache_dir=cache)
    assert sorted(r.id for r in engine.rules) == ["House.Banned", "House.Hype"]
    again = Engine.from_packs([house], cache_dir=cache)
    assert sorted(r.id for r in again.rules) == ["House.Banned", "House.Hype"]


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: b"not a pickle at all",
        lambda data: data[: len(data) // 2],  # truncated by a crash mid-write of another tool
        lambda data: pickle.dumps(("greenlight-rule-cache", {"Banned.yml": ((0, 0), "junk", [])})),
        lambda data: pickle.dumps({"some": "other program's data"}),
        lambda data: b"",
    ],
    ids=["garbage", "truncated", "wrong-entries", "foreign", "empty"],
)
def test_a_damaged_cache_is_ignored_and_rebuilt(house, tmp_path, monkeypatch, damage):
    cache = tmp_path / "cache"
    Engine.from_packs([house], cache_dir=cache)
    (target,) = cache.glob("*.pickle")
    target.write_bytes(damage(target.read_bytes()))
    counter = LoadCounter(monkeypatch)
    engine = Engine.from_packs([house], cache_dir=cache)
    assert sorted(counter.files) == ["Banned.yml", "Swap.yml"]
    assert [f.match for f in engine.check("Our synergy! Please utilise it.")] == ["synergy", "utilise"]
    counter.files.clear()
    Engine.from_packs([house], cache_dir=cache)  # rebuilt: the next start is warm again
    assert counter.files == []


def test_a_cache_from_other_engine_code_is_not_used(house, tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    Engine.from_packs([house], cache_dir=cache)
    monkeypatch.setattr(rulecache, "_code_fingerprint", lambda: ("rules.py", 1, 2))
    counter = LoadCounter(monkeypatch)
    Engine.from_packs([house], cache_dir=cache)
    assert sorted(counter.files) == ["Banned.yml", "Swap.yml"]


def test_a_new_vocabulary_is_not_served_from_the_old_cache(house, tmp_path):
    cache = tmp_path / "cache"
    before = Engine.from_packs([house], cache_dir=cache)
    assert [f.match for f in before.check("Our synergy matters.")] == ["synergy"]
    after = Engine.from_packs([house], cache_dir=cache, accept=["synergy"])
    assert [f.rule for f in after.check("Our synergy matters.")] == []


def test_a_moved_pack_is_cached_under_its_new_place(house, tmp_path):
    cache = tmp_path / "cache"
    Engine.from_packs([house], cache_dir=cache)
    moved = tmp_path / "elsewhere" / "House"
    shutil.copytree(house, moved)
    engine = Engine.from_packs([moved], cache_dir=cache)
    assert {r.file for r in engine.rules} == {str(moved / "Banned.yml"), str(moved / "Swap.yml")}


def test_broken_rules_are_still_reported_from_the_cache(house, tmp_path):
    (house / "Broken.yml").write_text(
        "extends: existence\nmessage: x\ntokens: ['(unclosed']\n", encoding="utf-8"
    )
    cache = tmp_path / "cache"
    cold = Engine.from_packs([house], cache_dir=cache)
    warm = Engine.from_packs([house], cache_dir=cache)
    assert [str(p) for p in warm.problems] == [str(p) for p in cold.problems]
    assert any("Broken.yml" in p.file for p in warm.problems)


def test_a_spelling_rule_is_never_served_from_the_cache(tmp_path):
    """It reads dictionary files outside the pack: installing one must take effect at once."""
    pack = tmp_path / "Words"
    pack.mkdir()
    (pack / "Spell.yml").write_text(
        "extends: spelling\nmessage: \"Did you really mean '%s'?\"\ndicpath: dicts\ndictionaries: [house]\n"
        "custom: true\n",
        encoding="utf-8",
    )
    cache = tmp_path / "cache"
    missing = Engine.from_packs([pack], cache_dir=cache)
    assert [r.id for r in missing.rules] == [] and "not found" in str(missing.problems[0])
    dicts = pack / "dicts"
    dicts.mkdir()
    (dicts / "house.aff").write_text("SET UTF-8\n", encoding="utf-8")
    (dicts / "house.dic").write_text("2\nhello\nworld\n", encoding="utf-8")
    installed = Engine.from_packs([pack], cache_dir=cache)
    assert [r.id for r in installed.rules] == ["Words.Spell"]
    assert [f.match for f in installed.check("hello wrold")] == ["wrold"]
    # The rest of the pack is still cached, and not rewritten on every start for its sake.
    (pack / "Hype.yml").write_text(
        "extends: existence\nmessage: hype\ntokens: [rockstar]\n", encoding="utf-8"
    )
    Engine.from_packs([pack], cache_dir=cache)
    (target,) = cache.glob("*.pickle")
    stamp = target.stat().st_mtime_ns
    again = Engine.from_packs([pack], cache_dir=cache)
    assert sorted(r.id for r in again.rules) == ["Words.Hype", "Words.Spell"]
    assert target.stat().st_mtime_ns == stamp


def test_an_unwritable_cache_place_only_costs_speed(house, tmp_path):
    blocker = tmp_path / "cache"
    blocker.write_text("a file where the cache folder would go", encoding="utf-8")
    engine = Engine.from_packs([house], cache_dir=blocker / "rules")
    assert [f.match for f in engine.check("Our synergy!")] == ["synergy"]
