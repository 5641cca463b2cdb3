"""A folium map shown through streamlit-folium's component, its arguments computed once.

``st_folium`` turns the whole map into HTML and JavaScript on every call (for a park of 400
plots about 0.7 s on the 2-core machine: the page render, the map render, the map's script),
so every rerun paid for it even when nothing on the map had changed, and a plot click waited
a second for its card. :func:`prepare` does that work once per map; the viewer caches the
result (:mod:`gis_app.viewer.cache`) and :func:`show` hands it to the same component on every
run. Given the same arguments under the same key, the browser keeps its map as it is (no
re-mount, the reader's view kept), and Streamlit sends the large arguments only once (its
message cache).

Only the returned objects a page asks for come back (by default the last clicked object): a
pan or a zoom changes none of them, so it never reruns the script.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd

#: What a click returns: the clicked feature's point (the card locates the plot under it).
CLICKS: tuple[str, ...] = ("last_object_clicked",)
#: URL parameter of a map's view (``lat,lon,zoom``): a copied link opens on the same view.
VIEW_PARAM = "map"
#: Outline of the features selected in a table (drawn over the map's own colours).
HIGHLIGHT_COLOUR = "#00e5ff"
#: CSS class of the highlighted features' paths (what a browser test counts).
HIGHLIGHT_CLASS = "kcn-highlight"

View = tuple[float, float, int]


@dataclass(frozen=True)
class PreparedMap:
    """The component arguments of one folium map (what ``st_folium`` computes per call)."""

    script: str
    header: str
    html: str
    map_id: str
    css_links: tuple[str, ...]
    js_links: tuple[str, ...]
    bounds: tuple[tuple[float | None, float | None], tuple[float | None, float | None]]
    #: Hash of the script: the map's identity, computed once.
    digest: str

    @property
    def size_bytes(self) -> int:
        """What the page receives for the map (its script dominates)."""
        return len(self.script.encode()) + len(self.header.encode()) + len(self.html.encode())


def _links(m: folium.Map) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The CSS and JavaScript files of the map and its plugins, in order, once each."""
    css: list[str] = []
    js: list[str] = []

    def walk(element: object) -> None:
        if isinstance(element, folium.elements.JSCSSMixin):
            css.extend(href for _, href in getattr(element, "default_css", []))
            js.extend(src for _, src in getattr(element, "default_js", []))
        for child in getattr(element, "_children", {}).values():
            walk(child)

    walk(m)
    return tuple(dict.fromkeys(css)), tuple(dict.fromkeys(js))


#: Script run after the map's own: a click on a feature reaches the app at once, not after
#: streamlit-folium's 250 ms pause (it waits for a move to settle; a click does not need to,
#: and those 250 ms were most of the quarter second a card may take). Each layer's click
#: (a popup stops it before it reaches the map) sends, once the click's handlers have all
#: run, the value streamlit-folium computes a moment later: the same object, so it sends
#: nothing again. The map's view (``lat,lon,zoom``, :func:`view_param`) goes along with the
#: click as ``view``. Sent at once only by maps that return the click alone.
CLICK_NOW_JS = """
(function (map) {
    var sent = null;
    function view() {
        var c = map.getCenter();
        return c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom();
    }
    function send() {
        var g = window.__GLOBAL_DATA__;
        var clicked = g && g.last_object_clicked;
        if (!clicked || clicked === sent || !window.Streamlit) { return; }
        sent = clicked;
        clicked.view = view();
        var keys = g.returned_objects || [];
        if (keys.length !== 1 || keys[0] !== "last_object_clicked") { return; }
        var data = {last_object_clicked: clicked};
        if (JSON.stringify(g.previous_data) !== JSON.stringify(data)) {
            g.previous_data = data;
            window.Streamlit.setComponentValue(data);
            window.kcnClicksSent = (window.kcnClicksSent || 0) + 1;  // (browser tests)
        }
    }
    function later() { window.setTimeout(send, 0); }
    for (var id in map._layers) {
        var layer = map._layers[id];
        if (layer && typeof layer.on === "function") { layer.on("click", later); }
    }
})(map_div);
"""

