"""Vietnamese and English labels for the codes stored in the data and for column names."""

from __future__ import annotations

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
    # context
    "road": ("Đường bộ", "Road"),
    "railway": ("Đường sắt", "Railway"),
}


def label(key: str, lang: str = "vi") -> str:
    """The label of a code or column in ``lang`` ('vi' or 'en'); unknown keys come back as given."""
    if lang not in LANGS:
        raise ValueError(f"language must be one of {LANGS}, not {lang!r}")
    pair = LABELS.get(key)
    return pair[LANGS.index(lang)] if pair else key
