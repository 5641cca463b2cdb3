"""Shortlist exports: CSV for spreadsheets, GeoJSON (RFC 7946, WGS 84) for GIS and web maps."""

from __future__ import annotations

import json

import geopandas as gpd
import pandas as pd
import shapely

from ..errors import ExportError
from ..model.crs import to_crs
from ..spreadsheet import write_csv

#: RFC 7946 §11.2: six decimals of a degree are about 10 cm, more than the plots' accuracy.
GEOJSON_DECIMALS = 6


def to_csv(sites: gpd.GeoDataFrame) -> bytes:
    """The shortlist's attributes as UTF-8 CSV with a BOM (so Excel reads Vietnamese right).

    The geometry is replaced by the site's centroid in WGS 84 (``lon``, ``lat``), which a
    spreadsheet can show and a person can paste into a map. Text a spreadsheet would run as a
    formula (a plot code ``=HYPERLINK(...)``) is neutralised.
    """
    if sites.crs is None:
        raise ExportError("shortlist export: the sites have no CRS")
    centroids = gpd.GeoDataFrame(geometry=sites.geometry.centroid, crs=sites.crs)
    centroids = to_crs(centroids, "EPSG:4326", what="shortlist centroids")
    table = pd.DataFrame(sites.drop(columns=sites.geometry.name))
    table["lon"] = centroids.geometry.x.round(GEOJSON_DECIMALS)
    table["lat"] = centroids.geometry.y.round(GEOJSON_DECIMALS)
    return str(write_csv(table)).encode("utf-8-sig")


def to_geojson(sites: gpd.GeoDataFrame) -> str:
    """The shortlist as an RFC 7946 FeatureCollection.

    Coordinates are WGS 84 longitude/latitude (through the pinned VN-2000 transformation),
    exterior rings counter-clockwise, no ``crs`` member, six decimals.
    """
    if sites.crs is None:
        raise ExportError("shortlist export: the sites have no CRS")
    wgs84 = to_crs(sites, "EPSG:4326", what="shortlist")
    # Round first: GEOS's precision reducer may rewrite rings clockwise, so orient last.
    geoms = shapely.orient_polygons(
        shapely.set_precision(wgs84.geometry.values, 10**-GEOJSON_DECIMALS), exterior_cw=False
    )
    features = []
    properties = pd.DataFrame(wgs84.drop(columns=wgs84.geometry.name)).astype(object)
    properties = properties.where(properties.notna(), None)
    for props, geom in zip(properties.to_dict(orient="records"), geoms, strict=True):
        features.append(
            {"type": "Feature", "properties": props,
             "geometry": json.loads(shapely.to_geojson(geom))}
        )
    return json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False,
                      default=_json_default)


def _json_default(value: object) -> object:
    # numpy scalars and pandas NA leak through to_dict; write them as plain JSON values.
    if hasattr(value, "item"):
        return value.item()
    return str(value)
