"""One module per Vale rule kind (`extends:`), each compiled once at load time."""

from desktop.review.rules.base import Alert, Budget, Rule, RuleTimeout, Scope
from desktop.review.rules.capitalization import Capitalization
from desktop.review.rules.conditional import Conditional
from desktop.review.rules.consistency import Consistency
from desktop.review.rules.existence import Existence
from desktop.review.rules.metric import Metric
from desktop.review.rules.occurrence import Occurrence
from desktop.review.rules.readability import Readability
from desktop.review.rules.repetition import Repetition
from desktop.review.rules.sequence import Sequence
from desktop.review.rules.spelling import Spelling
from desktop.review.rules.substitution import Substitution

KINDS: dict[str, type[Rule]] = {
    "existence": Existence,
    "substitution": Substitution,
    "occurrence": Occurrence,
    "repetition": Repetition,
    "consistency": Consistency,
    "conditional": Conditional,
    "capitalization": Capitalization,
    "metric": Metric,
    "readability": Readability,
    "spelling": Spelling,
    "sequence": Sequence,
}
EXTENDS = (*KINDS, "script")

__all__ = ["EXTENDS", "KINDS", "Alert", "Budget", "Rule", "RuleTimeout", "Scope"]
