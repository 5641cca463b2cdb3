"""Each operation's effect on the tiny plan (P1: 200 m x 100 m, plots A1-A4 of 0.5 ha each;
A1+A2 leased to T1 (operating), A3 vacant, A4 leased to T2 (behind schedule); zones
Z1 industrial x 0-150, Z2 warehouse x 150-200; plant W1 1,000 m³/day carrying 600)."""

from __future__ import annotations

import pytest
import shapely
import shapely.affinity
from scenario_helpers import box, line, point, simple_park_indicators

from gis_app.model.plan import Plan
from gis_app.rules.validate import check_plan
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
    ScenarioEditError,
    SplitPlot,
    SubdividePark,
    Subdivision,
    UpgradeWastewaterPlant,
)


def _plot(plan: Plan, code: str):  # noqa: ANN202 - a row
    return plan.plots.set_index("plot_code").loc[code]


def _park(plan: Plan, code: str = "P1"):  # noqa: ANN202
    return plan.parks.set_index("park_code").loc[code]


def _zone_ha(plan: Plan, zone_id: str) -> float:
    zones = plan.zones.set_index("zone_id")
    return float(zones.loc[zone_id].geometry.area) / 10_000


def _valid(plan: Plan) -> None:
    report = check_plan(plan.layers(), "scenario", None)
    assert report.ok, report.summary()


# -- re-zoning --------------------------------------------------------------------------------
def test_rezone_vacant_plot_to_service(plan: Plan) -> None:
    out = RezonePlots(id="e1", plot_codes=("A3",), land_use="service_admin").apply(plan)
    assert _plot(out, "A3")["land_use"] == "service_admin"
    assert _park(out)["leasable_area_ha"] == pytest.approx(1.5)  # 2.0 - 0.5
    ind = simple_park_indicators(out).loc["P1"]
    assert ind["leasable_ha"] == pytest.approx(1.5)
    assert ind["occupancy"] == pytest.approx(1.0)  # 1.5 leased of 1.5
    assert _zone_ha(out, "Z1") == pytest.approx(1.0)  # 1.5 ha minus A3
    assert _zone_ha(out, "e1-P1") == pytest.approx(0.5)
    assert out.zones.set_index("zone_id").loc["e1-P1", "land_use"] == "service_admin"
    _valid(out)


def test_rezone_plot_to_green_removes_it_and_makes_a_green_zone(plan: Plan) -> None:
    out = RezonePlots(id="g", plot_codes=("A3",), land_use="green").apply(plan)
    assert "A3" not in set(out.plots["plot_code"])
    assert _zone_ha(out, "g-P1") == pytest.approx(0.5)
    assert simple_park_indicators(out).loc["P1", "leasable_ha"] == pytest.approx(1.5)
    _valid(out)


def test_rezone_leaves_every_zone_a_polygon(plan: Plan) -> None:
    # Zones read from a file are often one-part multipolygons; carving returns polygons for
    # all of them (Z2 is not cut: same outline, now a Polygon).
    zones = plan.zones.set_geometry(shapely.multipolygons(
        [[g] for g in plan.zones.geometry.values]), crs=plan.crs)
    out = RezonePlots(id="e1", plot_codes=("A3",), land_use="service_admin").apply(
        plan.replace(zones=zones))
    assert out.zones.geom_type.tolist() == ["Polygon"] * 3
    z2 = out.zones.set_index("zone_id").loc["Z2"].geometry
    assert z2.equals_exact(plan.zones.set_index("zone_id").loc["Z2"].geometry, 0.0)


def test_rezone_between_leasable_uses_keeps_leasable_land(plan: Plan) -> None:
    out = RezonePlots(id="e1", plot_codes=("A4",), land_use="industrial").apply(plan)
    assert _plot(out, "A4")["land_use"] == "industrial"
    assert _park(out)["leasable_area_ha"] == pytest.approx(2.0)


