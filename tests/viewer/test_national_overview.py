"""The national overview (issue 17): with several province files loaded, the overview page
offers every province at once, one point per park, and the table by province with totals
ranked by occupancy; its map's size follows the parks, never the plots."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, texts

from gis_app.analytics import national_summary, province_indicators
from gis_app.analytics.national import TOTAL
from gis_app.formatting import number, percent
from gis_app.province_init import init_province
from gis_app.sample.scale import build_scaled
from gis_app.settings import PROVINCES
from gis_app.storage.gpkg import read_plan
from gis_app.viewer import national

SAMPLES = [PROVINCES[k].default_path for k in ("bac_ninh", "ninh_binh")]


@pytest.fixture(scope="module")
def empty_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A province fresh from ``kcn-gis init`` (no park yet)."""
    path = tmp_path_factory.mktemp("national") / "hue.gpkg"
    init_province("hue", path)
    return path


@pytest.fixture(scope="module")
def parts(empty_file: Path) -> list[national.ProvincePart]:
    return [national.read_part(str(p)) for p in [*SAMPLES, empty_file]]


def _map_bytes(n_parks: int, n_plots: int) -> int:
    plan = build_scaled(n_parks, n_plots, seed=3)
    part = national.province_part("x.gpkg", plan, {"province": "bac_ninh"}, None)
    return len(national.national_map([part]).get_root().render().encode())


def test_map_size_grows_with_parks_not_plots() -> None:
    base = _map_bytes(20, 2_000)
    twice_the_plots = _map_bytes(20, 4_000)
    twice_the_parks = _map_bytes(40, 4_000)
    # Twice the plots (the same parks, larger): the map does not carry plots, so its size
    # barely moves; twice the parks: each adds its point and popup.
    assert abs(twice_the_plots - base) < 0.01 * base, (base, twice_the_plots)
    assert twice_the_parks - twice_the_plots > 20 * abs(twice_the_plots - base) + 2_000, (
        twice_the_plots, twice_the_parks)


def test_every_park_is_one_point_and_every_province_its_boundary(parts) -> None:
    plans = [read_plan(p) for p in SAMPLES]
    assert [len(p.parks) for p in parts] == [len(plan.parks) for plan in plans] + [0]
    assert all((p.parks.geom_type == "Point").all() for p in parts)
    assert all(len(p.boundary) == 1 for p in parts)  # the empty province's boundary too
    html = national.national_map(parts, lang="vi").get_root().render()
    for plan in plans:
        for code in plan.parks["park_code"]:
            assert f'"park_code": "{code}"' in html
    assert "plot_code" not in html  # no plot at national level
    # The empty province reads as empty: no error, zero parks, no rank.
    assert parts[2].error is None and parts[2].name_vi == "Huế"


def test_table_sums_then_divides_and_ranks_by_occupancy(parts) -> None:
    table = national.national_table(parts, "vi")
    rows, total = table.iloc[:-1], table.iloc[-1]
    assert list(rows["key"]) == ["ninh_binh", "bac_ninh", "hue"]  # 74 % before 63 %
    shares = rows["occupancy_share"].dropna()
    assert shares.is_monotonic_decreasing
    assert list(rows["nat.rank"].astype("object").where(rows["nat.rank"].notna(), None)) == [
        1, 2, None]
    own = {k: province_indicators(read_plan(p), by="all").loc["all"]
           for k, p in zip(("bac_ninh", "ninh_binh"), SAMPLES, strict=True)}
    for key, row in own.items():
        mine = rows.set_index("key").loc[key]
        assert mine["occupancy_share"] == pytest.approx(row["occupancy_share"])
        assert mine["parks_count"] == row["parks_count"]
    leased = sum(r["leased_established_ha"] for r in own.values())
    leasable = sum(r["leasable_established_ha"] for r in own.values())
    assert total["occupancy_share"] == pytest.approx(leased / leasable)
    assert total["occupancy_share"] != pytest.approx(shares.mean(), abs=1e-4)  # not averaged
    assert total["parks_count"] == sum(r["parks_count"] for r in own.values())
    hue = rows.set_index("key").loc["hue"]
    assert hue["parks_count"] == 0 and pd.isna(hue["occupancy_share"])
    assert total["province"] == "Tổng các tỉnh đã mở"
    assert national.national_table(parts, "en").iloc[-1]["province"] == (
        "Total of the provinces loaded")


def _as_summary(table: pd.DataFrame) -> pd.DataFrame:
    """The viewer's table in :func:`national_summary`'s terms (Vietnamese names, its columns)."""
    out = table.rename(columns={"nat.rank": "rank"}).set_index("province")
    return out.rename(index={"Tổng các tỉnh đã mở": TOTAL}).drop(columns="key")


def test_the_table_is_national_summary_of_the_samples(parts) -> None:
    """The viewer's figures are those of ``kcn-gis summary`` over the same files: every
    row, rank and total, for the two sample provinces and the empty one."""
    plans = [read_plan(p) for p in SAMPLES] + [read_plan(parts[2].source)]
    expected = national_summary(plans, also=[(), (), ("Huế",)])
    shown = _as_summary(national.national_table(parts, "vi"))
    assert list(shown.index) == list(expected.index) == [
        "Ninh Bình", "Bắc Ninh", "Huế", TOTAL]
    for column in shown.columns:
        pd.testing.assert_series_equal(shown[column], expected[column], check_names=False,
                                       check_dtype=False, check_index_type=False)


