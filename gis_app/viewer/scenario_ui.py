"""What the Scenarios page needs besides Streamlit: its words, the edit forms, the change
overlay, tables.

No Streamlit here, so it is tested directly: each edit's form described from the parameters
the edit declares (:func:`edit_form`) and the edit built back from the values entered
(:func:`edit_from_form`), the folium overlay of added/removed/changed features, and the
differences table with bilingual indicator labels (the words are the catalogue's
``scenario.*`` messages, :mod:`gis_app.i18n`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
import pandas as pd

from ..errors import ScenarioError
from ..i18n import has, t
from ..model.crs import to_crs
from ..model.plan import Plan
from ..scenarios import params as P
from ..scenarios.model import Edit, Subdivision
from .escape import html_fields, html_text

#: Outline colours of the change layer: none of them is a fill colour of the plots under it
#: (status: red, green, orange, grey), so a changed feature stands out on the scenario map.
CHANGE_COLOURS = {"added": "#1f5fff", "removed": "#111111", "changed": "#d01c8b"}
#: Outline width (px) of the change layer, heavier than the plots' 0.8 px.
CHANGE_WEIGHT = 4


def param_label(key: str, lang: str) -> str:
    """The label of a declared parameter (or of one of its options): the scenario page's
    message ``scenario.<key>`` where there is one, else the catalogue's shared ``<key>``
    (investor, sector, country, the codes stored in the data)."""
    return t(f"scenario.{key}", lang) if has(f"scenario.{key}") else t(key, lang)


# -- edit forms, from the parameters each edit declares -------------------------------------
#: Where the choices of a parameter of the park's features come from: (layer, key column).
_FEATURES = {P.PLOT: ("plots", "plot_code"), P.PLOTS: ("plots", "plot_code"),
             P.ZONES: ("zones", "zone_id"), P.PROJECTS: ("tenants", "project_id"),
             P.PLANT: ("wastewater_plants", "plant_id")}
#: Widget of each kind of parameter (a choice of more than three options is a selectbox).
_WIDGETS = {P.PARK: "fixed", P.PROVINCE: "fixed", P.PLOT: "selectbox", P.PLANT: "selectbox",
            P.PLOTS: "multiselect", P.ZONES: "multiselect", P.PROJECTS: "multiselect",
            P.TEXT: "text_input", P.TEXT_LIST: "text_input", P.NUMBER: "number_input",
            P.DATE: "date_input", P.FLAG: "checkbox", P.SUBDIVISION: "checkbox",
            P.CHOICE: "radio", P.GEOMETRY: "shape"}


@dataclass(frozen=True)
class FormInput:
    """One input of an edit's form, for one declared parameter.

    ``widget`` is a Streamlit widget name (``selectbox``, ``multiselect``, ``radio``,
    ``text_input``, ``number_input``, ``date_input``, ``checkbox``), ``fixed`` for a value
    the page gives (the park, the province: shown, not typed) or ``shape`` for a geometry
    taken from the drawing map. ``options`` and their texts ``shown`` are parallel; ``value``
    is what the input starts with.
    """

    param: P.Param
    widget: str
    key: str
    label: str
    options: tuple[Any, ...] = ()
    shown: tuple[str, ...] = ()
    value: Any = None
    disabled: bool = False


def _start(p: P.Param) -> Any:
    """What a form starts with: the declared suggestion, else the field's default."""
    if p.suggested is not P.MISSING:
        return p.suggested
    return None if p.default is P.MISSING else p.default


def _park_features(plan: Plan, p: P.Param, park: str) -> tuple[str, ...]:
    layer, key = _FEATURES[p.kind]
    frame = plan.layers()[layer]
    rows = frame.loc[frame["park_code"] == park]
    if p.where is not None:
        column, allowed = p.where
        rows = rows.loc[rows[column].isin(allowed)]
    return tuple(str(c) for c in rows[key])


def _option_text(p: P.Param, value: object, lang: str) -> str:
    from ..formatting import EMPTY
    from .indicators import label

    if value is None:
        return EMPTY  # not given: the feature keeps its current value
    if p.option_labels:
        return param_label(f"{p.option_labels}{value}", lang)
    return label(str(value), lang)


def _form_input(p: P.Param, operation: str, plan: Plan, park: str, edit_id: str,
                lang: str) -> FormInput:
    key = f"scn_{operation}_{p.label}"
    label = param_label(p.label, lang)
    widget, start = _WIDGETS[p.kind], _start(p)
    if p.kind == P.PARK:
        parks = plan.parks.loc[plan.parks["park_code"] == park]
        name = str(parks["name_vi" if lang == "vi" else "name_en"].iloc[0]) if len(parks) else ""
        shown = f"{name} ({park})" if name.strip() and name != "nan" else park
        # Keyed by the value too: a new park is a new widget, never a stale one.
        return FormInput(p, widget, f"{key}_{park}", label, (park,), (shown,), park, True)
    if p.kind == P.PROVINCE:
        value = str(plan.parks[p.column].iloc[0]) if len(plan.parks) else ""
        return FormInput(p, widget, f"{key}_{value}", label, (value,), (value,), value, True)
    if p.kind in _FEATURES:
        options = _park_features(plan, p, park)
        return FormInput(p, widget, key, label, options, options,
                         options[0] if options and widget == "selectbox" else None)
    if p.kind == P.CHOICE:
        # None: leave the feature's value as it is.
        choices: tuple[Any, ...] = (p.options if p.required or p.default is not None
                                    else (None, *p.options))
        return FormInput(p, widget if len(choices) <= 3 else "selectbox", key, label, choices,
                         tuple(_option_text(p, o, lang) for o in choices),
                         start if start in choices else choices[0])
    if p.kind == P.GEOMETRY:
        return FormInput(p, widget, key, t("scenario.shape_from_map", lang,
                                           kind=param_label(p.label, lang).capitalize()))
    if p.kind == P.SUBDIVISION:
        always = p.default is not None and p.default is not P.MISSING  # cannot be left out
        return FormInput(p, widget, key, label, value=always or start is not None,
                         disabled=always)
    if p.kind in (P.TEXT, P.TEXT_LIST):
        text = "" if start is None else str(start).format(
            park=park, edit_id=edit_id, EDIT_ID=edit_id.upper())
        return FormInput(p, widget, key, label, value=text)
    return FormInput(p, widget, key, label, value=start)  # number, date, flag


