"""YAML through PyYAML (the ``yaml`` extra), with safe loading only.

Loading is bounded before anything is built: aliases are expanded only in a count, and
may add at most `ALIAS_BUDGET` values (a 400-byte "billion laughs" is refused in
milliseconds), nesting stops at
`devcycle.serialization.MAX_DEPTH`, and an impossible date or an unreadable number is
reported with its line instead of escaping as a Python error.
"""

from __future__ import annotations

from typing import Any, cast

import yaml

from devcycle.errors import ValidationError
from devcycle.serialization import MAX_DEPTH

# Characters YAML treats as line breaks or cannot keep in plain or block style: a string
# holding any of them is written double-quoted, where the emitter escapes them.
_NEEDS_QUOTES = frozenset("\x85\u2028\u2029\r\t\ufeff")


class _Dumper(yaml.SafeDumper):
    """The safe dumper, writing awkward strings double-quoted so they load back unchanged."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if _NEEDS_QUOTES.intersection(value) or value != value.strip():
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')
    return dumper.represent_str(value)


_Dumper.add_representer(str, _represent_str)


class _LimitError(Exception):
    def __init__(self, message: str, mark: Any) -> None:
        super().__init__(message)
        self.mark = mark


ALIAS_BUDGET = 100_000
"""How many more values than it writes out a YAML document may hold through aliases."""


def _alias_growth(root: yaml.Node) -> int:
    """Count the values aliases add to *root* when expanded, without expanding them.

    A node's size is computed once (nodes are shared by aliases), so this is linear in the
    document's text; the walk is iterative, and stops at `MAX_DEPTH`.
    """
    sizes: dict[int, int] = {}
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, False)]
    while stack:
        node, depth, expanded = stack.pop()
        if id(node) in sizes:
            continue
        children: list[yaml.Node] = []
        if isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        elif isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        if not children:
            sizes[id(node)] = 1
            continue
        if depth >= MAX_DEPTH:
            msg = f"nested deeper than {MAX_DEPTH} levels"
            raise _LimitError(msg, node.start_mark)
        if expanded:
            total = 1 + sum(sizes.get(id(child), 1) for child in children)
            sizes[id(node)] = total
            continue
        stack.append((node, depth, True))
        stack.extend((child, depth + 1, False) for child in children if id(child) not in sizes)
    return sizes[id(root)] - len(sizes)


class _Loader(yaml.SafeLoader):
    """The safe loader, refusing alias bombs and deep nesting before building anything."""

    def construct_document(self, node: yaml.Node) -> Any:
        if _alias_growth(node) > ALIAS_BUDGET:
            msg = (
                f"aliases (*name) would add more than {ALIAS_BUDGET:,} values; "
                "write the values out or use fewer aliases"
            )
            raise _LimitError(msg, node.start_mark)
        return super().construct_document(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Refuse a key written twice in one mapping (PyYAML keeps the last silently)."""
        seen: set[str] = set()
        for key_node, _value in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag.endswith(":merge"):
                continue
            if key_node.value in seen:
                msg = f"the key {key_node.value!r} is given twice in one mapping; give each once"
                raise _LimitError(msg, key_node.start_mark)
            seen.add(key_node.value)
        return cast("dict[Any, Any]", super().construct_mapping(node, deep=deep))

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError as exc:
            msg = f"not a real date or time {node.value!r} ({exc})"
            raise _LimitError(msg, node.start_mark) from None

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_int(node)
        except ValueError as exc:
            msg = f"cannot read the number ({str(exc).splitlines()[0]})"
            raise _LimitError(msg, node.start_mark) from None


_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Loader.construct_yaml_timestamp)
_Loader.add_constructor("tag:yaml.org,2002:int", _Loader.construct_yaml_int)


def loads(text: str) -> Any:
    """Parse YAML with the safe loader; raise `ValidationError` with the line on bad input."""
    try:
        return yaml.load(text, Loader=_Loader)  # noqa: S506 - _Loader is a SafeLoader
    except _LimitError as exc:
        where = f" at line {exc.mark.line + 1} column {exc.mark.column + 1}" if exc.mark else ""
        raise ValidationError([f"not valid YAML: {exc}{where} @ $"]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1} column {mark.column + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise ValidationError([f"not valid YAML: {problem}{where} @ $"]) from None
    except RecursionError:
        raise ValidationError(
            [f"not valid YAML: nested deeper than {MAX_DEPTH} levels @ $"]
        ) from None
    except (ValueError, TypeError, OverflowError) as exc:  # a constructor PyYAML left unguarded
        raise ValidationError([f"not valid YAML: {str(exc).splitlines()[0]} @ $"]) from None


def item_lines(text: str, key: str) -> list[int]:
    """Return the line each item of the top-level list (or of the list under *key*) starts on.

    Best effort, for messages: text that does not compose gives an empty list.
    """
    try:
        root = yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError, ValueError):
        return []
    if isinstance(root, yaml.MappingNode):
        for name, value in root.value:
            if getattr(name, "value", None) == key:
                root = value
                break
        else:
            return [root.start_mark.line + 1]
    if isinstance(root, yaml.SequenceNode):
        return [item.start_mark.line + 1 for item in root.value]
    return []


def dumps(data: Any) -> str:
    """Write plain data as block-style YAML, keys in the order given."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False
    )
