"""Standards frameworks from 1EdTech CASE (Competencies and Academic Standards Exchange) JSON.

CASE is how many publishers and ministries exchange standards frameworks: a package holds
one ``CFDocument`` (the framework), its ``CFItems`` (the standards) and ``CFAssociations``
between them, of which ``isChildOf`` gives the hierarchy. `framework_from_case` turns such a
package into a devcycle `Framework`, so that objectives can be tagged with any published
framework under the licence its publisher gives.

Mapping:
    - a standard's id is the item's ``humanCodingScheme`` ("1.2", "TS3") where every item
      has a distinct one that devcycle's id rule accepts, else the item's ``identifier``;
    - its title is the ``abbreviatedStatement``, or the ``fullStatement``; its text the
      ``fullStatement``;
    - its parent comes from the ``isChildOf`` association whose origin it is (an item that
      is a child of the document itself is a top-level standard);
    - standards are listed parents first, siblings by ``sequenceNumber``, then
      ``listEnumeration``, then coding scheme.

Examples:
    >>> package = {
    ...     "CFDocument": {"identifier": "d1", "title": "Reading", "creator": "Us"},
    ...     "CFItems": [
    ...         {"identifier": "i1", "humanCodingScheme": "R1", "fullStatement": "Fluency"},
    ...         {"identifier": "i2", "humanCodingScheme": "R1.1", "fullStatement": "Pace"},
    ...     ],
    ...     "CFAssociations": [
    ...         {"associationType": "isChildOf", "originNodeURI": {"identifier": "i1"},
    ...          "destinationNodeURI": {"identifier": "d1"}},
    ...         {"associationType": "isChildOf", "originNodeURI": {"identifier": "i2"},
    ...          "destinationNodeURI": {"identifier": "i1"}},
    ...     ],
    ... }
    >>> fw = framework_from_case(package, framework_id="our-reading")
    >>> [(s.id, s.parent_id) for s in fw.standards]
    [('R1', None), ('R1.1', 'R1')]
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from devcycle.domain.standards import Framework, Standard
from devcycle.errors import ValidationError
from devcycle.serialization import unique_keys

__all__ = ["MAX_ITEMS", "framework_from_case", "load_case"]

MAX_ITEMS = 50_000
"""The most items a package may hold (a national framework has a few thousand)."""

MAX_BYTES = 50 * 1024 * 1024
"""The largest CASE file `load_case` reads."""

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@/+-]{0,127}$")
_TITLE_LIMIT = 300


def _text(value: object) -> str:
    return value.strip() if isinstance(value, str) else ""


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")[:100]
    return slug or "case-framework"


def _node_id(node: object) -> str:
    if isinstance(node, Mapping):
        return _text(node.get("identifier"))
    return ""


def _sort_key(item: Mapping[str, Any], sequence: int | None) -> tuple[Any, ...]:
    enumeration = _text(item.get("listEnumeration"))
    number = int(enumeration) if enumeration.isdigit() else None
    return (
        sequence if sequence is not None else 10**9,
        number if number is not None else 10**9,
        enumeration,
        _text(item.get("humanCodingScheme")),
    )


def framework_from_case(
    package: Mapping[str, Any],
    *,
    framework_id: str | None = None,
    source: str = "CASE package",
) -> Framework:
    """Return the framework a CASE package describes.

    Args:
        package: The parsed JSON of a CASE package (``CFDocument``, ``CFItems``,
            ``CFAssociations``), or of an object holding one under ``CFPackage``.
        framework_id: The registry name to give it; default: a slug of its title.
        source: How to name the package in errors (its file name, say).

    Raises:
        ValidationError: Naming every problem with its ``$.CFItems[i]`` path: a missing
            document or title, items without identifiers or statements, repeated
            identifiers, a parent that is not in the package, or a loop of parents.
    """
    if isinstance(package.get("CFPackage"), Mapping):
        package = package["CFPackage"]
    document = package.get("CFDocument")
    if not isinstance(document, Mapping):
        raise ValidationError(["expected a CFDocument object @ $.CFDocument"], source=source)
    problems: list[str] = []
    title = _text(document.get("title"))
    if not title:
        problems.append("the framework needs a title @ $.CFDocument.title")
    items = _items(_listed(package, "CFItems", source), problems)
    links = _listed(package, "CFAssociations", source)
    parents, sequence = _hierarchy(links, items, _text(document.get("identifier")), problems)
    if problems:
        raise ValidationError(problems, source=source)
    licence = document.get("licenseURI")
    licence_title = _text(licence.get("title")) if isinstance(licence, Mapping) else ""
    return Framework(
        id=framework_id or _slug(title),
        title=title,
        publisher=_text(document.get("publisher")) or _text(document.get("creator")),
        version=_text(document.get("version")),
        licence=licence_title or "unknown",
        source=_text(document.get("officialSourceURL")) or _text(document.get("uri")) or source,
        standards=_ordered(items, parents, sequence, source),
        attribution=_text(document.get("notes")),
    )


def _listed(package: Mapping[str, Any], key: str, source: str) -> Sequence[Any]:
    value = package.get(key, [])
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise ValidationError([f"expected a list @ $.{key}"], source=source)
    if len(value) > MAX_ITEMS:
        msg = f"at most {MAX_ITEMS:,} entries are read (got {len(value):,}) @ $.{key}"
        raise ValidationError([msg], source=source)
    return value


def _items(raw: Sequence[Any], problems: list[str]) -> dict[str, Mapping[str, Any]]:
    """The package's items by identifier; every unusable one is a problem with its path."""
    items: dict[str, Mapping[str, Any]] = {}
    for index, item in enumerate(raw):
        where = f"$.CFItems[{index}]"
        if not isinstance(item, Mapping):
            problems.append(f"expected an object @ {where}")
            continue
        ident = _text(item.get("identifier"))
        if not _ID.match(ident):
            rule = "letters, digits, -_.:@/+"
            problems.append(f"expected an identifier ({rule}) @ {where}.identifier")
        elif ident in items:
            problems.append(f"identifier {ident!r} is used by two items @ {where}.identifier")
        elif not _text(item.get("fullStatement")) and not _text(item.get("abbreviatedStatement")):
            problems.append(f"expected a fullStatement @ {where}.fullStatement")
        else:
            items[ident] = item
    return items


