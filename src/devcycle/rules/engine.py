"""The engine: run a rule set over one objective and turn hits into an `Assessment`."""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import TypeVar

import attrs

from devcycle.domain import CPDActivity, Cycle, Objective, School, StaffMember
from devcycle.errors import Problem, ValidationError
from devcycle.rules.config import CheckConfig
from devcycle.rules.judge import JUDGED
from devcycle.rules.model import SMART, Assessment, Criterion, Finding, RuleMeta, Severity
from devcycle.rules.registry import Rule, RuleSet
from devcycle.rules.subject import CheckContext, Hit, Reach, Subject

__all__ = [
    "MEMO_SIZE",
    "check",
    "check_cycle",
    "check_many",
    "clear_memo",
    "default_config",
    "default_ruleset",
    "reserve_memo",
    "set_memo_size",
]


_ORDER = {criterion: index for index, criterion in enumerate(Criterion)}


@functools.cache
def default_config() -> CheckConfig:
    """Return the configuration used when none is given (built-in lexicons, defaults)."""
    return CheckConfig()


@functools.cache
def _ruleset(select: tuple[str, ...] | None, ignore: tuple[str, ...]) -> RuleSet:
    return RuleSet.default().select(select, ignore)


def default_ruleset(config: CheckConfig | None = None) -> RuleSet:
    """Return the built-in and plug-in rules chosen by *config*'s select and ignore."""
    chosen = config or default_config()
    return _ruleset(chosen.select, chosen.ignore)


def _context(
    context: CheckContext | Cycle | None, objective: Objective | None
) -> CheckContext | None:
    if isinstance(context, Cycle):
        return CheckContext.from_cycle(
            context, objective_id=objective.id if objective is not None else None
        )
    if context is not None and objective is not None:
        return context.without(objective.id)
    return context


def _severity(meta: RuleMeta, config: CheckConfig) -> Severity:
    return config.severities.get(meta.code) or config.severities.get(meta.symbol) or meta.severity


_T = TypeVar("_T")

STATEMENT_HITS_SIZE = 16_384
"""How many statements' (and words') rule findings `check` remembers (see `_statement_hits`)."""

_Found = tuple[tuple[Finding, RuleMeta], ...]
_Rule = tuple[Rule, RuleMeta]
_Entry = tuple[dict[object, tuple[Hit, ...]], tuple[_Found | None, ...]]
_WordsEntry = tuple[dict[object, tuple[Hit, ...]], frozenset[object], _Found, tuple[_Rule, ...]]

_statement_hits: dict[tuple[object, ...], _Entry] = {}
"""What each rule found in a statement, by rule set, statement, role and configuration.

For each rule: its findings if, on that statement, it read neither the structured objective
nor the cycle context (`Subject.run_reach` gives `Reach.STATEMENT`), else None. Those findings
hold for every objective with the same statement, role and configuration, so the same
statement in many people's cycles (a team objective, a trust's template) runs each such rule
once; a rule that read the structure runs for every objective. The first part holds those
rules' hits, for the rules that read other rules' hits. Oldest first out past
`STATEMENT_HITS_SIZE`.
"""

_words_hits: dict[tuple[object, ...], _WordsEntry] = {}
"""As `_statement_hits`, by statement and the objective's words (`Subject.words`) too.

The findings of every rule that read no further than the objective's words (its criteria,
rationale, support, evidence and whether it has a deadline; `Reach.WORDS` or less), and the
rules that read further, to run for each objective. Objectives written from one template (the same
statement and criteria in many people's cycles) run the first once; only rules reading the
cycle or the objective itself (its links, its place in the set) run for each. Also the
hits of the first, and which of them read the words, for the rules that read their hits.
"""


def _found(meta: RuleMeta, hits: tuple[Hit, ...], config: CheckConfig) -> _Found:
    if not hits:  # most rules find nothing
        return ()
    return tuple(
        (
            Finding(
                code=meta.code,
                symbol=meta.symbol,
                criterion=meta.criterion,
                severity=_severity(meta, config),
                message=meta.message.replace("{detail}", hit.detail),
                fix=meta.fix,
                path=hit.path,
                span=hit.span,
            ),
            meta,
        )
        for hit in hits
    )


def _keep(memory: dict[tuple[object, ...], _T], key: tuple[object, ...], entry: _T) -> None:
    if len(memory) >= STATEMENT_HITS_SIZE:
        del memory[next(iter(memory))]
    memory[key] = entry


