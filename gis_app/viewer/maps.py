"""Folium map builders: the province overview, one park, and vacant-land search results.

No Streamlit here, so the builders are tested on their rendered HTML. Every map:

- loads Leaflet from the app itself (:data:`LEAFLET_BASE`, files of the ``xstatic-leaflet``
  package served by :mod:`gis_app.viewer.assets`), never from a CDN;
- draws a local vector basemap (province boundary, communes, roads, rail) that needs no
  network; OpenStreetMap tiles are an optional layer, off by default;
- receives geometries simplified in metres in VN-2000 and then reprojected to WGS 84 through
  the pinned transformation (:func:`gis_app.model.crs.to_crs`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import Figure, MacroElement
from folium.plugins import DualMap
from jinja2 import Template

from .. import symbology
from ..formatting import integer, number, percent, trimmed
from ..i18n import t
from ..model.crs import to_crs
from ..model.plan import Plan
from .escape import html_fields, html_text
from .indicators import label

#: Where the map's Leaflet files are fetched from. Relative to the streamlit-folium iframe
#: (``/component/streamlit_folium.st_folium/index.html``), this is the component route that
#: :mod:`gis_app.viewer.assets` registers for the xstatic-leaflet folder.
LEAFLET_BASE = "../gis_app.viewer.assets.leaflet/"

#: Colours come from the shared palette so web map, map sheets and QGIS styles agree.
STATUS_COLOURS = symbology.PARK_STATUS_COLOURS
PLOT_STATUS_COLOURS = symbology.PLOT_STATUS_COLOURS
LAND_USE_COLOURS = symbology.LAND_USE_COLOURS
#: Occupancy class bounds (shares) of the legend; colours from symbology.occupancy_colour.
OCCUPANCY_BOUNDS: tuple[float, ...] = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0)
NO_DATA_COLOUR = symbology.occupancy_colour(None)
RESULT_COLOUR = "#1f78b4"
ROAD_COLOUR = symbology.CONTEXT_COLOURS["road"]
RAIL_COLOUR = symbology.CONTEXT_COLOURS["railway"]
COMMUNE_COLOUR = symbology.CONTEXT_COLOURS["communes"]
PROVINCE_COLOUR = symbology.CONTEXT_COLOURS["province_boundary"]
PLANT_COLOURS = symbology.PLANT_STATUS_COLOURS

#: Plots the province overview draws at most (every plot of a province, nationally 250,000,
#: would be tens of megabytes on a first visit; each park's page draws its own).
MAX_OVERVIEW_PLOTS = 5_000
#: Simplification tolerance (m) per layer: invisible at the zoom the layer is looked at.
SIMPLIFY_M = {"province": 50.0, "communes": 30.0, "roads": 10.0, "parks": 5.0, "plots": 0.5}


def occupancy_colour(share: pd.Series) -> pd.Series:
    """Colour of each occupancy share (NaN: :data:`NO_DATA_COLOUR`)."""
    return share.map(lambda v: symbology.occupancy_colour(None if pd.isna(v) else float(v)))


def occupancy_legend(lang: str) -> dict[str, str]:
    """Legend rows ``"20–40 %" -> colour`` of the occupancy classes, plus "no data"."""
    rows = {
        f"{lo * 100:.0f}–{hi * 100:.0f} %": symbology.occupancy_colour((lo + hi) / 2)
        for lo, hi in zip(OCCUPANCY_BOUNDS[:-1], OCCUPANCY_BOUNDS[1:], strict=True)
    }
    rows[t("no_data", lang)] = NO_DATA_COLOUR
    return rows


def for_display(frame: gpd.GeoDataFrame, projected_crs: object, tolerance_m: float,
                columns: list[str] | None = None, decimals: int = 6) -> gpd.GeoDataFrame:
    """``frame`` simplified by ``tolerance_m`` metres in ``projected_crs``, then in WGS 84
    with ``decimals`` decimals of a degree (6: ~0.1 m, 5: ~1 m).

    Only ``columns`` are kept (dates and other non-JSON values never reach the page).
    """
    keep = [c for c in (columns or []) if c in frame.columns]
    out = gpd.GeoDataFrame(frame[keep].copy(), geometry=frame.geometry.values, crs=frame.crs)
    out = to_crs(out, str(projected_crs), what="map layer")
    out = out.set_geometry(out.geometry.simplify(tolerance_m, preserve_topology=True))
    out = out[~out.geometry.is_empty & out.geometry.notna()]
    out = to_crs(out, "EPSG:4326", what="map layer")
    # Six decimals of a degree (~0.1 m) halve the page's size at no visible cost.
    return out.set_geometry(
        shapely.transform(out.geometry.values, lambda c: c.round(decimals)), crs="EPSG:4326")


class Legend(MacroElement):
    """A legend box (a Leaflet control) listing colours and their labels."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function (map) {
            var div = L.DomUtil.create("div", "kcn-legend");
            div.style.cssText = "background:white;padding:6px 8px;font:12px sans-serif;" +
                                "border-radius:4px;box-shadow:0 0 4px rgba(0,0,0,.3)";
            div.innerHTML = {{ this.html|tojson }};
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, title: str, items: Mapping[str, str]) -> None:
        super().__init__()
        self._name = "Legend"
        rows = "".join(
            f'<div><span style="display:inline-block;width:12px;height:12px;'
            f'background:{html_text(colour)};border:1px solid #555;margin-right:4px"></span>'
            f"{html_text(text)}</div>"
            for text, colour in items.items()
        )
        self.html = f"<b>{html_text(title)}</b>{rows}"


