"""A sample school for testing an access policy: one actor per role, on both sides of each line.

`access_school` builds a school whose one full cycle holds something in every field the
policy decides (objectives, evidence, observations, review notes, the wellbeing and career
conversation, private notes for each audience, a pay recommendation), each carrying a
marker text so that a test can tell whether it reached a reader. `insiders` gives, for each
default role, an actor who holds it properly; `outsiders` one who claims it without the
standing (a colleague claiming to be the reviewee, a teacher claiming to be the
headteacher, an administrator of another school...). Embedders changing the policy run
their own tables over the same school.

Examples:
    >>> sample = access_school()
    >>> sorted(insiders(sample))[:3]
    ['auditor', 'governor', 'headteacher']
"""

from __future__ import annotations

from datetime import date

import attrs

from devcycle import domain
from devcycle.access import Actor
from devcycle.services import Services

__all__ = ["MARKERS", "AccessSample", "access_school", "insiders", "outsiders"]

TRUST = "trust-a"
OTHER_TRUST = "trust-z"

MARKERS: dict[str, str] = {
    "objectives": "OBJECTIVE-3f1a",
    "evidence": "EVIDENCE-77b2",
    "observations": "OBSERVATION-90c4",
    "reviews": "REVIEW-NOTES-5d1e",
    "conversation.wellbeing": "WELLBEING-c0de",
    "conversation.workload": "WORKLOAD-1b2b",
    "conversation.career": "CAREER-a11e",
    "private_notes:headteacher": "NOTE-FOR-HEAD-e4e4",
    "private_notes:reviewer": "NOTE-FOR-REVIEWER-7a7a",
    "private_notes:reviewee": "NOTE-FOR-REVIEWEE-3c3c",
    "private_notes:governors_panel": "NOTE-FOR-GOVERNORS-9f9f",
    "pay_recommendation": "PAY-M4-6d6d",
}
"""A marker text in each field of the full cycle, by field (private notes by audience)."""


@attrs.frozen
class AccessSample:
    """The sample school: two schools of one trust and one of another, and their records."""

    schools: tuple[domain.School, ...]
    staff: tuple[domain.StaffMember, ...]
    cycles: tuple[domain.Cycle, ...]

    @property
    def school(self) -> domain.School:
        """The school the full cycle is in."""
        return self.schools[0]

    @property
    def cycle(self) -> domain.Cycle:
        """The full cycle: T1's, reviewed by R1, line-managed by L1."""
        return self.cycles[0]

    def save(self, services: Services) -> None:
        """Save every school with its staff, then every cycle, through *services* as the system."""
        system = Actor.system()
        for school in self.schools:
            services.save_school(
                system, school, [m for m in self.staff if m.school_id == school.id]
            )
        for cycle in self.cycles:
            services.save_cycle(system, cycle)


def _day(month: int, day: int, year: int = 2026) -> date:
    return date(year if month >= 9 else year + 1, month, day)


def _staff(school_id: str) -> list[domain.StaffMember]:
    role = domain.Role
    return [
        domain.StaffMember(id="H1", name="Head", school_id=school_id, roles={role.HEADTEACHER}),
        domain.StaffMember(
            id="R1", name="Reviewer", school_id=school_id, roles={role.MIDDLE_LEADER}
        ),
        domain.StaffMember(id="L1", name="Line manager", school_id=school_id, roles={role.TEACHER}),
        domain.StaffMember(
            id="T1",
            name="Teacher one",
            school_id=school_id,
            roles={role.TEACHER},
            reviewer_id="R1",
            line_manager_id="L1",
        ),
        domain.StaffMember(
            id="T2", name="Teacher two", school_id=school_id, roles={role.TEACHER}, reviewer_id="R1"
        ),
    ]


