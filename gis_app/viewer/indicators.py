"""The one place the viewer reaches into the analytics package.

Pages call these names only, so when ``gis_app.analytics`` and ``gis_app.i18n`` change shape
this module is the only one to adapt. While the analytics branch has not landed, a minimal
stand-in computes the few columns the pages need with the same names; it is removed once
``gis_app.analytics`` is on ``main``.
"""

from __future__ import annotations

import pandas as pd

from ..layers.plan import Plan

try:  # pragma: no cover - which branch runs depends on what has been merged
    from ..analytics import (  # type: ignore[attr-defined]
        occupancy_over_time,
        park_indicators,
        province_indicators,
        reclamation_candidates,
        wastewater_status,
    )

    HAVE_ANALYTICS = True
except ImportError:  # pragma: no cover
    HAVE_ANALYTICS = False

from ..i18n import label as _label

#: Labels the shared gis_app.i18n table does not have (yet): looked up when it returns the key.
_CODES: dict[str, tuple[str, str]] = {
    "proposed": ("Đề xuất bổ sung quy hoạch", "Proposed"),
    "approved": ("Được phê duyệt quy hoạch", "Approved in the plan"),
    "established": ("Đã thành lập", "Established"),
    "operating": ("Đang hoạt động", "Operating"),
    "leased": ("Đã cho thuê", "Leased"),
    "vacant": ("Còn trống", "Vacant"),
    "reserved": ("Giữ chỗ", "Reserved"),
    "not_cleared": ("Chưa giải phóng mặt bằng", "Not cleared"),
    "industrial": ("Đất công nghiệp", "Industrial"),
    "warehouse_logistics": ("Kho bãi, logistics", "Warehouse and logistics"),
    "service_admin": ("Dịch vụ, điều hành", "Services and administration"),
    "technical_infrastructure": ("Hạ tầng kỹ thuật", "Technical infrastructure"),
    "green": ("Cây xanh", "Green space"),
    "roads": ("Giao thông", "Roads"),
    "water": ("Mặt nước", "Water"),
    "mixed": ("Hỗn hợp", "Mixed"),
    "under_construction": ("Đang xây dựng", "Under construction"),
    "behind_schedule": ("Chậm tiến độ", "Behind schedule"),
    "revoked": ("Đã thu hồi", "Revoked"),
    "planned": ("Theo quy hoạch", "Planned"),
    "park_code": ("Mã KCN", "Park code"),
    "plot_code": ("Mã lô", "Plot code"),
    "name_vi": ("Tên", "Name (Vietnamese)"),
    "name_en": ("Tên tiếng Anh", "Name"),
    "province": ("Tỉnh", "Province"),
    "legacy_province": ("Tỉnh cũ", "Legacy province"),
    "status": ("Tình trạng", "Status"),
    "land_use": ("Mục đích sử dụng", "Land use"),
    "area_ha": ("Diện tích (ha)", "Area (ha)"),
    "planned_ha": ("Diện tích quy hoạch (ha)", "Planned area (ha)"),
    "leasable_ha": ("Đất CN cho thuê (ha)", "Leasable land (ha)"),
    "leased_ha": ("Đã cho thuê (ha)", "Leased (ha)"),
    "vacant_ha": ("Còn trống (ha)", "Vacant (ha)"),
    "occupancy_share": ("Tỷ lệ lấp đầy", "Occupancy"),
    "headroom_m3_day": ("XLNT còn dư (m³/ngày)", "Spare wastewater capacity (m³/day)"),
    "ready_built_factory": ("Nhà xưởng xây sẵn", "Ready-built factory"),
    "investor": ("Nhà đầu tư", "Investor"),
    "country": ("Quốc gia", "Country"),
    "sector": ("Ngành", "Sector"),
    "project_status": ("Tình trạng dự án", "Project status"),
    "registered_capital_usd": ("Vốn đăng ký (USD)", "Registered capital (USD)"),
    "realised_capital_usd": ("Vốn thực hiện (USD)", "Realised capital (USD)"),
    "revenue_usd": ("Doanh thu (USD)", "Revenue (USD)"),
    "exports_usd": ("Xuất khẩu (USD)", "Exports (USD)"),
    "budget_contribution_usd": ("Nộp ngân sách (USD)", "Budget contribution (USD)"),
    "employees": ("Lao động", "Employees"),
    "design_capacity_m3_day": ("Công suất thiết kế", "Design capacity"),
    "current_load_m3_day": ("Lưu lượng hiện tại", "Current load"),
    "road_km": ("Cách quốc lộ (km)", "To national road (km)"),
    "rail_km": ("Cách đường sắt (km)", "To railway (km)"),
    "score": ("Điểm", "Score"),
    "plot_codes": ("Các lô", "Plots"),
}


