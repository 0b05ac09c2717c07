"""The rubric's conventions for achievable, relevant and data target, read from a statement.

The labelled corpora's rubric (see ``docs/explanation/checker-model.md``) states conventions a
careful rater applies whatever else an objective says. The judge weighs signals; these
readings settle a label outright where the rubric does:

- a leader's target for pupils' results with no action of their own is not achievable: the
  results are other staff's pupils' (read by the decisive rule ``A307``); with no approach
  named either, it is a bare data target;
- a moderate share (below 90%) of the pupils of a teacher, lecturer, trainee or support
  role is their own share of a result: achievable (still a data target if bare);
- a pupil outcome with a threshold but no stated share of pupils, and nothing the person
  will do, is an implicit all-pupils target: not achievable; so are pupils' behaviour or
  feelings as the outcome ("my class will love maths", "have a calm, focused class"), and
  outcomes others decide or report ("reported by staff", "chosen by the panel");
- a pupil measure that is not attainment or progress (a survey, ratings, referrals, books
  read, course leavers, database use) is not a bare data target, nor is an aim in which the
  person does a concrete action; a figure share of pupils reaching a result, with nothing the
  person will do, is one;
- the work of the role (the ``j_role_work`` lexicon) with nothing unrelated to it beside it is
  relevant (`role_work`, read from the lexicons by the judge), a calendar or data-reporting
  chore is not;
- the person's own wellbeing (rest, health, feelings) with nothing they will do in the role
  is not relevant, nor is a disposition to hold ("be positive", "have high expectations for
  my pupils"), even when it names pupils.

Pure Python and deterministic: a few regular expressions over the statement and the clause
reading (`devcycle.rules.clauses`). Never raises on any string.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Final

import attrs

from devcycle.domain import Role
from devcycle.rules.clauses import clause_signals, clauses
from devcycle.rules.text import MAX_CHARS, Analysis, Span

__all__ = [
    "CONVENTIONS",
    "Convention",
    "every_reading",
    "leader_bare_target",
    "leader_result_only",
    "readings",
    "role_work",
]

_LEADER_WORDS: Final = re.compile(
    r"^\W*(?:as\s+(?:the\s+|a\s+)?(?:head(?:teacher)?|head\s+of\s+\w+|deputy(?:\s+head)?|"
    r"assistant\s+head|principal|assistant\s+principal|vice[- ]principal|"
    r"(?:subject|phase|year|department|curriculum)\s+lead(?:er)?)\b)",
    re.IGNORECASE,
)
"""A statement that names its owner as a leader ("As head of maths, ...")."""

_RESULT: Final = re.compile(
    r"\b(?:grades?|scores?|results|attainment|achievement|progress|proficien\w*|"
    r"benchmarks?|pass\s+rates?|gcses?|sats|gld|good\s+level\s+of\s+development|growth|"
    r"p8|a8|progress\s*8|attainment\s*8|value\s+added|endorsements?|grade\s+level|"
    r"reading\s+ages?|improvement\s+targets|target\s+grades?|expected\s+standard)\b",
    re.IGNORECASE,
)
"""Words of pupils' results: grades, scores, attainment, progress, pass rates."""

_RESULT_SUBJECT: Final = re.compile(
    r"[^,;:]{0,80}?"
    + _RESULT.pattern
    + r"(?:\s+[\w'-]+){0,6}?\s+(?:will|should|must|shall|(?:is|are)\s+to|"
    r"to\s+(?:rise|increase|improve|reach|be|exceed|meet|grow|go\s+up))\b",
    re.IGNORECASE,
)
"""A clause whose subject is a result ("reading test scores will rise"), not the person."""

_OWN_MEANS: Final = re.compile(
    r"\b(?:by|through)\s+(?!(?:spring|morning|evening|ending|beginning|thanksgiving)\b)"
    r"[a-z]{2,}ing\b",
    re.IGNORECASE,
)
"""'... by running taster lessons', 'through coaching': what the person will do for it."""

