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
from gis_app.model.plan import Plan
from gis_app.viewer import frame
from gis_app.viewer.escape import md_text
from gis_app.viewer.indicators import builtup_raster_of, label

#: The park page, target of the links (its ``park``/``plot`` query parameters select them).
PARK_PAGE = "views/park.py"

#: This page's words (vi, en); data labels come from gis_app.i18n.
TEXT: dict[str, tuple[str, str]] = {
    "title": ("Việc cần xử lý và sàng lọc dự án", "Officer desk: actions and screening"),
    "officer_only": (
        "Trang này dùng số liệu mật của từng doanh nghiệp (vốn, doanh thu, lao động): chỉ cán "
        "bộ đã đăng nhập mới xem được. Chọn chế độ Cán bộ ở thanh bên để đăng nhập.",
        "This page uses each tenant's confidential figures (capital, revenue, labour): only "
        "logged-in officers see it. Choose Officer mode in the sidebar to log in.",
    ),
    "tab_actions": ("Việc cần xử lý", "Needs action"),
    "tab_screening": ("Sàng lọc dự án (hai ít, ba cao, một không)",
                      "Project screening (two little, three high, one no)"),
    "tab_efficiency": ("Xếp hạng hiệu quả sử dụng đất", "Land-efficiency ranking"),
    "actions_intro": (
        "Toàn tỉnh: dự án chậm tiến độ và đã thu hồi còn giữ đất, đất đã thuê nhưng chưa xây "
        "dựng (tỷ lệ xây dựng dưới {builtup} sau {grace} năm thuê), KCN có trạm XLNT vượt "
        "{utilisation} công suất hoặc đang hoạt động mà chưa có trạm.",
        "The whole province: behind-schedule projects and revoked projects still holding land, "
        "leased land left unbuilt (built-up share under {builtup} after {grace} years of "
        "lease), parks whose wastewater load is over {utilisation} of their plants' capacity "
        "or operating without a plant.",
    ),
    "actions_counts": ("{n} việc: {parts}.", "{n} items: {parts}."),
    "no_actions": ("Không có việc cần xử lý.", "Nothing needs action."),
    "no_raster": ("Tệp này không có ảnh tỷ lệ xây dựng: chưa xét đất bỏ trống.",
                  "This file has no built-up raster: idle land is not checked."),
    "open_row": ("Mở trên trang KCN", "Open on the park page"),
    "open_link": ("Mở {park}, lô {plot}", "Open {park}, plot {plot}"),
    "open_link_park": ("Mở {park}", "Open {park}"),
    "select_hint": ("Chọn một dòng của bảng (ô bên trái) hoặc chọn ở đây để mở KCN và lô đó.",
                    "Select a row of the table (box on its left) or pick it here to open its "
                    "park and plot."),
    "screening_intro": (
        "Mỗi tiêu chí cho từ 0 điểm (ở ngưỡng 0 điểm hoặc kém hơn) đến điểm tối đa (ở ngưỡng "
        "đủ điểm hoặc tốt hơn), tuyến tính ở giữa; tổng tối đa {total} điểm. Bấm tiêu đề cột "
        "để sắp xếp.",
        "Each criterion gives from 0 points (at its no-points threshold or worse) to its "
        "maximum (at its full-points threshold or better), linearly in between; {total} points "
        "in all. Click a column header to sort.",
    ),
    "thresholds": ("Tiêu chí và ngưỡng", "Criteria and thresholds"),
    "scores": ("Điểm của các dự án thứ cấp còn hiệu lực", "Scores of valid secondary projects"),
    "explain": ("Giải thích điểm của dự án", "Explain a project's score"),
    "explain_total": ("Tổng: {score}/{total} điểm, hạng {rank}/{n}.",
                      "Total: {score}/{total} points, rank {rank} of {n}."),
    "park_filter": ("KCN", "Park"),
    "all_parks": ("Tất cả KCN", "All parks"),
    "efficiency_intro": (
        "Các KCN xếp theo suất đầu tư đăng ký trên 1 ha đất của dự án thứ cấp còn hiệu lực, "
        "so với các ngưỡng tối thiểu của tỉnh. Bấm tiêu đề cột để sắp xếp.",
        "Parks ranked by registered capital per hectare of valid secondary projects' land, "
        "against the province's minimums. Click a column header to sort.",
    ),
    "efficiency_unranked": ("Chưa có số liệu để xếp hạng: {parks}.",
                            "No figures to rank yet: {parks}."),
    "no_screening": ("Chưa có dự án thứ cấp nào để sàng lọc.", "No secondary project to screen."),
}


