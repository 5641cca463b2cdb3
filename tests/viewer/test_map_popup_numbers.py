"""The map's popups write numbers as the tables beside the map do, in the reader's language.

folium puts a feature's properties into its popup as JavaScript prints them: a float ``1.14``
reads ``1.14`` in a Vietnamese popup while the plot card beside it reads ``1,14``. The builders
therefore hand folium text written by :mod:`gis_app.formatting` (and HTML-escaped).
"""

from __future__ import annotations

import copy
import json

import folium
import geopandas as gpd
import pytest
import shapely

from gis_app import formatting
from gis_app.search import SearchQuery, search
from gis_app.search.examples import CRS, example_plan
from gis_app.viewer import maps
from gis_app.viewer.indicators import park_indicators
from gis_app.viewer.scenario_ui import add_changes

AREA = 1234.567  # ha: a thousands separator and decimals
CAPACITY = 12000.0  # m³/day


@pytest.fixture(scope="module")
def plan():
    plan = copy.deepcopy(example_plan())
    plan.plots.loc[plan.plots.index[0], "area_ha"] = AREA
    plan.wastewater_plants["design_capacity_m3_day"] = CAPACITY
    plan.wastewater_plants["current_load_m3_day"] = CAPACITY / 3
    return plan


def _properties(m: folium.Map, name: str) -> list[dict]:
    """The properties of the features of ``m``'s GeoJSON layer called ``name``."""
    layers = [c for c in m._children.values()
              if isinstance(c, folium.GeoJson) and c.layer_name == name]
    assert len(layers) == 1, [getattr(c, "layer_name", None) for c in m._children.values()]
    return [f["properties"] for f in layers[0].data["features"]]


@pytest.mark.parametrize(("lang", "area", "capacity", "load"),
                         [("vi", "1.234,57", "12.000", "4.000"),
                          ("en", "1,234.57", "12,000", "4,000")])
def test_park_map_popups_write_areas_and_capacities_in_the_language(plan, lang, area,
                                                                    capacity, load):
    code = str(plan.plots["park_code"].iloc[0])
    m = maps.park_map(plan, code, {}, lang=lang)
    plots = _properties(m, maps.t("layer_plots", lang))
    first = next(p for p in plots if p["plot_code"] == plan.plots["plot_code"].iloc[0])
    assert first["area_ha"] == area
    assert all(isinstance(p["area_ha"], str) for p in plots)  # never a float for JS to print
    plants = _properties(m, maps.t("layer_plants", lang))
    assert plants and all(p["design_capacity_m3_day"] == capacity for p in plants)
    assert all(p["current_load_m3_day"] == load for p in plants)
    html = m.get_root().render()
    assert json.dumps(area) in html and json.dumps(AREA) not in html


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_province_map_popup_writes_occupancy_as_a_percentage_of_the_language(plan, lang):
    indicators = park_indicators(plan)
    m = maps.province_map(plan, indicators, {}, lang=lang)
    parks = _properties(m, maps.t("layer_parks", lang))
    by_code = {p["park_code"]: p["occupancy"] for p in parks}
    for code, share in indicators["occupancy_share"].items():
        assert by_code[code] == formatting.percent(share, lang, 0)
    assert any(v.endswith("%") for v in by_code.values())


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_sites_map_popup_writes_area_and_score_in_the_language(plan, lang):
    sites = search(plan, SearchQuery(min_area_ha=0.5))
    assert not sites.empty
    m = maps.sites_map(plan, sites, {}, lang=lang)
    shown = _properties(m, maps.t("layer_results", lang))
    expected = {str(r.plot_codes): (formatting.number(r.area_ha, lang, 2),
                                    formatting.trimmed(r.score, lang))
                for r in sites.itertuples()}
    for p in shown:
        assert (p["area_ha"], p["score"]) == expected[p["plot_codes"]]
    assert all(isinstance(p["area_ha"], str) and isinstance(p["score"], str) for p in shown)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_scenario_change_tooltip_names_changed_columns_by_label_and_escapes(plan, lang):
    changes = gpd.GeoDataFrame(
        {"layer": ["plots"], "feature_id": ["<b>B1</b>"], "change": ["changed"],
         "columns_changed": ["status,area_ha"]},
        geometry=[shapely.box(0, 0, 10, 10)], crs=CRS)
    changes = changes.set_geometry(changes.geometry.translate(550_000, 2_335_000))
    m = add_changes(folium.Map(), changes, lang)
    shown = _properties(m, maps.t("scenario.changes", lang))[0]
    assert shown["columns_changed"] == ", ".join(
        maps.label(c, lang) for c in ("status", "area_ha"))
    assert "area_ha" not in shown["columns_changed"]
    assert shown["feature_id"] == "&lt;b&gt;B1&lt;/b&gt;"
