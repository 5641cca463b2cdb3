"""Province overview: parks coloured by occupancy or status, KPI cards and the park table."""

from __future__ import annotations

import math
from collections.abc import Iterator

import pandas as pd
import streamlit as st

from gis_app.formatting import integer, number, percent
from gis_app.i18n import label
from gis_app.progress import Progress
from gis_app.viewer import cache, frame, history_panel, keep, map_view, maps, national, progress_bar
from gis_app.viewer.cache import park_indicators, shown_totals
from gis_app.viewer.escape import md_text

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


def open_clicked_park(parts: tuple[national.ProvincePart, ...], result: dict | None,
                      lang: str) -> None:
    """A click on a park of the national map opens that park's page, on its own file.

    A page switched to from code starts with no widget state (Streamlit clears it), so the
    language goes along as ``?lang=`` (read by the sidebar); the file and the park are kept
    values (:mod:`gis_app.viewer.keep`), which survive the switch."""
    clicked = (result or {}).get("last_object_clicked")
    if not clicked or clicked.get("lat") is None:
        st.session_state.pop("nat_last_click", None)  # a fresh map: the next click is new
        return
    if st.session_state.get("nat_last_click") == clicked:
        return  # handled on an earlier run
    st.session_state["nat_last_click"] = clicked
    hit = national.park_at(parts, float(clicked["lat"]), float(clicked["lng"]))
    if hit is None:
        return
    source, park_code = hit
    keep.put("data_file", source)
    keep.put("park_code", park_code)
    keep.put("park_plot", None)
    st.switch_page("views/park.py", query_params={"lang": lang})


def _read_parts(paths: list[str], keys: tuple[str, ...], progress: Progress
                ) -> Iterator[national.ProvincePart]:
    """Each file's part (cached per version), reporting the files read so far: reading
    every province is what a national overview waits for."""
    for done, (path, key) in enumerate(zip(paths, keys, strict=True), 1):
        yield cache.national_part(path, key)
        progress(done, len(paths))


def national_overview(s: frame.Session, files: list) -> None:
    """Every loaded province: one point per park on a map (never a plot), and the table by
    province with totals, ranked by occupancy (see :mod:`gis_app.viewer.national`)."""
    st.subheader(s.t("nat.title"))
    paths = [str(p) for p in files]
    keys = tuple(cache.file_key(p) for p in paths)
    with progress_bar.shown("progress.provinces_read", s.lang) as progress:
        parts = tuple(_read_parts(paths, keys, progress))
    for part in parts:
        if part.error is not None:
            st.warning(s.t("nat.unreadable", file=md_text(part.name(s.lang)),
                           error=md_text(part.error)))
    readable = [p for p in parts if p.error is None]
    colours = ("occupancy", "status")
    colour_by = st.radio(s.t("colour_by"), colours, horizontal=True,
                         format_func=lambda v: s.t(f"by_{v}"),
                         **keep.widget("nat_colour", colours[0], colours))
    parks = sum(len(p.parks) for p in readable)
    st.caption(s.t("nat.caption", files=integer(len(readable), s.lang),
                   parks=integer(parks, s.lang)))
    empty = [p.name(s.lang) for p in readable if p.parks.empty]
    if empty:
        st.info(s.t("nat.empty", names=md_text(", ".join(empty))))
    if not parks:
        st.info(s.t("nat.no_parks"))
    prepared = cache.national_map(parts, keys, colour_by, s.lang)
    open_clicked_park(parts, map_view.show(prepared, key="national_map"), s.lang)
    st.subheader(s.t("nat.table"))
    frame.show_table(cache.national_table(parts, keys, s.lang), s.lang, national.TABLE_COLUMNS)
    st.caption(s.t("nat.occupancy_note"))


def main() -> None:
    s = frame.session()
    st.title(s.t("page_overview"))
    files = frame.available_files()
    if len(files) > 1:  # several provinces loaded: the ministry's view is offered
        scopes = ("province", "national")
        scope = st.radio(s.t("nat.scope"), scopes, horizontal=True,
                         format_func=lambda v: s.t(f"nat.scope_{v}"),
                         **keep.widget("ov_scope", scopes[0], scopes))
        if scope == "national":
            national_overview(s, files)
            return
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
