"""Every validation rule has a failing example: a mutation of ``tiny_plan()`` written to a real
GeoPackage, and the rule and feature it must be reported under.

The tiny park is 200 m x 100 m with plots A1..A4 of 50 m x 100 m each (see gis_app.testing).
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
import pytest
import shapely

from gis_app.errors import ValidationError
from gis_app.model import Plan
from gis_app.model.schema import SCHEMAS
from gis_app.rules import RULES
from gis_app.rules.validate import check_plan
from gis_app.storage import read_plan, validate_file
from gis_app.storage.gpkg import read_layers_raw, write_layers
from gis_app.testing import ORIGIN


def box(x0: float, y0: float, x1: float, y1: float) -> shapely.Polygon:
    """A rectangle in the tiny plan's local metres."""
    return shapely.box(ORIGIN[0] + x0, ORIGIN[1] + y0, ORIGIN[0] + x1, ORIGIN[1] + y1)


def edit(layer: str, key: str, column: str, value: object) -> Callable[[Plan], dict]:
    """A mutation setting one value of the feature ``key`` (object dtype: any value fits)."""

    def mutate(plan: Plan) -> dict:
        layers = plan.layers()
        frame = layers[layer].copy()
        row = frame.index[frame[SCHEMAS[layer].key] == key][0]
        frame[column] = frame[column].astype(object)
        frame.loc[row, column] = value
        return {**layers, layer: frame}

    return mutate


def with_layers(**changes: Callable[[pd.DataFrame], pd.DataFrame]) -> Callable[[Plan], dict]:
    def mutate(plan: Plan) -> dict:
        layers = plan.layers()
        return {**layers, **{name: fn(layers[name].copy()) for name, fn in changes.items()}}

    return mutate


def drop_layer(name: str) -> Callable[[Plan], dict]:
    return lambda plan: {k: v for k, v in plan.layers().items() if k != name}


def set_geometry(code: str, geometry: shapely.Geometry | None, area_ha: float | None = None):
    def fn(plots):
        row = plots.index[plots["plot_code"] == code][0]
        geoms = plots.geometry.array.copy()
        geoms[row] = geometry
        plots = plots.set_geometry(geoms)
        if area_ha is not None:
            plots.loc[row, "area_ha"] = area_ha
        return plots

    return fn


def add_park(code: str, outline: shapely.Polygon):
    """A second park, a copy of P1 under another code and outline (no zones or plots)."""

    def fn(parks):
        extra = parks.iloc[[0]].copy()
        extra["park_code"] = code
        extra = extra.set_geometry([outline], crs=parks.crs)
        return pd.concat([parks, extra], ignore_index=True)

    return fn


BOWTIE = shapely.Polygon(
    [(ORIGIN[0] + x, ORIGIN[1] + y) for x, y in [(100, 0), (150, 100), (150, 0), (100, 100)]]
)

FAR_PLOT = shapely.Polygon([(ORIGIN[0] + 100, ORIGIN[1]), (1e308, ORIGIN[1]),
                            (1e308, ORIGIN[1] + 100), (ORIGIN[0] + 100, ORIGIN[1] + 100)])

#: rule -> (mutation, layer, feature id the problem is reported under)
CASES: dict[str, tuple[Callable[[Plan], dict], str, str]] = {
    "missing_layer": (drop_layer("zones"), "zones", ""),
    "missing_column": (with_layers(plots=lambda f: f.drop(columns="area_ha")), "plots", ""),
    "wrong_type": (edit("plots", "A2", "area_ha", "half a hectare"), "plots", "A2"),
    "missing_value": (edit("parks", "P1", "name_vi", None), "parks", "P1"),
    "bad_code": (edit("plots", "A3", "status", "sold"), "plots", "A3"),
    "below_minimum": (edit("tenants", "T2", "employees", -5), "tenants", "T2"),
    "missing_crs": (
        with_layers(wastewater_plants=lambda f: f.set_crs(None, allow_override=True)),
        "wastewater_plants",
        "",
    ),
    "wrong_crs": (with_layers(zones=lambda f: f.to_crs(5897)), "zones", ""),
    "wrong_geometry_type": (
        with_layers(plots=set_geometry("A3", box(100, 0, 150, 100).centroid)),
        "plots",
        "A3",
    ),
    "empty_geometry": (with_layers(plots=set_geometry("A3", None)), "plots", "A3"),
    "invalid_geometry": (with_layers(plots=set_geometry("A3", BOWTIE)), "plots", "A3"),
    "duplicate_id": (edit("zones", "Z2", "zone_id", "Z1"), "zones", "Z1"),
    "unknown_park": (edit("zones", "Z2", "park_code", "P9"), "zones", "Z2"),
    # A4 moved 10 m east: 10 m x 100 m = 1,000 m² lies outside the park.
    "plot_outside_park": (
        with_layers(plots=set_geometry("A4", box(160, 0, 210, 100))),
        "plots",
        "A4",
    ),
    # A3 widened to 60 m: it covers 10 m x 100 m of A4 (its area_ha follows, 0.6 ha).
    "overlapping_plots": (
        with_layers(plots=set_geometry("A3", box(100, 0, 160, 100), 0.6)),
        "plots",
        "A3",
    ),
    # P2 starts 10 m inside P1's east edge: 10 m x 100 m = 1,000 m² shared.
    "overlapping_parks": (with_layers(parks=add_park("P2", box(190, 0, 290, 100))), "parks", "P1"),
    "area_mismatch": (edit("plots", "A1", "area_ha", 0.6), "plots", "A1"),
    "unknown_plot": (
        with_layers(
            tenant_plots=lambda f: pd.concat(
                [f, pd.DataFrame({"plot_code": ["B9"], "project_id": ["T1"]})], ignore_index=True
            )
        ),
        "tenant_plots",
        "B9",
    ),
    "unknown_project": (edit("tenant_plots", "A4", "project_id", "T9"), "tenant_plots", "A4"),
    "leased_without_tenant": (
        with_layers(tenant_plots=lambda f: f[f["plot_code"] != "A4"]),
        "plots",
        "A4",
    ),
    # A3 reaching x = 1e308 m: its area overflows to infinity, and a NaN or infinite area
    # compares false with every bound, so only this rule can catch it.
    "non_finite": (with_layers(plots=set_geometry("A3", FAR_PLOT)), "plots", "A3"),
}


