"""What the Scenarios page needs besides Streamlit: its words, the change overlay, tables.

No Streamlit here, so it is tested directly: texts in Vietnamese and English (``t`` fails on
an unknown key), the folium overlay of added/removed/changed features, and the differences
table with bilingual indicator labels.
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from ..model.crs import to_crs
from .escape import html_fields, html_text

_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Kịch bản điều chỉnh quy hoạch", "Planning-adjustment scenarios"),
    "intro": (
        "Một kịch bản là tập hợp các điều chỉnh trên bản sao của quy hoạch; dữ liệu gốc không "
        "bao giờ bị thay đổi. Kịch bản được lưu trong chính tệp GeoPackage của tỉnh.",
        "A scenario is a set of edits to a copy of the plan; the baseline is never changed. "
        "Scenarios are stored in the province's own GeoPackage.",
    ),
    "choose": ("Chọn kịch bản", "Choose a scenario"),
    "none_yet": ("Chưa có kịch bản nào trong tệp này.", "This file has no scenario yet."),
    "new": ("Tạo kịch bản mới", "New scenario"),
    "name": ("Tên kịch bản", "Scenario name"),
    "description": ("Mô tả", "Description"),
    "author": ("Người lập", "Author"),
    "based_on": ("Dựa trên kịch bản", "Based on"),
    "baseline": ("Hiện trạng", "Baseline"),
    "create": ("Tạo", "Create"),
    "officer_only": (
        "Đăng nhập chế độ cán bộ để tạo và sửa kịch bản.",
        "Log in as an officer to create and edit scenarios.",
    ),
    "edits": ("Các điều chỉnh", "Edits"),
    "no_edits": ("Kịch bản chưa có điều chỉnh nào.", "The scenario has no edit yet."),
    "add_edit": ("Thêm điều chỉnh", "Add an edit"),
    "operation": ("Loại điều chỉnh", "Operation"),
    "edit_description": ("Nội dung điều chỉnh", "What changes"),
    "remove_edit": ("Xóa điều chỉnh", "Remove an edit"),
    "remove": ("Xóa", "Remove"),
    "save": ("Lưu kịch bản", "Save the scenario"),
    "saved": ("Đã lưu phiên bản {version}.", "Saved as version {version}."),
    "unsaved": ("Có thay đổi chưa lưu.", "There are unsaved changes."),
    "duplicate": ("Nhân bản", "Duplicate"),
    "delete": ("Xóa kịch bản", "Delete the scenario"),
    "deleted": ("Đã xóa kịch bản {id}.", "Scenario {id} deleted."),
    "edit_added": ("Đã thêm điều chỉnh {id}.", "Edit {id} added."),
    "park": ("KCN", "Park"),
    "plots": ("Lô đất", "Plots"),
    "land_use": ("Mục đích sử dụng mới", "New land use"),
    "zones": ("Phân khu", "Zones"),
    "projects": ("Dự án chậm tiến độ / đã thu hồi", "Behind-schedule / revoked projects"),
    "project_id": ("Mã dự án mới", "New project ID"),
    "investor": ("Nhà đầu tư", "Investor"),
    "sector": ("Ngành nghề", "Sector"),
    "country": ("Quốc gia", "Country"),
    "capital": ("Vốn đăng ký (USD)", "Registered capital (USD)"),
    "jobs": ("Số lao động", "Jobs"),
    "new_codes": ("Mã các lô mới (cách nhau bởi dấu phẩy)", "New plot codes (comma-separated)"),
    "new_code": ("Mã lô mới", "New plot code"),
    "mode": ("Cách điều chỉnh", "How"),
    "mode_expand": ("Mở rộng", "Expand"),
    "mode_shrink": ("Thu hẹp", "Shrink"),
    "mode_replace": ("Thay ranh giới", "Replace"),
    "subdivide": ("Tự động chia lô theo đường nội bộ", "Subdivide into plots along roads"),
    "release": ("Cho phép lô trống nằm ngoài ranh giới mới rời KCN",
                "Let vacant plots outside the new boundary leave the park"),
    "park_code": ("Mã KCN mới", "New park code"),
    "name_vi": ("Tên tiếng Việt", "Vietnamese name"),
    "name_en": ("Tên tiếng Anh", "English name"),
    "status": ("Tình trạng", "Status"),
    "plant_id": ("Mã trạm XLNT", "Plant ID"),
    "plant": ("Trạm XLNT", "Wastewater plant"),
    "capacity": ("Công suất thiết kế (m³/ngày)", "Design capacity (m³/day)"),
    "monitoring": ("Có trạm quan trắc tự động", "Automatic monitoring station"),
    "draw_hint": (
        "Vẽ trên bản đồ (đa giác, hình chữ nhật, đường cắt hoặc điểm); hình vẽ cuối cùng được "
        "dùng cho điều chỉnh. Hoặc dán GeoJSON/WKT (WGS 84 hoặc VN-2000) bên dưới.",
        "Draw on the map (polygon, rectangle, cutting line or point); the last shape drawn is "
        "used for the edit. Or paste GeoJSON/WKT (WGS 84 or VN-2000) below.",
    ),
    "draw_missing": (
        "Công cụ vẽ chưa được cài (chạy: {command}). Vẫn có thể dán GeoJSON/WKT.",
        "The drawing tool is not installed (run: {command}). GeoJSON/WKT can still be pasted.",
    ),
    "pasted": ("Hình học dán vào (GeoJSON hoặc WKT)", "Pasted geometry (GeoJSON or WKT)"),
    "pasted_crs": ("Hệ tọa độ của hình dán", "CRS of the pasted geometry"),
    "need_shape": ("Cần vẽ hoặc dán một {kind}.", "Draw or paste a {kind} first."),
    "kind_Polygon": ("đa giác", "polygon"),
    "kind_LineString": ("đường cắt", "cutting line"),
    "kind_Point": ("điểm", "point"),
    "draw_map": ("Bản đồ vẽ", "Drawing map"),
    "compare_with": ("So sánh với", "Compare with"),
    "side_by_side": ("Hiện trạng và kịch bản", "Baseline and scenario"),
    "synced_hint": (
        "Hai bản đồ di chuyển và phóng to cùng nhau; đường viền màu đánh dấu đối tượng thay "
        "đổi trong kịch bản.",
        "The two maps pan and zoom together; coloured outlines mark what the scenario changes.",
    ),
    "map_park": ("KCN hiển thị trên bản đồ", "Park shown on the maps"),
    "differences": ("Chênh lệch các chỉ tiêu", "Differences in the indicators"),
    "only_changed": ("Chỉ hiện chỉ tiêu thay đổi", "Only indicators that changed"),
    "level_province": ("Toàn tỉnh", "Province"),
    "level_park": ("Từng KCN", "Per park"),
    "changes": ("Đối tượng thay đổi", "Features changed"),
    "change_added": ("Thêm mới", "Added"),
    "change_removed": ("Bị xóa", "Removed"),
    "change_changed": ("Thay đổi", "Changed"),
    "downloads": ("Tải về", "Downloads"),
    "download_gpkg": ("GeoPackage của kịch bản", "Scenario GeoPackage"),
    "download_xlsx": ("Báo cáo (Excel)", "Report (Excel)"),
    "download_csv": ("Báo cáo (CSV)", "Report (CSV)"),
    "download_sheet": ("Bản đồ phương án {park} (PDF)", "Scenario map sheet {park} (PDF)"),
    "save_first": ("Lưu kịch bản trước khi tải về.", "Save the scenario before downloading."),
    "col_level": ("Cấp", "Level"),
    "col_key": ("Mã", "Code"),
    "col_indicator": ("Chỉ tiêu", "Indicator"),
    "col_a": ("Trước", "Before"),
    "col_b": ("Sau", "After"),
    "col_difference": ("Chênh lệch", "Difference"),
    "col_layer": ("Lớp", "Layer"),
    "col_feature": ("Đối tượng", "Feature"),
    "col_change": ("Thay đổi", "Change"),
    "col_columns": ("Thuộc tính thay đổi", "Columns changed"),
}

#: Outline colours of the change layer: none of them is a fill colour of the plots under it
#: (status: red, green, orange, grey), so a changed feature stands out on the scenario map.
CHANGE_COLOURS = {"added": "#1f5fff", "removed": "#111111", "changed": "#d01c8b"}
#: Outline width (px) of the change layer, heavier than the plots' 0.8 px.
CHANGE_WEIGHT = 4


def t(key: str, lang: str, **values: object) -> str:
    """The page's text ``key`` in ``lang`` (``vi`` or ``en``)."""
    vi, en = _TEXT[key]
    return (vi if lang == "vi" else en).format(**values)


