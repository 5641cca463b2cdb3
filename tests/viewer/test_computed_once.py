"""Each figure is computed once per plan version, by the analytics; the pages only display it.

The real analytics and storage functions run wrapped in a counter (every module's binding of
the function is replaced by the wrapper, which calls the real function), while a real viewer
session (AppTest) renders the pages of a copy of the shipped Bắc Ninh sample.
"""

from __future__ import annotations

import inspect
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, open_page

from gis_app.formatting import number, percent
from gis_app.scenarios import RezonePlots, Scenario
from gis_app.scenarios.store import ScenarioStore
from gis_app.settings import PROVINCES
from gis_app.storage import source


def count_calls(monkeypatch: pytest.MonkeyPatch, real: Callable) -> list[dict[str, object]]:
    """Replace every ``gis_app`` module's binding of ``real`` by a wrapper that records the
    call's arguments (by name, defaults filled in) and calls ``real``; returns the record."""
    calls: list[dict[str, object]] = []
    signature = inspect.signature(real)

    def counted(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        bound = signature.bind(*args, **kwargs)
        bound.apply_defaults()
        calls.append(dict(bound.arguments))
        return real(*args, **kwargs)

    for name, module in list(sys.modules.items()):
        if not (name == "gis_app" or name.startswith("gis_app.")):
            continue
        for attr, value in list(vars(module).items()):
            if value is real:
                monkeypatch.setattr(module, attr, counted)
    return calls


@pytest.fixture
def sample(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    path = tmp_path / "bac_ninh.gpkg"
    shutil.copyfile(PROVINCES["bac_ninh"].default_path, path)
    monkeypatch.setenv("KCN_GIS_FILES", str(path))
    monkeypatch.setenv("KCN_GIS_AUTH_FILE", str(tmp_path / "officers.toml"))
    return path


def _viewer() -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    return at


def _card(at: AppTest, name: str) -> str:
    [card] = [m for m in at.metric if m.label == name]
    return str(card.value)


def test_overview_occupancy_is_the_analytics_figure_computed_once_per_grouping(
        monkeypatch, sample):
    import gis_app.analytics.indicators as real

    compute, plan = real.province_indicators, source.read_plan(sample)
    calls = count_calls(monkeypatch, real.province_indicators)
    at = _viewer()
    expected = compute(plan, by="all").loc["all"]
    # The card shows the analytics' own number (the boards' occupancy of established parks).
    assert _card(at, "Occupancy") == percent(expected["occupancy_share"], "en")
    assert _card(at, "Leased (ha)") == number(expected["leased_ha"], "en", 1)
    assert [c["by"] for c in calls] == ["all"]
    legacies = [v for v in at.selectbox(key="ov_legacy").options if v != "All"]
    assert len(legacies) == 2
    # Every filter combination the overview offers, then back to everything: each grouping's
    # table is computed once for this plan version; a filter only picks its row.
    by_legacy = compute(plan, by="legacy_province")
    [province] = [v for v in at.selectbox(key="ov_province").options if v != "All"]
    for chosen_province in ("All", province):
        at.selectbox(key="ov_province").select(chosen_province).run()
        for legacy in legacies:
            at.selectbox(key="ov_legacy").select(legacy).run()
            assert not at.exception, at.exception
            assert _card(at, "Occupancy") == percent(
                by_legacy.loc[legacy, "occupancy_share"], "en")
        at.selectbox(key="ov_legacy").select("All").run()
    at.selectbox(key="ov_province").select("All").run()
    assert _card(at, "Occupancy") == percent(expected["occupancy_share"], "en")
    assert sorted(c["by"] for c in calls) == ["all", "legacy_province", "province"]


def test_pages_share_the_plan_and_the_park_table(monkeypatch, sample):
    import gis_app.analytics.indicators as real

    reads = count_calls(monkeypatch, source.read_plan)
    parks = count_calls(monkeypatch, real.park_indicators)
    at = _viewer()
    open_page(at, "park")
    open_page(at, "overview")
    # The overview and the park page (again and again): one park table per plan version.
    assert len(parks) == 1
    # The map-sheets page draws from the plan the viewer holds: not read and validated again.
    open_page(at, "map_sheets")
    at.button(key="ms_make").click().run()
    assert not at.exception, at.exception
    assert at.success and at.success[0].value.startswith("Made ")
    open_page(at, "park")
    assert len(reads) == 1


def test_scenarios_page_compares_once_per_pair_of_plan_versions(monkeypatch, app, viewer_env):
    import gis_app.analytics.indicators as real

    ScenarioStore(viewer_env).save(Scenario.new("Công khai", scenario_id="pub").with_edit(
        RezonePlots(id="e1", plot_codes=("B1",), land_use="green")))
    reads = count_calls(monkeypatch, source.read_plan)
    parks = count_calls(monkeypatch, real.park_indicators)
    provinces = count_calls(monkeypatch, real.province_indicators)
    open_page(app, "scenarios")
    # The differences table and the downloads (GeoPackage, report, sheet): baseline and
    # scenario, once each.
    assert len(app.get("download_button")) == 3
    assert len(parks) == len(provinces) == 2
    # Reruns of the page (level, only-changed) show the same table: nothing computed again.
    app.radio(key="scn_level").set_value("park").run()
    app.checkbox(key="scn_only").uncheck().run()
    assert not app.exception, app.exception
    # The park level, every indicator: still the analytics' table, only shown differently.
    shown = app.dataframe[1].value
    assert set(shown.iloc[:, 0]) == {"P1", "P2"}  # the key column: parks, not the province
    assert len(parks) == len(provinces) == 2
    assert len(reads) == 1


def test_park_page_computes_the_province_tables_once_for_every_park(monkeypatch, sample):
    import gis_app.analytics.reclamation as reclamation
    import gis_app.analytics.timeline as timeline

    series = count_calls(monkeypatch, timeline.occupancy_over_time)
    candidates = count_calls(monkeypatch, reclamation.reclamation_candidates)
    at = _viewer()
    open_page(at, "park")
    codes = at.selectbox(key="park_code").options
    assert len(codes) > 3
    for shown in codes[1:4]:
        at.selectbox(key="park_code").select(shown).run()
        assert not at.exception, at.exception
        # Each park's own chart and table, picked from the province's tables.
        code = shown.rsplit("(", 1)[1].rstrip(")")
        assert code in at.selectbox(key="park_code").value
    # Occupancy over time and the reclamation candidates of the province: once per version.
    assert len(series) == len(candidates) == 1


def test_a_parks_plots_table_is_written_once_for_every_session(monkeypatch, sample):
    """The plots table under a park's map (every plot's cells through Babel, nationally ten
    thousand) is written once per plan version, park and language, shared by every session:
    neither a click on the map (a rerun of the map's fragment) nor a second reader's visit
    writes it again; the plan is read once for both."""
    import gis_app.formatting as formatting

    reads = count_calls(monkeypatch, source.read_plan)
    tables = count_calls(monkeypatch, formatting.display_table)

    def plots_tables() -> int:
        return sum("plot_code" in c["frame"].columns and "land_use" in c["frame"].columns
                   for c in tables)

    first = _viewer()
    open_page(first, "park")
    shown = first.selectbox(key="park_code").value
    assert plots_tables() == 1
    first.selectbox(key="park_plot").select_index(1).run()  # the card of another plot
    assert not first.exception, first.exception
    second = _viewer()
    open_page(second, "park")
    assert second.selectbox(key="park_code").value == shown
    assert plots_tables() == 1
    assert len(reads) == 1
    # Another language is another table.
    second.sidebar.radio(key="lang").set_value("vi").run()
    assert plots_tables() == 2