def new_map(lang: str, *, leaflet_base: str = LEAFLET_BASE, tiles: bool = True,
            canvas: bool = False) -> folium.Map:
    """An empty map with local Leaflet assets and (optionally) OSM tiles as an unchecked layer."""
    m = folium.Map(location=[21.0, 105.8], zoom_start=10, tiles=None, control_scale=True,
                   prefer_canvas=canvas)
    # Instance attributes, not add_js_link: folium keeps these lists on the class, and
    # mutating them would change every other map in the process.
    m.default_js = [("leaflet", leaflet_base + "leaflet.js")]
    m.default_css = [("leaflet_css", leaflet_base + "leaflet.css")]
    if tiles:
        folium.TileLayer("OpenStreetMap", name=t("layer_tiles", lang), overlay=True, show=False,
                         control=True).add_to(m)
    return m


def add_layer(m: folium.Map, layer: folium.map.Layer) -> folium.map.Layer:
    """Add ``layer`` to a finished map (one that already has its layer control).

    The layer goes in before the control: the control lists every layer of the map, and its
    script, run in the order the children were added, would otherwise name a layer whose
    variable is not assigned yet (Leaflet then fails on ``undefined.setZIndex`` and draws
    nothing, and streamlit-folium never gives the frame a height).
    """
    controls = [i for i, child in enumerate(m._children.values())
                if isinstance(child, folium.LayerControl)]
    m.add_child(layer, index=controls[0] if controls else None)
    return layer


#: Basemap layers: key -> (text key of the layer name, Leaflet style).
BASEMAP_STYLES: dict[str, tuple[str, dict[str, object]]] = {
    "communes": ("layer_communes", {"color": COMMUNE_COLOUR, "weight": 0.6, "fill": False}),
    "province_boundary": ("layer_province", {"color": PROVINCE_COLOUR, "weight": 2.5,
                                              "fill": False}),
    "road": ("layer_roads", {"color": ROAD_COLOUR, "weight": 2}),
    "railway": ("layer_rail", {"color": RAIL_COLOUR, "weight": 2, "dashArray": "6 4"}),
}


