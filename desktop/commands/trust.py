"""`greenlight trust ...`: the trust report (per writer, over time, promotion suggestions) and the policy."""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.commands.io import print_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("trust", help="trust report per writer, and the trust policy")
    parser.set_defaults(func=lambda args: parser.print_help() or 2)
    cmds = parser.add_subparsers(dest="trust_command", metavar="ACTION")

    p = cmds.add_parser("report", help="per writer: posts approved unchanged, changes requested, promotions")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format")
    p.set_defaults(func=_report)

    p = cmds.add_parser("policy", help="show the trust policy in force, or check a policy file")
    p.add_argument("--check", type=Path, metavar="FILE", help="validate this policy file instead")
    p.set_defaults(func=_policy)


def _report(args: argparse.Namespace) -> int:
    from desktop.paths import database_path
    from desktop.store.database import open_database
    from desktop.trust.ledger import Ledger
    from desktop.trust.report import build_report

    writers = build_report(Ledger(open_database(database_path())))
    if args.format == "json":
        print_json({"writers": [w.as_json() for w in writers]})
        return 0
    if not writers:
        print("no writers yet (join or start a team first)")
    for w in writers:
        t = w.totals
        level = f"level {w.level}" if w.level is not None else "not in roster"
        hours = w.median_hours_to_approval
        print(
            f"{w.name} ({level}): {t.submitted} submitted, {t.approved_unchanged} approved unchanged, "
            f"{t.changes_requested} changes requested, {t.warnings_acknowledged} warnings acknowledged, "
            f"{t.published} published" + (f", median {hours} h to approval" if hours is not None else "")
        )
        if w.suggestion:
            print(f"  suggestion: {w.suggestion}")
    return 0


def _policy(args: argparse.Namespace) -> int:
    from desktop.trust.policy import load_policy, policy_path

    path = args.check or policy_path()
    policy = load_policy(path)
    print(f"{path}: valid")
    for level, name in sorted(policy.levels.items()):
        rules = policy.requirements[level]
        if not rules:
            text = "publishes freely"
        else:
            parts = []
            for r in rules:
                cond = []
                if r.severity is not None:
                    cond.append(f"a {r.severity.label} or worse remains")
                if r.tags:
                    cond.append(f"a finding tagged {'/'.join(r.tags)} remains")
                parts.append(f"{r.approvals} approval(s)" + (f" when {' and '.join(cond)}" if cond else ""))
            text = "; ".join(parts)
        print(f"  {level} {name}: {text}")
    print(
        f"  approvers: {policy.level_name(policy.approver_min_level)} or above"
        + (", and above the writer" if policy.must_outrank_author else "")
    )
    if policy.approval_expiry_hours:
        print(f"  approvals expire after {policy.approval_expiry_hours:g} hours")
    for account, level in sorted(policy.account_min_levels.items()):
        print(f"  account {account}: {policy.level_name(level)} to publish unapproved")
    return 0