def test_leased_land_cannot_be_rezoned_away_from_industry(plan: Plan) -> None:
    edit = RezonePlots(id="e7", plot_codes=("A3", "A1"), land_use="green")
    with pytest.raises(ScenarioEditError, match=r"edit e7 \(rezone_plots\).*leased.*A1"):
        edit.apply(plan)


def test_rezone_zone_carries_its_plots(plan: Plan) -> None:
    out = RezoneZones(id="e1", zone_ids=("Z1",), land_use="warehouse_logistics").apply(plan)
    uses = out.plots.set_index("plot_code")["land_use"]
    assert list(uses[["A1", "A2", "A3"]]) == ["warehouse_logistics"] * 3
    assert out.zones.set_index("zone_id").loc["Z1", "land_use"] == "warehouse_logistics"
    assert _park(out)["leasable_area_ha"] == pytest.approx(2.0)


def test_rezone_zone_with_leased_plot_to_green_is_refused(plan: Plan) -> None:
    with pytest.raises(ScenarioEditError, match=r"rezone_zones.*A4"):
        RezoneZones(id="e1", zone_ids=("Z2",), land_use="green").apply(plan)


def test_rezone_unknown_plot_is_refused(plan: Plan) -> None:
    with pytest.raises(ScenarioEditError, match="no plots A9"):
        RezonePlots(id="e1", plot_codes=("A9",), land_use="industrial").apply(plan)


# -- reclaim and lease ------------------------------------------------------------------------
def test_reclaim_behind_schedule_project(plan: Plan) -> None:
    out = ReclaimProjects(id="e1", project_ids=("T2",)).apply(plan)
    assert _plot(out, "A4")["status"] == "vacant"
    assert out.tenants.set_index("project_id").loc["T2", "project_status"] == "revoked"
    assert sorted(out.tenant_plots["plot_code"]) == ["A1", "A2"]
    assert simple_park_indicators(out).loc["P1", "occupancy"] == pytest.approx(0.5)  # 1.0/2.0
    _valid(out)


def test_operating_project_cannot_be_reclaimed(plan: Plan) -> None:
    with pytest.raises(ScenarioEditError, match=r"reclaim_projects.*T1 \(operating\)"):
        ReclaimProjects(id="e1", project_ids=("T1",)).apply(plan)


def test_lease_vacant_plot(plan: Plan) -> None:
    edit = LeasePlots(id="e1", plot_codes=("A3",), project_id="T3", investor="Gamma Textiles",
                      sector="textiles", country="Nhật Bản", registered_capital_usd=5e6,
                      employees=100, lease_start="2025-01-01")
    out = edit.apply(plan)
    assert _plot(out, "A3")["status"] == "leased"
    t3 = out.tenants.set_index("project_id").loc["T3"]
    assert (t3["park_code"], t3["project_status"], t3["sector"]) == (
        "P1", "under_construction", "textiles")
    assert t3["registered_capital_usd"] == 5e6 and t3["employees"] == 100
    assert str(t3["lease_start"].date()) == "2025-01-01"
    assert simple_park_indicators(out).loc["P1", "occupancy"] == pytest.approx(1.0)
    _valid(out)


def test_leased_plot_cannot_be_leased_again(plan: Plan) -> None:
    edit = LeasePlots(id="e2", plot_codes=("A1",), project_id="T3", investor="X", sector="y")
    with pytest.raises(ScenarioEditError, match=r"edit e2 \(lease_plots\).*A1 \(leased\)"):
        edit.apply(plan)


# -- split and merge --------------------------------------------------------------------------
def test_split_vacant_plot(plan: Plan) -> None:
    edit = SplitPlot(id="e1", plot_code="A3", line=line((125, -10), (125, 110)),
                     new_codes=("A3a", "A3b"))
    out = edit.apply(plan)
    plots = out.plots.set_index("plot_code")
    assert "A3" not in plots.index
    assert plots.loc[["A3a", "A3b"], "area_ha"].tolist() == pytest.approx([0.25, 0.25])
    assert plots.loc["A3a"].geometry.centroid.x < plots.loc["A3b"].geometry.centroid.x
    assert set(plots.loc[["A3a", "A3b"], "status"]) == {"vacant"}
    _valid(out)


