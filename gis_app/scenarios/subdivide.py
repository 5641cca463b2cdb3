"""Automatic plot subdivision of new land along a grid of internal roads.

Used when a park is added or extended: the land is cut into rectangular plots separated by
roads, the way illustrative detailed plans are drawn. Vectorized: one array of grid cells is
clipped against the outline in one call.
"""

from __future__ import annotations

from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from ._frames import polygonal
from .model import Subdivision


def grid_angle(land: shapely.Geometry) -> float:
    """Direction (degrees, in [-45, 45)) of the longer side of the land's minimum rotated
    rectangle: internal roads run parallel to the outline, not to the map grid."""
    rect = shapely.minimum_rotated_rectangle(land)
    xy = shapely.get_coordinates(rect)  # its corners (a rectangle has no holes)
    edges = np.diff(xy[:3], axis=0)
    longest = edges[np.argmax(np.hypot(edges[:, 0], edges[:, 1]))]
    angle = float(np.degrees(np.arctan2(longest[1], longest[0])))
    return float((angle + 45.0) % 90.0 - 45.0)


def _rotate(geoms: Any, angle: float, origin: shapely.Point) -> Any:
    """Geometries turned by ``angle`` degrees about ``origin`` (vectorized; 0 is a no-op)."""
    if angle == 0.0:
        return geoms
    c, s = np.cos(np.radians(angle)), np.sin(np.radians(angle))
    ox, oy = origin.x, origin.y

    def turn(xy: np.ndarray) -> np.ndarray:
        dx, dy = xy[:, 0] - ox, xy[:, 1] - oy
        return np.column_stack([ox + c * dx - s * dy, oy + s * dx + c * dy])

    return shapely.transform(geoms, turn)


def subdivide(
    land: shapely.Geometry, park_code: str, prefix: str, spec: Subdivision, crs: object,
    status: str = "vacant",
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame]:
    """Plots and zones for ``land`` (a polygon in a projected metric CRS).

    Returns
    -------
    plots
        ``plot_code`` (``{prefix}-001``, ... numbered along the grid's rows and columns),
        ``park_code``, ``land_use`` (the spec's), ``status`` (``vacant``; ``not_cleared``
        for land of a park that is only in the plan),
        ``ready_built_factory`` False, ``area_ha``.
    zones
        Two zones: the plots' land use (``{prefix}-Z1``) and roads (``{prefix}-Z2``).
    """
    angle = grid_angle(land) if spec.angle_deg is None else float(spec.angle_deg)
    origin = shapely.centroid(land)
    # The grid is laid out in a frame turned with the land, then turned back.
    upright = _rotate(land, -angle, origin)
    half = spec.road_width_m / 2.0
    usable = shapely.buffer(upright, -half, join_style="mitre")
    minx, miny, maxx, maxy = upright.bounds
    step_x = spec.plot_width_m + spec.road_width_m
    step_y = spec.plot_depth_m + spec.road_width_m
    xs = minx + np.arange(0.0, maxx - minx, step_x)
    ys = miny + np.arange(0.0, maxy - miny, step_y)
    gx, gy = (a.ravel() for a in np.meshgrid(xs, ys, indexing="ij"))
    cells = shapely.box(gx + half, gy + half, gx + step_x - half, gy + step_y - half)
    pieces = shapely.intersection(cells, usable)
    pieces = polygonal(shapely.make_valid(pieces))
    # Keep pieces big enough to be a plot; slivers stay road or verge.
    big = shapely.area(pieces) >= spec.min_plot_ha * 10_000.0
    pieces = _rotate(pieces[big], angle, origin)
    codes = [f"{prefix}-{i + 1:03d}" for i in range(len(pieces))]
    plots = gpd.GeoDataFrame(
        {
            "plot_code": codes,
            "park_code": [park_code] * len(pieces),
            "land_use": [spec.land_use] * len(pieces),
            "status": [status] * len(pieces),
            "ready_built_factory": [False] * len(pieces),
            "area_ha": shapely.area(pieces) / 10_000.0,
        },
        geometry=pieces,
        crs=crs,
    )
    plotted = shapely.union_all(pieces) if len(pieces) else shapely.Polygon()
    roads = polygonal(np.array([shapely.make_valid(shapely.difference(land, plotted))]))[0]
    zone_geoms = [plotted, roads]
    keep = [not g.is_empty and g.area > 1.0 for g in zone_geoms]
    zones = gpd.GeoDataFrame(
        pd.DataFrame({"zone_id": [f"{prefix}-Z1", f"{prefix}-Z2"],
                      "park_code": [park_code] * 2,
                      "land_use": [spec.land_use, "roads"]}).loc[keep],
        geometry=[g for g, k in zip(zone_geoms, keep, strict=True) if k],
        crs=crs,
    )
    return plots, zones
