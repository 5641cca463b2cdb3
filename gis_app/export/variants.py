"""Sheet variants: a scenario sheet (baseline beside scenario) and an investor fact sheet."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import shapely
from matplotlib.figure import Figure

from ..errors import ExportError
from ..layers.plan import Plan
from .data import SheetData
from .furniture import (
    inset_block,
    legend_block,
    scale_block,
    signature_block,
    sources_block,
    title_block,
)
from .indicators import format_kpi, park_kpis, plot_areas_ha
from .layout import SheetLayout
from .panel import draw_table, panel_axes
from .sheet import Sheet, draw_map, fit_scale, frame_in, regions
from .style import label, sheet_style

_SCENARIO_ITEMS = (("title", 18), ("inset", 12), ("legend", 17), ("diff", 33), ("scale", 8),
                   ("sources", 12), ("sign", 7))
_SCENARIO_COLUMNS = (("title", "sources", "sign"), ("inset", "scale", "legend"), ("diff",))
_FACT_ITEMS = (("title", 18), ("inset", 14), ("legend", 15), ("plots", 30), ("scale", 8),
               ("sources", 12), ("sign", 7))
_FACT_COLUMNS = (("title", "sources", "sign"), ("inset", "scale", "legend"), ("plots",))

#: Most columns a differences table prints (the first ones of the frame).
MAX_TABLE_COLUMNS = 6


def changed_plots(baseline: Plan, scenario: Plan) -> list[str]:
    """Codes of scenario plots that are new or differ from the baseline (status, use, shape)."""
    cols = ["plot_code", "status", "land_use"]
    base = baseline.plots[cols].assign(geom=baseline.plots.geometry.values)
    scen = scenario.plots[cols].assign(geom=scenario.plots.geometry.values)
    both = scen.merge(base, on="plot_code", how="left", suffixes=("", "_b"))
    new = both["geom_b"].isna().to_numpy(bool)
    geom_b = np.where(new, None, both["geom_b"].to_numpy(object))
    changed = (
        new
        | both["status"].ne(both["status_b"]).fillna(True).to_numpy(bool)
        | both["land_use"].ne(both["land_use_b"]).fillna(True).to_numpy(bool)
        | ~shapely.equals_exact(both["geom"].to_numpy(object), geom_b, tolerance=0.01)
    )
    return both.loc[changed, "plot_code"].astype(str).tolist()


def _format_cell(value: object, lang: str) -> str:
    if isinstance(value, (float, np.floating)):
        return format_kpi("value", float(value), lang)
    if isinstance(value, (int, np.integer)):
        return f"{int(value):,}".replace(",", "." if lang == "vi" else ",")
    return "–" if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)


def table_rows(frame: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and formatted rows of any frame (a named index becomes the first column)."""
    table = frame.reset_index() if any(n is not None for n in frame.index.names) else frame
    # Flags (a comparison's 'changed') say nothing a printed difference does not.
    table = table.loc[:, [not pd.api.types.is_bool_dtype(t) for t in table.dtypes]]
    table = table.iloc[:, :MAX_TABLE_COLUMNS]
    header = [" ".join(map(str, c)) if isinstance(c, tuple) else str(c) for c in table.columns]
    rows = [[_format_cell(v, lang) for v in row] for row in table.itertuples(index=False)]
    return header, rows