_ATTAINMENT: Final = re.compile(
    r"\b(?:grades?|scores?|scoring|results?|attainment|achiev\w*|progress|proficien\w*|"
    r"standards?|benchmarks?|pass(?:es|ing)?|gcses?|a[- ]levels?|sats|exams?|tests?|"
    r"assessments?|levels?|gld|are|exs|gds|reading\s+ages?|lexile|mastery|growth|fluency|"
    r"p8|a8|value\s+added|ks\d|key\s+stage|attendance|absence|absent\w*)\b",
    re.IGNORECASE,
)
"""Attainment and progress words, and attendance (left to the judge: the corpora differ).

A year group named as a grade ("8th grade students", "grades K-2") is no attainment: see
`_YEAR_GRADE`."""

_YEAR_GRADE: Final = re.compile(
    r"\b(?:\d{1,2}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|ninth|"
    r"tenth|eleventh|twelfth)[- ]grade(?:rs?)?\b|\bgrades?\s+(?:k\b|\d{1,2}\b)",
    re.IGNORECASE,
)
"""A year group named as a grade, US style: not a grade as a result."""

_OWN_PRACTICE_MEASURE: Final = re.compile(
    r"\b(?:(?:course|module|teaching|student|pupil|end[- ]of[- ](?:year|course|term))\s+"
    r"(?:evaluations?|surveys?|feedback|ratings?|satisfaction)|satisfaction\s+(?:ratings?|"
    r"scores?|surveys?)|evaluation\s+ratings?)\b",
    re.IGNORECASE,
)
"""How pupils or students rate the teaching: a measure of the person's own practice."""

_OTHER_MEASURE: Final = re.compile(
    r"\b(?:punctual\w*|tard\w*|lateness|referrals?|exclusions?|detentions?|incidents?|"
    r"behaviou?r\w*|surveys?|questionnaires?|evaluations?|ratings?|satisf\w*|feedback|"
    r"retention|drop[- ]?outs?|leave|leaving|withdraw\w*|usage|use\s+of|access|"
    r"participat\w*|take[- ]?up|uptake|sign[- ]?ups?|visits?|loans?|borrow\w*|"
    r"(?:read|reading|borrow\w*|loan\w*|check\w*\s+out)\s+(?:[\w-]+\s+){0,3}?books?|"
    r"books?\s+(?:read|borrowed|loaned|issued|checked\s+out)|"
    r"commendations?|certificates?|applications?|enrol\w*|engagement)\b",
    re.IGNORECASE,
)
"""Pupil measures that are not attainment or progress: surveys, ratings, behaviour, reading
for pleasure, course leavers, take-up."""

_WELLBEING: Final = re.compile(
    r"\b(?:weekends?|work[- ]life|(?:a|my|social|family)\s+life|friends|family\s+time|sleep|"
    r"exercise|diet|self[- ]care|healthy|health|well-?being|relax\w*|switch\s+off|"
    r"hobb(?:y|ies)|panic\w*|anxi\w+|worr\w+|feelings?|scare\w*|inadequa\w+|"
    r"criticism|stress\w*)\b",
    re.IGNORECASE,
)
"""Words of a person's own wellbeing: rest, health, feelings."""

_OTHERS_WELLBEING: Final = re.compile(
    r"\b(?:staff|pupils?|students?|children|colleagues|learners|team|employees)['\u2019]?\s+"
    r"(?:well-?being|mental\s+health|health|stress)|(?:well-?being|mental\s+health|health|"
    r"stress)\s+(?:and\s+\w+\s+)?of\s+(?:\w+\s+){0,2}(?:staff|pupils?|students?|children|"
    r"colleagues|learners|team|employees)\b",
    re.IGNORECASE,
)
"""Other people's wellbeing (staff wellbeing, pupils' mental health): a leader's or a pastoral
role's concern, not the person's own."""

_DISPOSITION: Final = re.compile(
    r"^\W*(?:(?:i|we)\s+(?:will|want\s+to|would\s+like\s+to|need\s+to|must|aim\s+to|"
    r"pledge\s+to|hope\s+to|plan\s+to|continue\s+to)\s+|to\s+|my\s+(?:goal|aim)\s+is\s+to\s+)?"
    r"(?:be|become|stay|remain|have|remember|keep|champion)\b(?:\s+[\w-]+){0,4}?\s+"
    r"(?:high\s+expectations|positive|optimis\w+|patien\w+|calm|kind|grateful|present|"
    r"mindful|that|organi[sz]ed|motivated|enthusias\w+|resilien\w+|humble|open[- ]minded|"
    r"happy|happier|imperfection|a\s+life)\b",
    re.IGNORECASE,
)
"""An aim to be, have or remember an attitude: a disposition, even when it names pupils."""

