"""The national overview: every loaded province file at once, one point per park.

The ministry looks at all provinces together; nationally that is about 450 parks and 250,000
plots. The map therefore never carries a plot, not even a park outline: each file is reduced
once (:func:`province_part`) to one point per park (its representative point, with its name,
status and occupancy) and its province boundary simplified by :data:`BOUNDARY_SIMPLIFY_M`, so
the map's size grows with the number of parks and provinces and not with the plots
(``benchmarks``: at most 1 MB for 450 parks over 34 files). The table by province is
:func:`gis_app.analytics.national.national_summary` (the one of ``kcn-gis summary`` over several
files), computed from each file's :func:`~gis_app.analytics.national.province_figures` kept in
its part; here it is only relabelled (the province's names, its registry key).

No Streamlit here, so the builders are tested on their output; the viewer caches a part per
file version (:func:`gis_app.viewer.cache.national_part`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import folium
import geopandas as gpd
import numpy as np
import pandas as pd

from ..analytics.national import TOTAL, ProvinceFigures, national_summary_of, province_figures
from ..errors import GisAppError
from ..formatting import percent
from ..i18n import t
from ..model.plan import Plan
from ..registry import file_province, registry
from ..storage import source as layers
from .escape import html_fields
from .indicators import label, park_indicators
from .maps import (
    LEAFLET_BASE,
    NO_DATA_COLOUR,
    PROVINCE_COLOUR,
    STATUS_COLOURS,
    Legend,
    _aliases,
    for_display,
    new_map,
    occupancy_colour,
    occupancy_legend,
)

#: Province boundaries are simplified by this much (m): at the zoom that shows a country or
#: a province, 300 m is under a pixel, and 34 boundaries stay a small part of the map.
BOUNDARY_SIMPLIFY_M = 300.0
#: Columns of a park's point (the popup's and the colours' data; nothing else is sent).
PARK_COLUMNS = ["park_code", "name_vi", "name_en", "status", "occupancy_share", "planned_ha"]
#: Columns of :func:`~gis_app.analytics.national.national_summary` the table shows (it sums
#: them; occupancy is summed leased over summed leasable land of established parks).
SUMMED = ["parks_count", "parks_operating_count", "planned_ha", "leasable_established_ha",
          "leased_established_ha"]
#: The table's columns, in order (headers from the catalogue via ``label``): the occupancy the
#: rows are ranked by next to the rank, not off the right edge of a narrow screen.
TABLE_COLUMNS = ["nat.rank", "province", "occupancy_share", *SUMMED]
#: Stroke of a park's point (its fill says occupancy or status).
PARK_STROKE = "#222222"


@dataclass(frozen=True)
class ProvincePart:
    """What the national overview needs of one province file (a few kB, whatever its size)."""

    source: str  #: the file or URL, as the sidebar lists it
    province: str  #: registry key the file names ("" when it names none)
    name_vi: str
    name_en: str
    parks: gpd.GeoDataFrame  #: WGS 84 points, columns :data:`PARK_COLUMNS`
    boundary: gpd.GeoDataFrame  #: WGS 84, simplified (empty when the file has none)
    figures: ProvinceFigures | None  #: the file's share of the national table (None: unread)
    error: str | None = field(default=None)  #: why the file could not be read (then empty)

    def name(self, lang: str) -> str:
        return self.name_vi if lang == "vi" else self.name_en


def _names(info: Mapping[str, str], plan_parks: pd.DataFrame, source: str) -> tuple[str, str, str]:
    """The province's key and names: the registry's for the key the file names, else the
    file's own ``dataset_info`` names, else its parks' province, else the file's name."""
    known = file_province(info)
    if known is not None:
        return known.key, known.name_vi, known.name_en
    vi = info.get("province_name_vi") or ""
    en = info.get("province_name_en") or ""
    if not vi and "province" in plan_parks and plan_parks["province"].notna().any():
        vi = ", ".join(sorted(plan_parks["province"].dropna().astype(str).unique()))
    if not vi:
        vi = Path(source).stem if not layers.is_database(source) else layers.short_name(source)
    return info.get("province", ""), vi, en or vi


def _empty_points() -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame({c: pd.Series(dtype="object") for c in PARK_COLUMNS},
                            geometry=gpd.GeoSeries([], crs="EPSG:4326"))


