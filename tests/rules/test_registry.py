"""Rule sets: explicit building, select/ignore by prefix or symbol, plug-ins."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import metadata
from typing import Any

import pytest

from devcycle.errors import ConfigError, PluginError
from devcycle.rules import Hit, RuleSet, Subject, check, meta_of, rule
from devcycle.rules import registry as registry_module


@rule(
    "X901",
    "mentions-unicorns",
    criterion="practice",
    severity="warning",
    message="Mentions unicorns",
    why="Unicorns are not a school priority.",
    fix="Leave them out.",
    bad=["Teach unicorns."],
    good=["Teach fractions."],
)
def mentions_unicorns(subject: Subject) -> Iterator[Hit]:
    """Flag the word 'unicorn'."""
    at = subject.text.lower().find("unicorn")
    if at >= 0:
        yield Hit(span=(at, at + 7))


@rule(
    "X902",
    "preview-thing",
    criterion="practice",
    severity="info",
    message="Preview",
    why="A preview rule.",
    fix="Nothing.",
    status="preview",
)
def preview_thing(subject: Subject) -> Iterator[Hit]:
    """Always fire."""
    yield Hit()


def _codes(rules: RuleSet) -> set[str]:
    return {m.code for m in rules.metas}


def test_rule_only_attaches_metadata() -> None:
    """The decorator returns the same function with its metadata."""
    assert meta_of(mentions_unicorns).symbol == "mentions-unicorns"
    assert "X901" not in _codes(RuleSet.builtin())


def test_select_by_prefix_and_ignore_by_code() -> None:
    """Prefixes pick families; a longer ignore beats a shorter select."""
    rules = RuleSet.builtin().select(["S", "T5"], ignore=["S101"])

    assert _codes(rules) == {"S102", "S103", "S104", "S190", "T501", "T502", "T590"}


def test_longest_match_wins() -> None:
    """A more specific select beats a shorter ignore."""
    rules = RuleSet.builtin().select(["A", "S101"], ignore=["S"])

    assert "S101" in _codes(rules)
    assert "S102" not in _codes(rules)


def test_select_by_symbol() -> None:
    """A symbol selects its rule exactly."""
    assert _codes(RuleSet.builtin().select(["vague-aim"])) == {"S101"}


def test_default_select_leaves_out_preview_rules_unless_named() -> None:
    """Preview rules run only when named by code or symbol."""
    rules = RuleSet([mentions_unicorns, preview_thing])

    assert _codes(rules.select()) == {"X901"}
    assert _codes(rules.select(["X"])) == {"X901"}
    assert _codes(rules.select(["X902"])) == {"X902"}


def test_unknown_selector_is_a_config_error() -> None:
    """A selector that names no rule says which codes exist."""
    with pytest.raises(ConfigError, match="Q9"):
        RuleSet.builtin().select(["Q9"])


def test_codes_are_never_shared() -> None:
    """Two rules with one code cannot be in one set."""
    twin = rule(
        "X901", "other", criterion="practice", severity="info", message="m", why="w.", fix="f."
    )(lambda subject: [])
    with pytest.raises(PluginError, match="X901"):
        RuleSet([mentions_unicorns, twin])


def test_a_code_must_match_its_criterion() -> None:
    """An S code on a time-bound rule is refused."""
    with pytest.raises(ValueError, match="must start with 'T'"):
        rule("S999", "odd", criterion="time_bound", severity="info", message="m", why="w", fix="f")


def test_a_custom_ruleset_runs_in_check() -> None:
    """A rule set built from custom rules is what check runs."""
    result = check("Teach unicorns.", ruleset=RuleSet([mentions_unicorns]))

    assert [f.code for f in result.findings] == ["X901"]
    assert result.findings[0].span == (6, 13)


class _EntryPoint:
    def __init__(self, name: str, value: Any) -> None:
        self.name = name
        self.value = f"tests:{name}"
        self._value = value

    def load(self) -> Any:
        if isinstance(self._value, Exception):
            raise self._value
        return self._value


def test_plugins_come_from_the_entry_point_group(monkeypatch: pytest.MonkeyPatch) -> None:
    """RuleSet.default() adds rules found in the devcycle.rules group."""

    def fake(group: str) -> list[_EntryPoint]:
        assert group == "devcycle.rules"
        return [_EntryPoint("unicorns", mentions_unicorns), _EntryPoint("many", [preview_thing])]

    monkeypatch.setattr(registry_module, "_entry_points", fake)

    assert {"X901", "X902"} <= _codes(RuleSet.default())
    assert "X901" not in _codes(RuleSet.default(plugins=False))


def test_a_broken_plugin_is_a_plugin_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """A plug-in that fails to import is reported by name."""
    monkeypatch.setattr(
        registry_module,
        "_entry_points",
        lambda group: [_EntryPoint("broken", ImportError("no module"))],
    )

    with pytest.raises(PluginError, match="broken"):
        RuleSet.default()


def test_entry_points_are_read_through_importlib_metadata() -> None:
    """With nothing installed in the group, the real lookup finds no plug-in rules."""
    names = {ep.name for ep in metadata.entry_points(group="devcycle.rules")}

    assert {ep.name for ep in registry_module._entry_points("devcycle.rules")} == names