_NO_ATTAINMENT: Final = re.compile(
    r"\b(?:love|loves|enjoy\w*|like|likes|feel\w*|happy|happier|confiden\w+|"
    r"complete[ds]?|completing)\b",
    re.IGNORECASE,
)
"""Feelings and completing tasks: a share of pupils doing these is no attainment figure."""

_FIGURE: Final = re.compile(
    r"\d|\b(?:per\s*cent|percent|(?:one|two|three|four|five|six|seven|eight|nine)\s+in\s+)",
    re.IGNORECASE,
)
"""A figure in a share of pupils ("80% of", "12 of the 14", "twenty-five percent")."""

_ADMIN_CHORE: Final = re.compile(
    r"\b(?:data|information|figures|marks|grades)\s+(?:reported|reporting|entered|entry|input|"
    r"uploaded)\b|\b(?:report|enter|input|upload)\w*\s+(?:\w+\s+){0,2}(?:data|marks|grades)\b|"
    r"\bsubmit\w*\b[^.;]{0,40}?\bto\s+(?:the\s+)?(?:slt|senior\s+leaders?|head\w*|office|"
    r"line\s+manager)\b|(?<!marking\s)(?<!assessment\s)(?<!moderation\s)(?<!feedback\s)"
    r"\b(?:diary|diaries|calendar|rotas?|dates\s+for)\b",
    re.IGNORECASE,
)
"""Calendar and data-reporting chores (the rubric: admin only); a marking or assessment
calendar organises the role's work and is not one."""

_BARE_IMPROVE: Final = re.compile(
    r"^\W*(?:(?:i|we)\s+(?:will|want\s+to|aim\s+to|plan\s+to)\s+|to\s+|how\s+can\s+(?:i|we)\s+|"
    r"my\s+(?:goal|aim)\s+is\s+to\s+)?(?:improve|raise|increase|boost|accelerate)\s+"
    r"(?:the\s+|my\s+|our\s+)?(?:[\w-]+\s+){0,3}?(?:students|pupils|children|learners|class|"
    r"group)(?:['\u2019]s?)?\s+\w+",
    re.IGNORECASE,
)
"""An aim that opens by improving pupils' results or skills ("Improve my Year 9 pupils'
writing", "How can I raise my students' scores?"): with no approach, a bare data target."""

_OTHERS_DECIDE: Final = re.compile(
    r"\b(?:reported|judged|nominated|selected|chosen|listed|approved|recogni[sz]ed)\s+by\s+"
    r"(?:the\s+|my\s+|our\s+|all\s+)?(?:\w+\s+)?(?:staff|teachers|colleagues|parents|pupils|"
    r"students|governors|peers|others|people|head\w*|principal|panel|board)\b|"
    r"\bwant\s+(?:\w+\s+){0,2}(?:teachers|staff|colleagues|parents|people|students|pupils)\s+"
    r"(?:who\s+[^,.]{0,40}?\s+)?to\s+(?:list|rate|see|think|say|describe|call|nominate|choose)\b",
    re.IGNORECASE,
)
"""An outcome other people decide or report: "reported by staff", "chosen by the panel",
"I want colleagues to see me as ..." (the rubric: others' reporting is outside control)."""

_CONDUCT: Final = re.compile(
    r"\b(?:love|loves|enjoy\w*|well[- ]behaved|behave\w*|attentive|respectful|motivated|"
    r"engaged|excited|happy|calm|focused|on[- ]task)\b",
    re.IGNORECASE,
)
"""Pupils' behaviour and feelings."""

_CLASS_LIKE: Final = re.compile(
    r"\bhave\s+an?\s+(?:[\w-]+,?\s+){0,4}(?:class|group|set|tutor\s+group)\b", re.IGNORECASE
)
"""'have a calm, focused class': the class's conduct as the aim."""