def prepare_basemap(context: Mapping[str, gpd.GeoDataFrame],
                    crs: object) -> dict[str, gpd.GeoDataFrame]:
    """The context layers made ready for display once (simplified, WGS 84, geometry only).

    The viewer caches the result per file, so the heaviest part of every map (communes)
    is not reprojected on each rerun.
    """
    out: dict[str, gpd.GeoDataFrame] = {}
    # Simplified by 10 m or more, these layers lose nothing at 5 decimals (~1 m): every map
    # of every page carries them, so their size is most of a first visit's.
    for name, tolerance in (("communes", SIMPLIFY_M["communes"]),
                            ("province_boundary", SIMPLIFY_M["province"])):
        if name in context and not context[name].empty:
            out[name] = for_display(context[name], crs, tolerance, decimals=5)
    roads_rail = context.get("roads_rail")
    if roads_rail is not None and not roads_rail.empty and "kind" in roads_rail:
        for kind in ("road", "railway"):
            lines = roads_rail[roads_rail["kind"].astype("string") == kind]
            if not lines.empty:
                out[kind] = for_display(lines, crs, SIMPLIFY_M["roads"], decimals=5)
    return out


def as_basemap(layers: Mapping[str, gpd.GeoDataFrame],
               crs: object) -> Mapping[str, gpd.GeoDataFrame]:
    """``layers`` as a prepared basemap: returned as they are when already prepared (WGS 84,
    roads and rail split), else prepared now from the file's context layers."""
    prepared = "roads_rail" not in layers and all(
        frame.crs is not None and frame.crs.to_epsg() == 4326 for frame in layers.values())
    return layers if prepared else prepare_basemap(layers, crs)


def add_basemap(m: folium.Map, basemap: Mapping[str, gpd.GeoDataFrame], lang: str) -> None:
    """The local vector basemap (communes, province boundary, national roads, rail)."""
    for key, (text_key, style) in BASEMAP_STYLES.items():
        if key in basemap and not basemap[key].empty:
            folium.GeoJson(basemap[key], name=t(text_key, lang),
                           style_function=lambda _, s=style: s).add_to(m)


def _fit(m: folium.Map, frame: gpd.GeoDataFrame) -> None:
    if not frame.empty:
        x0, y0, x1, y1 = frame.total_bounds
        m.fit_bounds([[y0, x0], [y1, x1]])


def _plants_layer(plants: gpd.GeoDataFrame, crs: object, lang: str) -> folium.GeoJson:
    """Wastewater plants as circle markers.

    A GeoJson layer with a circle marker and a GeoJsonPopup: no icon font and no jQuery
    (folium's HTML ``Popup`` needs ``$``), so nothing has to come from a CDN.
    """
    shown = for_display(plants, crs, 0.0, ["plant_id", "name_vi", "design_capacity_m3_day",
                                            "current_load_m3_day", "status"])
    shown["status_label"] = [label(str(v), lang) for v in shown["status"]]
    shown["colour"] = shown["status"].map(PLANT_COLOURS).fillna(NO_DATA_COLOUR)
    for column in ("design_capacity_m3_day", "current_load_m3_day"):
        shown[column] = as_text(shown[column], integer, lang)
    shown = html_fields(shown, ["name_vi", "status_label", "design_capacity_m3_day",
                                "current_load_m3_day"])
    return folium.GeoJson(
        shown, name=t("layer_plants", lang),
        marker=folium.CircleMarker(radius=7, color="#08306b", weight=1.5, fill=True,
                                   fill_opacity=0.9),
        style_function=lambda f: {"fillColor": f["properties"]["colour"]},
        tooltip=folium.GeoJsonTooltip(fields=["name_vi"], labels=False),
        popup=folium.GeoJsonPopup(
            fields=["name_vi", "status_label", "design_capacity_m3_day", "current_load_m3_day"],
            aliases=_aliases(t("layer_plants", lang), label("status", lang),
                             label("design_capacity_m3_day", lang),
                             label("current_load_m3_day", lang)),
        ),
    )