def province_part(source: str, plan: Plan, info: Mapping[str, str],
                  boundary: gpd.GeoDataFrame | None) -> ProvincePart:
    """One file reduced for the national overview: a point per park and the boundary."""
    parks = plan.parks
    key, name_vi, name_en = _names(info, parks, source)
    crs = parks.crs if parks.crs is not None else (
        boundary.crs if boundary is not None else None)
    table = park_indicators(plan)
    if parks.empty or crs is None:
        points = _empty_points()
    else:
        ind = table.reindex(parks["park_code"])
        frame = gpd.GeoDataFrame(
            {"park_code": parks["park_code"].astype(str).to_numpy(),
             "name_vi": parks["name_vi"].astype("string").to_numpy(),
             "name_en": parks["name_en"].astype("string").to_numpy(),
             "status": parks["status"].astype("string").to_numpy(),
             "occupancy_share": ind["occupancy_share"].astype("float64").to_numpy(),
             "planned_ha": ind["planned_ha"].astype("float64").to_numpy()},
            geometry=parks.geometry.representative_point().to_numpy(), crs=crs)
        points = for_display(frame, crs, 0.0, PARK_COLUMNS, decimals=5)
    if boundary is not None and not boundary.empty:
        outline = for_display(boundary, boundary.crs if crs is None else crs,
                              BOUNDARY_SIMPLIFY_M, [], decimals=4)
    else:
        outline = gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326"))
    # The province the file names has its row even without a park (a file fresh from
    # ``kcn-gis init`` reads as zeros); a file naming none is listed by its own name when empty.
    named = file_province(info) is not None or bool(info.get("province_name_vi"))
    figures = province_figures(plan, "province",
                               also=(name_vi,) if named or parks.empty else ())
    return ProvincePart(str(source), key, name_vi, name_en, points, outline, figures)


def read_part(source: str) -> ProvincePart:
    """:func:`province_part` of a file or database; a file that cannot be read becomes an
    empty part carrying the one-line reason (the other provinces still show)."""
    try:
        plan = layers.read_plan(source)
        info = layers.read_dataset_info(source)
        boundary = (layers.read_context(source, "province_boundary")
                    if "province_boundary" in layers.list_layers(source) else None)
        return province_part(source, plan, info, boundary)
    except GisAppError as exc:
        name = layers.short_name(source) if layers.is_database(source) else Path(source).name
        return ProvincePart(str(source), "", name, name, _empty_points(),
                            gpd.GeoDataFrame(geometry=gpd.GeoSeries([], crs="EPSG:4326")),
                            None, error=str(exc).splitlines()[0])


def _names_of(parts: Sequence[ProvincePart]) -> dict[str, tuple[str, str, str]]:
    """Vietnamese province name (the national table's row) -> (key, name_vi, name_en): the
    loaded files' own, then the registry's (a file may hold parks of another province)."""
    names = {p.name_vi: (p.key, p.name_vi, p.name_en) for p in registry().values()}
    names.update({p.name_vi: (p.province or p.name_vi, p.name_vi, p.name_en) for p in parts})
    return names


def national_table(parts: Sequence[ProvincePart], lang: str) -> pd.DataFrame:
    """The national table of the readable parts, as the viewer shows it: rank, province
    (named in ``lang``), :data:`SUMMED` and occupancy, then the totals row; a ``key`` column
    holds each province's registry key (``""`` for the totals).

    The figures are :func:`~gis_app.analytics.national.national_summary`'s, unchanged: one
    row per province (files naming the same province added up), ranked by occupancy (a
    province without established parks last and unranked), totals summed over every park and
    occupancy computed again from the summed land of established parks.
    """
    readable = [p for p in parts if p.figures is not None]
    if not readable:
        return pd.DataFrame(columns=["key", *TABLE_COLUMNS])
    summary = national_summary_of([p.figures for p in readable if p.figures is not None])
    names = _names_of(readable)
    rows = summary.drop(index=TOTAL)
    known = [names.get(str(g), (str(g), str(g), str(g))) for g in rows.index]
    out = pd.DataFrame({
        "key": [k for k, _, _ in known] + [""],
        "nat.rank": summary["rank"].to_numpy(),
        "province": [vi if lang == "vi" else en for _, vi, en in known]
        + [t("nat.total", lang)]})
    for column in [*SUMMED, "occupancy_share"]:
        out[column] = summary[column].to_numpy()
    for column in ("parks_count", "parks_operating_count", "nat.rank"):
        out[column] = out[column].astype("Int64")
    return out[["key", *TABLE_COLUMNS]]


