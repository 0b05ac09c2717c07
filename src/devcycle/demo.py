"""A realistic sample school, built only through the public API, for the demo and the docs.

`build_demo` makes Oakfield Primary & Nursery: fourteen staff across every role, three
improvement-plan priorities, a cycle for each person with two or three objectives, CPD,
check-ins, evidence and observations, and one closed cycle from the year before; and staff
voice: the reviewees' ratings of their meetings and two whole-staff process surveys (last
summer's and this spring's), enough answers for the whole school and Key Stage 2 to be shown
while every smaller group is withheld. Every date comes from the *year* argument: nothing
reads the clock.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from functools import partial

import attrs

from devcycle.catalogues.templates import template
from devcycle.domain import (
    KPI,
    RAG,
    AgreedAction,
    Audience,
    Confidential,
    Conversation,
    CPDActivity,
    CPDKind,
    Cycle,
    ImpactLevel,
    ImpactRecord,
    MeetingRating,
    Milestone,
    ObjectiveKind,
    ObjectiveRef,
    ObservationKind,
    Outcome,
    Policy,
    Priority,
    ProcessSurvey,
    ReviewKind,
    Role,
    School,
    SharedWith,
    StaffMember,
    SurveyResponse,
    Team,
    TeamMilestone,
)
from devcycle.domain.calendar import SchoolCalendar, england_pattern
from devcycle.domain.milestones import MilestoneKind
from devcycle.domain.scheduling import plan
from devcycle.domain.training import CPDBudget, TrainingPlanEntry
from devcycle.domain.voice import rate_meeting
from devcycle.storage.base import UnitOfWork

__all__ = ["DemoSchool", "build_demo"]


@attrs.frozen
class DemoSchool:
    """Everything `build_demo` makes."""

    school: School
    staff: tuple[StaffMember, ...]
    cycles: tuple[Cycle, ...]
    cpd: tuple[CPDActivity, ...]
    as_of: date
    """The date the sample is "as of": mid-February of the cycle's year."""
    calendar: SchoolCalendar
    """The approximate England calendar the milestones were scheduled on."""
    surveys: tuple[ProcessSurvey, ...] = ()
    """The whole-staff process surveys: last summer's and this spring's."""
    ratings: tuple[MeetingRating, ...] = ()
    """The reviewees' ratings of their meetings held before the as-of date."""
    responses: tuple[SurveyResponse, ...] = ()
    """The answers to the surveys."""
    training_plan: tuple[TrainingPlanEntry, ...] = ()
    """The training the school has planned, set against its CPD budget for the year."""

    @property
    def records(self) -> int:
        """How many records `add_to` saves."""
        return (
            1
            + len(self.staff)
            + len(self.cycles)
            + len(self.cpd)
            + len(self.surveys)
            + len(self.ratings)
            + len(self.responses)
            + len(self.training_plan)
        )

    def add_to(self, tx: UnitOfWork) -> None:
        """Add every record of the sample to the transaction *tx* (the caller commits)."""
        tx.schools.add(self.school)
        tx.staff.add_all(self.staff)
        tx.cycles.add_all(self.cycles)
        tx.cpd.add_all(self.cpd)
        tx.surveys.add_all(self.surveys)
        tx.meeting_ratings.add_all(self.ratings)
        tx.survey_responses.add_all(self.responses)
        tx.training_plan.add_all(self.training_plan)


_HEAD = "H001"
_DEPUTY = "S002"

# id, name, roles, fte, teams, reviewer
_STAFF: tuple[tuple[str, str, tuple[Role, ...], float, tuple[str, ...], str | None], ...] = (
    ("H001", "Grace Okafor", (Role.HEADTEACHER,), 1.0, ("slt",), None),
    ("S002", "Daniel Hughes", (Role.SENIOR_LEADER, Role.TEACHER), 1.0, ("slt", "ks2"), _HEAD),
    ("S003", "Priya Sharma", (Role.SENIOR_LEADER,), 0.8, ("slt",), _HEAD),
    ("M004", "Tom Brennan", (Role.MIDDLE_LEADER, Role.TEACHER), 1.0, ("ks2",), _DEPUTY),
    ("M005", "Aisha Rahman", (Role.MIDDLE_LEADER, Role.TEACHER), 1.0, ("eyfs-ks1",), _DEPUTY),
    ("T006", "Anna Patel", (Role.TEACHER,), 1.0, ("ks2",), "M004"),
    ("T007", "Owen Jones", (Role.TEACHER,), 0.6, ("ks2",), "M004"),
    ("T008", "Chloe Martin", (Role.TEACHER,), 1.0, ("eyfs-ks1",), "M005"),
    ("E009", "Sam Whitfield", (Role.EARLY_CAREER_TEACHER,), 1.0, ("ks2",), "M004"),
    ("E010", "Maya Fischer", (Role.EARLY_CAREER_TEACHER,), 1.0, ("eyfs-ks1",), "M005"),
    ("A011", "Linda Evans", (Role.TEACHING_ASSISTANT,), 0.8, ("eyfs-ks1",), "M005"),
    ("A012", "Kofi Mensah", (Role.TEACHING_ASSISTANT,), 1.0, ("ks2",), "M004"),
    ("U013", "Helen Carter", (Role.SUPPORT_STAFF,), 1.0, ("office",), "S003"),
    ("U014", "Ray Doyle", (Role.SUPPORT_STAFF, Role.OTHER), 1.0, ("site",), "S003"),
)

