"""The access policy as data: roles, the actions they may take and the fields they may see.

A policy is read from TOML (the shipped default is ``devcycle/access/default.toml``) and is
deny by default: a role may take only the actions it lists and read or write only the
fields it lists. A school's or vendor's file in the same format is merged over the default
with `load_policy`; each role table it gives replaces those keys of that role, or adds a
new role, and ``[policy] replace = true`` starts from an empty policy instead.

Example:
    >>> from devcycle.access import default_policy
    >>> policy = default_policy()
    >>> policy.role("reviewee").may_read("pay_recommendation")
    False
    >>> policy.role("headteacher").may_read("pay_recommendation")
    True
"""

from __future__ import annotations

import functools
import tomllib
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from typing import Any, Final

import attrs

from devcycle.domain import Audience
from devcycle.domain._validate import to_set
from devcycle.errors import ConfigError, NotFoundError, ValidationError
from devcycle.fileio import read_text

__all__ = [
    "ACTIONS",
    "ALL",
    "CYCLE_ACTIONS",
    "FIELDS",
    "RELATIONS",
    "SCOPES",
    "AccessPolicy",
    "RolePolicy",
    "default_policy",
    "load_policy",
    "parse_policy",
]

ALL: Final = "*"
"""In a role's ``actions``, ``read`` or ``write``: everything; as its ``audience``: every one."""

CYCLE_ACTIONS: Final = (
    "start_planning",
    "activate",
    "begin_final_review",
    "close",
    "end_on_leaving",
    "assign_reviewer",
    "set_milestones",
    "complete_milestone",
    "draft_objective",
    "propose_objective",
    "submit_objective",
    "return_objective",
    "moderate_objective",
    "agree_objective",
    "set_objective",
    "revise_objective",
    "evaluate_objective",
    "record_check_in",
    "record_colleague_impact",
    "add_evidence",
    "record_observation",
    "record_review",
)
"""Actions that change a cycle: the `devcycle.domain.Cycle` methods of the same names."""

ACTIONS: Final = (
    "read_cycle",
    *CYCLE_ACTIONS,
    "create_cycle",
    "save_cycle",
    "read_school",
    "write_school",
    "write_staff",
    "write_cpd",
    "report",
    "export",
    "import",
    "read_audit",
    "read_policy",
    "rate_meeting",
    "answer_survey",
    "run_survey",
    "set_cpd_budget",
    "plan_training",
    "grant_role",
    "govern_school",
    "write_trust",
)
"""Every action a policy can grant.

Who holds power: ``grant_role`` (give a member of staff a staff role that carries access:
one a policy role requires, such as headteacher, or a leading role, whose holders review
others; never to oneself) and ``govern_school`` (move the school to another trust, change
its appraisal policy: pay recommendations, objectives, observation hours). ``write_staff``
and ``write_school`` cover everything else about staff and the school. ``write_trust``
creates or changes a trust's own record (its name, the schools it lists) through
`devcycle.services.Services.save_trust`; which trust a school belongs to stays the school's
``govern_school``.

Planned training: ``set_cpd_budget`` (add, change or remove a school's CPD budget) and
``plan_training`` (add, change or remove entries of its training plan: dates, owner, hours,
cost). The plan is read, against the budget, through the training-needs report (``report``).

Staff voice: ``rate_meeting`` (a reviewee rates a meeting of their own cycle),
``answer_survey`` (a member of staff records their own survey answers) and ``run_survey``
(set up a process survey, record anyone's answers). No action reads an individual rating or
answer: they are shown only in anonymous groups, through reports (``report``).
"""

FIELDS: Final = (
    "milestones",
    "objectives",
    "evidence",
    "observations",
    "reviews",
    "conversation.wellbeing",
    "conversation.workload",
    "conversation.career",
    "private_notes",
    "pay_recommendation",
    "history",
)
"""The parts of a cycle a policy grants reading or writing one by one.

``objectives`` covers their check-ins, evaluations and impact on colleagues; ``reviews`` the
shared parts of review meetings (notes, reflections, strengths, next steps, agreed actions,
development needs); ``conversation.*`` the wellbeing, workload and career conversation;
``private_notes``
the confidential notes, each further limited to its own audiences; ``pay_recommendation``
the pay recommendation, also limited to its audiences and to schools whose policy keeps pay.
A cycle's outline (its id, school, reviewee, reviewer, period, template and status) is
shown to everyone who may read the cycle at all.
"""

