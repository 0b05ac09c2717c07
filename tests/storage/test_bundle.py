"""Bundles move a whole school or trust between any two backends, all or nothing."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import attrs
import pytest

import devcycle as dc
from devcycle.catalogues.frameworks import framework, framework_names
from devcycle.storage.bundle import (
    count_bundle,
    count_stored,
    export_bundle,
    import_bundle,
    read_bundle,
    write_bundle,
)
from devcycle.testing.store_contract import sample_school


def _fill(store: dc.Store, *school_ids: str) -> None:
    with store.transaction() as tx:
        tx.trusts.add(dc.Trust(id="trust-1", name="Trust One", school_ids=school_ids))
        for school_id in school_ids:
            school, staff, cycles, cpd = sample_school(school_id)
            tx.schools.add(school)
            tx.staff.add_all(staff)
            tx.cycles.add_all(cycles)
            tx.cpd.add_all(cpd)
        tx.frameworks.add(framework(framework_names()[0]))
        tx.commit()


@pytest.mark.parametrize(
    ("source_url", "target_url"),
    [
        ("memory://", "sqlite:///{tmp}/target.db"),
        ("sqlite:///{tmp}/source.db", "json://{tmp}/target"),
        ("json://{tmp}/source", "memory://"),
    ],
)
def test_a_trust_moves_between_backends_unchanged(
    source_url: str, target_url: str, tmp_path: Path
) -> None:
    """Export from one backend and import into another: the same bundle comes back."""
    source = dc.open_store(source_url.format(tmp=tmp_path))
    target = dc.open_store(target_url.format(tmp=tmp_path))
    _fill(source, "school-a", "school-b")
    bundle = export_bundle(source, trust_id="trust-1")

    counts = import_bundle(target, bundle)

    assert counts == count_bundle(bundle)
    assert count_stored(target, bundle) == count_bundle(bundle)
    assert export_bundle(target, trust_id="trust-1") == bundle
    source.close()
    target.close()


def test_export_of_one_school_leaves_the_others_out() -> None:
    """Asking for one school exports its records only (and the shared catalogue)."""
    store = dc.open_store("memory://")
    _fill(store, "school-a", "school-b")

    bundle = export_bundle(store, school_ids=["school-b"])

    data = bundle["data"]
    assert [d["data"]["id"] for d in data["schools"]] == ["school-b"]
    assert {d["data"]["school_id"] for d in data["staff"] + data["cycles"] + data["cpd"]} == {
        "school-b"
    }
    assert len(data["frameworks"]) == 1
    assert export_bundle(store, school_ids=["school-b"], shared=False)["data"]["frameworks"] == []


def test_a_bundle_file_round_trips(tmp_path: Path) -> None:
    """write_bundle and read_bundle keep every record."""
    store = dc.open_store("memory://")
    _fill(store, "school-a")
    bundle = export_bundle(store)

    write_bundle(bundle, tmp_path / "trust.json")

    assert read_bundle(tmp_path / "trust.json") == bundle


def test_an_unreadable_bundle_file_is_a_validation_error(tmp_path: Path) -> None:
    """A file that is not JSON names itself and the position."""
    path = tmp_path / "broken.json"
    path.write_text('{"kind": "bundle",', encoding="utf-8")

    with pytest.raises(dc.ValidationError, match=r"(?s)broken\.json: 1 problem.*not valid JSON"):
        read_bundle(path)


def test_replace_overwrites_existing_records_and_keeps_the_rest() -> None:
    """With replace, records already stored are overwritten; others are added."""
    source = dc.open_store("memory://")
    _fill(source, "school-a")
    target = dc.open_store("memory://")
    _fill(target, "school-a")
    member = target.staff.get("school-a", "T1")
    target.staff.update(type(member)(**{**_fields(member), "name": "Changed"}))

    import_bundle(target, export_bundle(source), replace=True)

    assert target.staff.get("school-a", "T1").name == "Teacher one"
    assert target.staff.get("school-a", "T1").version == 3


def _fields(obj: object) -> dict[str, object]:
    import attrs

    return attrs.asdict(obj, recurse=False)  # type: ignore[arg-type]


def test_progress_is_reported_up_to_the_total() -> None:
    """The progress callback sees 0 first and the total last."""
    source = dc.open_store("memory://")
    _fill(source, "school-a")
    seen: list[tuple[int, int]] = []

    import_bundle(
        dc.open_store("memory://"), export_bundle(source), progress=lambda d, t: seen.append((d, t))
    )

    assert seen[0][0] == 0
    assert seen[-1][0] == seen[-1][1] == sum(count_bundle(export_bundle(source)).values())


def test_a_document_of_the_wrong_kind_in_a_section_is_reported() -> None:
    """A school document in the cycles section is named by its path."""
    source = dc.open_store("memory://")
    _fill(source, "school-a")
    bundle = export_bundle(source)
    bundle["data"]["cycles"].append(bundle["data"]["schools"][0])

    with pytest.raises(
        dc.ValidationError, match=r"expected a cycle document .* @ \$\.data\.cycles\[3\]\.kind"
    ):
        import_bundle(dc.open_store("memory://"), bundle)


def test_something_that_is_not_a_bundle_is_refused() -> None:
    """Any other document is refused before anything is read."""
    with pytest.raises(dc.ValidationError, match="expected a bundle"):
        import_bundle(dc.open_store("memory://"), {"kind": "school", "data": {}})


def test_replace_never_rewinds_a_cycle_and_imports_nothing() -> None:
    """Issue 11: an older bundle imported with replace cannot cut a cycle's history."""
    store = dc.open_store("memory://")
    _fill(store, "school-a")
    older = export_bundle(store)
    cycle = store.cycles.get("school-a", "2026-T1")
    cycle.record_check_in(cycle.objectives[0].id, by="T1", on=date(2026, 11, 1), note="Mine.")
    store.cycles.update(cycle)
    member = store.staff.get("school-a", "T1")
    before = export_bundle(store)

    with pytest.raises(dc.DomainError, match=r"does not extend the stored one.*nothing was"):
        import_bundle(store, older, replace=True)

    assert export_bundle(store)["data"] == before["data"]
    assert store.staff.get("school-a", "T1") == member


