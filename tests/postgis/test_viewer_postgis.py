"""The viewer on a PostGIS source: the same pages and figures as on the GeoPackage.

The example province (gis_app.search.examples): parks P1 (5 plots of 1 ha, B5 leased) and P2
(D1, 2 ha, vacant, Bắc Giang); 7 ha leasable, 1 ha leased: occupancy 1/7 = 14.3 %.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest  # noqa: TID251 - a viewer test beside the server fixture

from gis_app.cli import main
from gis_app.i18n import t
from gis_app.scenarios import RezonePlots
from gis_app.scenarios.store import ScenarioStore
from gis_app.search.examples import write_example
from gis_app.storage import source
from gis_app.storage.transfer import copy_province
from gis_app.viewer import cache, frame, launch
from gis_app.viewer.auth import add_officer

APP = Path(__file__).resolve().parents[2] / "gis_app" / "viewer" / "app.py"


@pytest.fixture
def example_file(tmp_path: Path) -> Path:
    return write_example(tmp_path / "bac_ninh_example.gpkg")


@pytest.fixture
def example_url(pg_url: str, example_file: Path) -> str:
    copy_province(example_file, pg_url)
    return pg_url


def _app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, files: str) -> AppTest:
    auth = tmp_path / "officers.toml"
    add_officer("lan", "mật-khẩu-đúng", auth)
    monkeypatch.setenv("KCN_GIS_FILES", files)
    monkeypatch.setenv("KCN_GIS_AUTH_FILE", str(auth))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_overview_on_postgis_shows_the_same_figures(example_url, example_file, monkeypatch,
                                                    tmp_path):
    on_file = _metrics(_app(monkeypatch, tmp_path, str(example_file)))
    at = _app(monkeypatch, tmp_path, example_url)
    assert [t.value for t in at.title] == ["Tổng quan tỉnh"]
    cards = _metrics(at)
    assert cards == on_file
    assert cards["Số KCN"] == "2" and cards["Đã cho thuê (ha)"] == "1,0"
    assert cards["Tỷ lệ lấp đầy"] == "14,3%"
    assert at.dataframe[0].value.shape[0] == 2
    box = at.sidebar.selectbox(key="data_file")
    assert box.value == example_url and box.format_func(box.value) == "Bắc Ninh (PostGIS)"
    at.selectbox(key="ov_legacy").set_value("Bắc Giang").run()
    assert _metrics(at)["Số KCN"] == "1" and _metrics(at)["Tỷ lệ lấp đầy"] == "0,0%"


def test_an_edit_in_the_database_reaches_the_next_run(example_url, monkeypatch, tmp_path):
    at = _app(monkeypatch, tmp_path, example_url)
    key = cache.file_key(example_url)
    assert _metrics(at)["Tỷ lệ lấp đầy"] == "14,3%"
    plan = source.read_plan(example_url)
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "B5", "status"] = "vacant"  # B5's tenant moves out
    links = plan.tenant_plots[plan.tenant_plots["plot_code"] != "B5"]
    source.write_plan(example_url, plan.replace(plots=plots, tenant_plots=links))
    # The layer versions moved on, so the cache key did: no stale plan is served.
    assert cache.file_key(example_url) != key
    assert "plots=2" in cache.file_key(example_url) and "plots=1" in key
    at.run()
    assert not at.exception, at.exception
    assert _metrics(at)["Tỷ lệ lấp đầy"] == "0,0%"  # 0 ha leased of 7


def test_data_page_validates_the_database(example_url, monkeypatch, tmp_path):
    at = _app(monkeypatch, tmp_path, example_url)
    at.switch_page("views/data.py").run()
    assert not at.exception, at.exception
    assert "Tệp dữ liệu hợp lệ: không phát hiện lỗi." in [e.value for e in at.success]
    sources = next(f.value for f in at.dataframe if "Giấy phép" in f.value.columns)
    assert list(sources["Giấy phép"]) == ["MIT"]  # the layer_sources table, from the database
    listing = next(f.value for f in at.dataframe if "Lớp" in f.value.columns)
    # Every table by its title: no internal name (plots, layer_sources) reaches the reader.
    assert {"Lô đất", "Quốc lộ và đường sắt", "Nguồn và giấy phép của các lớp",
            "Thông tin bộ dữ liệu"} <= set(listing["Lớp"])
    assert not {"plots", "roads_rail", "layer_sources", "dataset_info"} & set(listing["Lớp"])


def test_a_url_and_files_share_the_files_variable(example_url, example_file):
    files = launch.province_files(example_url)
    assert files[0] == example_url
    env = launch.environment([*files, example_file], base={})
    assert frame.split_sources(env["KCN_GIS_FILES"], os.pathsep) == [*files, example_file]


def test_view_refuses_a_url_without_a_province(pg_cluster, pg_db, capsys):
    assert main(["view", pg_cluster.url(pg_db)]) == 2
    assert "names no province" in capsys.readouterr().err


def test_officer_saves_a_scenario_into_the_database(example_url, monkeypatch, tmp_path):
    at = _app(monkeypatch, tmp_path, example_url)
    at.sidebar.radio(key="mode").set_value("officer").run()
    at.sidebar.text_input(key="login_name").input("lan")
    at.sidebar.text_input(key="login_password").input("mật-khẩu-đúng")
    next(b for b in at.sidebar.button if b.label == "Đăng nhập").click().run()
    at.switch_page("views/scenarios.py").run()
    at.text_input(key="scn_new_name").input("Trên máy chủ")
    next(b for b in at.button if b.label == t("scenario.create", "vi")).click().run()
    assert not at.exception, at.exception
    store = ScenarioStore(example_url)
    [sid] = store.ids()  # created in PostGIS, not in a file
    at.selectbox(key="scn_op").set_value(RezonePlots).run()
    at.multiselect(key="scn_rezone_plots_plots").set_value(["B1"])
    at.selectbox(key="scn_rezone_plots_land_use").set_value("green")
    next(b for b in at.button if b.label == t("scenario.add_edit", "vi")).click().run()
    next(b for b in at.button if b.label == t("scenario.save", "vi")).click().run()
    assert not at.exception, at.exception
    assert t("scenario.saved", "vi", version=2) in [s.value for s in at.success]
    assert [e.operation for e in store.open(sid).edits] == ["rezone_plots"]
    # Downloads (GeoPackage, report, sheet) are built from the database too.
    assert [b.label for b in at.get("download_button")] == [
        t("scenario.download_gpkg", "vi"), t("scenario.download_xlsx", "vi"),
        t("scenario.download_sheet", "vi", park="P1")]


PUBLIC_PAGES = ("views/overview.py", "views/park.py", "views/vacant_land.py", "views/data.py",
                "views/map_sheets.py")


def test_the_public_role_drives_every_public_page(example_url, pg_cluster, pg_db, login,
                                                   monkeypatch, tmp_path):
    """Connected as a kcn_public login, every public page runs, history panel included: the
    change log and the tenants' history are read through their public views."""
    from datetime import date

    from gis_app.history import Basis, record_change, start_history

    start_history(example_url, Basis.imported("survey.dxf", "Nguyễn Văn A"), "2011-01-01")
    plan = source.read_plan(example_url)
    plots = plan.plots.copy()
    plots.loc[plots["plot_code"] == "B1", "status"] = "reserved"
    record_change(example_url, plan.replace(plots=plots),
                  Basis.decision("5/QĐ-BQL", date(2015, 1, 1), "BQL", recorded_by="Lan"))
    public = pg_cluster.url(pg_db, user=login("kcn_public"), province="bac_ninh")
    at = _app(monkeypatch, tmp_path, public)
    assert _metrics(at)["Số KCN"] == "2"
    picker = at.selectbox(key="ov_as_of")
    assert "01/01/2015 · 5/QĐ-BQL · BQL" in picker.options  # the decisions, from the public view
    assert t("history.changes", "vi") in [h.value for h in at.subheader]
    for page in PUBLIC_PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
        if page == "views/park.py":  # the park's own changes, from the public view
            assert t("history.changes", "vi") in [h.value for h in at.subheader]
