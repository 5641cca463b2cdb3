"""AppTest drives the Scenarios page on a real GeoPackage in tmp_path (the search example:
park P1 with plots B1-B5 of 1 ha, B5 leased; park P2 with D1, 2 ha; 7 ha leasable)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest
from viewer_helpers import login, open_page, texts

from gis_app.i18n import t
from gis_app.scenarios import AddPark, RezonePlots, Scenario
from gis_app.scenarios.store import ScenarioStore


def _scenarios_page(app: AppTest, officer: bool = True) -> AppTest:
    if officer:
        login(app)
    return open_page(app, "scenarios")


def _create(app: AppTest, name: str = "Thử nghiệm") -> AppTest:
    app.text_input(key="scn_new_name").input(name)
    next(b for b in app.button if b.label == t("scenario.create", "vi")).click().run()
    assert not app.exception, app.exception
    return app


def _submit_edit(app: AppTest) -> AppTest:
    next(b for b in app.button if b.label == t("scenario.add_edit", "vi")).click().run()
    assert not app.exception, app.exception
    return app


def test_public_mode_shows_scenarios_but_no_editing(app: AppTest, viewer_env: Path) -> None:
    _scenarios_page(app, officer=False)
    assert texts(app.title) == [t("scenario.title", "vi")]
    assert t("scenario.none_yet", "vi") in texts(app.info)
    assert t("scenario.officer_only", "vi") in texts(app.caption)
    ScenarioStore(viewer_env).save(Scenario.new("Công khai", scenario_id="pub").with_edit(
        RezonePlots(id="e1", plot_codes=("B1",), land_use="green")))
    app.run()
    assert app.selectbox(key="scn_choice").value == "pub"
    # no editing in public
    assert not [b for b in app.button if b.label == t("scenario.save", "vi")]
    province = app.dataframe[1].value  # edits, then the differences table
    leasable = province.loc[province["Chỉ tiêu"].str.contains("cho thuê theo quy hoạch")]
    # Hectares with the Vietnamese decimal comma, whatever the browser's locale.
    assert leasable[["Trước", "Sau", "Chênh lệch"]].values.tolist() == [["7,00", "6,00",
                                                                         "-1,00"]]


def test_officer_creates_edits_and_saves_a_scenario(app: AppTest, viewer_env: Path) -> None:
    _scenarios_page(app)
    _create(app)
    store = ScenarioStore(viewer_env)
    [sid] = store.ids()
    assert app.selectbox(key="scn_choice").value == sid
    assert t("scenario.no_edits", "vi") in texts(app.info)
    app.selectbox(key="scn_op").set_value(RezonePlots).run()
    # Streamlit's own placeholder is English ("Choose options"): the page gives its own.
    assert app.multiselect(key="scn_rezone_plots_plots").placeholder == "Chọn..."
    app.multiselect(key="scn_rezone_plots_plots").set_value(["B1"])
    app.selectbox(key="scn_rezone_plots_land_use").set_value("green")
    _submit_edit(app)
    assert t("scenario.unsaved", "vi") in texts(app.warning)
    assert app.dataframe[0].value["id"].tolist() == ["e1"]
    assert store.open(sid).edits == ()  # nothing written until saved
    next(b for b in app.button if b.label == t("scenario.save", "vi")).click().run()
    assert t("scenario.saved", "vi", version=2) in texts(app.success)
    assert [e.operation for e in store.open(sid).edits] == ["rezone_plots"]
    labels = [b.label for b in app.get("download_button")]
    assert labels == [t("scenario.download_gpkg", "vi"), t("scenario.download_xlsx", "vi"),
                      t("scenario.download_sheet", "vi", park="P1")]


def test_an_invalid_edit_is_reported_with_its_id(app: AppTest, viewer_env: Path) -> None:
    _scenarios_page(app)
    _create(app)
    app.selectbox(key="scn_op").set_value(RezonePlots).run()
    app.multiselect(key="scn_rezone_plots_plots").set_value(["B5"])  # leased
    app.selectbox(key="scn_rezone_plots_land_use").set_value("green")
    _submit_edit(app)
    errors = " ".join(texts(app.error))
    assert "edit e1 (rezone_plots)" in errors and "leased land re-zoned away" in errors


def test_a_pasted_outline_adds_a_park(app: AppTest, viewer_env: Path) -> None:
    _scenarios_page(app)
    _create(app)
    # 300 m x 300 m, 3 km east of the example's parks, in the province's VN-2000 zone.
    app.text_area(key="scn_pasted").input(
        "POLYGON ((553000 2335000, 553300 2335000, 553300 2335300, 553000 2335300, "
        "553000 2335000))")
    app.selectbox(key="scn_pasted_crs").set_value("EPSG:9209")
    app.selectbox(key="scn_op").set_value(AddPark).run()
    app.text_input(key="scn_add_park_park_code").input("P9")
    _submit_edit(app)
    assert app.dataframe[0].value["id"].tolist() == ["e1"]
    # In words, with the park's area (300 m x 300 m), not "add_park(park_code=P9; ...)".
    assert app.dataframe[0].value[t("scenario.edit_description", "vi")].tolist() == [
        "Bổ sung KCN (9 ha, được phê duyệt quy hoạch)"]
    # The new park is in the scenario's plan, so it can be chosen for the next edit.
    assert any(o.endswith("(P9)") for o in app.selectbox(key="scn_park").options)


def test_a_stale_save_is_refused_on_the_page(app: AppTest, viewer_env: Path) -> None:
    _scenarios_page(app)
    _create(app)
    store = ScenarioStore(viewer_env)
    [sid] = store.ids()
    app.selectbox(key="scn_op").set_value(RezonePlots).run()
    app.multiselect(key="scn_rezone_plots_plots").set_value(["B2"])
    app.selectbox(key="scn_rezone_plots_land_use").set_value("service_admin")
    _submit_edit(app)
    # Another officer saves the same scenario meanwhile.
    theirs = store.open(sid)
    store.save(theirs.with_edit(RezonePlots(id="x1", plot_codes=("B3",), land_use="green")))
    next(b for b in app.button if b.label == t("scenario.save", "vi")).click().run()
    assert "saved by someone else" in " ".join(texts(app.error))
    assert [e.id for e in store.open(sid).edits] == ["x1"]


def test_edits_and_differences_read_as_sentences_in_both_languages(app: AppTest,
                                                                   viewer_env: Path) -> None:
    ScenarioStore(viewer_env).save(Scenario.new("Công khai", scenario_id="pub").with_edit(
        RezonePlots(id="e1", plot_codes=("B1",), land_use="green")))
    _scenarios_page(app, officer=False)
    for lang, sentence in (("vi", "Chuyển 1 lô (1 ha: B1) sang Đất cây xanh"),
                           ("en", "Re-zone 1 plot (1 ha: B1) to green space")):
        app.sidebar.radio(key="lang").set_value(lang).run()
        assert not app.exception, app.exception
        edits = app.dataframe[0].value
        assert edits[t("scenario.edit_description", lang)].tolist() == [sentence]
        shown = " ".join(f.value.to_string() for f in app.dataframe)
        for raw in ("rezone_plots", "plot_codes", "None", "NaN", "<NA>"):
            assert raw not in shown, (lang, raw)
        changes = app.dataframe[-1].value  # the changed features: layers by title
        assert "plots" not in set(changes.iloc[:, 0]) and "zones" not in set(changes.iloc[:, 0])