def test_split_leased_plot_keeps_its_tenant_on_both_pieces(plan: Plan) -> None:
    out = SplitPlot(id="e1", plot_code="A1", line=line((-10, 50), (60, 50)),
                    new_codes=("A1s", "A1n")).apply(plan)
    links = out.tenant_plots.set_index("plot_code")["project_id"]
    assert links[["A1s", "A1n"]].tolist() == ["T1", "T1"]
    assert "A1" not in links.index
    _valid(out)


def test_split_needs_one_code_per_piece(plan: Plan) -> None:
    with pytest.raises(ScenarioEditError, match="2 pieces but 3 new code"):
        SplitPlot(id="e1", plot_code="A3", line=line((125, -10), (125, 110)),
                  new_codes=("a", "b", "c")).apply(plan)


def test_merge_plots_of_one_tenant(plan: Plan) -> None:
    out = MergePlots(id="e1", plot_codes=("A1", "A2"), new_code="A12").apply(plan)
    merged = _plot(out, "A12")
    assert merged["area_ha"] == pytest.approx(1.0)
    assert merged.geometry.equals(box(0, 0, 100, 100))
    assert sorted(out.tenant_plots["plot_code"]) == ["A12", "A4"]
    assert simple_park_indicators(out).loc["P1", "leased_ha"] == pytest.approx(1.5)
    _valid(out)


def test_merge_refuses_different_statuses(plan: Plan) -> None:
    with pytest.raises(ScenarioEditError, match=r"merge_plots.*differ in status"):
        MergePlots(id="e1", plot_codes=("A2", "A3"), new_code="X").apply(plan)


def test_merge_refuses_plots_that_do_not_touch(plan: Plan) -> None:
    # A1 freed (its project keeps A2), so A1 and A3 are both vacant industrial, 50 m apart.
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "A1", "status"] = "vacant"
    links = plan.tenant_plots.loc[plan.tenant_plots["plot_code"] != "A1"]
    freed = plan.replace(plots=plots, tenant_plots=links)
    with pytest.raises(ScenarioEditError, match="not adjacent"):
        MergePlots(id="e1", plot_codes=("A1", "A3"), new_code="X").apply(freed)


# -- boundaries and parks ---------------------------------------------------------------------
def test_expand_park_without_subdivision(plan: Plan) -> None:
    out = ChangeBoundary(id="e1", park_code="P1", polygon=box(200, 0, 300, 100)).apply(plan)
    park = _park(out)
    assert park.geometry.area / 10_000 == pytest.approx(3.0)
    assert (park["planned_area_ha"], park["established_area_ha"]) == pytest.approx((3.0, 3.0))
    assert len(out.plots) == 4
    _valid(out)


def test_expand_park_with_subdivision(plan: Plan) -> None:
    # 100 m x 100 m added; 10 m roads, 40 m x 40 m plots: a 2 x 2 grid of 0.16 ha plots.
    spec = Subdivision(plot_width_m=40, plot_depth_m=40, road_width_m=10, min_plot_ha=0.1)
    out = ChangeBoundary(id="x", park_code="P1", polygon=box(200, 0, 300, 100),
                         subdivision=spec).apply(plan)
    new = out.plots.loc[out.plots["plot_code"].str.startswith("P1-x-")]
    assert len(new) == 4
    assert new["area_ha"].tolist() == pytest.approx([0.16] * 4)
    assert set(new["status"]) == {"vacant"}
    assert _park(out)["leasable_area_ha"] == pytest.approx(2.64)
    assert simple_park_indicators(out).loc["P1", "leasable_ha"] == pytest.approx(2.64)
    assert _zone_ha(out, "P1-x-Z1") == pytest.approx(0.64)
    assert _zone_ha(out, "P1-x-Z2") == pytest.approx(0.36)  # roads
    _valid(out)


