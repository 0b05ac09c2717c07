"""Reports quote objectives, evidence, observations and meetings only to roles that read them.

The user trial found the trust leader and the school office (who read "milestones only")
reading T1's objective statement in the progress report, and the needs, coverage and
meetings reports, through the services and the command line. Every report, for every role
that may run reports, now carries no marker text of a field the role may not read (the
records are still counted) and never a confidential one.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import devcycle as dc
from devcycle.access import CONFIDENTIAL_FIELDS, WITHHELD, default_policy
from devcycle.cli import main
from devcycle.cli.report import to_json
from devcycle.reports import REPORT_NAMES
from devcycle.services import Services
from devcycle.testing.access import MARKERS, access_school, insiders

DAY = date(2027, 3, 1)
SAMPLE = access_school()
CONTENT = ("objectives", "evidence", "observations", "reviews")
REPORTERS = ("headteacher", "school_admin", "governor", "trust_leader", "auditor", "system")


@pytest.fixture(scope="module")
def services() -> Iterator[Services]:
    with dc.open_store("memory://") as store:
        service = Services(store)
        SAMPLE.save(service)
        yield service


def _shown(result: object, name: str) -> str:
    return to_json(name, result) + repr(result)


@pytest.mark.parametrize("name", REPORT_NAMES)
@pytest.mark.parametrize("role", REPORTERS)
def test_every_report_quotes_only_what_the_role_reads(
    services: Services, role: str, name: str
) -> None:
    """No report shows a role a marker of a field it may not read, nor any confidential one."""
    actor = insiders(SAMPLE)[role]
    reads = default_policy().role(role)

    shown = _shown(services.report(actor, name, "sa", as_of=DAY), name)

    for field in CONTENT:
        if not reads.may_read(field):
            assert MARKERS[field] not in shown, (role, name, field)
    for key, marker in MARKERS.items():
        if key.partition(":")[0] in CONFIDENTIAL_FIELDS:
            assert marker not in shown, (role, name, key)


@pytest.mark.parametrize("role", ["school_admin", "trust_leader", "auditor"])
def test_the_progress_report_counts_objectives_it_does_not_quote(
    services: Services, role: str
) -> None:
    """The trial's case: T1's objective is counted for the office, its statement withheld."""
    report = services.report(insiders(SAMPLE)[role], "progress", "sa", as_of=DAY)

    t1 = next(p for p in report.people if p.staff_id == "T1")  # type: ignore[attr-defined]
    assert t1.objectives
    assert t1.objectives[0].statement == WITHHELD


def test_the_headteacher_still_reads_the_objectives(services: Services) -> None:
    report = services.report(insiders(SAMPLE)["headteacher"], "progress", "sa", as_of=DAY)

    assert MARKERS["objectives"] in _shown(report, "progress")


@pytest.mark.parametrize("name", ["progress", "needs", "coverage", "meetings"])
def test_the_cli_report_withholds_objectives_from_the_office(tmp_path: Path, name: str) -> None:
    """`devcycle report progress --as school_admin --format csv` names no objective."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    with dc.open_store(url) as store:
        service = Services(store)
        service.save_school(
            dc.Actor.system(), SAMPLE.school, [m for m in SAMPLE.staff if m.school_id == "sa"]
        )
        service.save_cycle(dc.Actor.system(), SAMPLE.cycle)
    args = ["report", name, "--store", url, "--school", "sa", "--as-of", "2027-03-01"]
    args += ["--as", "school_admin", "--user", "A1"]
    written = []
    for fmt, suffix in (("csv", "csv"), ("json", "json"), ("text", "txt")):
        out = tmp_path / f"{name}.{suffix}"
        code = main(
            [*args, "--format", fmt, "-o", str(out), "--as", "school_admin", "--user", "A1"]
        )
        assert code == 0
        written.append(out.read_text(encoding="utf-8"))
    shown = "\n".join(written)
    for field in CONTENT:
        assert MARKERS[field] not in shown, field