_PERCENT: Final = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)", re.IGNORECASE)

_OUTSIDE_SHARE: Final = re.compile(
    r"\b(?:leave|leaving|drop[- ]?outs?|withdraw\w*|retention|retain\w*|behaviou?r\w*|"
    r"attendance|absence|punctual\w*|certificates?|awards?|commendations?|exclu\w+)\b",
    re.IGNORECASE,
)
"""What a share of pupils does that others or circumstances decide: staying on a course,
behaviour, attendance, an award given by others (the rubric: outside the person's control)."""

_OWN_SHARE_ROLES: Final = frozenset(
    {
        Role.TEACHER,
        Role.EARLY_CAREER_TEACHER,
        Role.TRAINEE_TEACHER,
        Role.TEACHING_ASSISTANT,
        Role.SUPPORT_STAFF,
    }
)
"""Roles whose pupils are their own: a share of them is the person's own share of a result."""


@attrs.frozen
class Convention:
    """One of the rubric's conventions, as the judge applies it.

    Attributes:
        label: The label it settles.
        holds: The verdict it gives that label.
        words: How findings describe it.
    """

    label: str
    holds: bool
    words: str


CONVENTIONS: Final[Mapping[str, Convention]] = {
    "k.own_share": Convention(
        label="achievable",
        holds=True,
        words="the person's own moderate share of a pupil result (below 90%)",
    ),
    "k.implicit_all": Convention(
        label="achievable",
        holds=False,
        words="a pupil threshold with no stated share and nothing the person will do "
        "(all pupils, implicitly)",
    ),
    "k.others_decide": Convention(
        label="achievable",
        holds=False,
        words="an outcome others decide or report (reported, chosen or judged by others)",
    ),
    "k.pupils_conduct": Convention(
        label="achievable",
        holds=False,
        words="pupils' behaviour or feelings as the outcome (theirs to decide)",
    ),
    "k.own_wellbeing": Convention(
        label="relevant",
        holds=False,
        words="the person's own wellbeing, with nothing they will do in the role",
    ),
    "k.disposition": Convention(
        label="relevant",
        holds=False,
        words="a disposition or attitude to hold (be positive, have high expectations), with "
        "nothing the person will do",
    ),
    "k.bare_share": Convention(
        label="data_target",
        holds=True,
        words="a share of pupils to reach a result, with nothing the person will do",
    ),
    "k.bare_improve": Convention(
        label="data_target",
        holds=True,
        words="an aim to improve pupils' results or skills with no approach named",
    ),
    "k.own_action": Convention(
        label="data_target",
        holds=False,
        words="the person's own concrete action, not a bare figure",
    ),
    "k.admin_chore": Convention(
        label="relevant",
        holds=False,
        words="a calendar or data-reporting chore (admin only)",
    ),
    "k.role_work": Convention(
        label="relevant",
        holds=True,
        words="the work of the role (teaching, planning, marking, professional learning, "
        "colleagues, the curriculum) with nothing unrelated to it",
    ),
    "k.leader_bare": Convention(
        label="data_target",
        holds=True,
        words="a leader's target for pupils' results with no action and no approach named",
    ),
    "k.not_attainment": Convention(
        label="data_target",
        holds=False,
        words="a pupil measure that is not attainment or progress",
    ),
}
"""The judge's conventions: the reading's signal (``k.<name>``) -> what it settles.

Where two settle the same label, the later in this table wins (a pupil measure that is not
attainment is no data target, even in a leader's bare target)."""


def _role(role: object) -> Role | None:
    if isinstance(role, Role):
        return role
    try:
        return Role(str(role)) if role is not None else None
    except ValueError:
        return None


def leader_result_only(text: str, role: object) -> Span | None:
    """Where a leader's target for pupils' results is, when it has no action of their own.

    A leader is a middle or senior leader or a headteacher by role, or a statement opening
    "As head of ...", "As deputy head ...". The target is a pupil result (grades, scores,
    progress, pass rates) with no clause in which the person does a concrete action and no
    "by ...ing" or "through ...ing" saying how. None when it is not such a target.
    """
    text = text[:MAX_CHARS]
    given = _role(role)
    leads = (given is not None and given.leads) or bool(_LEADER_WORDS.match(text))
    if not leads:
        return None
    return _leader_result(text)


