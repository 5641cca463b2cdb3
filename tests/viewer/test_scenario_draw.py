"""Drawing helpers of the Scenarios page: local Leaflet.draw assets, drawn and pasted shapes
back in VN-2000, and the change overlay (checked on the rendered HTML)."""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import pytest
import shapely

from gis_app.errors import ImportDataError
from gis_app.layers.crs import to_crs
from gis_app.scenarios import MergePlots, Scenario, evaluate
from gis_app.scenarios.compare import change_layer
from gis_app.testing import ORIGIN, tiny_plan
from gis_app.viewer.draw import DRAW_BASE, add_draw, drawn_geometries, pasted_geometries
from gis_app.viewer.scenario_ui import CHANGE_COLOURS, add_changes, changes_table, t

CRS = "EPSG:9209"


def _wgs84(geom: shapely.Geometry) -> shapely.Geometry:
    frame = gpd.GeoDataFrame(geometry=[geom], crs=CRS)
    return to_crs(frame, "EPSG:4326").geometry.iloc[0]


def test_draw_toolbar_loads_leaflet_draw_from_the_app_not_a_cdn() -> None:
    m = folium.Map(tiles=None)
    add_draw(m)
    html = m.get_root().render()
    assert DRAW_BASE + "leaflet.draw.js" in html
    assert DRAW_BASE + "leaflet.draw.css" in html
    assert "cdnjs" not in html.split("leaflet.draw")[0][-300:]  # not the plugin's CDN default
    assert "L.Control.Draw" in html
    # The class default is untouched, so other maps are not changed behind their back.
    other = folium.Map(tiles=None)
    add_draw(other, base="./elsewhere/")
    assert "./elsewhere/leaflet.draw.js" in other.get_root().render()


def test_drawn_geojson_comes_back_in_the_province_crs() -> None:
    square = shapely.box(ORIGIN[0], ORIGIN[1], ORIGIN[0] + 100, ORIGIN[1] + 100)
    drawn = [{"type": "Feature", "properties": {},
              "geometry": shapely.geometry.mapping(_wgs84(square))},
             {"type": "Feature", "properties": {},
              "geometry": {"type": "Point", "coordinates": list(_wgs84(
                  shapely.Point(ORIGIN)).coords[0])}}]
    frame = drawn_geometries(drawn, CRS)
    assert frame.crs.to_epsg() == 9209
    assert list(frame["kind"]) == ["Polygon", "Point"]
    assert frame.geometry.iloc[0].area == pytest.approx(10_000.0, rel=1e-6)
    assert frame.geometry.iloc[1].distance(shapely.Point(ORIGIN)) < 0.01  # metres
    assert drawn_geometries(None, CRS).empty


def test_pasted_wkt_and_geojson() -> None:
    vn = pasted_geometries(f"POINT ({ORIGIN[0]} {ORIGIN[1]})", CRS, CRS)
    assert vn.geometry.iloc[0].equals(shapely.Point(ORIGIN))
    geojson = '{"type": "Point", "coordinates": [105.5, 21.1]}'
    assert pasted_geometries(geojson, "EPSG:4326", CRS)["kind"].tolist() == ["Point"]
    with pytest.raises(ImportDataError, match="neither GeoJSON nor WKT"):
        pasted_geometries("not a shape", "EPSG:4326", CRS)


def test_change_overlay_draws_added_and_removed_features() -> None:
    plan = tiny_plan()
    after = evaluate(plan, Scenario.new("m").with_edit(
        MergePlots(id="e1", plot_codes=("A1", "A2"), new_code="A12")))
    changes = change_layer(plan, after)
    m = add_changes(folium.Map(tiles=None), changes, "vi")
    html = m.get_root().render()
    assert CHANGE_COLOURS["added"] in html and CHANGE_COLOURS["removed"] in html
    assert '"A12"' in html
    assert json.dumps(t("change_removed", "vi"))[1:-1] in html  # folium escapes non-ASCII
    table = changes_table(changes, "en")
    assert list(table.columns) == ["Layer", "Feature", "Change", "Columns changed"]
    assert set(table["Change"]) == {"Added", "Removed"}