def as_text(values: pd.Series, write: Callable[[object, str], str], lang: str) -> list[str]:
    """``values`` as a popup shows them: written by ``write`` (a :mod:`gis_app.formatting`
    function) in ``lang``, so a popup reads ``1,14`` in Vietnamese as the tables beside the map
    do (a number left to folium prints as JavaScript does, ``1.14``)."""
    return [write(v, lang) for v in values]


def _aliases(*names: str) -> list[str]:
    """Popup headers, HTML-escaped like the values (folium puts both into ``innerHTML``)."""
    return [html_text(n) for n in names]


def province_map(plan: Plan, indicators: pd.DataFrame, basemap: Mapping[str, gpd.GeoDataFrame],
                 *, colour_by: str = "occupancy", lang: str = "vi", plots: bool = False,
                 leaflet_base: str = LEAFLET_BASE) -> folium.Map:
    """All parks coloured by occupancy or status, their plants, over the local basemap.

    ``indicators`` is the park table (index ``park_code``, columns ``occupancy_share`` and
    ``status``); parks not in it (filtered out) are not drawn. ``plots`` adds every plot of
    the parks drawn, coloured by status (a whole province: simplified, drawn on a canvas).
    """
    # Thousands of plots draw faster on one canvas than as thousands of SVG elements.
    m = new_map(lang, leaflet_base=leaflet_base, canvas=plots)
    add_basemap(m, as_basemap(basemap, plan.crs), lang)
    parks = plan.parks[plan.parks["park_code"].isin(indicators.index)]
    ind = indicators.reindex(parks["park_code"])
    name_col = "name_vi" if lang == "vi" else "name_en"
    shown = for_display(parks, plan.crs, SIMPLIFY_M["parks"], ["park_code", name_col])
    shown["status_label"] = [label(str(s), lang) for s in ind["status"]]
    shown["occupancy"] = [percent(v, lang, 0) for v in ind["occupancy_share"]]
    if colour_by == "status":
        shown["colour"] = ind["status"].map(STATUS_COLOURS).fillna(NO_DATA_COLOUR).to_numpy()
        legend = {label(k, lang): c for k, c in STATUS_COLOURS.items()}
        title = t("by_status", lang)
    else:
        shown["colour"] = occupancy_colour(ind["occupancy_share"].astype("float64")).to_numpy()
        legend = occupancy_legend(lang)
        title = t("by_occupancy", lang)
    fields = [name_col, "park_code", "status_label", "occupancy"]
    aliases = _aliases(label("name_en" if lang == "en" else "name_vi", lang),
                       label("park_code", lang), label("status", lang),
                       label("occupancy_share", lang))
    folium.GeoJson(
        html_fields(shown, fields), name=t("layer_parks", lang),
        style_function=lambda f: {"color": "#333", "weight": 1,
                                  "fillColor": f["properties"]["colour"], "fillOpacity": 0.75},
        highlight_function=lambda _: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=[name_col], labels=False),
        popup=folium.GeoJsonPopup(fields=fields, aliases=aliases),
    ).add_to(m)
    if plots:
        chosen = plan.plots[plan.plots["park_code"].isin(indicators.index)]
        layer, plot_legend = plots_layer(chosen, plan.crs, lang=lang)
        if layer is not None:
            layer.add_to(m)
            legend.update(plot_legend)
    plants = plan.wastewater_plants[plan.wastewater_plants["park_code"].isin(indicators.index)]
    if not plants.empty:
        _plants_layer(plants, plan.crs, lang).add_to(m)
    Legend(title, legend).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _fit(m, shown)
    return m