@functools.lru_cache(maxsize=4096)
def _leader_result(text: str) -> Span | None:
    found = _RESULT.search(text)
    if found is None or _OWN_MEANS.search(text):
        return None
    parts = clauses(text)
    if any(
        c.actor in ("self", "implicit")
        and c.verb_class == "do"
        and not _RESULT_SUBJECT.match(text, c.span[0], c.span[1])
        for c in parts
    ):
        return None
    for part in parts:  # underline the clause that names the result
        begin, end = part.span
        if begin <= found.start() < end:
            piece = text[begin:end]
            return begin + len(piece) - len(piece.lstrip()), end - len(piece) + len(
                piece.rstrip(" .;:,")
            )
    return found.span()


def readings(text: str, role: object) -> dict[str, Span | None]:
    """The conventions (``k.<name>``, see `CONVENTIONS`) that apply to *text* and *role*."""
    return dict(_readings(text[:MAX_CHARS], _role(role)))


@functools.lru_cache(maxsize=4096)
def _readings(text: str, role: Role | None) -> tuple[tuple[str, Span | None], ...]:
    found: dict[str, Span | None] = {}
    read = clause_signals(text)
    found.update(_achievable(text, role, read))
    wellbeing = _WELLBEING.search(text)
    if wellbeing is not None and "c.acts" not in read and _OTHERS_WELLBEING.search(text) is None:
        found["k.own_wellbeing"] = wellbeing.span()
    disposition = _DISPOSITION.search(text)
    if disposition is not None and "c.acts" not in read:
        found["k.disposition"] = disposition.span()
    chore = _ADMIN_CHORE.search(text)
    if chore is not None:
        found["k.admin_chore"] = chore.span()
    found.update(_data_target(text, read))
    return tuple(found.items())


def _achievable(
    text: str, role: Role | None, read: Mapping[str, Span | None]
) -> dict[str, Span | None]:
    """The readings that settle achievable."""
    found: dict[str, Span | None] = {}
    high = any(_number(m.group(1)) >= 90 for m in _PERCENT.finditer(text))
    if (
        role in _OWN_SHARE_ROLES
        and "c.share_moderate" in read
        and "c.share_all" not in read
        and not high
        and _OUTSIDE_SHARE.search(text) is None
    ):
        found["k.own_share"] = read["c.share_moderate"]
    if "c.implicit_all" in read and "c.result_only" in read:
        found["k.implicit_all"] = read["c.implicit_all"]
    decided = _OTHERS_DECIDE.search(text)
    if decided is not None:
        found["k.others_decide"] = decided.span()
    conduct = _CONDUCT.search(text)
    if conduct is not None and (
        ("c.pupils_act" in read and "c.acts" not in read) or _CLASS_LIKE.search(text)
    ):
        found["k.pupils_conduct"] = conduct.span()
    return found


def _data_target(text: str, read: Mapping[str, Span | None]) -> dict[str, Span | None]:
    """The readings that settle data target."""
    found: dict[str, Span | None] = {}
    parts = clauses(text)
    acting = [
        c
        for c in parts
        if c.verb_class == "do" and (c.actor == "self" or (c.actor == "implicit" and c is parts[0]))
    ]
    shares = [
        c
        for c in parts
        if c.actor == "pupils"
        and c.proportion != "none"
        and _FIGURE.search(text, c.span[0], c.span[1]) is not None
    ]
    improve = _BARE_IMPROVE.search(text)
    if acting:
        found["k.own_action"] = acting[0].span
    elif improve is not None:  # unless an approach is named: see `every_reading`
        found["k.bare_improve"] = improve.span()
    elif shares and "c.others_act" not in read and _NO_ATTAINMENT.search(text) is None:
        found["k.bare_share"] = shares[0].span
    own = _OWN_PRACTICE_MEASURE.search(text)
    other = _OTHER_MEASURE.search(text)
    if own is not None:
        found["k.not_attainment"] = own.span()
    elif other is not None and _ATTAINMENT.search(_YEAR_GRADE.sub(" ", text)) is None:
        found["k.not_attainment"] = other.span()
    if "k.not_attainment" in found:
        found.pop("k.bare_share", None)
    return found