def label(key: str, lang: str) -> str:
    """The vi/en label of a data code or column name (the key itself when unknown)."""
    found = _label(key, lang)
    if found != key:
        return found
    vi_en = _CODES.get(key)
    if vi_en is None:
        return key
    return vi_en[0] if lang == "vi" else vi_en[1]


def labels(keys: pd.Series | list[str], lang: str) -> list[str]:
    return [label(str(k), lang) for k in keys]


if not HAVE_ANALYTICS:  # pragma: no cover - stand-in until gis_app.analytics lands

    def park_indicators(plan: Plan) -> pd.DataFrame:
        """Stand-in: names, status, leasable/leased/vacant ha, occupancy, plant headroom."""
        parks = plan.parks.set_index("park_code")
        plots = plan.plots
        leasable = plots["land_use"].isin(("industrial", "warehouse_logistics"))
        area = plots.geometry.area / 10_000.0
        by = plots["park_code"]

        def total(mask: pd.Series) -> pd.Series:
            return area[mask].groupby(by[mask]).sum().reindex(parks.index, fill_value=0.0)

        out = parks[["name_vi", "name_en", "province", "legacy_province", "status"]].copy()
        out["planned_ha"] = parks["planned_area_ha"]
        out["leasable_ha"] = total(leasable)
        out["leased_ha"] = total(leasable & (plots["status"] == "leased"))
        out["vacant_ha"] = total(leasable & (plots["status"] == "vacant"))
        out["occupancy_share"] = out["leased_ha"] / out["leasable_ha"].where(out["leasable_ha"] > 0)
        ww = wastewater_status(plan)
        out = out.join(ww[["plant_operating", "headroom_m3_day"]])
        out["plant_operating"] = out["plant_operating"].fillna(False)
        return out

    def wastewater_status(plan: Plan) -> pd.DataFrame:
        plants = plan.wastewater_plants
        op = plants[plants["status"] == "operating"]
        spare = (op["design_capacity_m3_day"] - op["current_load_m3_day"]).clip(lower=0)
        out = pd.DataFrame({"headroom_m3_day": spare.groupby(op["park_code"]).sum()})
        out["plant_operating"] = True
        return out.reindex(pd.Index(plan.parks["park_code"], name="park_code")).fillna(
            {"headroom_m3_day": 0.0, "plant_operating": False}
        )

    def province_indicators(plan: Plan, by: str = "province") -> pd.DataFrame:
        parks = park_indicators(plan)
        out = parks.groupby(by)[["planned_ha", "leasable_ha", "leased_ha"]].sum()
        out["occupancy_share"] = out["leased_ha"] / out["leasable_ha"]
        return out

    def occupancy_over_time(plan: Plan) -> pd.DataFrame:
        index = pd.MultiIndex.from_arrays([pd.Index([], dtype="string"),
                                           pd.Index([], dtype="int64")],
                                          names=["park_code", "year"])
        return pd.DataFrame({"occupancy_share": pd.Series(dtype="float64")}, index=index)

    def reclamation_candidates(plan: Plan, builtup_raster: object = None,
                               as_of: object = None) -> pd.DataFrame:
        tenants = plan.tenants
        return tenants[tenants["project_status"] == "behind_schedule"][
            ["project_id", "park_code", "investor", "project_status"]
        ]


def park_occupancy_series(plan: Plan, park_code: str) -> pd.Series:
    """Occupancy share by year of one park (empty when no lease has a date)."""
    table = occupancy_over_time(plan)
    if park_code not in table.index.get_level_values(0):
        return pd.Series(dtype="float64", name="occupancy_share")
    return table.xs(park_code, level=0)["occupancy_share"]


def park_reclamation(plan: Plan, park_code: str) -> pd.DataFrame:
    """Reclamation candidates of one park (projects behind schedule and idle land).

    No built-up raster ships with the sample data, so the analytics run on attributes only.
    """
    table = reclamation_candidates(plan, None, None)
    if "park_code" in table.columns:
        table = table[table["park_code"] == park_code]
    return table.reset_index(drop=True)


__all__ = [
    "park_occupancy_series",
    "park_reclamation",
    "HAVE_ANALYTICS",
    "label",
    "labels",
    "occupancy_over_time",
    "park_indicators",
    "province_indicators",
    "reclamation_candidates",
    "wastewater_status",
]