def plots_layer(plots: gpd.GeoDataFrame, crs: object, *, colour_by: str = "status",
                lang: str = "vi", tenants: pd.DataFrame | None = None,
                ) -> tuple[folium.GeoJson | None, dict[str, str]]:
    """Plots coloured by ``status`` or ``land_use`` with popups, and the legend rows used.

    ``tenants`` (officer mode only) is a frame ``plot_code -> investor``; when given, each
    plot's popup names its tenant. Public maps never receive it.
    """
    columns = ["plot_code", "land_use", "status", "area_ha", "ready_built_factory"]
    shown = for_display(plots, crs, SIMPLIFY_M["plots"], columns)
    palette = PLOT_STATUS_COLOURS if colour_by == "status" else LAND_USE_COLOURS
    key = "status" if colour_by == "status" else "land_use"
    legend = {label(k, lang): palette[k] for k in palette if k in set(shown[key])}
    if shown.empty:
        return None, legend
    shown["ready_built_factory"] = shown["ready_built_factory"].astype(bool)
    shown["status_label"] = [label(str(v), lang) for v in shown["status"]]
    shown["land_use_label"] = [label(str(v), lang) for v in shown["land_use"]]
    shown["area_ha"] = as_text(shown["area_ha"], lambda v, lg: number(v, lg, 2), lang)
    fields = ["plot_code", "area_ha", "land_use_label", "status_label"]
    aliases = _aliases(*(label(k, lang) for k in ("plot_code", "area_ha", "land_use", "status")))
    if tenants is not None:
        shown["tenant"] = shown["plot_code"].map(tenants.set_index("plot_code")["investor"])
        shown["tenant"] = shown["tenant"].astype("string").fillna("–")
        fields.append("tenant")
        aliases.append(html_text(t("tenant", lang)))
    shown["colour"] = shown[key].map(palette).fillna(NO_DATA_COLOUR)
    shown = html_fields(shown, fields)
    layer = folium.GeoJson(
        shown, name=t("layer_plots", lang),
        style_function=lambda f: {"color": "#333", "weight": 0.8,
                                  "fillColor": f["properties"]["colour"], "fillOpacity": 0.7},
        highlight_function=lambda _: {"weight": 3},
        tooltip=folium.GeoJsonTooltip(fields=["plot_code"], labels=False),
        popup=folium.GeoJsonPopup(fields=fields, aliases=aliases),
    )
    return layer, legend


def park_map(plan: Plan, park_code: str, basemap: Mapping[str, gpd.GeoDataFrame], *,
             colour_by: str = "status", lang: str = "vi", tenants: pd.DataFrame | None = None,
             leaflet_base: str = LEAFLET_BASE) -> folium.Map:
    """One park: its zones, plots coloured by status or land use, and its wastewater plant.

    ``tenants`` as in :func:`plots_layer` (officer mode only).
    """
    m = new_map(lang, leaflet_base=leaflet_base)
    add_basemap(m, as_basemap(basemap, plan.crs), lang)
    zones = plan.zones[plan.zones["park_code"] == park_code]
    if not zones.empty:
        shown_zones = for_display(zones, plan.crs, SIMPLIFY_M["plots"], ["zone_id", "land_use"])
        shown_zones["land_use_label"] = [label(str(v), lang) for v in shown_zones["land_use"]]
        folium.GeoJson(
            html_fields(shown_zones, ["land_use_label"]), name=t("layer_zones", lang), show=False,
            style_function=lambda f: {"color": LAND_USE_COLOURS.get(f["properties"]["land_use"],
                                                                    "#999"),
                                      "weight": 1, "dashArray": "4 3", "fillOpacity": 0.15},
            tooltip=folium.GeoJsonTooltip(fields=["land_use_label"], labels=False),
        ).add_to(m)
    plots = plan.plots[plan.plots["park_code"] == park_code]
    layer, legend = plots_layer(plots, plan.crs, colour_by=colour_by, lang=lang, tenants=tenants)
    if layer is not None:
        layer.add_to(m)
    plants = plan.wastewater_plants[plan.wastewater_plants["park_code"] == park_code]
    if not plants.empty:
        _plants_layer(plants, plan.crs, lang).add_to(m)
    Legend(t("by_status" if colour_by == "status" else "by_land_use", lang), legend).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    park = plan.parks[plan.parks["park_code"] == park_code]
    _fit(m, for_display(park if not park.empty else plots, plan.crs, SIMPLIFY_M["parks"]))
    return m


