"""The national-scale generator: the counts it is asked for, a valid plan, a big park apart."""

from __future__ import annotations

import pytest
import shapely

from gis_app.rules.validate import check_plan
from gis_app.sample.scale import build_scaled
from gis_app.settings import PROVINCES


@pytest.fixture(scope="module")
def plan():
    return build_scaled(6, 1_200, 700, big_park_plots=400)


def test_exactly_the_projects_asked_for_and_about_the_plots(plan):
    assert len(plan.tenants) == 700
    assert plan.tenants["project_id"].is_unique
    assert 1_080 <= len(plan.plots) <= 1_320  # "about": the layout fills whole blocks


def test_every_leased_plot_has_a_project_and_projects_span_one_park_or_more_plots(plan):
    leased = set(plan.plots.loc[plan.plots["status"] == "leased", "plot_code"])
    assert set(plan.tenant_plots["plot_code"]) == leased
    assert set(plan.tenant_plots["project_id"]) == set(plan.tenants["project_id"])


def test_the_plan_passes_every_validation_rule(plan):
    report = check_plan(plan.layers(), "scaled", PROVINCES["bac_ninh"].crs)
    assert report.ok, report.summary()


def test_the_big_park_is_that_big_and_overlaps_no_other(plan):
    counts = plan.plots["park_code"].value_counts()
    assert counts.index[0] == "P0006"
    assert 340 <= counts.iloc[0] <= 460
    outlines = plan.parks.geometry.values
    big = outlines[-1]
    assert not shapely.intersects(big, outlines[:-1]).any()


def test_the_default_tenant_count_is_three_fifths_of_the_plots():
    small = build_scaled(2, 300)
    assert len(small.tenants) == 180


def test_more_projects_than_leased_plots_is_refused():
    with pytest.raises(ValueError, match="fewer than the"):
        build_scaled(2, 300, 1_000)  # ~300 plots cannot host 1,000 projects
