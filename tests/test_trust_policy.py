"""The trust policy file: the shipped defaults, requirements explained in words, validation errors
that name the file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.cli import main
from desktop.review.findings import Finding, Severity
from desktop.trust.policy import PolicyError, load_policy, parse_policy

SHIPPED = Path(__file__).resolve().parent.parent / "guidelines" / "policy.yml"


def finding(severity: Severity, *tags: str) -> Finding:
    return Finding("Pack.Rule", severity, "message", 0, 1, 1, 1, tags=tags)


WARNING, ERROR, SUGGESTION = finding(Severity.WARNING), finding(Severity.ERROR), finding(Severity.SUGGESTION)
SENSITIVE = finding(Severity.SUGGESTION, "sensitive")


@pytest.mark.parametrize(
    ("level", "findings", "approvals"),
    [
        (0, [], 2),
        (1, [], 1),
        (2, [], 0),
        (2, [SUGGESTION], 0),
        (2, [WARNING], 1),
        (2, [SENSITIVE], 1),
        (3, [WARNING], 0),
        (3, [ERROR], 1),
        (3, [SENSITIVE], 1),
        (4, [ERROR, SENSITIVE], 0),
    ],
)
def test_shipped_defaults_match_the_design(level, findings, approvals) -> None:
    assert load_policy(SHIPPED).requirement(level, findings).approvals == approvals


def test_requirement_is_explained_in_words() -> None:
    policy = load_policy(SHIPPED)
    findings = [WARNING, finding(Severity.WARNING, "sensitive"), SUGGESTION]
    assert (
        policy.requirement(2, findings).explain() == "needs 1 approval: 2 warnings remain, 1 tagged sensitive"
    )
    assert (
        policy.requirement(0, []).explain()
        == "needs 2 approvals: every post at level 0 (Trainee) is reviewed"
    )
    assert policy.requirement(4, [ERROR]).explain() == "no approval needed: level 4 (Lead) may publish this"


def test_approvers_must_outrank_the_writer() -> None:
    policy = load_policy(SHIPPED)
    assert [n.min_level for n in policy.requirement(1, []).needs] == [3]
    assert [n.min_level for n in policy.requirement(3, [ERROR]).needs] == [4]


def test_crisis_and_account_minimums() -> None:
    text = SHIPPED.read_text().replace("accounts: {}", "accounts:\n  wordpress:blog: { min_level: 3 }")
    policy = parse_policy(text, "team.yml")
    assert policy.requirement(2, [], ["bluesky:org"]).approvals == 0
    blog = policy.requirement(2, [], ["wordpress:blog"])
    assert blog.approvals == 1 and "account wordpress:blog needs level 3 (Senior)" in blog.explain()
    crisis = policy.requirement(3, [], crisis=True)
    assert [n.min_level for n in crisis.needs] == [4] and "crisis mode" in crisis.explain()
    assert policy.requirement(4, [], crisis=True).approvals == 0


@pytest.mark.parametrize(
    ("old", "new", "marker", "words"),
    [
        (
            "  1: { approved_unchanged: 5",
            "  1: { aproved_unchanged: 5",
            "aproved",
            "unknown key 'aproved_unchanged'",
        ),
        ("    - approvals: 2", "    - approvals: two", "approvals: two", "expected a whole number"),
        (
            "  3:\n",
            "  3:\n    - when: { severity: fatal }\n      approvals: 1\n",
            "fatal",
            "unknown level 'fatal'",
        ),
        ("  4: []\n", "", "requirements:", "level 4 (Lead) has no entry"),
        ("lead_level: 4", "lead_level: 7", "lead_level: 7", "expected one of the defined levels"),
        ("  active: false", "  active: maybe", "active: maybe", "expected true or false"),
        ("  0: Trainee\n", "  0: Trainee\n  - oops\n", "- oops", "not valid YAML"),
    ],
)
def test_invalid_policy_errors_name_file_line_and_fix(old, new, marker, words) -> None:
    text = SHIPPED.read_text()
    assert old in text
    broken = text.replace(old, new, 1)
    line = next(
        i for i, t in enumerate(broken.splitlines(), 1) if marker in t and not t.lstrip().startswith("#")
    )
    with pytest.raises(PolicyError) as err:
        parse_policy(broken, "team-policy.yml")
    message = str(err.value)
    assert message.startswith(f"team-policy.yml line {line}"), message
    assert words in message


def test_policy_check_command(tmp_path: Path, capsys) -> None:
    assert main(["trust", "policy"]) == 0
    assert "valid" in capsys.readouterr().out
    bad = tmp_path / "policy.yml"
    bad.write_text(
        SHIPPED.read_text().replace("must_outrank_author: true", "must_outrank_author: yes please")
    )
    assert main(["trust", "policy", "--check", str(bad)]) == 2
    err = capsys.readouterr().err
    line = next(i for i, t in enumerate(bad.read_text().splitlines(), 1) if "yes please" in t)
    assert f"{bad} line {line}: approvers.must_outrank_author" in err and "true or false" in err


def test_profile_policy_replaces_the_default(greenlight_home: Path) -> None:
    (greenlight_home / "policy.yml").write_text(
        SHIPPED.read_text().replace("    - approvals: 2", "    - approvals: 3")
    )
    assert load_policy().requirement(0, []).approvals == 3
