"""The national roll-up equals the sum of the provinces' own summaries.

On the two shipped provinces and on empty provinces made by ``kcn-gis init``: every row of
:func:`national_summary` is that province's own :func:`province_indicators`, and the totals
row sums counts, areas and projects, with occupancy computed as summed leased over summed
leasable land (never the mean of the provinces' occupancies).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from gis_app.analytics import national_parks, national_summary, park_indicators, province_indicators
from gis_app.analytics.national import TOTAL
from gis_app.errors import UsageError
from gis_app.province_init import init_province
from gis_app.settings import PROVINCES
from gis_app.storage.source import read_plan


@pytest.fixture(scope="module")
def shipped():
    paths = [PROVINCES[key].default_path for key in ("bac_ninh", "ninh_binh")]
    if not all(p.exists() for p in paths):
        pytest.skip("the shipped provinces are not built (kcn-gis sample)")
    return [read_plan(p) for p in paths]


@pytest.fixture(scope="module")
def empty(tmp_path_factory):
    folder = tmp_path_factory.mktemp("init")
    paths = [init_province(key, folder / f"{key}.gpkg") for key in ("gia_lai", "ha_noi")]
    return [read_plan(p) for p in paths], ["Gia Lai", "Hà Nội"]


def _additive(table: pd.DataFrame) -> list[str]:
    sums = ("registered_capital_usd", "realised_capital_usd", "revenue_usd", "exports_usd",
            "budget_contribution_usd", "employees")
    return [c for c in table.columns
            if (c.endswith(("_count", "_ha")) and "_per_" not in c) or c in sums]


@pytest.mark.parametrize("by", ["province", "legacy_province"])
def test_each_row_is_the_provinces_own_summary_and_the_totals_their_sum(shipped, by):
    table = national_summary(shipped, by=by)
    own = pd.concat([province_indicators(plan, by=by) for plan in shipped])
    assert list(table.index[:-1]).count(TOTAL) == 0 and table.index[-1] == TOTAL
    assert sorted(table.index[:-1]) == sorted(own.index)
    for group, row in own.iterrows():
        pd.testing.assert_series_equal(table.loc[group, own.columns], row, check_names=False,
                                       check_dtype=False)
    total = table.loc[TOTAL]
    for column in _additive(own):
        assert total[column] == pytest.approx(own[column].sum(), rel=1e-12), column
    assert total["occupancy_share"] == pytest.approx(
        own["leased_established_ha"].sum() / own["leasable_established_ha"].sum(), rel=1e-12)
    assert total["occupancy_cleared_share"] == pytest.approx(
        own["leased_ha"].sum() / own["cleared_ha"].sum(), rel=1e-12)
    assert total["wastewater_coverage_share"] == pytest.approx(
        own["parks_operating_with_plant_count"].sum() / own["parks_operating_count"].sum())
    assert total["registered_capital_usd_per_project"] == pytest.approx(
        own["registered_capital_usd"].sum() / own["secondary_projects_valid_count"].sum())
    # Summed areas, not averaged ratios: the mean of the groups' occupancies differs.
    assert abs(own["occupancy_share"].mean() - total["occupancy_share"]) > 1e-3


def test_the_table_is_ranked_by_occupancy(shipped):
    table = national_summary(shipped, by="legacy_province")
    rows = table.drop(index=TOTAL)
    assert rows["occupancy_share"].is_monotonic_decreasing
    assert rows["rank"].tolist() == list(range(1, len(rows) + 1))
    assert pd.isna(table.loc[TOTAL, "rank"])


def test_per_ha_totals_weigh_provinces_by_their_land(shipped):
    """Capital per ha of the nation lies between the provinces' and is not their mean."""
    table = national_summary(shipped)
    rows, total = table.drop(index=TOTAL), table.loc[TOTAL]
    per_ha = rows["registered_capital_usd_per_ha"]
    assert per_ha.min() < total["registered_capital_usd_per_ha"] < per_ha.max()
    assert total["registered_capital_usd_per_ha"] != pytest.approx(per_ha.mean())


def test_empty_provinces_made_by_init_read_as_zero_rows(shipped, empty):
    plans, names = empty
    with_empty = national_summary(shipped + plans, also=[(), (), *[(n,) for n in names]])
    alone = national_summary(shipped)
    for name in names:
        row = with_empty.loc[name]
        assert row["parks_count"] == 0 and row["leased_ha"] == 0
        assert row["projects_valid_count"] == 0 and pd.isna(row["occupancy_share"])
        assert pd.isna(row["rank"])
    assert list(with_empty.index[-3:]) == [*names, TOTAL]  # no occupancy: ranked last
    pd.testing.assert_series_equal(with_empty.loc[TOTAL], alone.loc[TOTAL])
    only_empty = national_summary(plans, also=[(n,) for n in names])
    assert (only_empty.loc[TOTAL, _additive(only_empty)].fillna(0) == 0).all()
    assert pd.isna(only_empty.loc[TOTAL, "occupancy_share"])


def test_a_province_in_two_files_is_one_row_summed(shipped):
    """Two files of the same province (a board split across files) are added up, not listed
    twice, and their ratios computed again from the sums."""
    plan = shipped[1]
    twice = national_summary([plan, plan])
    own = province_indicators(plan)
    assert len(twice) == 2  # the province and the totals
    row = twice.iloc[0]
    assert row["leased_ha"] == pytest.approx(2 * own["leased_ha"].iloc[0])
    assert row["projects_valid_count"] == 2 * own["projects_valid_count"].iloc[0]
    assert row["occupancy_share"] == pytest.approx(own["occupancy_share"].iloc[0])
    assert row["registered_capital_usd_per_ha"] == pytest.approx(
        own["registered_capital_usd_per_ha"].iloc[0])


def test_national_parks_lists_every_park_ranked_with_totals(shipped):
    table = national_parks(shipped)
    own = pd.concat([park_indicators(plan) for plan in shipped])
    assert len(table) == len(own) + 1 and table.index[-1] == TOTAL
    parks = table.drop(index=TOTAL)
    occupancy = parks["occupancy_share"].to_numpy(dtype="float64", na_value=np.nan)
    known = occupancy[~np.isnan(occupancy)]
    assert (np.diff(known) <= 0).all() and np.isnan(occupancy[len(known):]).all()
    total = table.loc[TOTAL]
    assert total["leased_ha"] == pytest.approx(own["leased_ha"].sum())
    assert total["occupancy_share"] == pytest.approx(
        own["leased_ha"].sum() / own["leasable_ha"].sum())
    assert set(parks["province"]) == {"Bắc Ninh", "Ninh Bình"}


def test_no_plan_is_a_usage_error():
    with pytest.raises(UsageError, match="no plan"):
        national_summary([])