#: Script of a map whose view is part of its page's link (``?park=...&map=lat,lon,zoom``):
#: the browser keeps the address bar on the view itself, so a pan or a zoom reruns nothing
#: on the server (before, each move was returned to the app, rerunning the map's fragment
#: to write the link). Only while the address holds every parameter of this map's link
#: (``__LINK__``: the park's code, or an investor's search). The map opens at the view the
#: reader left it at when it is drawn anew in the same page (another colouring, another
#: language: the last view is kept on the page's window, as the app's runs write the
#: address back with the view they know of), else at the view the address names (a copied
#: link).
VIEW_LINK_JS = """
(function (map, link, param) {
    var host = null;
    try { host = window.parent; void host.location.href; } catch (e) { host = null; }
    if (!host || host === window) { return; }
    var mine = JSON.stringify(link);
    function view() {
        var c = map.getCenter();
        return c.lat.toFixed(5) + "," + c.lng.toFixed(5) + "," + map.getZoom();
    }
    function named(params) {
        for (var k in link) { if (params.get(k) !== link[k]) { return false; } }
        return true;
    }
    var start = new URLSearchParams(host.location.search);
    var left = host.kcnMapView;
    var seen = (left && left[0] === mine ? left[1] :
                named(start) ? start.get(param) || "" : "").split(",");
    var lat = parseFloat(seen[0]), lng = parseFloat(seen[1]), zoom = parseInt(seen[2], 10);
    function go() { map.setView([lat, lng], zoom, {animate: false}); }
    if (seen.length === 3 && isFinite(lat) && isFinite(lng) && isFinite(zoom) &&
            Math.abs(lat) <= 90 && Math.abs(lng) <= 180 && zoom >= 0 && zoom <= 22) {
        // The map's own fit to its park zooms animated, from the next frame on: its end
        // would undo a view set now, so the view is set once it has ended.
        window.requestAnimationFrame(function () {
            if (map._animatingZoom) { map.once("zoomend", go); } else { go(); }
        });
    }
    function write() {
        var url = new URL(host.location.href);
        if (!named(url.searchParams)) { return; }
        host.kcnMapView = [mine, view()];
        if (url.searchParams.get(param) === view()) { return; }
        url.searchParams.set(param, view());
        host.history.replaceState(host.history.state, "", url.pathname + url.search + url.hash);
    }
    map.on("moveend", write);
    // Each run of the app writes the address with the view it last heard of (a click's, a
    // link's): put the map's own back.
    window.setInterval(write, 500);
})(map_div, __LINK__, __PARAM__);
"""


def js_string(text: str) -> str:
    """``text`` as a JavaScript string literal that cannot end the script it stands in (a
    code from the file is data, never markup or code)."""
    return (json.dumps(text).replace("<", "\\u003c").replace(">", "\\u003e")
            .replace("&", "\\u0026").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def js_object(params: Mapping[str, str]) -> str:
    """``params`` as a JavaScript object literal of strings, each one :func:`js_string`."""
    return "{" + ", ".join(f"{js_string(k)}: {js_string(v)}" for k, v in params.items()) + "}"


def prepare(m: folium.Map, link: Mapping[str, str] | None = None) -> PreparedMap:
    """Render ``m`` once into the component's arguments (as ``st_folium`` would; the map is
    changed by it, so it is not drawn again afterwards).

    ``link`` (URL parameters, e.g. ``{"park": "BN06"}`` or an investor's search): the map
    keeps the page link's :data:`VIEW_PARAM` on its view while the address holds them all
    (:data:`VIEW_LINK_JS`).
    """
    import streamlit_folium as sf

    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m) + CLICK_NOW_JS
    if link is not None:
        script += (VIEW_LINK_JS.replace("__LINK__", js_object(link))
                   .replace("__PARAM__", js_string(VIEW_PARAM)))
    css, js = _links(m)
    bounds = m.get_bounds()
    return PreparedMap(script=script, header=header, html=html, map_id=sf.get_full_id(m),
                       css_links=css, js_links=js,
                       bounds=((bounds[0][0], bounds[0][1]), (bounds[1][0], bounds[1][1])),
                       digest=hashlib.sha256(script.encode()).hexdigest())


def _defaults(prepared: PreparedMap, returned: Sequence[str]) -> dict[str, object]:
    """The component's value before any interaction (``st_folium``'s defaults, filtered)."""
    (s, w), (n, e) = prepared.bounds
    every: dict[str, object] = {
        "last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
        "last_object_clicked_tooltip": None, "last_object_clicked_popup": None,
        "all_drawings": None, "last_active_drawing": None,
        "bounds": {"_southWest": {"lat": s, "lng": w}, "_northEast": {"lat": n, "lng": e}},
        "zoom": None, "last_circle_radius": None, "last_circle_polygon": None,
        "selected_layers": None, "selected_tags": None, "last_geocoder_result": None,
    }
    return {k: v for k, v in every.items() if k in returned}