def _hierarchy(
    links: Sequence[Any],
    items: Mapping[str, Mapping[str, Any]],
    document_id: str,
    problems: list[str],
) -> tuple[dict[str, str | None], dict[str, int | None]]:
    """Each item's parent (None: top level) and its sequence number among its siblings."""
    parents: dict[str, str | None] = dict.fromkeys(items)
    sequence: dict[str, int | None] = dict.fromkeys(items)
    for index, link in enumerate(links):
        if not isinstance(link, Mapping) or link.get("associationType") != "isChildOf":
            continue
        child = _node_id(link.get("originNodeURI"))
        parent = _node_id(link.get("destinationNodeURI"))
        if child not in items:
            continue
        if parent in items:
            parents[child] = parent
        elif parent == document_id or not parent:
            parents[child] = None
        else:
            where = f"$.CFAssociations[{index}]"
            missing = f"item {child!r} names a parent {parent!r} not in the package"
            problems.append(f"{missing} @ {where}")
        number = link.get("sequenceNumber")
        if isinstance(number, int) and not isinstance(number, bool):
            sequence[child] = number
    return parents, sequence


def _ordered(
    items: Mapping[str, Mapping[str, Any]],
    parents: Mapping[str, str | None],
    sequence: Mapping[str, int | None],
    source: str,
) -> tuple[Standard, ...]:
    """The standards, parents first and siblings in order, with devcycle ids."""
    codes = [_text(item.get("humanCodingScheme")) for item in items.values()]
    use_codes = all(_ID.match(code) for code in codes) and len(set(codes)) == len(codes)
    own_id = {
        ident: (_text(item.get("humanCodingScheme")) if use_codes else ident)
        for ident, item in items.items()
    }
    children: dict[str | None, list[str]] = {}
    for ident, parent in parents.items():
        children.setdefault(parent, []).append(ident)
    for siblings in children.values():
        siblings.sort(key=lambda i: _sort_key(items[i], sequence[i]))
    ordered: list[Standard] = []
    stack = list(reversed(children.get(None, [])))
    while stack:
        ident = stack.pop()
        full = _text(items[ident].get("fullStatement"))
        heading = _text(items[ident].get("abbreviatedStatement")) or full
        parent = parents[ident]
        ordered.append(
            Standard(
                id=own_id[ident],
                title=heading[:_TITLE_LIMIT],
                text=full,
                parent_id=None if parent is None else own_id[parent],
            )
        )
        stack.extend(reversed(children.get(ident, [])))
    if len(ordered) < len(items):
        placed = {s.id for s in ordered}
        looped = sorted(i for i in items if own_id[i] not in placed)
        shown = ", ".join(repr(i) for i in looped[:10])
        msg = f"items whose parents form a loop, none of them top-level: {shown} @ $.CFAssociations"
        raise ValidationError([msg], source=source)
    return tuple(ordered)


def load_case(path: str | Path, *, framework_id: str | None = None) -> Framework:
    """Read a CASE JSON file and return its framework.

    Raises:
        ValidationError: If the file is too large, not UTF-8 JSON, or not a valid package;
            the message names the file.
    """
    file = Path(path)
    source = str(file)
    try:
        if not file.is_file():
            raise ValidationError(["expected a regular file @ $"], source=source)
        if file.stat().st_size > MAX_BYTES:
            raise ValidationError(
                [f"files over {MAX_BYTES:,} bytes are not read @ $"], source=source
            )
        data = json.loads(file.read_bytes().decode("utf-8"), object_pairs_hook=unique_keys)
    except ValidationError as exc:
        raise exc.with_source(source) from None
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValidationError([f"not UTF-8 JSON: {exc} @ $"], source=source) from None
    except OSError as exc:
        raise ValidationError(
            [f"cannot read the file: {exc.strerror} @ $"], source=source
        ) from None
    if not isinstance(data, Mapping):
        raise ValidationError(["expected a CASE package object @ $"], source=source)
    return framework_from_case(data, framework_id=framework_id, source=source)
