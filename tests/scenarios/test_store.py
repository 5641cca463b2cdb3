"""ScenarioStore on real files: round trips, versions, baseline untouched, concurrency."""

from __future__ import annotations

import contextlib
import multiprocessing
import sqlite3
from pathlib import Path

import pandas as pd
import pytest
from scenario_helpers import box, line, point

from gis_app.errors import ScenarioError
from gis_app.model.schema import SCHEMAS
from gis_app.scenarios import (
    AddPark,
    AddWastewaterPlant,
    ChangeBoundary,
    ChangeParkStatus,
    LeasePlots,
    MergePlots,
    ReclaimProjects,
    RezonePlots,
    RezoneZones,
    Scenario,
    SplitPlot,
    SubdividePark,
    Subdivision,
    UpgradeWastewaterPlant,
    evaluate,
)
from gis_app.scenarios.store import ScenarioStore, StaleScenarioError
from gis_app.storage import list_layers, read_layer, read_plan


def _every_operation() -> Scenario:
    """One edit of every kind (not meant to evaluate; meant to round-trip)."""
    edits = (
        RezonePlots(id="e1", plot_codes=("A3",), land_use="service_admin"),
        RezoneZones(id="e2", zone_ids=("Z1", "Z2"), land_use="warehouse_logistics"),
        ReclaimProjects(id="e3", project_ids=("T2",)),
        LeasePlots(id="e4", plot_codes=("A4",), project_id="T9", investor="Công ty Đức Việt",
                   sector="cơ khí", registered_capital_usd=1.234567891e7, employees=321,
                   lease_start="2025-03-01"),
        SplitPlot(id="e5", plot_code="A3", line=line((125.123456789, -1), (125.1, 101)),
                  new_codes=("A3a", "A3b")),
        MergePlots(id="e6", plot_codes=("A1", "A2"), new_code="A12"),
        ChangeBoundary(id="e7", park_code="P1", polygon=box(200, 0, 300.000001, 100),
                       subdivision=Subdivision(plot_width_m=40.5, road_width_m=9.0),
                       release_outside=True),
        AddPark(id="e8", park_code="P2", name_vi="KCN Gián Khẩu II", name_en="Gian Khau II",
                province="Ninh Bình", legacy_province="Ninh Bình",
                outline=box(0, 200, 300, 500), status="proposed"),
        SubdividePark(id="e9", park_code="P2"),
        AddWastewaterPlant(id="e10", plant_id="W2", park_code="P2", name_vi="Trạm XLNT 2",
                           design_capacity_m3_day=750.5, location=point(10.25, 210.75)),
        UpgradeWastewaterPlant(id="e11", plant_id="W1", auto_monitoring=False),
        ChangeParkStatus(id="e12", park_code="P2", status="approved", established_year=None),
    )
    return Scenario.new("Mọi thao tác", author="Nguyễn Văn A", description="dòng 1\ndòng 2",
                        scenario_id="all-ops").replace(edits=edits)


def test_save_then_open_round_trips_exactly(gpkg: Path) -> None:
    store = ScenarioStore(gpkg)
    saved = store.save(_every_operation())
    assert saved.version == 1
    reopened = ScenarioStore(gpkg).open("all-ops")
    assert reopened == saved
    assert [type(e) for e in reopened.edits] == [type(e) for e in saved.edits]
    # Geometry coordinates survive bit for bit (WKB), not just approximately.
    assert reopened.edits[4].line.coords[0] == saved.edits[4].line.coords[0]
    listed = store.list()
    assert listed[["scenario_id", "version", "n_edits"]].values.tolist() == [["all-ops", 1, 12]]


