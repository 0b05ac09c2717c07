"""The example MIS app, through the web framework's test client, over PostgreSQL if present."""

from __future__ import annotations

import re
from typing import Any

import devcycle as dc

from .conftest import AS_OF, JOINER


def sign_in(client: Any, who: str) -> None:
    response = client.post("/sign-in", data={"person": f"oakfield/{who}"}, follow_redirects=False)
    assert response.status_code == 303


def test_the_sign_in_page_lists_the_schools_staff(client: Any) -> None:
    page = client.get("/")

    assert page.status_code == 200
    assert 'lang="en-GB"' in page.text
    assert "Anna Patel" in page.text


def test_nothing_is_shown_before_signing_in(client: Any) -> None:
    assert client.get("/cycles").status_code == 403


def test_a_teacher_sees_their_own_cycle_and_not_a_colleagues(client: Any) -> None:
    sign_in(client, "T006")

    assert "/cycles/2026-T006" in client.get("/cycles").text
    assert client.get("/cycles/2026-T006").status_code == 200
    refused = client.get("/cycles/2026-T008")
    assert refused.status_code == 403
    assert "may act only on their own cycle" in refused.text


def test_a_reviewer_sees_the_cycles_they_review(client: Any) -> None:
    sign_in(client, "M004")

    listing = client.get("/cycles").text

    assert "/cycles/2026-T006" in listing
    assert "/cycles/2026-T008" not in listing


def test_propose_then_agree_through_the_pages(client: Any, joiners_cycle: str) -> None:
    sign_in(client, JOINER)
    form = client.get(f"/cycles/{joiners_cycle}").text
    assert 'data-check="/api/check"' in form

    proposed = client.post(
        f"/cycles/{joiners_cycle}/objectives",
        data={
            "statement": "Run three phonics catch-up groups a week for the five Year 3 pupils "
            "below the expected standard, checked by their phonics screening scores in March.",
            "success": "4 of 5 pupils pass the March re-check",
            "deadline": "2027-03-31",
        },
    )
    assert proposed.status_code == 200
    objective_id = re.search(r"/objectives/(obj-\d+)/", client.get(f"/cycles/{joiners_cycle}").text)
    assert objective_id is None  # the reviewee gets no agree or return buttons

    own_agree = client.post(f"/cycles/{joiners_cycle}/objectives/obj-1/agree")
    assert own_agree.status_code == 409
    assert "only the reviewer" in own_agree.text

    sign_in(client, "M004")
    assert (
        f"/cycles/{joiners_cycle}/objectives/obj-1/agree"
        in client.get(f"/cycles/{joiners_cycle}").text
    )
    agreed = client.post(f"/cycles/{joiners_cycle}/objectives/obj-1/agree")
    assert agreed.status_code == 200
    assert "Status: agreed" in agreed.text


def test_a_bad_date_is_a_clear_422_not_a_crash(client: Any, joiners_cycle: str) -> None:
    sign_in(client, JOINER)

    response = client.post(
        f"/cycles/{joiners_cycle}/objectives",
        data={
            "statement": "Observe two colleagues' reading lessons by Easter.",
            "deadline": "31/03",
        },
    )

    assert response.status_code == 422
    assert "YYYY-MM-DD" in response.text


def test_a_check_in_is_recorded(client: Any, app: Any) -> None:
    sign_in(client, "T006")

    response = client.post(
        "/cycles/2026-T006/objectives/obj-1/check-in",
        data={"note": "Groups running three times a week.", "rag": "green"},
    )

    assert response.status_code == 200
    cycle = app.state.store.cycles.get("oakfield", "2026-T006")
    assert cycle.objective("obj-1").check_ins[-1].note == "Groups running three times a week."


def test_the_checker_answers_as_the_user_types(client: Any) -> None:
    sign_in(client, "T006")

    result = client.post("/api/check", json={"text": "Improve my teaching."}).json()

    assert "S101" in [f["code"] for f in result["findings"]]
    assert result["verdicts"]["specific"] is False
    assert client.post("/api/check", json={"text": 7}).status_code == 422


def test_proformas_as_a_page_and_a_word_download(client: Any) -> None:
    sign_in(client, "T006")

    page = client.get("/cycles/2026-T006/proforma/final")
    word = client.get("/cycles/2026-T006/proforma/planning?format=docx")

    assert page.status_code == 200
    assert "Anna Patel" in page.text
    assert word.status_code == 200
    assert word.headers["content-disposition"].endswith('.docx"')
    assert word.content[:2] == b"PK"


def test_reports_are_for_leaders(client: Any) -> None:
    sign_in(client, "T006")
    assert client.get("/reports/progress").status_code == 403

    sign_in(client, "H001")
    page = client.get("/reports/progress")
    word = client.get("/reports/health?format=docx")

    assert page.status_code == 200
    assert "<svg" in page.text or "<table" in page.text
    assert word.status_code == 200
    assert word.content[:2] == b"PK"
    assert client.get("/reports/nonsense").status_code == 404


def test_reports_follow_the_access_policy_not_the_app(client: Any) -> None:
    """A senior leader, a role the policy lacks, is refused; the app decides nothing itself."""
    sign_in(client, "S002")

    assert client.get("/reports/progress").status_code == 403
    assert client.get("/reports").status_code == 403


def test_someone_who_has_left_is_refused_by_the_records_not_the_app(app: Any, client: Any) -> None:
    """The app maps users with ``Services.actor_for(..., on=today)``: a leaver gets a 403.

    Before, the app chose the role itself and never read the leaving date, so a teacher
    who had left still read and changed their cycle.
    """
    store = app.state.store
    try:
        store.staff.get("oakfield", "X099")
    except dc.NotFoundError:
        store.staff.add(
            dc.StaffMember(
                id="X099",
                name="Lee Ward",
                school_id="oakfield",
                roles={"teacher"},
                reviewer_id="M004",
                leaving_date=AS_OF.replace(month=1, day=30),
            )
        )
        store.cycles.add(
            dc.Cycle(
                id="2026-X099",
                school_id="oakfield",
                staff_id="X099",
                reviewer_id="M004",
                period_start=AS_OF.replace(year=2026, month=9, day=1),
                period_end=AS_OF.replace(year=2027, month=8, day=31),
            )
        )
    sign_in(client, "X099")

    refused = client.get("/cycles/2026-X099")

    assert refused.status_code == 403
    assert "left school" in refused.text
    assert client.get("/cycles").status_code == 403
