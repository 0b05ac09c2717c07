"""The objective checker: SMART validation and known bad practice, explained like a linter.

Each rule is one function with its metadata in one place (`rule`); rule sets are built
explicitly (`RuleSet`) and narrowed by code prefix or symbol. `check` runs them over a bare
statement or a structured `devcycle.Objective` with its cycle context.
"""

from devcycle.rules.config import CheckConfig, SetThresholds, load_config
from devcycle.rules.engine import (
    check,
    check_cycle,
    check_many,
    clear_memo,
    default_config,
    default_ruleset,
    reserve_memo,
    set_memo_size,
)
from devcycle.rules.model import (
    SMART,
    Assessment,
    Criterion,
    Finding,
    RuleMeta,
    Severity,
    Status,
)
from devcycle.rules.registry import ENTRY_POINT_GROUP, Rule, RuleSet, meta_of, rule, rules_in
from devcycle.rules.subject import CheckContext, Hit, ObjectiveWords, Reach, Subject
from devcycle.rules.text import Analysis, Lexicons, dates_in

__all__ = [
    "ENTRY_POINT_GROUP",
    "SMART",
    "Analysis",
    "Assessment",
    "CheckConfig",
    "CheckContext",
    "Criterion",
    "Finding",
    "Hit",
    "Lexicons",
    "ObjectiveWords",
    "Reach",
    "Rule",
    "RuleMeta",
    "RuleSet",
    "SetThresholds",
    "Severity",
    "Status",
    "Subject",
    "check",
    "check_cycle",
    "check_many",
    "clear_memo",
    "dates_in",
    "default_config",
    "default_ruleset",
    "load_config",
    "meta_of",
    "reserve_memo",
    "rule",
    "rules_in",
    "set_memo_size",
]
