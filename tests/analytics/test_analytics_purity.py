"""Every entry point leaves its inputs untouched and refuses to measure in degrees."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from gis_app import analytics
from gis_app.errors import CRSError
from gis_app.model.crs import to_crs
from gis_app.sample.builtup import write_builtup_raster

ENTRY_POINTS = {
    "park_areas": analytics.park_areas,
    "park_indicators": analytics.park_indicators,
    "province_indicators": lambda p: analytics.province_indicators(p, by="legacy_province"),
    "efficiency_ranking": analytics.efficiency_ranking,
    "tenant_screening": analytics.tenant_screening,
    "wastewater_status": analytics.wastewater_status,
    "land_use_structure": analytics.land_use_structure,
    "occupancy_over_time": analytics.occupancy_over_time,
    "province_actions": analytics.province_actions,
}


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_inputs_are_not_mutated(mixed, name):
    before = {n: f.copy(deep=True) for n, f in mixed.layers().items()}
    ENTRY_POINTS[name](mixed)
    for layer, frame in mixed.layers().items():
        pd.testing.assert_frame_equal(frame, before[layer], obj=f"{name}: {layer}")


def test_reclamation_does_not_mutate(mixed, tmp_path):
    raster = write_builtup_raster(mixed, tmp_path / "b.tif")
    before = {n: f.copy(deep=True) for n, f in mixed.layers().items()}
    analytics.reclamation_candidates(mixed, raster, date(2024, 1, 1))
    for layer, frame in mixed.layers().items():
        pd.testing.assert_frame_equal(frame, before[layer])


@pytest.mark.parametrize("name", ["park_areas", "park_indicators", "province_indicators",
                                  "land_use_structure", "occupancy_over_time"])
def test_geographic_plans_are_refused(mixed, name):
    geographic = mixed.replace(**{layer: to_crs(getattr(mixed, layer), "EPSG:4326")
                                  for layer in ("parks", "zones", "plots")})
    with pytest.raises(CRSError, match="not a projected metric CRS"):
        ENTRY_POINTS[name](geographic)


@pytest.mark.parametrize("name", sorted(ENTRY_POINTS))
def test_a_plan_without_plots_or_projects(name):
    from gis_app.testing.builders import ParkSpec, build_plan

    plan = build_plan([ParkSpec("A", 100.0, "approved", leasable_attr_ha=0.8)])
    out = ENTRY_POINTS[name](plan)
    if name in ("park_areas", "park_indicators"):
        assert out.loc["A", "leasable_ha"] == pytest.approx(0.8)
        assert out.loc["A", "occupancy_share"] == 0.0
    elif name in ("tenant_screening", "occupancy_over_time", "province_actions"):
        assert out.empty
    else:
        assert len(out) == 1
