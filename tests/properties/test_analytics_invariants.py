"""Invariants of the analytics on random plans (Hypothesis)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gis_app.analytics import park_areas, province_indicators, wastewater_coverage
from gis_app.analytics.areas import ADDITIVE_AREA_COLUMNS
from gis_app.model.schema import PLOT_LAND_USES, PLOT_STATUSES
from gis_app.testing.builders import ParkSpec, PlantSpec, PlotSpec, build_plan

PARK_STATUSES = ("approved", "established", "operating")


@st.composite
def parks(draw):
    n = draw(st.integers(1, 4))
    out = []
    for i in range(n):
        widths = draw(st.lists(st.integers(1, 15), max_size=5))
        plots, x = [], 0.0
        for j, w in enumerate(widths):
            plots.append(PlotSpec(
                f"P{i}-{j}", x, x + 10.0 * w, draw(st.sampled_from(PLOT_LAND_USES)),
                draw(st.sampled_from(PLOT_STATUSES)), draw(st.booleans())))
            x += 10.0 * w
        extra = draw(st.integers(0, 10)) * 10.0  # park land outside plots (roads, green)
        attr = draw(st.none() | st.floats(0, 50, allow_nan=False))
        plants = ()
        if draw(st.booleans()):
            plants = (PlantSpec(f"W{i}", draw(st.floats(100, 5000)), draw(
                st.none() | st.floats(0, 6000)), draw(st.sampled_from(
                    ("operating", "planned"))), draw(st.booleans())),)
        out.append(ParkSpec(f"K{i}", max(x + extra, 10.0), draw(st.sampled_from(PARK_STATUSES)),
                            legacy_province=draw(st.sampled_from(("A", "B"))),
                            province="AB", leasable_attr_ha=attr, plots=tuple(plots),
                            plants=plants))
    return out


PROPERTY = settings(max_examples=60, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


@PROPERTY
@given(parks())
def test_occupancy_is_a_share_and_leased_never_exceeds_leasable(specs):
    a = park_areas(build_plan(specs))
    for column in ("occupancy_share", "occupancy_cleared_share"):
        values = a[column].dropna()
        assert ((values >= 0) & (values <= 1 + 1e-12)).all()
    known = a["leasable_ha"].notna()
    assert (a.loc[known, "leased_ha"] <= a.loc[known, "leasable_ha"] + 1e-9).all()
    from_plots = a["area_basis"].eq("plots")
    p = a.loc[from_plots]
    assert (p["leased_ha"] <= p["cleared_ha"] + 1e-9).all()
    assert (p["cleared_ha"] <= p["leasable_ha"] + 1e-9).all()
    np.testing.assert_allclose(
        p["leased_ha"] + p["vacant_ha"] + p["reserved_ha"] + p["not_cleared_ha"],
        p["leasable_ha"], atol=1e-9)
    assert (a["plots_ha"] <= a["outline_ha"] + 1e-9).all()  # plots never exceed their park


@PROPERTY
@given(parks())
def test_sums_over_parks_equal_the_province(specs):
    plan = build_plan(specs)
    a = park_areas(plan)
    legacy = province_indicators(plan, by="legacy_province")
    whole = province_indicators(plan, by="province")
    for column in ADDITIVE_AREA_COLUMNS:
        if column == "established_ha":
            continue  # established parks only: checked below
        assert whole.loc["AB", column] == pytest.approx(a[column].sum(), abs=1e-9)
        assert legacy[column].sum() == pytest.approx(a[column].sum(), abs=1e-9)
    established = plan.parks["status"].isin(["established", "operating"]).to_numpy()
    assert whole.loc["AB", "established_ha"] == pytest.approx(
        a["established_ha"][established].sum(), abs=1e-9)
    assert whole.loc["AB", "parks_approved_count"] == len(specs)
    assert legacy["parks_operating_count"].sum() == whole.loc["AB", "parks_operating_count"]
    occupancy = whole["occupancy_share"].dropna()
    assert ((occupancy >= 0) & (occupancy <= 1 + 1e-12)).all()


@PROPERTY
@given(parks())
def test_wastewater_coverage_is_a_share(specs):
    c = wastewater_coverage(build_plan(specs), by="legacy_province")
    assert (c["parks_operating_with_plant_count"] <= c["parks_operating_count"]).all()
    values = c["coverage_share"].dropna()
    assert ((values >= 0) & (values <= 1)).all()