def test_shrink_over_leased_plot_is_refused_and_names_it(plan: Plan) -> None:
    with pytest.raises(ScenarioEditError, match=r"left outside.*A4 \(leased\)"):
        ChangeBoundary(id="e1", park_code="P1", polygon=box(150, 0, 200, 100),
                       mode="shrink").apply(plan)


def test_shrink_flags_vacant_plots_left_outside(plan: Plan) -> None:
    edit = ChangeBoundary(id="e1", park_code="P1", polygon=box(100, 0, 150, 100), mode="shrink")
    assert edit.plots_left_outside(plan)["plot_code"].tolist() == ["A3"]
    with pytest.raises(ScenarioEditError, match=r"A3 \(vacant\).*release_outside"):
        edit.apply(plan)
    out = ChangeBoundary(id="e1", park_code="P1", polygon=box(100, 0, 150, 100), mode="shrink",
                         release_outside=True).apply(plan)
    assert "A3" not in set(out.plots["plot_code"])
    assert _park(out)["planned_area_ha"] == pytest.approx(1.5)
    assert _park(out)["leasable_area_ha"] == pytest.approx(1.5)
    assert _zone_ha(out, "Z1") == pytest.approx(1.0)
    _valid(out)


def test_add_park_with_subdivision(plan: Plan) -> None:
    # 300 m x 300 m, default spec (150 x 200 m plots, 24 m roads): columns x 12-162 and
    # 186-288, rows y 212-412 and 436-488 -> 3.0, 2.04, 0.78 and 0.5304 ha.
    out = AddPark(id="e1", park_code="P2", name_vi="KCN Mới", name_en="New Park",
                  province="Bắc Ninh", legacy_province="Bắc Giang", outline=box(0, 200, 300, 500),
                  subdivision=Subdivision()).apply(plan)
    park = _park(out, "P2")
    assert (park["status"], park["planned_area_ha"], park["established_area_ha"]) == (
        "approved", pytest.approx(9.0), 0.0)
    areas = sorted(out.plots.loc[out.plots["park_code"] == "P2", "area_ha"])
    assert areas == pytest.approx(sorted([3.0, 2.04, 0.78, 0.5304]))
    assert park["leasable_area_ha"] == pytest.approx(6.3504)
    # The park is only in the plan: its land is not acquired yet.
    assert set(out.plots.loc[out.plots["park_code"] == "P2", "status"]) == {"not_cleared"}
    _valid(out)


def test_add_park_overlapping_another_is_refused(plan: Plan) -> None:
    with pytest.raises(ScenarioEditError, match="overlaps park.*P1"):
        AddPark(id="e1", park_code="P2", name_vi="a", name_en="a", province="Bắc Ninh",
                legacy_province="Bắc Ninh", outline=box(150, 50, 300, 200)).apply(plan)


@pytest.mark.parametrize("names", [("", "New"), ("Mới", "  ")])
def test_add_park_without_a_name_is_refused_when_made(plan: Plan, names) -> None:
    """An empty name is impossible data the validation refuses: the edit says so first."""
    with pytest.raises(ScenarioEditError, match="P2: name_(vi|en) is empty"):
        AddPark(id="e1", park_code="P2", name_vi=names[0], name_en=names[1],
                province="Bắc Ninh", legacy_province="Bắc Ninh",
                outline=box(0, 200, 300, 500)).apply(plan)


