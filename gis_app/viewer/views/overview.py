"""Province overview: parks coloured by occupancy or status, KPI cards and the park table."""

from __future__ import annotations

import math

import pandas as pd
import streamlit as st

from gis_app.formatting import number, percent
from gis_app.i18n import label
from gis_app.viewer import cache, frame, history_panel, keep, map_view, maps
from gis_app.viewer.cache import park_indicators, shown_totals

TABLE_COLUMNS = ["name_vi", "status", "legacy_province", "planned_ha", "leasable_ha",
                 "leased_ha", "vacant_ha", "occupancy_share", "headroom_m3_day"]
#: Each card's full wording (its short label must fit a narrow card; the help says it all).
CARD_HELP = {"kpi_parks": "parks_count", "kpi_operating": "parks_operating_count",
             "kpi_planned_ha": "planned_ha", "kpi_leasable_ha": "leasable_ha",
             "kpi_leased_ha": "leased_ha", "kpi_wastewater": "parks_operating_with_plant_count"}
#: The "all" choice of a filter: a code, so that a language switch keeps it (its label moves).
ALL = "__all__"


def kpis(totals: pd.Series, lang: str = "vi") -> dict[str, str]:
    """KPI card values: a :func:`gis_app.analytics.province_indicators` row, only formatted
    (nothing is summed or divided here, so the cards say what ``kcn-gis summary`` says)."""
    operating = int(totals["parks_operating_count"])
    return {
        "kpi_parks": f"{int(totals['parks_count'])}",
        "kpi_operating": f"{operating}",
        "kpi_planned_ha": number(totals["planned_ha"], lang, 1),
        "kpi_leasable_ha": number(totals["leasable_ha"], lang, 1),
        "kpi_leased_ha": number(totals["leased_ha"], lang, 1),
        "kpi_occupancy": percent(totals["occupancy_share"], lang),
        "kpi_wastewater": f"{int(totals['parks_operating_with_plant_count'])}/{operating}",
    }


def occupancy_basis(s: frame.Session, totals: pd.Series) -> str:
    """The occupancy card's help: the leased and leasable land it divides (established parks)."""
    leased, leasable = totals["leased_established_ha"], totals["leasable_established_ha"]
    if any(v is None or (isinstance(v, float) and math.isnan(v)) for v in (leased, leasable)):
        return s.t("kpi_occupancy_help_none")
    return s.t("kpi_occupancy_help", leased=number(leased, s.lang),
               leasable=number(leasable, s.lang))


def main() -> None:
    s = frame.session()
    st.title(s.t("page_overview"))
    plan, plan_key, _ = history_panel.plan_picker(s, key="ov_as_of")
    table = park_indicators(plan, plan_key)
    c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
    def named(v: str) -> str:
        return s.t("all") if v == ALL else v

    provinces = [ALL, *sorted(table["province"].unique())]
    province = c1.selectbox(s.t("filter_province"), provinces, format_func=named,
                            **keep.widget("ov_province", ALL, provinces))
    legacies = [ALL, *sorted(table["legacy_province"].unique())]
    legacy = c2.selectbox(s.t("filter_legacy"), legacies, format_func=named,
                          **keep.widget("ov_legacy", ALL, legacies))
    colours = ("occupancy", "status")
    colour_by = c3.radio(s.t("colour_by"), colours, horizontal=True,
                         format_func=lambda v: s.t(f"by_{v}"),
                         **keep.widget("ov_colour", colours[0], colours))
    show_plots = c4.toggle(s.t("show_plots"), **keep.widget("ov_plots", False))
    shown = table
    if province != ALL:
        shown = shown[shown["province"] == province]
    if legacy != ALL:
        shown = shown[shown["legacy_province"] == legacy]
    if shown.empty:
        st.warning(s.t("no_parks"))
        return
    totals = shown_totals(plan, None if province == ALL else province,
                          None if legacy == ALL else legacy, plan_key)
    cards = kpis(totals, s.lang)
    for column, (key, value) in zip(st.columns(len(cards)), cards.items(), strict=True):
        column.metric(s.t(key), value,
                      help=occupancy_basis(s, totals) if key == "kpi_occupancy"
                      else label(CARD_HELP[key], s.lang))
    if show_plots:
        count = int(plan.plots["park_code"].isin(shown.index).sum())
        if count > maps.MAX_OVERVIEW_PLOTS:  # the park pages draw them; a province would weigh MBs
            st.info(s.t("too_many_plots", n=number(count, s.lang, 0)))
            show_plots = False
    prepared = cache.province_map(
        str(s.path), s.key, plan, plan_key, shown, tuple(shown.index),
        colour_by, s.lang, show_plots)
    map_view.show(prepared, key="overview_map")
    st.subheader(s.t("park_table"))
    columns = [c for c in TABLE_COLUMNS if c in shown.columns]
    if s.lang == "en":
        columns = ["name_en" if c == "name_vi" else c for c in columns]
    frame.show_table(shown.reset_index(), s.lang, ["park_code", *columns])
    history_panel.changes_table(s, key="ov_changes_leases")


main()
