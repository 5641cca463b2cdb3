"""Serve Leaflet's JavaScript and CSS from the app itself (offline maps).

The files come from the ``xstatic-leaflet`` package installed with the app (never copied into
the repository). Declaring a Streamlit component whose ``path`` is that package's data folder
makes Streamlit's own server answer ``/component/gis_app.viewer.assets.leaflet/leaflet.js``;
the component is never rendered, it is only a file route. :data:`gis_app.viewer.maps.LEAFLET_BASE`
points the maps at it relative to the streamlit-folium iframe, so a ``--server.baseUrlPath``
still works.
"""

from __future__ import annotations

from pathlib import Path

import streamlit.components.v1 as components
import xstatic.pkg.leaflet as xstatic_leaflet

LEAFLET_DIR = Path(xstatic_leaflet.BASE_DIR)
COMPONENT_NAME = "leaflet"


def register_leaflet_route() -> None:
    """Register the file route (idempotent: Streamlit keeps one entry per component name)."""
    components.declare_component(COMPONENT_NAME, path=str(LEAFLET_DIR))
