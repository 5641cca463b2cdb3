"""Vietnamese and English labels for the codes stored in the data and for column names.

A plain dict module: ``LABELS[key] = (vi, en)``. Other parts of the product add their own
keys; :func:`label` falls back to the key itself so that a missing translation shows up as
an English identifier rather than failing.
"""

from __future__ import annotations

import pandas as pd

from .errors import UsageError

LANGS = ("vi", "en")

LABELS: dict[str, tuple[str, str]] = {
    # park status
    "proposed": ("Đề xuất bổ sung quy hoạch", "Proposed"),
    "approved": ("Được phê duyệt quy hoạch", "Approved in plan"),
    "established": ("Đã thành lập", "Established"),
    "operating": ("Đang hoạt động", "Operating"),
    # plot status
    "leased": ("Đã cho thuê", "Leased"),
    "vacant": ("Còn trống", "Vacant"),
    "reserved": ("Giữ chỗ", "Reserved"),
    "not_cleared": ("Chưa giải phóng mặt bằng", "Not yet cleared"),
    # land use
    "industrial": ("Đất nhà máy, xí nghiệp", "Industrial"),
    "warehouse_logistics": ("Đất kho bãi, logistics", "Warehouse and logistics"),
    "service_admin": ("Đất dịch vụ, điều hành", "Services and administration"),
    "green": ("Đất cây xanh", "Green space"),
    "roads": ("Đất giao thông", "Roads"),
    "technical_infrastructure": ("Đất hạ tầng kỹ thuật", "Technical infrastructure"),
    "water": ("Mặt nước", "Water surface"),
    # project status and type
    "under_construction": ("Đang xây dựng", "Under construction"),
    "behind_schedule": ("Chậm tiến độ", "Behind schedule"),
    "revoked": ("Đã thu hồi", "Revoked"),
    "planned": ("Theo quy hoạch", "Planned"),
    "secondary": ("Dự án thứ cấp", "Secondary project"),
    "infrastructure": ("Dự án hạ tầng", "Infrastructure project"),
    # yes / no (boolean cells of text tables)
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    # sectors of the sample tenants
    "electronics": ("Điện tử", "Electronics"),
    "pharmaceuticals": ("Dược phẩm", "Pharmaceuticals"),
    "auto_parts": ("Phụ tùng ô tô", "Auto parts"),
    "textiles": ("Dệt may", "Textiles"),
    "chemicals": ("Hóa chất", "Chemicals"),
    "plastics": ("Nhựa", "Plastics"),
    "materials": ("Vật liệu", "Materials"),
    "food": ("Thực phẩm", "Food"),
    "mechanical": ("Cơ khí", "Mechanical engineering"),
    "logistics": ("Logistics", "Logistics"),
    # context
    "road": ("Đường bộ", "Road"),
    "railway": ("Đường sắt", "Railway"),
    # area basis of a park's figures
    "plots": ("Đo từ lô đất", "Measured from plots"),
    "park_attributes": ("Theo số liệu KCN", "From park attributes"),
    # reclamation reasons
    "low_builtup": ("Tỷ lệ xây dựng thấp", "Low built-up share"),
    # identity columns
    "park_code": ("Mã KCN", "Park code"),
    "project_id": ("Mã dự án", "Project ID"),
    "plot_code": ("Mã lô", "Plot code"),
    "name_vi": ("Tên KCN", "Name (Vietnamese)"),
    "name_en": ("Tên tiếng Anh", "Name (English)"),
    "province": ("Tỉnh", "Province"),
    "title": ("Tên bộ dữ liệu", "Title"),
    "legacy_province": ("Tỉnh (trước sáp nhập 2025)", "Province (before the 2025 merger)"),
    "status": ("Tình trạng", "Status"),
    "park_status": ("Tình trạng KCN", "Park status"),
    "investor": ("Nhà đầu tư", "Investor"),
    "sector": ("Ngành nghề", "Sector"),
    "project_status": ("Tình trạng dự án", "Project status"),
    "project_type": ("Loại dự án", "Project type"),
    "lease_start": ("Ngày bắt đầu thuê", "Lease start"),
    "year": ("Năm", "Year"),
    "rank": ("Thứ hạng", "Rank"),
    # areas (ha)
    "planned_ha": ("Diện tích quy hoạch (ha)", "Planned area (ha)"),
    "outline_ha": ("Diện tích đo theo ranh giới (ha)", "Area measured from outline (ha)"),
    "established_ha": ("Diện tích đã thành lập (ha)", "Established area (ha)"),
    "leasable_ha": ("Đất công nghiệp cho thuê theo quy hoạch (ha)",
                    "Leasable industrial land (ha)"),
    "leasable_established_ha": ("Đất công nghiệp cho thuê của các KCN đã thành lập (ha)",
                                "Leasable industrial land of established parks (ha)"),
    "leased_established_ha": ("Đã cho thuê tại các KCN đã thành lập (ha)",
                              "Leased in established parks (ha)"),
    "cleared_ha": ("Đất đã giải phóng mặt bằng (ha)", "Cleared land (ha)"),
    "leased_ha": ("Đã cho thuê (ha)", "Leased (ha)"),
    "vacant_ha": ("Còn trống (ha)", "Vacant (ha)"),
    "reserved_ha": ("Giữ chỗ (ha)", "Reserved (ha)"),
    "not_cleared_ha": ("Chưa giải phóng mặt bằng (ha)", "Not yet cleared (ha)"),
    "rbf_vacant_ha": ("Nhà xưởng xây sẵn còn trống (ha)", "Vacant ready-built factories (ha)"),
    "plots_ha": ("Tổng diện tích lô đất (ha)", "All plots (ha)"),
    "projects_ha": ("Đất của các dự án thứ cấp (ha)", "Land of secondary projects (ha)"),
    "area_ha": ("Diện tích (ha)", "Area (ha)"),
    "area_basis": ("Nguồn số liệu diện tích", "Area basis"),
    # occupancy
    "occupancy_share": ("Tỷ lệ lấp đầy", "Occupancy"),
    "occupancy_cleared_share": ("Tỷ lệ lấp đầy trên đất đã GPMB", "Occupancy of cleared land"),
    # counts
    "parks_count": ("Số KCN", "Parks"),
    "parks_approved_count": ("Số KCN được phê duyệt quy hoạch", "Parks approved in plan"),
    "parks_established_count": ("Số KCN đã thành lập", "Parks established"),
    "parks_operating_count": ("Số KCN đang hoạt động", "Parks operating"),
    "parks_operating_with_plant_count": ("Số KCN hoạt động có trạm XLNT tập trung",
                                         "Operating parks with a central plant"),
    "parks_operating_monitored_count": ("Số KCN hoạt động có trạm quan trắc tự động",
                                        "Operating parks with automatic monitoring"),
    "projects_valid_count": ("Số dự án còn hiệu lực", "Valid projects"),
    "projects_operating_count": ("Dự án đang hoạt động", "Projects operating"),
    "projects_under_construction_count": ("Dự án đang xây dựng", "Projects under construction"),
    "projects_behind_schedule_count": ("Dự án chậm tiến độ", "Projects behind schedule"),
    "projects_revoked_count": ("Dự án đã thu hồi", "Projects revoked"),
    "secondary_projects_valid_count": ("Số dự án thứ cấp còn hiệu lực",
                                       "Valid secondary projects"),
    # money, jobs, efficiency
    "registered_capital_usd": ("Vốn đăng ký (USD)", "Registered capital (USD)"),
    "realised_capital_usd": ("Vốn thực hiện (USD)", "Realised capital (USD)"),
    "revenue_usd": ("Doanh thu (USD)", "Revenue (USD)"),
    "exports_usd": ("Kim ngạch xuất khẩu (USD)", "Exports (USD)"),
    "budget_contribution_usd": ("Nộp ngân sách (USD)", "Budget contribution (USD)"),
    "employees": ("Số lao động", "Employees"),
    "registered_capital_usd_per_ha": ("Suất đầu tư đăng ký (USD/ha)",
                                      "Registered capital per ha (USD/ha)"),
    "realised_capital_usd_per_ha": ("Vốn thực hiện trên 1 ha (USD/ha)",
                                    "Realised capital per ha (USD/ha)"),
    "revenue_usd_per_ha": ("Doanh thu trên 1 ha (USD/ha)", "Revenue per ha (USD/ha)"),
    "exports_usd_per_ha": ("Xuất khẩu trên 1 ha (USD/ha)", "Exports per ha (USD/ha)"),
    "budget_usd_per_ha": ("Nộp ngân sách trên 1 ha (USD/ha)", "Budget per ha (USD/ha)"),
    "employees_per_ha": ("Lao động trên 1 ha", "Employees per ha"),
    "realised_share": ("Tỷ lệ vốn thực hiện", "Realised share of capital"),
    "registered_capital_usd_per_project": ("Vốn đăng ký bình quân một dự án (USD)",
                                           "Registered capital per project (USD)"),
    # wastewater
    "plant_operating": ("Có trạm XLNT tập trung hoạt động", "Central plant operating"),
    "plant_present": ("Có trạm XLNT tập trung", "Central plant present"),
    "design_capacity_m3_day": ("Công suất thiết kế (m³/ngày)", "Design capacity (m³/day)"),
    "current_load_m3_day": ("Lưu lượng hiện tại (m³/ngày)", "Current load (m³/day)"),
    "pending_capacity_m3_day": ("Công suất đang xây dựng, quy hoạch (m³/ngày)",
                                "Capacity under construction or planned (m³/day)"),
    "utilisation_share": ("Tỷ lệ sử dụng công suất", "Utilisation"),
    "headroom_m3_day": ("Công suất còn dư (m³/ngày)", "Headroom (m³/day)"),
    "auto_monitoring": ("Có trạm quan trắc tự động", "Automatic monitoring"),
    "wastewater_coverage_share": ("Tỷ lệ KCN hoạt động có trạm XLNT",
                                  "Wastewater coverage of operating parks"),
    "coverage_share": ("Tỷ lệ bao phủ", "Coverage"),
    "flag_operating_without_plant": ("KCN hoạt động chưa có trạm XLNT",
                                     "Operating without a plant"),
    "flag_high_utilisation": ("Trạm XLNT gần hết công suất", "Plant near capacity"),
    # reclamation and screening
    "years_since_lease": ("Số năm từ khi thuê", "Years since lease start"),
    "builtup_share": ("Tỷ lệ xây dựng", "Built-up share"),
    "reason_vi": ("Lý do", "Reason (Vietnamese)"),
    "reason_en": ("Lý do (tiếng Anh)", "Reason"),
    "score": ("Điểm sàng lọc", "Screening score"),
    # plan history (gis_app.history)
    "change_id": ("Mã thay đổi", "Change"),
    "effective_date": ("Ngày hiệu lực", "Effective date"),
    "basis_type": ("Căn cứ", "Basis"),
    "decision_no": ("Số quyết định/văn bản", "Decision no."),
    "decision_date": ("Ngày quyết định", "Decision date"),
    "authority": ("Cơ quan ban hành", "Issuing authority"),
    "document_ref": ("Tài liệu", "Document"),
    "source_file": ("Tệp nguồn", "Source file"),
    "recorded_by": ("Người ghi", "Recorded by"),
    "recorded_at": ("Thời điểm ghi", "Recorded at"),
    "description": ("Nội dung", "Description"),
    "reverses": ("Hủy bỏ thay đổi", "Reverses"),
    "scenario_id": ("Kịch bản", "Scenario"),
    "features_count": ("Số đối tượng", "Features"),
    "layer": ("Lớp", "Layer"),
    "feature_id": ("Mã đối tượng", "Feature"),
    "action": ("Thay đổi", "Change type"),
    "columns": ("Thuộc tính thay đổi", "Changed columns"),
    "change_ids": ("Các thay đổi", "Changes"),
    "decision_nos": ("Căn cứ (quyết định/tệp)", "Basis (decision/file)"),
    "effective_dates": ("Ngày hiệu lực", "Effective dates"),
    "decision": ("Quyết định", "Decision"),
    "import": ("Nhập dữ liệu", "Import"),
    "scenario_approval": ("Phê duyệt kịch bản", "Scenario approval"),
    "reversal": ("Hủy bỏ thay đổi", "Reversal"),
    "added": ("Thêm mới", "Added"),
    "removed": ("Loại bỏ", "Removed"),
    "changed": ("Điều chỉnh", "Changed"),
    # Validation rules (gis_app.rules.validate.RULES): the rule in the reader's language;
    # the problem's own message, which names the feature and values, stays in English.
    "rule": ("Quy tắc", "Rule"),
    "message": ("Chi tiết (tiếng Anh)", "Details"),
    "file": ("Tệp", "File"),
    "missing_layer": ("Thiếu lớp dữ liệu bắt buộc", "A required layer is missing"),
    "missing_column": ("Thiếu trường bắt buộc", "A required column is missing"),
    "wrong_type": ("Giá trị sai kiểu dữ liệu", "A value has the wrong type"),
    "missing_value": ("Thiếu giá trị bắt buộc", "A required value is empty"),
    "bad_code": ("Mã không nằm trong danh mục", "A code is not an allowed value"),
    "below_minimum": ("Giá trị nhỏ hơn mức tối thiểu", "A number is below its minimum"),
    "missing_crs": ("Lớp không có hệ tọa độ", "A layer has no coordinate system"),
    "wrong_crs": ("Không đúng hệ tọa độ VN-2000 của tỉnh",
                  "Not in the province's VN-2000 system"),
    "wrong_geometry_type": ("Sai loại hình học", "Wrong geometry type"),
    "empty_geometry": ("Đối tượng không có hình học", "A feature has no geometry"),
    "invalid_geometry": ("Hình học không hợp lệ (tự cắt, vòng sai, ...)",
                         "Invalid geometry (self-intersection, bad ring, ...)"),
    "duplicate_id": ("Trùng mã đối tượng", "Duplicate id"),
    "unknown_park": ("Mã KCN không có trong lớp KCN", "Park not in the parks layer"),
    "plot_outside_park": ("Lô đất nằm ngoài ranh giới KCN", "Plot outside its park"),
    "overlapping_plots": ("Các lô đất chồng lấn nhau", "Plots overlap"),
    "overlapping_parks": ("Các KCN chồng lấn nhau", "Parks overlap"),
    "area_mismatch": ("Diện tích ghi khác diện tích đo trên 0,5 %",
                      "Recorded area differs from the measured area by over 0.5 %"),
    "unknown_plot": ("Liên kết tới lô đất không tồn tại", "Link to a plot that does not exist"),
    "unknown_project": ("Liên kết tới dự án không tồn tại",
                        "Link to a project that does not exist"),
    "leased_without_tenant": ("Lô đã cho thuê nhưng không có dự án",
                              "Leased plot without a project"),
    "unreadable": ("Không đọc được nguồn dữ liệu", "The source cannot be read"),
    "non_finite": ("Tọa độ, diện tích hoặc số liệu không hữu hạn (NaN, vô cực, quá lớn)",
                   "A coordinate, area or number is not finite (NaN, infinite, too large)"),
    # officer reports (gis_app.officer_reports): screening, efficiency ranking, needs action
    "park_name": ("Tên KCN", "Park"),  # the park's name in the reader's language
    "plot_codes": ("Các lô", "Plots"),
    "action_kind": ("Việc cần xử lý", "Action needed"),
    "detail": ("Chi tiết", "Details"),
    "criterion": ("Tiêu chí", "Criterion"),
    "input": ("Chỉ số đo", "Measured by"),
    "weight": ("Điểm tối đa", "Maximum points"),
    "points": ("Điểm đạt", "Points"),
    "value": ("Giá trị", "Value"),
    "full_points_at": ("Ngưỡng đủ điểm", "Full points at"),
    "zero_points_at": ("Ngưỡng 0 điểm", "No points at"),
    "verdict": ("Đánh giá", "Verdict"),
    "verdict_met": ("Đạt", "Met"),
    "verdict_partial": ("Đạt một phần", "Partly met"),
    "verdict_missed": ("Không đạt", "Missed"),
    "verdict_missing": ("Thiếu số liệu", "No data"),
    "criteria_met": ("Tiêu chí đạt", "Criteria met"),
    "criteria_short": ("Tiêu chí chưa đạt (giá trị, ngưỡng, điểm)",
                       "Criteria not fully met (value, thresholds, points)"),
    "threshold": ("Ngưỡng", "Threshold"),
    "flag_count": ("Số chỉ tiêu dưới ngưỡng", "Figures below their minimum"),
    "area_ha_per_musd": ("Diện tích trên 1 triệu USD vốn (ha)", "Land per million USD (ha)"),
    "high_tech": ("Công nghệ cao", "High technology"),
    "non_polluting": ("Không gây ô nhiễm", "Non-polluting"),
    "labour_points": ("Điểm: ít lao động", "Points: little labour"),
    "land_points": ("Điểm: ít đất", "Points: little land"),
    "capital_points": ("Điểm: suất đầu tư cao", "Points: high capital per ha"),
    "efficiency_points": ("Điểm: hiệu quả kinh tế cao", "Points: high economic efficiency"),
    "technology_points": ("Điểm: công nghệ cao", "Points: high technology"),
    "pollution_points": ("Điểm: không ô nhiễm", "Points: no pollution"),
}


def label(key: str, lang: str = "vi") -> str:
    """The label of a code or column in ``lang`` ('vi' or 'en'); unknown keys come back as given."""
    if lang not in LANGS:
        raise UsageError(f"language must be one of {LANGS}, not {lang!r}")
    pair = LABELS.get(key)
    return pair[LANGS.index(lang)] if pair else key


#: Columns whose values are codes to translate (not free text such as names).
CODE_COLUMNS = ("status", "park_status", "project_status", "area_basis", "land_use", "sector",
                "basis_type", "action")


def label_frame(frame: pd.DataFrame, lang: str = "vi", *,
                code_columns: tuple[str, ...] = CODE_COLUMNS) -> pd.DataFrame:
    """A copy of ``frame`` with translated column names, index name and code values."""
    if lang not in LANGS:
        raise UsageError(f"language must be one of {LANGS}, not {lang!r}")
    out = frame.copy()
    translation = {key: pair[LANGS.index(lang)] for key, pair in LABELS.items()}
    for column in code_columns:
        if column in out.columns:
            values = out[column]
            out[column] = values.map(translation).fillna(values)
    out.columns = [label(str(c), lang) for c in out.columns]
    if out.index.name:
        out.index = out.index.rename(label(out.index.name, lang))
    return out