# staff id -> objectives: (statement, rationale, criteria, evidence, priority, standards, support)
_Obj = tuple[str, str, tuple[str, ...], tuple[str, ...], str, tuple[str, ...], tuple[str, ...]]
_OBJECTIVES: dict[str, tuple[_Obj, ...]] = {
    "H001": (
        (
            "Lead the introduction of a whole-school reading-for-pleasure programme, with a "
            "library rota and weekly class book talks running in every class by the end of "
            "the spring term, reported to governors in March.",
            "Pupil voice shows older pupils rarely read at home.",
            (
                "Book talks timetabled in all 14 classes by Easter",
                "Pupil-voice survey in June shows more pupils reading at home than in October",
            ),
            ("Governors' report", "Pupil-voice survey"),
            "P1",
            ("HT2", "HT8"),
            ("External adviser visits each term",),
        ),
        (
            "Reduce staff marking workload by replacing written marking in KS2 with whole-class "
            "feedback, agreed with staff by December and reviewed in a staff survey in June.",
            "Last year's workload survey named marking as the largest burden.",
            ("New feedback policy agreed by December", "June survey shows lower marking hours"),
            ("Staff workload survey",),
            "P3",
            ("HT6", "HT7"),
            (),
        ),
    ),
    "S002": (
        (
            "Coach the four KS2 teachers in explicit vocabulary teaching through fortnightly "
            "coaching cycles from October to March, evidenced by planning and two drop-ins each.",
            "Vocabulary gaps limit reading comprehension in Years 5 and 6.",
            (
                "Each KS2 teacher completes three coaching cycles",
                "Vocabulary routines seen in 8 of 8 drop-ins by March",
            ),
            ("Coaching log", "Drop-in notes"),
            "P1",
            ("TS3.3", "TS8.2"),
            ("NPQLTD course",),
        ),
        (
            "Revise the behaviour policy's playground routines with the midday team by the end "
            "of the autumn term, measured by a drop in lunchtime incident logs in the spring.",
            "Most incidents happen at lunchtime.",
            (
                "Routines agreed with midday supervisors by December",
                "Spring incident log lower than autumn",
            ),
            ("Incident log",),
            "P2",
            ("TS7.1",),
            (),
        ),
    ),
    "S003": (
        (
            "Set up a termly SEND review meeting with parents of the 18 pupils on SEN support "
            "by the end of the autumn term, with attendance and actions logged in the provision "
            "map.",
            "Parents told us they did not know what support their child receives.",
            ("Meetings held for all 18 pupils each term", "Actions logged in the provision map"),
            ("Provision map",),
            "P2",
            ("TS5.4", "TS8.5"),
            (),
        ),
        (
            "Train the eight teaching assistants to deliver the Year 1 phonics catch-up "
            "programme by the February half-term, checked by one observed session each.",
            "Phonics screening check results showed a group of pupils needing catch-up.",
            ("All eight TAs observed delivering a session by February",),
            ("Observation notes",),
            "P1",
            ("TS3.4",),
            ("Phonics lead support",),
        ),
    ),
    "M004": (
        (
            "Lead KS2 teachers in planning weekly reading-fluency sessions for Year 5 and 6, "
            "with the fluency rubric used in every class by the end of the spring term.",
            "Fluency is the bottleneck for the Year 6 pupils below expected standard.",
            ("Rubric used termly in all four KS2 classes",),
            ("Team planning", "Fluency rubric records"),
            "P1",
            ("TS2.2", "TS3.3"),
            (),
        ),
        (
            "Introduce retrieval quizzes at the start of each maths lesson in Year 6, checked "
            "in three drop-ins by Easter and in pupils' books.",
            "Pupils forget earlier units before the spring assessments.",
            ("Quizzes seen in three drop-ins", "Book look shows weekly quizzes"),
            ("Drop-in notes", "Book look"),
            "P2",
            ("TS2.4", "TS6.2"),
            (),
        ),
    ),
    "M005": (
        (
            "Improve early writing in Reception by introducing daily dough-disco and "
            "mark-making sessions, with the 12 pupils below expected in fine motor skills "
            "reassessed in March.",
            "Baseline showed weak fine motor skills.",
            (
                "Daily sessions in both Reception classes",
                "At least 9 of the 12 pupils reach expected fine motor level in March",
            ),
            ("EYFS assessment", "Learning journals"),
            "P1",
            ("TS5.3",),
            (),
        ),
        (
            "Lead a lesson study with the two KS1 teachers on modelling in phonics, "
            "completing two cycles by the end of the spring term and sharing findings at INSET.",
            "Teachers asked to see each other's phonics teaching.",
            ("Two lesson-study cycles completed", "Findings shared at the April INSET"),
            ("Lesson study notes",),
            "P1",
            ("TS3.4", "TS4.4"),
            (),
        ),
    ),
    "T006": (
        (
            "Run guided-reading groups three times a week for the six Year 4 pupils below "
            "age-related expectations, evidenced by their reading-age tests in March.",
            "Six pupils read more than a year below their age.",
            ("5 of 6 pupils gain 6+ months reading age by the March test",),
            ("Reading-age tests", "Guided-reading log"),
            "P1",
            ("TS5.1", "TS2.2"),
            ("Reading lead modelling a session",),
        ),
        (
            "Use mini-whiteboards for hinge questions in every maths lesson in Year 4 this "
            "cycle, seen in two drop-ins and in my planning by the spring half-term.",
            "I want to find misconceptions before pupils practise them.",
            ("Hinge questions in weekly planning", "Seen in two drop-ins"),
            ("Planning", "Drop-in notes"),
            "P2",
            ("TS6.2",),
            (),
        ),
    ),
    "T007": (
        (
            "Plan and teach a Year 5 science unit on forces with practical enquiries each "
            "week, with pupils' enquiry write-ups reviewed with the science lead by February.",
            "Pupils' working-scientifically skills are weakest in upper KS2.",
            ("Weekly enquiry in the unit", "Write-ups reviewed with the science lead"),
            ("Pupil books",),
            "P2",
            ("TS3.1", "TS4.5"),
            (),
        ),
        (
            "Build a set of vocabulary knowledge organisers for Year 5 history and geography "
            "units by the end of the summer term, shared on the school drive.",
            "Part-time timetable means colleagues teach the same class.",
            ("Organisers for all six units shared",),
            ("Shared drive",),
            "P1",
            ("TS3.3",),
            (),
        ),
    ),
    "T008": (
        (
            "Introduce a daily 10-minute number-sense routine in Year 1, with the eight pupils "
            "below expected in number reassessed at Easter.",
            "Number sense on entry to Year 1 is low.",
            ("At least 6 of 8 pupils at expected in number at Easter",),
            ("Maths assessment",),
            "P2",
            ("TS3.5",),
            ("Maths hub work group",),
        ),
        (
            "Develop outdoor learning in Year 1 by planning one outdoor maths or science "
            "lesson a week from January to July, with photos and pupil voice collected.",
            "Outdoor space is under-used by KS1.",
            ("One outdoor lesson a week planned", "Pupil-voice notes"),
            ("Planning", "Photos"),
            "P2",
            ("TS4.2",),
            (),
        ),
    ),
    "E009": (
        (
            "Establish consistent entry and exit routines in Year 3 by the October half-term, "
            "observed by my mentor in two drop-ins.",
            "Transitions lose learning time at the start of lessons.",
            ("Routines seen in two mentor drop-ins by half-term",),
            ("Mentor drop-in notes",),
            "P2",
            ("TS7.1", "TS7.3"),
            ("Weekly ECT mentor meeting",),
        ),
        (
            "Use cold-calling and think-pair-share in every English lesson by December, with "
            "participation tracked in one observed lesson a half-term.",
            "A few pupils dominate discussion.",
            ("Participation tracked in three observations",),
            ("Observation notes",),
            "P1",
            ("TS2.3", "TS4.1"),
            ("ECT entitlement training",),
        ),
    ),
    "E010": (
        (
            "Plan phonics interventions for the five Year 1 pupils who did not pass the "
            "phonics check, reassessing them each half-term until the June check.",
            "These pupils need catch-up before the retake.",
            ("Half-termly phonics assessments recorded", "At least 4 of 5 pass the June check"),
            ("Phonics assessment records",),
            "P1",
            ("TS3.4", "TS5.1"),
            ("Phonics lead coaching",),
        ),
        (
            "Improve my use of formative assessment in Reception by recording observations "
            "on the learning journal app three times a week, reviewed with my mentor in January.",
            "I need a quicker way to check what children know.",
            ("Three observations a week recorded", "Reviewed with mentor in January"),
            ("Learning journal app",),
            "P2",
            ("TS6.1",),
            (),
        ),
    ),
    "A011": (
        (
            "Deliver the Nuffield Early Language Intervention to six Reception pupils three "
            "times a week from November to March, with their language reassessed in March.",
            "Six children started school with low language scores.",
            ("All sessions logged", "Reassessment scores recorded in March"),
            ("Intervention log", "Language assessment"),
            "P1",
            ("TA3",),
            ("NELI training",),
        ),
        (
            "Complete the Level 3 Supporting Teaching and Learning qualification by July, "
            "keeping a portfolio of practice from my work in EYFS.",
            "I want to move into a higher-level TA role.",
            ("Qualification completed by July",),
            ("Assessor reports",),
            "P3",
            ("TA2",),
            ("College day release",),
        ),
    ),
    "A012": (
        (
            "Run a lunchtime reading club twice a week for eight Year 5 pupils who rarely "
            "read at home, with a reading log and pupil-voice notes collected until Easter.",
            "These pupils do not choose to read.",
            ("Club runs twice a week", "Reading logs and pupil voice collected"),
            ("Reading log", "Pupil voice"),
            "P1",
            ("TA3",),
            (),
        ),
        (
            "Learn and use the school's zones-of-regulation approach with two Year 6 pupils "
            "with SEMH needs, reviewing their behaviour logs with the SENCo each half-term.",
            "Two pupils struggle to regulate after lunch.",
            ("Half-termly reviews with the SENCo",),
            ("Behaviour logs",),
            "P2",
            ("TA2",),
            ("SENCo training session",),
        ),
    ),
    "U013": (
        (
            "Move the school's attendance letters to the MIS template system by the end of "
            "the autumn term, with a one-page guide for the office team.",
            "Letters are written by hand and take hours each week.",
            ("All letter types in the MIS by December", "Guide written"),
            ("MIS templates", "Guide"),
            "P3",
            (),
            ("MIS provider training",),
        ),
        (
            "Complete the designated safeguarding lead deputy training by March and run a "
            "visitor-sign-in refresher for all office staff in the summer term.",
            "The office is the first point of contact for visitors.",
            ("Training certificate by March", "Refresher delivered"),
            ("Certificate", "Attendance sheet"),
            "P2",
            (),
            (),
        ),
    ),
    "U014": (
        (
            "Create a termly site-safety checklist with the business manager by October and "
            "complete every check on time this cycle, logged in the site book.",
            "The last health and safety audit found gaps in checks.",
            ("Checklist agreed in October", "All termly checks logged"),
            ("Site log",),
            "P2",
            (),
            (),
        ),
        (
            "Reduce the school's energy use by fitting timers to classroom heaters and lights "
            "by February half-term, comparing meter readings with last year's in July.",
            "Energy costs rose sharply last year.",
            ("Timers fitted in all classrooms", "July meter comparison"),
            ("Meter readings",),
            "P3",
            (),
            (),
        ),
    ),
}


