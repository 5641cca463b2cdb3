"""The park page's plots table, map and address bar are linked (issue 16): rows chosen in the
table are drawn highlighted over the map, which zooms to them; a located code (plot, park code
or name, diacritics optional) opens its park, plot and card; the address bar carries the
park, the selected plots and the map view, and a copied link opens them again.

What the map receives is read from the component's own arguments (``feature_group`` is the
highlight script streamlit-folium runs in the map; ``center``/``zoom`` move the map); the
browser test (tests/e2e/test_linked_map_e2e.py) checks what is then drawn.
"""

from __future__ import annotations

import json

import geopandas as gpd
import pytest
import shapely
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, login, open_page

from gis_app.search.examples import write_example
from gis_app.storage.source import read_plan
from gis_app.testing.hostile import IMG, write_hostile_province
from gis_app.viewer import map_view
from gis_app.viewer.indicators import label
from gis_app.viewer.locate import Found, fold, locate


def _map_args(at: AppTest) -> dict:
    """The park map component's arguments on the last run."""
    (component,) = at.get("component_instance")
    return json.loads(component.proto.json_args)


def _highlighted(at: AppTest) -> int:
    """How many shapes the map's highlight script draws (0: no script)."""
    script = _map_args(at)["feature_group"]
    if not script:
        return 0
    data = script[script.index("L.geoJSON(") + len("L.geoJSON("):script.index(", {style")]
    return len(json.loads(data)["features"])


def _plots_grid(at: AppTest):  # noqa: ANN202
    return next(d for d in at.dataframe if label("plot_code", "vi") in d.value.columns
                or label("plot_code", "en") in d.value.columns)


def test_plots_table_reads_like_a_report_and_officers_see_tenants(app):
    open_page(app, "park")
    app.selectbox(key="park_code").set_value("P1").run()
    grid = _plots_grid(app).value
    assert list(grid.columns) == [label(c, "vi") for c in
                                  ("plot_code", "land_use", "status", "area_ha",
                                   "ready_built_factory")]
    assert list(grid[label("plot_code", "vi")]) == ["B1", "B2", "B3", "B4", "B5"]
    assert set(grid[label("area_ha", "vi")]) == {"1,00"}  # the Vietnamese decimal comma
    assert set(grid[label("status", "vi")]) == {label("vacant", "vi"), label("leased", "vi")}
    assert "Doanh nghiệp thuê" not in grid.columns  # the public sees no tenant
    login(app)
    grid = _plots_grid(app).value
    assert grid.set_index(label("plot_code", "vi")).loc["B5", "Doanh nghiệp thuê"] == \
        "Alpha Electronics"
    assert grid.set_index(label("plot_code", "vi")).loc["B1", "Doanh nghiệp thuê"] == "–"


def test_selected_rows_are_highlighted_and_zoomed_to(app):
    open_page(app, "park")
    app.selectbox(key="park_code").set_value("P1").run()
    assert _highlighted(app) == 0
    # The reader ticks rows B2 and B4 (what the browser sends: the rows' positions).
    app.session_state["park_plots_P1"] = {"selection": {"rows": [1, 3]}}
    app.run()
    assert not app.exception, app.exception
    assert _highlighted(app) == 2
    script = _map_args(app)["feature_group"]
    assert "fitBounds" in script and map_view.HIGHLIGHT_CLASS in script
    assert app.selectbox(key="park_plot").value == "B4"  # the card shows the row added last
    assert app.query_params["plot"] == ["B2", "B4"]
    # The card box emptied while rows are selected (by the reader, or by a rerun the browser
    # asked for before it showed the last one): the card shows a selected plot still.
    app.selectbox(key="park_plot").set_value(None).run()
    assert app.selectbox(key="park_plot").value == "B4" and _highlighted(app) == 2
    # Unticked, nothing is highlighted any more.
    app.session_state["park_plots_P1"] = {"selection": {"rows": []}}
    app.run()
    assert _highlighted(app) == 0 and "plot" not in app.query_params


