"""The values surveys write in coded fields, and the schema's code each one means.

A board's survey says ``đã thuê`` or ``Chưa GPMB`` where the schema stores ``leased`` and
``not_cleared``. Each code is known by its own name, its Vietnamese and English labels
(:mod:`gis_app.i18n`) and the phrases below; a value is compared with them ignoring case,
Vietnamese diacritics, punctuation and repeated spaces (``Da thue`` is ``đã thuê``), so a
survey typed without diacritics maps too. A phrase is listed under a code only where it cannot
mean another code of the same column.
"""

from __future__ import annotations

import re
import unicodedata

from ..i18n import LABELS

#: Phrases surveys use for each code (besides the code and its labels), in Vietnamese.
PHRASES: dict[str, tuple[str, ...]] = {
    # plot status
    "leased": ("đã thuê", "đã cho thuê", "cho thuê", "đã có nhà đầu tư", "đã giao đất",
               "đã ký hợp đồng thuê"),
    "vacant": ("trống", "còn trống", "đất trống", "chưa thuê", "chưa cho thuê",
               "chưa có nhà đầu tư"),
    "reserved": ("dự trữ", "đất dự trữ", "giữ chỗ", "đặt chỗ", "đã đặt cọc",
                 "ghi nhớ", "thỏa thuận nguyên tắc"),
    "not_cleared": ("chưa GPMB", "chưa giải phóng mặt bằng", "chưa giải phóng",
                    "chưa đền bù", "chưa bồi thường GPMB", "đang GPMB",
                    "đang giải phóng mặt bằng"),
    # land use (zones and plots)
    "industrial": ("đất công nghiệp", "công nghiệp", "đất nhà máy", "nhà máy",
                   "đất sản xuất công nghiệp", "đất xây dựng nhà máy", "CN", "nhà xưởng",
                   "nhà xưởng xây sẵn", "đất nhà xưởng"),
    "warehouse_logistics": ("kho bãi", "đất kho bãi", "kho tàng", "đất kho tàng", "kho vận",
                            "logistics", "đất logistics", "kho"),
    "service_admin": ("dịch vụ", "đất dịch vụ", "điều hành", "đất điều hành",
                      "điều hành dịch vụ", "đất điều hành dịch vụ", "khu điều hành",
                      "trung tâm điều hành", "hành chính dịch vụ", "đất công trình dịch vụ"),
    "green": ("cây xanh", "đất cây xanh", "cây xanh cách ly", "cây xanh tập trung",
              "dải cây xanh", "công viên cây xanh", "CX"),
    "roads": ("giao thông", "đất giao thông", "đường", "đường giao thông",
              "đường nội bộ", "GT"),
    "technical_infrastructure": ("hạ tầng kỹ thuật", "đất hạ tầng kỹ thuật", "HTKT",
                                 "đầu mối hạ tầng kỹ thuật", "công trình đầu mối",
                                 "đất công trình đầu mối hạ tầng kỹ thuật"),
    "water": ("mặt nước", "đất mặt nước", "hồ", "hồ điều hòa", "kênh", "mương", "sông",
              "kênh mương", "ao hồ"),
    # park status
    "proposed": ("đề xuất", "đề xuất bổ sung", "bổ sung quy hoạch", "dự kiến bổ sung"),
    "approved": ("được phê duyệt", "đã phê duyệt", "đã phê duyệt quy hoạch",
                 "có trong quy hoạch", "trong quy hoạch", "quy hoạch", "chưa thành lập"),
    "established": ("thành lập", "đã thành lập", "đã có quyết định thành lập",
                    "đang xây dựng hạ tầng"),
    # park, project and plant status
    "operating": ("đang hoạt động", "hoạt động", "đã hoạt động", "đi vào hoạt động",
                  "đang vận hành", "vận hành", "đang sản xuất"),
    "under_construction": ("đang xây dựng", "xây dựng", "đang triển khai",
                           "đang thi công", "đang đầu tư xây dựng"),
    "behind_schedule": ("chậm tiến độ", "chậm triển khai", "chậm đưa vào sử dụng"),
    "revoked": ("thu hồi", "đã thu hồi", "bị thu hồi", "chấm dứt hoạt động",
                "chấm dứt dự án"),
    "planned": ("theo quy hoạch", "dự kiến", "kế hoạch", "chưa xây dựng", "quy hoạch"),
    # project type
    "secondary": ("thứ cấp", "dự án thứ cấp", "nhà đầu tư thứ cấp", "doanh nghiệp thứ cấp"),
    "infrastructure": ("hạ tầng", "dự án hạ tầng", "kinh doanh hạ tầng", "đầu tư hạ tầng",
                       "chủ đầu tư hạ tầng", "đầu tư kinh doanh hạ tầng"),
}

#: Yes/no fields (``ready_built_factory``, ``auto_monitoring``) as surveys fill them.
TRUE_PHRASES = ("có", "yes", "true", "1", "x", "đúng", "nhà xưởng xây sẵn", "xưởng xây sẵn",
                "NXXS", "xây sẵn", "có nhà xưởng xây sẵn", "tự động", "có quan trắc tự động")
FALSE_PHRASES = ("không", "no", "false", "0", "sai", "không có", "chưa có", "chưa")


def normalise(value: object) -> str:
    """A value as compared with the known phrases: lower case, without Vietnamese diacritics
    (``đ`` is ``d``), punctuation as spaces, spaces collapsed.

    >>> normalise("  Chưa  GPMB "), normalise("ĐÃ THUÊ"), normalise("cây-xanh")
    ('chua gpmb', 'da thue', 'cay xanh')
    """
    text = unicodedata.normalize("NFD", str(value).replace("đ", "d").replace("Đ", "D"))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def known_values(codes: tuple[str, ...]) -> dict[str, str]:
    """Normalised phrase -> code, for a column whose allowed codes are ``codes``."""
    table: dict[str, str] = {}
    for code in codes:
        labels = LABELS.get(code, ())
        for phrase in (code, code.replace("_", " "), *labels, *PHRASES.get(code, ())):
            table.setdefault(normalise(phrase), code)
    return table


def known_flags() -> dict[str, bool]:
    """Normalised phrase -> value, for a yes/no column."""
    table = {normalise(p): True for p in TRUE_PHRASES}
    table.update({normalise(p): False for p in FALSE_PHRASES})
    return table
