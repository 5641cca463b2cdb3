"""evaluate() applies all edits to one working copy; applying them one at a time, each to a
fresh plan (``edit.apply``), must give exactly the same plan and the same errors.

The scenario mixes every operation on the shipped sample provinces, so that edits read rows
earlier edits appended, dropped or changed (split pieces merged, freed plots leased, a plot
cut by a subdivision re-zoned), plus one edit defined outside the package (as a plug-in edit
would be).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

import numpy as np
import pandas as pd
import pytest
import shapely

from gis_app.model.plan import Plan
from gis_app.scenarios import (
    AddPark,
    AddWastewaterPlant,
    ChangeBoundary,
    ChangeParkStatus,
    Edit,
    LeasePlots,
    MergePlots,
    ReclaimProjects,
    RezonePlots,
    RezoneZones,
    Scenario,
    ScenarioEditError,
    SplitPlot,
    SubdividePark,
    Subdivision,
    UpgradeWastewaterPlant,
    _working,
    evaluate,
    evaluate_detailed,
)
from gis_app.scenarios._working import WorkingPlan
from gis_app.scenarios.examples import extension_polygon
from gis_app.scenarios.params import PARK, TEXT, param
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan


@dataclass(frozen=True, kw_only=True)
class _RenamePark(Edit):
    """An edit defined outside the package, as a plug-in edit would be."""

    park_code: str = param(PARK, "park")
    name_en: str = param(TEXT, "name_en")
    operation = "test_rename_park"

    def check(self, work: WorkingPlan) -> None:
        pass

    def change(self, work: WorkingPlan) -> None:
        work.parks.set(work.parks.where("park_code", [self.park_code]), "name_en", self.name_en)

    def touched(self, work: WorkingPlan) -> set[tuple[str, str]]:
        return {("parks", self.park_code)}


def _lease(edit_id: str, plots: tuple[str, ...], project: str) -> LeasePlots:
    return LeasePlots(id=edit_id, plot_codes=plots, project_id=project, investor="Test",
                      sector="electronics", country="KR", registered_capital_usd=2e6,
                      employees=40, lease_start="2026-01-01")


@dataclass(frozen=True)
class Mixed:
    """The mixed scenario for one province and the features it names."""

    edits: tuple[Edit, ...]
    park: str  # the park most edits work in
    freed_plot: str  # freed by e1, leased by e2 to project NEW-1
    split_plot: str  # cut in two by e6, the pieces merged by e7
    pieces: tuple[str, str]
    green_plot: str  # re-zoned to green (so removed) by e9
    released_plot: str  # left outside the park by e11


def mixed_scenario(plan: Plan) -> Mixed:
    """Every operation once or more, each reading what earlier ones changed."""
    plots, tenants, links = plan.plots, plan.tenants, plan.tenant_plots
    vacant = plots.loc[(plots["status"] == "vacant") & (plots["land_use"] == "industrial")]
    park = str(vacant["park_code"].value_counts().index[0])  # the park with most vacant land
    free = vacant.loc[vacant["park_code"] == park].sort_values("plot_code")
    v = free["plot_code"].tolist()
    slow = tenants.loc[(tenants["project_status"] == "behind_schedule")
                       & tenants["project_id"].isin(links["project_id"]), "project_id"]
    slow = sorted(slow.astype(str))
    freed = [sorted(links.loc[links["project_id"] == p, "plot_code"].astype(str))[0]
             for p in slow[:2]]
    cut = free.geometry.iloc[0]
    x, miny, maxy = cut.centroid.x, cut.bounds[1], cut.bounds[3]
    pieces = (f"{v[0]}.a", f"{v[0]}.b")
    # The zone holding v[3]'s interior point: its plots follow its new use.
    zone = plan.zones.loc[plan.zones.geometry.contains(free.geometry.iloc[3].point_on_surface()),
                          "zone_id"].iloc[0]
    plant = plan.wastewater_plants.iloc[0]
    capacity = 2.0 * float(np.nanmax([plant["design_capacity_m3_day"],
                                      plant["current_load_m3_day"]]))
    x0, y0, x1, _ = plan.parks.total_bounds
    new_park = shapely.box(x1 + 3_000, y0, x1 + 4_500, y0 + 1_200)
    edits = (
        ReclaimProjects(id="e1", project_ids=(slow[0],)),
        _lease("e2", (freed[0],), "NEW-1"),
        RezonePlots(id="e3", plot_codes=(v[1],), land_use="warehouse_logistics"),
        RezoneZones(id="e4", zone_ids=(str(zone),), land_use="warehouse_logistics"),
        _RenamePark(id="e5", park_code=park, name_en="Renamed park"),
        SplitPlot(id="e6", plot_code=v[0], new_codes=pieces,
                  line=shapely.LineString([(x, miny - 10), (x, maxy + 10)])),
        MergePlots(id="e7", plot_codes=pieces, new_code=f"{v[0]}.m"),
        _lease("e8", (f"{v[0]}.m",), "NEW-2"),
        RezonePlots(id="e9", plot_codes=(v[2],), land_use="green"),
        ChangeBoundary(id="e10", park_code=park, polygon=extension_polygon(plan, park, 30.0),
                       subdivision=Subdivision(plot_width_m=100.0, plot_depth_m=120.0)),
        ChangeBoundary(id="e11", park_code=park, polygon=free.geometry.iloc[4], mode="shrink",
                       release_outside=True),
        AddPark(id="e12", park_code="NEW", name_vi="KCN Mới", name_en="New park",
                province="Test", legacy_province="Test", outline=new_park, status="proposed"),
        ChangeParkStatus(id="e13", park_code="NEW", status="operating", established_year=2026),
        SubdividePark(id="e14", park_code="NEW"),
        _lease("e15", ("NEW-e14-001",), "NEW-3"),
        AddWastewaterPlant(id="e16", plant_id="W-NEW", park_code="NEW", name_vi="Trạm mới",
                           design_capacity_m3_day=800.0, location=new_park.centroid),
        UpgradeWastewaterPlant(id="e17", plant_id=str(plant["plant_id"]),
                               design_capacity_m3_day=capacity, auto_monitoring=True),
        RezonePlots(id="e18", plot_codes=(f"{park}-e10-001",), land_use="service_admin"),
        # v[1] again: e3's zone (exactly v[1]) is carved away to nothing and dropped.
        RezonePlots(id="e19", plot_codes=(v[1], v[6]), land_use="warehouse_logistics"),
        ReclaimProjects(id="e20", project_ids=(slow[1],)),
        _lease("e21", (freed[1],), "NEW-4"),
        # A zone appended by e14, looked up by zone id for the first time since e11 replaced
        # the zones layer.
        RezoneZones(id="e22", zone_ids=("NEW-e14-Z1",), land_use="warehouse_logistics"),
    )
    return Mixed(edits, park, freed[0], v[0], pieces, v[2], v[4])


def _scenario(edits: tuple[Edit, ...]) -> Scenario:
    return Scenario.new("mixed", scenario_id="mixed").replace(edits=edits)


def _one_at_a_time(plan: Plan, edits: tuple[Edit, ...]) -> Plan:
    return reduce(lambda p, edit: edit.apply(p), edits, plan)


def assert_same_plan(got: Plan, want: Plan) -> None:
    """Same rows in the same order, same dtypes and values, bit-identical geometries."""
    for name, frame in want.layers().items():
        other = got.layers()[name]
        assert type(other) is type(frame), name
        plain = [c for c in frame.columns if c != "geometry"]
        pd.testing.assert_frame_equal(pd.DataFrame(other[plain]), pd.DataFrame(frame[plain]),
                                      check_exact=True, obj=name)
        if "geometry" in frame.columns:
            assert other.crs == frame.crs, name
            assert (shapely.to_wkb(np.asarray(other.geometry.values)).tolist()
                    == shapely.to_wkb(np.asarray(frame.geometry.values)).tolist()), name


@pytest.fixture(scope="module", params=["bac_ninh", "ninh_binh"])
def baseline(request: pytest.FixtureRequest) -> Plan:
    return read_plan(PROVINCES[request.param].default_path)


@pytest.fixture(params=["scan first", "hash at once"])
def lookups(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Key lookups as in a short scenario (column scans) and as in a long one (hash index)."""
    if request.param == "hash at once":
        monkeypatch.setattr(_working, "SCANS_BEFORE_INDEX", 0)


