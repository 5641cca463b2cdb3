"""An independent computation of per-park areas with GDAL/OGR SQL (SQLite dialect, ST_Area)."""

from __future__ import annotations

import numpy as np
import pyogrio
import pytest

from gis_app.analytics import park_areas
from gis_app.settings import LEASABLE_LAND_USES, PROVINCES
from gis_app.storage import read_plan
from gis_app.storage.gpkg import write_plan

LEASABLE = ", ".join(f"'{u}'" for u in LEASABLE_LAND_USES)
SQL = f"""
SELECT park_code,
       SUM(CASE WHEN land_use IN ({LEASABLE}) THEN ST_Area(geom) ELSE 0 END) / 10000.0
           AS leasable_ha,
       SUM(CASE WHEN land_use IN ({LEASABLE}) AND status = 'leased' THEN ST_Area(geom)
           ELSE 0 END) / 10000.0 AS leased_ha,
       SUM(CASE WHEN land_use IN ({LEASABLE}) AND status <> 'not_cleared' THEN ST_Area(geom)
           ELSE 0 END) / 10000.0 AS cleared_ha
FROM plots GROUP BY park_code
"""


def _check(path, plan):
    ogr = pyogrio.read_dataframe(path, sql=SQL, sql_dialect="SQLITE").set_index("park_code")
    ours = park_areas(plan).loc[ogr.index]
    assert len(ogr) > 0
    for column in ("leasable_ha", "leased_ha", "cleared_ha"):
        # 0.01 % relative, with an absolute floor for parks where the figure is 0.
        np.testing.assert_allclose(ours[column], ogr[column], rtol=1e-4, atol=1e-9,
                                   err_msg=column)


def test_mixed_plan_agrees_with_ogr_sql(mixed, tmp_path):
    path = tmp_path / "mixed.gpkg"
    write_plan(path, mixed)
    _check(path, read_plan(path))


@pytest.mark.parametrize("key", sorted(PROVINCES))
def test_sample_agrees_with_ogr_sql(key, tmp_path):
    plan = read_plan(PROVINCES[key].default_path)
    path = tmp_path / f"{key}.gpkg"
    write_plan(path, plan)
    _check(path, plan)
