"""The spatial rules that join features: plots inside their parks, no overlaps, stated areas.

Each takes the layers and returns problem rows. A rule judges every feature it is given, so
the caller gives it only features with a usable geometry (present, of the layer's type, finite
and valid: :meth:`.fast.Shapes.usable`); :func:`gis_app.rules.check_plan` does.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..model.schema import PLOTS, LayerSchema
from ..settings import AREA_TOLERANCE_M2
from ._checks import _positions, _rows, feature_ids
from .fast import Shapes

__all__ = ["check_overlaps", "check_plot_areas", "check_plots_in_parks"]


def check_plots_in_parks(plots: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, file: str, *,
                         shapes: Shapes | None = None, park_shapes: Shapes | None = None
                         ) -> list[dict]:
    """Plots that stick out of their park by more than the area tolerance.

    ``shapes``, ``park_shapes``: the plots' and the parks' geometries as
    :class:`~.fast.Shapes`, when the caller keeps them for other rules; the plots they prove
    inside their park are not asked of GEOS.
    """
    first = ~parks["park_code"].duplicated().to_numpy()
    outlines = parks.loc[first] if not first.all() else parks
    where = _positions(plots["park_code"], outlines["park_code"])
    known = np.flatnonzero(where >= 0)  # plots of unknown parks are another rule's problem
    if not len(known):
        return []
    # Most plots are plainly inside: GEOS is asked only about those not proved inside.
    suspect = known
    if shapes is not None and park_shapes is not None:
        suspect = known[~shapes.inside(park_shapes, np.flatnonzero(first)[where[known]],
                                       known)]
    if not len(suspect):
        return []
    # Prepared for the many covers tests, as private copies: GEOS's prepared geometries are
    # not safe to share between threads, and the caller's parks may be shared.
    park_outlines = shapely.from_wkb(shapely.to_wkb(np.asarray(outlines.geometry.values)))
    shapely.prepare(park_outlines)
    park_geoms = park_outlines[where[suspect]]
    plot_geoms = np.asarray(plots.geometry.values)[suspect]
    # Measure what sticks out only for the plots GEOS does not find covered.
    out = np.flatnonzero(~shapely.covers(park_geoms, plot_geoms))
    outside = shapely.area(shapely.difference(plot_geoms[out], park_geoms[out]))
    bad = outside > AREA_TOLERANCE_M2
    rows = plots.iloc[suspect[out[bad]]]
    return _rows(file, "plots", feature_ids(rows, PLOTS), "plot_outside_park",
                 [f"{a:,.1f} m² lies outside park {c}"
                  for a, c in zip(outside[bad], rows["park_code"], strict=True)])


def check_overlaps(frame: gpd.GeoDataFrame, schema: LayerSchema, file: str,
                   rule: str = "overlapping_plots", *,
                   message: str = "overlaps {key} {other} by {area:,.1f} m²",
                   shapes: Shapes | None = None) -> list[dict]:
    """Pairs of features whose shared area exceeds the tolerance (touching is fine).

    Reported under the first feature of each pair, with ``message`` formatted with ``key``
    (the id column), ``this``, ``other`` (the two ids) and ``area`` (m²). ``shapes``: the
    layer's geometries as :class:`~.fast.Shapes`, when the caller keeps them for other rules.
    """
    shapes = Shapes(np.asarray(frame.geometry.values)) if shapes is None else shapes
    left, right, shared = shapes.overlapping(more_than=AREA_TOLERANCE_M2)
    # Named only where reported: no 250,000-row copy.
    this = feature_ids(frame.iloc[left], schema)
    other = feature_ids(frame.iloc[right], schema).tolist()
    return _rows(file, schema.name, this, rule,
                 [message.format(key=schema.key, this=a, other=b, area=area)
                  for a, b, area in zip(this, other, shared, strict=True)])


def check_plot_areas(plots: gpd.GeoDataFrame, file: str) -> list[dict]:
    """Plots whose stated ``area_ha`` differs from the measured area beyond the tolerance."""
    stated = pd.to_numeric(plots["area_ha"], errors="coerce") * 10_000
    measured = shapely.area(plots.geometry.values)
    # A stated area that is not a finite number is another rule's problem (NaN compares false).
    bad = (np.isfinite(stated.to_numpy(dtype=float, na_value=np.nan))
           & (np.abs(stated - measured) > 0.005 * measured + AREA_TOLERANCE_M2))
    return _rows(file, "plots", feature_ids(plots.loc[bad], PLOTS), "area_mismatch",
                 [f"area_ha={s / 10_000:.4f} but the geometry measures {m / 10_000:.4f} ha"
                  for s, m in zip(stated[bad], measured[bad], strict=True)])
