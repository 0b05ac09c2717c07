"""``devcycle school join``: a stored school joins a trust or leaves it, checked and audited.

Before it, a school's trust could be set only when the school was created (``school add
--trust``); a school that joined a trust later had to be exported, edited and imported.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main
from devcycle.domain import Role, StaffMember
from devcycle.storage import open_store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def url(tmp_path: Path) -> str:
    """North in trust rivers (whose record lists it), brook in no trust, with staff."""
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    assert (
        main(["school", "add", "north", "--name", "North", "--trust", "rivers", "--store", url])
        == 0
    )
    assert main(["school", "add", "brook", "--name", "Brook", "--store", url]) == 0
    assert (
        main(["trust", "save", "rivers", "--name", "Rivers", "--school", "north", "--store", url])
        == 0
    )
    with open_store(url) as store, store.transaction() as tx:
        for person_id, role in (("H1", Role.HEADTEACHER), ("A1", Role.SUPPORT_STAFF)):
            tx.staff.add(StaffMember(id=person_id, name=person_id, school_id="brook", roles={role}))
        tx.commit()
    return url


def _trust_of(url: str, school_id: str) -> str | None:
    with open_store(url) as store:
        return store.schools.get(school_id).trust_id


def test_a_school_joins_a_trust_and_the_change_is_logged(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(
        capsys, "school", "join", "brook", "--trust", "rivers", "--store", url,
        "--as", "headteacher", "--user", "H1",
    )  # fmt: skip

    assert code == 0, err
    assert "School 'brook' (Brook): no trust -> trust 'rivers'" in out
    assert "devcycle trust save rivers --school north --school brook" in out
    assert _trust_of(url, "brook") == "rivers"
    with open_store(url) as store:
        entry = store.audit.query("brook", action="update")[-1]
    assert (entry.actor, entry.role, entry.fields) == ("H1", "headteacher", ("trust_id",))


def test_a_school_leaves_its_trust_once_the_trust_no_longer_lists_it(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(capsys, "school", "join", "north", "--no-trust", "--store", url)

    assert code == 2
    assert "school 'north' is listed by the record of trust 'rivers'" in err
    assert "devcycle trust save rivers --no-schools" in err
    assert _trust_of(url, "north") == "rivers"

    assert main(["trust", "save", "rivers", "--no-schools", "--store", url]) == 0
    code, out, err = run(capsys, "school", "join", "north", "--no-trust", "--store", url)

    assert code == 0, err
    assert "School 'north' (North): trust 'rivers' -> no trust" in out
    assert _trust_of(url, "north") is None


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("brook",), "give --trust TRUST (the trust it joins) or --no-trust"),
        (("brook", "--trust", "rivers", "--no-trust"), "give --trust TRUST"),
        (("brook", "--trust", "rivrs"), "trust 'rivrs' is not known; did you mean 'rivers'?"),
        (("nope", "--trust", "rivers"), "no school 'nope'"),
        (("brook", "--trust", "bad id!"), "trust 'bad id!' is not known"),
        (
            ("brook", "--trust", "rivers", "--as", "school_admin", "--user", "A1"),
            "cannot govern_school",
        ),
    ],
)
def test_a_join_that_cannot_be_done_is_refused_and_changes_nothing(
    url: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], message: str
) -> None:
    code, _, err = run(capsys, "school", "join", *args, "--store", url)

    assert code == 2
    assert err.startswith("error: ")
    assert "Traceback" not in err
    assert message in err
    assert _trust_of(url, "brook") is None


def test_joining_the_trust_it_is_in_changes_nothing(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "school", "join", "north", "--trust", "rivers", "--store", url)

    assert code == 0
    assert "School 'north' is in trust 'rivers' already; nothing changed" in out
    with open_store(url) as store:
        assert store.audit.query("north", action="update") == []
