"""The configured cattrs converter for every devcycle type, and documents in JSON, TOML, YAML.

Every document devcycle writes is an envelope::

    {"kind": "cycle", "schema_version": 1, "data": {...}}

Loading checks the kind and the version, upgrades older documents, and structures the data:
first with a fast converter, and when that fails, again with detailed validation to say
what is wrong. Whatever is wrong is reported at once, every problem as
``description @ $.path``, in one `ValidationError`; nothing half-built is returned.

JSON and TOML reading need nothing beyond the standard library. Writing TOML needs the
``toml`` extra (tomli-w); YAML needs the ``yaml`` extra (PyYAML, safe loading only). Both are
found by name at the moment they are used, so importing this module imports neither.
"""

from __future__ import annotations

import abc
import contextlib
import datetime as dt
import enum
import importlib
import inspect
import itertools
import json
import math
import os
import tomllib
import types
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal, InvalidOperation
from pathlib import Path
from types import UnionType
from typing import Any, ClassVar, Final, Protocol, TypeVar, Union, cast, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    BaseValidationError,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.v import format_exception as _cattrs_format_exception

from devcycle import domain
from devcycle.domain._validate import MAX_WHOLE
from devcycle.errors import ConfigError, Problem, ValidationError
from devcycle.fileio import read_text

__all__ = [
    "FORMATS",
    "MAX_DEPTH",
    "MAX_INTEGER",
    "MAX_NODES",
    "SCHEMA_VERSION",
    "check_limits",
    "converter",
    "date_text",
    "dump_document",
    "dumps",
    "from_dict",
    "from_trusted_dict",
    "kind_of",
    "load_document",
    "loads",
    "parse",
    "read_file",
    "register_kind",
    "register_upgrade",
    "to_dict",
    "unique_keys",
]

T = TypeVar("T")

SCHEMA_VERSION: Final = 1
"""The schema version this release writes. Older documents are upgraded on load."""

FORMATS: Final = ("json", "toml", "yaml")

MAX_DEPTH: Final = 64
"""The deepest nesting of lists and objects a document may have (devcycle's own need 8)."""

MAX_NODES: Final = 5_000_000
"""The most values (strings, numbers, lists, objects) one document may hold, counted after
YAML aliases are expanded: a few hundred bytes of aliases cannot become billions of values."""

MAX_INTEGER: Final = MAX_WHOLE
"""The largest whole number (either sign) a document may hold, 2**53: beyond it JSON readers
differ, and nothing devcycle stores needs more. The domain's whole-number fields refuse more
(`devcycle.domain._validate.MAX_WHOLE`), so that what they accept can be saved, exported
and imported again."""


class _InvalidValueError(ValueError):
    """A value of the wrong shape, with a message meant for people."""


def _type_name(value: object) -> str:
    return type(value).__name__


def _structure_str(value: object, _type: object) -> str:
    if not isinstance(value, str):
        raise _InvalidValueError(f"expected text (got {_type_name(value)} {value!r})")
    return value


