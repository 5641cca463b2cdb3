"""Drawing helpers of the Scenarios page: local Leaflet.draw assets, drawn and pasted shapes
back in VN-2000, and the change overlay (checked on the rendered HTML)."""

from __future__ import annotations

import json
import re

import folium
import geopandas as gpd
import pytest
import shapely

from gis_app.errors import ImportDataError
from gis_app.i18n import t
from gis_app.model.crs import to_crs
from gis_app.scenarios import MergePlots, Scenario, evaluate
from gis_app.scenarios.compare import change_layer
from gis_app.testing import ORIGIN, tiny_plan
from gis_app.viewer.draw import DRAW_BASE, add_draw, drawn_geometries, pasted_geometries
from gis_app.viewer.scenario_ui import CHANGE_COLOURS, add_changes, changes_table

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
    assert json.dumps(t("scenario.change_removed", "vi"))[1:-1] in html  # folium escapes non-ASCII
    table = changes_table(changes, "en")
    assert list(table.columns) == ["Layer", "Feature", "Change", "Columns changed"]
    assert set(table["Change"]) == {"Added", "Removed"}


def _merged() -> tuple[object, object, gpd.GeoDataFrame]:
    plan = tiny_plan()
    after = evaluate(plan, Scenario.new("m").with_edit(
        MergePlots(id="e1", plot_codes=("A1", "A2"), new_code="A12")))
    return plan, after, change_layer(plan, after)


def _assigned_before_use(script: str) -> None:
    """Every layer a layer control lists is assigned earlier in ``script`` (else Leaflet
    fails on ``undefined.setZIndex`` and the map stays blank)."""
    controls = [m.start() for m in re.finditer(r"L\.control\.layers\(", script)]
    assert controls
    for at in controls:
        block = script[script.rindex("overlays", 0, at):at]
        for name in re.findall(r'" : (\w+),', block):
            assert re.search(rf"\b(var|let|const) {name} = ", script[:at]), name


def test_change_overlay_on_a_finished_park_map_comes_before_its_layer_control() -> None:
    from streamlit_folium import generate_leaflet_string

    from gis_app.viewer import maps

    _, after, changes = _merged()
    m = add_changes(maps.park_map(after, "P1", {}, lang="en"), changes, "en")
    layers = list(m._children.values())
    [control] = [i for i, c in enumerate(layers) if isinstance(c, folium.LayerControl)]
    [overlay] = [i for i, c in enumerate(layers) if isinstance(c, folium.GeoJson)
                 and c.layer_name == t("scenario.changes", "en")]
    assert overlay < control
    html = m.get_root().render()
    _assigned_before_use(html)
    _assigned_before_use(generate_leaflet_string(m))  # what streamlit-folium runs
    # The changes have their own legend, in the page's language.
    assert json.dumps(t("scenario.changes", "en"))[1:-1] in html
    assert "Added" in html and "Removed" in html


def test_change_style_stands_out_from_every_plot_fill() -> None:
    from gis_app import symbology
    from gis_app.viewer.scenario_ui import CHANGE_WEIGHT, change_style

    fills = {c.lower() for c in symbology.PLOT_STATUS_COLOURS.values()}
    for change in CHANGE_COLOURS:
        style = change_style(change)
        assert style["color"].lower() not in fills
        assert style["weight"] == CHANGE_WEIGHT and style["fill"] is False
    assert change_style("removed")["dashArray"] and not change_style("added")["dashArray"]


def test_synced_maps_pair_baseline_and_scenario_with_no_cdn() -> None:
    from streamlit_folium import generate_leaflet_string

    from gis_app.viewer import maps

    plan, after, changes = _merged()
    pair = maps.SyncedMaps(maps.park_map(plan, "P1", {}, lang="vi"),
                           add_changes(maps.park_map(after, "P1", {}, lang="vi"), changes, "vi"))
    html = pair._parent.render()
    srcs = re.findall(r'<script src="([^"]+)"', html)
    assert srcs == [maps.LEAFLET_BASE + "leaflet.js"]  # no Leaflet.Sync from a CDN
    script = generate_leaflet_string(pair)
    _assigned_before_use(script)
    # Both maps, and each follows the other's moves.
    assert "var map_div = L.map(" in script and "var map_div2 = L.map(" in script
    assert re.search(r"\}\)\(map_div, map_div2\);", script)
    assert script.count('source.on("move"') == 1 and "follow(a, b);" in script \
        and "follow(b, a);" in script
    assert '"A12"' in script.split("var map_div2 = L.map(")[1]  # changes on the scenario map
    assert '"A12"' not in script.split("var map_div2 = L.map(")[0]