def _d(year: int, month: int, day: int) -> date:
    """A date in the academic year that starts in September of *year*."""
    return date(year if month >= 9 else year + 1, month, day)


def build_demo(year: int = 2026) -> DemoSchool:
    """Build the sample school for the academic year starting in September of *year*.

    Returns:
        The school, its staff, one cycle per person for the year (plus one closed cycle
        from the year before), and the school's CPD activities.
    """
    school = School(
        id="oakfield",
        name="Oakfield Primary & Nursery",
        trust_id="riverside-trust",
        priorities=(
            Priority(
                "P1",
                "Reading for pleasure and fluency across the school",
                "More pupils reading fluently and by choice, from Reception to Year 6.",
                kpis=(
                    KPI(
                        "ks2-reading",
                        "KS2 reading at the expected standard",
                        "%",
                        baseline=68,
                        target=78,
                        due=_d(year, 7, 16),
                        current=72,
                        current_on=_d(year, 1, 30),
                    ),
                    KPI(
                        "reading-choice",
                        "Pupils who say they read by choice at home (reading survey)",
                        "%",
                        baseline=41,
                        target=60,
                        due=_d(year, 7, 16),
                        current=47,
                        current_on=_d(year, 12, 12),
                    ),
                ),
                theme="reading",
            ),
            Priority(
                "P2",
                "Consistent routines for behaviour and learning",
                "Calm, consistent routines in classrooms and at lunchtime.",
                kpis=(
                    KPI(
                        "lunch-incidents",
                        "Lunchtime incidents logged",
                        "a week",
                        baseline=14,
                        target=6,
                        due=_d(year, 3, 27),
                        current=9,
                        current_on=_d(year, 2, 6),
                    ),
                ),
                theme="behaviour",
            ),
            Priority(
                "P3",
                "Staff workload and wellbeing",
                "Less time on low-value tasks; staff feel their development is supported.",
                kpis=(
                    KPI(
                        "workload",
                        "Staff who say their workload is manageable (workload survey)",
                        "%",
                        baseline=52,
                        target=70,
                        due=_d(year, 7, 16),
                    ),
                ),
                theme="wellbeing",
            ),
        ),
        teams=(
            Team("slt", "Senior leadership team", _HEAD),
            Team("ks2", "Key Stage 2", "M004"),
            Team("eyfs-ks1", "Early Years and Key Stage 1", "M005"),
            Team("office", "School office", "S003"),
            Team("site", "Site team", "S003"),
        ),
        policy=Policy(pay_recommendations=False, max_objectives=3),
        cpd_budgets=(
            CPDBudget(
                id=f"{year}-{(year + 1) % 100:02d}",
                start=_d(year, 9, 1),
                end=_d(year, 8, 31),
                amount=Decimal("2500.00"),
                hours=400,
                title=f"CPD budget {year}/{(year + 1) % 100:02d}",
            ),
        ),
        team_milestones=(
            TeamMilestone(
                "ks2",
                Milestone(
                    "writing-moderation",
                    "KS2 writing moderation session",
                    MilestoneKind.OTHER,
                    _d(year, 2, 23),
                    owner_role="team_leader",
                    minutes=60,
                ),
            ),
            TeamMilestone(
                "eyfs-ks1",
                Milestone(
                    "team-review",
                    "EYFS and KS1 team review meeting",
                    MilestoneKind.PROGRESS_REVIEW,
                    _d(year, 2, 25),
                    owner_role="team_leader",
                    minutes=45,
                ),
            ),
        ),
    )
    staff = tuple(
        StaffMember(
            id=sid,
            name=name,
            school_id=school.id,
            roles=roles,
            fte=fte,
            team_ids=teams,
            reviewer_id=reviewer,
            email=f"{name.split()[0].lower()}.{name.split()[-1].lower()}@oakfield.example",
        )
        for sid, name, roles, fte, teams, reviewer in _STAFF
    )
    cpd = _cpd(school.id, year)
    calendar = england_pattern(year, years=2)
    as_of = _d(year, 2, 12)
    cycles = [_current_cycle(member, year, calendar, as_of) for member in staff]
    cycles.append(_last_years_cycle(year))
    linked = _link_cpd(cpd, cycles)
    surveys = _surveys(school.id, year)
    return DemoSchool(
        school=school,
        staff=staff,
        cycles=tuple(cycles),
        cpd=linked,
        as_of=as_of,
        calendar=calendar,
        surveys=surveys,
        ratings=_ratings(staff, cycles, as_of),
        responses=_responses(staff, surveys),
        training_plan=_training_plan(school.id, year, calendar),
    )