SCOPES: Final = ("school", "trust", "school_or_trust", "any")
"""Where a role's authority lies: the actor's school, their trust, either, or anywhere."""

RELATIONS: Final = ("reviewee", "reviewer", "line_manager", "any")
"""The tie to a cycle a role needs: its reviewee, its reviewer, the reviewee's line manager,
or none (any cycle in scope)."""

_ROLE_KEYS: Final = frozenset(
    {
        "description",
        "scope",
        "relation",
        "audience",
        "staff_roles",
        "prepare_for",
        "on_behalf",
        "actions",
        "read",
        "write",
    }
)


def _allows(granted: frozenset[str], item: str) -> bool:
    return ALL in granted or item in granted


@attrs.frozen
class RolePolicy:
    """What one role may do and see.

    Attributes:
        name: The role's name ("reviewee", "headteacher"...).
        description: One line saying who holds it.
        scope: Where its authority lies: ``school``, ``trust``, ``school_or_trust`` or ``any``.
        relation: The tie to a cycle it needs: ``reviewee``, ``reviewer``, ``line_manager``
            or ``any``.
        audience: The proforma audience it reads as (for confidential notes and pay): an
            `Audience` value, ``"*"`` for every audience, or None for none.
        staff_roles: If not empty, the actor must be a member of staff of the school holding
            one of these `devcycle.domain.Role` values (a claimed headteacher must be one).
        prepare_for: Audiences it may prepare a proforma for besides its own.
        on_behalf: Whether it may record actions in other people's names (an import of
            what people did elsewhere); every other role acts only as itself.
        actions: The actions it may take.
        read: The fields it may read.
        write: The fields it may write.

    Each set (*staff_roles*, *prepare_for*, *actions*, *read*, *write*) takes a list or a
    set; text is refused naming the field (``actions="report"`` would otherwise be read
    letter by letter, or as a substring test), as in every domain record.
    """

    name: str
    description: str = ""
    scope: str = "school"
    relation: str = "any"
    audience: str | None = None
    staff_roles: frozenset[str] = attrs.field(default=frozenset(), converter=to_set)
    prepare_for: frozenset[Audience] = attrs.field(default=frozenset(), converter=to_set)
    on_behalf: bool = False
    actions: frozenset[str] = attrs.field(default=frozenset(), converter=to_set)
    read: frozenset[str] = attrs.field(default=frozenset(), converter=to_set)
    write: frozenset[str] = attrs.field(default=frozenset(), converter=to_set)

    def may(self, action: str) -> bool:
        """Return whether the role may take *action* (scope and relation aside)."""
        return _allows(self.actions, action)

    def may_read(self, field: str) -> bool:
        """Return whether the role may read *field*."""
        return _allows(self.read, field)

    def may_write(self, field: str) -> bool:
        """Return whether the role may write *field*."""
        return _allows(self.write, field)

    def sees(self, audiences: Iterable[Audience]) -> bool:
        """Return whether the role's audience is among *audiences* (a note's, say)."""
        if self.audience == ALL:
            return True
        return self.audience is not None and Audience(self.audience) in set(audiences)

    def to_dict(self) -> dict[str, Any]:
        """Return the role as the TOML table it is written as."""
        data: dict[str, Any] = {
            "description": self.description,
            "scope": self.scope,
            "relation": self.relation,
        }
        if self.audience is not None:
            data["audience"] = self.audience
        data["staff_roles"] = sorted(self.staff_roles)
        data["prepare_for"] = sorted(a.value for a in self.prepare_for)
        data["on_behalf"] = self.on_behalf
        data["actions"] = [a for a in (ALL, *ACTIONS) if a in self.actions]
        data["read"] = [f for f in (ALL, *FIELDS) if f in self.read]
        data["write"] = [f for f in (ALL, *FIELDS) if f in self.write]
        return data


