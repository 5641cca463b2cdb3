"""The officer desk page (views/officer.py) in AppTest on the shipped Ninh Bình file: the
needs-action list with its link to the park page, the screening explained criterion by
criterion and the efficiency ranking, for logged-in officers only."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, OFFICER, PASSWORD, login, open_page

from gis_app.viewer.auth import add_officer

LAYERS = Path(__file__).resolve().parents[2] / "layers"


@pytest.fixture
def nb_app(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> AppTest:
    for name in ("ninh_binh.gpkg", "ninh_binh_builtup.tif"):
        shutil.copyfile(LAYERS / name, tmp_path / name)
    add_officer(OFFICER, PASSWORD, tmp_path / "officers.toml")
    monkeypatch.setenv("KCN_GIS_FILES", str(tmp_path / "ninh_binh.gpkg"))
    monkeypatch.setenv("KCN_GIS_AUTH_FILE", str(tmp_path / "officers.toml"))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    assert not at.exception, at.exception
    return at


def _frames(at: AppTest) -> dict[str, object]:
    """The page's tables keyed by their first header (the first such table)."""
    out: dict[str, object] = {}
    for d in at.dataframe:
        out.setdefault(str(d.value.columns[0]), d.value)
    return out


def test_public_mode_shows_no_officer_figures(nb_app: AppTest) -> None:
    at = open_page(nb_app, "officer")
    assert not at.dataframe and not at.tabs
    assert any("chỉ cán bộ đã đăng nhập" in i.value for i in at.info)
    # Officer mode chosen but not logged in: still nothing.
    at.sidebar.radio(key="mode").set_value("officer").run()
    assert not at.dataframe


def test_officer_sees_needs_action_rows_and_opens_the_park(nb_app: AppTest) -> None:
    at = login(open_page(nb_app, "officer"))
    actions = _frames(at)["Việc cần xử lý"]
    behind = actions[actions["Việc cần xử lý"] == "Dự án chậm tiến độ"]
    assert len(behind) == 13 and behind["Mã dự án"].is_unique
    assert set(behind["Tên KCN"]) == {"KCN Gián Khẩu", "KCN Khánh Phú", "KCN Phúc Sơn",
                                              "KCN Tam Điệp I"}
    assert not actions.isna().any().any()
    assert "Dự án đã thu hồi, còn giữ đất" in set(actions["Việc cần xử lý"])
    # Pick a behind-schedule project of Khánh Phú (not the first park, which opens anyway):
    # the link names its park and plot.
    position = int(behind.index[behind["Tên KCN"] == "KCN Khánh Phú"][0])
    row = actions.iloc[position]
    at.selectbox(key="officer_action_row_vi").set_value(position).run()
    link = at.get("page_link")[0].proto
    assert link.page == "park"
    plot = row["Các lô"].split(", ")[0]
    assert link.query_string == f"park=NB02&plot={plot}"
    assert row["Tên KCN"] in link.label and plot in link.label
    # Following it opens the park page on that park and plot, still logged in.
    at.query_params["park"], at.query_params["plot"] = "NB02", plot
    at.switch_page("views/park.py").run()
    assert not at.exception, at.exception
    assert at.selectbox(key="park_code").value == "NB02"
    assert at.selectbox(key="park_plot").value == plot
    # Applied once: the address bar then follows the page, and the officer's next choice wins.
    assert at.query_params["park"] == "NB02" and at.query_params["plot"] == plot
    at.selectbox(key="park_code").set_value("NB03").run()
    assert at.selectbox(key="park_code").value == "NB03"
    assert at.query_params["park"] == "NB03" and "plot" not in at.query_params
    assert at.session_state["officer"] == OFFICER


def test_screening_and_efficiency_explained_in_both_languages(nb_app: AppTest) -> None:
    at = login(open_page(nb_app, "officer"))
    tables = _frames(at)
    thresholds = tables["Tiêu chí"]
    assert "đủ điểm khi ≤ 50 lao động/ha" in set(thresholds["Ngưỡng đủ điểm"])
    scores = next(d.value for d in at.dataframe if "Điểm sàng lọc" in d.value.columns)
    assert list(scores.columns[:2]) == ["Thứ hạng", "Mã dự án"]
    assert {"Điểm sàng lọc", "Tiêu chí đạt", "Tiêu chí chưa đạt (giá trị, ngưỡng, điểm)",
            "Điểm: ít lao động"} <= set(scores.columns)
    assert len(scores) == 120 and scores["Điểm sàng lọc"].is_monotonic_decreasing
    explanation = next(d.value for d in at.dataframe if "Đánh giá" in d.value.columns)
    assert len(explanation) == 6
    assert set(explanation["Đánh giá"]) <= {"Đạt", "Đạt một phần", "Không đạt", "Thiếu số liệu"}
    efficiency = next(d.value for d in at.dataframe if "Mã KCN" not in d.value.columns
                      and "Suất đầu tư đăng ký (USD/ha)" in d.value.columns)
    assert list(efficiency["Thứ hạng"]) == [1, 2, 3, 4, 5, 6]
    assert "2,1 triệu USD/ha < 3,0 triệu USD/ha" in " ".join(
        efficiency["Tiêu chí chưa đạt (giá trị, ngưỡng, điểm)"])
    at.sidebar.radio(key="lang").set_value("en").run()
    assert not at.exception, at.exception
    tables = _frames(at)
    assert "Action needed" in tables and "Criterion" in tables
    scores = next(d.value for d in at.dataframe if "Screening score" in d.value.columns)
    assert "full points at ≥ 10.0 million USD/ha" in " ".join(
        scores["Criteria not fully met (value, thresholds, points)"])
    assert "Electronics" in set(scores["Sector"])
    assert (tables["Action needed"]["Action needed"] == "Project behind schedule").sum() == 13


def test_hostile_names_stay_text(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Park names and plot codes typed into a file reach the link's (Markdown) label escaped,
    and the tables as plain text."""
    from gis_app.testing.hostile import write_hostile_province
    from gis_app.viewer.escape import md_text

    data = write_hostile_province(LAYERS / "ninh_binh.gpkg", tmp_path / "hostile.gpkg")
    add_officer(OFFICER, PASSWORD, tmp_path / "officers.toml")
    monkeypatch.setenv("KCN_GIS_FILES", str(data))
    monkeypatch.setenv("KCN_GIS_AUTH_FILE", str(tmp_path / "officers.toml"))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at = login(open_page(at, "officer"))
    actions = _frames(at)["Việc cần xử lý"]
    row = actions.iloc[0]
    label = at.get("page_link")[0].proto.label
    plot = row["Các lô"].split(", ")[0]
    assert label == f"Mở {md_text(row['Tên KCN'])}, lô {md_text(plot)}"
    assert "<" in row["Tên KCN"] or "[" in row["Tên KCN"]  # really hostile