def test_every_rule_has_a_failing_example():
    assert set(CASES) == set(RULES)


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
@pytest.mark.parametrize("rule", list(CASES))
def test_rule_is_reported_with_layer_and_feature(tmp_path, plan, province_layers, rule):
    mutate, layer, feature = CASES[rule]
    layers = {**mutate(plan), "dataset_info": province_layers(plan)["dataset_info"]}
    path = tmp_path / "mutated.gpkg"
    write_layers(path, layers, fresh=True)

    problems = validate_file(path).problems
    assert set(problems["rule"]) == {rule}, problems.to_string()
    hits = problems[(problems["layer"] == layer) & (problems["feature_id"] == feature)]
    assert len(hits) >= 1, problems.to_string()
    assert (problems["file"] == str(path)).all()
    with pytest.raises(ValidationError, match=rule) as caught:
        read_plan(path)
    assert len(caught.value.report) == len(problems)


def test_the_unmutated_plan_is_valid(province_file):
    assert validate_file(province_file).ok


def test_report_lists_every_problem_not_just_the_first(tmp_path, plan, province_layers):
    plots = plan.plots.assign(status=plan.plots["status"].astype(object))
    plots.loc[2, "status"] = "sold"  # A3
    tenants = plan.tenants.assign(employees=plan.tenants["employees"].astype(object))
    tenants.loc[1, "employees"] = -5  # T2
    zones = plan.zones.assign(zone_id=["Z1", "Z1"])
    path = tmp_path / "many.gpkg"
    write_layers(
        path,
        {**province_layers(plan), "plots": plots, "tenants": tenants, "zones": zones},
        fresh=True,
    )

    found = set(
        validate_file(path)
        .problems[["rule", "layer", "feature_id"]]
        .itertuples(index=False, name=None)
    )
    assert found == {
        ("bad_code", "plots", "A3"),
        ("below_minimum", "tenants", "T2"),
        ("duplicate_id", "zones", "Z1"),
    }


def test_cross_layer_rules_report_every_problem_too(tmp_path, plan, province_layers):
    plots = plan.plots.assign(area_ha=[0.6, 0.5, 0.5, 0.5], park_code=["P1", "P1", "P1", "P1"])
    zones = plan.zones.assign(park_code=["P1", "P9"])
    links = plan.tenant_plots[plan.tenant_plots["plot_code"] != "A4"]
    path = tmp_path / "cross.gpkg"
    write_layers(
        path,
        {**province_layers(plan), "plots": plots, "zones": zones, "tenant_plots": links},
        fresh=True,
    )

    report = validate_file(path)
    found = set(report.problems[["rule", "feature_id"]].itertuples(index=False, name=None))
    assert found == {
        ("area_mismatch", "A1"),
        ("unknown_park", "Z2"),
        ("leased_without_tenant", "A4"),
    }
    assert "3 problem(s)" in report.summary()


def test_overlapping_parks_are_named_with_the_shared_area(tmp_path, plan, province_layers):
    layers = {**province_layers(plan), "parks": add_park("P2", box(190, 0, 290, 100))(
        plan.parks.copy())}
    path = tmp_path / "parks.gpkg"
    write_layers(path, layers, fresh=True)

    problems = validate_file(path).problems
    assert problems[["layer", "feature_id", "rule", "message"]].values.tolist() == [
        ["parks", "P1", "overlapping_parks", "park P1 overlaps park P2 by 1,000.0 m²"]]