def _structure_int(value: object, _type: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _InvalidValueError(f"expected a whole number (got {_type_name(value)} {value!r})")
    return value


def _structure_float(value: object, _type: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise _InvalidValueError(f"expected a number (got {_type_name(value)} {value!r})")
    return float(value)


def _structure_bool(value: object, _type: object) -> bool:
    if not isinstance(value, bool):
        raise _InvalidValueError(f"expected true or false (got {_type_name(value)} {value!r})")
    return value


_DATE_TEXT: dict[dt.date, str] = {}
_DATE_TEXT_LIMIT: Final = 20_000
"""How many days `date_text` remembers: some 55 years of them, about 3 MB at most."""


def date_text(day: dt.date) -> str:
    """*day* as documents and stored keys write it: ``YYYY-MM-DD`` (`date.isoformat`).

    Remembered for each day: a school's records name few distinct days (term dates,
    deadlines, meetings) over and over, and formatting one costs about 3,000 machine
    instructions where finding it again costs about 100 (issue 16: 4-6% of saving a cycle).
    Only plain dates are remembered; a subclass is formatted each time.
    """
    if type(day) is not dt.date:
        return dt.date.isoformat(day)
    text = _DATE_TEXT.get(day)
    if text is None:
        text = dt.date.isoformat(day)
        if len(_DATE_TEXT) < _DATE_TEXT_LIMIT:
            _DATE_TEXT[day] = text
    return text


def _structure_date(value: object, _type: object) -> dt.date:
    if isinstance(value, dt.datetime):
        raise _InvalidValueError(f"expected a date without a time (got {value!r})")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise _InvalidValueError(f"expected a date as YYYY-MM-DD (got {value!r})")


def _structure_decimal(value: object, _type: object) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, str | int | float | Decimal):
        raise _InvalidValueError(f'expected an amount such as "125.50" (got {value!r})')
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _InvalidValueError(f'expected an amount such as "125.50" (got {value!r})') from None
    if not amount.is_finite():
        raise _InvalidValueError(f"expected a finite amount (got {value!r})")
    return amount


_ENUM_MEMBERS: dict[type[enum.Enum], dict[object, enum.Enum]] = {}


def _structure_enum(value: object, cls: type[enum.Enum]) -> enum.Enum:
    members = _ENUM_MEMBERS.get(cls)
    if members is None:
        members = _ENUM_MEMBERS[cls] = {member.value: member for member in cls}
    try:
        return members[value]
    except (KeyError, TypeError):  # not a value (or unhashable): let the enum decide
        pass
    try:
        return cls(value)
    except (ValueError, TypeError):
        allowed = ", ".join(repr(member.value) for member in cls)
        raise _InvalidValueError(f"expected one of {allowed} (got {value!r})") from None


def _enum_value(member: enum.Enum) -> Any:
    return member.value


def _is_homogeneous_tuple(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) is tuple and len(args) == 2 and args[1] is Ellipsis


def _is_optional(type_: Any) -> bool:
    args = get_args(type_)
    return get_origin(type_) in (Union, UnionType) and len(args) == 2 and type(None) in args


def _early_hook(conv: cattrs.Converter, type_: Any) -> Callable[[Any, Any], Any]:
    try:
        return conv.get_structure_hook(type_)
    except RecursionError:  # a type that contains itself: resolve at call time
        return conv.structure


def _fast_tuple_factory(type_: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """``tuple[X, ...]`` with X's hook found once, not once per element as cattrs does."""
    element = get_args(type_)[0]
    hook = _early_hook(conv, element)

    def structure(items: Any, _type: object) -> tuple[Any, ...]:
        if isinstance(items, str | bytes | Mapping):
            raise _InvalidValueError(f"expected a list (got {_type_name(items)})")
        return tuple([hook(item, element) for item in items])

    return structure


def _detailed_tuple_factory(type_: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """``tuple[X, ...]`` refusing text, never read one character at a time.

    Every bad element is named with its index, as cattrs names them.
    """
    element = get_args(type_)[0]

    def structure(items: Any, _type: object) -> tuple[Any, ...]:
        if isinstance(items, str | bytes | Mapping):
            raise _InvalidValueError(f"expected a list (got {_type_name(items)})")
        built: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(items):
            try:
                built.append(conv.structure(item, element))
            except Exception as exc:
                note = IterableValidationNote(
                    f"Structuring {type_} @ index {index}", index, element
                )
                exc.__notes__ = [*getattr(exc, "__notes__", []), note]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {type_!r}", errors, type_)
        return tuple(built)

    return structure


def _fast_optional_factory(type_: Any, conv: cattrs.Converter) -> Callable[[Any, Any], Any]:
    """``X | None`` with X's hook found once, not on every call as cattrs does."""
    args = get_args(type_)
    inner = args[1] if args[0] is type(None) else args[0]
    hook = _early_hook(conv, inner)

    def structure(value: Any, _type: object) -> Any:
        return None if value is None else hook(value, inner)

    return structure


def _tuple_unstructure_factory(type_: Any, conv: cattrs.Converter) -> Callable[[Any], Any]:
    """Tuples become lists; a tuple of one class has that class's hook found once."""
    args = get_args(type_)
    element = args[0] if len(args) == 2 and args[1] is Ellipsis else None
    if isinstance(element, type):
        hook = conv.get_unstructure_hook(element)
        return lambda items: [hook(item) for item in items]
    return lambda items: [conv.unstructure(item) for item in items]


def _make_converter(*, detailed: bool = True) -> cattrs.Converter:
    """Build a converter; *detailed* collects every problem with its path (slower).

    The fast one (``detailed=False``) resolves each field's hook once, when its class's hook
    is generated; it is tried first, and the detailed one runs only to explain a failure.
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=detailed)
    conv.register_structure_hook(str, _structure_str)
    conv.register_structure_hook(int, _structure_int)
    conv.register_structure_hook(float, _structure_float)
    conv.register_structure_hook(bool, _structure_bool)
    conv.register_structure_hook(dt.date, _structure_date)
    conv.register_unstructure_hook(dt.date, date_text)
    conv.register_structure_hook(Decimal, _structure_decimal)
    conv.register_unstructure_hook(Decimal, str)
    # Dispatch on StrEnum and IntEnum explicitly: they come before str and int in the MRO,
    # where cattrs would otherwise pass members through unchanged (which YAML cannot write).
    for base in (enum.Enum, enum.StrEnum, enum.IntEnum):
        conv.register_unstructure_hook(base, _enum_value)
        conv.register_structure_hook(base, _structure_enum)
    # A priority's KPIs were plain text before they were records: text still loads, and
    # Priority turns each into a KPI of that name (no schema version change needed).
    kpi_hook = conv.get_structure_hook(domain.KPI)
    conv.register_structure_hook(
        domain.KPI, lambda value, type_: value if isinstance(value, str) else kpi_hook(value, type_)
    )
    if not detailed:
        conv.register_structure_hook_factory(_is_homogeneous_tuple, _fast_tuple_factory)
        conv.register_structure_hook_factory(_is_optional, _fast_optional_factory)
    else:
        conv.register_structure_hook_factory(_is_homogeneous_tuple, _detailed_tuple_factory)
    conv.register_unstructure_hook_factory(
        lambda t: getattr(t, "__origin__", t) in (frozenset, set),
        lambda t: lambda items: sorted(conv.unstructure(i) for i in items),
    )
    conv.register_unstructure_hook_factory(
        lambda t: getattr(t, "__origin__", t) is tuple,
        lambda t: _tuple_unstructure_factory(t, conv),
    )
    return conv


converter: Final[cattrs.Converter] = _make_converter()
"""The one configured converter. Use `to_dict` and `from_dict` rather than calling it."""

_fast_converter: Final[cattrs.Converter] = _make_converter(detailed=False)
"""Tried first by `from_dict`; it accepts nothing `converter` refuses (property-tested)."""


def _format_exception(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, _InvalidValueError):
        return str(exc)
    if isinstance(exc, ForbiddenExtraKeysError):
        # A YAML or JSON mapping may have keys that are not text (``? `` alone is a null key).
        keys: set[object] = set(exc.extra_fields)  # typed as text, but not always
        names = ", ".join(sorted(k if isinstance(k, str) else repr(k) for k in keys))
        return f"unknown field(s) {names}"
    if isinstance(exc, KeyError):
        return "required field missing"
    if isinstance(exc, ValueError) and str(exc) and type(exc) is ValueError:
        return str(exc)
    return _cattrs_format_exception(exc, type_)


def _problems(exc: BaseException, path: str, type_: Any = None) -> list[Problem]:
    """Every problem in *exc* (a cattrs error tree, or one error) with its path under *path*.

    A record's own `ValidationError` (raised by its constructor) keeps its structured
    problems, their paths re-rooted at the record's place in the document.
    """
    if isinstance(exc, ValidationError):
        return [p.at(path) for p in exc.problems]
    if isinstance(exc, IterableValidationError | ClassValidationError):
        problems: list[Problem] = []
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            name = getattr(note, "name", None)
            where = f"{path}.{name}" if name is not None else f"{path}[{note.index!r}]"
            problems.extend(_problems(inner, where, note.type))
        for inner in without:
            problems.extend(_problems(inner, path))
        return problems
    return [Problem(_format_exception(exc, type_), path)]


def to_dict(obj: object) -> dict[str, Any]:
    """Return *obj* (any devcycle attrs object) as plain JSON-ready data."""
    return cast("dict[str, Any]", converter.unstructure(obj))


def from_dict(data: Any, cls: type[T], *, path: str = "$", source: str | None = None) -> T:
    """Build a *cls* from plain data, or raise `ValidationError` listing every problem.

    Args:
        data: Plain data (dicts, lists, strings, numbers) as `to_dict` produces.
        cls: The devcycle type to build.
        path: The JSON path of *data* within its document, for messages.
        source: Where the data came from (a file name), for messages.
    """
    if not isinstance(data, Mapping):
        raise ValidationError(
            [
                f"expected an object with the fields of {cls.__name__} "
                f"(got {_type_name(data)}) @ {path}"
            ],
            source=source,
        )
    with contextlib.suppress(Exception):  # the detailed converter below explains it
        return _fast_converter.structure(data, cls)
    try:
        return converter.structure(data, cls)
    except (BaseValidationError, ValueError, TypeError, KeyError) as exc:
        raise ValidationError(_problems(exc, path), source=source) from None


# ------------------------------------------------------------ the trusted path


class _UntrustedError(Exception):
    """Data that does not fit the stored form exactly; the validating path takes it."""


_TRUSTED: dict[type, Callable[[Any], Any]] = {}
"""Each class's trusted builder, generated once (`_Builders.function`)."""

_IDENTITY: Final = (str, int, bool)


def _check_size(data: Any, size: int) -> None:
    raise _UntrustedError(f"expected {size} fields, got {len(data)}")


class _Generated(abc.ABC):
    """Python source generated for a class and every record class in it, compiled once.

    What the trusted builders (`_Builders`) and the direct dumpers (`_Dumpers`) share: one
    function per class, named in a namespace of constants, generated for a root class and
    every class its fields reach, and kept in the subclass's *registry* for the process.
    """

    registry: ClassVar[dict[type, Callable[[Any], Any]]]
    prefix: ClassVar[str]
    label: ClassVar[str]

    def __init__(self) -> None:
        self.namespace = self.initial_namespace()
        self.names: dict[type, str] = {}
        self.pending: list[type] = []
        self.counter = itertools.count()

    def _constant(self, value: Any) -> str:
        name = f"_k{next(self.counter)}"
        self.namespace[name] = value
        return name

    def name_of(self, cls: type) -> str:
        """The name of *cls*'s function: one already compiled, or one to generate."""
        if cls in self.registry:
            return self._constant(self.registry[cls])
        if cls not in self.names:
            self.names[cls] = f"{self.prefix}{cls.__name__}_{next(self.counter)}"
            self.namespace[f"_cls{self.names[cls]}"] = cls
            self.pending.append(cls)
        return self.names[cls]

    @abc.abstractmethod
    def initial_namespace(self) -> dict[str, Any]:
        """The helpers the generated source calls by name."""

    @abc.abstractmethod
    def source(self, cls: type) -> str:
        """The source of *cls*'s function (naming the classes in it with `name_of`)."""

    def build(self, root: type) -> None:
        self.name_of(root)
        sources: list[str] = []
        done: set[type] = set()
        while self.pending:
            cls = self.pending.pop()
            if cls not in done:
                done.add(cls)
                sources.append(self.source(cls))
        code = compile("\n\n".join(sources), f"<{self.label}: {root.__name__}>", "exec")
        exec(code, self.namespace)  # noqa: S102 - generated above from the classes' own fields
        for cls, name in self.names.items():
            self.registry.setdefault(cls, self.namespace[name])

    @classmethod
    def function(cls, target: type) -> Callable[[Any], Any]:
        """*target*'s function, generated (with those of the classes in it) the first time."""
        found = cls.registry.get(target)
        if found is None:
            cls().build(target)
            found = cls.registry[target]
        return found


class _Builders(_Generated):
    """Generates (as Python source, compiled once) a builder for a class and every class in it.

    A builder takes the plain data `to_dict` wrote for the class and sets each field of a new
    instance directly, without ``__init__``: no converter, validator or post-init check runs
    again. It needs every field present, nothing else, and each value of the written shape;
    anything else (a missing or extra key, an unknown enum value, a malformed date) raises,
    and the caller falls back to `from_dict`. Fields of types it does not know are built by
    the fast converter (with its checks).
    """

    registry = _TRUSTED
    prefix = "_build_"
    label = "trusted builders"

    def initial_namespace(self) -> dict[str, Any]:
        return {
            "_new": object.__new__,
            "_set": object.__setattr__,
            "_date": dt.date.fromisoformat,
            "_decimal": Decimal,
            "_float": float,
            "_tuple": tuple,
            "_frozenset": frozenset,
            "_len": len,
            "_check_size": _check_size,
            "_convert": _fast_converter.structure,
        }

    def _scalar(self, type_: Any, value: str) -> str | None:
        if type_ in _IDENTITY:
            return value
        simple = {float: "_float({})", dt.date: "_date({})", Decimal: "_decimal(str({}))"}
        if type_ in simple:
            return simple[type_].format(value)
        if isinstance(type_, type) and issubclass(type_, enum.Enum):
            table = self._constant({member.value: member for member in type_})
            return f"{table}[{value}]"
        return None

    def expression(self, type_: Any, value: str, depth: int) -> str:
        scalar = self._scalar(type_, value)
        if scalar is not None:
            return scalar
        if isinstance(type_, type) and attrs.has(type_):
            return f"{self.name_of(type_)}({value})"
        if _is_optional(type_):
            return self._optional(type_, value, depth)
        origin = get_origin(type_)
        if origin is frozenset or _is_homogeneous_tuple(type_):
            item = f"_x{depth}"
            built = self.expression(get_args(type_)[0], item, depth + 1)
            wrap = "_tuple" if origin is tuple else "_frozenset"
            if built == item:
                return f"{wrap}({value})"
            return f"{wrap}([{built} for {item} in {value}])"
        return f"_convert({value}, {self._constant(type_)})"

    def _optional(self, type_: Any, value: str, depth: int) -> str:
        args = get_args(type_)
        inner = args[1] if args[0] is type(None) else args[0]
        built = self.expression(inner, value, depth)
        if built == value:  # taken as it is: None is too
            return value
        return f"(None if {value} is None else {built})"

    def source(self, cls: type) -> str:
        fields = attrs.fields(cls)
        hints = typing.get_type_hints(cls)
        name = self.names[cls]
        if any(not f.init or f.alias != f.name for f in fields):  # pragma: no cover - none yet
            return f"def {name}(d):\n    return _convert(d, _cls{name})"
        lines = [
            f"def {name}(d):",
            f"    if _len(d) != {len(fields)}:",
            f"        _check_size(d, {len(fields)})",
            f"    o = _new(_cls{name})",
        ]
        lines += [
            f"    {self._setter(cls, f.name)}{self.expression(hints[f.name], f'd[{f.name!r}]', 0)})"
            for f in fields
        ]
        lines.append("    return o")
        return "\n".join(lines)

    def _setter(self, cls: type, name: str) -> str:
        """The start of a call setting field *name* of ``o``, ending before the value.

        ``object.__setattr__`` finds the class's attribute for *name* through its MRO and,
        for a slot, calls that slot's descriptor. The builder calls the descriptor found the
        same way (``member_descriptor.__set__``) directly, which skips the lookup by name
        (about a quarter of a builder's time) and sets the same slot. A field that is not
        a slot (a class without ``__slots__``) keeps ``object.__setattr__``.
        """
        slot = inspect.getattr_static(cls, name, None)
        if type(slot) is types.MemberDescriptorType:
            return f"{self._constant(slot.__set__)}(o, "
        return f"_set(o, {name!r}, "


def from_trusted_dict(data: Any, cls: type[T], *, path: str = "$", source: str | None = None) -> T:
    """Build a *cls* from plain data that devcycle validated and wrote itself; see `from_dict`.

    For the stored form only (a store's own records at the current schema version): each
    object is built field by field, without running its converters and validators again.
    Data that does not have exactly the shape `to_dict` writes (a field missing or extra, a
    value of another shape) goes through `from_dict`, so what is accepted is never less
    checked than that, and an error is reported the same way. It gives objects equal to
    `from_dict`'s on everything `to_dict` writes (property-tested).

    Raises:
        ValidationError: As `from_dict`, for data it cannot take.
    """
    if attrs.has(cls) and type(data) is dict:
        with contextlib.suppress(Exception):  # the validating path below explains it
            return cast("T", _Builders.function(cls)(data))
    return from_dict(data, cls, path=path, source=source)


# ------------------------------------------------------------ the direct dumper


_DUMPERS: dict[type, Callable[[Any], Any]] = {}
"""Each class's direct dumper, generated once (`_Dumpers.function`)."""


class _Dumpers(_Generated):
    """Generates (as Python source, compiled once) `to_dict` for a class and every class in it.

    Each dumper writes the dict the converter writes, key for key in the same order, calling
    for each field the hook the converter would call for its type, except where that hook is
    known: a field written as it is (text, numbers), an enum's value, a nested record (its own
    dumper), a tuple of those (a list). A record of another class than the one declared
    (a subclass), and every other type, go through the converter's own hook (issue 16).
    """

    registry = _DUMPERS
    prefix = "_dump_"
    label = "dumpers"

    def __init__(self) -> None:
        super().__init__()
        self.identity = converter.get_unstructure_hook(str)

    def initial_namespace(self) -> dict[str, Any]:
        return {"_list": list}

    def _record(self, cls: type, value: str, fallback: Any) -> str:
        exact = self._constant(cls)
        other = self._constant(fallback)
        return f"({self.name_of(cls)}({value}) if type({value}) is {exact} else {other}({value}))"

    def element(self, type_: Any, value: str) -> str | None:
        """The expression writing *value* of *type_*, if its hook is one of the known ones."""
        hook = converter.get_unstructure_hook(type_)
        if hook is self.identity:
            return value
        if hook is _enum_value:
            return f"{value}._value_"
        if isinstance(type_, type) and attrs.has(type_):
            return self._record(type_, value, hook)
        return None

    def expression(self, type_: Any, value: str) -> str:
        known = self.element(type_, value)
        if known is not None:
            return known
        hook = self._constant(converter.get_unstructure_hook(type_))
        args = get_args(type_)
        if _is_homogeneous_tuple(type_) and isinstance(args[0], type):
            item = self.element(args[0], "_x")
            if item == "_x":
                return f"_list({value})"
            if item is not None:
                return f"[{item} for _x in {value}]"
        if _is_optional(type_):  # the converter writes the value by its own type
            inner = args[1] if args[0] is type(None) else args[0]
            if isinstance(inner, type):
                written = self.element(inner, value)
                if written is None:
                    written = f"{self._constant(converter.get_unstructure_hook(inner))}({value})"
                exact = self._constant(inner)
                return (
                    f"(None if {value} is None else {written} if type({value}) is {exact} "
                    f"else {hook}({value}))"
                )
        return f"{hook}({value})"

    def source(self, cls: type) -> str:
        fields = attrs.fields(cls)
        hints = typing.get_type_hints(cls)
        name = self.names[cls]
        if any(not f.init or f.alias != f.name for f in fields):  # pragma: no cover - none yet
            whole = self._constant(converter.get_unstructure_hook(cls))
            return f"def {name}(o):\n    return {whole}(o)"
        lines = [f"def {name}(o):", "    return {"]
        lines += [
            f"        {f.name!r}: {self.expression(hints[f.name], f'o.{f.name}')}," for f in fields
        ]
        lines.append("    }")
        return "\n".join(lines)


# ----------------------------------------------------------------- document kinds

_KINDS: dict[str, type] = {
    "school": domain.School,
    "trust": domain.Trust,
    "staff": domain.StaffMember,
    "cycle": domain.Cycle,
    "cpd": domain.CPDActivity,
    "cpd_offering": domain.CPDOffering,
    "framework": domain.Framework,
    "meeting_rating": domain.MeetingRating,
    "survey": domain.ProcessSurvey,
    "survey_response": domain.SurveyResponse,
    "training_plan_entry": domain.TrainingPlanEntry,
}
_UPGRADES: dict[tuple[str, int], Callable[[dict[str, Any]], dict[str, Any]]] = {}


def register_kind(kind: str, cls: type) -> None:
    """Make *cls* loadable and dumpable as documents of *kind* (for templates, calendars...)."""
    known = _KINDS.get(kind)
    if known is not None and known is not cls:
        msg = f"document kind {kind!r} is already registered for {known.__name__}"
        raise ConfigError(msg)
    _KINDS[kind] = cls


def register_upgrade(
    kind: str, from_version: int
) -> Callable[
    [Callable[[dict[str, Any]], dict[str, Any]]], Callable[[dict[str, Any]], dict[str, Any]]
]:
    """Register a function that upgrades *kind* data from *from_version* to the next version.

    Upgrades chain: a version-1 document is upgraded 1→2, then 2→3, up to `SCHEMA_VERSION`.
    """

    def register(
        function: Callable[[dict[str, Any]], dict[str, Any]],
    ) -> Callable[[dict[str, Any]], dict[str, Any]]:
        _UPGRADES[(kind, from_version)] = function
        return function

    return register


def kind_of(obj_or_cls: object) -> str:
    """Return the document kind of a devcycle object or class."""
    cls = obj_or_cls if isinstance(obj_or_cls, type) else type(obj_or_cls)
    for kind, known in _KINDS.items():
        if known is cls:
            return kind
    msg = f"{cls.__name__} is not a document kind; known kinds: {', '.join(sorted(_KINDS))}"
    raise ConfigError(msg)


def dump_document(obj: object) -> dict[str, Any]:
    """Return *obj* wrapped in its envelope: kind, schema version and data."""
    data = _Dumpers.function(type(obj))(obj) if attrs.has(type(obj)) else to_dict(obj)
    return {"kind": kind_of(obj), "schema_version": SCHEMA_VERSION, "data": data}


def load_document(
    document: Any,
    expected: type[T] | None = None,
    *,
    source: str | None = None,
    trusted: bool = False,
) -> Any:
    """Build the object a document envelope holds, upgrading older versions.

    Args:
        document: The parsed envelope (a dict with kind, schema_version and data).
        expected: The type the caller wants; a document of another kind is an error.
        source: Where the document came from, for messages.
        trusted: The document is one devcycle validated and stored itself (a store's
            record): at the current schema version its data is built by
            `from_trusted_dict`, without validating it again. Older versions are upgraded
            and validated as ever; never set this for files, imports or anything a person
            or another program may have written.

    Raises:
        ValidationError: Listing every problem with its path.
    """
    if not isinstance(document, Mapping):
        raise ValidationError(
            [
                f"expected a devcycle document (an object with kind, schema_version and data), "
                f"got {_type_name(document)} @ $"
            ],
            source=source,
        )
    problems: list[str] = []
    extra = sorted(str(key) for key in set(document) - {"kind", "schema_version", "data"})
    if extra:
        problems.append(f"unknown field(s) {', '.join(extra)} @ $")
    kind = document.get("kind")
    version = document.get("schema_version")
    data = document.get("data")
    cls: type | None = None
    if not isinstance(kind, str) or kind not in _KINDS:  # a list or object is not hashable
        problems.append(
            f"expected kind to be one of {', '.join(sorted(_KINDS))} (got {kind!r}) @ $.kind"
        )
    else:
        cls = _KINDS[kind]
        if expected is not None and cls is not expected:
            problems.append(f"expected a {kind_of(expected)} document (got {kind!r}) @ $.kind")
    if isinstance(version, bool) or not isinstance(version, int):
        problems.append(
            f"expected schema_version to be a whole number (got {version!r}) @ $.schema_version"
        )
    elif version > SCHEMA_VERSION:
        problems.append(
            f"schema_version {version} is newer than this devcycle reads ({SCHEMA_VERSION}): "
            "upgrade devcycle @ $.schema_version"
        )
    elif version < 1:
        problems.append(f"schema_version must be 1 or more (got {version}) @ $.schema_version")
    if not isinstance(data, Mapping):
        problems.append(f"expected data to be an object (got {_type_name(data)}) @ $.data")
    if problems or cls is None or not isinstance(data, Mapping):
        raise ValidationError(problems, source=source)
    upgraded = dict(data)
    for step in range(cast("int", version), SCHEMA_VERSION):
        upgrade = _UPGRADES.get((cast("str", kind), step))
        if upgrade is None:
            raise ValidationError(
                [f"no upgrade from schema_version {step} for {kind} documents @ $.schema_version"],
                source=source,
            )
        upgraded = upgrade(upgraded)
    build = from_trusted_dict if trusted and version == SCHEMA_VERSION else from_dict
    return build(upgraded, cls, path="$.data", source=source)


# ------------------------------------------------------------------------ formats


class _Codec(Protocol):
    def loads(self, text: str) -> Any: ...

    def dumps(self, data: Any) -> str: ...


def _no_constant(name: str) -> Any:
    raise _InvalidValueError(f"{name} is not a number JSON allows")


def _too_deep() -> ValidationError:
    return ValidationError([f"nested deeper than {MAX_DEPTH} levels @ $"])


def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A `json.loads` ``object_pairs_hook`` refusing a key given twice in one object.

    Python's `json` keeps the last of two values silently (``{"cost": "5000", "cost": "5"}``
    reads as ``5``); devcycle refuses the object instead, naming the key.

    Raises:
        ValidationError: Naming the repeated key (the caller adds the file).
    """
    result: dict[str, Any] = {}
    for key, value in pairs:
        if key in result:
            msg = f"the key {key!r} is given twice in one object; give each key once @ $"
            raise ValidationError([msg])
        result[key] = value
    return result


class _Json:
    def loads(self, text: str) -> Any:
        try:
            return json.loads(text, parse_constant=_no_constant, object_pairs_hook=unique_keys)
        except ValidationError:
            raise
        except json.JSONDecodeError as exc:
            raise ValidationError(
                [f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno} @ $"]
            ) from None
        except RecursionError:
            raise _too_deep() from None
        except ValueError as exc:  # a number of thousands of digits, NaN, Infinity
            raise ValidationError([f"not valid JSON: {_first_line(exc)} @ $"]) from None

    def dumps(self, data: Any) -> str:
        return json.dumps(data, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


class _Toml:
    def loads(self, text: str) -> Any:
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise ValidationError([f"not valid TOML: {exc} @ $"]) from None
        except RecursionError:
            raise _too_deep() from None
        except ValueError as exc:  # a number of thousands of digits, an impossible date
            raise ValidationError([f"not valid TOML: {_first_line(exc)} @ $"]) from None

    def dumps(self, data: Any) -> str:
        return cast("str", _adapter("devcycle.interop.tomlfmt", "toml").dumps(_drop_none(data)))


class _Yaml:
    def loads(self, text: str) -> Any:
        return _adapter("devcycle.interop.yamlfmt", "yaml").loads(text)

    def dumps(self, data: Any) -> str:
        return cast("str", _adapter("devcycle.interop.yamlfmt", "yaml").dumps(data))


_CODECS: dict[str, _Codec] = {"json": _Json(), "toml": _Toml(), "yaml": _Yaml()}


def _adapter(module: str, extra: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        msg = f'format {extra!r} needs: pip install "devcycle[{extra}]" ({exc})'
        raise ConfigError(msg) from None


def _drop_none(data: Any) -> Any:
    """TOML has no null: leave out keys whose value is None (they load as the default)."""
    if isinstance(data, dict):
        return {k: _drop_none(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_drop_none(v) for v in data]
    return data


def _codec(fmt: str) -> _Codec:
    try:
        return _CODECS[fmt]
    except KeyError:
        msg = f"unknown format {fmt!r}; expected one of: {', '.join(FORMATS)}"
        raise ConfigError(msg) from None


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    if "integer string conversion" in text:
        return "a whole number of more than 4,300 digits"
    return text.splitlines()[0] if text else type(exc).__name__


def _path_of(path: tuple[object, ...]) -> str:
    out = "$"
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _value_problem(value: object) -> str | None:
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            return (
                f"text holds a lone surrogate (U+{ord(value[exc.start]):04X}) at character "
                f"{exc.start + 1}, which no file can store"
            )
        return None
    if isinstance(value, bool):
        return None
    if isinstance(value, int) and not -MAX_INTEGER <= value <= MAX_INTEGER:
        return f"number out of range: whole numbers must be within ±{MAX_INTEGER:,}"
    if isinstance(value, float) and not math.isfinite(value):
        return f"number out of range: {value!r} is not a finite number"
    return None


def check_limits(data: Any, *, source: str | None = None) -> None:
    """Check parsed *data* against `MAX_DEPTH`, `MAX_NODES` and the value ranges.

    Walks iteratively (no recursion), each shared object once per reference, and stops
    counting as soon as `MAX_NODES` is passed.

    Raises:
        ValidationError: Naming the first problems found, with their paths.
    """
    problems: list[str] = []
    count = 0
    stack: list[tuple[Any, tuple[object, ...]]] = [(data, ())]
    while stack:
        value, path = stack.pop()
        count += 1
        if count > MAX_NODES:
            problems.append(f"more than {MAX_NODES:,} values in one document @ $")
            break
        if isinstance(value, dict):
            children: Any = value.items()
        elif isinstance(value, list):
            children = enumerate(value)
        else:
            problem = _value_problem(value)
            if problem is not None:
                problems.append(f"{problem} @ {_path_of(path)}")
                if len(problems) >= 20:
                    break
            continue
        if len(path) >= MAX_DEPTH:
            problems.append(f"nested deeper than {MAX_DEPTH} levels @ {_path_of(path)}")
            break
        for key, child in children:
            if isinstance(key, str):
                problem = _value_problem(key)
                if problem is not None:
                    problems.append(f"{problem} (in a field name) @ {_path_of(path)}")
            stack.append((child, (*path, key)))
    if problems:
        raise ValidationError(problems, source=source)


def parse(text: str, fmt: str = "json", *, source: str | None = None) -> Any:
    """Parse *text* in *fmt* into plain data, or raise `ValidationError` naming the source.

    The data is checked against the limits (`check_limits`): nesting, size, number range,
    text every file can store.
    """
    try:
        data = _codec(fmt).loads(text)
        check_limits(data)
    except ValidationError as exc:
        raise exc.with_source(source) if source else exc from None
    return data


def read_file(path: str | os.PathLike[str], fmt: str | None = None) -> Any:
    """Read and `parse` the file at *path*; the format comes from its suffix by default.

    Raises:
        ValidationError: If the file cannot be read, is not UTF-8, is too large, or does
            not parse within the limits; the message names the file.
    """
    file = Path(path)
    chosen = fmt or {".yml": "yaml"}.get(file.suffix.lower(), file.suffix.lower().lstrip("."))
    if chosen not in FORMATS:
        known = ", ".join(f".{f}" for f in FORMATS)
        raise ValidationError(
            [f"cannot tell the format from the suffix {file.suffix or '(none)'!r}; use {known}"],
            source=str(file),
        )
    return parse(read_text(file), chosen, source=str(file))


def render(data: Any, fmt: str = "json") -> str:
    """Write plain data as *fmt* text."""
    return _codec(fmt).dumps(data)


def dumps(obj: object, fmt: str = "json") -> str:
    """Return *obj* as a document (envelope included) in *fmt*: json, toml or yaml."""
    return render(dump_document(obj), fmt)


def loads(
    text: str, expected: type[T] | None = None, fmt: str = "json", *, source: str | None = None
) -> Any:
    """Load a document written by `dumps`, checking its kind, version and every field.

    Raises:
        ValidationError: If the text is not in *fmt*, or the document is malformed.
    """
    return load_document(parse(text, fmt, source=source), expected, source=source)


def attrs_fields(cls: type) -> tuple[str, ...]:
    """Return the field names of an attrs class, for messages and column lists."""
    return tuple(f.name for f in attrs.fields(cls))
