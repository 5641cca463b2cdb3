"""Officer desk: the province's "needs action" list, the screening of projects on "hai ít, ba
cao, một không" and the land-efficiency ranking of parks, for logged-in officers only.

All three are built from tenant-level figures the boards hold in confidence (capital, revenue,
labour per project: :mod:`gis_app.viewer.privacy`), so the public sees only a note. The frames
come from :mod:`gis_app.officer_reports`, the same ones ``kcn-gis report --kind`` writes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import streamlit as st

from gis_app import officer_reports as reports
from gis_app.analytics import efficiency_ranking, tenant_screening
from gis_app.analytics.actions import province_actions
from gis_app.analytics.efficiency import EfficiencyThresholds
from gis_app.analytics.reclamation import ReclamationRules
from gis_app.analytics.wastewater import WastewaterThresholds
from gis_app.i18n import t
from gis_app.model.plan import Plan
from gis_app.viewer import frame
from gis_app.viewer.escape import md_text
from gis_app.viewer.indicators import builtup_raster_of, label

#: The park page, target of the links (its ``park``/``plot`` query parameters select them).
PARK_PAGE = "views/park.py"

@st.cache_data(show_spinner=False, max_entries=8)
def _actions(_plan: Plan, raster: Path | None, key: str) -> pd.DataFrame:
    return province_actions(_plan, raster)


@st.cache_data(show_spinner=False, max_entries=8)
def _screening(_plan: Plan, key: str) -> pd.DataFrame:
    return tenant_screening(_plan)


@st.cache_data(show_spinner=False, max_entries=8)
def _efficiency(_plan: Plan, key: str) -> pd.DataFrame:
    return efficiency_ranking(_plan)


def column_config(table: pd.DataFrame, lang: str) -> dict[str, Any]:
    """Streamlit column settings keyed by the shown header: numbers localized, shares as
    percentages, dates as dates, counts and ranks as whole numbers."""
    out: dict[str, Any] = {}  # st.column_config's values (Streamlit exports no type for them)
    for column in table.columns:
        header = label(column, lang)
        series = table[column]
        if column == "lease_start":
            # Day first in both languages, as gis_app.formatting.date writes dates.
            out[header] = st.column_config.DateColumn(format="DD/MM/YYYY")
        elif column.endswith("_share"):
            out[header] = st.column_config.NumberColumn(format="percent")
        elif pd.api.types.is_integer_dtype(series):
            out[header] = st.column_config.NumberColumn(format="%d")
        elif pd.api.types.is_float_dtype(series):
            out[header] = st.column_config.NumberColumn(format="localized")
    return out


def show(table: pd.DataFrame, lang: str, **kwargs: Any) -> object:
    """``table`` with headers in ``lang`` (codes are already words in the reports)."""
    shown = table.rename(columns={c: label(c, lang) for c in table.columns})
    return st.dataframe(shown, hide_index=True, width="stretch",
                        column_config=column_config(table, lang), **kwargs)


def actions_tab(s: frame.Session, plan: Plan) -> None:
    raster = builtup_raster_of(s.path)
    rules, limits = ReclamationRules(), WastewaterThresholds()
    st.caption(t("officer.actions_intro", s.lang, builtup=reports.percent(rules.min_builtup_share,
                                                                     s.lang),
                  grace=reports.number(rules.grace_years, s.lang, 0),
                  utilisation=reports.percent(limits.max_utilisation_share, s.lang)))
    if raster is None:
        st.info(t("officer.no_raster", s.lang))
    actions = _actions(plan, raster, s.key)
    if actions.empty:
        st.success(t("officer.no_actions", s.lang))
        return
    report = reports.actions_report(actions, plan.parks, s.lang,
                                    min_builtup_share=rules.min_builtup_share,
                                    grace_years=rules.grace_years,
                                    max_utilisation_share=limits.max_utilisation_share)
    counts = report["action_kind"].value_counts(sort=False)
    st.markdown(t("officer.actions_counts", s.lang, n=len(report),
                   parts="; ".join(f"{md_text(k)}: {v}" for k, v in counts.items())))
    # Area as text: a park-wide row has no area, and an empty number cell reads "None".
    shown = report[["action_kind", "park_name", "plot_codes", "project_id", "investor",
                    "lease_start", "area_ha", "detail"]].copy()
    shown["area_ha"] = [reports.number(v, s.lang, 2) if pd.notna(v) else ""
                        for v in shown["area_ha"]]
    event = show(shown, s.lang, key="officer_actions_table", on_select="rerun",
                 selection_mode="single-row")
    selected = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    st.caption(t("officer.select_hint", s.lang))
    rows = list(range(len(report)))
    # The pickers' keys name the language: a choice's words are the language's (Streamlit
    # would keep showing the labels of the other language under an unchanged key).
    row_key = f"officer_action_row_{s.lang}"
    if selected and st.session_state.get("officer_action_picked") != selected[0]:
        st.session_state[row_key] = selected[0]
        st.session_state["officer_action_picked"] = selected[0]
    if row_key not in st.session_state and "officer_action_current" in st.session_state:
        st.session_state[row_key] = st.session_state["officer_action_current"]

    def describe(i: int) -> str:
        row = report.iloc[i]
        where = f"{row['park_name']} · {row['plot_code']}" if row["plot_code"] \
            else row["park_name"]
        return f"{i + 1}. {row['action_kind']}: {where}"

    i = st.selectbox(t("officer.open_row", s.lang), rows, key=row_key,
                     format_func=describe)
    st.session_state["officer_action_current"] = int(i or 0)
    row = report.iloc[int(i or 0)]
    params = {"park": str(row["park_code"])}
    if row["plot_code"]:
        params["plot"] = str(row["plot_code"])
        text = t("officer.open_link", s.lang, park=md_text(row["park_name"]),
                  plot=md_text(row["plot_code"]))
    else:
        text = t("officer.open_link_park", s.lang, park=md_text(row["park_name"]))
    st.page_link(PARK_PAGE, label=text, icon=":material/open_in_new:", query_params=params)


def screening_tab(s: frame.Session, plan: Plan) -> None:
    from gis_app.analytics import ScreeningCriteria

    criteria = ScreeningCriteria()
    total = reports.number(criteria.max_score, s.lang, 0)
    st.caption(t("officer.screening_intro", s.lang, total=total))
    st.markdown(f"**{t('officer.thresholds', s.lang)}**")
    show(reports.screening_thresholds(criteria, s.lang), s.lang)
    scored = _screening(plan, s.key)
    if scored.empty:
        st.info(t("officer.no_screening", s.lang))
        return
    report = reports.screening_report(scored, plan.parks, s.lang, criteria)
    parks = list(dict.fromkeys(report["park_code"]))
    names = dict(zip(report["park_code"], report["park_name"], strict=False))
    park = st.selectbox(t("officer.park_filter", s.lang), ["", *parks],
                        key=f"officer_screen_park_{s.lang}",
                        format_func=lambda c: names.get(c, "") or t("officer.all_parks", s.lang))
    shown = report if not park else report[report["park_code"] == park]
    st.markdown(f"**{t('officer.scores', s.lang)}**")
    table = shown.reset_index().drop(columns=["park_code"])
    table.insert(0, "rank", table.pop("rank"))
    show(table, s.lang, key="officer_screen_table")
    st.markdown(f"**{t('officer.explain', s.lang)}**")
    ids = list(shown.index)
    pick = st.selectbox(t("officer.explain", s.lang), ids, key=f"officer_screen_project_{s.lang}",
                        label_visibility="collapsed",
                        format_func=lambda p: f"{int(report.loc[p, 'rank'])}. "
                        f"{report.loc[p, 'investor']} ({report.loc[p, 'park_name']}, {p})")
    if pick is None:
        return
    st.markdown(t("officer.explain_total", s.lang,
                   score=reports.number(report.loc[pick, "score"], s.lang, 1), total=total,
                   rank=int(report.loc[pick, "rank"]), n=len(report)))
    show(reports.screening_explanation(scored.loc[pick], criteria, s.lang), s.lang)


def efficiency_tab(s: frame.Session, plan: Plan) -> None:
    thresholds = EfficiencyThresholds()
    st.caption(t("officer.efficiency_intro", s.lang))
    st.markdown(f"**{t('officer.thresholds', s.lang)}**")
    show(reports.efficiency_thresholds(thresholds, s.lang), s.lang)
    ranking = _efficiency(plan, s.key)
    report = reports.efficiency_report(ranking, plan.parks, s.lang, thresholds)
    for column in ("registered_capital_usd_per_ha", "budget_usd_per_ha", "revenue_usd_per_ha"):
        report[column] = report[column].round(0)
    show(report.reset_index(drop=True), s.lang, key="officer_efficiency_table")
    unranked = ranking.index[ranking["rank"].isna()]
    if len(unranked):
        names = plan.parks.set_index("park_code")["name_vi" if s.lang == "vi" else "name_en"]
        st.caption(t("officer.efficiency_unranked", s.lang,
                      parks=", ".join(md_text(names.get(c, c)) for c in unranked)))


def main() -> None:
    s = frame.session()
    st.title(t("officer.title", s.lang))
    if s.officer is None:
        st.info(t("officer.officer_only", s.lang))
        return
    plan = frame.load(s)
    actions, screening, efficiency = st.tabs(
        [t("officer.tab_actions", s.lang), t("officer.tab_screening", s.lang),
         t("officer.tab_efficiency", s.lang)])
    with actions:
        actions_tab(s, plan)
    with screening:
        screening_tab(s, plan)
    with efficiency:
        efficiency_tab(s, plan)


main()
