"""Geometry to matplotlib artists without pyplot and without a Python loop per feature.

All polygons of one class (a plot status, a zone land use) become a single compound
:class:`~matplotlib.path.Path` built from shapely's coordinate arrays: one artist per legend
entry, small PDFs, and fast drawing of thousands of plots.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import PathPatch
from matplotlib.path import Path


@dataclass(frozen=True)
class LegendEntry:
    """A symbol drawn on the map, for the legend: ``kind`` is ``fill``, ``line`` or ``point``."""

    label: str
    kind: str
    face: str = "none"
    edge: str = "black"
    linewidth: float = 0.5
    linestyle: str | tuple[float, tuple[float, ...]] = "-"
    marker: str = "o"


def polygon_parts(geoms: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The vertices of :func:`polygon_path` of ``geoms``, its path codes, and the position in
    ``geoms`` of the feature each vertex belongs to.

    The vertices of features ``p`` (ascending) are those of ``polygon_path(geoms[p])``, in
    the same order: a layer drawn on every page (the parks of the inset) is prepared once
    and each page selects from it (:meth:`~gis_app.export.data.DrawLayer.polygon_path`).
    """
    geoms = np.asarray(geoms, dtype=object)
    present = np.flatnonzero(~shapely.is_missing(geoms) & ~shapely.is_empty(geoms))
    parts, part_of = shapely.get_parts(geoms[present], return_index=True)
    polygons = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    parts, part_of = parts[polygons], part_of[polygons]
    if parts.size == 0:
        return np.zeros((0, 2)), np.zeros(0, dtype=Path.code_type), np.zeros(0, dtype=np.intp)
    parts = shapely.orient_polygons(parts, exterior_cw=False)
    rings, ring_of = shapely.get_rings(parts, return_index=True)
    coords, ring_index = shapely.get_coordinates(rings, return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    starts = np.r_[0, np.flatnonzero(np.diff(ring_index)) + 1]
    ends = np.r_[starts[1:] - 1, len(coords) - 1]
    codes[starts] = Path.MOVETO
    codes[ends] = Path.CLOSEPOLY
    return coords, codes, present[part_of[ring_of[ring_index]]]


def polygon_path(geoms: np.ndarray) -> Path | None:
    """One compound path of every ring of ``geoms`` (polygons, multipolygons; others ignored).

    Exteriors are oriented counter-clockwise and holes clockwise so that the non-zero
    winding rule leaves the holes empty.
    """
    coords, codes, _ = polygon_parts(geoms)
    return Path(coords, codes) if len(coords) else None


def line_path(geoms: np.ndarray) -> Path | None:
    """One compound path of every line of ``geoms`` (polygon outlines included)."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    parts = shapely.get_parts(geoms)
    polys = parts[shapely.get_type_id(parts) == shapely.GeometryType.POLYGON]
    lines = parts[np.isin(shapely.get_type_id(parts), (shapely.GeometryType.LINESTRING,
                                                         shapely.GeometryType.LINEARRING))]
    lines = np.concatenate([lines, shapely.get_rings(polys)]) if polys.size else lines
    if lines.size == 0:
        return None
    coords, index = shapely.get_coordinates(lines, return_index=True)
    codes = np.full(len(coords), Path.LINETO, dtype=Path.code_type)
    codes[np.r_[0, np.flatnonzero(np.diff(index)) + 1]] = Path.MOVETO
    return Path(coords, codes)


def _add(ax: Axes, patch: PathPatch) -> None:
    """Add a patch without ``add_patch``'s data-limit update.

    The sheets set their limits from the scale, and updating limits walks every Bézier
    segment in Python: 1.5 s for a province's communes.
    """
    ax.add_artist(patch)


def fill(ax: Axes, geoms: np.ndarray, entry: LegendEntry, *, zorder: float = 1.0,
         alpha: float = 1.0) -> bool:
    """Fill polygons as one patch; returns whether anything was drawn."""
    return fill_path(ax, polygon_path(geoms), entry, zorder=zorder, alpha=alpha)


def fill_path(ax: Axes, path: Path | None, entry: LegendEntry, *, zorder: float = 1.0,
              alpha: float = 1.0) -> bool:
    """Fill a :func:`polygon_path` as one patch; returns whether anything was drawn."""
    if path is None:
        return False
    _add(ax, PathPatch(path, facecolor=entry.face, edgecolor=entry.edge,
                       linewidth=entry.linewidth, linestyle=entry.linestyle, zorder=zorder,
                       alpha=alpha))
    return True


def stroke(ax: Axes, geoms: np.ndarray, entry: LegendEntry, *, zorder: float = 2.0) -> bool:
    """Draw lines (or polygon outlines) as one unfilled patch."""
    path = line_path(geoms)
    if path is None:
        return False
    _add(ax, PathPatch(path, facecolor="none", edgecolor=entry.edge,
                       linewidth=entry.linewidth, linestyle=entry.linestyle, zorder=zorder,
                       capstyle="round", joinstyle="round"))
    return True


def markers(ax: Axes, xy: np.ndarray, *, size: float, marker: str, face: str, edge: str,
            linewidth: float, zorder: float = 5.0) -> Line2D:
    """Markers of area ``size`` (pt², as ``scatter``'s ``s``) at ``xy``, as one line without
    a line: it draws the same symbols as ``scatter`` for a fraction of its cost, and leaves
    the axes' limits alone."""
    line = Line2D(xy[:, 0], xy[:, 1], linestyle="none", marker=marker,
                  markersize=float(np.sqrt(size)), markerfacecolor=face, markeredgecolor=edge,
                  markeredgewidth=linewidth, zorder=zorder)
    ax.add_artist(line)
    return line


def points(ax: Axes, geoms: np.ndarray, entry: LegendEntry, *, size: float,
           zorder: float = 5.0) -> bool:
    """Mark point features (representative points for polygons)."""
    geoms = np.asarray(geoms, dtype=object)
    geoms = geoms[~shapely.is_missing(geoms) & ~shapely.is_empty(geoms)]
    if geoms.size == 0:
        return False
    xy = shapely.get_coordinates(shapely.point_on_surface(geoms))
    markers(ax, xy, size=size, marker=entry.marker, face=entry.face, edge=entry.edge,
            linewidth=entry.linewidth, zorder=zorder)
    return True


def clip_to(frame: gpd.GeoDataFrame, window: tuple[float, float, float, float]
            ) -> gpd.GeoDataFrame:
    """Features whose bounding box meets ``window`` (cheap culling before drawing)."""
    if frame.empty:
        return frame
    hits = frame.sindex.query(shapely.box(*window), predicate="intersects")
    return frame.iloc[np.sort(hits)]
