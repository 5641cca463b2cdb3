"""Zonal statistics of polygons over a raster in any CRS (rasterio).

The polygons are reprojected to the raster's CRS through :func:`gis_app.model.crs.to_crs`
(so WGS 84 <-> VN-2000 uses the official EPSG:6960 parameters), burnt into a label grid
over the smallest window that covers them, and summed per label with ``numpy.bincount``:
one pass over the pixels, no loop over polygons. A pixel belongs to a polygon when its
centre lies inside it (GDAL's default rasterisation rule); polygons smaller than a pixel
may catch no pixel centre and get NaN.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import rasterio
from affine import Affine
from rasterio.features import rasterize
from rasterio.windows import Window

from ..errors import CRSError, LayerError
from ..model.crs import to_crs


def _window(bounds: Sequence[float], src: rasterio.DatasetReader) -> Window | None:
    """The pixel window covering ``bounds`` (north-up rasters), clipped to the raster."""
    t = src.transform  # north-up: x = c + a * col, y = f + e * row (e < 0)
    cols = [(x - t.c) / t.a for x in (bounds[0], bounds[2])]
    rows = [(y - t.f) / t.e for y in (bounds[1], bounds[3])]
    col0, row0 = max(math.floor(min(cols)), 0), max(math.floor(min(rows)), 0)
    col1, row1 = min(math.ceil(max(cols)), src.width), min(math.ceil(max(rows)), src.height)
    if col1 <= col0 or row1 <= row0:
        return None
    return Window(col0, row0, col1 - col0, row1 - row0)


def _window_transform(t: Affine, window: Window) -> Affine:
    # Written out: rasterio's window_transform uses affine's deprecated "*" operator.
    return Affine(t.a, 0.0, t.c + t.a * window.col_off, 0.0, t.e, t.f + t.e * window.row_off)


def zonal_mean(
    frame: gpd.GeoDataFrame,
    raster: str | Path,
    *,
    band: int = 1,
    value_scale: float = 1.0,
    classes: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Mean raster value inside each polygon of ``frame``.

    Parameters
    ----------
    frame
        Polygons with a CRS (any; they are reprojected to the raster's CRS).
    raster
        A GeoTIFF (or any GDAL raster) with a CRS and a north-up transform.
    band
        The band to read.
    value_scale
        Values are divided by it (100 for a 0-100 % built-up raster gives a 0-1 share).
    classes
        For a land-cover product: pixel values that count as 1 (e.g. built-up classes);
        every other valid value counts as 0. Overrides ``value_scale``.

    Returns
    -------
    DataFrame
        Same index as ``frame``: ``mean`` (NaN where no valid pixel centre falls inside)
        and ``pixel_count`` (valid pixels used). Nodata pixels are ignored.
    """
    path = Path(raster)
    if not path.exists():
        raise LayerError(f"{path}: no such raster file")
    try:
        src = rasterio.open(path)
    except rasterio.errors.RasterioIOError as exc:
        raise LayerError(f"{path}: cannot be opened as a raster ({exc})") from exc
    with src:
        if src.crs is None:
            raise CRSError(f"{path}: raster has no CRS; cannot place it against the plots")
        if src.transform.b != 0 or src.transform.d != 0:
            raise LayerError(f"{path}: rotated rasters are not supported")
        geoms = to_crs(frame, src.crs.to_wkt(), what="plots").geometry
        n = len(geoms)
        sums: np.ndarray = np.zeros(n + 1)
        counts: np.ndarray = np.zeros(n + 1, dtype="int64")
        usable = ~(geoms.isna() | geoms.is_empty).to_numpy()
        window = _window(geoms[usable].total_bounds, src) if usable.any() else None
        if window is not None:
            data = src.read(band, window=window, masked=True)
            labels = rasterize(
                ((g, i + 1) for i, g in enumerate(geoms.to_numpy()) if usable[i]),
                out_shape=data.shape, transform=_window_transform(src.transform, window), fill=0,
                dtype="int32",
            )
            valid = (labels > 0) & ~np.ma.getmaskarray(data)
            values = np.ma.getdata(data)[valid].astype("float64")
            if classes is not None:
                values = np.isin(values, np.asarray(classes)).astype("float64")
            else:
                values = values / value_scale
            sums = np.bincount(labels[valid], weights=values, minlength=n + 1)
            counts = np.bincount(labels[valid], minlength=n + 1)
    mean = np.divide(sums[1:], counts[1:], out=np.full(n, np.nan), where=counts[1:] > 0)
    return pd.DataFrame({"mean": mean, "pixel_count": counts[1:].astype("int64")},
                        index=frame.index)
