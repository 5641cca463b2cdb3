"""QGIS styles for each layer, stored in the GeoPackage's ``layer_styles`` table.

QGIS opens a layer with the style marked ``useAsDefault`` in that table, so officers who open
the file in QGIS see the same symbology as the web viewer and the map sheets
(:mod:`gis_app.symbology`).
"""

from __future__ import annotations

from datetime import UTC, datetime
from xml.sax.saxutils import escape

import pandas as pd

from .. import symbology
from ..i18n import label as code_label
from ..model.schema import GEOMETRY_COLUMN

#: layer -> (field to classify by, colours per code, geometry kind)
CATEGORIZED: dict[str, tuple[str, dict[str, str], str]] = {
    "parks": ("status", symbology.PARK_STATUS_COLOURS, "fill"),
    "zones": ("land_use", symbology.LAND_USE_COLOURS, "fill"),
    "plots": ("status", symbology.PLOT_STATUS_COLOURS, "fill"),
    "wastewater_plants": ("status", symbology.PLANT_STATUS_COLOURS, "marker"),
    "roads_rail": ("kind", {"road": symbology.CONTEXT_COLOURS["road"],
                            "railway": symbology.CONTEXT_COLOURS["railway"]}, "line"),
}
#: layer -> (colour, geometry kind) for single-symbol layers
SINGLE: dict[str, tuple[str, str]] = {
    "province_boundary": (symbology.CONTEXT_COLOURS["province_boundary"], "outline"),
    "communes": (symbology.CONTEXT_COLOURS["communes"], "outline"),
    "rivers": (symbology.CONTEXT_COLOURS["rivers"], "line"),
    "park_labels": ("#000000", "marker"),
}


def _rgba(hex_colour: str, alpha: int = 255) -> str:
    h = hex_colour.lstrip("#")
    return f"{int(h[0:2], 16)},{int(h[2:4], 16)},{int(h[4:6], 16)},{alpha}"


def _symbol(name: str, colour: str, kind: str) -> str:
    if kind == "marker":
        layer = (f'<layer class="SimpleMarker"><Option type="Map">'
                 f'<Option name="color" value="{_rgba(colour)}" type="QString"/>'
                 f'<Option name="size" value="3" type="QString"/>'
                 f'<Option name="name" value="circle" type="QString"/></Option></layer>')
        return f'<symbol name="{name}" type="marker" alpha="1">{layer}</symbol>'
    if kind == "line":
        layer = (f'<layer class="SimpleLine"><Option type="Map">'
                 f'<Option name="line_color" value="{_rgba(colour)}" type="QString"/>'
                 f'<Option name="line_width" value="0.6" type="QString"/></Option></layer>')
        return f'<symbol name="{name}" type="line" alpha="1">{layer}</symbol>'
    fill_alpha = 0 if kind == "outline" else 200
    layer = (f'<layer class="SimpleFill"><Option type="Map">'
             f'<Option name="color" value="{_rgba(colour, fill_alpha)}" type="QString"/>'
             f'<Option name="outline_color" value="{_rgba("#333333")}" type="QString"/>'
             f'<Option name="outline_width" value="0.2" type="QString"/>'
             f'<Option name="style" value="{"no" if kind == "outline" else "solid"}" '
             f'type="QString"/></Option></layer>')
    return f'<symbol name="{name}" type="fill" alpha="1">{layer}</symbol>'


def qml(layer: str, lang: str = "vi") -> str:
    """The QML document of ``layer``'s style (categorized by its code field where it has one)."""
    if layer in CATEGORIZED:
        field, colours, kind = CATEGORIZED[layer]
        cats = "".join(
            f'<category value="{escape(code)}" symbol="{i}" render="true" '
            f'label="{escape(code_label(code, lang))}"/>'
            for i, code in enumerate(colours)
        )
        symbols = "".join(_symbol(str(i), c, kind) for i, c in enumerate(colours.values()))
        renderer = (f'<renderer-v2 type="categorizedSymbol" attr="{field}">'
                    f"<categories>{cats}</categories><symbols>{symbols}</symbols></renderer-v2>")
    else:
        colour, kind = SINGLE[layer]
        renderer = (f'<renderer-v2 type="singleSymbol"><symbols>{_symbol("0", colour, kind)}'
                    f"</symbols></renderer-v2>")
    return ("<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>"
            f'<qgis version="3.28" styleCategories="Symbology">{renderer}</qgis>')


def styles_table(layers: list[str], geometry_column: str = GEOMETRY_COLUMN) -> pd.DataFrame:
    """Rows of QGIS's ``layer_styles`` table for the given layers.

    ``geometry_column`` must name the layers' geometry column as stored: QGIS looks a style
    up by table and geometry column, and draws with a single symbol when nothing matches.
    """
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    rows = [
        {
            "f_table_catalog": "",
            "f_table_schema": "",
            "f_table_name": layer,
            "f_geometry_column": geometry_column,
            "styleName": f"kcn-gis {layer}",
            "styleQML": qml(layer),
            "styleSLD": "",
            "useAsDefault": True,
            "description": "KCN-GIS default style",
            "owner": "kcn-gis",
            "ui": "",
            "update_time": pd.Timestamp(now),
        }
        for layer in layers
        if layer in CATEGORIZED or layer in SINGLE
    ]
    return pd.DataFrame(rows)