def tr(key: str, lang: str, **values: object) -> str:
    vi, en = TEXT[key]
    text = vi if lang == "vi" else en
    return text.format(**values) if values else text


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
            out[header] = st.column_config.DateColumn(
                format="DD/MM/YYYY" if lang == "vi" else "YYYY-MM-DD")
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
    st.caption(tr("actions_intro", s.lang, builtup=reports.percent(rules.min_builtup_share,
                                                                     s.lang),
                  grace=reports.number(rules.grace_years, s.lang, 0),
                  utilisation=reports.percent(limits.max_utilisation_share, s.lang)))
    if raster is None:
        st.info(tr("no_raster", s.lang))
    actions = _actions(plan, raster, s.key)
    if actions.empty:
        st.success(tr("no_actions", s.lang))
        return
    report = reports.actions_report(actions, plan.parks, s.lang,
                                    min_builtup_share=rules.min_builtup_share,
                                    grace_years=rules.grace_years,
                                    max_utilisation_share=limits.max_utilisation_share)
    counts = report["action_kind"].value_counts(sort=False)
    st.markdown(tr("actions_counts", s.lang, n=len(report),
                   parts="; ".join(f"{md_text(k)}: {v}" for k, v in counts.items())))
    # Area as text: a park-wide row has no area, and an empty number cell reads "None".
    shown = report[["action_kind", "park_name", "plot_codes", "project_id", "investor",
                    "lease_start", "area_ha", "detail"]].copy()
    shown["area_ha"] = [reports.number(v, s.lang, 2) if pd.notna(v) else ""
                        for v in shown["area_ha"]]
    event = show(shown, s.lang, key="officer_actions_table", on_select="rerun",
                 selection_mode="single-row")
    selected = list(getattr(getattr(event, "selection", None), "rows", None) or [])
    st.caption(tr("select_hint", s.lang))
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

    i = st.selectbox(tr("open_row", s.lang), rows, key=row_key,
                     format_func=describe)
    st.session_state["officer_action_current"] = int(i or 0)
    row = report.iloc[int(i or 0)]
    params = {"park": str(row["park_code"])}
    if row["plot_code"]:
        params["plot"] = str(row["plot_code"])
        text = tr("open_link", s.lang, park=md_text(row["park_name"]),
                  plot=md_text(row["plot_code"]))
    else:
        text = tr("open_link_park", s.lang, park=md_text(row["park_name"]))
    st.page_link(PARK_PAGE, label=text, icon=":material/open_in_new:", query_params=params)


def screening_tab(s: frame.Session, plan: Plan) -> None:
    from gis_app.analytics import ScreeningCriteria

    criteria = ScreeningCriteria()
    total = reports.number(criteria.max_score, s.lang, 0)
    st.caption(tr("screening_intro", s.lang, total=total))
    st.markdown(f"**{tr('thresholds', s.lang)}**")
    show(reports.screening_thresholds(criteria, s.lang), s.lang)
    scored = _screening(plan, s.key)
    if scored.empty:
        st.info(tr("no_screening", s.lang))
        return
    report = reports.screening_report(scored, plan.parks, s.lang, criteria)
    parks = list(dict.fromkeys(report["park_code"]))
    names = dict(zip(report["park_code"], report["park_name"], strict=False))
    park = st.selectbox(tr("park_filter", s.lang), ["", *parks],
                        key=f"officer_screen_park_{s.lang}",
                        format_func=lambda c: names.get(c, "") or tr("all_parks", s.lang))
    shown = report if not park else report[report["park_code"] == park]
    st.markdown(f"**{tr('scores', s.lang)}**")
    table = shown.reset_index().drop(columns=["park_code"])
    table.insert(0, "rank", table.pop("rank"))
    show(table, s.lang, key="officer_screen_table")
    st.markdown(f"**{tr('explain', s.lang)}**")
    ids = list(shown.index)
    pick = st.selectbox(tr("explain", s.lang), ids, key=f"officer_screen_project_{s.lang}",
                        label_visibility="collapsed",
                        format_func=lambda p: f"{int(report.loc[p, 'rank'])}. "
                        f"{report.loc[p, 'investor']} ({report.loc[p, 'park_name']}, {p})")
    if pick is None:
        return
    st.markdown(tr("explain_total", s.lang,
                   score=reports.number(report.loc[pick, "score"], s.lang, 1), total=total,
                   rank=int(report.loc[pick, "rank"]), n=len(report)))
    show(reports.screening_explanation(scored.loc[pick], criteria, s.lang), s.lang)


def efficiency_tab(s: frame.Session, plan: Plan) -> None:
    thresholds = EfficiencyThresholds()
    st.caption(tr("efficiency_intro", s.lang))
    st.markdown(f"**{tr('thresholds', s.lang)}**")
    show(reports.efficiency_thresholds(thresholds, s.lang), s.lang)
    ranking = _efficiency(plan, s.key)
    report = reports.efficiency_report(ranking, plan.parks, s.lang, thresholds)
    for column in ("registered_capital_usd_per_ha", "budget_usd_per_ha", "revenue_usd_per_ha"):
        report[column] = report[column].round(0)
    show(report.reset_index(drop=True), s.lang, key="officer_efficiency_table")
    unranked = ranking.index[ranking["rank"].isna()]
    if len(unranked):
        names = plan.parks.set_index("park_code")["name_vi" if s.lang == "vi" else "name_en"]
        st.caption(tr("efficiency_unranked", s.lang,
                      parks=", ".join(md_text(names.get(c, c)) for c in unranked)))


def main() -> None:
    s = frame.session()
    st.title(tr("title", s.lang))
    if s.officer is None:
        st.info(tr("officer_only", s.lang))
        return
    plan = frame.load(s)
    actions, screening, efficiency = st.tabs(
        [tr("tab_actions", s.lang), tr("tab_screening", s.lang), tr("tab_efficiency", s.lang)])
    with actions:
        actions_tab(s, plan)
    with screening:
        screening_tab(s, plan)
    with efficiency:
        efficiency_tab(s, plan)


main()
