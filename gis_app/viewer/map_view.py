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
from collections.abc import Sequence
from dataclasses import dataclass

import folium

#: What a click returns: the clicked feature's point (the card locates the plot under it).
CLICKS: tuple[str, ...] = ("last_object_clicked",)


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


def prepare(m: folium.Map) -> PreparedMap:
    """Render ``m`` once into the component's arguments (as ``st_folium`` would; the map is
    changed by it, so it is not drawn again afterwards)."""
    import streamlit_folium as sf

    m.get_root().render()
    m.render()
    html = sf._get_html(m)
    header = sf._get_header(m)
    script = sf._get_map_string(m)
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


def show(prepared: PreparedMap, key: str, height: int = 520,
         returned: Sequence[str] = CLICKS, center: Sequence[float] | None = None,
         zoom: int | None = None) -> dict | None:
    """Draw a prepared map at the container's width; returns the ``returned`` objects.

    The component's key is derived from the map's script and ``key`` (as ``st_folium``
    does), so a different map mounts anew and the same map stays mounted. ``center`` and
    ``zoom`` move the map when they change (``st_folium``'s arguments of the same names).
    """
    import streamlit as st
    import streamlit_folium as sf

    digest = hashlib.sha256((prepared.digest + key).encode()).hexdigest()

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(digest, {})

    return sf._component_func(
        script=prepared.script, header=prepared.header, html=prepared.html,
        id=prepared.map_id, key=digest, height=height, width=None,
        returned_objects=list(returned), default=_defaults(prepared, returned), zoom=zoom,
        center=list(center) if center is not None else None, feature_group=None,
        return_on_hover=False, layer_control=None, pixelated=False,
        css_links=list(prepared.css_links), js_links=list(prepared.js_links),
        on_change=on_change, wrap_longitude=False)
