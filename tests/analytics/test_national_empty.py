"""An empty province's share of the national table takes a short cut: the same figures.

A file made by ``kcn-gis init`` (no park, plot or project) is most of a national roll-up at
first; :func:`province_figures` repeats one row computed once instead of running every
indicator on it. These tests hold the short cut to the general computation, exactly.
"""

from __future__ import annotations

import pandas as pd
import pytest

from gis_app.analytics import national
from gis_app.analytics.national import province_figures
from gis_app.errors import CRSError, UsageError
from gis_app.model.crs import to_crs
from gis_app.province_init import init_province
from gis_app.storage.source import read_plan


@pytest.fixture(scope="module")
def empty_plans(tmp_path_factory):
    folder = tmp_path_factory.mktemp("init")
    return [read_plan(init_province(key, folder / f"{key}.gpkg")) for key in ("gia_lai", "ha_noi")]


def _assert_same(fast: national.ProvinceFigures, general: national.ProvinceFigures) -> None:
    assert fast.by == general.by
    pd.testing.assert_frame_equal(fast.table, general.table, check_exact=True)
    pd.testing.assert_frame_equal(fast.metrics, general.metrics, check_exact=True)
    pd.testing.assert_series_equal(fast.groups, general.groups, check_exact=True)


@pytest.mark.parametrize("by", ["province", "legacy_province", "all"])
@pytest.mark.parametrize("also", [(), ("Gia Lai",), ("Hà Nội", "Gia Lai")])
def test_empty_province_figures_equal_the_general_computation(empty_plans, by, also):
    for plan in empty_plans:  # the second reuses the row the first computed
        assert national._is_empty(plan)
        _assert_same(province_figures(plan, by, also=also), national._figures(plan, by, also))


def test_the_repeated_row_is_not_shared_with_callers(empty_plans):
    plan = empty_plans[0]
    first = province_figures(plan, also=("Gia Lai",))
    first.table.loc["Gia Lai", "parks_count"] = 99
    first.metrics["extra"] = 1.0
    first.groups.name = "extra"
    _assert_same(province_figures(plan, also=("Gia Lai",)),
                 national._figures(plan, "province", ("Gia Lai",)))


def test_an_empty_province_is_refused_like_any_other(empty_plans):
    plan = empty_plans[0]
    with pytest.raises(UsageError, match="by="):
        province_figures(plan, "district")
    in_degrees = plan.replace(plots=to_crs(plan.plots, "EPSG:4326", what="plots"))
    with pytest.raises(CRSError, match="plots"):
        province_figures(in_degrees, also=("Gia Lai",))


def test_a_province_with_parks_takes_the_general_way(empty_plans):
    from gis_app.testing import tiny_plan

    plan = tiny_plan()
    assert not national._is_empty(plan)
    _assert_same(province_figures(plan, "legacy_province"),
                 national._figures(plan, "legacy_province", ()))
