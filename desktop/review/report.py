"""Findings -> the shapes `greenlight check` prints: Vale's JSON, Greenlight's JSON, readable text."""

from __future__ import annotations

from desktop.review.findings import Finding, Severity
from desktop.review.loader import LoadProblem


def vale_alert(f: Finding) -> dict:
    """One alert exactly as `vale --output JSON` writes it (Span: 1-based code points, end inclusive)."""
    length = max(len(f.match), f.end - f.start)
    end_col = f.column + length - 1 if length > 0 else f.column
    return {
        "Action": {"Name": f.fix.action, "Params": list(f.fix.params) if f.fix.params else None},
        "Span": [f.column, end_col],
        "Check": f.rule,
        "Description": f.description,
        "Link": f.link,
        "Message": f.message,
        "Severity": f.severity.label,
        "Match": f.match,
        "Line": f.line,
    }


def vale_json(results: list[tuple[str, list[Finding]]]) -> dict:
    """`{"<path>": [alert, ...]}` for files with alerts, alerts sorted by line then column (as Vale)."""
    out: dict[str, list[dict]] = {}
    for path, findings in results:
        if findings:
            alerts = sorted((vale_alert(f) for f in findings), key=lambda a: (a["Line"], a["Span"][0]))
            out[path] = alerts
    return out


def greenlight_json(results: list[tuple[str, str, list[Finding]]], problems: list[LoadProblem]) -> dict:
    return {
        "files": [
            {"path": path, "syntax": syntax, "findings": [f.as_json() for f in findings]}
            for path, syntax, findings in results
        ],
        "problems": [
            {"file": p.file, "line": p.line, "rule": p.rule, "message": p.message} for p in problems
        ],
    }


_COLOURS = {Severity.ERROR: "\033[31m", Severity.WARNING: "\033[33m", Severity.SUGGESTION: "\033[36m"}
_RESET, _BOLD, _DIM = "\033[0m", "\033[1m", "\033[2m"


def text_report(results: list[tuple[str, list[Finding]]], *, colour: bool) -> str:
    """A readable report grouped by file, with a one-line summary at the end."""

    def c(code: str, s: str) -> str:
        return f"{code}{s}{_RESET}" if colour else s

    lines: list[str] = []
    totals = {Severity.ERROR: 0, Severity.WARNING: 0, Severity.SUGGESTION: 0}
    files_with = 0
    for path, findings in results:
        if not findings:
            continue
        files_with += 1
        lines.append(c(_BOLD, path))
        width = max(len(f"{f.line}:{f.column}") for f in findings)
        for f in findings:
            totals[f.severity] += 1
            pos = f"{f.line}:{f.column}".ljust(width)
            sev = c(_COLOURS[f.severity], f.severity.label.ljust(10))
            lines.append(f"  {pos}  {sev} {f.message}  {c(_DIM, f.rule)}")
        lines.append("")
    e, w, s = totals[Severity.ERROR], totals[Severity.WARNING], totals[Severity.SUGGESTION]
    checked = len(results)
    if e + w + s == 0:
        lines.append(f"No findings in {checked} file{'s' if checked != 1 else ''}.")
    else:
        lines.append(
            f"{e} error{'s' if e != 1 else ''}, {w} warning{'s' if w != 1 else ''} and "
            f"{s} suggestion{'s' if s != 1 else ''} in {files_with} of {checked} file{'s' if checked != 1 else ''}."
        )
    return "\n".join(lines)
