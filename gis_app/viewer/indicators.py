"""The one place the viewer reaches into the analytics package and the shared labels.

Pages call these names only, so when ``gis_app.analytics`` or ``gis_app.i18n`` change shape
this module is the only one to adapt.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..analytics import (
    occupancy_over_time,
    park_indicators,
    province_indicators,
    reclamation_candidates,
    wastewater_status,
)
from ..i18n import label as _label
from ..storage.backend import is_database

#: Labels the shared gis_app.i18n table does not have (yet): looked up when it returns the key.
_CODES: dict[str, tuple[str, str]] = {
    "mixed": ("Hỗn hợp", "Mixed"),
    "land_use": ("Mục đích sử dụng đất", "Land use"),
    "ready_built_factory": ("Nhà xưởng xây sẵn", "Ready-built factory"),
    "country": ("Quốc gia", "Country"),
    "road_km": ("Cách quốc lộ (km)", "To a national road (km)"),
    "rail_km": ("Cách đường sắt (km)", "To the railway (km)"),
    "plot_codes": ("Các lô", "Plots"),
    "search_score": ("Điểm phù hợp", "Fit score"),
    # data page: validation report, layer list, sources and dataset tables
    "layer": ("Lớp", "Layer"),
    "layer_title": ("Nội dung", "Contents"),
    "geometry": ("Kiểu hình học", "Geometry"),
    "file": ("Tệp", "File"),
    "feature_id": ("Đối tượng", "Feature"),
    "rule": ("Quy tắc", "Rule"),
    "message": ("Mô tả lỗi", "Problem"),
    "source": ("Nguồn", "Source"),
    "licence": ("Giấy phép", "Licence"),
    "attribution": ("Ghi nguồn", "Attribution"),
    "date": ("Ngày", "Date"),
    "note": ("Ghi chú", "Note"),
    "key": ("Mục", "Item"),
    "value": ("Giá trị", "Value"),
    "pts_road": ("Điểm: quốc lộ", "Points: road"),
    "pts_rail": ("Điểm: đường sắt", "Points: rail"),
    "pts_destinations": ("Điểm: điểm đến", "Points: destinations"),
    "pts_wastewater": ("Điểm: XLNT", "Points: wastewater"),
    "pts_ready_built": ("Điểm: nhà xưởng", "Points: ready-built factory"),
    "pts_single_plot": ("Điểm: một lô liền", "Points: single plot"),
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


def park_occupancy_series(table: pd.DataFrame, park_code: str) -> pd.Series:
    """Occupancy share by year of one park (empty when no lease has a date), picked from the
    province's :func:`occupancy_over_time` (computed once per plan version, not per park)."""
    if park_code not in table.index.get_level_values(0):
        return pd.Series(dtype="float64", name="occupancy_share")
    return table.xs(park_code, level=0)["occupancy_share"]


def totals_row(province: str | None, legacy: str | None) -> tuple[str, str]:
    """Which :func:`province_indicators` row the overview's cards show: ``(by, key)``.

    The overview filters by 2025 province and by legacy province (None: all); its cards show
    that row as it is, so they agree with ``kcn-gis summary`` (occupancy is the boards'
    figure: leased over leasable land of established parks, not a ratio of the cards).
    A legacy province lies inside one 2025 province, so with both filters set the legacy
    province's row is the one shown. The table itself is computed once per plan version and
    grouping (:func:`gis_app.viewer.cache.province_indicators`), not once per filter.
    """
    if legacy is not None:
        return "legacy_province", legacy
    if province is not None:
        return "province", province
    return "all", "all"


def builtup_raster_of(path: Path | str) -> Path | None:
    """The built-up raster shipped beside a province file (``<stem>_builtup.tif``), if any;
    None for a PostGIS URL (rasters are not kept in the database)."""
    if is_database(path):
        return None
    path = Path(path)
    raster = path.with_name(f"{path.stem}_builtup.tif")
    return raster if raster.exists() else None


def park_reclamation(table: pd.DataFrame, park_code: str) -> pd.DataFrame:
    """Reclamation candidates of one park, most urgent first (``plot_code`` a column), picked
    from the province's :func:`reclamation_candidates` (computed once per plan version)."""
    return table[table["park_code"] == park_code].reset_index()


__all__ = [
    "builtup_raster_of",
    "park_occupancy_series",
    "park_reclamation",
    "label",
    "labels",
    "occupancy_over_time",
    "park_indicators",
    "province_indicators",
    "reclamation_candidates",
    "totals_row",
    "wastewater_status",
]