def test_a_bundle_carries_the_cpd_catalogue_apart_from_its_runs() -> None:
    """Issue 11, item 13: offerings travel in their own section, per school, with their runs."""
    offerings = [
        dc.CPDOffering(id="phonics", school_id=s, title=f"Phonics {s}", kind=dc.CPDKind.COURSE)
        for s in ("school-a", "school-b")
    ]
    with dc.open_store("memory://") as source, dc.open_store("memory://") as target:
        _fill(source, "school-a", "school-b")
        for offering in offerings:
            source.cpd_offerings.add(offering)
            source.cpd.add(offering.schedule("run", start=date(2026, 10, 5)))
        bundle = export_bundle(source)
        counts = import_bundle(target, bundle)

        assert counts["cpd_offerings"] == 2
        for offering in offerings:
            assert target.cpd_offerings.get(offering.school_id, "phonics") == offering
            assert target.cpd.of_offering(offering.school_id, "phonics")[0].title == offering.title


def test_a_trust_only_its_schools_name_exports_those_schools() -> None:
    """`devcycle school add --trust mat` names a trust the store holds no record of.

    Found in a user trial: reports as the trust's leader covered its schools, but
    ``devcycle export --trust mat`` said ``no trust 'mat'``, so the trust could not be
    exported as one bundle.
    """
    store = dc.open_store("memory://")
    with store.transaction() as tx:
        for school_id, trust_id in (("oak", "mat"), ("elm", "mat"), ("ash", "other")):
            school, staff, cycles, _cpd = sample_school(school_id)
            tx.schools.add(attrs.evolve(school, trust_id=trust_id))
            tx.staff.add_all(staff)
            tx.cycles.add_all(cycles)
        tx.commit()

    bundle = export_bundle(store, trust_id="mat")

    data = bundle["data"]
    assert data["trusts"] == []
    assert [d["data"]["id"] for d in data["schools"]] == ["elm", "oak"]
    assert {d["data"]["school_id"] for d in data["cycles"]} == {"elm", "oak"}
    with pytest.raises(dc.NotFoundError, match="no trust 'nope'"):
        export_bundle(store, trust_id="nope")
    target = dc.open_store("memory://")
    import_bundle(target, bundle)
    assert sorted(s.id for s in target.schools.in_trust("mat")) == ["elm", "oak"]