@pytest.mark.usefixtures("lookups")
def test_evaluate_equals_applying_edits_one_at_a_time(baseline: Plan) -> None:
    mixed = mixed_scenario(baseline)
    before = {name: frame.copy() for name, frame in baseline.layers().items()}
    want = _one_at_a_time(baseline, mixed.edits)
    result = evaluate_detailed(baseline, _scenario(mixed.edits), check=False)
    assert_same_plan(result.plan, want)
    assert_same_plan(evaluate(baseline, _scenario(mixed.edits)), want)  # passes the final check
    # The scenario did what it says (so the comparison is not between two empty results).
    plots = want.plots.set_index("plot_code")
    assert plots.loc[mixed.freed_plot, "status"] == "leased"
    assert plots.loc[f"{mixed.split_plot}.m", "status"] == "leased"
    gone = {mixed.split_plot, *mixed.pieces, mixed.green_plot, mixed.released_plot}
    assert not gone & set(plots.index)
    assert "NEW-e14-001" in plots.index and len(want.parks) == len(baseline.parks) + 1
    assert plots.loc["NEW-e14-001", "land_use"] == "warehouse_logistics"
    zones = set(want.zones["zone_id"])
    assert f"e3-{mixed.park}" not in zones and f"e19-{mixed.park}" in zones
    # Provenance names the last edit of each feature touched.
    assert result.provenance[("plots", f"{mixed.split_plot}.m")][1].id == "e8"
    assert result.provenance[("parks", "NEW")][1].id == "e16"
    for name, frame in baseline.layers().items():  # the baseline is never modified
        assert frame.equals(before[name]), name


