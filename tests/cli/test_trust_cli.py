"""``devcycle trust``: a script author sets up a trust from the command line.

Before it, no command saved a trust: ``devcycle school add --trust`` put a school in a
trust, but the trust record itself (its name, the schools it lists, which ``devcycle export
--trust`` and the reports read) could be made only in Python or by importing a bundle, and
``devcycle access check write_trust`` could ask only about a school.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from devcycle.cli import main
from devcycle.storage import open_store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def url(tmp_path: Path) -> str:
    """A store with north and south in trust rivers, peak in trust hills, and no trust record."""
    url = f"sqlite:///{tmp_path / 'devcycle.db'}"
    for school_id, trust_id in (("north", "rivers"), ("south", "rivers"), ("peak", "hills")):
        args = ["school", "add", school_id, "--name", school_id.title(), "--trust", trust_id]
        assert main([*args, "--store", url]) == 0
    return url


def _trusts(url: str) -> dict[str, tuple[str, tuple[str, ...]]]:
    with open_store(url) as store:
        return {t.id: (t.name, t.school_ids) for t in store.trusts.list()}


def test_a_script_creates_a_trust_shows_it_and_exports_it(
    url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = run(
        capsys,
        *("trust", "save", "rivers", "--name", "Two Rivers Trust"),
        *("--school", "north", "--school", "south", "--store", url),
    )

    assert (code, err) == (0, "")
    assert "Created trust 'rivers' (Two Rivers Trust) listing 2 schools: north, south" in out
    assert _trusts(url) == {"rivers": ("Two Rivers Trust", ("north", "south"))}
    with open_store(url) as store:
        log = [(e.action, e.kind, e.actor) for e in store.audit.query("rivers")]
    assert log == [("add", "trust", "system")]

    code, out, _ = run(capsys, "trust", "show", "rivers", "--store", url)
    assert code == 0
    assert "Two Rivers Trust [rivers]" in out
    assert "north" in out
    assert "South" in out
    code, out, _ = run(capsys, "trust", "list", "--store", url)
    assert (code, out.split()) == (0, ["rivers", "Two", "Rivers", "Trust", "(north,", "south)"])
    bundle = tmp_path / "rivers.json"
    code, _, err = run(
        capsys, "export", "--trust", "rivers", "-o", str(bundle), "-q", "--store", url
    )
    assert code == 0
    assert "Exported 1 trust, 2 schools" in err
    assert '"Two Rivers Trust"' in bundle.read_text(encoding="utf-8")


def test_saved_again_a_trust_keeps_what_is_not_given(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["trust", "save", "rivers", "--name", "Rivers", "--store", url]) == 0

    code, out, _ = run(capsys, "trust", "save", "rivers", "--school", "north", "--store", url)
    assert code == 0
    assert "Saved trust 'rivers' (Rivers) listing 1 school: north" in out
    assert "Not listed, though they name the trust: south" in out
    assert main(["trust", "save", "rivers", "--name", "Two Rivers", "--store", url]) == 0
    assert _trusts(url) == {"rivers": ("Two Rivers", ("north",))}
    assert main(["trust", "save", "rivers", "--no-schools", "--store", url]) == 0
    assert _trusts(url) == {"rivers": ("Two Rivers", ())}
    with open_store(url) as store:
        assert [e.action for e in store.audit.query("rivers")] == ["add"] + ["update"] * 3


def test_a_trust_leader_saves_their_own_trust_audited_as_themself(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    leader = ("--as", "trust_leader", "--user", "L1", "--trust-id", "rivers")
    code, _, err = run(
        capsys, "trust", "save", "rivers", "--name", "Rivers", *leader, "--store", url
    )

    assert (code, err) == (0, "")
    with open_store(url) as store:
        [entry] = store.audit.query("rivers")
    assert (entry.actor, entry.role, entry.kind) == ("L1", "trust_leader", "trust")


@pytest.mark.parametrize(
    "actor",
    [
        ("--as", "trust_leader", "--user", "L2", "--trust-id", "hills"),
        ("--as", "trust_leader", "--user", "L1"),
        ("--as", "headteacher", "--user", "H1"),
        ("--as", "auditor", "--user", "D1", "--trust-id", "rivers"),
    ],
)
def test_anyone_else_is_refused_and_nothing_is_saved(
    url: str, capsys: pytest.CaptureFixture[str], actor: tuple[str, ...]
) -> None:
    code, out, err = run(
        capsys, "trust", "save", "rivers", "--name", "Taken over", *actor, "--store", url
    )

    assert (code, out) == (2, "")
    assert "cannot write_trust" in err
    assert "Traceback" not in err
    assert _trusts(url) == {}
    with open_store(url) as store:
        assert store.audit.query("rivers") == []


@pytest.mark.parametrize(
    ("args", "named", "said"),
    [
        (("rivers",), "@ --name", "a new trust needs --name"),
        (("rivers", "--name", "   "), "@ --name", "--name must be non-empty text"),
        (("bad id!", "--name", "R"), "@ ID", "must be an id"),
        (("rivers", "--name", "R", "--school", "bad id"), "@ --school", "'bad id'"),
        (("rivers", "--name", "R", "--school", "nowhere"), "@ --school", "'nowhere' is not"),
        (("rivers", "--name", "R", "--school", "peak"), "@ --school", "in trust 'hills'"),
        (("rivers", "--name", "R", "--school", "north", "--no-schools"), "@ --no-schools", ""),
    ],
)
def test_bad_input_names_the_option_exits_2_and_saves_nothing(
    url: str,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    named: str,
    said: str,
) -> None:
    code, out, err = run(capsys, "trust", "save", *args, "--store", url)

    assert (code, out) == (2, "")
    assert named in err
    assert said in err
    assert "Traceback" not in err
    assert _trusts(url) == {}


def test_a_refused_change_leaves_the_stored_trust_as_it_was(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    saved = ("trust", "save", "rivers", "--name", "Rivers", "--school", "north")
    assert main([*saved, "--store", url]) == 0

    code, _, err = run(
        capsys, "trust", "save", "rivers", "--name", "New", "--school", "peak", "--store", url
    )

    assert code == 2
    assert "@ --school" in err
    assert _trusts(url) == {"rivers": ("Rivers", ("north",))}


def test_show_names_schools_in_the_trust_that_it_does_not_list(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "trust", "show", "rivers", "--store", url)
    assert code == 0
    assert "No trust record 'rivers'; schools that name it: north, south" in out
    assert "devcycle trust save rivers --name NAME --school north --school south" in out

    code, _, err = run(capsys, "trust", "show", "nope", "--store", url)
    assert code == 2
    assert "no trust 'nope'" in err


@pytest.mark.parametrize(
    ("actor", "code", "said"),
    [
        (("--as", "trust_leader", "--user", "L1", "--trust-id", "rivers"), 0, "allowed"),
        (("--as", "trust_leader", "--user", "L2", "--trust-id", "hills"), 1, "denied"),
        (("--as", "headteacher", "--user", "H1"), 1, "denied"),
        ((), 0, "allowed"),
    ],
)
def test_access_check_answers_about_a_trust_itself(
    url: str, capsys: pytest.CaptureFixture[str], actor: tuple[str, ...], code: int, said: str
) -> None:
    """Before --trust, a trust leader was denied write_trust "not in None"."""
    result = run(capsys, "access", "check", "write_trust", "--trust", "rivers", *actor)

    assert result[0] == code
    assert result[1].startswith(f"{said}:")
    assert "trust 'rivers'" in result[1]


def test_access_check_refuses_a_trust_beside_a_school(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(
        capsys, "access", "check", "write_trust", "--trust", "rivers", "--school", "north"
    )
    assert code == 2
    assert "--trust asks about a trust itself" in err


def test_access_check_write_trust_asks_for_the_trust(capsys: pytest.CaptureFixture[str]) -> None:
    """Without --trust (or --school) the answer was about no trust: "not in None"."""
    leader = ("--as", "trust_leader", "--user", "L1", "--trust-id", "rivers")
    code, out, err = run(capsys, "access", "check", "write_trust", *leader)

    assert (code, out) == (2, "")
    assert "give --trust ID" in err
    assert "None" not in err


def test_school_add_names_its_own_trust_option(capsys: pytest.CaptureFixture[str]) -> None:
    """A bad --trust was reported at --trust-id, the option of the actor's trust."""
    code, _, err = run(
        capsys, "school", "add", "x", "--name", "X", "--trust", "bad id", "--store", "memory://"
    )
    assert code == 2
    assert err.rstrip().endswith("@ --trust")
    assert "--trust-id" not in err


def test_export_of_a_trust_nobody_names_says_how_to_save_one(
    url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """A trust with neither a record nor a school naming it: say how a script makes one.

    (A trust named only by its schools exports those schools: tests/storage/test_bundle.py.)
    """
    code, _, err = run(capsys, "export", "--trust", "lakes", "-q", "--store", url)

    assert code == 2
    assert "no trust 'lakes'" in err
    assert "devcycle trust save lakes --name NAME --school SCHOOL" in err