def test_subdivide_park_fills_unzoned_land(plan: Plan) -> None:
    added = AddPark(id="e1", park_code="P2", name_vi="a", name_en="a", province="Bắc Ninh",
                    legacy_province="Bắc Ninh", outline=box(0, 200, 300, 500)).apply(plan)
    assert _park(added, "P2")["leasable_area_ha"] == 0.0
    out = SubdividePark(id="e2", park_code="P2").apply(added)
    assert _park(out, "P2")["leasable_area_ha"] == pytest.approx(6.3504)
    with pytest.raises(ScenarioEditError, match="no unzoned land"):
        SubdividePark(id="e3", park_code="P2").apply(out)


def test_change_park_status(plan: Plan) -> None:
    added = AddPark(id="e1", park_code="P2", name_vi="a", name_en="a", province="Bắc Ninh",
                    legacy_province="Bắc Ninh", outline=box(0, 200, 300, 500),
                    status="proposed").apply(plan)
    out = ChangeParkStatus(id="e2", park_code="P2", status="established",
                           established_year=2026).apply(added)
    park = _park(out, "P2")
    assert (park["status"], park["established_area_ha"], park["established_year"]) == (
        "established", pytest.approx(9.0), 2026)
    with pytest.raises(ScenarioEditError, match="'closed' is not one of"):
        ChangeParkStatus(id="e3", park_code="P2", status="closed").apply(out)


# -- wastewater -------------------------------------------------------------------------------
def test_add_wastewater_plant(plan: Plan) -> None:
    out = AddWastewaterPlant(id="e1", plant_id="W2", park_code="P1", name_vi="Trạm 2",
                             design_capacity_m3_day=500.0, location=point(100, 50),
                             status="operating", current_load_m3_day=0.0).apply(plan)
    assert simple_park_indicators(out).loc["P1", "headroom_m3_day"] == pytest.approx(900.0)
    _valid(out)
    with pytest.raises(ScenarioEditError, match="from park P1"):
        AddWastewaterPlant(id="e2", plant_id="W3", park_code="P1", name_vi="far",
                           design_capacity_m3_day=1.0, location=point(5000, 5000)).apply(plan)


def test_upgrade_wastewater_plant(plan: Plan) -> None:
    out = UpgradeWastewaterPlant(id="e1", plant_id="W1", design_capacity_m3_day=2000.0).apply(plan)
    assert simple_park_indicators(out).loc["P1", "headroom_m3_day"] == pytest.approx(1400.0)
    with pytest.raises(ScenarioEditError, match="below the current load"):
        UpgradeWastewaterPlant(id="e2", plant_id="W1", design_capacity_m3_day=500.0).apply(plan)


def test_apply_never_modifies_its_input(plan: Plan) -> None:
    before = {name: frame.copy() for name, frame in plan.layers().items()}
    ReclaimProjects(id="e1", project_ids=("T2",)).apply(plan)
    MergePlots(id="e2", plot_codes=("A1", "A2"), new_code="A12").apply(plan)
    ChangeBoundary(id="e3", park_code="P1", polygon=box(200, 0, 300, 100)).apply(plan)
    for name, frame in plan.layers().items():
        assert frame.equals(before[name]), name
    assert shapely.equals(plan.parks.geometry.iloc[0], box(0, 0, 200, 100))


def test_subdivision_follows_a_turned_outline(plan: Plan) -> None:
    # The 300 m x 300 m park of test_add_park_with_subdivision turned by 30 degrees: the
    # grid turns with it, so the same four plots come out (same areas), turned too.
    outline = shapely.affinity.rotate(box(0, 200, 300, 500), 30, origin="centroid")
    out = AddPark(id="e1", park_code="P2", name_vi="a", name_en="a", province="Bắc Ninh",
                  legacy_province="Bắc Ninh", outline=outline,
                  subdivision=Subdivision()).apply(plan)
    plots = out.plots.loc[out.plots["park_code"] == "P2"]
    assert sorted(plots["area_ha"]) == pytest.approx(sorted([3.0, 2.04, 0.78, 0.5304]), rel=1e-5)
    assert plots.geometry.within(outline).all()
    _valid(out)
