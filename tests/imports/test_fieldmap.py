"""Field mapping: explicit pairs first, then names matched ignoring case; never a guess."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from gis_app.errors import ImportDataError
from gis_app.imports.fieldmap import map_fields
from gis_app.model.schema import TENANT_PLOTS, ZONES


def zones(columns: dict[str, list[str]]) -> gpd.GeoDataFrame:
    """Zones of 10 m x 10 m side by side in EPSG:9209."""
    n = len(next(iter(columns.values())))
    squares = [shapely.box(10 * i, 0, 10 * (i + 1), 10) for i in range(n)]
    return gpd.GeoDataFrame(columns, geometry=squares, crs="EPSG:9209")


def test_names_match_ignoring_case_and_the_map_wins():
    source = pd.DataFrame({"Plot_Code": ["A1"], "PROJECT_ID": ["T1"], "ma_du_an": ["T9"]})
    out, chosen = map_fields(source, TENANT_PLOTS, {"ma_du_an": "project_id"}, {}, "f")
    assert out.to_dict("list") == {"plot_code": ["A1"], "project_id": ["T9"]}
    assert chosen == {"project_id": "ma_du_an", "plot_code": "Plot_Code"}


def test_mapped_field_is_found_ignoring_case():
    source = pd.DataFrame({"MA_LO": ["A1"], "project_id": ["T1"]})
    out, _ = map_fields(source, TENANT_PLOTS, {"ma_lo": "plot_code"}, {}, "f")
    assert out["plot_code"].tolist() == ["A1"]


def test_two_fields_matching_one_column_is_an_error():
    source = pd.DataFrame({"plot_code": ["A1"], "PLOT_CODE": ["A2"], "project_id": ["T1"]})
    with pytest.raises(ImportDataError, match="plot_code, PLOT_CODE all match 'plot_code'"):
        map_fields(source, TENANT_PLOTS, {}, {}, "f")


def test_two_fields_mapped_to_one_column_is_an_error():
    source = pd.DataFrame({"a": ["A1"], "b": ["A2"], "project_id": ["T1"]})
    with pytest.raises(ImportDataError, match="both 'a' and 'b' are mapped to 'plot_code'"):
        map_fields(source, TENANT_PLOTS, {"a": "plot_code", "b": "plot_code"}, {}, "f")


def test_defaults_fill_columns_the_source_lacks():
    source = zones({"zone_id": ["Z1", "Z2"], "land_use": ["green", "roads"]})
    out, _ = map_fields(source, ZONES, {}, {"park_code": "P1"}, "f")
    assert out["park_code"].tolist() == ["P1", "P1"]
    assert out.geometry.area.tolist() == [100.0, 100.0]


def test_a_default_overrides_a_field_of_the_same_name():
    source = zones({"zone_id": ["Z1"], "land_use": ["green"], "park_code": ["P1"]})
    out, chosen = map_fields(source, ZONES, {}, {"park_code": "P2"}, "f")
    assert out["park_code"].tolist() == ["P2"]
    assert "park_code" not in chosen


def test_a_default_for_a_mapped_column_is_an_error():
    source = zones({"zone_id": ["Z1"], "land_use": ["green"], "ma_kcn": ["P1"]})
    with pytest.raises(ImportDataError, match="'park_code' comes from field 'ma_kcn'"):
        map_fields(source, ZONES, {"ma_kcn": "park_code"}, {"park_code": "P2"}, "f")


def test_a_default_for_an_unknown_column_is_an_error():
    source = zones({"zone_id": ["Z1"], "land_use": ["green"], "park_code": ["P1"]})
    with pytest.raises(ImportDataError, match="'colour': not a column of layer 'zones'"):
        map_fields(source, ZONES, {}, {"colour": "red"}, "f")


# --- surveyed values of coded fields --------------------------------------------------------


def test_every_phrase_means_one_code_in_each_coded_column():
    from gis_app.i18n import LABELS
    from gis_app.imports.survey_values import PHRASES, normalise
    from gis_app.model.schema import SCHEMAS

    for schema in SCHEMAS.values():
        for column in schema.columns:
            if column.choices is None:
                continue
            meaning: dict[str, set[str]] = {}
            for code in column.choices:
                for phrase in (code, *LABELS.get(code, ()), *PHRASES.get(code, ())):
                    meaning.setdefault(normalise(phrase), set()).add(code)
            clashes = {p: c for p, c in meaning.items() if len(c) > 1}
            assert clashes == {}, (schema.name, column.name)


def plots_surveyed(**columns: list[object]) -> gpd.GeoDataFrame:
    from gis_app.model.schema import PLOTS

    n = len(next(iter(columns.values())))
    base = {"plot_code": [f"A{i}" for i in range(n)], "park_code": ["P1"] * n,
            "land_use": ["industrial"] * n, "status": ["vacant"] * n,
            "ready_built_factory": [False] * n, "area_ha": [0.01] * n}
    squares = [shapely.box(10 * i, 0, 10 * (i + 1), 10) for i in range(n)]
    frame = gpd.GeoDataFrame({**base, **columns}, geometry=squares, crs="EPSG:9209")
    assert set(frame.columns) - {"geometry"} == set(PLOTS.column_names)
    return frame


def test_vietnamese_survey_values_map_to_codes_with_or_without_diacritics():
    from gis_app.model.schema import PLOTS

    source = plots_surveyed(
        status=["trống", "Đã thuê", "CHUA GPMB", "dự trữ", "da cho thue", "  Còn   trống "],
        land_use=["đất công nghiệp", "Kho bãi", "dat cong nghiep", "Hạ tầng kỹ thuật",
                  "dịch vụ", "industrial"],
        ready_built_factory=["nhà xưởng xây sẵn", "không", "Có", "x", "khong", "false"],
    )
    out, _ = map_fields(source, PLOTS, {}, {}, "f")
    assert out["status"].tolist() == ["vacant", "leased", "not_cleared", "reserved",
                                      "leased", "vacant"]
    assert out["land_use"].tolist() == ["industrial", "warehouse_logistics", "industrial",
                                        "technical_infrastructure", "service_admin",
                                        "industrial"]
    assert out["ready_built_factory"].tolist() == [True, False, True, True, False, False]


def test_zone_land_uses_and_park_statuses_are_mapped_too():
    from gis_app.model.schema import PARKS

    out, _ = map_fields(zones({"zone_id": ["Z1", "Z2", "Z3"], "park_code": ["P1"] * 3,
                               "land_use": ["cây xanh", "Mặt nước", "giao thong"]}),
                        ZONES, {}, {}, "f")
    assert out["land_use"].tolist() == ["green", "water", "roads"]
    assert PARKS.column("status").choices is not None
    parks = zones({"park_code": ["P1", "P2", "P3"], "status": ["Đang hoạt động", "đã thành lập",
                                                               "đề xuất"]})
    out, _ = map_fields(parks, PARKS, {}, {"name_vi": "x", "name_en": "x", "province": "x",
                                           "legacy_province": "x", "planned_area_ha": 1,
                                           "established_area_ha": 1}, "f")
    assert out["status"].tolist() == ["operating", "established", "proposed"]


def test_an_explicit_value_map_wins_and_unmapped_values_are_counted_in_one_error():
    from gis_app.model.schema import PLOTS

    source = plots_surveyed(status=["bán", "bán", "trống", "??", "bán", "Lô A"],
                            land_use=["xưởng 2", "industrial", "industrial", "industrial",
                                      "industrial", "industrial"])
    with pytest.raises(ImportDataError) as caught:
        map_fields(source, PLOTS, {}, {}, "survey.shp, layer 'lo'")
    message = str(caught.value)
    assert "\n" not in message and message.startswith("survey.shp, layer 'lo': values with no")
    assert "status: 'bán' (3), " in message and "'??' (1)" in message and "'Lô A' (1)" in message
    assert "land_use: 'xưởng 2' (1)" in message and "--map-values COLUMN=VALUE:CODE" in message
    assert "'trống'" not in message  # a known value is not reported

    out, _ = map_fields(source, PLOTS, {}, {}, "f", {
        "status": {"Ban": "leased", "??": "reserved", "lô a": "vacant", "trống": "reserved"},
        "land_use": {"xưởng 2": "industrial"}})
    assert out["status"].tolist() == ["leased", "leased", "reserved", "reserved", "leased",
                                      "vacant"]


@pytest.mark.parametrize(("value_map", "match"), [
    ({"plot_code": {"a": "b"}}, "'plot_code' is not a coded column of layer 'plots'"),
    ({"status": {"bán": "sold"}}, "'sold' is not a code of status"),
])
def test_a_value_map_to_no_code_is_refused(value_map, match):
    from gis_app.model.schema import PLOTS

    with pytest.raises(ImportDataError, match=match):
        map_fields(plots_surveyed(status=["bán"]), PLOTS, {}, {}, "f", value_map)