@attrs.frozen
class AccessPolicy:
    """A whole access policy: every role by name, deny by default.

    Attributes:
        name: The policy's name.
        description: What it decides, in a sentence.
        roles: Each role's `RolePolicy`, by name.
        sources: The files merged to make it, oldest first.
    """

    name: str
    roles: Mapping[str, RolePolicy] = attrs.field(factory=dict, eq=False, hash=False)
    description: str = ""
    sources: tuple[str, ...] = ()

    def role(self, name: str) -> RolePolicy:
        """Return the role called *name*.

        Raises:
            NotFoundError: If the policy has no such role (the message lists its roles).
        """
        try:
            return self.roles[name]
        except KeyError:
            raise NotFoundError("access role", name, known=list(self.roles)) from None

    def role_for_audience(self, audience: Audience | str) -> RolePolicy:
        """Return the role whose own audience is *audience* (reviewee -> reviewee...).

        Raises:
            NotFoundError: If no role reads as that audience.
        """
        wanted = Audience(audience).value
        for role in self.roles.values():
            if role.audience == wanted:
                return role
        known = [r.audience for r in self.roles.values() if r.audience not in (None, ALL)]
        raise NotFoundError("role reading as audience", wanted, known=[k for k in known if k])

    def merged(self, data: Mapping[str, Any], *, source: str = "<data>") -> AccessPolicy:
        """Return this policy with *data* (a parsed policy file) merged over it."""
        return parse_policy(data, source=source, base=self)

    def to_dict(self) -> dict[str, Any]:
        """Return the policy as the TOML document it is written as."""
        return {
            "policy": {"name": self.name, "description": self.description},
            "roles": {name: role.to_dict() for name, role in self.roles.items()},
        }


def _names(
    value: Any, path: str, known: Iterable[str], problems: list[str], *, star: bool = True
) -> frozenset[str]:
    allowed = set(known) | ({ALL} if star else set())
    if not isinstance(value, list):
        problems.append(f"expected a list of names (got {value!r}) @ {path}")
        return frozenset()
    out: set[str] = set()
    for index, item in enumerate(value):
        if not isinstance(item, str) or item not in allowed:
            shown = ", ".join(sorted(allowed))
            problems.append(f"expected one of {shown} (got {item!r}) @ {path}[{index}]")
        else:
            out.add(item)
    return frozenset(out)


def _choice(value: Any, path: str, known: Iterable[str], problems: list[str]) -> str:
    options = tuple(known)
    if value not in options:
        problems.append(f"expected one of {', '.join(options)} (got {value!r}) @ {path}")
        return options[0]
    return str(value)


def _role(  # noqa: PLR0912 - one branch per key of a role table
    name: str, raw: Mapping[str, Any], base: RolePolicy | None, problems: list[str]
) -> RolePolicy:
    path = f"$.roles.{name}"
    unknown = sorted(str(key) for key in set(raw) - _ROLE_KEYS)
    if unknown:
        problems.append(
            f"unknown key(s) {', '.join(unknown)}; expected {', '.join(sorted(_ROLE_KEYS))} "
            f"@ {path}"
        )
    role = base or RolePolicy(name=name)
    changes: dict[str, Any] = {}
    if "description" in raw:
        if not isinstance(raw["description"], str):
            problems.append(f"expected text (got {raw['description']!r}) @ {path}.description")
        else:
            changes["description"] = raw["description"]
    if "scope" in raw:
        changes["scope"] = _choice(raw["scope"], f"{path}.scope", SCOPES, problems)
    if "relation" in raw:
        changes["relation"] = _choice(raw["relation"], f"{path}.relation", RELATIONS, problems)
    if "audience" in raw:
        audiences = (ALL, *(a.value for a in Audience))
        changes["audience"] = _choice(raw["audience"], f"{path}.audience", audiences, problems)
    if "staff_roles" in raw:
        from devcycle.domain import Role  # noqa: PLC0415 - only a policy naming staff roles

        changes["staff_roles"] = _names(
            raw["staff_roles"],
            f"{path}.staff_roles",
            [r.value for r in Role],
            problems,
            star=False,
        )
    if "prepare_for" in raw:
        names = _names(
            raw["prepare_for"],
            f"{path}.prepare_for",
            [a.value for a in Audience],
            problems,
            star=False,
        )
        changes["prepare_for"] = frozenset(Audience(n) for n in names)
    if "on_behalf" in raw:
        if not isinstance(raw["on_behalf"], bool):
            problems.append(f"expected true or false (got {raw['on_behalf']!r}) @ {path}.on_behalf")
        else:
            changes["on_behalf"] = raw["on_behalf"]
    for key, known in (("actions", ACTIONS), ("read", FIELDS), ("write", FIELDS)):
        if key in raw:
            changes[key] = _names(raw[key], f"{path}.{key}", known, problems)
    return attrs.evolve(role, **changes)