def sites_map(plan: Plan, sites: gpd.GeoDataFrame, basemap: Mapping[str, gpd.GeoDataFrame], *,
              lang: str = "vi", leaflet_base: str = LEAFLET_BASE) -> folium.Map:
    """Search results (plots and groups) over the parks' outlines and the local basemap."""
    m = new_map(lang, leaflet_base=leaflet_base)
    add_basemap(m, as_basemap(basemap, plan.crs), lang)
    name_col = "name_vi" if lang == "vi" else "name_en"
    parks = for_display(plan.parks, plan.crs, SIMPLIFY_M["parks"], ["park_code", name_col])
    folium.GeoJson(
        html_fields(parks, [name_col]), name=t("layer_parks", lang),
        style_function=lambda _: {"color": "#555", "weight": 1, "fillOpacity": 0.05},
        tooltip=folium.GeoJsonTooltip(fields=[name_col], labels=False),
    ).add_to(m)
    why = "why_vi" if lang == "vi" else "why_en"
    shown = for_display(sites, plan.crs, SIMPLIFY_M["plots"],
                        ["site_id", "plot_codes", "area_ha", "score", why])
    shown["area_ha"] = as_text(shown["area_ha"], lambda v, lg: number(v, lg, 2), lang)
    shown["score"] = as_text(shown["score"], trimmed, lang)
    if not shown.empty:
        folium.GeoJson(
            html_fields(shown, ["plot_codes", "area_ha", "score", why]),
            name=t("layer_results", lang),
            style_function=lambda _: {"color": RESULT_COLOUR, "weight": 2,
                                      "fillColor": RESULT_COLOUR, "fillOpacity": 0.5},
            tooltip=folium.GeoJsonTooltip(fields=["plot_codes"], labels=False),
            popup=folium.GeoJsonPopup(
                fields=["plot_codes", "area_ha", "score", why],
                aliases=_aliases(label("plot_codes", lang), label("area_ha", lang),
                                 t("search_score", lang), t("why", lang)),
            ),
        ).add_to(m)
    Legend(t("legend", lang), {t("layer_results", lang): RESULT_COLOUR}).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    _fit(m, shown if not shown.empty else parks)
    return m


class SyncedMaps(DualMap):
    """Two finished maps side by side whose views follow each other (pan and zoom).

    folium's ``DualMap`` builds its own two maps and syncs them with Leaflet.Sync from a CDN;
    this one takes maps already built (``park_map``) and syncs them with a few lines of its
    own, so nothing comes from the network. streamlit-folium draws a ``DualMap`` as two maps
    in one frame, half its width each. Both start at the right map's view.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function (a, b) {
            var moving = false;
            function follow(source, target) {
                source.on("move", function () {
                    if (moving) { return; }
                    moving = true;
                    target.setView(source.getCenter(), source.getZoom(), {animate: false});
                    moving = false;
                });
            }
            follow(a, b);
            follow(b, a);
            a.setView(b.getCenter(), b.getZoom(), {animate: false});
        })({{ this.m1.get_name() }}, {{ this.m2.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, left: folium.Map, right: folium.Map) -> None:
        MacroElement.__init__(self)  # not DualMap's: it would build two new maps
        self._name = "SyncedMaps"
        self.default_js = []  # instance attribute: the class's points at a CDN
        self.m1, self.m2 = left, right
        figure = Figure()
        figure.add_child(left)
        figure.add_child(right)
        figure.add_child(self)  # last, as DualMap does: its script needs both maps
        self.children_for_m2: list = []
        self.children_for_m2_copied: list = []
