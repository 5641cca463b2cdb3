"""Province overview: parks coloured by occupancy or status, KPI cards and the park table."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from gis_app.viewer import frame, history_panel, maps
from gis_app.viewer.cache import park_indicators

TABLE_COLUMNS = ["name_vi", "status", "legacy_province", "planned_ha", "leasable_ha",
                 "leased_ha", "vacant_ha", "occupancy_share", "headroom_m3_day"]


def kpis(table: pd.DataFrame) -> dict[str, str]:
    """KPI card values of the parks shown (sums over the table, occupancy recomputed)."""
    operating = table["status"] == "operating"
    leasable = table["leasable_ha"].sum()
    with_plant = table.loc[operating, "plant_operating"].fillna(False).astype(bool).sum()
    return {
        "kpi_parks": f"{len(table)}",
        "kpi_operating": f"{int(operating.sum())}",
        "kpi_planned_ha": f"{table['planned_ha'].sum():,.1f}",
        "kpi_leasable_ha": f"{leasable:,.1f}",
        "kpi_leased_ha": f"{table['leased_ha'].sum():,.1f}",
        "kpi_occupancy": f"{table['leased_ha'].sum() / leasable:.1%}" if leasable > 0 else "–",
        "kpi_wastewater": f"{with_plant}/{int(operating.sum())}",
    }


def main() -> None:
    s = frame.session()
    st.title(s.t("page_overview"))
    plan, plan_key, _ = history_panel.plan_picker(s, key="ov_as_of")
    table = park_indicators(plan, plan_key)
    c1, c2, c3, c4 = st.columns([3, 3, 3, 2])
    all_ = s.t("all")
    province = c1.selectbox(s.t("filter_province"), [all_, *sorted(table["province"].unique())],
                            key="ov_province")
    legacy = c2.selectbox(s.t("filter_legacy"),
                          [all_, *sorted(table["legacy_province"].unique())], key="ov_legacy")
    colour_by = c3.radio(s.t("colour_by"), ("occupancy", "status"), key="ov_colour",
                         horizontal=True, format_func=lambda v: s.t(f"by_{v}"))
    show_plots = c4.toggle(s.t("show_plots"), key="ov_plots")
    shown = table
    if province != all_:
        shown = shown[shown["province"] == province]
    if legacy != all_:
        shown = shown[shown["legacy_province"] == legacy]
    if shown.empty:
        st.warning(s.t("no_parks"))
        return
    cards = kpis(shown)
    for column, (key, value) in zip(st.columns(len(cards)), cards.items(), strict=True):
        column.metric(s.t(key), value)
    m = maps.province_map(plan, shown, frame.basemap(s), colour_by=colour_by, lang=s.lang,
                          plots=show_plots)
    frame.show_map(m, key="overview_map")
    st.subheader(s.t("park_table"))
    columns = [c for c in TABLE_COLUMNS if c in shown.columns]
    if s.lang == "en":
        columns = ["name_en" if c == "name_vi" else c for c in columns]
    frame.show_table(shown.reset_index(), s.lang, ["park_code", *columns])
    history_panel.changes_table(s, key="ov_changes_leases")


main()