def _training_plan(
    school_id: str, year: int, calendar: SchoolCalendar
) -> tuple[TrainingPlanEntry, ...]:
    """Planned training: a whole-staff INSET on the spring INSET day, a KS2 session, a course."""
    spring_inset = next(d for d in calendar.inset_days if d.year == year + 1)
    return (
        TrainingPlanEntry(
            id="inset-questioning",
            school_id=school_id,
            title="Questioning to check understanding: whole-staff INSET",
            dates=(spring_inset,),
            owner_id=_DEPUTY,
            hours=3,
            cost=Decimal("650.00"),
            level="whole-school",
            need="Questioning to check understanding",
            status="booked",
        ),
        TrainingPlanEntry(
            id="ks2-interventions",
            school_id=school_id,
            title="Planning interventions inside the timetable (KS2 team session)",
            dates=(_d(year, 3, 4), _d(year, 3, 18)),
            owner_id="M004",
            hours=1.5,
            cost=Decimal("120.00"),
            level="team",
            team_id="ks2",
            participant_ids=("T006", "T007", "E009"),
            need="Planning interventions within the timetable",
        ),
        TrainingPlanEntry(
            id="phonics-course",
            school_id=school_id,
            title="Early reading and phonics leadership course",
            dates=(_d(year, 5, 14),),
            owner_id="M005",
            hours=6,
            cost=Decimal("1250.00"),
            participant_ids=("M005",),
            need="Leading early reading",
        ),
    )