def _late_edits(mixed: Mixed) -> list[Edit]:
    """Edits that the mixed scenario's changes make invalid (none of them sets what an
    earlier edit set, which is refused before the plan is looked at)."""
    return [
        _lease("x1", (mixed.split_plot,), "LATE-1"),  # split, then merged away
        RezonePlots(id="x2", plot_codes=(mixed.freed_plot,), land_use="green"),  # now leased
        _lease("x3", (mixed.pieces[0],), "LATE-3"),  # merged into one plot
        ReclaimProjects(id="x4", project_ids=("NEW-1",)),  # under construction
        _lease("x5", ("NEW-e14-002",), "NEW-3"),  # project id taken by e15
        _lease("x6", (mixed.green_plot,), "LATE-6"),  # turned into a green zone
        _lease("x7", (mixed.released_plot,), "LATE-7"),  # left outside the park
    ]


@pytest.mark.usefixtures("lookups")
@pytest.mark.parametrize("late", range(7))
def test_errors_are_those_of_one_at_a_time(baseline: Plan, late: int) -> None:
    mixed = mixed_scenario(baseline)
    edit = _late_edits(mixed)[late]
    with pytest.raises(ScenarioEditError) as expected:
        edit.validate(_one_at_a_time(baseline, mixed.edits))
    with pytest.raises(ScenarioEditError) as got:
        evaluate(baseline, _scenario((*mixed.edits, edit)))
    assert (got.value.edit_id, got.value.scenario_id) == (edit.id, "mixed")
    assert got.value.features == expected.value.features
    # The same problem; evaluate() may add which earlier edit it conflicts with.
    assert got.value.problem.startswith(expected.value.problem)