def test_parks_sharing_an_edge_or_a_sliver_within_the_tolerance_are_fine(
        tmp_path, plan, province_layers):
    # P2 touches P1's east edge; P3 reaches 0.009 m into P1's north edge (0.9 m² < 1 m²).
    parks = add_park("P2", box(200, 0, 300, 100))(plan.parks.copy())
    parks = add_park("P3", box(0, 99.991, 100, 150))(parks)
    path = tmp_path / "parks.gpkg"
    write_layers(path, {**province_layers(plan), "parks": parks}, fresh=True)

    assert validate_file(path).ok, validate_file(path).summary()


@pytest.mark.filterwarnings("ignore:'crs' was not provided:UserWarning")
@pytest.mark.parametrize("rule", ["missing_layer", "invalid_geometry", "overlapping_plots",
                                  "overlapping_parks", "leased_without_tenant"])
def test_checking_while_reading_reports_what_checking_the_layers_reports(
        tmp_path, plan, province_layers, rule):
    # validate_file checks each layer as it arrives, on two threads; check_plan gets them all.
    mutate = CASES[rule][0]
    path = tmp_path / "mutated.gpkg"
    write_layers(path, {**mutate(plan), "dataset_info": province_layers(plan)["dataset_info"]},
                 fresh=True)

    layers, crs = read_layers_raw(path)
    expected = check_plan(layers, str(path), crs).problems
    assert not expected.empty
    pd.testing.assert_frame_equal(validate_file(path).problems, expected)


def test_basic_problems_do_not_hide_the_rules_joining_layers(tmp_path, plan, province_layers):
    # Basic problems (a bad code, a bow-tie, a plot code of spaces) and, on the features that
    # can still be judged, an overlap, a plot outside its park and an unknown park.
    plots = with_layers(plots=set_geometry("A3", box(100, 0, 160, 100), 0.6))(plan)["plots"]
    plots = set_geometry("A2", BOWTIE)(plots)
    plots = plots.assign(status=plots["status"].astype(object),
                         plot_code=plots["plot_code"].astype(object))
    plots.loc[0, "status"] = "sold"  # A1
    plots.loc[3, "plot_code"] = "   "  # A4: named by its row, still judged by the overlap rule
    zones = plan.zones.assign(park_code=["P1", "P9"])
    path = tmp_path / "both.gpkg"
    write_layers(path, {**province_layers(plan), "plots": plots, "zones": zones}, fresh=True)

    found = set(validate_file(path).problems[["rule", "feature_id"]].itertuples(
        index=False, name=None))
    assert found == {
        ("bad_code", "A1"),
        ("invalid_geometry", "A2"),
        ("missing_value", "fid 3"),
        ("unknown_park", "Z2"),
        # The bow-tie A2 is left out of the spatial rules; the others are judged.
        ("overlapping_plots", "A3"),
        # A4's tenant link now names no plot (its code is blank).
        ("unknown_plot", "A4"),
    }


def test_a_layer_in_another_crs_is_left_out_of_the_spatial_rules_only(
        tmp_path, plan, province_layers):
    plots = plan.plots.to_crs(5897).assign(park_code=["P1", "P1", "P9", "P1"])
    path = tmp_path / "crs.gpkg"
    write_layers(path, {**province_layers(plan), "plots": plots}, fresh=True)

    found = set(validate_file(path).problems[["rule", "feature_id"]].itertuples(
        index=False, name=None))
    # No plot_outside_park for all four (they are 'outside' only in another CRS).
    assert found == {("wrong_crs", ""), ("unknown_park", "A3")}


@pytest.mark.parametrize("code", ["", "  ", "\t"])
def test_an_empty_or_blank_code_is_a_missing_value(tmp_path, plan, province_layers, code):
    plots = plan.plots.assign(plot_code=plan.plots["plot_code"].astype(object))
    links = plan.tenant_plots[plan.tenant_plots["plot_code"] != "A4"]
    plots.loc[3, "plot_code"] = code
    path = tmp_path / "blank.gpkg"
    write_layers(path, {**province_layers(plan), "plots": plots, "tenant_plots": links},
                 fresh=True)

    problems = validate_file(path).problems
    assert problems[["rule", "feature_id"]].values.tolist() == [["missing_value", "fid 3"]]


def test_an_infinite_number_is_not_finite(tmp_path, plan, province_layers):
    plots = plan.plots.assign(area_ha=[0.5, 0.5, float("inf"), 0.5])
    path = tmp_path / "inf.gpkg"
    write_layers(path, {**province_layers(plan), "plots": plots}, fresh=True)

    problems = validate_file(path).problems
    assert problems[["rule", "feature_id"]].values.tolist() == [["non_finite", "A3"]]