# Staff voice. Who does not rate or answer, and each person's scores, are fixed so that the
# reports show the same figures every run: the whole school and Key Stage 2 (six raters)
# are shown; every reviewer's group and the smaller teams (fewer than five) are withheld.
_SILENT = frozenset({"U014"})
_RATINGS: dict[str, tuple[int, int, str]] = {
    # staff id: (usefulness, motivation, comment)
    "S002": (4, 4, ""),
    "S003": (3, 3, ""),
    "M004": (4, 5, "Clear next steps and time to talk about my career."),
    "M005": (4, 4, ""),
    "T006": (5, 4, "Objectives felt like mine this year."),
    "T007": (3, 2, "Rushed: half an hour was not enough."),
    "E009": (4, 4, ""),
    "A012": (4, 3, ""),
    "T008": (3, 3, ""),
    "E010": (4, 4, "Helpful to link my objective to the phonics training."),
    "A011": (2, 2, "I would like objectives that fit my role better."),
    "U013": (3, 4, ""),
}
# staff id: (valued, helps me improve, imposed, pupil-data targets, hours) last summer, now
_Answers = tuple[int, int, bool, bool, float]
_SURVEY: dict[str, tuple[_Answers, _Answers]] = {
    "H001": ((4, 4, False, False, 14.0), (5, 4, False, False, 12.0)),
    "S002": ((3, 3, False, True, 12.0), (4, 4, False, False, 10.0)),
    "S003": ((3, 3, False, False, 9.0), (4, 3, False, False, 8.0)),
    "M004": ((3, 2, True, True, 11.0), (4, 4, False, False, 9.0)),
    "M005": ((3, 3, False, True, 10.0), (4, 4, False, False, 9.0)),
    "T006": ((2, 2, True, True, 9.0), (4, 4, False, False, 7.0)),
    "T007": ((2, 2, True, True, 8.0), (3, 3, False, True, 8.0)),
    "T008": ((3, 3, False, True, 8.0), (4, 4, False, False, 7.0)),
    "E009": ((4, 4, False, False, 10.0), (4, 5, False, False, 9.0)),
    "E010": ((4, 3, False, False, 10.0), (5, 4, False, False, 8.0)),
    "A011": ((2, 2, True, False, 4.0), (3, 3, True, False, 4.0)),
    "A012": ((3, 2, True, False, 4.0), (3, 4, False, False, 3.0)),
    "U013": ((2, 2, True, False, 3.0), (3, 3, False, False, 3.0)),
}
_SURVEY_COMMENTS = {
    "T007": "The meetings are fine; the paperwork around them is not.",
    "A011": "Support staff objectives still feel like an afterthought.",
}


def _ratings(
    staff: tuple[StaffMember, ...], cycles: list[Cycle], as_of: date
) -> tuple[MeetingRating, ...]:
    """Each reviewee's rating of each of their meetings held a week or more before *as_of*."""
    people = {m.id: m for m in staff}
    found = []
    for cycle in cycles:
        scores = _RATINGS.get(cycle.staff_id)
        if scores is None or cycle.is_closed or cycle.staff_id in _SILENT:
            continue
        usefulness, motivation, comment = scores
        for meeting in cycle.reviews:
            rated_on = meeting.on + timedelta(days=2)
            if rated_on > as_of - timedelta(days=5):
                continue
            found.append(
                rate_meeting(
                    cycle,
                    meeting.id,
                    by=people[cycle.staff_id],
                    on=rated_on,
                    usefulness=usefulness,
                    motivation=motivation,
                    comment=comment,
                )
            )
    return tuple(found)


def _surveys(school_id: str, year: int) -> tuple[ProcessSurvey, ...]:
    return (
        ProcessSurvey(
            id=f"{year}-summer",
            school_id=school_id,
            title="How did appraisal work for you this year?",
            opens=date(year, 6, 8),
            closes=date(year, 6, 26),
        ),
        ProcessSurvey(
            id=f"{year + 1}-spring",
            school_id=school_id,
            title="How is the new development process working for you?",
            opens=_d(year, 1, 12),
            closes=_d(year, 1, 30),
        ),
    )


def _responses(
    staff: tuple[StaffMember, ...], surveys: tuple[ProcessSurvey, ...]
) -> tuple[SurveyResponse, ...]:
    """Everyone's answers to both surveys but the silent ones', a few days after each opens."""
    found = []
    for when, survey in enumerate(surveys):
        for index, member in enumerate(staff):
            answers = _SURVEY.get(member.id)
            if answers is None or member.id in _SILENT:
                continue
            valued, improve, imposed, pupil_data, hours = answers[when]
            found.append(
                SurveyResponse(
                    id=f"{survey.id}/{member.id}",
                    school_id=survey.school_id,
                    survey_id=survey.id,
                    respondent_id=member.id,
                    on=survey.opens + timedelta(days=index % 10),
                    team_ids=member.team_ids,
                    reviewer_id=member.reviewer_id,
                    valued=valued,
                    helps_me_improve=improve,
                    objectives_imposed=imposed,
                    pupil_data_targets=pupil_data,
                    hours=hours,
                    comment=_SURVEY_COMMENTS.get(member.id, "") if when else "",
                )
            )
    return tuple(found)


