"""The worked example on the shipped Ninh Bình file: Ninh Bình's 2024 plan (facts.md)."""

from __future__ import annotations

import pytest
import shapely

from gis_app.scenarios import evaluate
from gis_app.scenarios.compare import compare
from gis_app.scenarios.examples import EXAMPLE_ID, EXTENSION_HA, ninh_binh_2024
from gis_app.scenarios.store import ScenarioStore
from gis_app.settings import PROVINCES
from gis_app.storage import read_plan

PATH = PROVINCES["ninh_binh"].default_path


@pytest.fixture(scope="module")
def baseline():  # noqa: ANN201
    return read_plan(PATH)


@pytest.fixture(scope="module")
def after(baseline):  # noqa: ANN001, ANN201
    return evaluate(baseline, ninh_binh_2024(baseline))


def _park(plan, code):  # noqa: ANN001, ANN202
    return plan.parks.set_index("park_code").loc[code]


def test_gian_khau_grows_by_exactly_35_ha(baseline, after) -> None:  # noqa: ANN001
    old, new = _park(baseline, "NB01"), _park(after, "NB01")
    assert (new.geometry.area - old.geometry.area) / 10_000 == pytest.approx(EXTENSION_HA,
                                                                             abs=1e-4)
    assert new["planned_area_ha"] - old["planned_area_ha"] == pytest.approx(EXTENSION_HA)
    assert isinstance(new.geometry, shapely.Polygon)  # one piece, not a detached strip
    others = after.parks.loc[after.parks["park_code"] != "NB01"].geometry
    assert not others.intersects(new.geometry).any()
    added = after.plots.loc[~after.plots["plot_code"].isin(baseline.plots["plot_code"])
                            & (after.plots["park_code"] == "NB01")]
    assert len(added) > 0 and set(added["status"]) == {"vacant"}


def test_the_13_behind_schedule_projects_are_reclaimed(baseline, after) -> None:  # noqa: ANN001
    slow = baseline.tenants.loc[baseline.tenants["project_status"] == "behind_schedule",
                                "project_id"]
    assert len(slow) == 13  # the published 2023 figure the sample reproduces
    freed = baseline.tenant_plots.loc[baseline.tenant_plots["project_id"].isin(slow),
                                      "plot_code"]
    status = after.plots.set_index("plot_code").loc[freed, "status"]
    assert (status == "vacant").all()
    assert (after.tenants.set_index("project_id").loc[slow, "project_status"] == "revoked").all()
    assert not after.tenant_plots["project_id"].isin(slow).any()


def test_gian_khau_ii_is_approved_and_subdivided(baseline, after) -> None:  # noqa: ANN001
    assert _park(baseline, "NB11")["status"] == "proposed"
    assert _park(after, "NB11")["status"] == "approved"
    plots = after.plots.loc[after.plots["park_code"] == "NB11"]
    assert len(plots) > 0 and set(plots["status"]) == {"not_cleared"}
    outline = _park(after, "NB11").geometry
    assert plots.geometry.within(outline.buffer(0.01)).all()


def test_the_shipped_file_holds_the_example() -> None:
    store = ScenarioStore(PATH)
    stored = store.open(EXAMPLE_ID)
    rebuilt = ninh_binh_2024(read_plan(PATH))
    assert stored.edits == rebuilt.edits  # 'kcn-gis scenario create-example --replace' updates it


def test_before_after_table_with_the_analytics(baseline, after) -> None:  # noqa: ANN001
    table = compare(baseline, after).set_index(["level", "key", "indicator"])
    province = table.loc["province"].loc["Ninh Bình"]
    assert province.loc["planned_ha", "difference"] == pytest.approx(EXTENSION_HA)
    assert province.loc["projects_behind_schedule_count", ["a", "b"]].tolist() == [13, 0]
    assert province.loc["parks_approved_count", "difference"] == 1
    reclaimed_ha = baseline.plots.set_index("plot_code").loc[
        baseline.tenant_plots.loc[baseline.tenant_plots["project_id"].isin(
            baseline.tenants.loc[baseline.tenants["project_status"] == "behind_schedule",
                                 "project_id"]), "plot_code"]]
    leasable = reclaimed_ha["land_use"].isin(["industrial", "warehouse_logistics"])
    leased_drop = float(reclaimed_ha.loc[leasable, "area_ha"].sum())
    assert province.loc["leased_ha", "difference"] == pytest.approx(-leased_drop, rel=1e-3)