def _full_cycle(school_id: str) -> domain.Cycle:
    aud = domain.Audience
    cycle = domain.Cycle(
        id="C1",
        school_id=school_id,
        staff_id="T1",
        reviewer_id="R1",
        period_start=_day(9, 1),
        period_end=_day(8, 31),
        pay_recommendations=True,
    )
    cycle.set_milestones(
        [
            domain.Milestone("plan", "Planning", domain.MilestoneKind.PLANNING, _day(10, 31)),
            domain.Milestone("mid", "Mid-year", domain.MilestoneKind.MID_YEAR, _day(2, 14)),
        ],
        by="R1",
        on=_day(9, 1),
    )
    cycle.start_planning(by="R1", on=_day(9, 5))
    objective = cycle.propose_objective(
        by="T1", on=_day(9, 20), statement=f"{MARKERS['objectives']}: reading groups by March."
    )
    cycle.agree_objective(objective.id, by="R1", on=_day(10, 1))
    cycle.activate(by="R1", on=_day(10, 1))
    cycle.record_check_in(objective.id, by="T1", on=_day(11, 1), note="Going well.")
    cycle.add_evidence(by="T1", on=_day(11, 2), description=MARKERS["evidence"])
    cycle.record_observation(
        by="R1", on=_day(11, 3), kind=domain.ObservationKind.LESSON, focus=MARKERS["observations"]
    )
    cycle.record_review(
        by="R1",
        on=_day(2, 10),
        kind=domain.ReviewKind.MID_YEAR,
        notes=MARKERS["reviews"],
        conversation=domain.Conversation(
            wellbeing=MARKERS["conversation.wellbeing"],
            workload=MARKERS["conversation.workload"],
            career=MARKERS["conversation.career"],
        ),
        private_notes=[domain.Confidential(MARKERS[f"private_notes:{a.value}"], {a}) for a in aud],
        pay_recommendation=domain.PayRecommendation(MARKERS["pay_recommendation"]),
    )
    return cycle


def access_school() -> AccessSample:
    """Return the sample school and its neighbours.

    School ``sa`` (trust-a, keeps pay) holds the full cycle ``C1`` and T2's ``C2``; school
    ``sb`` in the same trust and ``sc`` in another hold the same staff ids.
    """
    schools = (
        domain.School(
            id="sa",
            name="School A",
            trust_id=TRUST,
            policy=domain.Policy(pay_recommendations=True),
        ),
        domain.School(id="sb", name="School B", trust_id=TRUST),
        domain.School(id="sc", name="School C", trust_id=OTHER_TRUST),
    )
    staff = tuple(m for s in schools for m in _staff(s.id))
    second = domain.Cycle(
        id="C2",
        school_id="sa",
        staff_id="T2",
        reviewer_id="R1",
        period_start=_day(9, 1),
        period_end=_day(8, 31),
    )
    return AccessSample(
        schools=schools, staff=staff, cycles=(_full_cycle("sa"), second, _full_cycle("sb"))
    )


def insiders(sample: AccessSample) -> dict[str, Actor]:
    """Return, for each default role, an actor holding it with the standing it needs on C1."""
    school = sample.school.id
    return {
        "reviewee": Actor("T1", "reviewee", school_id=school),
        "reviewer": Actor("R1", "reviewer", school_id=school),
        "line_manager": Actor("L1", "line_manager", school_id=school),
        "headteacher": Actor("H1", "headteacher", school_id=school),
        "school_admin": Actor("A1", "school_admin", school_id=school),
        "governor": Actor("G1", "governor", school_id=school),
        "trust_leader": Actor("TL1", "trust_leader", trust_id=TRUST),
        "auditor": Actor("AU1", "auditor", school_id=school),
        "system": Actor.system(),
    }


def outsiders(sample: AccessSample) -> dict[str, Actor]:
    """Return, for each default role but system, an actor claiming it without standing on C1."""
    school = sample.school.id
    return {
        "reviewee": Actor("T2", "reviewee", school_id=school),
        "reviewer": Actor("T2", "reviewer", school_id=school),
        "line_manager": Actor("T2", "line_manager", school_id=school),
        "headteacher": Actor("T1", "headteacher", school_id=school),
        "school_admin": Actor("A1", "school_admin", school_id="sc"),
        "governor": Actor("G1", "governor", school_id="sc"),
        "trust_leader": Actor("TL1", "trust_leader", trust_id=OTHER_TRUST),
        "auditor": Actor("AU1", "auditor", school_id="sc"),
    }
