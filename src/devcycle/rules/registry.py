"""Rules: the ``@rule`` decorator, explicit rule sets and select/ignore by code prefix.

``@rule`` only attaches a `RuleMeta` to a function; nothing is registered as a side effect of
importing a module. A `RuleSet` is built explicitly from rule functions: `RuleSet.default()`
takes the built-in rules and any plug-ins in the ``devcycle.rules`` entry-point group.
"""

from __future__ import annotations

import functools
import importlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import attrs

from devcycle.errors import ConfigError, PluginError
from devcycle.rules.model import Criterion, RuleMeta, Severity, Status

if TYPE_CHECKING:
    from devcycle.rules.subject import Hit, Subject

__all__ = [
    "BUILTIN_MODULES",
    "ENTRY_POINT_GROUP",
    "Rule",
    "RuleFunction",
    "RuleSet",
    "meta_of",
    "rule",
    "rules_in",
]

ENTRY_POINT_GROUP = "devcycle.rules"
"""Third-party packages add rules through this entry-point group (see the custom-rule how-to)."""

BUILTIN_MODULES: tuple[str, ...] = (
    "devcycle.rules.specific",
    "devcycle.rules.measurable",
    "devcycle.rules.achievable",
    "devcycle.rules.relevant",
    "devcycle.rules.time_bound",
    "devcycle.rules.practice",
    "devcycle.rules.links",
    "devcycle.rules.set_rules",
    "devcycle.rules.judged",
)
"""The modules that hold the built-in rules, one per criterion (the judge's last)."""

RuleFunction: TypeAlias = "Callable[[Subject], Iterable[Hit]]"
"""What a rule is: a function from the objective being checked to the hits it finds."""


class Rule(Protocol):
    """A rule function with its metadata attached by `rule`."""

    __rule_meta__: RuleMeta

    def __call__(self, subject: Subject, /) -> Iterable[Hit]:
        """Return the hits the rule finds in *subject*."""
        ...


def rule(
    code: str,
    symbol: str,
    *,
    criterion: Criterion | str,
    severity: Severity | str,
    message: str,
    why: str,
    fix: str,
    bad: Sequence[str] = (),
    good: Sequence[str] = (),
    since: str = "0.1.0",
    negates: Criterion | str | None = None,
    data_target: bool = False,
    needs_context: bool = False,
    status: Status | str = Status.STABLE,
    decisive: bool = False,
) -> Callable[[Callable[[Subject], Iterable[Hit]]], Rule]:
    """Attach rule metadata to a function; register nothing.

    Args:
        code: The rule's code ("S101"); see `RuleMeta`.
        symbol: Its kebab-case name ("vague-aim").
        criterion: What it judges.
        severity: Its default severity.
        message: The finding's message; ``{detail}`` is replaced by the hit's detail.
        why: Why it matters.
        fix: How to put it right.
        bad: Objectives it must flag.
        good: Objectives it must accept.
        since: The version that added it.
        negates: The SMART criterion a finding makes false (None: advisory only).
        data_target: Whether a finding marks a bare data target.
        needs_context: Whether it needs a structured objective or cycle context.
        status: Stable, preview or deprecated.
        decisive: Whether the judge's weighing may never outweigh it (see `RuleMeta`).

    Returns:
        A decorator returning the same function with ``__rule_meta__`` set.

    Examples:
        >>> @rule("X901", "says-hello", criterion="practice", severity="info",
        ...       message="says hello", why="Greetings are not objectives.", fix="Remove it.")
        ... def says_hello(subject):
        ...     return []
        >>> says_hello.__rule_meta__.code
        'X901'
    """
    meta = RuleMeta(
        code=code,
        symbol=symbol,
        criterion=Criterion(criterion),
        severity=Severity(severity),
        message=message,
        why=why,
        fix=fix,
        bad=tuple(bad),
        good=tuple(good),
        since=since,
        negates=Criterion(negates) if negates is not None else None,
        data_target=data_target,
        needs_context=needs_context,
        status=Status(status),
        decisive=decisive,
    )

    def decorate(function: Callable[[Subject], Iterable[Hit]]) -> Rule:
        function.__rule_meta__ = meta  # type: ignore[attr-defined]
        return function  # type: ignore[return-value]

    return decorate


def meta_of(function: object) -> RuleMeta:
    """Return the metadata `rule` attached to *function*, or raise `PluginError`."""
    meta = getattr(function, "__rule_meta__", None)
    if not isinstance(meta, RuleMeta):
        msg = f"{function!r} is not a rule: decorate it with @devcycle.rules.rule(...)"
        raise PluginError(msg)
    return meta


def rules_in(module: ModuleType) -> tuple[Rule, ...]:
    """Return the rule functions defined in *module*, in code order."""
    found = [
        value
        for value in vars(module).values()
        if callable(value) and isinstance(getattr(value, "__rule_meta__", None), RuleMeta)
    ]
    return tuple(sorted(found, key=lambda r: meta_of(r).code))


def _entry_points(group: str) -> list[Any]:
    """Return the installed entry points of *group* (importlib.metadata loads only here)."""
    from importlib import metadata  # noqa: PLC0415 - slow to import; needed only for plug-ins

    return list(metadata.entry_points(group=group))


def _plugin_rules() -> list[Rule]:
    rules: list[Rule] = []
    for entry_point in _entry_points(ENTRY_POINT_GROUP):
        try:
            loaded = entry_point.load()
        except Exception as exc:
            msg = f"rule plug-in {entry_point.name!r} ({entry_point.value}) failed to load: {exc}"
            raise PluginError(msg) from exc
        rules.extend(_as_rules(loaded, entry_point.name))
    return rules


