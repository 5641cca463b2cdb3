"""Indicators computed inside PostGIS, for national-scale data where Python would move too much.

Each function here returns the same frame as its Python counterpart in :mod:`gis_app.analytics`
(same index, columns, dtypes and definitions), computed by one SQL statement next to the data:
only one row per park crosses the network instead of every plot geometry.
"""

from __future__ import annotations

import pandas as pd
from psycopg import Connection, sql

from ...errors import LayerError
from ...settings import LEASABLE_LAND_USES, PROVINCES, Province
from .schema import ORDER_COLUMN, require_current

#: Columns of :func:`park_areas_sql`, as :func:`gis_app.analytics.park_areas` names them.
AREA_COLUMNS: tuple[str, ...] = (
    "planned_ha", "outline_ha", "established_ha", "leasable_ha", "cleared_ha", "leased_ha",
    "vacant_ha", "reserved_ha", "not_cleared_ha", "rbf_vacant_ha", "plots_ha",
    "occupancy_share", "occupancy_cleared_share", "area_basis",
)

# Areas are measured on the geometries in the province's VN-2000 TM-3 metres (the columns are
# typed with that SRID), like the Python path; a plot counts in a category's sum or adds 0.
_PARK_AREAS = """
WITH parts AS (
    SELECT park_code, ST_Area(geom) / 10000.0 AS ha, status, ready_built_factory AS rbf,
           land_use = ANY({leasable}) AS leasable
    FROM {schema}.plots
), sums AS (
    SELECT park_code,
           sum(ha) AS plots_ha,
           coalesce(sum(ha) FILTER (WHERE leasable), 0) AS leasable_ha,
           coalesce(sum(ha) FILTER (WHERE leasable AND status <> 'not_cleared'), 0) AS cleared_ha,
           coalesce(sum(ha) FILTER (WHERE leasable AND status = 'leased'), 0) AS leased_ha,
           coalesce(sum(ha) FILTER (WHERE leasable AND status = 'vacant'), 0) AS vacant_ha,
           coalesce(sum(ha) FILTER (WHERE leasable AND status = 'reserved'), 0) AS reserved_ha,
           coalesce(sum(ha) FILTER (WHERE leasable AND status = 'not_cleared'), 0)
               AS not_cleared_ha,
           coalesce(sum(ha) FILTER (WHERE leasable AND rbf AND status = 'vacant'), 0)
               AS rbf_vacant_ha
    FROM parts GROUP BY park_code
), areas AS (
    SELECT p.park_code, p.{order} AS ord, s.park_code IS NOT NULL AS has_plots,
           p.planned_area_ha AS planned_ha,
           ST_Area(p.geom) / 10000.0 AS outline_ha,
           p.established_area_ha AS established_ha,
           CASE WHEN s.park_code IS NULL THEN p.leasable_area_ha ELSE s.leasable_ha END
               AS leasable_ha,
           CASE WHEN s.park_code IS NULL THEN p.cleared_area_ha ELSE s.cleared_ha END
               AS cleared_ha,
           coalesce(s.leased_ha, 0) AS leased_ha,
           s.vacant_ha, s.reserved_ha, s.not_cleared_ha,
           coalesce(s.rbf_vacant_ha, 0) AS rbf_vacant_ha,
           coalesce(s.plots_ha, 0) AS plots_ha
    FROM {schema}.parks p LEFT JOIN sums s ON s.park_code = p.park_code
)
SELECT park_code, planned_ha, outline_ha, established_ha, leasable_ha, cleared_ha, leased_ha,
       vacant_ha, reserved_ha, not_cleared_ha, rbf_vacant_ha, plots_ha,
       CASE WHEN leasable_ha > 0 THEN leased_ha / leasable_ha END AS occupancy_share,
       CASE WHEN cleared_ha > 0 THEN leased_ha / cleared_ha END AS occupancy_cleared_share,
       CASE WHEN has_plots THEN 'plots' ELSE 'park_attributes' END AS area_basis
FROM areas ORDER BY ord
"""


def park_areas_sql(conn: Connection, province: str | Province) -> pd.DataFrame:
    """Areas (ha) and occupancy of each park, computed in PostGIS.

    Equal to :func:`gis_app.analytics.park_areas` on the same plan: indexed by ``park_code``
    in the order of the parks layer, with the columns of :data:`AREA_COLUMNS` (see that
    function for their definitions).

    Parameters
    ----------
    conn
        An open psycopg connection to the database.
    province
        The province (or its key); its schema must be at the current version.
    """
    if isinstance(province, str):
        if province not in PROVINCES:
            raise LayerError(f"unknown province {province!r} (known: {', '.join(PROVINCES)})")
        province = PROVINCES[province]
    require_current(conn, province.key, f"province {province.key!r}")
    query = sql.SQL(_PARK_AREAS).format(schema=sql.Identifier(province.key),
                                         order=sql.Identifier(ORDER_COLUMN),
                                         leasable=sql.Literal(list(LEASABLE_LAND_USES)))
    rows = conn.execute(query).fetchall()
    frame = pd.DataFrame.from_records(rows, columns=["park_code", *AREA_COLUMNS])
    index = pd.Index(frame["park_code"].astype("string"), name="park_code")
    # NULL (nothing leasable, status split unknown) becomes NaN, as in the Python path.
    out = pd.DataFrame({c: pd.to_numeric(frame[c]).astype("float64") for c in AREA_COLUMNS[:-1]})
    out["area_basis"] = frame["area_basis"].astype("string")
    return out.set_axis(index)
