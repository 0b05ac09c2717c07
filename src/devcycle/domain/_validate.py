"""Small attrs validators and converters shared by the domain types.

Every check raises devcycle's `ValidationError` (never a bare `ValueError` or `TypeError`),
with one `Problem` naming the field (``$.fte``), the value given and what was expected.
"""

from __future__ import annotations

import enum
import inspect
import math
import re
import types
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any, Final, NoReturn, TypeGuard, TypeVar, cast

import attrs

from devcycle.errors import Problem, ValidationError

_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:@/+-]{0,127}$")

E = TypeVar("E", bound=enum.Enum)
R = TypeVar("R")

_FIELD_ONLY: set[Callable[..., None]] = set()
"""Validators whose verdict depends on the field's own value alone (not on the instance's
other fields): `evolve_valid` need not run them again on a field it does not change."""


def invalid(
    field: str, message: str, *, value: object = Problem.NO_VALUE, expected: str = ""
) -> NoReturn:
    """Raise a `ValidationError` with one problem at ``$.{field}`` (``$`` when *field* is "")."""
    path = f"$.{field}" if field else "$"
    raise ValidationError([Problem(message, path, value=value, expected=expected)])


_ID_EXPECTED = "an id of 1-128 letters, digits and _.:@/+- starting with a letter or digit"


