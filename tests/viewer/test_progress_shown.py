"""Long work in the viewer shows Streamlit's progress bar, fed by the library's callback,
captioned from the catalogue and gone when the work is done (issue 18)."""

from __future__ import annotations

import os

import pytest
from streamlit.delta_generator import DeltaGenerator
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, open_page

from gis_app.settings import PROVINCES
from gis_app.viewer import progress_bar

SAMPLES = [PROVINCES[k].default_path for k in ("bac_ninh", "ninh_binh")]


@pytest.fixture
def drawn(monkeypatch: pytest.MonkeyPatch) -> list[tuple[float, str]]:
    """Every ``st.progress`` the app draws: (share, text) (a spy: the real element is drawn)."""
    calls: list[tuple[float, str]] = []
    original = DeltaGenerator.progress

    def spy(self, value, text=None, **kwargs):  # noqa: ANN001, ANN202
        calls.append((float(value), str(text)))
        return original(self, value, text=text, **kwargs)

    monkeypatch.setattr(DeltaGenerator, "progress", spy)
    # Every report draws, also of work served from a cache (another test may have warmed it).
    monkeypatch.setattr(progress_bar, "DELAY_S", 0.0)
    return calls


def _rises_to_full(calls: list[tuple[float, str]]) -> None:
    shares = [share for share, _ in calls]
    assert shares, "no progress bar was drawn"
    assert shares == sorted(shares) and shares[-1] == 1.0


def test_an_atlas_shows_its_pages_as_they_are_drawn(app: AppTest, drawn) -> None:
    open_page(app, "map_sheets")
    app.radio(key="ms_what").set_value("atlas").run()
    app.text_input(key="ms_prepared").set_value("progress test").run()  # not a cached atlas
    app.button(key="ms_make_atlas").click().run()
    assert not app.exception, app.exception
    assert app.success, "the atlas was not made"
    _rises_to_full(drawn)
    pages = int(drawn[-1][1].split("/")[1].split()[0])
    assert drawn[-1][1] == f"Đang vẽ tập bản đồ: {pages}/{pages} trang"
    assert [text for _, text in drawn[:1]] == [f"Đang vẽ tập bản đồ: 1/{pages} trang"]
    assert not app.get("progress"), "the bar stays after the atlas is done"


def test_the_national_overview_shows_the_province_files_read(monkeypatch: pytest.MonkeyPatch,
                                                             drawn) -> None:
    monkeypatch.setenv("KCN_GIS_FILES", os.pathsep.join(str(p) for p in SAMPLES))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    drawn.clear()  # the province page's own work, if any
    at.radio(key="ov_scope").set_value("national").run()
    assert not at.exception, at.exception
    _rises_to_full(drawn)
    assert [text for _, text in drawn] == ["Reading province files: 1 of 2",
                                           "Reading province files: 2 of 2"]
    assert not at.get("progress")


def test_quick_work_draws_no_bar(monkeypatch: pytest.MonkeyPatch, drawn) -> None:
    monkeypatch.setattr(progress_bar, "DELAY_S", 60.0)
    monkeypatch.setenv("KCN_GIS_FILES", os.pathsep.join(str(p) for p in SAMPLES))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.radio(key="ov_scope").set_value("national").run()
    assert not at.exception, at.exception
    assert drawn == []