def test_selection_survives_another_page_and_a_language_switch(app):
    open_page(app, "park")
    app.selectbox(key="park_code").set_value("P1").run()
    app.session_state["park_plots_P1"] = {"selection": {"rows": [1, 3]}}
    app.run()
    open_page(app, "vacant_land")  # the table is not drawn there: its widget state goes
    app.query_params.clear()  # as a browser's page change does
    open_page(app, "park")
    assert _highlighted(app) == 2 and app.query_params["plot"] == ["B2", "B4"]
    assert app.session_state["park_plots_P1"]["selection"]["rows"] == [1, 3]
    app.sidebar.radio(key="lang").set_value("en").run()
    assert _highlighted(app) == 2 and app.query_params["plot"] == ["B2", "B4"]


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_locate_a_plot_park_code_or_name(app, lang):
    open_page(app, "park")
    app.sidebar.radio(key="lang").set_value(lang).run()
    app.text_input(key="park_locate").input(" b5 ").run()  # any case, stray spaces
    assert not app.exception, app.exception
    assert app.selectbox(key="park_code").value == "P1"
    assert app.selectbox(key="park_plot").value == "B5"
    assert _highlighted(app) == 1 and "fitBounds" in _map_args(app)["feature_group"]
    assert app.session_state["park_plots_P1"]["selection"]["rows"] == [4]
    assert app.query_params["park"] == "P1" and app.query_params["plot"] == "B5"
    # A park's name, without diacritics and without "KCN": that park, nothing selected.
    app.text_input(key="park_locate").input("hai" if lang == "vi" else "park two").run()
    assert app.selectbox(key="park_code").value == "P2"
    assert not app.warning and _highlighted(app) == 0
    app.text_input(key="park_locate").input("p1").run()
    assert app.selectbox(key="park_code").value == "P1"


@pytest.mark.parametrize(("lang", "unknown", "several"), [
    ("vi", "Không tìm thấy lô đất hay KCN nào có mã hoặc tên “ZZ-9”.",
     "“KCN” khớp với nhiều KCN: KCN Một (P1), KCN Hai (P2). Hãy nhập tên đầy đủ hoặc mã KCN."),
    ("en", "No plot or park has the code or name “ZZ-9”.",
     "“park” matches several parks: Park One (P1), Park Two (P2). Type the full name or the "
     "park code."),
])
def test_locate_says_what_it_cannot_find(app, lang, unknown, several):
    open_page(app, "park")
    app.sidebar.radio(key="lang").set_value(lang).run()
    app.selectbox(key="park_code").set_value("P2").run()
    app.text_input(key="park_locate").input("ZZ-9").run()
    assert [w.value for w in app.warning] == [unknown]
    assert app.selectbox(key="park_code").value == "P2"  # nothing else moved
    app.text_input(key="park_locate").input("KCN" if lang == "vi" else "park").run()
    assert [w.value for w in app.warning] == [several]


def test_a_link_opens_its_park_plots_and_view(app):
    app.query_params["park"] = "P1"
    app.query_params["plot"] = ["B5", "B4"]
    app.query_params["map"] = "21.1,106.0,16"
    open_page(app, "park")
    assert app.selectbox(key="park_code").value == "P1"
    assert app.selectbox(key="park_plot").value == "B5"
    assert app.session_state["park_plots_P1"]["selection"]["rows"] == [4, 3]
    args = _map_args(app)
    # The map opens at the view the address names by itself (the app hands it no view: a
    # view handed over would move the map on every run that changes it).
    assert args["center"] is None and args["zoom"] is None
    assert 'map.setView([lat, lng], zoom' in args["script"]
    assert '(map_div, {"park": "P1"}, "map")' in args["script"]
    assert _highlighted(app) == 2
    assert "fitBounds" not in args["feature_group"]  # the link's own view, not the plots'
    assert app.query_params["map"] == "21.10000,106.00000,16"
    # Applied once: the reader's next choice is not overridden by the link still shown.
    app.selectbox(key="park_code").set_value("P2").run()
    assert app.selectbox(key="park_code").value == "P2"
    assert app.query_params["park"] == "P2" and "map" not in app.query_params


def test_pan_and_zoom_return_nothing_and_a_click_its_view(app):
    """The park map returns only what is clicked: a pan or a zoom changes nothing the app
    receives, so it reruns no script (the map keeps the link's view in the address bar
    itself); a click carries the view it was made at, which goes into the link."""
    open_page(app, "park")
    app.selectbox(key="park_code").set_value("P1").run()
    args = _map_args(app)
    assert args["returned_objects"] == ["last_object_clicked"]
    assert 'map.on("moveend", write)' in args["script"]
    assert map_view.clicked_view({"lat": 21.0, "lng": 106.0, "view": "21.00100,106.00200,17"}) \
        == (21.001, 106.002, 17)
    assert map_view.clicked_view({"lat": 21.0, "lng": 106.0}) is None
    assert map_view.clicked_view({"lat": 21.0, "lng": 106.0, "view": "a,b,c"}) is None


def test_a_link_with_unknown_codes_or_a_bad_view_opens_what_it_can(app):
    app.query_params["park"] = "P1"
    app.query_params["plot"] = ["B5", IMG]
    app.query_params["map"] = "north,east,far"
    open_page(app, "park")
    assert app.selectbox(key="park_code").value == "P1"
    assert app.session_state["park_plots_P1"]["selection"]["rows"] == [4]
    args = _map_args(app)
    assert args["center"] is None and args["zoom"] is None
    assert "fitBounds" in args["feature_group"]  # no view given: the plots' own extent