def _cpd(school_id: str, year: int) -> tuple[CPDActivity, ...]:
    return (
        CPDActivity(
            id="cpd-inset-reading",
            school_id=school_id,
            title="INSET: reading fluency and book talk",
            kind=CPDKind.INSET,
            start=_d(year, 9, 1),
            hours=3.0,
            provider="In-house (reading lead)",
            attendee_ids=tuple(s[0] for s in _STAFF if s[2][0] is not Role.SUPPORT_STAFF),
            priority_ids=("P1",),
            standard_ids=("TS3.3",),
            impact=(
                ImpactRecord(
                    ImpactLevel.REACTIONS,
                    _d(year, 9, 1),
                    "S002",
                    "Staff rated the session 4.5 of 5.",
                ),
                ImpactRecord(
                    ImpactLevel.USE_OF_KNOWLEDGE,
                    _d(year, 1, 20),
                    "S002",
                    "Book talks seen in 10 of 14 classes on the January walk.",
                ),
            ),
        ),
        CPDActivity(
            id="cpd-coaching-ks2",
            school_id=school_id,
            title="Instructional coaching: vocabulary (KS2)",
            kind=CPDKind.COACHING,
            start=_d(year, 10, 6),
            end=_d(year, 3, 23),
            sessions=tuple(_d(year, 10, 6) + timedelta(weeks=2 * i) for i in range(6)),
            hours=6.0,
            provider="Deputy headteacher",
            attendee_ids=("S002", "M004", "T006", "T007", "E009"),
            priority_ids=("P1",),
            standard_ids=("TS3.3", "TS4.1"),
        ),
        # Coaching and mentoring as relationships: a mentor and a coach paired with one
        # person each, session by session, linked to that person's objective.
        CPDActivity(
            id="cpd-mentoring-e009",
            school_id=school_id,
            title="ECT mentoring: fortnightly mentor meetings",
            kind=CPDKind.MENTORING,
            start=_d(year, 9, 15),
            end=_d(year, 7, 13),
            sessions=tuple(_d(year, 9, 15) + timedelta(weeks=2 * i) for i in range(19)),
            hours=19.0,
            provider="In-house (ECT mentor)",
            attendee_ids=("E009",),
            priority_ids=("P2",),
            standard_ids=("TS7.1",),
            coach_id="T006",
        ),
        CPDActivity(
            id="cpd-coaching-t007",
            school_id=school_id,
            title="Instructional coaching: practical science",
            kind=CPDKind.COACHING,
            start=_d(year, 11, 2),
            end=_d(year, 3, 15),
            sessions=tuple(_d(year, 11, 2) + timedelta(weeks=3 * i) for i in range(7)),
            hours=7.0,
            provider="Deputy headteacher",
            attendee_ids=("T007",),
            priority_ids=("P2",),
            standard_ids=("TS4.1",),
            coach_id="S002",
        ),
        CPDActivity(
            id="cpd-ect-entitlement",
            school_id=school_id,
            title="Early Career Teacher entitlement training",
            kind=CPDKind.COURSE,
            start=_d(year, 9, 17),
            end=_d(year, 7, 9),
            hours=20.0,
            cost=Decimal("0"),
            provider="Teaching school hub",
            attendee_ids=("E009", "E010"),
            standard_ids=("TS1", "TS2", "TS4", "TS7"),
        ),
        CPDActivity(
            id="cpd-neli",
            school_id=school_id,
            title="Nuffield Early Language Intervention training",
            kind=CPDKind.ONLINE,
            start=_d(year, 10, 14),
            hours=5.0,
            cost=Decimal("0"),
            provider="NELI online training",
            attendee_ids=("A011", "M005"),
            priority_ids=("P1",),
        ),
        CPDActivity(
            id="cpd-lesson-study",
            school_id=school_id,
            title="Lesson study: modelling in phonics",
            kind=CPDKind.LESSON_STUDY,
            start=_d(year, 11, 10),
            end=_d(year, 3, 27),
            hours=8.0,
            provider="In-house",
            attendee_ids=("M005", "T008", "E010"),
            priority_ids=("P1",),
            standard_ids=("TS3.4",),
        ),
        CPDActivity(
            id="cpd-mis-letters",
            school_id=school_id,
            title="MIS template letters training",
            kind=CPDKind.COURSE,
            start=_d(year, 10, 22),
            hours=2.0,
            cost=Decimal("95.00"),
            provider="MIS supplier",
            attendee_ids=("U013",),
            priority_ids=("P3",),
        ),
        CPDActivity(
            id="cpd-npqltd",
            school_id=school_id,
            title="NPQ in Leading Teacher Development",
            kind=CPDKind.QUALIFICATION,
            start=_d(year, 10, 1),
            end=_d(year, 7, 15),
            hours=40.0,
            cost=Decimal("0"),
            provider="NPQ lead provider",
            attendee_ids=("S002",),
            standard_ids=("TS8.4",),
        ),
    )


def _link_cpd(activities: tuple[CPDActivity, ...], cycles: list[Cycle]) -> tuple[CPDActivity, ...]:
    """Link each activity to the first objective of each attendee whose priority it serves."""
    by_staff = {c.staff_id: c for c in cycles if not c.is_closed}
    linked = []
    for activity in activities:
        refs = []
        for person in activity.attendee_ids:
            cycle = by_staff.get(person)
            if cycle is None:
                continue
            for objective in cycle.objectives:
                if set(objective.priority_ids) & set(activity.priority_ids):
                    refs.append(ObjectiveRef(cycle.id, objective.id))
                    break
        linked.append(attrs.evolve(activity, objective_refs=tuple(refs)))
    return tuple(linked)


_TEMPLATES = {
    Role.HEADTEACHER: "england-headteacher",
    Role.EARLY_CAREER_TEACHER: "england-ect-induction",
    Role.TEACHING_ASSISTANT: "england-support-staff",
    Role.SUPPORT_STAFF: "england-support-staff",
    Role.OTHER: "england-support-staff",
}
# People whose reviewer has fallen behind with check-ins: their milestones due since
# January are left open, so the overdue report and the health check have something to say.
_BEHIND = frozenset({"T007", "U014"})