def test_a_file_holding_two_provinces_gives_their_rows_as_the_summary_does() -> None:
    """Rows are the parks' own provinces, as in ``kcn-gis summary`` (the viewer used to list
    a file as one province whatever its parks): a Bắc Ninh file with some parks of Hà Nội
    gives both rows, each with its own parks and occupancy."""
    plan = read_plan(SAMPLES[0])
    parks = plan.parks.copy()
    moved = parks["park_code"].isin(parks["park_code"].iloc[::3])
    parks.loc[moved, "province"] = "Hà Nội"
    plan = plan.replace(parks=parks)
    part = national.province_part("bn.gpkg", plan, {"province": "bac_ninh"}, None)
    table = national.national_table([part], "en")
    expected = national_summary([plan], also=[("Bắc Ninh",)])
    assert set(table["key"]) == {"bac_ninh", "ha_noi", ""}
    assert len(table) == len(expected) == 3
    rows = table.set_index("key")
    for key, name in (("bac_ninh", "Bắc Ninh"), ("ha_noi", "Hà Nội")):
        assert rows.loc[key, "parks_count"] == expected.loc[name, "parks_count"]
        assert rows.loc[key, "occupancy_share"] == pytest.approx(
            expected.loc[name, "occupancy_share"])
    assert rows.loc["ha_noi", "province"] == "Hanoi"  # the registry's English name
    assert rows.loc["ha_noi", "parks_count"] == int(moved.sum())


def test_a_click_on_a_point_names_its_park_and_file(parts) -> None:
    point = parts[1].parks.geometry.iloc[3]
    assert national.park_at(parts, point.y, point.x) == (
        str(SAMPLES[1]), parts[1].parks["park_code"].iloc[3])
    assert national.park_at(parts, point.y + 0.05, point.x) is None  # empty map area


def test_an_unreadable_file_is_named_and_the_others_still_show(tmp_path: Path, parts) -> None:
    broken = tmp_path / "broken.gpkg"
    broken.write_text("not a GeoPackage", encoding="utf-8")
    part = national.read_part(str(broken))
    assert part.error and part.parks.empty
    table = national.national_table([*parts, part], "en")
    assert len(table) == 4  # three provinces and the total, the broken file left out


def _overview(monkeypatch: pytest.MonkeyPatch, files: list[Path], lang: str) -> AppTest:
    monkeypatch.setenv("KCN_GIS_FILES", os.pathsep.join(str(p) for p in files))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    return at


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_overview_offers_the_national_view(monkeypatch: pytest.MonkeyPatch, empty_file: Path,
                                           lang: str) -> None:
    at = _overview(monkeypatch, [*SAMPLES, empty_file], lang)
    at.radio(key="ov_scope").set_value("national").run()
    assert not at.exception, at.exception
    assert not at.error, texts(at.error)
    subheaders = texts(at.subheader)
    assert {"vi": "Tổng quan toàn quốc", "en": "National overview"}[lang] in subheaders
    assert any(("Huế" if lang == "vi" else "Hue") in t for t in texts(at.info))
    table = at.dataframe[0].value
    total = table.iloc[-1]
    plans = [read_plan(p) for p in SAMPLES]
    leased = sum(province_indicators(p, by="all").loc["all", "leased_established_ha"]
                 for p in plans)
    leasable = sum(province_indicators(p, by="all").loc["all", "leasable_established_ha"]
                   for p in plans)
    planned = sum(province_indicators(p, by="all").loc["all", "planned_ha"] for p in plans)
    assert percent(leased / leasable, lang) in total.to_list()
    assert number(planned, lang, 2) in total.to_list()  # 1.234,56 in Vietnamese
    assert len(table) == 4


def test_one_file_offers_no_national_view(monkeypatch: pytest.MonkeyPatch) -> None:
    at = _overview(monkeypatch, SAMPLES[:1], "vi")
    assert not [r for r in at.radio if r.key == "ov_scope"]


def test_view_takes_several_provinces(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    from gis_app import cli
    from gis_app.viewer import launch

    a, b = tmp_path / "a.gpkg", tmp_path / "b.gpkg"
    for path in (a, b):
        path.write_bytes(b"")
    files = launch.province_files([str(a), "ninh_binh", str(b), str(a)])
    assert files[:3] == [a.resolve(), PROVINCES["ninh_binh"].default_path.resolve(),
                         b.resolve()]
    # The other shipped file follows once; none is listed twice.
    assert files[3:] == [PROVINCES["bac_ninh"].default_path]
    assert cli.main(["view", str(a), "/nowhere/x.gpkg"]) == 2  # refused before any server
    assert "/nowhere/x.gpkg" in capsys.readouterr().err


def test_hostile_park_names_are_text_on_the_national_map() -> None:
    from gis_app.testing import tiny_plan

    plan = tiny_plan()
    parks = plan.parks.copy()
    parks["name_vi"] = "<img src=x onerror=alert(1)>"
    parks["name_en"] = "<script>alert(2)</script>"
    part = national.province_part("x.gpkg", plan.replace(parks=parks),
                                  {"province_name_vi": "<b>Tỉnh</b>"}, None)
    for lang in ("vi", "en"):
        html = national.national_map([part], lang=lang).get_root().render()
        assert "<img src=x" not in html and "<script>alert" not in html
        assert "<b>Tỉnh" not in html
