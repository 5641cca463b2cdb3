"""Coordinate reference systems: VN-2000 zones and the pinned WGS 84 <-> VN-2000 transformation.

PROJ offers two operations between WGS 84 and VN-2000 and picks one by itself. Vietnam's
official parameters are EPSG:6960 ("VN-2000 to WGS 84 (2)"), so every transformation that
changes datum between the two is chosen explicitly here and refused when it is not available.
"""

from __future__ import annotations

from functools import lru_cache

import geopandas as gpd
import numpy as np
import shapely
from pyproj import CRS, Transformer
from pyproj.transformer import TransformerGroup

from ..errors import CRSError

#: WGS 84 <-> VN-2000 must use the official 7-parameter set (EPSG:6960, "VN-2000 to WGS 84 (2)",
#: Circular 973/2001/TT-TCĐC); PROJ's default choice is not trusted.
VN2000_TO_WGS84_OPERATION = "VN-2000 to WGS 84 (2)"
#: VN-2000 geographic CRS: the base of every TM-3 zone.
VN2000_GEOGRAPHIC_EPSG = 4756


def _datum_name(crs: CRS) -> str:
    geodetic = crs.geodetic_crs
    if geodetic is None or geodetic.datum is None:
        return ""
    return geodetic.datum.name


def is_vn2000(crs: CRS) -> bool:
    return "Vietnam 2000" in _datum_name(crs)


def is_wgs84(crs: CRS) -> bool:
    return "World Geodetic System 1984" in _datum_name(crs)


@lru_cache(maxsize=64)
def transformer(source: str, target: str) -> Transformer:
    """A transformer from ``source`` to ``target`` (any CRS strings), x/y = east/north order.

    Between a WGS 84 based and a VN-2000 based CRS the official 7-parameter operation is
    required; within one datum PROJ's own conversion is exact and used as it is.
    """
    src, dst = CRS.from_user_input(source), CRS.from_user_input(target)
    crossing = (is_wgs84(src) and is_vn2000(dst)) or (is_vn2000(src) and is_wgs84(dst))
    if not crossing:
        if is_vn2000(src) != is_vn2000(dst):
            raise CRSError(
                f"no pinned datum transformation from {src.name!r} to {dst.name!r}; "
                "reproject the data to WGS 84 or VN-2000 first"
            )
        return Transformer.from_crs(src, dst, always_xy=True)
    group = TransformerGroup(src, dst, always_xy=True)
    for candidate in group.transformers:
        if VN2000_TO_WGS84_OPERATION in candidate.description:
            return candidate
    raise CRSError(
        f"PROJ does not offer the official transformation {VN2000_TO_WGS84_OPERATION!r} "
        f"(EPSG:6960) from {src.name!r} to {dst.name!r}; refusing to fall back to a default"
    )


def to_crs(frame: gpd.GeoDataFrame, target: str, *, what: str = "layer") -> gpd.GeoDataFrame:
    """Reproject ``frame`` to ``target`` through :func:`transformer`; a new frame is returned."""
    if frame.crs is None:
        raise CRSError(f"{what} has no CRS; cannot place it in VN-2000")
    target_crs = CRS.from_user_input(target)
    if CRS.from_user_input(frame.crs) == target_crs:
        return frame.copy()
    t = transformer(frame.crs.to_wkt(), target_crs.to_wkt())

    def _apply(coords: np.ndarray) -> np.ndarray:
        x, y = t.transform(coords[:, 0], coords[:, 1], errcheck=True)
        return np.column_stack([x, y])

    out = frame.copy()
    out[out.geometry.name] = gpd.GeoSeries(
        shapely.transform(frame.geometry.values, _apply), index=frame.index, crs=target_crs
    )
    return out.set_crs(target_crs, allow_override=True)


def require_projected(frame: gpd.GeoDataFrame, *, what: str = "layer") -> None:
    """Refuse to measure in degrees: areas and distances need a projected metric CRS."""
    if frame.crs is None:
        raise CRSError(f"{what} has no CRS; areas and distances cannot be measured")
    crs = CRS.from_user_input(frame.crs)
    if not crs.is_projected or crs.axis_info[0].unit_name not in ("metre", "meter"):
        raise CRSError(
            f"{what} is in {crs.name!r}, not a projected metric CRS; reproject it to the "
            "province's VN-2000 TM-3 zone before measuring"
        )


VN2000_GEOGRAPHIC = f"EPSG:{VN2000_GEOGRAPHIC_EPSG}"