def _findings(rules: RuleSet, subject: Subject) -> list[tuple[Finding, RuleMeta]]:
    found: list[tuple[Finding, RuleMeta]] = []
    config = subject.config
    pairs = zip(rules.rules, rules.metas, strict=True)
    # A bare statement's whole assessment is remembered by its text (`_assess_memo`): its
    # rules' findings would only be remembered twice.
    if subject.objective is None and subject.context is None:
        for item, meta in pairs:
            found.extend(_found(meta, subject.run(item), config))
        return found
    statement = (rules, subject.text, subject.role, config)
    worded = (statement, subject.words_key)
    try:
        by_words = _words_hits.get(worded)
    except TypeError:  # an unhashable plug-in value somewhere: run without remembering
        for item, meta in pairs:
            found.extend(_found(meta, subject.run(item), config))
        return found
    if by_words is not None:  # every rule that read no further than the words is known
        known, read_words, made_before, further = by_words
        subject.remember(known, read_words)
        found.extend(made_before)  # the order of rules' findings decides nothing (`_weigh`)
        for item, meta in further:
            found.extend(_found(meta, subject.run(item), config))
        return found
    return _run_remembering(rules, subject, statement, worded)


def _run_remembering(
    rules: RuleSet, subject: Subject, statement: tuple[object, ...], worded: tuple[object, ...]
) -> list[tuple[Finding, RuleMeta]]:
    """Run the rules not known by *statement*, remembering by *statement* and by *worded*."""
    found: list[tuple[Finding, RuleMeta]] = []
    config = subject.config
    pairs = zip(rules.rules, rules.metas, strict=True)
    by_statement = _statement_hits.get(statement)
    if by_statement is not None:
        subject.remember(by_statement[0])
    hits: dict[object, tuple[Hit, ...]] = {}
    word_hits: dict[object, tuple[Hit, ...]] = {}
    per_rule: list[_Found | None] = []
    by_words_made: list[tuple[Finding, RuleMeta]] = []
    to_run: list[_Rule] = []
    wordy: set[object] = set()
    for index, (item, meta) in enumerate(pairs):
        made = by_statement[1][index] if by_statement is not None else None
        if made is not None:  # read only the statement: known by it
            reach, seen = Reach.STATEMENT, subject.run(item)
        else:
            seen, reach = subject.run_reach(item)
            made = _found(meta, seen, config)
        found.extend(made)
        per_rule.append(made if reach is Reach.STATEMENT else None)
        if reach is Reach.STRUCTURE:
            to_run.append((item, meta))
            continue
        by_words_made.extend(made)
        word_hits[item] = seen
        if reach is Reach.STATEMENT:
            hits[item] = seen
        else:
            wordy.add(item)
    _keep(
        _words_hits,
        worded,
        (word_hits, frozenset(wordy), tuple(by_words_made), tuple(to_run)),
    )
    if by_statement is None:
        _keep(_statement_hits, statement, (hits, tuple(per_rule)))
    return found


_JUDGED_LABEL = {code: label for label, code in JUDGED.items()}


def _weigh(
    found: list[tuple[Finding, RuleMeta]], rules: RuleSet, *, judged_text: bool = True
) -> tuple[dict[str, bool], bool, list[Finding]]:
    """Decide the verdicts from the findings, letting the judge decide the labels it runs for.

    Where the judge's rule for a label runs, the judge decides that label: a text rule that
    negates a label the judge holds is kept at ``info`` severity (outweighed), and a judged
    finding is left out where a text rule already explains the same negative verdict. Rules
    that read the structure or the cycle (``needs_context``) and rules that apply one of the
    rubric's conventions (``decisive``) are never outweighed.

    The judge holds nothing it did not read: for a blank statement (*judged_text* False)
    it gives no judgement (`judge.judge` returns None), so its rules' silence is not a
    verdict and the text rules decide every label.
    """
    judged = (
        {_JUDGED_LABEL[m.code] for m in rules.metas if m.code in _JUDGED_LABEL}
        if judged_text
        else set()
    )
    against = {_JUDGED_LABEL[m.code] for _f, m in found if m.code in _JUDGED_LABEL}
    explained = {
        name for _f, m in found if m.code not in _JUDGED_LABEL for name in _claims(m)
    } & against
    verdicts = {c.value: True for c in SMART}
    data_target = False
    kept: list[Finding] = []
    for finding, meta in found:
        label = _JUDGED_LABEL.get(meta.code)
        claims = (label,) if label is not None else _claims(meta)
        outweighed = [
            name
            for name in claims
            if label is None
            and name in judged
            and name not in against
            and not meta.needs_context
            and not meta.decisive
        ]
        decides = [name for name in claims if name not in outweighed]
        for name in decides:
            if name == "data_target":
                data_target = True
            else:
                verdicts[name] = False
        if label is not None and label in explained:
            continue
        kept.append(_as_hint(finding, outweighed) if outweighed and not decides else finding)
    return verdicts, data_target, kept


