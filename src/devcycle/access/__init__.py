"""Who may see and do what: the access policy as data, the `Actor`, and views for an actor.

devcycle decides access in one place. The embedder authenticates a person and maps them to
an `Actor` (who, acting as what, in which school or trust); the access policy (TOML, deny
by default, the shipped default merged with a school's or vendor's own file) says which
actions each role may take and which fields it may read and write; `decide`/`require`
answer for one action, `view_for` gives a record as an actor may see it, and
`check_change` refuses a change the actor may not make. `devcycle.services` asks these on
every call; proformas, exports and reports read through the same views.

Example:
    >>> from datetime import date
    >>> import devcycle as dc
    >>> from devcycle.access import Actor, default_policy, view_for
    >>> cycle = dc.Cycle(id="C1", school_id="oak", staff_id="T1", reviewer_id="H1",
    ...                  period_start=date(2026, 9, 1), period_end=date(2027, 8, 31))
    >>> colleague = Actor("T2", "reviewee", school_id="oak")
    >>> try:
    ...     view_for(default_policy(), colleague, cycle)
    ... except dc.AccessDenied as denied:
    ...     print(str(denied).split(": ")[-1])
    a reviewee may act only on their own cycle; 'C1' is not theirs
"""

from __future__ import annotations

from devcycle.access.actor import SYSTEM, Actor
from devcycle.access.decide import (
    Decision,
    decide,
    proforma_audience,
    require,
    require_each,
    role_for,
    role_of,
)
from devcycle.access.policy import (
    ACTIONS,
    ALL,
    CYCLE_ACTIONS,
    FIELDS,
    RELATIONS,
    SCOPES,
    AccessPolicy,
    RolePolicy,
    default_policy,
    load_policy,
    parse_policy,
)
from devcycle.access.view import (
    CONFIDENTIAL_FIELDS,
    REPORT_READER,
    WITHHELD,
    check_change,
    check_school_change,
    confidential_fields,
    fields_written,
    granting_roles,
    pay_kept,
    redact,
    report_view,
    reports_individual,
    view_for,
)

__all__ = [
    "ACTIONS",
    "ALL",
    "CONFIDENTIAL_FIELDS",
    "CYCLE_ACTIONS",
    "FIELDS",
    "RELATIONS",
    "REPORT_READER",
    "SCOPES",
    "SYSTEM",
    "WITHHELD",
    "AccessPolicy",
    "Actor",
    "Decision",
    "RolePolicy",
    "check_change",
    "check_school_change",
    "confidential_fields",
    "decide",
    "default_policy",
    "fields_written",
    "granting_roles",
    "load_policy",
    "parse_policy",
    "pay_kept",
    "proforma_audience",
    "redact",
    "report_view",
    "reports_individual",
    "require",
    "require_each",
    "role_for",
    "role_of",
    "view_for",
]