def test_hostile_codes_are_found_and_shown_as_text(tmp_path, monkeypatch, viewer_env):
    path = write_hostile_province(write_example(tmp_path / "example.gpkg"),
                                  tmp_path / "hostile.gpkg", park_codes=0)
    monkeypatch.setenv("KCN_GIS_FILES", str(path))
    plan = read_plan(path)
    code = str(plan.plots["plot_code"].iloc[1])
    assert "<" in code or "](" in code or code.startswith(("=", "+", "-", "@"))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    open_page(at, "park")
    at.text_input(key="park_locate").input(code).run()
    assert not at.exception, at.exception
    assert at.selectbox(key="park_plot").value == code
    script = _map_args(at)["feature_group"]
    assert code not in script and "<" not in script  # only coordinates reach the script
    assert code in list(_plots_grid(at).value[label("plot_code", "vi")])  # plain grid text
    at.text_input(key="park_locate").input(IMG).run()
    assert at.warning[0].value == ("Không tìm thấy lô đất hay KCN nào có mã hoặc tên "
                                   "“\\<img src=x onerror=alert(1)\\>”.")


def test_locate_folds_case_diacritics_and_generic_words():
    parks = gpd.GeoDataFrame({"park_code": ["BN03", "BN04", "BG03"],
                              "name_vi": ["KCN Yên Phong", "KCN Yên Phong mở rộng",
                                          "KCN Đình Trám"],
                              "name_en": ["Yen Phong Industrial Park",
                                          "Yen Phong mo rong Industrial Park",
                                          "Dinh Tram Industrial Park"]})
    plots = gpd.GeoDataFrame({"park_code": ["BG03"], "plot_code": ["BG03-A001"]},
                             geometry=[shapely.box(0, 0, 1, 1)])
    assert fold("  ĐÌNH   Trám ") == "dinh tram"
    assert locate(parks, plots, "bg03-a001") == (Found("BG03", "BG03-A001"),)
    assert locate(parks, plots, "bn04") == (Found("BN04"),)
    assert locate(parks, plots, "yen phong") == (Found("BN03"),)  # the whole name
    assert locate(parks, plots, "Yên Phong mở rộng") == (Found("BN04"),)
    assert locate(parks, plots, "dinh tram industrial park") == (Found("BG03"),)
    assert locate(parks, plots, "phong") == (Found("BN03"), Found("BN04"))  # several
    assert locate(parks, plots, "tram") == (Found("BG03"),)
    assert locate(parks, plots, "ram") == ()  # words, not letters
    assert locate(parks, plots, "   ") == ()


def test_view_parameter_round_trip_and_rejects():
    view = map_view.parse_view("21.26009,106.12544,15")
    assert view == (21.26009, 106.12544, 15)
    assert map_view.view_param(view) == "21.26009,106.12544,15"
    for bad in ("", "21,106", "21,106,15,1", "a,b,c", "91,106,15", "21,106,30"):
        assert map_view.parse_view(bad) is None, bad


def test_a_maps_link_is_data_in_its_script():
    """A map's link (a park code or an investor's search, from the file or the address bar)
    goes into the map's script as string literals that cannot end the script."""
    hostile = {"park": '</script><script>alert(1)</script>', "q\"": "a'\u2028b"}
    text = map_view.js_object(hostile)
    assert "</script" not in text and "\u2028" not in text
    assert json.loads(text) == hostile  # (a JavaScript object literal that is also JSON)


def test_highlight_script_carries_geometry_only():
    shapes = gpd.GeoDataFrame({"plot_code": [IMG]}, geometry=[shapely.box(106, 21, 106.01, 21.01)],
                              crs="EPSG:4326")
    script = map_view.highlight(shapes, fit=False)
    assert script is not None and IMG not in script and "fitBounds" not in script
    assert "fitBounds" in (map_view.highlight(shapes, fit=True) or "")
    assert map_view.highlight(shapes.iloc[:0], fit=True) is None


def test_vacant_results_rows_are_highlighted(app):
    app.query_params["min_ha"] = "0.5"
    open_page(app, "vacant_land")
    key = next(k for k in list(app.session_state) if k.startswith("vl_results_"))
    assert not _map_args(app)["feature_group"]
    app.session_state[key] = {"selection": {"rows": [0]}}
    app.run()
    assert not app.exception, app.exception
    assert _highlighted(app) == 1 and "fitBounds" in _map_args(app)["feature_group"]