def edit_form(operation: type[Edit], plan: Plan, park: str, edit_id: str, lang: str
              ) -> tuple[FormInput, ...]:
    """The inputs of ``operation``'s form, one per parameter it declares, in ``lang``, for
    an edit ``edit_id`` made in park ``park`` of ``plan`` (the scenario's plan as it stands:
    its plots, zones, projects and plants are the choices)."""
    return tuple(_form_input(p, operation.operation, plan, park, edit_id, lang)
                 for p in operation.parameters())


def _is_empty(value: object) -> bool:
    return value is None or value == "" or value == ()


def _field_value(inp: FormInput, raw: object, shape: Callable[[str], object]) -> object:
    """The edit's field value from what the input gave (``raw``)."""
    p = inp.param
    if inp.disabled and p.kind != P.SUBDIVISION:
        return inp.value
    if p.kind == P.GEOMETRY:
        return shape(p.geometry)
    if p.kind in (P.PLOTS, P.ZONES, P.PROJECTS):
        return tuple(raw or ())  # type: ignore[arg-type]
    if p.kind == P.TEXT:
        return str(raw or "").strip()
    if p.kind == P.TEXT_LIST:
        return tuple(c.strip() for c in str(raw or "").split(",") if c.strip())
    if p.kind == P.NUMBER:
        if not isinstance(raw, int | float):
            return None
        return int(raw) if p.whole else float(raw)
    if p.kind == P.DATE:
        return raw.isoformat() if isinstance(raw, dt.date) else None
    if p.kind == P.FLAG:
        return bool(raw)
    if p.kind == P.SUBDIVISION:
        if not (raw or inp.disabled):
            return None
        for grid in (p.suggested, p.default):
            if isinstance(grid, Subdivision):
                return grid
        return Subdivision()
    return raw  # a choice, one plot, one plant


def edit_from_form(operation: type[Edit], edit_id: str, inputs: tuple[FormInput, ...],
                   values: Mapping[str, object], shape: Callable[[str], object],
                   lang: str) -> Edit:
    """The edit the form describes: ``values`` maps each parameter's name to what its input
    gave; ``shape(kind)`` gives the drawn or pasted geometry of that kind (Polygon,
    LineString, Point). An empty parameter takes its fallback or the field's default; a
    required one left empty is refused, naming its label."""
    fields: dict[str, object] = {}
    for inp in inputs:
        fields[inp.param.name] = _field_value(inp, values.get(inp.param.name), shape)
    given: dict[str, object] = {}
    for inp in inputs:
        p, value = inp.param, fields[inp.param.name]
        if _is_empty(value) and p.fallback:
            value = fields[p.fallback]
        if _is_empty(value) and p.kind != P.SUBDIVISION:
            if p.required:
                raise ScenarioError(t("scenario.need_value", lang, label=inp.label))
            continue  # the field's own default
        given[p.name] = value
    return operation(id=edit_id, **given)


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
    shown = shown.assign(change_label=[t(f"scenario.change_{c}", lang) for c in shown["change"]],
                         columns_changed=[columns_text(v, lang)
                                          for v in shown["columns_changed"]])
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


def columns_text(value: object, lang: str) -> str:
    """A change's ``columns_changed`` (``"status,area_ha"``) as their labels in ``lang``."""
    from ..formatting import EMPTY, is_empty
    from .indicators import label

    if is_empty(value) or not str(value).strip():
        return EMPTY
    return ", ".join(label(c.strip(), lang) for c in str(value).split(",") if c.strip())


def changes_table(changes: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """The changed features: layers by title and changed columns by label, not by name."""
    from ..model.schema import SCHEMAS

    def layer(name: str) -> str:
        schema = SCHEMAS.get(name)
        return name if schema is None else schema.title(lang)

    return pd.DataFrame({
        t("scenario.col_layer", lang): [layer(str(n)) for n in changes["layer"]],
        t("scenario.col_feature", lang): changes["feature_id"].to_numpy(),
        t("scenario.col_change", lang): [t(f"scenario.change_{c}", lang)
                                         for c in changes["change"]],
        t("scenario.col_columns", lang): [columns_text(v, lang)
                                          for v in changes["columns_changed"]],
    })