def _component_key(prepared: PreparedMap, key: str) -> str:
    return hashlib.sha256((prepared.digest + key).encode()).hexdigest()


def current(prepared: PreparedMap, key: str) -> dict | None:
    """What the map shown by :func:`show` under ``key`` returned last (its click, its view),
    known before it is drawn on this run: a click can change what is drawn with it."""
    import streamlit as st

    value = st.session_state.get(_component_key(prepared, key))
    return value if isinstance(value, dict) else None


def show(prepared: PreparedMap, key: str, height: int = 520,
         returned: Sequence[str] = CLICKS, highlighted: str | None = None) -> dict | None:
    """Draw a prepared map at the container's width; returns the ``returned`` objects.

    The component's key is derived from the map's script and ``key`` (as ``st_folium``
    does), so a different map mounts anew and the same map stays mounted. No view is handed
    to the map: a map whose view is in its page's link keeps it there itself
    (:data:`VIEW_LINK_JS`). ``highlighted`` is a :func:`highlight` script, run when it
    changes.
    """
    import streamlit as st
    import streamlit_folium as sf

    digest = _component_key(prepared, key)

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(digest, {})

    return sf._component_func(
        script=prepared.script, header=prepared.header, html=prepared.html,
        id=prepared.map_id, key=digest, height=height, width=None,
        returned_objects=list(returned), default=_defaults(prepared, returned), zoom=None,
        center=None, feature_group=highlighted,
        return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(prepared.css_links), js_links=list(prepared.js_links),
        on_change=on_change, wrap_longitude=False)


def parse_view(text: str) -> View | None:
    """A :data:`VIEW_PARAM` value (``lat,lon,zoom``, WGS 84 degrees) as numbers; ``None``
    when it is not one (a hand-edited link just opens the map at its own view)."""
    parts = text.split(",")
    try:
        lat, lon, zoom = float(parts[0]), float(parts[1]), int(parts[2])
    except (ValueError, IndexError):
        return None
    if len(parts) != 3 or not (-90 <= lat <= 90 and -180 <= lon <= 180 and 0 <= zoom <= 22):
        return None
    return lat, lon, zoom


def view_param(view: View) -> str:
    """``view`` as the :data:`VIEW_PARAM` value (5 decimals: about a metre)."""
    return f"{view[0]:.5f},{view[1]:.5f},{view[2]}"


def clicked_view(clicked: Mapping[str, object] | None) -> View | None:
    """The view the map showed when the reader clicked (the ``view`` that
    :data:`CLICK_NOW_JS` puts on a click); ``None`` when the click carries none."""
    text = (clicked or {}).get("view")
    return parse_view(text) if isinstance(text, str) else None


def highlight(shapes: gpd.GeoDataFrame, fit: bool) -> str | None:
    """Script that draws ``shapes`` (WGS 84) highlighted over a shown map, replacing the last
    highlight, and (``fit``) zooms the map to them; ``None`` when there is nothing to draw.

    Handed to :func:`show` as ``highlight``: streamlit-folium runs it in the map's frame when
    it differs from the last one, on the map already drawn, so selecting rows neither
    re-mounts nor re-sends the map, and the reader's view is left alone between selections.
    Only geometry is passed (no names: nothing from the file reaches the script as text).
    """
    if shapes.empty:
        return None
    data = json.dumps(json.loads(shapes[[shapes.geometry.name]].to_json()),
                      separators=(",", ":"))
    style = json.dumps({"color": HIGHLIGHT_COLOUR, "weight": 4, "opacity": 1,
                        "fillColor": HIGHLIGHT_COLOUR, "fillOpacity": 0.25,
                        "className": HIGHLIGHT_CLASS})
    fit_js = ("map.fitBounds(layer.getBounds(), {maxZoom: 17, padding: [40, 40],"
              " animate: false});") if fit else ""
    return (f"(function (map) {{ var layer = L.geoJSON({data}, {{style: function () "
            f"{{ return {style}; }}, interactive: false}}).addTo(map);"
            f" window.feature_group = [layer]; {fit_js} }})(window.map);\n")
