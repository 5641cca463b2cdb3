"""The investor's page: a zero-result search explains itself, a link keeps its language, every
"why it fits" sentence reads without scrolling and the park names sit under the right header."""

from __future__ import annotations

import re

import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, open_page, texts

from gis_app.search import build_index, explain
from gis_app.search.explain import lines
from gis_app.search.query import SearchQuery
from gis_app.settings import PROVINCES
from gis_app.storage.gpkg import read_context, read_plan
from gis_app.testing.hostile import IMG, SCRIPT, SVG, write_hostile_province
from gis_app.viewer.escape import md_text

NOI_BAI = SearchQuery(min_area_ha=30.0, min_headroom_m3_day=1000.0,
                      max_km_to=(("noibai", 40.0),))


def _open_link(params: dict[str, str]) -> AppTest:
    """A new session opening the vacant-land page from a shared link with ``params``."""
    at = AppTest.from_file(str(APP), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return open_page(at, "vacant_land")


def _markdown(at: AppTest) -> str:
    return "\n".join(texts(at.markdown))


def _param(at: AppTest, key: str) -> str:
    value = at.query_params[key]
    return value[-1] if isinstance(value, list) else value


@pytest.fixture
def bac_ninh_env(monkeypatch: pytest.MonkeyPatch):
    path = PROVINCES["bac_ninh"].default_path
    assert path.exists(), f"{path} is shipped with the repository"
    monkeypatch.setenv("KCN_GIS_FILES", str(path))
    return path


def test_zero_result_link_in_english_explains_itself(bac_ninh_env):
    at = _open_link({**NOI_BAI.to_params(), "lang": "en"})
    assert at.sidebar.radio(key="lang").value == "en"
    assert texts(at.subheader)[:2] == ["0 results", "Why nothing fits"]
    # The page shows the library's explanation of this very search, in English.
    plan, roads = read_plan(bac_ninh_env), read_context(bac_ninh_env, "roads_rail")
    found = explain(plan, NOI_BAI, roads, index=build_index(plan, roads))
    shown = _markdown(at)
    assert lines(found, "en")[0] == "No site meets all 3 conditions."
    assert "No site meets these conditions." in texts(at.info)
    for sentence in lines(found, "en")[1:]:  # the first is the message above
        assert md_text(sentence) in shown
    assert "“at least 30 ha”: without it," in shown
    assert f"under the other conditions is {found.largest.area_ha:.2f} ha" in shown
    assert "Relax “at least 30 ha” to “at least " in shown
    assert "Không có" not in shown  # nothing in Vietnamese on the English page
    # The nearest match's button runs it: the area drops to the largest contiguous area.
    at.button(key="vl_use_min_area").click().run()
    assert not at.exception, at.exception
    assert at.number_input(key="vl_min_ha").value <= found.largest.area_ha
    assert int(texts(at.subheader)[0].split()[0]) > 0
    assert _param(at, "lang") == "en"


def test_zero_result_explanation_in_vietnamese(bac_ninh_env):
    at = _open_link(NOI_BAI.to_params())  # no lang: the default, Vietnamese
    assert texts(at.subheader)[:2] == ["0 kết quả", "Vì sao không có kết quả"]
    shown = _markdown(at)
    assert "Không có lô đất nào đáp ứng các điều kiện." in texts(at.info)
    assert "“rộng từ 30 ha”: nếu bỏ, có" in shown
    assert "No site" not in shown


def test_shared_link_opens_in_its_language(viewer_env):
    at = _open_link({"min_ha": "1.5", "lang": "en"})
    assert at.sidebar.radio(key="lang").value == "en"
    assert texts(at.title)[0] == "Vacant land (investors)"
    assert texts(at.subheader)[0] == "2 results"
    assert _param(at, "lang") == "en" and _param(at, "min_ha") == "1.5"
    # Switching language rewrites the link, so a link copied now opens in Vietnamese.
    at.sidebar.radio(key="lang").set_value("vi").run()
    assert texts(at.subheader)[0] == "2 kết quả"
    assert _param(at, "lang") == "vi"
    again = _open_link({k: _param(at, k) for k in ("min_ha", "lang")})
    assert texts(again.subheader)[0] == "2 kết quả"


def test_park_names_under_the_right_header(viewer_env):
    at = _open_link({"min_ha": "1.5", "lang": "en"})
    table = at.dataframe[0].value
    assert list(table["Park"]) == ["Park Two", "Park One"]  # English names, "Park" header
    assert "Name (Vietnamese)" not in table.columns
    at.sidebar.radio(key="lang").set_value("vi").run()
    assert list(at.dataframe[0].value["Tên KCN"]) == ["KCN Hai", "KCN Một"]


def test_why_sentences_are_written_out(viewer_env):
    at = _open_link({"min_ha": "1.5", "lang": "en"})
    # Each site's "why it fits" sentence is on the page in full, numbered as ranked.
    table = at.dataframe[0].value
    shown = _markdown(at)
    assert "**Why each site fits**" in shown
    for rank, sentence in enumerate(table["Why it fits"], 1):
        assert f"{rank}. {md_text(sentence)}" in shown
    at.sidebar.radio(key="lang").set_value("vi").run()
    table = at.dataframe[0].value
    assert f"1. {md_text(table['Vì sao phù hợp'].iloc[0])}" in _markdown(at)


_UNESCAPED = re.compile(r"(?<!\\)[<\[]")


@pytest.mark.parametrize("params", [{"min_ha": "1.5"},
                                    {"factory": "1", "rail_km": "0.55"}])  # none: explained
def test_hostile_names_in_sentences_stay_text(viewer_env, tmp_path, monkeypatch, params):
    hostile = write_hostile_province(viewer_env, tmp_path / "hostile.gpkg")
    monkeypatch.setenv("KCN_GIS_FILES", str(hostile))
    for lang in ("vi", "en"):
        at = _open_link({**params, "lang": lang})
        shown = _markdown(at)
        assert any(h in shown.replace("\\", "") for h in (IMG, SCRIPT, SVG))  # names shown
        assert not _UNESCAPED.search(shown.replace("**", "")), shown


@pytest.mark.parametrize("view", ["<img src=x>,1,2", "91,106,12", "nan,106,12", "21,106",
                                  "21,106,99"])
def test_a_bad_map_view_in_a_link_is_ignored(viewer_env, view):
    at = _open_link({"min_ha": "1.5", "lang": "en", "map": view})
    assert texts(at.subheader)[0] == "2 results"
    assert "map" not in at.query_params  # the page writes back only what it understood


def test_a_map_view_in_a_link_stays_for_its_search(viewer_env):
    at = _open_link({"min_ha": "1.5", "lang": "en", "map": "21.1,106.05,12"})
    assert _param(at, "map") == "21.10000,106.05000,12"
    at.number_input(key="vl_min_ha").set_value(3.0).run()  # a new search: the map refits
    assert "map" not in at.query_params
