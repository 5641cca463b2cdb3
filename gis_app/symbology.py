"""Colours and symbols shared by the viewer, the map sheets and the QGIS styles in each file.

One palette, so that a plot that is red on the web map is red on the printed sheet and in QGIS.
"""

from __future__ import annotations

PLOT_STATUS_COLOURS: dict[str, str] = {
    "leased": "#d7301f",
    "vacant": "#41ab5d",
    "reserved": "#fdae61",
    "not_cleared": "#bdbdbd",
}

LAND_USE_COLOURS: dict[str, str] = {
    "industrial": "#b2abd2",
    "warehouse_logistics": "#8073ac",
    "service_admin": "#f1a340",
    "green": "#a6d96a",
    "roads": "#f0f0f0",
    "technical_infrastructure": "#66bd63",
    "water": "#74add1",
}

PARK_STATUS_COLOURS: dict[str, str] = {
    "proposed": "#fee8c8",
    "approved": "#fdbb84",
    "established": "#fc8d59",
    "operating": "#b30000",
}

PLANT_STATUS_COLOURS: dict[str, str] = {
    "operating": "#2166ac",
    "under_construction": "#67a9cf",
    "planned": "#d1e5f0",
}

CONTEXT_COLOURS: dict[str, str] = {
    "province_boundary": "#333333",
    "communes": "#999999",
    "road": "#e08214",
    "railway": "#404040",
    "rivers": "#4393c3",
}


def occupancy_colour(share: float | None) -> str:
    """Five classes of occupancy (leased ÷ leasable), grey when it is undefined."""
    if share is None or share != share:  # NaN
        return "#cccccc"
    for limit, colour in ((0.2, "#ffffb2"), (0.4, "#fecc5c"), (0.6, "#fd8d3c"),
                          (0.8, "#f03b20"), (1.01, "#bd0026")):
        if share < limit:
            return colour
    return "#bd0026"