def parse_policy(
    data: Mapping[str, Any], *, source: str = "<data>", base: AccessPolicy | None = None
) -> AccessPolicy:
    """Build an `AccessPolicy` from parsed TOML, merged over *base* if given.

    Raises:
        ValidationError: Listing every problem as ``description @ $.path``.
    """
    if not isinstance(data, Mapping):
        raise ValidationError(
            [f"expected a table with [policy] and [roles.NAME] (got {type(data).__name__}) @ $"],
            source=source,
        )
    problems: list[str] = []
    extra = sorted(str(key) for key in set(data) - {"policy", "roles"})
    if extra:
        problems.append(f"unknown table(s) {', '.join(extra)}; expected policy, roles @ $")
    header = data.get("policy", {})
    if not isinstance(header, Mapping):
        problems.append("expected a [policy] table @ $.policy")
        header = {}
    unknown = sorted(str(key) for key in set(header) - {"name", "description", "replace"})
    if unknown:
        problems.append(f"unknown key(s) {', '.join(unknown)} @ $.policy")
    replace = header.get("replace", False)
    if not isinstance(replace, bool):
        problems.append(f"expected true or false (got {replace!r}) @ $.policy.replace")
        replace = False
    start = None if base is None or replace else base
    roles: dict[str, RolePolicy] = dict(start.roles) if start is not None else {}
    raw_roles = data.get("roles", {})
    if not isinstance(raw_roles, Mapping):
        problems.append("expected [roles.NAME] tables @ $.roles")
        raw_roles = {}
    for name, raw in raw_roles.items():
        if not isinstance(name, str):  # parsed TOML keys are text; an embedder's mapping may not be
            problems.append(f"expected a role name as text (got {name!r}) @ $.roles")
            continue
        if not isinstance(raw, Mapping):
            problems.append(f"expected a table @ $.roles.{name}")
            continue
        roles[name] = _role(name, raw, roles.get(name), problems)
    if problems:
        raise ValidationError(problems, source=source)
    name = header.get("name") or (start.name if start is not None else source)
    description = header.get("description") or (start.description if start else "")
    return AccessPolicy(
        name=str(name),
        description=str(description),
        roles=roles,
        sources=((*start.sources, source) if start is not None else (source,)),
    )


def _parse_text(text: str, source: str, base: AccessPolicy | None) -> AccessPolicy:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ValidationError([f"not valid TOML: {exc} @ $"], source=source) from None
    except (RecursionError, ValueError) as exc:  # deep inline tables, huge numbers
        problem = "nested too deeply" if isinstance(exc, RecursionError) else str(exc)
        raise ValidationError([f"not valid TOML: {problem} @ $"], source=source) from None
    return parse_policy(data, source=source, base=base)


@functools.cache
def default_policy() -> AccessPolicy:
    """Return the shipped default policy (``devcycle/access/default.toml``)."""
    text = resources.files("devcycle.access").joinpath("default.toml").read_text("utf-8")
    return _parse_text(text, "devcycle:access/default.toml", None)


def load_policy(*paths: str | Path, base: AccessPolicy | None = None) -> AccessPolicy:
    """Read policy files and merge each, in order, over *base* (the default policy if None).

    Args:
        paths: A school's or vendor's policy files (TOML, the default's format).
        base: The policy to merge over; the shipped default when None.

    Raises:
        ConfigError: If a file does not exist.
        ValidationError: If a file cannot be read (not a regular file, over the size
            limit, not UTF-8) or is not a valid policy, naming the file and each key.
    """
    policy = base or default_policy()
    for path in paths:
        file = Path(path)
        if not file.exists():
            msg = f"cannot read the access policy file {str(file)!r}: no such file"
            raise ConfigError(msg)
        # read_text refuses folders, FIFOs, devices and huge files, and names a non-UTF-8
        # byte's line, each as a ValidationError naming the file.
        policy = _parse_text(read_text(file), str(file), policy)
    return policy