def _current_cycle(member: StaffMember, year: int, calendar: SchoolCalendar, as_of: date) -> Cycle:
    reviewer = member.reviewer_id or "GOV-CHAIR"
    head = member.has_role(Role.HEADTEACHER)
    schedule = plan(
        template(_TEMPLATES.get(member.primary_role, "england-teacher")),
        calendar,
        year=year,
        staff=member,
    )
    cycle = Cycle(
        id=f"{year}-{member.id}",
        school_id=member.school_id,
        staff_id=member.id,
        reviewer_id=reviewer,
        period_start=schedule.period_start,
        period_end=schedule.period_end,
        template_id=schedule.template_id,
    )
    cycle.set_milestones(schedule.milestones, by=reviewer, on=_d(year, 9, 1))
    planning_milestone = next(
        (m.id for m in schedule.milestones if m.kind is MilestoneKind.PLANNING), None
    )
    planning_day = _d(year, 12, 10) if head else _d(year, 10, 8)
    # What happened in the year, recorded in date order (a cycle's history is kept in date
    # order): each event is (day, order among events of that day, action).
    events: list[tuple[date, int, Callable[[], object]]] = []

    def on(day: date, action: Callable[[], object], order: int = 0) -> None:
        events.append((day, order, action))

    on(_d(year, 9, 15), lambda: cycle.start_planning(by=reviewer, on=_d(year, 9, 15)))
    objective_ids = [f"obj-{n}" for n in range(1, len(_OBJECTIVES[member.id]) + 1)]
    for index, (statement, why, criteria, sources, priority, standards, support) in enumerate(
        _OBJECTIVES[member.id]
    ):
        on(
            _d(year, 9, 24),
            partial(
                cycle.propose_objective,
                by=member.id,
                on=_d(year, 9, 24),
                statement=statement,
                rationale=why,
                success_criteria=criteria,
                evidence_sources=sources,
                priority_ids=(priority,),
                standard_ids=standards,
                support=support,
                objective_id=objective_ids[index],
            ),
            order=index,
        )
        if index == 1 and member.id == "T007":
            on(
                _d(year, 10, 1),
                partial(
                    cycle.return_objective,
                    objective_ids[index],
                    by=reviewer,
                    on=_d(year, 10, 1),
                    reasons=("Please add when the organisers will be shared.",),
                ),
            )
            on(
                _d(year, 10, 3),
                partial(
                    cycle.submit_objective,
                    objective_ids[index],
                    by=member.id,
                    on=_d(year, 10, 3),
                    deadline=_d(year, 7, 17),
                ),
            )
        on(
            planning_day,
            partial(cycle.agree_objective, objective_ids[index], by=reviewer, on=planning_day),
            order=index,
        )
    if member.primary_role in (Role.TEACHER, Role.MIDDLE_LEADER):
        on(
            _d(year, 10, 2),
            partial(
                cycle.draft_objective,
                by=member.id,
                on=_d(year, 10, 2),
                statement="Share one successful strategy at a staff briefing this year.",
                kind=ObjectiveKind.WHOLE_SCHOOL,
                shared_ref="oakfield-share-practice",
                priority_ids=("P3",),
            ),
        )
    on(
        planning_day,
        partial(
            cycle.record_review,
            by=reviewer,
            on=planning_day,
            kind=ReviewKind.PLANNING,
            milestone_id=planning_milestone,
            notes="Reviewed last year; agreed objectives, success criteria and support.",
            reviewee_reflection="I want this year's work to be visible in pupils' reading.",
            agreed_actions=(
                AgreedAction("Book first coaching session", member.id, _d(year, 10, 20)),
            ),
            conversation=Conversation(
                wellbeing="Settled; happy with timetable.",
                workload="Marking load discussed; see whole-class feedback trial.",
                career="Interested in leading a subject in two years.",
            ),
            private_notes=(
                Confidential(
                    "Mentioned a family commitment on Thursdays; avoid late meetings.",
                    audiences={Audience.REVIEWER, Audience.HEADTEACHER},
                ),
            ),
            minutes=45,
        ),
        order=100,
    )
    on(planning_day, lambda: cycle.activate(by=reviewer, on=planning_day), order=101)
    if member.id == "T008":  # moderation: the head returns one objective for consistency

        def resubmit() -> None:
            moderated = cycle.objective(objective_ids[0])
            cycle.submit_objective(
                moderated.id,
                by=member.id,
                on=_d(year, 10, 22),
                success_criteria=(
                    *(c.text for c in moderated.success_criteria),
                    "Each pupil's progress noted at the half-term check-ins",
                ),
            )

        on(
            _d(year, 10, 20),
            partial(
                cycle.moderate_objective,
                objective_ids[0],
                by=_HEAD,
                on=_d(year, 10, 20),
                reasons=(
                    "Other reviewers' objectives say how pupils' progress will be seen; add a "
                    "measure, as colleagues have.",
                ),
            ),
        )
        on(_d(year, 10, 22), resubmit)
        on(
            _d(year, 10, 24),
            partial(cycle.agree_objective, objective_ids[0], by=reviewer, on=_d(year, 10, 24)),
        )
    first, second = objective_ids[0], objective_ids[1] if len(objective_ids) > 1 else None

    def after_planning(day: date) -> date:
        return max(day, planning_day)

    on(
        after_planning(_d(year, 11, 26)),
        partial(
            cycle.record_check_in,
            first,
            by=member.id,
            on=after_planning(_d(year, 11, 26)),
            note="Started as planned; first sessions running.",
            percent=25,
            rag=RAG.GREEN,
        ),
        order=200,
    )
    if member.id not in ("T007", "U014"):
        on(
            _d(year, 1, 28),
            partial(
                cycle.record_check_in,
                first,
                by=reviewer,
                on=_d(year, 1, 28),
                note="Good progress; early signs of impact in pupils' work.",
                percent=55,
                rag=RAG.GREEN,
            ),
        )
    if second is not None and member.id not in ("U014", "A012"):
        on(
            after_planning(_d(year, 12, 3)),
            partial(
                cycle.record_check_in,
                second,
                by=member.id,
                on=after_planning(_d(year, 12, 3)),
                note="Slower than hoped: timetable changes this term.",
                percent=20,
                rag=RAG.AMBER,
            ),
            order=201,
        )
    on(
        _d(year, 1, 15),
        lambda: cycle.add_evidence(
            by=member.id,
            on=_d(year, 1, 15),
            description="Planning and pupils' work from the first half of the spring term.",
            uri=f"https://drive.oakfield.example/evidence/{member.id}/spring-1",
            objective_ids=(first,),
            standard_ids=cycle.objective(first).standard_ids[:1],
            priority_ids=cycle.objective(first).priority_ids,
        ),
    )
    if member.roles & {Role.TEACHER, Role.EARLY_CAREER_TEACHER}:
        on(
            after_planning(_d(year, 11, 12)),
            partial(
                cycle.record_observation,
                by=reviewer,
                on=after_planning(_d(year, 11, 12)),
                kind=ObservationKind.DROP_IN,
                focus="Routines and questioning at the start of lessons.",
                minutes=20,
                objective_ids=(first,),
                strengths=("Calm, quick start to the lesson.",),
                next_steps=("Use a hinge question before independent work.",),
                cpd_needs=("Questioning to check understanding",),
            ),
            order=199,
        )
    for sharer, shared_on, place, what, whom, colleagues in _SHARED_PRACTICE:
        if sharer == member.id:
            on(
                shared_on(year),
                partial(
                    cycle.record_colleague_impact,
                    first,
                    by=member.id,
                    on=shared_on(year),
                    shared_with=place,
                    what=what,
                    with_whom=whom,
                    colleagues=colleagues,
                ),
            )
    _keep_milestones(cycle, reviewer, as_of, behind=member.id in _BEHIND, events=events)
    for _day, _order, action in sorted(events, key=lambda e: (e[0], e[1])):
        action()
    return cycle