def test_saving_never_touches_the_baseline_layers(gpkg: Path) -> None:
    before = {name: read_layer(gpkg, name) for name in SCHEMAS}
    store = ScenarioStore(gpkg)
    store.save(_every_operation())
    store.delete("all-ops")
    for name in SCHEMAS:
        pd.testing.assert_frame_equal(read_layer(gpkg, name), before[name], check_exact=True)
    read_plan(gpkg)  # still a valid province file
    layers = list_layers(gpkg)
    assert layers["scenarios"] is None and layers["scenario_edits"] is None
    with contextlib.closing(sqlite3.connect(gpkg)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        kinds = dict(con.execute("SELECT table_name, data_type FROM gpkg_contents"))
    assert kinds["scenarios"] == kinds["scenario_edits"] == "attributes"


def test_a_stale_save_is_rejected_and_changes_nothing(gpkg: Path) -> None:
    store = ScenarioStore(gpkg)
    first = store.save(Scenario.new("Kịch bản A", scenario_id="a"))
    mine = store.open("a")
    theirs = store.open("a")
    store.save(theirs.with_edit(ReclaimProjects(id="e1", project_ids=("T2",))))
    with pytest.raises(StaleScenarioError, match=r"saved by someone else.*stored version 2, "
                                                 r"yours 1.*reopen it"):
        store.save(mine.replace(name="lost?"))
    stored = store.open("a")
    assert (stored.version, stored.name, len(stored.edits)) == (2, "Kịch bản A", 1)
    with pytest.raises(StaleScenarioError, match="already exists"):
        store.save(Scenario.new("again", scenario_id="a"))
    assert first.version == 1


def test_duplicate_and_delete(gpkg: Path) -> None:
    store = ScenarioStore(gpkg)
    base = store.save(Scenario.new("Gốc", scenario_id="base").with_edit(
        ReclaimProjects(id="e1", project_ids=("T2",))))
    copy = store.duplicate("base", "copy", name="Bản sao")
    assert (copy.name, copy.edits, copy.version) == ("Bản sao", base.edits, 1)
    child = store.save(Scenario.new("Con", scenario_id="child", based_on="base"))
    with pytest.raises(ScenarioError, match="child are based on it"):
        store.delete("base")
    with pytest.raises(StaleScenarioError, match="not deleted"):
        store.delete("child", version=7)
    store.delete("child", version=child.version)
    store.delete("base")
    assert store.ids() == ["copy"]
    with pytest.raises(ScenarioError, match=r"no scenario 'base' \(stored: copy\)"):
        store.open("base")


def test_based_on_must_be_stored(gpkg: Path) -> None:
    with pytest.raises(ScenarioError, match="not stored in this file"):
        ScenarioStore(gpkg).save(Scenario.new("x", based_on="nowhere"))


def test_evaluate_with_the_store_resolves_parents(gpkg: Path) -> None:
    store = ScenarioStore(gpkg)
    store.save(Scenario.new("Thu hồi", scenario_id="reclaim").with_edit(
        ReclaimProjects(id="e1", project_ids=("T2",))))
    child = store.save(Scenario.new("Cho thuê", scenario_id="lease", based_on="reclaim").with_edit(
        LeasePlots(id="e1", plot_codes=("A4",), project_id="T9", investor="X", sector="y")))
    plan = evaluate(read_plan(gpkg), store.open(child.id), store)
    assert plan.tenant_plots.set_index("plot_code").loc["A4", "project_id"] == "T9"


# -- concurrency: separate processes, one real file -------------------------------------------
def _officer(path: str, index: int, barrier: object, results: object) -> None:
    store = ScenarioStore(path)
    shared = store.open("shared")
    barrier.wait()  # type: ignore[attr-defined]
    outcome = {"index": index}
    try:
        store.save(Scenario.new(f"Cán bộ {index}", author=f"officer {index}",
                                scenario_id=f"own-{index}"))
        outcome["own"] = "saved"
    except Exception as exc:  # reported to the parent, which fails the test
        outcome["own"] = f"{type(exc).__name__}: {exc}"
    try:
        edit = ReclaimProjects(id=f"by-{index}", project_ids=("T2",))
        store.save(shared.with_edit(edit))
        outcome["shared"] = "saved"
    except StaleScenarioError:
        outcome["shared"] = "stale"
    except Exception as exc:
        outcome["shared"] = f"{type(exc).__name__}: {exc}"
    results.put(outcome)  # type: ignore[attr-defined]


def test_concurrent_officers_lose_nothing_and_corrupt_nothing(gpkg: Path) -> None:
    officers = 6
    ScenarioStore(gpkg).save(Scenario.new("Chung", scenario_id="shared"))
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(officers)
    results = ctx.Queue()
    procs = [ctx.Process(target=_officer, args=(str(gpkg), i, barrier, results))
             for i in range(officers)]
    for p in procs:
        p.start()
    outcomes = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=60)
        assert p.exitcode == 0
    assert all(o["own"] == "saved" for o in outcomes), outcomes
    shared = [o["shared"] for o in outcomes]
    # Every officer opened version 1: exactly one save wins, the others are cleanly refused.
    assert sorted(shared) == ["saved"] + ["stale"] * (officers - 1), outcomes
    store = ScenarioStore(gpkg)
    assert sorted(store.ids()) == sorted(["shared"] + [f"own-{i}" for i in range(officers)])
    winner = next(o["index"] for o in outcomes if o["shared"] == "saved")
    stored = store.open("shared")
    assert (stored.version, [e.id for e in stored.edits]) == (2, [f"by-{winner}"])
    with contextlib.closing(sqlite3.connect(gpkg)) as con:
        assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    read_plan(gpkg)
