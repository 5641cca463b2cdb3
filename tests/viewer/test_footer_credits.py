"""The footer credits the data sources in the reader's language only.

A file made by ``kcn-gis init`` states the national reference credits in English
(``settings.NATIONAL_ATTRIBUTION``); the footer shows them from the catalogue in the chosen
language, as it does for the sample's credits. A board's own text is shown as written.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, texts

from gis_app.i18n import t
from gis_app.search.examples import write_example
from gis_app.settings import NATIONAL_ATTRIBUTION
from gis_app.viewer.frame import credits


def _with_attribution(path: Path, text: str) -> Path:
    with sqlite3.connect(path) as db:
        db.execute("INSERT INTO dataset_info (key, value) VALUES ('attribution', ?)", (text,))
    return path


@pytest.fixture
def province_file(tmp_path: Path) -> Path:
    return _with_attribution(write_example(tmp_path / "bac_ninh_example.gpkg"),
                             NATIONAL_ATTRIBUTION)


def test_national_credits_of_an_initialised_file_read_in_the_chosen_language(viewer_env):
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    captions = " ".join(texts(at.caption))
    assert t("notice.attribution_national", "vi") in captions
    assert "Ranh giới hành chính" in captions and "Administrative boundaries" not in captions
    assert "as transcribed by" not in captions
    at.sidebar.radio(key="lang").set_value("en").run()
    captions = " ".join(texts(at.caption))
    assert "Administrative boundaries" in captions and "Ranh giới" not in captions


def test_a_boards_own_credits_are_shown_as_written():
    assert credits("Sở Xây dựng tỉnh Bắc Ninh, 2025", "en") == "Sở Xây dựng tỉnh Bắc Ninh, 2025"
    assert credits(None, "vi") == t("notice.attribution", "vi")
    # Wrapped differently (a file edited by hand): still the program's credits.
    assert credits(NATIONAL_ATTRIBUTION.replace(" ", "\n  ", 3), "vi") == t(
        "notice.attribution_national", "vi")
