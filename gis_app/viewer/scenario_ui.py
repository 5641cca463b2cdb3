"""What the Scenarios page needs besides Streamlit: its words, the change overlay, tables.

No Streamlit here, so it is tested directly: the folium overlay of added/removed/changed
features, and the differences table with bilingual indicator labels (the words are the
catalogue's ``scenario.*`` messages, :mod:`gis_app.i18n`).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from ..i18n import t
from ..model.crs import to_crs
from .escape import html_fields, html_text

#: Outline colours of the change layer: none of them is a fill colour of the plots under it
#: (status: red, green, orange, grey), so a changed feature stands out on the scenario map.
CHANGE_COLOURS = {"added": "#1f5fff", "removed": "#111111", "changed": "#d01c8b"}
#: Outline width (px) of the change layer, heavier than the plots' 0.8 px.
CHANGE_WEIGHT = 4


def change_style(change: str) -> dict[str, object]:
    """Leaflet style of a feature ``added``, ``removed`` or ``changed``: a heavy outline in
    its colour, dashed when removed, no fill (the plot's own colour stays readable and
    clickable underneath)."""
    return {"color": CHANGE_COLOURS[change], "weight": CHANGE_WEIGHT, "opacity": 1,
            "fill": False, "dashArray": "8 5" if change == "removed" else None}


def change_legend(changes: gpd.GeoDataFrame, lang: str) -> dict[str, str]:
    """Legend rows ``label -> colour`` of the kinds of change drawn (spatial ones only)."""
    present = set(changes.loc[changes.geometry.notna() & ~changes.geometry.is_empty, "change"])
    return {t(f"scenario.change_{c}", lang): colour for c, colour in CHANGE_COLOURS.items()
            if c in present}


def add_changes(m: folium.Map, changes: gpd.GeoDataFrame, lang: str) -> folium.Map:
    """Outline the spatial features a scenario added, removed or changed on ``m``, with a
    legend of their colours.

    ``m`` may be a finished map (its layer control already added): the layer goes in before
    the control (:func:`gis_app.viewer.maps.add_layer`).
    """
    from .maps import Legend, add_layer

    spatial = changes.loc[changes.geometry.notna() & ~changes.geometry.is_empty]
    if spatial.empty:
        return m
    shown = to_crs(spatial, "EPSG:4326", what="change layer")
    shown = shown.assign(change_label=[t(f"scenario.change_{c}", lang) for c in shown["change"]])
    add_layer(m, folium.GeoJson(
        html_fields(shown[["layer", "feature_id", "change", "change_label", "columns_changed",
                           "geometry"]],
                    ["feature_id", "change_label", "columns_changed"]),
        name=t("scenario.changes", lang),
        style_function=lambda f: change_style(f["properties"]["change"]),
        marker=folium.CircleMarker(radius=8, weight=CHANGE_WEIGHT, fill=False),
        tooltip=folium.GeoJsonTooltip(fields=["feature_id", "change_label", "columns_changed"],
                                      aliases=[html_text(t(k, lang)) for k in
                                               ("scenario.col_feature", "scenario.col_change",
                                                "scenario.col_columns")]),
    ))
    Legend(t("scenario.changes", lang), change_legend(changes, lang)).add_to(m)
    return m


def differences_table(table: pd.DataFrame, lang: str, *, level: str = "province",
                      changed_only: bool = True) -> pd.DataFrame:
    """A :func:`gis_app.scenarios.compare.compare` table for display in ``lang``."""
    from ..i18n import label

    rows = table.loc[table["level"] == level]
    if changed_only:
        rows = rows.loc[rows["changed"]]
    from ..formatting import cell

    def shown(column: str) -> list[str]:  # a share as a percentage, counts and ha as numbers
        return [cell(v, str(i), lang) for v, i in zip(rows[column], rows["indicator"],
                                                        strict=True)]

    return pd.DataFrame({
        t("scenario.col_key", lang): rows["key"].to_numpy(),
        t("scenario.col_indicator", lang): [label(str(c), lang) for c in rows["indicator"]],
        t("scenario.col_a", lang): shown("a"),
        t("scenario.col_b", lang): shown("b"),
        t("scenario.col_difference", lang): shown("difference"),
    })


def changes_table(changes: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """The changed features: layers by title and changed columns by label, not by name."""
    from ..formatting import EMPTY, is_empty
    from ..model.schema import SCHEMAS
    from .indicators import label

    def layer(name: str) -> str:
        schema = SCHEMAS.get(name)
        return name if schema is None else (schema.title_vi if lang == "vi" else schema.title_en)

    def columns(value: object) -> str:
        if is_empty(value) or not str(value).strip():
            return EMPTY
        return ", ".join(label(c.strip(), lang) for c in str(value).split(",") if c.strip())

    return pd.DataFrame({
        t("scenario.col_layer", lang): [layer(str(n)) for n in changes["layer"]],
        t("scenario.col_feature", lang): changes["feature_id"].to_numpy(),
        t("scenario.col_change", lang): [t(f"scenario.change_{c}", lang)
                                         for c in changes["change"]],
        t("scenario.col_columns", lang): [columns(v) for v in changes["columns_changed"]],
    })
