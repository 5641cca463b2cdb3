"""Every user-facing string of the viewer in Vietnamese and English.

Data codes and column names (``operating``, ``leased_ha``) are translated by
:func:`gis_app.viewer.indicators.label` (the analytics' ``gis_app.i18n``); this table holds the
viewer's own words: titles, widget labels, messages. ``t(key, lang)`` fails loudly on an
unknown key so that a missing translation is a test failure, not an English word in a
Vietnamese page.
"""

from __future__ import annotations

LANGS: tuple[str, ...] = ("vi", "en")

_TEXT: dict[str, tuple[str, str]] = {
    # frame and sidebar
    "app_title": ("KCN-GIS: Bản đồ khu công nghiệp", "KCN-GIS: industrial park map"),
    "province_file": ("Tỉnh / tệp dữ liệu", "Province / data file"),
    "language": ("Ngôn ngữ", "Language"),
    "mode": ("Chế độ", "Mode"),
    "mode_public": ("Công khai", "Public"),
    "mode_officer": ("Cán bộ", "Officer"),
    "login": ("Đăng nhập", "Log in"),
    "logout": ("Đăng xuất", "Log out"),
    "username": ("Tên đăng nhập", "User name"),
    "password": ("Mật khẩu", "Password"),
    "login_failed": ("Sai tên đăng nhập hoặc mật khẩu.", "Wrong user name or password."),
    "logged_in_as": ("Đang đăng nhập: {name}", "Logged in as {name}"),
    "login_wait": ("Vừa đăng nhập sai: chờ {wait} rồi thử lại.",
                   "After a failed login, wait {wait} before trying again."),
    "login_locked": (
        "Đăng nhập sai quá nhiều lần nên tạm thời bị khóa. Thử lại sau {wait}.",
        "Too many failed logins: logging in is locked for now. Try again in {wait}.",
    ),
    "wait_seconds": ("{n} giây", "{n} s"),
    "wait_minutes": ("{n} phút", "{n} min"),
    "idle_logged_out": (
        "Phiên cán bộ đã kết thúc sau {minutes} phút không thao tác; trang trở về chế độ "
        "công khai. Hãy đăng nhập lại.",
        "The officer session ended after {minutes} minutes without activity; the page is back "
        "in public mode. Log in again.",
    ),
    "no_parks_yet": (
        "Tệp này chưa có KCN nào. Nhập ranh giới KCN bằng 'kcn-gis import ... --layer parks'.",
        "This file has no park yet. Bring in park outlines with "
        "'kcn-gis import ... --layer parks'.",
    ),
    "no_files": (
        "Chưa có tệp dữ liệu tỉnh. Chạy 'kcn-gis sample' hoặc đặt biến KCN_GIS_FILES.",
        "No province file found. Run 'kcn-gis sample' or set KCN_GIS_FILES.",
    ),
    "data_error": ("Không đọc được dữ liệu", "The data cannot be read"),
    "see_data_page": (
        "Xem trang Dữ liệu để biết toàn bộ lỗi.",
        "See the Data page for every problem.",
    ),
    # pages
    "page_overview": ("Tổng quan tỉnh", "Province overview"),
    "page_park": ("Khu công nghiệp", "Park"),
    "page_vacant": ("Đất trống cho nhà đầu tư", "Vacant land (investors)"),
    "page_data": ("Dữ liệu", "Data"),
    # overview
    "filter_province": ("Tỉnh (sau sáp nhập)", "Province (2025)"),
    "filter_legacy": ("Tỉnh cũ (trước 1/7/2025)", "Legacy province (before 1 July 2025)"),
    "all": ("Tất cả", "All"),
    "colour_by": ("Tô màu theo", "Colour by"),
    "by_occupancy": ("Tỷ lệ lấp đầy", "Occupancy"),
    "by_status": ("Tình trạng", "Status"),
    "show_plots": ("Hiện mọi lô đất", "Show every plot"),
    "too_many_plots": ("{n} lô đất: quá nhiều để vẽ trên bản đồ tổng quan. Hãy lọc theo tỉnh "
                       "hoặc mở trang từng KCN.",
                       "{n} plots: too many to draw on the overview. Filter by province or "
                       "open a park's page."),
    "by_land_use": ("Mục đích sử dụng đất", "Land use"),
    "kpi_parks": ("Số KCN", "Parks"),
    "kpi_operating": ("KCN hoạt động", "Operating"),
    "kpi_planned_ha": ("Quy hoạch (ha)", "Planned (ha)"),
    "kpi_leasable_ha": ("Đất CN (ha)", "Leasable (ha)"),
    "kpi_vacant_ha": ("Còn trống (ha)", "Vacant (ha)"),
    "kpi_headroom": ("XLNT dư (m³/ngày)", "Headroom (m³/day)"),
    "kpi_leased_ha": ("Đã cho thuê (ha)", "Leased (ha)"),
    "kpi_occupancy": ("Tỷ lệ lấp đầy", "Occupancy"),
    "kpi_occupancy_help": (
        "Diện tích đã cho thuê {leased} ha trên {leasable} ha đất công nghiệp cho thuê của các "
        "KCN đã thành lập (như các Ban quản lý công bố).",
        "{leased} ha leased of {leasable} ha leasable industrial land of the established parks "
        "(as the management boards publish it).",
    ),
    "kpi_occupancy_help_none": ("Chưa có KCN đã thành lập có đất cho thuê.",
                                "No established park has leasable land."),
    "kpi_wastewater": ("KCN có XLNT", "With a plant"),
    "choose_placeholder": ("Chọn...", "Choose..."),
    "park_table": ("Bảng các KCN", "Parks"),
    "no_parks": ("Không có KCN nào phù hợp bộ lọc.", "No park matches the filter."),
    # park page
    "choose_park": ("Chọn KCN", "Choose a park"),
    "plot_card": ("Thông tin lô đất", "Plot"),
    "click_plot": ("Bấm vào một lô trên bản đồ để xem thông tin.",
                   "Click a plot on the map to see its card."),
    "tenant": ("Doanh nghiệp thuê", "Tenant"),
    "park": ("Khu công nghiệp", "Park"),
    "lease_period": ("Thời hạn thuê", "Lease period"),
    "tenants": ("Dự án thứ cấp", "Tenant projects"),
    "tenants_hidden": (
        "Thông tin doanh nghiệp chỉ hiển thị cho cán bộ đã đăng nhập.",
        "Tenant details are shown to logged-in officers only.",
    ),
    "efficiency": ("Hiệu quả sử dụng đất", "Land-use efficiency"),
    "efficiency_hidden": (
        "Chỉ số hiệu quả không công bố khi KCN có dưới 3 dự án "
        "(tránh lộ số liệu của từng doanh nghiệp).",
        "Efficiency is not published for parks with fewer than 3 projects (it would reveal a "
        "single tenant's figures).",
    ),
    "occupancy_over_time": ("Tỷ lệ lấp đầy theo thời gian", "Occupancy over time"),
    "reclamation": ("Dự án có thể thu hồi đất", "Reclamation candidates"),
    "no_reclamation": ("Không có dự án chậm tiến độ.", "No project behind schedule."),
    "wastewater": ("Xử lý nước thải", "Wastewater treatment"),
    "no_plots": ("KCN này chưa có lô đất trong dữ liệu.", "This park has no plots in the data."),
    # vacant land
    "search_intro": (
        "Tìm lô đất trống phù hợp. Đường dẫn của trang lưu lại điều kiện tìm kiếm để chia sẻ.",
        "Find vacant plots that fit. The page link keeps the search, so it can be shared.",
    ),
    "parks": ("KCN", "Parks"),
    "province_filter": ("Tỉnh (cả tỉnh cũ)", "Province (or legacy province)"),
    "min_area": ("Diện tích tối thiểu (ha)", "Minimum area (ha)"),
    "max_area": ("Diện tích tối đa (ha, 0 = không giới hạn)", "Maximum area (ha, 0 = no limit)"),
    "land_uses": ("Mục đích sử dụng", "Land use"),
    "ready_built": ("Chỉ lô có nhà xưởng xây sẵn", "Ready-built factory only"),
    "min_headroom": ("Công suất XLNT còn dư tối thiểu (m³/ngày)",
                     "Minimum spare wastewater capacity (m³/day)"),
    "max_road": ("Cách quốc lộ tối đa (km, 0 = bỏ qua)",
                 "Max distance to a national road (km, 0 = ignore)"),
    "max_rail": ("Cách đường sắt tối đa (km, 0 = bỏ qua)",
                 "Max distance to rail (km, 0 = ignore)"),
    "max_dest": ("Cách {name} tối đa (km, 0 = bỏ qua)", "Max distance to {name} (km, 0 = ignore)"),
    "allow_groups": ("Đề xuất nhóm lô liền kề nếu không lô nào đủ rộng",
                     "Propose groups of adjacent plots when no single plot is large enough"),
    "distances_note": ("Khoảng cách đo theo đường chim bay trong hệ VN-2000.",
                       "Distances are straight lines measured in VN-2000."),
    "results": ("{n} kết quả", "{n} results"),
    "no_results": ("Không có lô đất nào đáp ứng các điều kiện.", "No site meets these conditions."),
    "why": ("Vì sao phù hợp", "Why it fits"),
    "why_each": ("Vì sao từng kết quả phù hợp", "Why each site fits"),
    "why_none": ("Vì sao không có kết quả", "Why nothing fits"),
    "conditions_effect": ("Mỗi điều kiện loại bao nhiêu (giữ nguyên các điều kiện khác)",
                          "What each condition excludes (the others kept)"),
    "nearest_matches": ("Kết quả gần nhất khi nới một điều kiện",
                        "Nearest matches relaxing one condition"),
    "no_nearest": ("Nới riêng một điều kiện nào cũng không cho kết quả.",
                   "Relaxing any one condition alone still finds nothing."),
    "use_search": ("Dùng điều kiện này", "Use this search"),
    "score": ("Điểm", "Score"),
    "download_csv": ("Tải danh sách (CSV)", "Download shortlist (CSV)"),
    "download_geojson": ("Tải danh sách (GeoJSON)", "Download shortlist (GeoJSON)"),
    "make_fact_sheet": ("Tạo phiếu thông tin (PDF)", "Make a fact sheet (PDF)"),
    "download_fact_sheet": ("Tải phiếu thông tin (PDF)", "Download the fact sheet (PDF)"),
    "bad_query": ("Đường dẫn chứa điều kiện tìm kiếm không hợp lệ",
                  "The link has an invalid search"),
    # data page
    "validation": ("Kiểm tra dữ liệu", "Validation report"),
    "valid": ("Tệp dữ liệu hợp lệ: không phát hiện lỗi.", "The file is valid: no problem found."),
    "problems": ("{n} lỗi được phát hiện", "{n} problem(s) found"),
    "sources": ("Nguồn và giấy phép của các lớp", "Layer sources and licences"),
    "no_sources": ("Tệp không có bảng nguồn dữ liệu.", "The file has no layer-source table."),
    "dataset": ("Thông tin bộ dữ liệu", "About the dataset"),
    "layers": ("Các lớp trong tệp", "Layers in the file"),
    # maps
    "layer_province": ("Ranh giới tỉnh", "Province boundary"),
    "layer_communes": ("Xã, phường", "Communes and wards"),
    "layer_roads": ("Quốc lộ", "National roads"),
    "layer_rail": ("Đường sắt", "Railway"),
    "layer_parks": ("Khu công nghiệp", "Industrial parks"),
    "layer_plants": ("Trạm XLNT", "Wastewater plants"),
    "layer_plots": ("Lô đất", "Plots"),
    "layer_zones": ("Phân khu chức năng", "Functional zones"),
    "layer_results": ("Kết quả tìm kiếm", "Search results"),
    "layer_tiles": ("Nền OpenStreetMap (cần Internet)", "OpenStreetMap tiles (needs internet)"),
    "legend": ("Chú giải", "Legend"),
    "no_data": ("không có số liệu", "no data"),
    # footer
    "attribution": ("Nguồn dữ liệu tham chiếu", "Reference data"),
}


def t(key: str, lang: str, **values: object) -> str:
    """The viewer string ``key`` in ``lang`` (``vi`` or ``en``), with ``{names}`` filled in."""
    vi, en = _TEXT[key]
    text = vi if lang == "vi" else en
    return text.format(**values) if values else text


def keys() -> list[str]:
    return list(_TEXT)
