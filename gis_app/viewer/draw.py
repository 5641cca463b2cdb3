"""Drawing on the map (folium's Draw plugin) with Leaflet.draw served by the app itself.

Leaflet.draw's JavaScript and CSS come from the npm package ``leaflet-draw``, installed at
set-up into ``.cache/npm`` beside the package (see :data:`INSTALL_COMMAND`; never copied into
the repository). As with Leaflet itself (:mod:`gis_app.viewer.assets`), a Streamlit component
whose ``path`` is that folder makes Streamlit's server answer the files, so no CDN is needed.

What the officer draws comes back from streamlit-folium as GeoJSON in WGS 84;
:func:`drawn_geometries` turns it into a frame in the province's VN-2000 CRS through the
pinned transformation (:func:`gis_app.model.crs.to_crs`).
"""

from __future__ import annotations

import os
from pathlib import Path

import folium
import geopandas as gpd
import shapely
from folium.plugins import Draw

from ..model.crs import to_crs
from ..settings import LAYERS_DIR

LEAFLET_DRAW_VERSION = "1.0.4"
#: Environment variable naming another folder with ``leaflet.draw.js`` and ``leaflet.draw.css``.
DRAW_DIR_ENV = "KCN_GIS_LEAFLET_DRAW_DIR"
#: Where set-up installs the npm package (relative to the repository root).
NPM_PREFIX = LAYERS_DIR.parent / ".cache" / "npm"
INSTALL_COMMAND = (f"npm install --no-audit --no-fund --prefix .cache/npm "
                   f"leaflet-draw@{LEAFLET_DRAW_VERSION}")
COMPONENT_NAME = "leaflet_draw"
#: The files' URL relative to the streamlit-folium iframe (this module's component route).
DRAW_BASE = f"../{__name__}.{COMPONENT_NAME}/"


def leaflet_draw_dir() -> Path | None:
    """The folder holding Leaflet.draw's dist files, or None when it is not installed."""
    configured = os.environ.get(DRAW_DIR_ENV)
    candidates = [Path(configured)] if configured else []
    candidates.append(NPM_PREFIX / "node_modules" / "leaflet-draw" / "dist")
    for folder in candidates:
        if (folder / "leaflet.draw.js").is_file() and (folder / "leaflet.draw.css").is_file():
            return folder
    return None


def register_draw_route() -> bool:
    """Serve Leaflet.draw's files (idempotent); False when they are not installed."""
    folder = leaflet_draw_dir()
    if folder is None:
        return False
    import streamlit.components.v1 as components

    components.declare_component(COMPONENT_NAME, path=str(folder))
    return True


def add_draw(m: folium.Map, *, base: str = DRAW_BASE, line: bool = True, polygon: bool = True,
             point: bool = True) -> Draw:
    """Add the drawing toolbar (polygon, rectangle, line, marker) with local assets."""
    draw = Draw(
        export=False,
        position="topleft",
        draw_options={
            "polyline": line,
            "polygon": polygon,
            "rectangle": polygon,
            "marker": point,
            "circle": False,
            "circlemarker": False,
        },
        edit_options={"edit": True, "remove": True},
    )
    # Instance attributes: folium keeps the defaults on the class (a CDN), shared by all maps.
    draw.default_js = [("leaflet_draw_js", base + "leaflet.draw.js")]
    draw.default_css = [("leaflet_draw_css", base + "leaflet.draw.css")]
    draw.add_to(m)
    return draw


def drawn_geometries(drawings: list[dict] | None, crs: object) -> gpd.GeoDataFrame:
    """Shapes drawn on the map (streamlit-folium's ``all_drawings``) in the province CRS.

    Returns a frame with ``kind`` (``Polygon``, ``LineString``, ``Point``) and the geometry in
    ``crs``, in drawing order; empty when nothing was drawn.
    """
    features = [f for f in (drawings or []) if f and f.get("geometry")]
    if not features:
        return gpd.GeoDataFrame({"kind": []}, geometry=gpd.GeoSeries([], crs=crs), crs=crs)
    shapes = [shapely.geometry.shape(f["geometry"]) for f in features]
    wgs84 = gpd.GeoDataFrame({"kind": [s.geom_type for s in shapes]}, geometry=shapes,
                             crs="EPSG:4326")
    return to_crs(wgs84, str(crs), what="drawn shape")


def pasted_geometries(text: str, source_crs: str, crs: object) -> gpd.GeoDataFrame:
    """Geometries pasted as GeoJSON (geometry, Feature or FeatureCollection) or WKT, given in
    ``source_crs``, as a frame in ``crs`` (same columns as :func:`drawn_geometries`).

    Raises
    ------
    ImportDataError
        The text is neither GeoJSON nor WKT.
    """
    import json

    from ..errors import ImportDataError

    text = text.strip()
    if not text:
        return drawn_geometries(None, crs)
    try:
        if text.startswith("{"):
            data = json.loads(text)
            if data.get("type") == "FeatureCollection":
                shapes = [shapely.geometry.shape(f["geometry"]) for f in data["features"]]
            elif data.get("type") == "Feature":
                shapes = [shapely.geometry.shape(data["geometry"])]
            else:
                shapes = [shapely.geometry.shape(data)]
        else:
            shapes = [shapely.from_wkt(text)]
    except (ValueError, KeyError, TypeError, shapely.errors.GEOSException) as exc:
        raise ImportDataError(f"pasted geometry: neither GeoJSON nor WKT ({exc})") from exc
    frame = gpd.GeoDataFrame({"kind": [s.geom_type for s in shapes]}, geometry=shapes,
                             crs=source_crs)
    return to_crs(frame, str(crs), what="pasted geometry")
