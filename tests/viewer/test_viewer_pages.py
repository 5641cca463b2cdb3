"""AppTest drives every page of the viewer on a real GeoPackage written to tmp_path.

The example file (gis_app.search.examples): parks P1 (5 plots of 1 ha, B5 leased to
"Alpha Electronics") and P2 (D1, 2 ha, vacant, Bắc Giang); 7 ha leasable, 1 ha leased.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, PASSWORD, login, open_page, texts

from gis_app.settings import ILLUSTRATIVE_NOTICE_EN, ILLUSTRATIVE_NOTICE_VI
from gis_app.viewer.indicators import label
from gis_app.viewer.privacy import CONFIDENTIAL_TENANT_COLUMNS

CAPITAL_PER_HA = "registered_capital_usd_per_ha"


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def all_columns(at: AppTest) -> set[str]:
    return {str(c) for frame in at.dataframe for c in frame.value.columns}


def test_overview_kpis_and_filter(app):
    assert texts(app.title) == ["Tổng quan tỉnh"]
    cards = metrics(app)
    assert cards["Số KCN"] == "2"
    assert cards["Đã cho thuê (ha)"] == "1,0"  # the Vietnamese decimal comma
    assert cards["Tỷ lệ lấp đầy"] == "14,3%"  # 1 ha leased of 7 ha leasable
    assert app.dataframe[0].value.shape[0] == 2
    app.selectbox(key="ov_legacy").set_value("Bắc Giang").run()
    assert metrics(app)["Số KCN"] == "1"
    assert metrics(app)["Tỷ lệ lấp đầy"] == "0,0%"  # P2 alone: nothing leased
    assert list(app.dataframe[0].value["Mã KCN"]) == ["P2"]


def test_language_switch_changes_labels_everywhere(app):
    app.sidebar.radio(key="lang").set_value("en").run()
    assert texts(app.title) == ["Province overview"]
    assert "Occupancy" in metrics(app)
    assert app.sidebar.radio(key="mode").label == "Mode"
    assert ILLUSTRATIVE_NOTICE_EN in texts(app.caption)
    assert "Park code" in all_columns(app) and "Mã KCN" not in all_columns(app)
    app.sidebar.radio(key="lang").set_value("vi").run()
    assert texts(app.title) == ["Tổng quan tỉnh"]
    assert ILLUSTRATIVE_NOTICE_VI in texts(app.caption)


@pytest.mark.parametrize("page", ["overview", "park", "vacant_land", "data"])
def test_every_page_has_the_notice_and_attribution(app, page):
    open_page(app, page)
    captions = " ".join(texts(app.caption))
    assert ILLUSTRATIVE_NOTICE_VI in captions
    assert "OpenStreetMap" in captions
    # The credits in the reader's language only.
    assert "người đóng góp OpenStreetMap" in captions and "contributors" not in captions
    app.sidebar.radio(key="lang").set_value("en").run()
    captions = " ".join(texts(app.caption))
    assert "OpenStreetMap contributors" in captions and "Ranh giới" not in captions


@pytest.mark.parametrize("page", ["overview", "park"])
def test_metric_cards_have_short_labels_and_full_help(app, page):
    """A card's label fits a narrow card (Streamlit cuts long ones off); its help has the
    full wording."""
    open_page(app, page)
    for lang in ("vi", "en"):
        app.sidebar.radio(key="lang").set_value(lang).run()
        assert app.metric, page
        for card in app.metric:
            assert len(card.label) <= 22, (lang, card.label)
            assert card.help, (lang, card.label)


def test_park_page_public_mode_hides_tenants(app):
    open_page(app, "park")
    app.selectbox(key="park_code").set_value("P1").run()
    assert metrics(app)["Đất CN (ha)"] == "5,0"  # the Vietnamese decimal comma
    assert "Thông tin doanh nghiệp chỉ hiển thị cho cán bộ đã đăng nhập." in texts(app.info)
    shown = all_columns(app)
    for column in CONFIDENTIAL_TENANT_COLUMNS:
        assert label(column, "vi") not in shown and column not in shown
    assert "Alpha Electronics" not in str([f.value.to_dict() for f in app.dataframe])
    # P1's park totals come from one project, T1: publishing them would reveal T1's capital.
    efficiency = next(f.value for f in app.dataframe
                      if label(CAPITAL_PER_HA, "vi") in f.value.columns)
    assert (efficiency[label(CAPITAL_PER_HA, "vi")] == "–").all()
    assert any("dưới 3 dự án" in c for c in texts(app.caption))
    app.selectbox(key="park_plot").set_value("B5").run()
    card = app.table[0].value
    assert "Doanh nghiệp thuê" not in card.index  # no tenant on the public card
    assert "Đã cho thuê" in list(card.iloc[:, 0])


def test_officer_login_shows_confidential_fields(app):
    open_page(app, "park")
    login(app)
    assert any("lan" in c for c in texts(app.sidebar.caption))
    app.selectbox(key="park_code").set_value("P1").run()
    shown = all_columns(app)
    capital, employees, investor = (label(c, "vi") for c in
                                    ("registered_capital_usd", "employees", "investor"))
    assert capital in shown and employees in shown
    tenants = next(f.value for f in app.dataframe if investor in f.value.columns)
    assert list(tenants[investor]) == ["Alpha Electronics"]
    assert list(tenants[capital]) == ["10.000.000"]
    efficiency = next(f.value for f in app.dataframe
                      if label(CAPITAL_PER_HA, "vi") in f.value.columns)
    # Officers see it: T1's 10 M USD over its 1 ha (B5).
    assert efficiency[label(CAPITAL_PER_HA, "vi")].iloc[0] == "10.000.000"
    app.selectbox(key="park_plot").set_value("B5").run()
    assert app.table[0].value.loc["Doanh nghiệp thuê"].iloc[0] == "Alpha Electronics"
    # Back to public mode: the same page hides them again.
    app.sidebar.radio(key="mode").set_value("public").run()
    assert capital not in all_columns(app)


def test_wrong_password_is_refused(app):
    login(app, password=PASSWORD + "x")
    assert "Sai tên đăng nhập hoặc mật khẩu." in texts(app.sidebar.error)
    open_page(app, "park")
    app.selectbox(key="park_code").set_value("P1").run()
    assert label("registered_capital_usd", "vi") not in all_columns(app)


def test_vacant_land_widgets_change_results_and_url(app):
    open_page(app, "vacant_land")
    assert texts(app.subheader)[0] == "5 kết quả"
    app.number_input(key="vl_min_ha").set_value(1.5).run()
    assert texts(app.subheader)[0] == "2 kết quả"
    table = app.dataframe[0].value
    assert list(table["Các lô"]) == ["D1", "B1,B2"]
    assert table["Vì sao phù hợp"].iloc[1].startswith("Nhóm 2 lô liền kề (B1,B2)")
    assert app.query_params["min_ha"] == ["1.5"] or app.query_params["min_ha"] == "1.5"
    app.sidebar.radio(key="lang").set_value("en").run()  # the search survives a language switch
    assert texts(app.subheader)[0] == "2 results"
    assert app.dataframe[0].value["Why it fits"].iloc[1].startswith("2 adjacent plots")
    app.sidebar.radio(key="lang").set_value("vi").run()
    app.checkbox(key="vl_factory").check().run()
    assert list(app.dataframe[0].value["Các lô"]) == ["D1"]
    app.number_input(key="vl_rail").set_value(0.55).run()
    assert texts(app.subheader)[0] == "0 kết quả"
    assert "Không có lô đất nào đáp ứng các điều kiện." in texts(app.info)


def test_vacant_land_province_filter(app):
    open_page(app, "vacant_land")
    app.selectbox(key="vl_province").set_value("Bắc Giang").run()
    assert list(app.dataframe[0].value["Các lô"]) == ["D1"]
    assert app.query_params["province"] in (["Bắc Giang"], "Bắc Giang")


def test_vacant_land_link_reproduces_a_search(viewer_env):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["min_ha"] = "3"
    at.run()
    open_page(at, "vacant_land")
    assert at.number_input(key="vl_min_ha").value == 3.0
    assert texts(at.subheader)[0] == "1 kết quả"
    assert list(at.dataframe[0].value["Các lô"]) == ["B1,B2,B3"]


def test_bad_link_shows_a_warning_not_a_traceback(viewer_env):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.query_params["min_ha"] = "lots"
    at.run()
    open_page(at, "vacant_land")
    assert any("min_ha" in w for w in texts(at.warning))
    assert texts(at.subheader)[0] == "5 kết quả"  # falls back to the empty search


def test_data_page_validation_and_sources(app):
    open_page(app, "data")
    assert "Tệp dữ liệu hợp lệ: không phát hiện lỗi." in texts(app.success)
    sources = next(f.value for f in app.dataframe if "Giấy phép" in f.value.columns)
    assert list(sources["Giấy phép"]) == ["MIT"]
    app.sidebar.radio(key="lang").set_value("en").run()
    assert {"Layer", "Geometry", "Licence", "Source"} <= all_columns(app)


def _app_for(monkeypatch, path: Path) -> AppTest:
    monkeypatch.setenv("KCN_GIS_FILES", str(path))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    return at


def test_corrupt_file_shows_a_readable_error(monkeypatch, tmp_path):
    bad = tmp_path / "broken.gpkg"
    bad.write_bytes(b"this is not a GeoPackage")
    at = _app_for(monkeypatch, bad)
    assert not at.exception
    assert len(at.error) == 1 and str(bad) in at.error[0].value
    assert at.error[0].value.startswith("Không đọc được dữ liệu")
    open_page(at, "data")
    assert "Không đọc được nguồn dữ liệu" in set(at.dataframe[0].value["Quy tắc"])


def test_invalid_file_points_to_the_data_page(monkeypatch, tmp_path, province_file):
    import geopandas as gpd

    from gis_app.storage import read_layer
    from gis_app.storage.gpkg import write_layers

    plots = read_layer(province_file, "plots")
    plots.loc[plots["plot_code"] == "B1", "area_ha"] = 9.0  # measured: 1 ha
    write_layers(province_file, {"plots": gpd.GeoDataFrame(plots)})
    at = _app_for(monkeypatch, province_file)
    assert not at.exception
    assert "area_mismatch" in at.error[0].value and "B1" in at.error[0].value
    assert "Xem trang Dữ liệu để biết toàn bộ lỗi." in texts(at.info)
    open_page(at, "data")
    assert list(at.dataframe[0].value["Quy tắc"]) == [
        "Diện tích ghi khác diện tích đo trên 0,5 %"]
    at.sidebar.radio(key="lang").set_value("en").run()
    assert list(at.dataframe[0].value["Rule"]) == [
        "Recorded area differs from the measured area by over 0.5 %"]


def test_no_file_configured(monkeypatch, tmp_path):
    monkeypatch.setenv("KCN_GIS_FILES", str(tmp_path / "missing.gpkg"))
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert "missing.gpkg" in at.error[0].value


def test_vacant_land_fact_sheet_is_made_on_request(app):
    open_page(app, "vacant_land")
    downloads = lambda: [d.proto.label for d in app.get("download_button")]  # noqa: E731
    assert "Tải phiếu thông tin (PDF)" not in downloads()
    app.button(key="vl_fact_sheet").click().run()
    assert not app.exception, app.exception
    assert "Tải phiếu thông tin (PDF)" in downloads()


def _shown_text(at: AppTest) -> str:
    return " ".join(f.value.to_string() for f in at.dataframe)


@pytest.mark.parametrize("page", ["overview", "park", "data"])
def test_tables_read_like_a_report_in_both_languages(app, page):
    """Numbers with the chosen language's separators (not the browser's), no empty-cell
    markers, no internal layer or column names, on the overview, park and data pages."""
    login(app)
    open_page(app, page)
    for lang in ("vi", "en"):
        app.sidebar.radio(key="lang").set_value(lang).run()
        assert not app.exception, app.exception
        shown = _shown_text(app)
        headers = all_columns(app)
        for raw in ("None", "NaN", "nan", "<NA>"):
            assert raw not in shown.split(), (page, lang, raw)
        for internal in ("plots", "tenant_plots", "project_type", "secondary", "park_code",
                         "planned_ha"):
            assert internal not in headers and internal not in shown.split(), (page, internal)
        if page == "overview":
            table = app.dataframe[0].value
            planned = table[label("planned_ha", lang)].tolist()
            share = table[label("occupancy_share", lang)].tolist()
            # P1: 8 ha planned, 1 of 5 ha leased
            assert planned[0] == ("8,00" if lang == "vi" else "8.00")
            assert share[0] == ("20,0%" if lang == "vi" else "20.0%")
