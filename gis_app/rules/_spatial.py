"""The spatial rules that join features: plots inside their parks, no overlaps, stated areas.

Each takes the layers and returns problem rows. ``sound=True`` means the caller has checked
every geometry already (present, non-empty, valid), so validity is not tested twice.
"""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ..model.schema import PLOTS, LayerSchema
from ..settings import AREA_TOLERANCE_M2
from ._checks import _is_valid, _positions, _rows, _threaded, feature_ids, finite_geometries
from ._overlap import cleared_pairs


def _usable(frame: gpd.GeoDataFrame, sound: bool) -> gpd.GeoDataFrame:
    """The features with a non-empty valid geometry (the ones spatial rules can test).

    ``sound``: the caller has checked every geometry already (:func:`check_plan` runs the
    cross-layer rules only on layers without problems), so validity is not tested twice.
    """
    mask = _usable_mask(frame, sound)
    return frame if mask is None else frame.loc[mask]


def _usable_mask(frame: gpd.GeoDataFrame, sound: bool,
                 corners: tuple[np.ndarray, np.ndarray] | None = None) -> np.ndarray | None:
    """Which features :func:`_usable` keeps; None for all of them."""
    if sound:
        return None
    g = np.asarray(frame.geometry.values)
    present = ~(shapely.is_missing(g) | shapely.is_empty(g))
    # A valid geometry of finite coordinates and area; the validity test (the costly one)
    # only where the others hold.
    usable = present & finite_geometries(g)
    if usable.all():
        return _is_valid(g, corners)
    where = np.flatnonzero(usable)
    usable[where] = _is_valid(g[where], None if corners is None else
                              (corners[0][where], corners[1][where]))
    return usable


def check_plots_in_parks(plots: gpd.GeoDataFrame, parks: gpd.GeoDataFrame, file: str, *,
                         sound: bool = False) -> list[dict]:
    """Plots that stick out of their park by more than the area tolerance."""
    outlines = _usable(parks, sound).drop_duplicates("park_code")
    p = _usable(plots, sound)
    where = _positions(p["park_code"], outlines["park_code"])
    known = np.flatnonzero(where >= 0)  # plots of unknown parks are another rule's problem
    if not len(known):
        return []
    # Prepared for the many covers tests, as private copies: GEOS's prepared geometries are
    # not safe to share between threads, and the caller's parks may be shared.
    park_outlines = shapely.from_wkb(shapely.to_wkb(np.asarray(outlines.geometry.values)))
    shapely.prepare(park_outlines)
    park_geoms = park_outlines[where[known]]
    plot_geoms = np.asarray(p.geometry.values)[known]
    # Most plots are plainly inside: measure what sticks out only for the others.
    suspect = np.flatnonzero(~shapely.covers(park_geoms, plot_geoms))
    outside = shapely.area(shapely.difference(plot_geoms[suspect], park_geoms[suspect]))
    bad = outside > AREA_TOLERANCE_M2
    rows = p.iloc[known[suspect[bad]]]
    return _rows(file, "plots", feature_ids(rows, PLOTS), "plot_outside_park",
                 [f"{a:,.1f} m² lies outside park {c}"
                  for a, c in zip(outside[bad], rows["park_code"], strict=True)])


def candidate_pairs(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Positions ``i < j`` of the geometries whose bounding boxes meet.

    By bounding box only: one predicate pass on the pairs is cheaper than a predicate query
    (which also tests every feature against itself). Any geometries will do (missing, empty
    and invalid ones too), so the query can start before the layer is checked.
    """
    left, right = shapely.STRtree(geoms).query(geoms)
    keep = left < right
    return left[keep], right[keep]


def check_overlaps(frame: gpd.GeoDataFrame, schema: LayerSchema, file: str,
                   rule: str = "overlapping_plots", *, sound: bool = False,
                   corners: tuple[np.ndarray, np.ndarray] | None = None,
                   pairs: tuple[np.ndarray, np.ndarray] | None = None,
                   message: str = "overlaps {key} {other} by {area:,.1f} m²") -> list[dict]:
    """Pairs of features whose shared area exceeds the tolerance (touching is fine).

    Reported under the first feature of each pair, with ``message`` formatted with ``key``
    (the id column), ``this``, ``other`` (the two ids) and ``area`` (m²). When the caller has
    them already: ``corners``, ``quads()`` of the layer's geometries, and ``pairs``, their
    :func:`candidate_pairs` (both used only with ``sound``).
    """
    mask = _usable_mask(frame, sound, corners)
    usable = frame if mask is None else frame.loc[mask]
    if mask is not None:
        corners = None if corners is None else (corners[0][mask], corners[1][mask])
        pairs = None
    geoms = np.asarray(usable.geometry.values)
    if len(geoms) < 2:
        return []
    left, right = candidate_pairs(geoms) if pairs is None else pairs
    # Neighbours that provably share at most the tolerance (nearly all pairs) skip GEOS.
    undecided = ~cleared_pairs(geoms, left, right, AREA_TOLERANCE_M2, corners=corners)
    left, right = left[undecided], right[undecided]
    interiors = _threaded(lambda a, b: shapely.relate_pattern(a, b, "T********"),
                          geoms[left], geoms[right])
    left, right = left[interiors], right[interiors]
    shared = shapely.area(_threaded(shapely.intersection, geoms[left], geoms[right]))
    big = shared > AREA_TOLERANCE_M2
    # Named only where reported: no 250,000-row copy.
    this = feature_ids(usable.iloc[left[big]], schema)
    other = feature_ids(usable.iloc[right[big]], schema).tolist()
    return _rows(file, schema.name, this, rule,
                 [message.format(key=schema.key, this=a, other=b, area=area)
                  for a, b, area in zip(this, other, shared[big], strict=True)])


def check_plot_areas(plots: gpd.GeoDataFrame, file: str, *, sound: bool = False) -> list[dict]:
    """Plots whose stated ``area_ha`` differs from the measured area beyond the tolerance."""
    usable = _usable(plots, sound)
    stated = pd.to_numeric(usable["area_ha"], errors="coerce") * 10_000
    measured = shapely.area(usable.geometry.values)
    # A stated area that is not a finite number is another rule's problem (NaN compares false).
    bad = (np.isfinite(stated.to_numpy(dtype=float, na_value=np.nan))
           & (np.abs(stated - measured) > 0.005 * measured + AREA_TOLERANCE_M2))
    return _rows(file, "plots", feature_ids(usable.loc[bad], PLOTS), "area_mismatch",
                 [f"area_ha={s / 10_000:.4f} but the geometry measures {m / 10_000:.4f} ha"
                  for s, m in zip(stated[bad], measured[bad], strict=True)])