def render_scenario_sheet(baseline: Plan | SheetData, scenario: Plan,
                          differences: pd.DataFrame, *, name: str,
                          park_code: str | None = None, province_key: str = "bac_ninh",
                          layout: SheetLayout | None = None, when: date | None = None) -> Sheet:
    """Baseline and scenario maps side by side at one scale, with the differences table.

    Parameters
    ----------
    baseline
        The baseline plan (or its :class:`SheetData`, which brings context layers).
    scenario
        The plan with the scenario's edits applied.
    differences
        The table of differences to print (any frame; its first columns are shown).
    name
        The scenario's name, printed in the title block.
    park_code
        Map this park (its extent in either plan); ``None`` maps every park.
    """
    from .data import sheet_data_from_plan

    layout = layout or SheetLayout()
    when = when or date.today()
    lang = layout.lang
    base = (baseline if isinstance(baseline, SheetData)
            else sheet_data_from_plan(baseline, province_key))
    scen = replace(base, plan=scenario)
    codes = None if park_code is None else [park_code]
    geoms = []
    for plan in (base.plan, scenario):
        parks = plan.parks if codes is None else plan.parks[plan.parks["park_code"].isin(codes)]
        geoms.append(parks.geometry.values)
    extent = np.concatenate(geoms)
    if extent.size == 0:
        raise ExportError(f"park {park_code!r} is in neither the baseline nor the scenario")
    changed = changed_plots(base.plan, scenario)
    with sheet_style():
        fig = Figure(figsize=layout.figsize_in)
        area, boxes = regions(layout, _SCENARIO_ITEMS, _SCENARIO_COLUMNS)
        halves = (area.split_w([1, 1], 3.0) if layout.orientation == "landscape"
                  else area.split_h([1, 1], 3.0))
        frames = [frame_in(h, layout) for h in halves]
        denominator, window0 = fit_scale(layout, extent, frames[0])
        center = ((window0[0] + window0[2]) / 2, (window0[1] + window0[3]) / 2)
        axes, windows, entries = [], [], []
        for data, frame, caption, marks in ((base, frames[0], "baseline", None),
                                           (scen, frames[1], "scenario", changed)):
            half_w = frame.w * denominator / 2000.0
            half_h = frame.h * denominator / 2000.0
            window = (center[0] - half_w, center[1] - half_h, center[0] + half_w,
                      center[1] + half_h)
            ax, drawn = draw_map(fig, layout, data, codes, frame, window, denominator,
                                 highlight=marks, highlight_label="changed")
            ax.set_label(f"map_{caption}")
            ax.set_title(label(caption, lang) + (f": {name}" if caption == "scenario" else ""),
                         fontsize=layout.font_pt * 1.2, fontweight="bold",
                         pad=layout.label_room_mm * 72 / 25.4)
            axes.append(ax)
            windows.append(window)
            entries += drawn
        subtitle = [f"{label('scenario', lang)}: {name}"]
        if park_code is not None:
            park = base.plan.parks[base.plan.parks["park_code"] == park_code]
            if not park.empty:
                subtitle.insert(0, f"{park['name_vi'].iloc[0]} ({park_code})")
        title_block(fig, layout, boxes["title"], base,
                    title=layout.title or label("title_scenario", lang), subtitle=subtitle,
                    denominator=denominator, when=when)
        inset_block(fig, layout, boxes["inset"], base, codes or [], windows[0])
        legend_block(fig, layout, boxes["legend"], entries)
        header, rows = table_rows(differences, lang)
        ax = panel_axes(fig, layout, boxes["diff"], name="differences")
        draw_table(ax, boxes["diff"], title=label("differences", lang), header=header,
                   rows=rows, widths=[2.4] + [1.0] * (len(header) - 1),
                   pt=layout.font_pt * 0.78, more_note=label("more_rows", lang, n="{n}"))
        scale_block(fig, layout, boxes["scale"], base, denominator, center)
        sources_block(fig, layout, boxes["sources"], base)
        signature_block(fig, layout, boxes["sign"])
    return Sheet(fig, tuple(axes), denominator, tuple(windows), layout)


def _shortlist(plots: pd.DataFrame | Sequence[str]) -> tuple[list[str], pd.Series | None]:
    """Plot codes of a shortlist and their scores (None when the shortlist has none).

    A search result row may propose a group of adjacent plots (``plot_codes`` "B1,B2"):
    each plot of the group is listed with the group's score.
    """
    if not isinstance(plots, pd.DataFrame):
        return [str(p) for p in plots], None
    if "plot_code" in plots.columns:
        table = plots.assign(plot_code=plots["plot_code"].astype(str))
    elif "plot_codes" in plots.columns:
        table = plots.assign(plot_code=plots["plot_codes"].astype(str).str.split(","))
        table = table.explode("plot_code").assign(plot_code=lambda t: t["plot_code"].str.strip())
    else:
        raise ExportError("the shortlist has no 'plot_code' or 'plot_codes' column")
    table = table.drop_duplicates("plot_code")
    score = table.set_index("plot_code")["score"] if "score" in table.columns else None
    return table["plot_code"].tolist(), score


