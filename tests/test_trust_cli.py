"""The trust commands as a user runs them: help text everywhere, exit codes, a real subprocess."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desktop.cli import build_parser

if TYPE_CHECKING:
    from tests.fixtures.trust_profiles import Team


TRUST_COMMANDS = (
    "identity",
    "team",
    "submit",
    "approve",
    "reject",
    "withdraw",
    "request-changes",
    "status",
    "pending",
    "events",
    "trust",
)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _check_help(name: str, parser: argparse.ArgumentParser, missing: list[str]) -> None:
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction | argparse._SubParsersAction):
            continue
        if not action.help:
            missing.append(f"{name} {action.dest}")
    for sub_name, sub in _subparsers(parser).items():
        _check_help(f"{name} {sub_name}", sub, missing)


def test_every_trust_command_and_option_has_help() -> None:
    top = _subparsers(build_parser())
    helps = {
        a.dest: a.help
        for a in next(
            a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)
        )._choices_actions
    }
    missing: list[str] = []
    for name in TRUST_COMMANDS:
        assert name in top, f"`greenlight {name}` is not registered"
        assert helps.get(name), f"`greenlight {name}` has no help text"
        _check_help(name, top[name], missing)
    assert missing == []


def test_refusal_exits_3_in_a_real_process(team: Team) -> None:
    people = team.start("Lena", {"Wes": 1})
    writer = people["Wes"]
    draft = writer.new_draft("A post.")
    writer.ok("submit", draft)
    result = writer.run_subprocess("approve", draft)
    assert result.code == 3, result.err
    assert "greenlight: you cannot approve your own post" in result.err
    status = writer.run_subprocess("status", draft, "--format", "json")
    assert status.code == 0 and status.json()["may_publish"] is False


def test_unknown_draft_and_missing_team_are_usage_errors(team: Team) -> None:
    ana = team.profile("Ana")
    ana.init_identity()
    assert ana.run("status", "NOSUCHDRAFT").code == 2
    show = ana.run("team", "show")
    assert show.code == 2 and "team join" in show.err
    draft = ana.new_draft("Hello")
    status = ana.status(draft)
    assert status["may_publish"] is False and "no team roster" in status["reasons"][0]
    join = ana.run("team", "join", "--from", team.base / "nowhere", "--root-key", ana.public_key)
    assert join.code == 2 and "no such folder" in join.err
    empty = team.base / "empty"
    empty.mkdir()
    join = ana.run("team", "join", "--from", empty, "--root-key", ana.public_key)
    assert join.code == 2 and "no roster signed by the root key" in join.err
    bad_key = ana.run("team", "join", "--from", empty, "--root-key", "ed25519:nope")
    assert bad_key.code == 2 and "not an Ed25519 public key" in bad_key.err