def change_style(change: str) -> dict[str, object]:
    """Leaflet style of a feature ``added``, ``removed`` or ``changed``: a heavy outline in
    its colour, dashed when removed, no fill (the plot's own colour stays readable and
    clickable underneath)."""
    return {"color": CHANGE_COLOURS[change], "weight": CHANGE_WEIGHT, "opacity": 1,
            "fill": False, "dashArray": "8 5" if change == "removed" else None}


def change_legend(changes: gpd.GeoDataFrame, lang: str) -> dict[str, str]:
    """Legend rows ``label -> colour`` of the kinds of change drawn (spatial ones only)."""
    present = set(changes.loc[changes.geometry.notna() & ~changes.geometry.is_empty, "change"])
    return {t(f"change_{c}", lang): colour for c, colour in CHANGE_COLOURS.items()
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
    shown = shown.assign(change_label=[t(f"change_{c}", lang) for c in shown["change"]])
    add_layer(m, folium.GeoJson(
        html_fields(shown[["layer", "feature_id", "change", "change_label", "columns_changed",
                           "geometry"]],
                    ["feature_id", "change_label", "columns_changed"]),
        name=t("changes", lang),
        style_function=lambda f: change_style(f["properties"]["change"]),
        marker=folium.CircleMarker(radius=8, weight=CHANGE_WEIGHT, fill=False),
        tooltip=folium.GeoJsonTooltip(fields=["feature_id", "change_label", "columns_changed"],
                                      aliases=[html_text(t(k, lang)) for k in
                                               ("col_feature", "col_change", "col_columns")]),
    ))
    Legend(t("changes", lang), change_legend(changes, lang)).add_to(m)
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
        t("col_key", lang): rows["key"].to_numpy(),
        t("col_indicator", lang): [label(str(c), lang) for c in rows["indicator"]],
        t("col_a", lang): shown("a"),
        t("col_b", lang): shown("b"),
        t("col_difference", lang): shown("difference"),
    })


def changes_table(changes: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """The changed features: layers by title and changed columns by label, not by name."""
    from ..formatting import EMPTY, is_empty
    from ..model.schema import SCHEMAS
    from .indicators import label

    def layer(name: str) -> str:
        schema = SCHEMAS.get(name)
        return name if schema is None else (schema.title_vi if lang == "vi" else schema.title_en)

    def columns(value: object) -> str:
        if is_empty(value) or not str(value).strip():
            return EMPTY
        return ", ".join(label(c.strip(), lang) for c in str(value).split(",") if c.strip())

    return pd.DataFrame({
        t("col_layer", lang): [layer(str(n)) for n in changes["layer"]],
        t("col_feature", lang): changes["feature_id"].to_numpy(),
        t("col_change", lang): [t(f"change_{c}", lang) for c in changes["change"]],
        t("col_columns", lang): [columns(v) for v in changes["columns_changed"]],
    })
