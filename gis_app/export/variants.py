"""Sheet variants: a scenario sheet (baseline beside scenario); the investor fact sheet is in
:mod:`gis_app.export.investor`."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import numpy as np
import pandas as pd
import shapely
from matplotlib.figure import Figure

from ..errors import ExportError
from ..formatting import integer
from ..i18n import ngettext, t
from ..model.plan import Plan
from .data import SheetData
from .furniture import (
    inset_block,
    legend_block,
    scale_block,
    signature_block,
    sources_block,
    title_block,
)
from .indicators import format_kpi
from .layout import SheetLayout
from .panel import draw_table, panel_axes
from .sheet import Sheet, draw_map, fit_scale, frame_in, regions
from .style import sheet_style

_SCENARIO_ITEMS = (("title", 18), ("inset", 12), ("legend", 17), ("diff", 33), ("scale", 8),
                   ("sources", 12), ("sign", 7))
_SCENARIO_COLUMNS = (("title", "sources", "sign"), ("inset", "scale", "legend"), ("diff",))

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
        return integer(int(value), lang)
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
            title = t("baseline", lang) if caption == "baseline" else t("sheet.scenario", lang)
            ax.set_title(title + (f": {name}" if caption == "scenario" else ""),
                         fontsize=layout.font_pt * 1.2, fontweight="bold",
                         pad=layout.label_room_mm * 72 / 25.4)
            axes.append(ax)
            windows.append(window)
            entries += drawn
        subtitle = [f"{t('sheet.scenario', lang)}: {name}"]
        if park_code is not None:
            park = base.plan.parks[base.plan.parks["park_code"] == park_code]
            if not park.empty:
                subtitle.insert(0, f"{park['name_vi'].iloc[0]} ({park_code})")
        title_block(fig, layout, boxes["title"], base,
                    title=layout.title or t("sheet.title_scenario", lang), subtitle=subtitle,
                    denominator=denominator, when=when)
        inset_block(fig, layout, boxes["inset"], base, codes or [], windows[0])
        legend_block(fig, layout, boxes["legend"], entries)
        header, rows = table_rows(differences, lang)
        ax = panel_axes(fig, layout, boxes["diff"], name="differences")
        draw_table(ax, boxes["diff"], title=t("sheet.differences", lang), header=header,
                   rows=rows, widths=[2.4] + [1.0] * (len(header) - 1),
                   pt=layout.font_pt * 0.78,
                   more_note=lambda n: ngettext("sheet.more_rows", n, lang))
        scale_block(fig, layout, boxes["scale"], base, denominator, center)
        sources_block(fig, layout, boxes["sources"], base)
        signature_block(fig, layout, boxes["sign"])
    return Sheet(fig, tuple(axes), denominator, tuple(windows), layout)