def identifier(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is a usable id: 1-128 letters, digits and ``_.:@/+-``."""
    if not isinstance(value, str) or not _ID.match(value):
        msg = f"'{attribute.name}' must be {_ID_EXPECTED} (got {value!r})"
        invalid(attribute.name, msg, value=value, expected=_ID_EXPECTED)


def optional_identifier(inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `identifier`, but None is allowed."""
    if value is not None:
        identifier(inst, attribute, value)


def identifiers(_inst: Any, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    """Check that every item of *value* is an id, with no repeats."""
    seen: set[str] = set()
    for item in value:
        if not isinstance(item, str) or not _ID.match(item):
            msg = f"'{attribute.name}' must hold ids only (got {item!r})"
            invalid(attribute.name, msg, value=item, expected=_ID_EXPECTED)
        if item in seen:
            msg = f"'{attribute.name}' names {item!r} twice"
            invalid(attribute.name, msg, value=item, expected="each id once")
        seen.add(item)


def text(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is a string with something other than white space."""
    if not isinstance(value, str) or not value.strip():
        msg = f"'{attribute.name}' must be non-empty text (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="non-empty text")


def texts(_inst: Any, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    """Check that every item of *value* is non-empty text."""
    for item in value:
        if not isinstance(item, str) or not item.strip():
            msg = f"'{attribute.name}' must hold non-empty text only (got {item!r})"
            invalid(attribute.name, msg, value=item, expected="non-empty text")


def plain_text(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is a string (empty allowed)."""
    if not isinstance(value, str):
        msg = f"'{attribute.name}' must be text (got {type(value).__name__} {value!r})"
        invalid(attribute.name, msg, value=value, expected="text")


def optional_plain_text(inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `plain_text`, but None is allowed."""
    if value is not None:
        plain_text(inst, attribute, value)


MAX_WHOLE: Final = 2**53
"""The largest whole number (either sign) a field may hold: the most a document may hold
(`devcycle.serialization.MAX_INTEGER`, which is this), beyond which JSON readers differ (a
browser's reads 2**53 + 1 as 2**53). A larger one would be saved and then refused by the
library's own export and import."""


def check_whole_size(name: str, value: int) -> None:
    """Refuse a whole number beyond ±`MAX_WHOLE`, which no document could hold."""
    if not -MAX_WHOLE <= value <= MAX_WHOLE:
        msg = (
            f"'{name}' must be at most {MAX_WHOLE:,} either way, the largest whole number a "
            f"document may hold (got {value!r})"
        )
        invalid(name, msg, value=value, expected=f"a whole number within ±{MAX_WHOLE:,}")


def minutes(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is None or a whole number of minutes, 0 or more."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        msg = f"'{attribute.name}' must be a whole number of minutes, 0 or more (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="a whole number, 0 or more")
    check_whole_size(attribute.name, value)


def to_float(value: Any) -> Any:
    """Convert a whole number (not a bool) to a float, leaving anything else for a validator.

    A whole number too large for a float becomes infinity, which every validator of a
    float field refuses as not finite (instead of a bare `OverflowError`).
    """
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    return value


def to_money(value: object) -> object:
    """Return an amount of money as a `Decimal`, leaving anything else for a validator.

    A finite int or float becomes the Decimal of its shortest form (``12.5`` -> ``12.5``),
    and text holding a number (``"12.50"``, as a form field or a document gives it) the
    Decimal it spells, exactly; -0 becomes 0. Text that is not a number, and a bool, are
    left as they are, for the field's validator to refuse naming the field.
    """
    if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
        value = Decimal(str(value))
    elif isinstance(value, str):
        try:
            value = Decimal(value.strip())
        except InvalidOperation:
            return value
    if isinstance(value, Decimal) and value.is_zero() and value.is_signed():
        return value.copy_abs()
    return value


def is_date(value: object) -> TypeGuard[date]:
    """Return whether *value* is a calendar date (a `datetime`, which has a time, is not)."""
    return isinstance(value, date) and not isinstance(value, datetime)


def _date_problem(name: str, value: object) -> NoReturn:
    msg = (
        f"'{name}' must be a date (datetime.date, not a time or text) "
        f"(got {type(value).__name__} {value!r})"
    )
    invalid(name, msg, value=value, expected="a datetime.date")


def a_date(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is a `datetime.date` (not a `datetime`, not text)."""
    if not is_date(value):
        _date_problem(attribute.name, value)


def optional_date(inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `a_date`, but None is allowed."""
    if value is not None:
        a_date(inst, attribute, value)


FIRST_PLANNED: date = date(2000, 1, 1)
"""The first day a planned date (a milestone, a training-plan entry) may be: anything before
is a typing slip (``1900-09-01``), not a cycle devcycle plans or reports on."""
LAST_PLANNED: date = date(2099, 12, 31)
"""The last day a planned date may be: anything after is a typing slip (``2206`` for 2026)."""

_PLANNED_EXPECTED = f"a date from {FIRST_PLANNED.isoformat()} to {LAST_PLANNED.isoformat()}"


def check_planned(name: str, value: object) -> None:
    """Raise `ValidationError` at ``$.{name}`` unless *value* is a date in the planning years.

    A planned date must be a `datetime.date` from `FIRST_PLANNED` to `LAST_PLANNED`.
    """
    if not is_date(value):
        _date_problem(name, value)
    if not FIRST_PLANNED <= value <= LAST_PLANNED:
        msg = (
            f"'{name}' must be a date from {FIRST_PLANNED.year} to {LAST_PLANNED.year} "
            f"(got {value.isoformat()}): a date so far from now is a typing slip"
        )
        invalid(name, msg, value=value, expected=_PLANNED_EXPECTED)


def planned_date(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is a `datetime.date` in the planning years (`check_planned`)."""
    check_planned(attribute.name, value)


def optional_planned_date(inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Like `planned_date`, but None is allowed."""
    if value is not None:
        planned_date(inst, attribute, value)


def dates(_inst: Any, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
    """Check that every item of *value* is a `datetime.date`."""
    for item in value:
        if not is_date(item):
            _date_problem(attribute.name, item)


def check_date(name: str, value: object) -> None:
    """Raise `ValidationError` at ``$.{name}`` unless *value* is a `datetime.date`."""
    if not is_date(value):
        _date_problem(name, value)


def flag(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
    """Check that *value* is True or False."""
    if not isinstance(value, bool):
        msg = f"'{attribute.name}' must be True or False (got {value!r})"
        invalid(attribute.name, msg, value=value, expected="True or False")


def instances(kind: type) -> Callable[[Any, attrs.Attribute[Any], Iterable[object]], None]:
    """Return a validator checking that every item of a tuple is a *kind*."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: Iterable[object]) -> None:
        for item in value:
            if not isinstance(item, kind):
                msg = (
                    f"'{attribute.name}' must hold {kind.__name__} records only "
                    f"(got {type(item).__name__} {item!r})"
                )
                invalid(attribute.name, msg, value=item, expected=kind.__name__)

    _FIELD_ONLY.add(check)
    return check


def instance(kind: type) -> Callable[[Any, attrs.Attribute[Any], object], None]:
    """Return a validator checking that a value is a *kind*."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            msg = (
                f"'{attribute.name}' must be a {kind.__name__} "
                f"(got {type(value).__name__} {value!r})"
            )
            invalid(attribute.name, msg, value=value, expected=kind.__name__)

    _FIELD_ONLY.add(check)
    return check


def optional_instance(kind: type) -> Callable[[Any, attrs.Attribute[Any], object], None]:
    """Return a validator checking that a value is None or a *kind*."""

    def check(_inst: Any, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None and not isinstance(value, kind):
            msg = (
                f"'{attribute.name}' must be a {kind.__name__} or None "
                f"(got {type(value).__name__} {value!r})"
            )
            invalid(attribute.name, msg, value=value, expected=kind.__name__)

    _FIELD_ONLY.add(check)
    return check


def member_of(cls: type[E], field: str, value: object) -> E:
    """Return *value* as a member of the enum *cls* (a member, or one's value such as "course").

    Raises:
        ValidationError: Naming *field* and the allowed values.
    """
    if isinstance(value, cls):
        return value
    if not isinstance(value, bool):
        try:
            return cls(value)
        except (ValueError, TypeError):
            pass
    allowed = ", ".join(repr(m.value) for m in cls)
    msg = f"'{field}' must be one of {allowed} (got {value!r})"
    invalid(field, msg, value=value, expected=f"one of {allowed}")


def not_before(start_field: str) -> Any:
    """Return a validator checking that a date is not before the date in *start_field*."""

    def check(inst: Any, attribute: attrs.Attribute[Any], value: date | None) -> None:
        start = getattr(inst, start_field)
        if is_date(value) and is_date(start) and value < start:
            msg = f"'{attribute.name}' ({value}) must not be before '{start_field}' ({start})"
            invalid(attribute.name, msg, value=value, expected=f"a date from {start}")

    return check


_TEXT_TYPES = (str, bytes, bytearray)


def as_tuple(value: object, field: str = "") -> tuple[Any, ...]:
    """Return *value*, a list or other iterable, as a tuple for the field *field*.

    Text is refused rather than split into its characters (``"abc"`` would become three
    items) or taken for one item: a single item is given as a list of one.

    Raises:
        ValidationError: At ``$.{field}`` if *value* is text (str or bytes) or not iterable.
    """
    if value.__class__ is tuple:  # already a tuple (not a subclass): tuple(value) is value
        return value
    name = field or "value"
    if isinstance(value, _TEXT_TYPES):
        msg = (
            f"'{name}' must be a list of items, got text {value!r} "
            f"(give a single item as a list of one: [{value!r}])"
        )
        invalid(field, msg, value=value, expected="a list")
    if not isinstance(value, Iterable):
        msg = f"'{name}' must be a list of items (got {type(value).__name__} {value!r})"
        invalid(field, msg, value=value, expected="a list")
    return tuple(value)


def _field_tuple(value: object, field: attrs.Attribute[Any]) -> tuple[Any, ...]:
    if value.__class__ is tuple:  # as_tuple's own fast path, without the call
        return value
    return as_tuple(value, field.name)


if TYPE_CHECKING:  # mypy's attrs plugin takes only a named function as a converter

    def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
        """The converter of a tuple field: `as_tuple`, naming the field (text is refused)."""

else:
    to_tuple = attrs.Converter(_field_tuple, takes_field=True)
    """Every tuple field converts through this, so text where a list belongs is refused in
    one place, naming the field (a field with its own converter calls `as_tuple`)."""


def to_frozenset(value: object, field: str = "") -> frozenset[Any]:
    """Return *value*, a list, set or other iterable, as a frozenset for the field *field*.

    Text is refused as `as_tuple` refuses it, rather than split into its characters or
    taken for one item (``roles="teacher"``): a single item is given as a list of one, so
    set fields read the same as tuple fields.

    Raises:
        ValidationError: At ``$.{field}`` if *value* is text, not iterable, or holds an item
            that cannot be in a set (a list, a dict).
    """
    items = as_tuple(value, field)
    try:
        return frozenset(items)
    except TypeError:
        name = field or "value"
        msg = f"'{name}' must hold single values, such as text or ids (got {value!r})"
        invalid(field, msg, value=value, expected="a list of single values")


def _field_set(value: object, field: attrs.Attribute[Any]) -> frozenset[Any]:
    return to_frozenset(value, field.name)


if TYPE_CHECKING:  # mypy's attrs plugin takes only a named function as a converter

    def to_set(value: Iterable[Any]) -> frozenset[Any]:
        """The converter of a set field: `to_frozenset`, naming the field (text is refused)."""

else:
    to_set = attrs.Converter(_field_set, takes_field=True)
    """The converter of a frozenset field with no converter of its own: text where a list
    or set belongs is refused naming the field, as `to_tuple` does for tuple fields."""


_FIELD_ONLY.update(
    {
        identifier,
        optional_identifier,
        identifiers,
        text,
        texts,
        plain_text,
        optional_plain_text,
        minutes,
        a_date,
        optional_date,
        dates,
        flag,
    }
)


@attrs.frozen
class _EvolvePlan:
    """How `evolve_valid` copies one class: its fields in order, and which to check again."""

    copy: Callable[[Any], Any]
    """A new instance holding the fields of the one given (generated per class)."""
    index: dict[str, int]
    """Each field's position."""
    fields: tuple[attrs.Attribute[Any], ...]
    always: frozenset[int]
    """The positions of the fields whose validator may read other fields: run every time."""
    post_init: bool


_PLANS: dict[type, _EvolvePlan | None] = {}


def _evolve_plan(cls: type) -> _EvolvePlan | None:
    """Return the plan for *cls*, or None when `evolve_valid` must leave it to attrs."""
    if cls in _PLANS:
        return _PLANS[cls]
    plan = None
    fields = attrs.fields(cls) if attrs.has(cls) else ()
    if (
        fields
        and all(f.init and f.alias == f.name and f.on_setattr is None for f in fields)
        and not any(getattr(f.converter, "takes_self", False) for f in fields)
        and set(getattr(cls, "__slots__", ())) <= {f.name for f in fields} | {"__weakref__"}
        and not hasattr(cls, "__attrs_pre_init__")
    ):
        plan = _EvolvePlan(
            copy=copier(cls, [f.name for f in fields]),
            index={f.name: i for i, f in enumerate(fields)},
            fields=tuple(fields),
            always=frozenset(
                i
                for i, f in enumerate(fields)
                if f.validator is not None and f.validator not in _FIELD_ONLY
            ),
            post_init=hasattr(cls, "__attrs_post_init__"),
        )
    _PLANS[cls] = plan
    return plan


def slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """The setter of the slot *name* of *cls*: its ``member_descriptor.__set__``.

    It sets the slot as ``object.__setattr__`` does (past a frozen class's own
    ``__setattr__``) without looking the attribute up through the class on every call:
    about a third quicker (session 19). How devcycle's trusted builders and copies fill
    records that were valid as built.

    Raises:
        TypeError: If *name* is not a slot of *cls*.
    """
    slot = inspect.getattr_static(cls, name, None)
    if type(slot) is not types.MemberDescriptorType:
        msg = f"{cls.__name__}.{name} is not a slot"
        raise TypeError(msg)
    setter: Callable[[Any, Any], None] = slot.__set__
    return setter


def _setter(cls: type, name: str, namespace: dict[str, Any]) -> str:
    """The start of a call setting field *name* of ``new``, ending before the value.

    ``object.__setattr__`` (``put``) finds the class's attribute for *name* through its MRO
    and, for a slot, calls that slot's descriptor; the generated code calls the descriptor
    found the same way (``member_descriptor.__set__``) directly, which sets the same slot
    without the lookup by name (as the trusted builders do, `devcycle.serialization`). A
    field that is not a slot keeps ``put``.
    """
    slot = inspect.getattr_static(cls, name, None)
    if type(slot) is types.MemberDescriptorType:
        key = f"s_{name}"
        namespace[key] = slot.__set__
        return f"{key}(new, "
    return f"put(new, {name!r}, "


def copier(cls: type, names: list[str]) -> Callable[[Any], Any]:
    """Return a function copying the fields *names* of a *cls* into a new one, unrolled."""
    for name in names:
        if not name.isidentifier():  # pragma: no cover - attrs field names are identifiers
            msg = f"not a field name: {name!r}"
            raise ValueError(msg)
    namespace: dict[str, Any] = {"new_": object.__new__, "cls": cls, "put": object.__setattr__}
    lines = [
        "def copy(inst):",
        "    new = new_(cls)",
        *(f"    {_setter(cls, name, namespace)}inst.{name})" for name in names),
        "    return new",
    ]
    exec("\n".join(lines), namespace)  # noqa: S102 - code generated from attrs field names
    return cast("Callable[[Any], Any]", namespace["copy"])


def _convert(field: attrs.Attribute[Any], inst: object, value: object) -> object:
    converter: Any = field.converter
    if converter is None:
        return value
    if not isinstance(converter, attrs.Converter):
        return converter(value)
    held: Any = converter  # attrs' stubs do not show a Converter's attributes
    args: list[object] = [value]
    if held.takes_self:
        args.append(inst)
    if held.takes_field:
        args.append(field)
    return held.converter(*args)


def evolve_valid(inst: R, /, **changes: Any) -> R:
    """Return ``attrs.evolve(inst, **changes)``, converting and validating only what changes.

    *inst* is a frozen domain record, valid as built (its constructor validated it, or it
    was built from a document only devcycle writes): its unchanged fields keep their
    values, and their validators are not run again when their verdict depends on the field
    alone (`_FIELD_ONLY`). Every changed field is converted and validated as the
    constructor does it, in field order (conversions first, then validators); every
    validator that may read other fields is run, and so is ``__attrs_post_init__`` (the
    checks across fields). The result, or the error raised, is the one `attrs.evolve`
    gives (property-tested in ``tests/domain/test_evolve_valid.py``). A class it cannot
    copy field by field, or a name that is not a field, is left to `attrs.evolve`.
    """
    key = (type(inst), tuple(changes))
    evolve = _EVOLVERS.get(key, _UNKNOWN)
    if evolve is _UNKNOWN:
        if len(_EVOLVERS) >= _MAX_EVOLVERS:  # never seen in the domain's own calls
            return _evolve_field_by_field(inst, changes)
        evolve = _EVOLVERS[key] = _evolver(key[0], key[1])
    if evolve is None:
        return _evolve_field_by_field(inst, changes)
    return cast("R", cast("Callable[[Any, dict[str, Any]], Any]", evolve)(inst, changes))


_UNKNOWN: Final = object()
_MAX_EVOLVERS: Final = 1024
_EVOLVERS: dict[tuple[type, tuple[str, ...]], object] = {}
"""The generated copy for each class and the names it changes (in the order given), or None
for a copy left to `_evolve_field_by_field`. The domain's methods change a few fixed sets of
names; past `_MAX_EVOLVERS` the others take `_evolve_field_by_field`."""


def _evolver(cls: type, names: tuple[str, ...]) -> Callable[[Any, dict[str, Any]], Any] | None:
    """Generate `evolve_valid` for *cls* changing *names*, as one function without loops.

    The same steps as `_evolve_field_by_field`, unrolled: the unchanged fields copied, each
    changed field converted in field order, the validators of the changed fields and of the
    fields in ``always`` run in field order unless validators are disabled, then
    ``__attrs_post_init__``. None when the plan does not allow it (the caller then takes
    the general path, which leaves such a copy to `attrs.evolve`).
    """
    plan = _evolve_plan(cls)
    if plan is None or not plan.index.keys() >= set(names) or len(set(names)) != len(names):
        return None
    changed = sorted(plan.index[name] for name in names)
    namespace: dict[str, Any] = {
        "new_": object.__new__,
        "cls": cls,
        "put": object.__setattr__,
        "disabled": attrs.validators.get_disabled,
    }
    lines = ["def evolve(inst, changes):", "    new = new_(cls)"]
    for i, field in enumerate(plan.fields):
        if not field.name.isidentifier():  # pragma: no cover - attrs field names are
            return None
        if i not in changed:
            lines.append(f"    {_setter(cls, field.name, namespace)}inst.{field.name})")
    for i in changed:
        field = plan.fields[i]
        value = f"changes[{field.name!r}]"
        converter: Any = field.converter
        if converter is not None:
            namespace[f"f_{i}"] = field
            if isinstance(converter, attrs.Converter):
                held: Any = converter
                namespace[f"c_{i}"] = held.converter
                value = f"c_{i}({value}, f_{i})" if held.takes_field else f"c_{i}({value})"
            else:
                namespace[f"c_{i}"] = converter
                value = f"c_{i}({value})"
        lines.append(f"    {_setter(cls, field.name, namespace)}{value})")
    checked = [i for i in sorted(plan.always.union(changed)) if plan.fields[i].validator]
    if checked:
        lines.append("    if not disabled():")
        for i in checked:
            field = plan.fields[i]
            namespace[f"f_{i}"] = field
            namespace[f"v_{i}"] = field.validator
            lines.append(f"        v_{i}(new, f_{i}, new.{field.name})")
    if plan.post_init:
        lines.append("    new.__attrs_post_init__()")
    lines.append("    return new")
    exec("\n".join(lines), namespace)  # noqa: S102 - code generated from attrs field names
    return cast("Callable[[Any, dict[str, Any]], Any]", namespace["evolve"])


def _evolve_field_by_field(inst: R, changes: dict[str, Any]) -> R:
    """`evolve_valid` with a loop over the fields: the general path, and the reference."""
    cls = type(inst)
    plan = _PLANS[cls] if cls in _PLANS else _evolve_plan(cls)
    if plan is None or not plan.index.keys() >= changes.keys():
        return cast("R", attrs.evolve(cast("Any", inst), **changes))
    new = plan.copy(inst)
    put = object.__setattr__
    fields = plan.fields
    changed = sorted(map(plan.index.__getitem__, changes))
    for i in changed:  # converters in field order, as the constructor runs them
        field = fields[i]
        put(new, field.name, _convert(field, new, changes[field.name]))
    if not attrs.validators.get_disabled():
        for i in sorted(plan.always.union(changed)) if plan.always else changed:
            field = fields[i]
            if field.validator is not None:
                field.validator(new, field, getattr(new, field.name))
    if plan.post_init:
        new.__attrs_post_init__()
    return cast("R", new)
