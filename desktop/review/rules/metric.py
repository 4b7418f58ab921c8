"""`extends: metric`: evaluate `formula` over document counts and alert when `condition` holds.

Vale evaluates formulas with Tengo; Greenlight evaluates the same arithmetic subset itself (numbers,
the variables Vale defines, `+ - * / %`, parentheses, comparisons, `&& || !` and the `math.` module
functions), parsed once at load and checked against a whitelist, so a rule file can never run code.
Counts are floats, as in Vale. Like Vale, it runs on the summary and reports at line 1, column 1.
"""

from __future__ import annotations

import ast
import math
from dataclasses import dataclass
from typing import Any

import regex

from desktop.review import nlp
from desktop.review.markup import Block
from desktop.review.rules.base import Alert, Budget, Rule, format_message, whitespace_to_space

VARIABLES = [
    "words",
    "sentences",
    "characters",
    "syllables",
    "polysyllabic_words",
    "complex_words",
    "long_words",
    "paragraphs",
    "pre",
    "list",
    "blockquote",
    "heading_h1",
    "heading_h2",
    "heading_h3",
    "heading_h4",
    "heading_h5",
    "heading_h6",
]

_MATH = {
    name: getattr(math, name)
    for name in (
        [
            "sqrt",
            "pow",
            "log",
            "log2",
            "log10",
            "log1p",
            "exp",
            "abs",
            "floor",
            "ceil",
            "trunc",
            "sin",
            "cos",
            "tan",
            "asin",
            "acos",
            "atan",
            "atan2",
            "hypot",
            "min",
            "max",
            "round",
        ]
    )
    if hasattr(math, name)
}
_MATH.update({"abs": abs, "min": min, "max": max, "round": round, "pow": math.pow})
_CONSTS = {"pi": math.pi, "e": math.e, "phi": (1 + 5**0.5) / 2, "sqrt2": math.sqrt(2)}


class FormulaError(ValueError):
    pass


def _tengo_to_python(expr: str) -> str:
    expr = regex.sub(r"heading\.(h[1-6])", r"heading_\1", expr)
    expr = expr.replace("&&", " and ").replace("||", " or ")
    return regex.sub(r"!(?!=)", " not ", expr)


def parse_formula(expr: str) -> ast.Expression:
    try:
        tree = ast.parse(_tengo_to_python(expr.strip()), mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot parse {expr.strip()!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            if node.id not in VARIABLES and node.id != "math":
                raise FormulaError(f"unknown variable {node.id!r}; available: {', '.join(VARIABLES)}")
        elif isinstance(node, ast.Attribute):
            if not (isinstance(node.value, ast.Name) and node.value.id == "math"):
                raise FormulaError("only math.<function> may be used")
            if node.attr not in _MATH and node.attr not in _CONSTS:
                raise FormulaError(f"math.{node.attr} is not available")
        elif not isinstance(
            node,
            ast.Expression
            | ast.BinOp
            | ast.UnaryOp
            | ast.BoolOp
            | ast.Compare
            | ast.Constant
            | ast.Call
            | ast.Load
            | ast.operator
            | ast.unaryop
            | ast.boolop
            | ast.cmpop,
        ):
            raise FormulaError(f"{type(node).__name__} is not allowed in a formula")
        if isinstance(node, ast.Constant) and not isinstance(node.value, int | float):
            raise FormulaError("only numbers may appear as constants")
    return tree


def _eval(node: ast.AST, env: dict[str, float]) -> Any:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant):
        return float(node.value)
    if isinstance(node, ast.Name):
        return env.get(node.id, 0.0)
    if isinstance(node, ast.Attribute):
        return _CONSTS[node.attr] if node.attr in _CONSTS else _MATH[node.attr]
    if isinstance(node, ast.Call):
        fn = _eval(node.func, env)
        return float(fn(*[_eval(a, env) for a in node.args]))
    if isinstance(node, ast.UnaryOp):
        v = _eval(node.operand, env)
        if isinstance(node.op, ast.USub):
            return -v
        if isinstance(node.op, ast.Not):
            return not v
        return v
    if isinstance(node, ast.BoolOp):
        vals = [_eval(v, env) for v in node.values]
        return all(vals) if isinstance(node.op, ast.And) else any(vals)
    if isinstance(node, ast.Compare):
        left = _eval(node.left, env)
        for op, comp in zip(node.ops, node.comparators, strict=True):
            right = _eval(comp, env)
            ok = {
                ast.Gt: left > right,
                ast.GtE: left >= right,
                ast.Lt: left < right,
                ast.LtE: left <= right,
                ast.Eq: left == right,
                ast.NotEq: left != right,
            }.get(type(op))
            if not ok:
                return False
            left = right
        return True
    if isinstance(node, ast.BinOp):
        a, b = _eval(node.left, env), _eval(node.right, env)
        op = node.op
        if isinstance(op, ast.Add):
            return a + b
        if isinstance(op, ast.Sub):
            return a - b
        if isinstance(op, ast.Mult):
            return a * b
        if isinstance(op, ast.Div | ast.FloorDiv):
            if b == 0:  # Go float division: ±Inf or NaN, never an exception
                return math.nan if a == 0 else math.copysign(math.inf, a)
            return a / b
        if isinstance(op, ast.Mod):
            return math.fmod(a, b) if b else math.nan
        if isinstance(op, ast.Pow):
            return a**b
    raise FormulaError(f"cannot evaluate {type(node).__name__}")


@dataclass
class Metric(Rule):
    formula: str = ""
    condition: str = ""

    def compile(self) -> None:
        self.formula_ast = parse_formula(self.formula)
        if not self.condition.strip():
            raise FormulaError("condition is empty; write e.g. '> 8.0'")
        self.condition_ast = parse_formula("0.0 " + self.condition)

    def value(self, env: dict[str, float]) -> float:
        return float(_eval(self.formula_ast, env))

    def run(self, block: Block, state: dict[str, Any], budget: Budget) -> list[Alert]:
        st = state.get("stats") or nlp.stats(block.text)
        state["stats"] = st
        if st.words == 0:
            return []
        env = {v: 0.0 for v in VARIABLES} | st.as_variables()
        for name, n in state.get("counts", {}).items():
            env[name.replace(".", "_")] = float(n)
        try:
            res = self.value(env)
        except (OverflowError, ValueError, TypeError):
            return []
        cond = self.condition_ast.body
        assert isinstance(cond, ast.Compare)
        probe = ast.Expression(ast.Compare(ast.Constant(res), cond.ops, cond.comparators))
        if math.isnan(res) or not _eval(probe, env):
            return []
        msg = whitespace_to_space(format_message(self.message, f"{res:.2f}"))
        return [Alert(0, 0, msg, "", self.action.name, self.action.params, document=True)]