def _as_rules(loaded: Any, name: str) -> list[Rule]:
    if isinstance(loaded, ModuleType):
        return list(rules_in(loaded))
    if isinstance(getattr(loaded, "__rule_meta__", None), RuleMeta):
        return [loaded]
    if isinstance(loaded, Iterable):
        items = list(loaded)
        for item in items:
            meta_of(item)
        return items
    msg = f"rule plug-in {name!r} gave {type(loaded).__name__}: expected a rule, rules or a module"
    raise PluginError(msg)


def _matches(selector: str, meta: RuleMeta) -> int:
    """How specifically *selector* names *meta*'s rule: 0 not at all, higher is more specific."""
    if selector == "ALL":
        return 1
    if selector == meta.symbol:
        return 100
    if meta.code.startswith(selector):
        return 1 + len(selector)
    return 0


def _check_selectors(selectors: Iterable[str], metas: Sequence[RuleMeta], option: str) -> None:
    for selector in selectors:
        if selector == "ALL":
            continue
        if not any(_matches(selector, m) for m in metas):
            known = ", ".join(sorted({m.code for m in metas}))
            msg = f"{option}: {selector!r} names no rule (codes: {known})"
            raise ConfigError(msg)


def _to_rules(value: Iterable[Rule]) -> tuple[Rule, ...]:
    return tuple(value)


@attrs.frozen(cache_hash=True)
class RuleSet:
    """An explicit, ordered set of rules to run.

    Build one from rule functions, or take `RuleSet.default()` and narrow it with `select`.

    Attributes:
        rules: The rule functions (decorated with `rule`), in any order.

    Raises:
        PluginError: If two rules share a code or a symbol, or a function is not a rule.
    """

    rules: tuple[Rule, ...] = attrs.field(converter=_to_rules)

    def __attrs_post_init__(self) -> None:
        codes: dict[str, str] = {}
        symbols: dict[str, str] = {}
        for item in self.rules:
            meta = meta_of(item)
            for seen, key in ((codes, meta.code), (symbols, meta.symbol)):
                if key in seen:
                    msg = f"two rules share {key!r}: codes and symbols are never reused"
                    raise PluginError(msg)
                seen[key] = meta.code
        object.__setattr__(self, "rules", tuple(sorted(self.rules, key=lambda r: meta_of(r).code)))

    @classmethod
    def builtin(cls) -> RuleSet:
        """Return every built-in rule, preview ones included (`select` leaves those out)."""
        rules: list[Rule] = []
        for name in BUILTIN_MODULES:
            rules.extend(rules_in(importlib.import_module(name)))
        return cls(rules)

    @classmethod
    def default(cls, *, plugins: bool = True) -> RuleSet:
        """Return the built-in rules plus, if *plugins*, those of installed plug-ins.

        Raises:
            PluginError: If a plug-in fails to load or reuses a code.
        """
        rules = list(cls.builtin().rules)
        if plugins:
            rules.extend(_plugin_rules())
        return cls(rules)

    def __iter__(self) -> Iterator[Rule]:
        return iter(self.rules)

    def __len__(self) -> int:
        return len(self.rules)

    @functools.cached_property
    def metas(self) -> tuple[RuleMeta, ...]:
        """The metadata of every rule, in code order (read once)."""
        return tuple(meta_of(r) for r in self.rules)

    def get(self, code_or_symbol: str) -> Rule:
        """Return the rule with this code or symbol.

        Raises:
            ConfigError: If there is none.
        """
        for item in self.rules:
            meta = meta_of(item)
            if code_or_symbol in (meta.code, meta.symbol):
                return item
        msg = f"no rule {code_or_symbol!r}; run 'devcycle rules' to list them"
        raise ConfigError(msg)

    def select(
        self,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        *,
        extend_select: Iterable[str] = (),
    ) -> RuleSet:
        """Return the rules chosen by code prefix or symbol, like a linter.

        Each rule is judged by the most specific selector that names it, from *select* (or
        every stable rule when *select* is None) plus *extend_select*, and *ignore*: the
        longest match wins (a symbol is the most specific of all); on a tie, ignore wins.
        Preview rules run only when named by their full code or symbol.

        Args:
            select: Codes, prefixes ("S", "M2") or symbols to run; None for the default set.
            ignore: Codes, prefixes or symbols to leave out.
            extend_select: More selectors added to *select* (or to the default set).

        Raises:
            ConfigError: If a selector names no rule.

        Examples:
            >>> rules = RuleSet.builtin().select(["S", "T"], ignore=["S101"])
        """
        metas = self.metas
        chosen_select = ["ALL"] if select is None else list(select)
        chosen_select.extend(extend_select)
        ignored = list(ignore)
        _check_selectors(chosen_select, metas, "select")
        _check_selectors(ignored, metas, "ignore")
        kept: list[Rule] = []
        for item, meta in zip(self.rules, metas, strict=True):
            best_select = max((_matches(s, meta) for s in chosen_select), default=0)
            best_ignore = max((_matches(s, meta) for s in ignored), default=0)
            if best_select == 0 or best_ignore >= best_select:
                continue
            explicit = best_select >= 1 + len(meta.code)
            if meta.status is not Status.STABLE and not explicit:
                continue
            kept.append(item)
        return RuleSet(kept)