_SHARED_PRACTICE: tuple[
    tuple[str, Callable[[int], date], SharedWith, str, str, int | None], ...
] = (
    (
        "T006",
        lambda year: _d(year, 1, 20),
        SharedWith.BRIEFING,
        "Showed how the guided-reading groups run, with two pupils' reading logs; four "
        "colleagues tried the routine the following week.",
        "Monday staff briefing",
        28,
    ),
    (
        "M004",
        lambda year: _d(year, 2, 3),
        SharedWith.OTHER_SCHOOL,
        "Presented the Key Stage 2 reading-fluency approach at the trust's English network; "
        "Hillside's Year 5 team asked for the planning.",
        "Riverside Trust English network (Hillside Primary)",
        9,
    ),
    (
        "T008",
        lambda year: _d(year, 12, 2),
        SharedWith.TEAM,
        "Modelled the number-sense routine in a team meeting; both Reception classes now use it.",
        "Early Years and Key Stage 1 team",
        6,
    ),
)
"""Practice shared with colleagues, recorded against each sharer's first objective."""


def _keep_milestones(
    cycle: Cycle,
    reviewer: str,
    as_of: date,
    *,
    behind: bool,
    events: list[tuple[date, int, Callable[[], object]]],
) -> None:
    """Hold or complete each milestone due before *as_of*, as a real year would have.

    The planning milestone is completed by the planning meeting; the rest are added to
    *events*, to be recorded on their due dates in date order with everything else.
    """
    for milestone in cycle.milestones:
        if milestone.completed_on is not None or milestone.due >= as_of:
            continue
        if behind and milestone.due.month < 9:
            continue
        if milestone.kind is MilestoneKind.PLANNING:
            continue  # the planning meeting's record_review completes it
        if milestone.kind in (MilestoneKind.CHECK_IN, MilestoneKind.PROGRESS_REVIEW):
            # Feedback names strengths and next steps; one of Owen Jones's check-ins records
            # strengths only, so the meetings report and the proforma flag the missing side.
            one_sided = cycle.staff_id == "T007" and milestone.due.month == 12
            action: Callable[[], object] = partial(
                cycle.record_review,
                by=reviewer,
                on=milestone.due,
                kind=ReviewKind.CHECK_IN
                if milestone.kind is MilestoneKind.CHECK_IN
                else ReviewKind.PROGRESS_REVIEW,
                milestone_id=milestone.id,
                notes="Progress discussed against each objective.",
                strengths=("Objectives are part of everyday planning, not a yearly event.",),
                next_steps=()
                if one_sided
                else ("Bring one piece of pupils' work to the next meeting as evidence.",),
                minutes=milestone.minutes or 20,
            )
        else:
            action = partial(cycle.complete_milestone, milestone.id, by=reviewer, on=milestone.due)
        events.append((milestone.due, 300, action))


def _last_years_cycle(year: int) -> Cycle:
    """Anna Patel's closed cycle from the previous year, with an objective not met."""
    last = year - 1
    cycle = Cycle(
        id=f"{last}-T006",
        school_id="oakfield",
        staff_id="T006",
        reviewer_id="M004",
        period_start=_d(last, 9, 1),
        period_end=_d(last, 8, 31),
        template_id="england-teacher",
    )
    cycle.start_planning(by="M004", on=_d(last, 9, 12))
    met = cycle.propose_objective(
        by="T006",
        on=_d(last, 9, 20),
        statement="Introduce whole-class feedback in Year 4 writing by December, checked in "
        "two book looks.",
        success_criteria=("Seen in two book looks",),
        priority_ids=("P3",),
        standard_ids=("TS6.4",),
    )
    missed = cycle.propose_objective(
        by="T006",
        on=_d(last, 9, 20),
        statement="Run a weekly times-tables club for the ten Year 4 pupils below expected, "
        "with their multiplication check scores compared in June.",
        success_criteria=("At least 8 of 10 score 20+ in the June check",),
        priority_ids=("P2",),
        standard_ids=("TS5.1",),
    )
    for objective in (met, missed):
        cycle.agree_objective(objective.id, by="M004", on=_d(last, 10, 10))
    cycle.activate(by="M004", on=_d(last, 10, 10))
    cycle.record_check_in(
        missed.id, by="T006", on=_d(last, 2, 5), note="Club attendance is patchy.", rag=RAG.AMBER
    )
    evidence = cycle.add_evidence(
        by="T006",
        on=_d(last, 6, 20),
        description="June multiplication check results for the club group.",
        objective_ids=(missed.id,),
    )
    cycle.begin_final_review(by="M004", on=_d(last, 7, 1))
    cycle.evaluate_objective(
        met.id,
        by="M004",
        on=_d(last, 7, 8),
        outcome=Outcome.MET,
        impact="Marking time halved; pupils respond to feedback in the next lesson.",
        learning="Short, whole-class codes work better than written comments.",
    )
    cycle.evaluate_objective(
        missed.id,
        by="M004",
        on=_d(last, 7, 8),
        outcome=Outcome.NOT_MET,
        impact="5 of 10 pupils scored 20+; attendance at a lunchtime club was the problem.",
        learning="Interventions need to sit inside the timetable, not at lunchtime.",
        evidence_ids=(evidence.id,),
        carried_forward=True,
    )
    cycle.record_review(
        by="M004",
        on=_d(last, 7, 8),
        kind=ReviewKind.FINAL,
        notes="A strong year; the not-met objective taught us something useful.",
        strengths=("Whole-class feedback now shapes the next lesson.",),
        next_steps=("Plan interventions inside the timetable from September.",),
        development_needs=("Planning interventions within the timetable",),
        minutes=60,
    )
    cycle.close(by="M004", on=_d(last, 7, 10))
    return cycle