def _claims(meta: RuleMeta) -> tuple[str, ...]:
    """The labels a rule's finding argues against: its criterion, and data target if marked."""
    negated = (meta.negates.value,) if meta.negates is not None else ()
    return (*negated, "data_target") if meta.data_target else negated


def _as_hint(finding: Finding, outweighed: list[str]) -> Finding:
    """A finding the judge outweighed: kept at info, saying so."""
    held = " and ".join(_LABEL_WORDS[name] for name in outweighed)
    return attrs.evolve(
        finding,
        severity=Severity.INFO,
        message=f"{finding.message} (outweighed: the judge holds {held})",
    )


_LABEL_WORDS = {
    "specific": "it specific",
    "measurable": "it measurable",
    "achievable": "it achievable",
    "relevant": "it relevant",
    "time_bound": "it time-bound",
    "data_target": "it is not a bare data target",
}


def check(
    objective_or_text: Objective | str,
    *,
    context: CheckContext | Cycle | None = None,
    ruleset: RuleSet | None = None,
    config: CheckConfig | None = None,
) -> Assessment:
    """Check one objective, SMART-style and for known bad practice, like a linter.

    Text rules read the statement; structure rules read the fields. Where both exist the
    structure wins: a deadline field makes the objective time-bound even if the statement
    has no date, and success criteria or evidence sources make it measurable.

    Args:
        objective_or_text: A bare statement, or a structured `devcycle.Objective`.
        context: The cycle context: a `CheckContext`, or a `devcycle.Cycle` (its period and
            the owner's other objectives are used; build a `CheckContext` with
            `CheckContext.from_cycle` to add the owner, CPD and school too).
        ruleset: The rules to run; default: every stable rule, as *config* selects.
        config: The school's configuration (`load_config`); default: built-in lexicons.

    Returns:
        The assessment: five verdicts, ``data_target`` and every finding.

    Examples:
        >>> result = check("Improve my teaching.")
        >>> result.verdicts["specific"], [f.code for f in result.findings][:2]
        (False, ['S101', 'M201'])

    The check is deterministic and never raises on any string. An empty or blank statement
    is decided by the rules alone (the judge has nothing to read): it is not specific,
    measurable or time-bound.

    Raises:
        ValidationError: If *objective_or_text* is neither text nor an `Objective` (None, a
            number, a list...), naming the argument and what was expected.
    """
    chosen = config or default_config()
    given: object = objective_or_text  # a caller without type checking may pass anything
    if isinstance(given, Objective):
        objective: Objective | None = given
        text = given.statement
    elif isinstance(given, str):
        objective = None
        text = str(given)
    else:
        msg = (
            f"'objective_or_text' must be a statement (text) or an Objective "
            f"(got {type(given).__name__} {given!r})"
        )
        problem = Problem(msg, "$", value=given, expected="text or an Objective")
        raise ValidationError([problem])
    rules = ruleset if ruleset is not None else default_ruleset(chosen)
    scope = _context(context, objective)
    try:
        result = _assess_memo(text, objective, scope, chosen, rules)
    except TypeError:  # an unhashable plug-in value somewhere: check without the memo
        return _assess(text, objective, scope, chosen, rules)
    return attrs.evolve(result, verdicts=dict(result.verdicts))


def _assess(
    text: str,
    objective: Objective | None,
    context: CheckContext | None,
    config: CheckConfig,
    rules: RuleSet,
) -> Assessment:
    subject = Subject(text=text, objective=objective, context=context, config=config)
    found = _findings(rules, subject)
    verdicts, data_target, kept = _weigh(found, rules, judged_text=bool(text.strip()))
    findings = sorted(
        kept,
        key=lambda f: (
            f.path != "$.statement",
            f.path,
            _ORDER[f.criterion],
            f.code,
            f.span or (-1,),
        ),
    )
    return Assessment(
        text=text,
        verdicts=verdicts,
        data_target=data_target,
        findings=tuple(findings),
        objective_id=objective.id if objective is not None else None,
    )


MEMO_SIZE = 8192
"""How many recent results `check` remembers, so that unchanged statements are not re-checked."""

_assess_memo = functools.lru_cache(maxsize=MEMO_SIZE)(_assess)