def render_fact_sheet(data: SheetData, plots: pd.DataFrame | Sequence[str], *,
                      layout: SheetLayout | None = None, when: date | None = None) -> Sheet:
    """An investor fact sheet for one vacant plot or a shortlist (e.g. a search result).

    ``plots`` is a frame with a ``plot_code`` column, or a vacant-land search result with
    ``plot_codes`` (comma-separated groups), with an optional ``score`` column; or a list
    of plot codes.
    """
    layout = layout or SheetLayout()
    when = when or date.today()
    lang = layout.lang
    codes, score = _shortlist(plots)
    all_plots = data.plan.plots
    chosen = all_plots[all_plots["plot_code"].isin(codes)]
    missing = sorted(set(codes) - set(chosen["plot_code"].astype(str)))
    if not codes or missing:
        raise ExportError(f"layer 'plots' has no plot {', '.join(missing) or '(none given)'}")
    park_codes = list(dict.fromkeys(chosen["park_code"].astype(str)))
    with sheet_style():
        fig = Figure(figsize=layout.figsize_in)
        area, boxes = regions(layout, _FACT_ITEMS, _FACT_COLUMNS)
        frame = frame_in(area, layout)
        denominator, window = fit_scale(layout, chosen.geometry.values, frame)
        ax, entries = draw_map(fig, layout, data, park_codes, frame, window, denominator,
                               highlight=codes)
        parks = data.plan.parks.set_index(data.plan.parks["park_code"].astype(str))
        subtitle = []
        for code in park_codes[:3]:
            occupancy = format_kpi("occupancy_share", park_kpis(data.plan, code)
                                   ["occupancy_share"], lang)
            subtitle.append(f"{parks.loc[code, 'name_vi']} ({code}) – "
                            f"{label('kpi_occupancy_share', lang)}: {occupancy}")
        title_block(fig, layout, boxes["title"], data,
                    title=layout.title or label("title_fact", lang), subtitle=subtitle,
                    denominator=denominator, when=when)
        inset_block(fig, layout, boxes["inset"], data, park_codes, window)
        legend_block(fig, layout, boxes["legend"], entries)
        many_parks = len(park_codes) > 1
        areas = plot_areas_ha(data.plan)
        rows = []
        for row in chosen.set_index(chosen["plot_code"].astype(str)).loc[codes].itertuples():
            cells = [row.Index] + ([str(row.park_code)] if many_parks else [])
            cells += [format_kpi("area", float(areas.loc[row.Index]), lang),
                      label(str(row.land_use), lang),
                      label("yes" if bool(row.ready_built_factory) else "no", lang)]
            if score is not None:
                cells.append(_format_cell(float(score.loc[row.Index]), lang))
            rows.append(cells)
        header = [label("plot", lang)] + ([label("park", lang)] if many_parks else [])
        header += [label("area_ha", lang), label("land_use", lang), label("ready_built", lang)]
        widths = [1.5] + ([0.9] if many_parks else []) + [1.0, 2.3, 1.0]
        aligns = ["left"] + (["left"] if many_parks else []) + ["right", "left", "center"]
        if score is not None:
            header.append(label("score", lang))
            widths.append(0.7)
            aligns.append("right")
        tax = panel_axes(fig, layout, boxes["plots"], name="plots_table")
        draw_table(tax, boxes["plots"], title=label("title_fact", lang), header=header,
                   rows=rows, widths=widths, aligns=aligns,
                   pt=layout.font_pt * 0.78, more_note=label("more_rows", lang, n="{n}"))
        scale_block(fig, layout, boxes["scale"], data, denominator,
                    ((window[0] + window[2]) / 2, (window[1] + window[3]) / 2))
        sources_block(fig, layout, boxes["sources"], data)
        signature_block(fig, layout, boxes["sign"])
    return Sheet(fig, (ax,), denominator, (window,), layout)

