"""Greenlight's own guideline pack: it loads cleanly, every rule is documented and tested by its
examples, and the tags the trust policy reads are where they should be."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from desktop.paths import shipped_guidelines
from desktop.review.engine import Engine
from desktop.review.examples import run_examples
from desktop.review.findings import Severity

PACK = shipped_guidelines() / "Greenlight"
RULE_FILES = sorted(PACK.glob("*.yml"))


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine.from_packs([PACK])


def test_pack_loads_without_problems(engine: Engine) -> None:
    assert [str(p) for p in engine.problems] == []
    assert len(engine.rules) == len(RULE_FILES) >= 15


@pytest.mark.parametrize("path", RULE_FILES, ids=lambda p: p.stem)
def test_every_rule_is_documented_and_has_both_kinds_of_example(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert data["message"].strip()
    assert data["level"] in ("suggestion", "warning", "error")
    assert data.get("link") or len(data.get("description", "")) > 40, "needs a link or a real description"
    assert len(data["examples"]["fire"]) >= 1
    assert len(data["examples"]["pass"]) >= 1


def test_every_example_behaves() -> None:
    run = run_examples(shipped_guidelines())
    assert run.problems == []
    assert run.without_examples == []
    assert [f"{r.rule} {r.kind}[{r.number}]: {r.detail}" for r in run.failed] == []
    assert run.passed >= 2 * len(RULE_FILES)


@pytest.mark.parametrize(
    ("rule", "tags"),
    [
        ("Greenlight.Health", {"sensitive"}),
        ("Greenlight.Legal", {"sensitive", "legal"}),
        ("Greenlight.Politics", {"sensitive"}),
        ("Greenlight.Layoffs", {"sensitive"}),
        ("Greenlight.Incidents", {"sensitive"}),
        ("Greenlight.Crisis", {"crisis"}),
        ("Greenlight.AbsoluteClaims", {"legal"}),
        ("Greenlight.SponsoredDisclosure", {"legal"}),
    ],
)
def test_policy_relevant_tags(engine: Engine, rule: str, tags: set[str]) -> None:
    assert tags <= set(engine.rule(rule).tags)


def _found(engine: Engine, text: str) -> dict[str, list]:
    out: dict[str, list] = {}
    for f in engine.check(text, syntax="text"):
        out.setdefault(f.rule, []).append(f)
    return out


def test_a_risky_sponsored_post(engine: Engine) -> None:
    post = "Loving my gifted trainers! Use my code ANNA10, results guaranteed. Questions: anna@example.com"
    found = _found(engine, post)
    assert found["Greenlight.SponsoredDisclosure"][0].severity is Severity.ERROR
    assert found["Greenlight.SponsoredDisclosure"][0].match == "gifted"
    assert "'guaranteed'" in found["Greenlight.AbsoluteClaims"][0].message
    assert found["Greenlight.Email"][0].match == "anna@example.com"
    # Adding the disclosure anywhere in the post clears only that finding.
    fixed = _found(engine, post + " #ad")
    assert "Greenlight.SponsoredDisclosure" not in fixed
    assert "Greenlight.AbsoluteClaims" in fixed


def test_disclosure_counts_across_paragraphs(engine: Engine) -> None:
    found = _found(engine, "#ad\n\nThis trip was sponsored by Sunny Hotels.")
    assert "Greenlight.SponsoredDisclosure" not in found


def test_brand_terms_offer_the_right_spelling(engine: Engine) -> None:
    (finding,) = _found(engine, "Find us on Youtube")["Greenlight.BrandTerms"]
    assert finding.match == "Youtube"
    assert finding.message == "Write 'YouTube', not 'Youtube'."
    assert "YouTube" in finding.fix.suggestions


def test_emoji_overuse_counts_the_whole_post(engine: Engine) -> None:
    assert "Greenlight.EmojiOveruse" not in _found(engine, "Yes 🎉🎉\n\nAnd 🎉🎉🎉")
    assert "Greenlight.EmojiOveruse" in _found(engine, "Yes 🎉🎉🎉\n\nAnd 🎉🎉🎉")


def test_a_calm_ordinary_post_has_no_findings(engine: Engine) -> None:
    post = (
        "Our spring volunteer day is on 12 April. Join us to plant trees in Riverside Park, "
        "bring gloves and a friend. Details: example.org/volunteer #VolunteerDay"
    )
    assert _found(engine, post) == {}
