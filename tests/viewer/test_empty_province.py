"""A province file fresh from ``kcn-gis init`` (no park yet) reads as empty on every page,
in both languages, never as an exception."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import open_page

from gis_app.province_init import init_province
from gis_app.viewer import views

APP = Path(__file__).resolve().parents[2] / "gis_app" / "viewer" / "app.py"


@pytest.fixture(scope="module")
def empty_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "lao_cai.gpkg"
    init_province("lao_cai", path)
    return path


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_every_page_of_an_empty_province_opens(empty_file: Path, lang: str,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KCN_GIS_FILES", str(empty_file))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.session_state["lang"] = lang
    at.run()
    assert not at.exception, at.exception
    for spec in views.available():
        open_page(at, spec.module)
        assert not at.error, (spec.module, [e.value for e in at.error])
        # The board's own file says it is real data, never the sample's illustrative notice.
        captions = " ".join(c.value for c in at.caption)
        real = {"vi": "Dữ liệu thật", "en": "Real data"}[lang]
        assert real in captions and "minh họa" not in captions.lower(), captions
        assert "illustrative" not in captions.lower(), captions