def national_points(parts: Sequence[ProvincePart], lang: str) -> gpd.GeoDataFrame:
    """Every park's point with its province's name (the map's data, before colouring)."""
    frames = []
    for part in parts:
        if part.parks.empty:
            continue
        frame = part.parks.copy()
        frame["province"] = part.name(lang)
        frames.append(frame)
    if not frames:
        out = _empty_points()
        out["province"] = pd.Series(dtype="object")
        return out
    return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def national_map(parts: Sequence[ProvincePart], *, colour_by: str = "occupancy",
                 lang: str = "vi", leaflet_base: str = LEAFLET_BASE) -> folium.Map:
    """Province boundaries and one circle per park, coloured by occupancy or status."""
    m = new_map(lang, leaflet_base=leaflet_base)
    outlines = [p.boundary for p in parts if not p.boundary.empty]
    if outlines:
        folium.GeoJson(
            gpd.GeoDataFrame(pd.concat(outlines, ignore_index=True), crs="EPSG:4326"),
            name=t("layer_province", lang),
            style_function=lambda _: {"color": PROVINCE_COLOUR, "weight": 1.5, "fill": False},
        ).add_to(m)
    points = national_points(parts, lang)
    name_col = "name_vi" if lang == "vi" else "name_en"
    if colour_by == "status":
        legend = {label(k, lang): c for k, c in STATUS_COLOURS.items()}
        title = t("by_status", lang)
    else:
        legend = occupancy_legend(lang)
        title = t("by_occupancy", lang)
    if not points.empty:
        shown = gpd.GeoDataFrame(
            {"name": points[name_col].fillna(points["name_vi"]).astype(str),
             "province": points["province"].astype(str),
             "park_code": points["park_code"].astype(str),
             "status_label": [label(str(s), lang) for s in points["status"]],
             "occupancy": [percent(v, lang, 0) for v in points["occupancy_share"]]},
            geometry=points.geometry.values, crs="EPSG:4326")
        if colour_by == "status":
            shown["colour"] = points["status"].map(STATUS_COLOURS).fillna(
                NO_DATA_COLOUR).to_numpy()
        else:
            shown["colour"] = occupancy_colour(
                points["occupancy_share"].astype("float64")).to_numpy()
        fields = ["name", "province", "park_code", "status_label", "occupancy"]
        aliases = _aliases(label("name_en" if lang == "en" else "name_vi", lang),
                           label("province", lang), label("park_code", lang),
                           label("status", lang), label("occupancy_share", lang))
        folium.GeoJson(
            html_fields(shown, ["name", "province", "park_code", "status_label"]),
            name=t("layer_parks", lang),
            marker=folium.CircleMarker(radius=6, color=PARK_STROKE, weight=1, fill=True,
                                       fill_opacity=0.9),
            style_function=lambda f: {"fillColor": f["properties"]["colour"]},
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
            popup=folium.GeoJsonPopup(fields=fields, aliases=aliases),
        ).add_to(m)
    Legend(title, legend).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)
    # The view holds every loaded province, those without a park too.
    extent = gpd.GeoSeries(np.concatenate(
        [points.geometry.values, *(o.geometry.values for o in outlines)]))
    if len(extent):
        x0, y0, x1, y1 = extent.total_bounds
        m.fit_bounds([[y0, x0], [y1, x1]])
    return m


def park_at(parts: Sequence[ProvincePart], lat: float, lng: float,
            tolerance_deg: float = 1e-4) -> tuple[str, str] | None:
    """``(source, park_code)`` of the park whose point is at ``lat``/``lng`` (a map click on
    a circle returns the circle's own position); None when no park is that close."""
    best: tuple[float, str, str] | None = None
    for part in parts:
        if part.parks.empty:
            continue
        xs, ys = part.parks.geometry.x.to_numpy(), part.parks.geometry.y.to_numpy()
        d = np.hypot(xs - lng, ys - lat)
        i = int(np.argmin(d))
        if d[i] <= tolerance_deg and (best is None or d[i] < best[0]):
            best = (float(d[i]), part.source, str(part.parks["park_code"].iloc[i]))
    return None if best is None else (best[1], best[2])