def set_memo_size(size: int) -> None:
    """Remember up to *size* recent assessments (default `MEMO_SIZE`; 0 remembers none).

    Each remembered assessment takes about 2 KB. A report run again over more objectives
    than the memo holds gains nothing from it (a scan in the same order evicts each result
    before it is needed again), so a process reporting on a large trust may raise it: a
    50-school trust of 6,000 staff holds about 18,000 objectives.

    Raises:
        ValueError: If *size* is negative.
    """
    global _memo_chosen  # noqa: PLW0603 - the memo is this module's one piece of state
    if size < 0:
        msg = f"the memo size must be 0 or more (got {size})"
        raise ValueError(msg)
    _resize(size)
    _memo_chosen = True


MEMO_LIMIT = 131_072
"""The most assessments `reserve_memo` lets the memo grow to (about 100 MB)."""

_memo_chosen = False
"""Whether the application chose the memo's size (`set_memo_size`): then it is never grown."""


def _resize(size: int) -> None:
    global _assess_memo  # noqa: PLW0603 - the memo is this module's one piece of state
    _assess_memo = functools.lru_cache(maxsize=size)(_assess)


def reserve_memo(size: int) -> None:
    """Let the memo remember at least *size* assessments (at most `MEMO_LIMIT`).

    Reports call it with the number of checks a run over their data makes, so that a
    second report over the same trust (the health check after moderation) finds the
    results again: a memo smaller than one run's checks remembers nothing a run in the same
    order needs. It only ever grows the memo (forgetting what it held), and does nothing
    once the application has chosen a size with `set_memo_size`.
    """
    wanted = min(size, MEMO_LIMIT)
    current = _assess_memo.cache_parameters()["maxsize"] or 0
    if not _memo_chosen and wanted > current:
        _resize(wanted)


def clear_memo() -> None:
    """Forget every remembered result: assessments, judgements and text analyses.

    Checking never needs it (every input that could change a result is part of what is
    remembered); it is for benchmarks that measure a first check, and for a process that
    wants the memory back.
    """
    from devcycle.rules import clauses, conventions, judge, set_rules, text  # noqa: PLC0415 - only when asked

    _assess_memo.cache_clear()
    _statement_hits.clear()
    _words_hits.clear()
    set_rules._text_traits.cache_clear()
    judge._judged.cache_clear()
    text._shared.cache_clear()
    text._supporting.cache_clear()
    # The readings of a statement the rules, the judge and the conventions share: a first
    # check reads them afresh too, so a "cold" figure is cold.
    clauses._clauses.cache_clear()
    clauses._signals.cache_clear()
    conventions._leader_result.cache_clear()
    conventions._readings.cache_clear()


"""`_assess` remembered by statement, structure, context, configuration and rules.

Everything in the key is immutable, so a remembered result is exactly what checking again
would give; `functools.lru_cache` is safe to share between threads.
"""


def check_many(
    objectives: Iterable[Objective | str],
    *,
    context: CheckContext | Cycle | None = None,
    ruleset: RuleSet | None = None,
    config: CheckConfig | None = None,
) -> list[Assessment]:
    """Check several objectives with the same context, rules and configuration."""
    return [check(o, context=context, ruleset=ruleset, config=config) for o in objectives]


def check_cycle(
    cycle: Cycle,
    *,
    staff: StaffMember | None = None,
    school: School | None = None,
    cpd: Iterable[CPDActivity] = (),
    ruleset: RuleSet | None = None,
    config: CheckConfig | None = None,
) -> dict[str, Assessment]:
    """Check every objective in *cycle* with its full context, keyed by objective id.

    This is the call for proformas and reports: each objective is checked against the
    cycle's window, the owner's other objectives, role and FTE, the school's priorities and
    objective limit, and the CPD activities linked to it.

    Args:
        cycle: The cycle whose objectives to check.
        staff: The cycle's owner, for role and FTE.
        school: The school, for priorities and its policy's objective limit.
        cpd: CPD activities that may be linked to the objectives.
        ruleset: The rules to run; default as in `check`.
        config: The school's configuration; default as in `check`.

    Returns:
        Objective id -> assessment, in the cycle's order.
    """
    activities = tuple(cpd)
    results: dict[str, Assessment] = {}
    for objective in cycle.objectives:
        context = CheckContext.from_cycle(
            cycle, staff=staff, school=school, cpd=activities, objective_id=objective.id
        )
        results[objective.id] = check(objective, context=context, ruleset=ruleset, config=config)
    return results