def _number(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        return 0.0


_NOT_ROLE_WORK: Final = (
    "j_wellbeing",
    "trivial",
    "pay",
    "j_admin",
    "j_disposition",
    "j_decided",
    "affective",
)
"""Lexicons of what the rubric holds unrelated to the role: wellbeing, socials and chores,
pay, admin, dispositions, outcomes others decide, feelings. Career moves are read by
`_CAREER_MOVE`: the ``career`` lexicon also holds qualifications (an MA, the NPQ), which are
professional learning for the role."""

_CAREER_MOVE: Final = re.compile(
    r"\b(?:promotion|promoted|headship|apply(?:ing)?\s+for|applications?\s+for|interview\w*|"
    r"next\s+(?:step|role|post|job)|new\s+(?:job|post|role|school)|aspir\w+|secondment|"
    r"move\s+(?:to|into|up)|career\s+(?:move|change|break))\b",
    re.IGNORECASE,
)
"""A move of job or post (not a qualification): the rubric's career move."""

_REPORTING_OR_REPUTATION: Final = re.compile(
    r"\b(?:data|information|figures)\s+(?:reported|reporting|entered|entry)\b|"
    r"\bsubmit\w*\b[^.;]{0,40}?\bto\s+(?:the\s+)?(?:slt|senior\s+leaders?|head\w*|office|"
    r"line\s+manager)\b|"
    r"\bwant\s+(?:\w+\s+){0,2}(?:teachers|staff|colleagues|parents|people)\b",
    re.IGNORECASE,
)
"""Data-reporting chores (submitting to leaders), and wanting others to think or do
something (a reputation)."""


def role_work(analysis: Analysis, present: Mapping[str, object]) -> Span | None:
    """Where the work of the role is named, in an aim with nothing unrelated to the role.

    The rubric ties an objective to the role through its work: teaching, planning, marking,
    professional learning, colleagues, the curriculum, a school priority (the ``j_role_work``
    lexicon). Such an aim is relevant unless it is also a chore, a social, pay, a career
    move, wellbeing, a disposition, a feeling or an outcome others decide (their lexicons, an
    aim opening "be ..." (``d.be_aim`` in *present*), or a convention saying so).
    """
    found = analysis.first("j_role_work")
    if found is None or analysis.first(*_NOT_ROLE_WORK) is not None:
        return None
    if any(s in present for s in ("d.be_aim", "k.disposition", "k.own_wellbeing", "k.admin_chore")):
        return None
    text = analysis.text[:MAX_CHARS]
    if _REPORTING_OR_REPUTATION.search(text) or _CAREER_MOVE.search(text):
        return None
    return found


def every_reading(
    analysis: Analysis, role: object, present: Mapping[str, object]
) -> dict[str, Span | None]:
    """Every convention that applies to the statement *analysis* reads, for the judge.

    The text's readings (`readings`), then those that need the lexicons: the work of the role
    (`role_work`, given the signals already *present*), a leader's bare results target
    (`leader_bare_target`), and no bare aim to improve pupils' results where an approach is
    named.
    """
    from devcycle.rules._features import has_named_approach  # noqa: PLC0415 - avoids a cycle

    found = readings(analysis.text, role)
    if "k.bare_improve" in found and has_named_approach(analysis):
        del found["k.bare_improve"]
    tied = role_work(analysis, {**present, **found})
    if tied is not None:
        found["k.role_work"] = tied
    bare = leader_bare_target(analysis, role)
    if bare is not None:
        found["k.leader_bare"] = bare
    return found


def leader_bare_target(analysis: Analysis, role: object) -> Span | None:
    """Where a leader's results target (`leader_result_only`) names no approach either.

    With nothing the leader will do and no named practice for the pupils, it is a bare data
    target: the figure and nothing else.
    """
    from devcycle.rules._features import has_named_approach  # noqa: PLC0415 - avoids a cycle

    found = leader_result_only(analysis.text, role)
    if found is None or has_named_approach(analysis):
        return None
    return found
