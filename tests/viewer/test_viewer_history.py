"""The version picker and the changes table on the overview and park pages (AppTest).

The example file (P1: 8 ha planned, P2: 2 ha) gets a history: C0001 imports it on 2011-01-01;
C0002, decision 9/QĐ-TTg of 2020-06-01, raises P2's planned area from 2 to 5 ha.
"""

from __future__ import annotations

from datetime import date

import pytest
from streamlit.testing.v1 import AppTest
from viewer_helpers import APP, open_page, set_date, texts

from gis_app.history import Basis, record_change, start_history
from gis_app.storage import read_plan


@pytest.fixture
def history_app(viewer_env) -> AppTest:
    path = viewer_env
    start_history(path, Basis.imported("khao_sat_2011.gpkg", "BQL"), "2011-01-01")
    plan = read_plan(path)
    parks = plan.parks.copy()
    parks.loc[parks["park_code"] == "P2", "planned_area_ha"] = 5.0
    record_change(path, plan.replace(parks=parks),
                  Basis.decision("9/QĐ-TTg", date(2020, 6, 1), "Thủ tướng Chính phủ"))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def _planned(at: AppTest) -> str:
    return {m.label: m.value for m in at.metric}["Quy hoạch (ha)"]


def test_overview_picker_shows_the_plan_of_each_version(history_app):
    at = history_app
    picker = at.selectbox(key="ov_as_of")
    assert picker.options[:3] == ["Hiện hành", "01/06/2020 · 9/QĐ-TTg · Thủ tướng Chính phủ",
                                  "01/01/2011 · khao_sat_2011.gpkg"]
    assert _planned(at) == "13,0"  # 8 + 5 ha today
    picker.set_value("C0001").run()  # an entry is a change (its id), shown as of its date
    assert not at.exception, at.exception
    assert _planned(at) == "10,0"  # 8 + 2 ha before the decision
    assert any("01/01/2011" in m for m in texts(at.info))
    picker.set_value("other").run()
    set_date(at, "ov_as_of_date", date(2020, 5, 31))
    assert _planned(at) == "10,0"
    set_date(at, "ov_as_of_date", date(2020, 6, 1))
    assert _planned(at) == "13,0"


def test_overview_changes_table_lists_decisions_and_optionally_imports(history_app):
    at = history_app
    table = at.dataframe[-1].value
    assert list(table["Số quyết định/văn bản"]) == ["9/QĐ-TTg"]
    assert list(table["Căn cứ"]) == ["Quyết định"]
    at.toggle(key="ov_changes_leases").set_value(True).run()
    assert list(at.dataframe[-1].value["Mã thay đổi"]) == ["C0001", "C0002"]
    # The program's own bilingual description, in the reader's language only; dates as dates.
    assert at.dataframe[-1].value["Nội dung"].iloc[0] == "Hiện trạng ban đầu"
    assert all(len(d.split("/")) == 3 for d in at.dataframe[-1].value["Ngày hiệu lực"])
    at.sidebar.radio(key="lang").set_value("en").run()
    assert at.dataframe[-1].value["Description"].iloc[0] == "Initial baseline"


def test_park_page_changes_of_that_park_only(history_app):
    at = open_page(history_app, "park")
    at.selectbox(key="park_code").set_value("P2").run()
    assert list(at.dataframe[-1].value["Số quyết định/văn bản"]) == ["9/QĐ-TTg"]
    at.selectbox(key="park_code").set_value("P1").run()
    assert at.dataframe[-1].value.empty


def test_a_file_without_history_has_no_picker(app):
    assert not [s for s in app.selectbox if s.key == "ov_as_of"]
    assert "Tệp này chưa có lịch sử quy hoạch" in texts(app.caption)


def test_map_sheet_of_a_past_version_names_its_date(history_app, monkeypatch):
    import io

    from pypdf import PdfReader
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    served: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, data, mimetype, kind, filename=None):  # noqa: ANN001, ANN202
        if filename:
            served[filename] = bytes(data)
        return original(self, data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    at = open_page(history_app, "map_sheets")
    at.selectbox(key="ms_as_of").set_value("C0001").run()
    at.selectbox(key="ms_park").set_value("P2").run()
    at.button(key="ms_make").click().run()
    assert not at.exception, at.exception
    (blob,) = [b for name, b in served.items() if name.endswith(".pdf")]
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(blob)).pages)
    assert "Quy hoạch tại ngày 01/01/2011" in " ".join(text.split())


@pytest.fixture
def busy_history_app(history_app, viewer_env) -> AppTest:
    """Two more decisions on the day of 9/QĐ-TTg: 12/QĐ-UBND (P1 to 9 ha) and one whose
    number was not found (recorded as "number not found" with the source that reports it)."""
    path = viewer_env
    for number, area, ref in (("12/QĐ-UBND", 9.0, None),
                              ("number not found", 10.0, "Báo Bắc Ninh 2020")):
        plan = read_plan(path)
        parks = plan.parks.copy()
        parks.loc[parks["park_code"] == "P1", "planned_area_ha"] = area
        record_change(path, plan.replace(parks=parks),
                      Basis.decision(number, date(2020, 6, 1), "UBND tỉnh", document_ref=ref))
    at = AppTest.from_file(str(APP), default_timeout=60)
    at.run()
    assert not at.exception, at.exception
    return at


def test_picker_lists_each_decision_once_by_date_number_and_authority(busy_history_app):
    at = busy_history_app
    picker = at.selectbox(key="ov_as_of")
    entries = [
        "01/06/2020 · (chưa rõ số quyết định) · UBND tỉnh",
        "01/06/2020 · 12/QĐ-UBND · UBND tỉnh",
        "01/06/2020 · 9/QĐ-TTg · Thủ tướng Chính phủ",
        "01/01/2011 · khao_sat_2011.gpkg",
    ]
    assert picker.options == ["Hiện hành", *entries, "Ngày khác…"]
    assert not any("number not found" in o for o in picker.options)
    # The second decision of the day is reachable: it shows the plan of that day.
    picker.set_value("C0003").run()  # 12/QĐ-UBND
    assert not at.exception, at.exception
    assert at.selectbox(key="ov_as_of").value == "C0003"
    assert _planned(at) == "15,0"  # P1 10 ha (all three decisions of the day) + P2 5 ha
    assert any("01/06/2020" in m for m in texts(at.info))
    at.sidebar.radio(key="lang").set_value("en").run()  # the entries follow the language
    assert at.selectbox(key="ov_as_of").options[1] == (
        "01/06/2020 · (decision number not known) · UBND tỉnh")
    assert at.selectbox(key="ov_as_of").value == "C0003"  # and the choice stays
    # The changes table does not print the placeholder either.
    at.toggle(key="ov_changes_leases").set_value(False).run()
    numbers = list(at.dataframe[-1].value["Decision no."])
    assert "number not found" not in numbers and "(decision number not known)" in numbers
